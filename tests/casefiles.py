"""Shared helpers for the tests: the case files and the example texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CASES = Path(__file__).parent / "cases"
EXAMPLES = Path(__file__).parent.parent / "examples"


def load_cases(name: str) -> dict[str, Any]:
    with open(CASES / name, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data
