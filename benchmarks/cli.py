"""The CLI on a big file: peak memory, --jobs 1 against --jobs 2, and what --check and
--explain cost against a plain repair.

    python benchmarks/cli.py --corpus /path/dir            # {zh-Hans,...}.dev.txt
    python benchmarks/cli.py --corpus DIR --mb 300 --small-mb 10

The big file is the corpus files repeated up to ``--mb`` MB (clean text); the small one
is ``--small-mb`` MB of corpus lines with damage on about 6% of them (mojibake, GBK
narrowing, leaked ruby). Both are written to a temporary directory and deleted after.
Each run is a separate ``cjkfix`` process; its CPU time, wall time and peak RSS (the
main process, and the largest worker) are measured with ``resource``. On a machine
shared with other work, wall times (and so the --jobs speed-up) vary with the load: the
CPU times and the main process's share tell whether the pool could run in parallel.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

from cjkfix.simulate import CHAINS, corrupt, narrow_gbk

NAMES = ("zh-Hans", "zh-Hant", "ja", "ko", "mixed")


def _run(args: Sequence[str]) -> dict[str, float]:
    start = time.monotonic()
    code = (
        "import resource, sys, time\n"
        "from cjkfix.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "s = resource.getrusage(resource.RUSAGE_SELF)\n"
        "c = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(s.ru_utime + s.ru_stime, s.ru_maxrss, c.ru_utime + c.ru_stime, c.ru_maxrss, rc,"
        " file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    wall = time.monotonic() - start
    main_cpu, main_rss, workers_cpu, worker_rss, _ = done.stderr.decode().split()[-5:]
    return {
        "wall": wall,
        "main_cpu": float(main_cpu),
        "workers_cpu": float(workers_cpu),
        "main_rss_mb": int(main_rss) / 1024,
        "worker_rss_mb": int(worker_rss) / 1024,
    }


def _show(label: str, r: dict[str, float]) -> None:
    print(
        f"{label:28} wall {r['wall']:6.1f} s  cpu {r['main_cpu'] + r['workers_cpu']:6.1f} s "
        f"(main {r['main_cpu']:5.1f})  peak RSS {r['main_rss_mb']:5.0f} MB"
        + (f" (worker {r['worker_rss_mb']:.0f} MB)" if r["worker_rss_mb"] else "")
    )


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", required=True, help="directory with the *.dev.txt files")
    p.add_argument("--mb", type=int, default=300, help="size of the clean file (MB)")
    p.add_argument("--small-mb", type=int, default=10, help="size of the damaged file (MB)")
    args = p.parse_args(argv)
    parts = []
    for n in NAMES:
        with open(os.path.join(args.corpus, f"{n}.dev.txt"), "rb") as f:
            parts.append(f.read())
    corpus = b"".join(parts)
    with tempfile.TemporaryDirectory(prefix="cjkfix-bench-") as tmp:
        big = os.path.join(tmp, "big.txt")
        with open(big, "wb") as f:
            for _ in range(args.mb * 1_000_000 // len(corpus) + 1):
                f.write(corpus)
        out = os.path.join(tmp, "out.txt")
        one = _run(["-j", "1", big, "-o", out])
        _show(f"{args.mb} MB clean, --jobs 1", one)
        two = _run(["-j", "2", big, "-o", out])
        _show(f"{args.mb} MB clean, --jobs 2", two)
        print(f"--jobs 2 against 1: {one['wall'] / two['wall']:.2f}x (wall time)")
        os.unlink(big)

        rng = random.Random(5)
        lines = corpus.decode("utf-8").split("\n")
        chains = list(CHAINS)
        damaged: list[str] = []
        size = 0
        while size < args.small_mb * 1_000_000:
            s = rng.choice(lines)
            r = rng.random()
            if r < 0.02:
                s = corrupt(s, rng.choice(chains), "strict") or s
            elif r < 0.04:
                with contextlib.suppress(UnicodeEncodeError):  # (a character GBK lacks)
                    s = narrow_gbk(s)
            elif r < 0.06 and s:
                s = s[:1] + "(zhàn)" + s[1:]
            damaged.append(s)
            size += len(s.encode()) + 1
            if rng.random() < 0.1:
                damaged.append("")
        small = os.path.join(tmp, "small.txt")
        with open(small, "w", encoding="utf-8") as f:
            f.write("\n".join(damaged) + "\n")
        for mode in ([], ["--check"], ["--explain"]):
            result = _run([*mode, small])
            _show(f"{args.small_mb} MB damaged {' '.join(mode) or 'repair'}", result)


if __name__ == "__main__":
    main()
