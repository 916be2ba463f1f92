"""Repair a column in a ``multiprocessing.Pool`` (fork and spawn) and in threads.

    python examples/multiprocessing_pool.py

The function sent to the workers must be importable by name (a module-level ``def``,
not a lambda) for ``spawn``; it passes nulls through because ``cjkfix.repair(None)``
raises ``TypeError``. cjkfix keeps no per-call state in modules, so threads are safe too.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ThreadPoolExecutor

import cjkfix
from _rows import report, rows


def repair_or_none(text: str | None) -> str | None:
    return None if text is None else cjkfix.repair(text)


def main() -> int:
    column = rows()
    status = 0
    for method in ["fork", "spawn"]:
        if method not in multiprocessing.get_all_start_methods():
            print(f"multiprocessing {method}: not available on this platform")
            continue
        with multiprocessing.get_context(method).Pool(2) as pool:
            got = pool.map(repair_or_none, column, chunksize=32)
        status |= report(f"multiprocessing {method}", column, got)
    with ThreadPoolExecutor(max_workers=4) as threads:
        got = list(threads.map(repair_or_none, column))
    status |= report("threads", column, got)
    return status


if __name__ == "__main__":
    sys.exit(main())
