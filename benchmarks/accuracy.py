"""Mojibake accuracy and speed benchmark: cjkfix against ftfy on generated corruptions.

    python benchmarks/accuracy.py                      # small built-in sample
    python benchmarks/accuracy.py --corpus /path/dir   # {zh-Hans,zh-Hant,ja,ko,mixed}.dev.txt
    python benchmarks/accuracy.py --chains utf-8>gbk,gbk>latin-1 --decoders strict,replace \\
        --langs zh-Hans,ko --json run.json             # a subset, numbers saved for diffing

For every chain in :mod:`cjkfix.simulate` and every decoder behaviour, sentences of at
least six CJK characters are corrupted whole and as a span inside clean text; the table
gives the exact-match rate per chain, behaviour and language for cjkfix and for
ftfy.fix_text. "Lossless" rows use sentences the chain round-trips; lossy rows use the
others. A reader that shows some bytes as nothing (UTF-8 read as latin-1 with the C1
controls lost, as TIS-620) loses them with a strict decoder too: its "strict" rows count
as lossy. The "wrong" column counts outputs holding a character that is in neither the
original nor the input (a wrong guess for a lost byte, or a wrong decoding). The "kept"
column counts outputs that are exact except for U+FFFD where bytes were lost. The "half"
column counts outputs where something was repaired and a run of mojibake is left (a
half-repaired line). A subset (--chains, --decoders, --langs) gives the same rows as the
full run with the same seed. Then every clean line of the selected languages (plus the mixed lines
in a run over all languages) is repaired and must come back unchanged; throughput is
measured sentence by sentence and on one document per chain, and linear time is checked.
With --documents, the same cases are also shuffled into documents mixing chains and
languages (one paragraph each) and every line is compared with its repair alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import ftfy

import cjkfix
from cjkfix import mojibake, western
from cjkfix.simulate import CHAINS, DECODERS, LANG_OF, ON_STRICT, corrupt
from cjkfix.singlebyte_runs import ROWS

#: The chains whose reader shows some bytes as nothing (lost with any decoder).
_INVISIBLE = frozenset(name for name, row in ROWS.items() if row.invisible)

LANGS = ("zh-Hans", "zh-Hant", "ja", "ko")
HERE = os.path.dirname(os.path.abspath(__file__))
BUILTIN = os.path.join(HERE, "..", "tests", "cases", "sentences.json")


@dataclass
class Row:
    """The counts of one table row: a chain, a decoder behaviour and a language."""

    chain: str
    decoder: str  # as printed: "lossless" for strict
    lang: str
    n: int = 0
    exact: int = 0
    kept: int = 0
    ftfy: int = 0
    invented: int = 0
    half: int = 0


@dataclass
class Case:
    """One corrupted input of a cell and cjkfix's output for it alone."""

    chain: str
    lossless: bool
    case: str
    expected: str
    alone: str


@dataclass
class Failure:
    label: str
    case: str
    out: str
    expected: str


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


def name_list(valid: Sequence[str], what: str) -> Callable[[str], tuple[str, ...]]:
    """An argparse type: comma-separated names from ``valid``, in ``valid``'s order."""

    def parse(value: str) -> tuple[str, ...]:
        names = {v.strip() for v in value.split(",") if v.strip()}
        unknown = sorted(names - set(valid))
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {', '.join(unknown) or '(none given)'}; valid: {', '.join(valid)}"
            )
        return tuple(v for v in valid if v in names)

    return parse


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--per-cell", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-ftfy", action="store_true", help="skip ftfy's accuracy column")
    ap.add_argument("--show-failures", type=int, default=0, metavar="N")
    ap.add_argument(
        "--chains",
        type=name_list(tuple(CHAINS), "chain"),
        default=tuple(CHAINS),
        help="comma-separated chains (default: all): " + ", ".join(CHAINS),
    )
    ap.add_argument(
        "--decoders",
        type=name_list(DECODERS, "decoder behaviour"),
        default=DECODERS,
        help="comma-separated decoder behaviours (default: all): " + ", ".join(DECODERS),
    )
    ap.add_argument(
        "--langs",
        type=name_list(LANGS, "language"),
        default=LANGS,
        help="comma-separated languages (default: all): " + ", ".join(LANGS),
    )
    ap.add_argument(
        "--documents",
        action="store_true",
        help="also repair the cases shuffled into mixed documents and compare with alone",
    )
    ap.add_argument("--json", default=None, metavar="PATH", help="write the numbers as JSON")
    return ap.parse_args(argv)


