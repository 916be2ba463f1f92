"""Repair a dask dataframe column, partition by partition, in two worker processes.

    python examples/dask_dataframe.py

Each partition is a pandas Series, so the pandas recipe applies:
``s.map(cjkfix.repair, na_action="ignore")`` passes nulls through. The ``processes``
scheduler sends the function to its workers with cloudpickle.
"""

from __future__ import annotations

import sys

import dask
import dask.dataframe as dd
import pandas as pd

import cjkfix
from _rows import report, rows


def repair_partition(text: pd.Series) -> pd.Series:
    return text.map(cjkfix.repair, na_action="ignore")


def main() -> int:
    column = rows()
    frame = pd.DataFrame({"id": range(len(column)), "text": pd.Series(column, dtype="object")})
    ddf = dd.from_pandas(frame, npartitions=4)
    ddf["text"] = ddf["text"].map_partitions(repair_partition, meta=("text", "object"))
    with dask.config.set(scheduler="processes", num_workers=2):
        got = ddf.compute().sort_values("id")["text"].tolist()
    return report("dask (processes scheduler, 2 workers)", column, got)


if __name__ == "__main__":
    sys.exit(main())
