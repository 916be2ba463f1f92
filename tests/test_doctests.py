"""The examples in the engine modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "cjkfix.mojibake",
        "cjkfix.mojibake.tokens",
        "cjkfix.mojibake.policy",
        "cjkfix.mojibake.verdict",
        "cjkfix.mojibake.rules",
        "cjkfix.mojibake.paragraph",
        "cjkfix.mojibake.dropped",
        "cjkfix.mojibake.utf8_lost",
        "cjkfix.fallback",
        "cjkfix.codecs",
        "cjkfix.model",
        "cjkfix.utf16",
        "cjkfix.utf16_qmarks",
    ],
)
def test_module_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