def run_cells(
    args: argparse.Namespace, pools: dict[str, list[str]], cases: list[Case] | None = None
) -> tuple[list[Row], list[Failure], dict[str, list[str]]]:
    """The accuracy rows, the failures and the broken inputs of each chain (each case
    with its output alone is appended to ``cases`` when given)."""
    rows: list[Row] = []
    failures: list[Failure] = []
    inputs: dict[str, list[str]] = {}
    for chain in CHAINS:
        for behaviour in DECODERS:
            for lang in langs_for(chain):
                # Each cell draws its cases from its own generator, so a subset's rows are
                # the full run's rows, and a new chain or behaviour leaves the others' be.
                selected = (
                    chain in args.chains and behaviour in args.decoders and lang in args.langs
                )
                if not selected:
                    continue  # (its cases are its own generator's: nothing to draw)
                rng = random.Random(f"{args.seed}/{chain}/{behaviour}/{lang}")
                pool = pools[lang][:]
                rng.shuffle(pool)
                lossless = behaviour == "strict" and chain not in _INVISIBLE
                decoder = "lossless" if lossless else behaviour
                row = Row(chain, decoder, lang)
                for sentence in pool:
                    if row.n >= args.per_cell:
                        break
                    strict = corrupt(sentence, chain, "strict")
                    # (a behaviour that works on what strict decodes, folded quotes,
                    # takes the sentences strict keeps whole, where it changes them)
                    if (behaviour in ON_STRICT) != (strict is not None):
                        continue
                    broken = corrupt(sentence, chain, behaviour)
                    if broken is None or broken == sentence:
                        continue
                    if behaviour != "strict" and broken == strict:
                        continue
                    if row.n % 2 == 0:
                        expected, case = sentence, broken
                    else:
                        a, b = rng.choice(pools[lang]), rng.choice(pools[lang])
                        expected, case = f"{a} {sentence} {b}", f"{a} {broken} {b}"
                    row.n += 1
                    inputs.setdefault(chain, []).append(case)
                    out = cjkfix.repair(case)
                    if cases is not None:
                        cases.append(Case(chain, lossless, case, expected, out))
                    row.exact += out == expected
                    row.kept += near(out, expected)
                    row.invented += invents(out, case, expected)
                    row.half += half_repaired(out, case, expected)
                    if out != expected and len(failures) < 10_000:
                        label = f"{chain}/{behaviour}/{lang}"
                        failures.append(Failure(label, case, out, expected))
                    if not args.no_ftfy:
                        row.ftfy += ftfy.fix_text(case) == expected
                if row.n:
                    rows.append(row)
    return rows, failures, inputs


def invents(out: str, case: str, expected: str) -> bool:
    """Does the output hold a character that is in neither the original nor the input
    (other than U+FFFD)? A wrong guess, where a U+FFFD would have been honest."""
    return any(ch not in expected and ch not in case and ch != "\ufffd" for ch in out)


def half_repaired(out: str, case: str, expected: str) -> bool:
    """Was some of the damage repaired and some, of the kind the gate looks for, left?"""
    return out not in (case, expected) and (mojibake.has_mojibake_run(out) or western.remains(out))


DOC_LINES = 8


def documents(cases: list[Case], seed: int) -> dict[str, Any]:
    """Mixed documents: the cases of all selected chains, languages and behaviours,
    shuffled into documents of :data:`DOC_LINES` lines joined with one newline (one
    paragraph, so one reading is voted for a text that mixes chains and languages).
    Per chain: exact alone, exact inside a document, and lines worse inside the document
    than alone (exact, or exact but for U+FFFD, alone and not inside)."""
    # (a case whose text holds a line break, UTF-16 whose bytes hold 0A, cannot be
    # compared line by line: left out, and counted)
    order = [i for i, c in enumerate(cases) if "\n" not in c.case]
    random.Random(seed).shuffle(order)
    inside: dict[int, str] = {}
    for start in range(0, len(order), DOC_LINES):
        ids = order[start : start + DOC_LINES]
        out = cjkfix.repair("\n".join(cases[i].case for i in ids)).split("\n")
        if len(out) != len(ids):  # a repair never joins or splits lines; count as failed
            out = [""] * len(ids)
        inside.update(zip(ids, out, strict=True))
    print(
        f"mixed documents ({DOC_LINES} lines of different chains and languages each; "
        f"{len(cases) - len(order)} cases holding a line break left out):"
    )
    print(f"{'chain':28} {'kind':8} {'n':>5} {'alone':>7} {'in doc':>7} {'worse':>6}")
    table: list[dict[str, Any]] = []
    keys = sorted(
        {(c.chain, c.lossless) for c in cases}, key=lambda k: (list(CHAINS).index(k[0]), not k[1])
    )
    for chain, lossless in keys:
        ids = [
            i
            for i, c in enumerate(cases)
            if c.chain == chain and c.lossless == lossless and i in inside
        ]
        alone = sum(cases[i].alone == cases[i].expected for i in ids)
        doc = sum(inside[i] == cases[i].expected for i in ids)
        worse = sum(
            near(cases[i].alone, cases[i].expected) and not near(inside[i], cases[i].expected)
            for i in ids
        )
        kind = "lossless" if lossless else "lossy"
        print(
            f"{chain:28} {kind:8} {len(ids):5d} {pct(alone, len(ids)):6.1f}% "
            f"{pct(doc, len(ids)):6.1f}% {worse:6d}"
        )
        table.append(
            {
                "chain": chain,
                "kind": kind,
                "n": len(ids),
                "alone": alone,
                "doc": doc,
                "worse": worse,
            }
        )
    total = sum(row["worse"] for row in table)
    print(f"TOTAL worse inside a document than alone: {total} of {len(inside)}")
    return {"lines_per_document": DOC_LINES, "chains": table, "worse": total}


