"""Throughput of cjkfix.repair against ftfy.fix_text on clean CJK text and on the seed,
and on broken text.

    python benchmarks/throughput.py [--corpus DIR] [--mb 1.0] [--repeat 3]
    python benchmarks/throughput.py --broken [--corpus DIR] [--kb 80] [--chains A,B]

Prints MB/s (UTF-8 bytes of input per CPU second: ``time.process_time``, so that other
work on a shared machine does not count) and the ratio cjkfix / ftfy for ftfy's default
configuration and for ftfy with its width and quote fixes off; then the start-up costs
(``import cjkfix``, the model's first load), each in a fresh interpreter.

``--broken`` measures broken text instead: per mojibake chain (:data:`BROKEN_CHAINS`), a
document of about ``--kb`` kilobytes of lines of the chain's language(s), each corrupted
losslessly (``simulate.corrupt(line, chain, "strict")``; lines it cannot corrupt
losslessly are skipped), repaired whole (one call) and line by line (one call per line,
as a pandas column would), against ftfy the same two ways; and the share of lines that
come back exactly as they were (``exact``), so that a speed-up that costs accuracy shows.
The corpus lines are taken in a fixed shuffled order without repeating one (the built-in
sample is small and repeats, which the engine's caches flatter). cjkfix runs once per
row and way, each in a fresh interpreter after a warm-up on other lines: a second run
would find the lines in its caches.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable

import ftfy

import cjkfix
from cjkfix import simulate

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
            start = time.process_time()
            func(text)
            best[k] = min(best[k], time.process_time() - start)
    return [nbytes / b / 1e6 for b in best]


def ftfy_default(text: str) -> str:
    return ftfy.fix_text(text)


def ftfy_no_width_quotes(text: str) -> str:
    return ftfy.fix_text(text, fix_character_width=False, uncurl_quotes=False)


def by_lines(func: Callable[[str], str]) -> Callable[[str], str]:
    # Pipelines call a cleaner once per record; measure both that way.
    return lambda text: "\n".join(func(line) for line in text.split("\n"))


#: The main chain families the broken-text rows measure, one row each: ``chain`` with a
#: lossless decoder, ``chain:behaviour`` with another (:data:`cjkfix.simulate.DECODERS`),
#: for the chains no line survives losslessly (UTF-8 read as Big5 or EUC-KR: their
#: decoders refuse most UTF-8 byte pairs, so such text is always lossy).
BROKEN_CHAINS = (
    "utf-8>gbk",
    "utf-8>shift_jis",
    "utf-8>cp1252",
    "utf-8>big5:replace",
    "utf-8>euc-kr:replace",
    "gbk>latin-1",
    "shift_jis>cp1252",
    "euc-kr>latin-1",
    "big5>latin-1",
    "gbk>big5",
    "utf-8>gbk>utf-8>gbk",
)
LANGS = ("zh-Hans", "zh-Hant", "ja", "ko")
SENTENCES = os.path.join(ROOT, "tests", "cases", "sentences.json")


def corpus_lines(corpus: str | None) -> dict[str, list[str]]:
    """Lines by language: ``DIR/<lang>.dev.txt`` or the built-in test sentences."""
    if corpus is None:
        with open(SENTENCES, encoding="utf-8") as f:
            data: dict[str, list[str]] = json.load(f)
        return {lang: data[lang] for lang in LANGS}
    out = {}
    for lang in LANGS:
        with open(os.path.join(corpus, f"{lang}.dev.txt"), encoding="utf-8") as f:
            out[lang] = [line.rstrip("\n") for line in f if line.strip()]
    return out


def broken_doc(
    row: str, lines: dict[str, list[str]], kilobytes: float, *, backwards: bool = False
) -> tuple[str, str]:
    """(broken document, its original) of about ``kilobytes`` of broken UTF-8: lines of
    the chain's language(s) in a fixed shuffled order (``backwards``: from the other end,
    for a warm-up that shares no line with the document), each corrupted losslessly (or
    by the row's decoder behaviour)."""
    chain, _, behaviour = row.partition(":")
    langs = simulate.LANG_OF.get(simulate.CHAINS[chain][0][0], LANGS)
    pool = [line for lang in langs for line in lines[lang]]
    random.Random(f"{chain}:{len(pool)}").shuffle(pool)
    if backwards:
        pool.reverse()
    target = int(kilobytes * 1000)
    broken: list[str] = []
    original: list[str] = []
    cuts = [_CLAUSE.split, lambda line: [line[i : i + 4] for i in range(0, len(line), 4)]]
    size = 0
    while size < target:
        before = size
        for line in pool:
            bad = simulate.corrupt(line, chain, behaviour or "strict")
            if bad is None or bad == line:
                continue
            broken.append(bad)
            original.append(line)
            size += len(bad.encode("utf-8")) + 1
            if size >= target:
                break
        if size == before:
            # (no line of the pool corrupts so: its clauses, then pieces of four
            # characters, where one line in a few hundred does, as with UTF-8 read as
            # GBK or Shift_JIS and the built-in sample's few long sentences)
            if not cuts:
                break
            cut = cuts.pop(0)
            pool = [p for line in pool for p in cut(line) if p.strip()]
    return "\n".join(broken), "\n".join(original)


#: Where a line is cut into clauses (after the mark).
_CLAUSE = re.compile(r"(?<=[，。、；：！？,.;:!?])")


def exact(out: str, original: str) -> float:
    """Percentage of the lines of ``original`` that ``out`` gives back exactly."""
    want = original.split("\n")
    got = out.split("\n")
    return 100 * sum(a == b for a, b in zip(got, want, strict=False)) / len(want)


def broken_one(args: argparse.Namespace) -> None:
    """One measurement of cjkfix on one row, in this fresh interpreter: after a warm-up
    on other lines of the row (the model's tables load, lazy regexes compile), one run,
    no best-of (a second run of the same text would find its lines in the engine's
    caches)."""
    lines = corpus_lines(args.corpus)
    doc, original = broken_doc(args.broken_one, lines, args.kb)
    # (as long as the document: what the engine loads or compiles on first use, some of
    # it on paths that few lines take, is loaded before; start-up is measured apart)
    warm, _ = broken_doc(args.broken_one, lines, args.kb, backwards=True)
    func = by_lines(cjkfix.repair) if args.per_line else cjkfix.repair
    func(warm)
    start = time.process_time()
    out = func(doc)
    took = time.process_time() - start
    print(json.dumps([len(doc.encode("utf-8")) / took / 1e6, exact(out, original)]))


def broken_main(args: argparse.Namespace) -> None:
    lines = corpus_lines(args.corpus)
    rows = args.chains.split(",") if args.chains else BROKEN_CHAINS
    print(
        f"{'broken text':22} {'kB':>4} {'lines':>5} | {'whole':>6} {'ftfy':>6} {'ratio':>6} "
        f"{'exact':>6} | {'line':>6} {'ftfy':>6} {'ratio':>6} {'exact':>6}"
    )
    for row in rows:
        doc, _original = broken_doc(row, lines, args.kb)
        if not doc:
            print(f"{row:22} (no line corrupts so)")
            continue
        peer, peer_l = rates([ftfy_default, by_lines(ftfy_default)], doc, args.repeat)
        (ours, whole_exact), (ours_l, line_exact) = (
            _one(row, args, per_line) for per_line in (False, True)
        )
        print(
            f"{row:22} {len(doc.encode('utf-8')) / 1000:4.0f} {doc.count(chr(10)) + 1:5} | "
            f"{ours:6.2f} {peer:6.2f} {ours / peer:5.2f}x {whole_exact:5.1f}% | "
            f"{ours_l:6.2f} {peer_l:6.2f} {ours_l / peer_l:5.2f}x {line_exact:5.1f}%"
        )
    print(
        "broken text: lossless, or with the decoder a row names (:replace); MB/s of broken "
        "UTF-8 per CPU second;\nwhole: one call per document, line: one call per line "
        "(cjkfix: one run in a fresh interpreter, after a warm-up);\nftfy: ftfy.fix_text; "
        "exact: lines repaired exactly"
    )


def _one(row: str, args: argparse.Namespace, per_line: bool) -> tuple[float, float]:
    cmd = [sys.executable, os.path.abspath(__file__), "--broken-one", row, "--kb", str(args.kb)]
    cmd += ["--corpus", args.corpus] if args.corpus else []
    cmd += ["--per-line"] if per_line else []
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    rate, share = json.loads(out.stdout)
    return rate, share


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="folder of UTF-8 .txt files (default: built-in sample)")
    ap.add_argument("--mb", type=float, default=1.0, help="megabytes of clean text (default 1)")
    ap.add_argument("--repeat", type=int, help="best of N runs (default 5, 1 with --broken)")
    ap.add_argument("--broken", action="store_true", help="broken text instead (see above)")
    ap.add_argument("--kb", type=float, default=80, help="kilobytes per broken row (default 80)")
    ap.add_argument("--chains", help="comma-separated rows for --broken (default: the main)")
    ap.add_argument("--broken-one", help=argparse.SUPPRESS)  # (one row: see broken_one)
    ap.add_argument("--per-line", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.broken_one:
        broken_one(args)
        return
    if args.repeat is None:
        args.repeat = 1 if args.broken else 5
    if args.broken:
        broken_main(args)
        return

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
