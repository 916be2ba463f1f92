"""Repair a Hugging Face ``datasets`` column with ``map(batched=True, num_proc=2)``.

    python examples/hf_datasets.py

The batch function passes nulls through (``cjkfix.repair(None)`` raises ``TypeError``).
The data set is loaded from disk, so ``map`` caches its result under a fingerprint of the
function: the second ``map`` is served from that cache. (cjkfix's modules pickle by name,
so the fingerprint works with an editable install too; see ``cjkfix._byref``.)
"""

from __future__ import annotations

import sys
import tempfile
from typing import Any

import datasets

import cjkfix
from _rows import report, rows


def repair_batch(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {"text": [None if t is None else cjkfix.repair(t) for t in batch["text"]]}


def main() -> int:
    datasets.disable_progress_bars()
    column = rows()
    with tempfile.TemporaryDirectory() as tmp:
        datasets.Dataset.from_dict({"id": list(range(len(column))), "text": column}).save_to_disk(
            f"{tmp}/raw"
        )
        ds = datasets.load_from_disk(f"{tmp}/raw")
        first = ds.map(repair_batch, batched=True, batch_size=64, num_proc=2)
        status = report("datasets map(batched=True, num_proc=2)", column, first["text"])
        second = ds.map(repair_batch, batched=True, batch_size=64, num_proc=2)
        if second.cache_files != first.cache_files or not first.cache_files:
            print("datasets: the second map was not served from the first one's cache")
            status = 1
        elif second["text"] != first["text"]:
            print("datasets: the cached map differs")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
