"""Real-world accuracy: cjkfix beside ftfy.fix_encoding on real broken text.

    python benchmarks/realworld.py [--shared ../shared] [--show-failures]

Reads ``realworld/mojibake.jsonl`` and ``realworld/pinyin.jsonl`` (real cases with their
originals, see that folder's README) and ftfy's own test cases (``peer/ftfy-test-cases``:
the cases ftfy marks ``pass``, expecting ``fixed-encoding`` or else ``fixed``). Per family
it prints, for cjkfix and for ftfy.fix_encoding:

* exact: the output equals the original;
* kept: exact, or equal but for U+FFFD where characters were lost (each U+FFFD may
  stand for one to three characters);
* wrong: the output holds a letter or digit found in neither the original nor the
  input (an invented character);
* negatives changed: clean records (``negative``) that came back different.

The definitions are those of ``../shared/tools/score_realworld.py``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import ftfy

import cjkfix

ROOT = Path(__file__).resolve().parent.parent


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def kept(out: str, expected: str) -> bool:
    if "\ufffd" not in out:
        return out == expected
    pattern = "".join(".{1,3}?" if ch == "\ufffd" else re.escape(ch) for ch in out)
    return re.fullmatch(pattern, expected, re.S) is not None


def wrong(out: str, expected: str, broken: str) -> bool:
    extra = set(out) - set(expected) - set(broken)
    return any(unicodedata.category(ch)[0] in "LN" for ch in extra)


class Tally:
    def __init__(self) -> None:
        self.n = self.exact = self.kept = self.wrong = 0

    def add(self, out: str, expected: str, broken: str) -> bool:
        o, e, b = nfc(out), nfc(expected), nfc(broken)
        self.n += 1
        self.exact += o == e
        self.kept += o == e or kept(o, e)
        self.wrong += wrong(o, e, b)
        return o == e

    def cells(self) -> str:
        return f"{self.exact:4d} {self.kept:4d} {self.wrong:4d}"


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--show-failures", action="store_true")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "realworld").is_dir():
        print(f"no real-world sets under {shared} (--shared DIR)", file=sys.stderr)
        return 2
    tools: dict[str, Callable[[str], str]] = {"cjkfix": cjkfix.repair, "ftfy": ftfy.fix_encoding}
    print(f"{'set / family':34s} {'n':>4s}   cjkfix exact kept wrong   ftfy exact kept wrong")
    for name in ("mojibake.jsonl", "pinyin.jsonl"):
        groups: dict[str, dict[str, Tally]] = defaultdict(lambda: {t: Tally() for t in tools})
        negatives = {t: [0, 0] for t in tools}
        for r in load(shared / "realworld" / name):
            broken = str(r["broken"])
            for tool, fn in tools.items():
                out = fn(broken)
                if r.get("negative"):
                    negatives[tool][0] += 1
                    negatives[tool][1] += out != broken
                    if args.show_failures and tool == "cjkfix" and out != broken:
                        print(f"  NEGATIVE CHANGED {r['id']}: {broken[:60]!r} -> {out[:60]!r}")
                    continue
                if r.get("expected") is None or r.get("uncertain"):
                    continue
                family = str(
                    r.get("family") or ("byte damage" if r.get("byte_damage") else "leak only")
                )
                ok = groups[family][tool].add(out, str(r["expected"]), broken)
                if args.show_failures and tool == "cjkfix" and not ok:
                    print(f"  {r['id']} [{family}]: {broken[:50]!r} -> {out[:50]!r}")
        total = {t: Tally() for t in tools}
        for family in sorted(groups):
            row = groups[family]
            for t in tools:
                for attr in ("n", "exact", "kept", "wrong"):
                    setattr(total[t], attr, getattr(total[t], attr) + getattr(row[t], attr))
            print(
                f"{name + ' ' + family:34s} {row['cjkfix'].n:4d}   "
                f"{row['cjkfix'].cells():>17s}   {row['ftfy'].cells():>15s}"
            )
        print(
            f"{name + ' TOTAL':34s} {total['cjkfix'].n:4d}   "
            f"{total['cjkfix'].cells():>17s}   {total['ftfy'].cells():>15s}"
        )
        print(
            f"{name + ' negatives changed':34s} {negatives['cjkfix'][0]:4d}   "
            f"{negatives['cjkfix'][1]:>17d}   {negatives['ftfy'][1]:>15d}"
        )
    peer = {t: Tally() for t in tools}
    for f in sorted((shared / "peer" / "ftfy-test-cases").glob("ftfy-*.json")):
        for case in json.loads(f.read_text(encoding="utf-8")):
            if case.get("expect") != "pass":
                continue
            expected = case.get("fixed-encoding", case["fixed"])
            for tool, fn in tools.items():
                ok = peer[tool].add(fn(case["original"]), expected, case["original"])
                if args.show_failures and tool == "cjkfix" and not ok:
                    print(f"  ftfy case {f.name}: {case['original'][:50]!r}")
    print(
        f"{'ftfy test cases (pass)':34s} {peer['cjkfix'].n:4d}   "
        f"{peer['cjkfix'].cells():>17s}   {peer['ftfy'].cells():>15s}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
