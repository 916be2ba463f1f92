from __future__ import annotations

import pytest

from casefiles import EXAMPLES


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (EXAMPLES / "meta-behemoth.txt").read_text(encoding="utf-8")
