"""Accuracy on the damage of the seed's sites: GBK misalignment and leaked ruby readings.

    python benchmarks/damage.py [--corpus DIR] [--limit N] [--seed S]

Takes clean zh-Hans / zh-Hant lines (``--corpus DIR``: its ``zh-*.txt`` files; default:
the example article, repaired), damages them with ``cjkfix.simulate`` and prints, per
kind of damage and language, how many lines cjkfix and ftfy.fix_text give back exactly,
how many they leave untouched, and how many clean lines either one changes.
"""

from __future__ import annotations

import argparse
import glob
import os
import random
from collections.abc import Callable, Iterator

import ftfy

import cjkfix
from cjkfix import readings
from cjkfix.simulate import annotate_straddle, narrow_gbk

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if not chr(c - 0xFEE0).isalpha()}


def load(corpus: str | None) -> dict[str, list[str]]:
    if not corpus:
        with open(os.path.join(ROOT, "examples", "meta-behemoth.txt"), encoding="utf-8") as f:
            lines = [x for x in cjkfix.repair(f.read()).splitlines() if len(x) > 10]
        return {"zh-Hant": lines}
    out: dict[str, list[str]] = {}
    for path in sorted(glob.glob(os.path.join(corpus, "zh-*.txt"))):
        lang = os.path.basename(path).split(".")[0]
        with open(path, encoding="utf-8") as f:
            out[lang] = [x.rstrip("\n") for x in f if x.strip()]
    return out


def gbk_ok(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def narrowing(line: str, rng: random.Random, swallow: bool) -> tuple[str, str] | None:
    # The sites narrowed aligned full-width punctuation on purpose: that is the truth.
    truth = line.translate(_FULL_WIDTH)
    damaged = narrow_gbk(line, swallow=swallow)
    return (damaged, truth) if damaged != truth else None


def straddle(line: str, rng: random.Random) -> tuple[str, str] | None:
    spots = []
    for i in range(len(line) - 1):
        a, b = line[i].encode("gbk"), line[i + 1].encode("gbk")
        if len(a) == 2 and len(b) == 2:
            try:
                pair = bytes((a[1], b[0])).decode("gbk")
            except UnicodeDecodeError:
                continue
            entry = readings._table().get(str(ord(pair)))
            if entry and "\u4e00" <= pair <= "\u9fff":
                spots.append((i, entry.split(",")[0]))
    if not spots:
        return None
    i, reading = rng.choice(spots)
    # annotate_straddle inserts after the first occurrence of its anchor.
    if line.index(line[i]) != i:
        return None
    return annotate_straddle(line, line[i], f"({reading})"), line


def ruby(line: str, rng: random.Random) -> tuple[str, str] | None:
    hans = [i for i, c in enumerate(line) if "\u4e00" <= c <= "\u9fff"]
    if not hans:
        return None
    chosen = set(rng.sample(hans, min(len(hans), rng.randint(1, 3))))
    out = []
    for i, c in enumerate(line):
        out.append(c)
        if i in chosen:
            entry = readings._table().get(str(ord(c)))
            if not entry:
                return None
            out.append(f"({entry.split(',')[0]})")
    return "".join(out), line


KINDS: dict[str, Callable[[str, random.Random], tuple[str, str] | None]] = {
    "narrowing, ASCII kept": lambda x, r: narrowing(x, r, False),
    "narrowing, ASCII swallowed": lambda x, r: narrowing(x, r, True),
    "reading inside a pair": straddle,
    "ruby leak": ruby,
}


def cases(lines: list[str], kind: str, rng: random.Random, limit: int) -> Iterator[tuple[str, str]]:
    n = 0
    for line in lines:
        if n >= limit:
            return
        if not gbk_ok(line):
            continue
        made = KINDS[kind](line, rng)
        if made:
            n += 1
            yield made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="folder with zh-Hans / zh-Hant .txt files")
    ap.add_argument("--limit", type=int, default=400, help="cases per kind and language")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    data = load(args.corpus)
    print(
        f"{'damage':28} {'lang':8} {'n':>5} {'cjkfix exact':>13} {'untouched':>10} "
        f"{'ftfy exact':>11}"
    )
    for kind in KINDS:
        for lang, lines in data.items():
            rng = random.Random(args.seed)
            n = ours = left = theirs = 0
            for damaged, truth in cases(lines, kind, rng, args.limit):
                n += 1
                fixed = cjkfix.repair(damaged)
                ours += fixed == truth
                left += fixed == damaged
                theirs += ftfy.fix_text(damaged) == truth
            if n:
                print(
                    f"{kind:28} {lang:8} {n:5} {100 * ours / n:12.1f}% {100 * left / n:9.1f}% "
                    f"{100 * theirs / n:10.1f}%"
                )
    clean = [x for lines in data.values() for x in lines]
    ours_changed = sum(cjkfix.repair(x) != x for x in clean)
    ftfy_changed = sum(ftfy.fix_text(x) != x for x in clean)
    print(f"clean lines changed: cjkfix {ours_changed} of {len(clean)}, ftfy {ftfy_changed}")


if __name__ == "__main__":
    main()
