"""Accuracy on the damage of the seed's sites: GBK misalignment and leaked ruby readings.

    python benchmarks/damage.py [--corpus DIR] [--limit N] [--seed S] [--show N]

Takes clean zh-Hans / zh-Hant lines (``--corpus DIR``: its ``zh-*.txt`` files; default:
the example article, repaired), damages them with ``cjkfix.simulate`` and prints, per
kind of damage and language, how many lines cjkfix and ftfy.fix_text give back exactly,
how many cjkfix gives back exactly but for U+FFFD where characters were lost ("kept"),
how many it leaves untouched, how many come back with an invented character ("wrong": a
letter or digit in neither the original nor the damaged line), and how many clean lines
either one changes.

"page process" is the whole damage of the real pages (``cjkfix.simulate.damage_page``):
full-width folding, readings inserted after an annotated character's code at every byte
offset, a lenient decoder that drops private-use pairs; only lines where the bytes came
out of step are counted.
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import re
import unicodedata
from collections.abc import Callable, Iterator

import ftfy

import cjkfix
from cjkfix import readings
from cjkfix.simulate import annotate_straddle, damage_page, narrow_gbk

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


_ALL_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def _reading(ch: str) -> str | None:
    entry = readings._table().get(str(ord(ch)))
    return entry.split(",")[0] if entry else None


def page(
    line: str, rng: random.Random, *, own: bool = True, straddle: bool = True
) -> tuple[str, str] | None:
    # The pages show every full-width form as ASCII: that is the truth.
    truth = line.translate(_ALL_WIDE)
    hans = sorted({c for c in truth if "\u4e00" <= c <= "\u9fff"})
    if not hans:
        return None
    annotated = {}
    for c in rng.sample(hans, min(len(hans), rng.randint(1, 3))) if own else []:
        r = _reading(c)
        if r:
            annotated[c] = r
    # A character the site annotates that the line holds only as a straddling pair.
    data = truth.encode("gbk")
    pairs = []
    for i in range(len(data) - 1):
        try:
            ch = data[i : i + 2].decode("gbk")
        except UnicodeDecodeError:
            continue
        if len(ch) == 1 and "\u4e00" <= ch <= "\u9fff" and ch not in truth and _reading(ch):
            pairs.append(ch)
    if pairs and straddle and (not own or rng.random() < 0.5):
        ch = rng.choice(pairs)
        annotated[ch] = _reading(ch) or ""
    damaged = damage_page(truth, annotated)
    leak_only = "".join(c + (f"({annotated[c]})" if c in annotated else "") for c in truth)
    if damaged in (truth, leak_only):
        return None
    return damaged, truth


def wrong(fixed: str, truth: str, damaged: str) -> bool:
    extra = set(fixed) - set(truth) - set(damaged)
    return any(unicodedata.category(ch)[0] in "LN" for ch in extra)


def _verdict(fixed: str, truth: str, damaged: str) -> str:
    if wrong(fixed, truth, damaged):
        return "wrong"
    if kept(fixed, truth):
        return "kept"
    return "untouched" if fixed == damaged else "other"


def kept(fixed: str, truth: str) -> bool:
    if "\ufffd" not in fixed:
        return fixed == truth
    pattern = "".join(".{1,3}?" if ch == "\ufffd" else re.escape(ch) for ch in fixed)
    return re.fullmatch(pattern, truth, re.S) is not None


Kind = Callable[[str, random.Random], tuple[str, str] | None]

#: The damage of the real pages (cjkfix.simulate.damage_page), in parts and whole.
KINDS: dict[str, Kind] = {
    "folded mark (page)": lambda x, r: page(x, r, own=False, straddle=False),
    "reading inside a pair (page)": lambda x, r: page(x, r, own=False),
    "ruby leak": ruby,
    "page process": page,
}
#: The earlier model of the damage (``--legacy``): a fold at every byte offset, after
#: any lead byte, and a decoder that shows a rejected pair as "?". The shared real pages
#: contradict it (they keep 海空, BA A3|BF D5, and 常、, B3 A3|A1 A2, unfolded).
LEGACY: dict[str, Kind] = {
    "narrowing, ASCII kept": lambda x, r: narrowing(x, r, False),
    "narrowing, ASCII swallowed": lambda x, r: narrowing(x, r, True),
    "reading inside a pair": straddle,
}


def cases(lines: list[str], kind: str, rng: random.Random, limit: int) -> Iterator[tuple[str, str]]:
    n = 0
    for line in lines:
        if n >= limit:
            return
        if not gbk_ok(line):
            continue
        made = {**KINDS, **LEGACY}[kind](line, rng)
        if made:
            n += 1
            yield made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="folder with zh-Hans / zh-Hant .txt files")
    ap.add_argument("--limit", type=int, default=400, help="cases per kind and language")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--legacy", action="store_true", help="also the earlier damage model")
    ap.add_argument(
        "--show", type=int, default=0, help="print this many wrong and kept cases per kind"
    )
    args = ap.parse_args()
    data = load(args.corpus)
    print(
        f"{'damage':30} {'lang':8} {'n':>5} {'cjkfix exact':>13} {'kept':>7} {'untouched':>10} "
        f"{'wrong':>7} {'ftfy exact':>11}"
    )
    for kind in [*KINDS, *(LEGACY if args.legacy else [])]:
        for lang, lines in data.items():
            rng = random.Random(args.seed)
            n = ours = near = left = bad = theirs = 0
            shown: dict[str, int] = {}
            for damaged, truth in cases(lines, kind, rng, args.limit):
                n += 1
                fixed = cjkfix.repair(damaged)
                ours += fixed == truth
                near += kept(fixed, truth)
                left += fixed == damaged
                bad += wrong(fixed, truth, damaged)
                if fixed != truth and shown.get(verdict := _verdict(fixed, truth, damaged), 0) < (
                    args.show
                ):
                    shown[verdict] = shown.get(verdict, 0) + 1
                    print(f"  [{verdict}] in:  {damaged!r}\n    out: {fixed!r}\n    exp: {truth!r}")
                theirs += ftfy.fix_text(damaged) == truth
            if n:
                print(
                    f"{kind:30} {lang:8} {n:5} {100 * ours / n:12.1f}% {100 * near / n:6.1f}% "
                    f"{100 * left / n:9.1f}% {100 * bad / n:6.1f}% {100 * theirs / n:10.1f}%"
                )
    clean = [x for lines in data.values() for x in lines]
    ours_changed = sum(cjkfix.repair(x) != x for x in clean)
    ftfy_changed = sum(ftfy.fix_text(x) != x for x in clean)
    print(f"clean lines changed: cjkfix {ours_changed} of {len(clean)}, ftfy {ftfy_changed}")


if __name__ == "__main__":
    main()
