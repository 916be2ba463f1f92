"""Throughput of cjkfix.repair against ftfy.fix_text on clean CJK text and on the seed.

    python benchmarks/throughput.py [--corpus DIR] [--mb 1.0] [--repeat 3]

Prints MB/s (UTF-8 bytes of input per second) and the ratio cjkfix / ftfy for ftfy's
default configuration and for ftfy with its width and quote fixes off; then the start-up
costs (``import cjkfix``, the model's first load), each in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import time
from collections.abc import Callable

import ftfy

import cjkfix

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Built-in sample when no corpus is given: the example article repaired, plus short
# lines the cjkfix developers wrote in each language.
_SAMPLE = [
    "這一消息引發了業界對人工智能戰略轉向的廣泛關注。",
    "这个模块为简单的文本日历提供了下列函数。",
    "このオプションがオフの場合、新しいテキストの折り返しが適用されます。",
    "이 함수는 문자열을 받아 새로운 목록을 반환합니다.",
    "請將滑鼠指標移到表格的左上方(例如 A1 儲存格)。",
]


def load(corpus: str | None, megabytes: float) -> str:
    if corpus:
        lines: list[str] = []
        for path in sorted(glob.glob(os.path.join(corpus, "*.txt"))):
            with open(path, encoding="utf-8") as f:
                lines.extend(line.rstrip("\n") for line in f)
    else:
        with open(os.path.join(ROOT, "examples", "meta-behemoth.txt"), encoding="utf-8") as f:
            lines = cjkfix.repair(f.read()).splitlines() + _SAMPLE
    text = "\n".join(lines) + "\n"
    target = int(megabytes * 1_000_000)
    size = len(text.encode("utf-8"))
    return text * max(1, -(-target // size))


def rates(funcs: list[Callable[[str], str]], text: str, repeat: int) -> list[float]:
    """MB/s of each function on ``text``, best of ``repeat`` runs. The runs take turns
    (one of each, then again), so that a slower spell of a shared machine falls on all
    of them alike instead of on whichever was measured then."""
    nbytes = len(text.encode("utf-8"))
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for k, func in enumerate(funcs):
            start = time.perf_counter()
            func(text)
            best[k] = min(best[k], time.perf_counter() - start)
    return [nbytes / b / 1e6 for b in best]


def ftfy_default(text: str) -> str:
    return ftfy.fix_text(text)


def ftfy_no_width_quotes(text: str) -> str:
    return ftfy.fix_text(text, fix_character_width=False, uncurl_quotes=False)


def by_lines(func: Callable[[str], str]) -> Callable[[str], str]:
    # Pipelines call a cleaner once per record; measure both that way.
    return lambda text: "\n".join(func(line) for line in text.split("\n"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="folder of UTF-8 .txt files (default: built-in sample)")
    ap.add_argument("--mb", type=float, default=1.0, help="megabytes of clean text (default 1)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    clean = load(args.corpus, args.mb)
    with open(os.path.join(ROOT, "examples", "meta-behemoth.txt"), encoding="utf-8") as f:
        seed = f.read()
    seed_many = seed * 20
    rows = []
    for label, text in (
        ("clean text, whole", clean),
        ("clean text, per line", clean),
        ("seed article x20", seed_many),
    ):
        per_line = "per line" in label
        funcs = [cjkfix.repair, ftfy_default, ftfy_no_width_quotes]
        ours, peer, peer2 = rates(
            [by_lines(f) if per_line else f for f in funcs], text, args.repeat
        )
        rows.append((label, len(text.encode("utf-8")) / 1e6, ours, peer, peer2))

    print(
        f"{'input':22} {'MB':>6} {'cjkfix MB/s':>12} {'ftfy MB/s':>10} {'ratio':>7} "
        f"{'ftfy-nw MB/s':>13} {'ratio':>7}"
    )
    for label, size, ours, peer, peer2 in rows:
        print(
            f"{label:22} {size:6.2f} {ours:12.2f} {peer:10.2f} {ours / peer:6.1f}x "
            f"{peer2:13.2f} {ours / peer2:6.1f}x"
        )
    print("ftfy-nw: ftfy.fix_text with fix_character_width=False, uncurl_quotes=False")
    # Start-up, each in a fresh interpreter (best of three): ``import cjkfix`` (target
    # <= 50 ms) and the character model's first load (target < 100 ms).
    for label, code in (
        ("import cjkfix", "import time; t = time.perf_counter(); import cjkfix"),
        (
            "model load",
            "import cjkfix.model as m, time; t = time.perf_counter(); m._load()",
        ),
        ("import ftfy", "import time; t = time.perf_counter(); import ftfy"),
    ):
        best = min(_fresh(code + "; print(time.perf_counter() - t)") for _ in range(3))
        print(f"{label:22} {best * 1000:8.1f} ms")


def _fresh(code: str) -> float:
    # (with compiled bytecode, as an installed package has it: PYTHONDONTWRITEBYTECODE
    # in the caller's environment would time the compiler too)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout)


if __name__ == "__main__":
    main()
