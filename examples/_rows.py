"""The small data set the pipeline examples share, and the row-for-row check.

A few hundred rows: the clean sentences of ``tests/cases/sentences.json`` (Chinese,
Japanese, Korean, mixed), copies of them damaged by :mod:`cjkfix.simulate` (mojibake,
GBK narrowing, leaked ruby), a few empty and ASCII strings, and nulls. Every example
repairs the column with its framework and compares the result with ``cjkfix.repair``
on the same rows, nulls passed through.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

import cjkfix
from cjkfix import simulate

SENTENCES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "sentences.json"

# (chain, decoder behaviour) pairs that real mojibake comes from.
_MOJIBAKE = [
    ("utf-8>gbk", "replace"),
    ("utf-8>gbk", "strict"),
    ("gbk>latin-1", "strict"),
    ("utf-8>cp1252", "strict"),
    ("utf-8>big5", "qmark"),
    ("shift_jis>latin-1", "strict"),
    ("euc-kr>latin-1", "strict"),
]

_READINGS = {"戰": "(zhàn)", "發": "(fā)", "這": "(zhè)", "题": "(tí)", "议": "(yì)"}


def _damaged(text: str, rng: random.Random) -> str | None:
    kind = rng.randrange(3)
    if kind == 0:
        chain, behaviour = rng.choice(_MOJIBAKE)
        return simulate.corrupt(text, chain, behaviour)
    if kind == 1:
        try:
            narrowed = simulate.narrow_gbk(text)
        except UnicodeEncodeError:
            return None
        return narrowed if narrowed != text else None
    for char, reading in _READINGS.items():
        if char in text:
            return text.replace(char, char + reading, 1)
    return None


def rows(seed: int = 12) -> list[str | None]:
    """The example column: clean, damaged, empty and null rows in a fixed shuffled order."""
    with open(SENTENCES, encoding="utf-8") as f:
        data = json.load(f)
    clean = [s for key, values in data.items() if not key.startswith("_") for s in values]
    rng = random.Random(seed)
    column: list[str | None] = list(clean)
    for text in clean:
        for _ in range(3):
            damaged = _damaged(text, rng)
            if damaged is not None and damaged != text:
                column.append(damaged)
    column += ["", "plain ASCII text", "戰(zhàn)略"]
    column += [None] * 20
    rng.shuffle(column)
    return column


def expected(column: Sequence[str | None]) -> list[str | None]:
    """``cjkfix.repair`` row by row, nulls passed through: what every pipeline must give."""
    return [None if text is None else cjkfix.repair(text) for text in column]


def report(name: str, column: Sequence[str | None], got: Sequence[object]) -> int:
    """Print a one-line summary; 0 when ``got`` equals :func:`expected` row for row, else 1."""
    want = expected(column)
    got = [None if _is_null(value) else value for value in got]
    mismatches = [i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b]
    if len(got) != len(want):
        print(f"{name}: {len(got)} rows back for {len(want)} rows in")
        return 1
    changed = sum(1 for a, b in zip(column, want, strict=True) if a != b)
    nulls = sum(1 for a in column if a is None)
    if mismatches:
        i = mismatches[0]
        print(
            f"{name}: {len(mismatches)} of {len(want)} rows differ from cjkfix.repair; "
            f"first at row {i}: {column[i]!r} -> {got[i]!r}, expected {want[i]!r}"
        )
        return 1
    print(
        f"{name}: {len(want)} rows ({nulls} null, {changed} repaired) "
        "match cjkfix.repair row for row"
    )
    return 0


def _is_null(value: object) -> bool:
    # None, float NaN and pandas.NA, without importing pandas here.
    if value is None or type(value).__name__ == "NAType":
        return True
    return isinstance(value, float) and value != value
