"""Repair a pandas column with nulls: ``Series.map(cjkfix.repair, na_action="ignore")``.

    python examples/pandas_column.py

``cjkfix.repair`` takes only ``str`` (``repair(None)`` raises ``TypeError``);
``na_action="ignore"`` passes ``None``, ``NaN`` and ``pd.NA`` through without calling
it. Works the same for an ``object`` column, a ``string`` column and a pyarrow-backed one.
"""

from __future__ import annotations

import sys

import pandas as pd

import cjkfix
from _rows import report, rows


def main() -> int:
    column = rows()
    frame = pd.DataFrame({"id": range(len(column)), "text": column})
    status = 0
    for dtype in ["object", "string", "string[pyarrow]"]:
        text = frame["text"].astype(dtype)
        repaired = text.map(cjkfix.repair, na_action="ignore")
        status |= report(f"pandas {dtype}", column, repaired.tolist())
    # Options too: cheap per call (one cache look-up), so a map over a million rows is fine.
    keep = frame["text"].map(lambda t: cjkfix.repair(t, to="zh-Hant"), na_action="ignore")
    want = [None if t is None else cjkfix.repair(t, to="zh-Hant") for t in column]
    if [None if pd.isna(v) else v for v in keep] != want:
        print("pandas with to='zh-Hant': rows differ from cjkfix.repair")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