def pct(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def print_rows(rows: list[Row], no_ftfy: bool) -> dict[str, dict[str, int]]:
    """Print the table and the TOTAL lines; return the totals by lossless/lossy."""
    print(
        f"{'chain':28} {'decoder':9} {'lang':8} {'n':>4} {'cjkfix':>7} {'kept':>7} "
        f"{'wrong':>7} {'half':>5} {'ftfy':>7}"
    )
    for r in rows:
        ftfy_col = f"{'-':>7}" if no_ftfy else f"{pct(r.ftfy, r.n):6.1f}%"
        print(
            f"{r.chain:28} {r.decoder:9} {r.lang:8} {r.n:4d} {pct(r.exact, r.n):6.1f}% "
            f"{pct(r.kept, r.n):6.1f}% {pct(r.invented, r.n):6.1f}% {r.half:5d} {ftfy_col}"
        )
    totals: dict[str, dict[str, int]] = {}
    for r in rows:
        key = "lossless" if r.decoder == "lossless" else "lossy"
        tot = totals.setdefault(
            key, {"n": 0, "exact": 0, "kept": 0, "ftfy": 0, "invented": 0, "half": 0}
        )
        for field in tot:
            tot[field] += getattr(r, field)
    for key, tot in totals.items():
        print(f"TOTAL {key}: {pct(tot['exact'], tot['n']):.1f}% exact of {tot['n']}")
    for key, tot in totals.items():
        print(f"TOTAL {key} kept: {pct(tot['kept'], tot['n']):.1f}% of {tot['n']}")
    for key, tot in totals.items():
        print(f"TOTAL {key} wrong: {pct(tot['invented'], tot['n']):.1f}% of {tot['n']}")
    for key, tot in totals.items():
        print(f"TOTAL {key} half-repaired: {tot['half']} of {tot['n']}")
    return totals


def check_clean(texts: dict[str, list[str]], langs: Sequence[str]) -> dict[str, Any]:
    names = [*langs, "mixed"] if tuple(langs) == LANGS else list(langs)
    changed = 0
    total = 0
    t = time.perf_counter()
    for name in names:
        for line in texts[name]:
            total += 1
            out = cjkfix.repair(line)
            if out != line:
                changed += 1
                if changed <= 20:
                    print(f"CLEAN LINE CHANGED ({name}): {line!r} -> {out!r}")
    clean_time = max(time.perf_counter() - t, 1e-9)
    print(
        f"clean lines changed: {changed} of {total} "
        f"({clean_time:.2f}s, {total / clean_time:.0f} lines/s)"
    )
    return {"lines": total, "changed": changed, "seconds": clean_time}


def timed(fn: Callable[[str], str], texts: Sequence[str]) -> float:
    t = time.perf_counter()
    for text in texts:
        fn(text)
    return max(time.perf_counter() - t, 1e-9)


def sentence_throughput(sample: list[str]) -> dict[str, float]:
    """Broken sentences one call each: the measure of earlier runs."""
    size = sum(len(s.encode()) for s in sample)
    ours = timed(cjkfix.repair, sample)
    theirs = timed(ftfy.fix_text, sample)
    print(
        f"broken-text throughput, per sentence ({len(sample)} sentences): "
        f"cjkfix {size / ours / 1e3:.0f} kB/s, ftfy.fix_text "
        f"{size / theirs / 1e3:.0f} kB/s, ratio {theirs / ours:.2f}x"
    )
    return {
        "sentences": len(sample),
        "bytes": size,
        "cjkfix_kBps": size / ours / 1e3,
        "ftfy_kBps": size / theirs / 1e3,
        "ratio": theirs / ours,
    }


def document_throughput(inputs: dict[str, list[str]]) -> dict[str, Any]:
    """One document per chain (its broken inputs joined with newlines), one call each."""
    print('broken-text throughput, one document per chain (lines joined with "\\n"):')
    print(f"{'chain':28} {'MB':>8} {'cjkfix kB/s':>12} {'ftfy kB/s':>10} {'ratio':>7}")
    out: list[dict[str, Any]] = []
    size_all = 0
    ours_all = theirs_all = 0.0
    for chain, lines in inputs.items():
        doc = "\n".join(lines)
        size = len(doc.encode())
        ours = timed(cjkfix.repair, [doc])
        theirs = timed(ftfy.fix_text, [doc])
        size_all += size
        ours_all += ours
        theirs_all += theirs
        print(
            f"{chain:28} {size / 1e6:8.4f} {size / ours / 1e3:12.0f} "
            f"{size / theirs / 1e3:10.0f} {theirs / ours:6.2f}x"
        )
        out.append(
            {
                "chain": chain,
                "bytes": size,
                "cjkfix_kBps": size / ours / 1e3,
                "ftfy_kBps": size / theirs / 1e3,
                "ratio": theirs / ours,
            }
        )
    ours_all = max(ours_all, 1e-9)
    theirs_all = max(theirs_all, 1e-9)
    print(
        f"{'ALL':28} {size_all / 1e6:8.4f} {size_all / ours_all / 1e3:12.0f} "
        f"{size_all / theirs_all / 1e3:10.0f} {theirs_all / ours_all:6.2f}x"
    )
    print("(ratio: ftfy's time over cjkfix's; above 1 cjkfix is faster)")
    overall = {
        "bytes": size_all,
        "cjkfix_kBps": size_all / ours_all / 1e3,
        "ftfy_kBps": size_all / theirs_all / 1e3,
        "ratio": theirs_all / ours_all,
    }
    return {"chains": out, "overall": overall}


def linearity(sample: list[str]) -> dict[str, float]:
    base = "\n".join(sample[:200])
    times = []
    for k in (1, 4, 16):
        text = "\n".join([base] * k)
        best = float("inf")
        for _ in range(3 if k < 16 else 1):
            t = time.perf_counter()
            cjkfix.repair(text)
            best = min(best, time.perf_counter() - t)
        times.append(max(best, 1e-9))
    print(
        f"linearity: 1x {times[0]:.3f}s, 4x {times[1]:.3f}s ({times[1] / times[0]:.1f}x), "
        f"16x {times[2]:.3f}s ({times[2] / times[0]:.1f}x)"
    )
    return {"1x": times[0], "4x": times[1], "16x": times[2]}


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    texts = load(args.corpus)
    pools = {
        lang: [t for t in texts[lang] if cjk_count(t) >= 6 and len(t) <= 120] for lang in LANGS
    }
    cases: list[Case] = []
    rows, failures, inputs = run_cells(args, pools, cases)
    totals = print_rows(rows, args.no_ftfy)
    report: dict[str, Any] = {
        "settings": {
            "corpus": args.corpus,
            "per_cell": args.per_cell,
            "seed": args.seed,
            "chains": list(args.chains),
            "decoders": list(args.decoders),
            "langs": list(args.langs),
            "ftfy": not args.no_ftfy,
        },
        "rows": [asdict(r) for r in rows],
        "totals": totals,
    }
    if args.no_ftfy:
        for counts in [*report["rows"], *totals.values()]:
            counts["ftfy"] = None
    if args.documents:
        report["documents"] = documents(cases, args.seed)
    report["clean"] = check_clean(texts, args.langs)
    sample = [case for lines in inputs.values() for case in lines][:2000]
    if sample:
        report["throughput"] = {
            "per_sentence": sentence_throughput(sample),
            "per_document": document_throughput(inputs),
        }
        report["linearity"] = linearity(sample)
    else:
        print("no broken inputs: throughput not measured")
    for f in failures[: args.show_failures]:
        print(f"FAIL {f.label}\n  in:  {f.case!r}\n  out: {f.out!r}\n  exp: {f.expected!r}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        print(f"numbers written to {args.json}")


if __name__ == "__main__":
    main()
