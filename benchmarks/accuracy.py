"""Mojibake accuracy and speed benchmark: cjkfix against ftfy on generated corruptions.

    python benchmarks/accuracy.py                      # small built-in sample
    python benchmarks/accuracy.py --corpus /path/dir   # {zh-Hans,zh-Hant,ja,ko,mixed}.dev.txt

For every chain in :mod:`cjkfix.simulate` and every decoder behaviour, sentences of at least six
CJK characters are corrupted whole and as a span inside clean text; the table gives the
exact-match rate per chain, behaviour and language for cjkfix and for ftfy.fix_text.
"Lossless" rows use sentences the chain round-trips; lossy rows use the others. The
"kept" column counts outputs that are exact except for U+FFFD where bytes were lost.
Then every clean line of the corpus is repaired (must come back unchanged), and
throughput on broken text and a linear-time check are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections import defaultdict

import ftfy

import cjkfix
from cjkfix.simulate import CHAINS, DECODERS, LANG_OF, corrupt

LANGS = ("zh-Hans", "zh-Hant", "ja", "ko")
HERE = os.path.dirname(os.path.abspath(__file__))
BUILTIN = os.path.join(HERE, "..", "tests", "cases", "sentences.json")


def cjk_count(text: str) -> int:
    return sum(
        1
        for ch in text
        if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3"
    )


def load(corpus: str | None) -> dict[str, list[str]]:
    if corpus is None:
        with open(BUILTIN, encoding="utf-8") as f:
            data: dict[str, list[str]] = json.load(f)
        return {k: v for k, v in data.items() if k in (*LANGS, "mixed")}
    out = {}
    for name in (*LANGS, "mixed"):
        path = os.path.join(corpus, f"{name}.dev.txt")
        with open(path, encoding="utf-8") as f:
            out[name] = [line.rstrip("\n") for line in f if line.strip()]
    return out


def langs_for(chain: str) -> tuple[str, ...]:
    original = CHAINS[chain][0][0]
    return LANG_OF.get(original, LANGS)


def near(out: str, expected: str) -> bool:
    return len(out) == len(expected) and all(
        a == b or a == "\ufffd" for a, b in zip(out, expected, strict=True)
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--per-cell", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-ftfy", action="store_true")
    ap.add_argument("--show-failures", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    texts = load(args.corpus)
    pools = {
        lang: [t for t in texts[lang] if cjk_count(t) >= 6 and len(t) <= 120] for lang in LANGS
    }

    rows = []
    failures: list[tuple[str, str, str, str]] = []
    broken_inputs: list[str] = []
    for chain in CHAINS:
        for behaviour in DECODERS:
            for lang in langs_for(chain):
                pool = pools[lang][:]
                rng.shuffle(pool)
                stats = defaultdict(int)
                for sentence in pool:
                    if stats["n"] >= args.per_cell:
                        break
                    lossless = corrupt(sentence, chain, "strict") is not None
                    if (behaviour == "strict") != lossless:
                        continue
                    broken = corrupt(sentence, chain, behaviour)
                    if broken is None or broken == sentence:
                        continue
                    if stats["n"] % 2 == 0:
                        expected, case = sentence, broken
                    else:
                        a, b = rng.choice(pools[lang]), rng.choice(pools[lang])
                        expected, case = f"{a} {sentence} {b}", f"{a} {broken} {b}"
                    stats["n"] += 1
                    broken_inputs.append(case)
                    out = cjkfix.repair(case)
                    stats["exact"] += out == expected
                    stats["kept"] += near(out, expected)
                    if out != expected and len(failures) < 10_000:
                        failures.append((f"{chain}/{behaviour}/{lang}", case, out, expected))
                    if not args.no_ftfy:
                        stats["ftfy"] += ftfy.fix_text(case) == expected
                if stats["n"]:
                    rows.append(
                        (chain, "lossless" if behaviour == "strict" else behaviour, lang, stats)
                    )
    print(f"{'chain':28} {'decoder':9} {'lang':8} {'n':>4} {'cjkfix':>7} {'kept':>7} {'ftfy':>7}")
    for chain, behaviour, lang, s in rows:
        n = s["n"]
        print(
            f"{chain:28} {behaviour:9} {lang:8} {n:4d} {100 * s['exact'] / n:6.1f}% "
            f"{100 * s['kept'] / n:6.1f}% {100 * s['ftfy'] / n:6.1f}%"
        )
    tot = defaultdict(lambda: [0, 0])
    for _chain, behaviour, _lang, s in rows:
        key = "lossless" if behaviour == "lossless" else "lossy"
        tot[key][0] += s["exact"]
        tot[key][1] += s["n"]
    for key, (e, n) in tot.items():
        print(f"TOTAL {key}: {100 * e / n:.1f}% exact of {n}")

    changed = 0
    total = 0
    t = time.perf_counter()
    for name, lines in texts.items():
        for line in lines:
            total += 1
            if cjkfix.repair(line) != line:
                changed += 1
                if changed <= 20:
                    print(f"CLEAN LINE CHANGED ({name}): {line!r} -> {cjkfix.repair(line)!r}")
    clean_time = time.perf_counter() - t
    print(
        f"clean lines changed: {changed} of {total} "
        f"({clean_time:.2f}s, {total / clean_time:.0f} lines/s)"
    )

    sample = broken_inputs[:2000]
    size = sum(len(s.encode()) for s in sample)
    t = time.perf_counter()
    for s in sample:
        cjkfix.repair(s)
    ours = time.perf_counter() - t
    t = time.perf_counter()
    for s in sample:
        ftfy.fix_text(s)
    theirs = time.perf_counter() - t
    print(
        f"broken-text throughput: cjkfix {size / ours / 1e3:.0f} kB/s, ftfy.fix_text "
        f"{size / theirs / 1e3:.0f} kB/s, ratio {theirs / ours:.2f}x"
    )
    base = "\n".join(sample[:200])
    times = []
    for k in (1, 4, 16):
        text = "\n".join([base] * k)
        best = float("inf")
        for _ in range(3 if k < 16 else 1):
            t = time.perf_counter()
            cjkfix.repair(text)
            best = min(best, time.perf_counter() - t)
        times.append(best)
    print(
        f"linearity: 1x {times[0]:.3f}s, 4x {times[1]:.3f}s ({times[1] / times[0]:.1f}x), "
        f"16x {times[2]:.3f}s ({times[2] / times[0]:.1f}x)"
    )
    for label, case, out, expected in failures[: args.show_failures]:
        print(f"FAIL {label}\n  in:  {case!r}\n  out: {out!r}\n  exp: {expected!r}")


if __name__ == "__main__":
    main()
