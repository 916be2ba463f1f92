"""Benchmark cjkfix.convert against opencc-python-reimplemented and official OpenCC.

    python benchmarks/convert.py                               # built-in sample
    python benchmarks/convert.py --corpus /work/shared/corpus \\
        --configs s2t,t2s,s2tw,tw2s \\
        --official-python /work/venv-opencc-official/bin/python

Configurations from Simplified (``s2*``) run on ``zh-Hans*.txt`` of the corpus folder,
the others on ``zh-Hant*.txt``. Each peer runs in a subprocess with its own Python (the
three packages all install a module named ``opencc``); opencc-python-reimplemented
uses this interpreter when it is the ``opencc`` importable here, else
``--reimplemented-python``. Agreement is the share of output characters identical to
official OpenCC's (line by line); every line where cjkfix differs is listed, and the
reimplementation's differences are summarised by cause.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import subprocess
import sys
import time
from pathlib import Path

SAMPLE_HANS = """\
我们的头发很干燥，后来去了公里外的皇后镇。
这个软件的内存管理有问题，需要重新设计鼠标驱动程序。
干部们在里面干杯，庆祝经济发展取得了新的成绩。
台湾和香港的朋友都说，这家面馆的面条非常好吃。
请在设置里打开网络连接，然后重新启动计算机。
他并不知道这些数据是从哪里来的，只好先把文件保存下来。
"""

SAMPLE_HANT = """\
我們的頭髮很乾燥，後來去了公里外的皇后鎮。
這個軟體的記憶體管理有問題，需要重新設計滑鼠驅動程式。
幹部們在裡面乾杯，慶祝經濟發展取得了新的成績。
臺灣和香港的朋友都說，這家麵館的麵條非常好吃。
請在設定裡開啟網路連線，然後重新啟動電腦。
他並不知道這些資料是從哪裡來的，只好先把檔案儲存下來。
"""

# Runs in a peer's interpreter: {"configs": [...], "texts": {config: text},
# "repeat": n} on stdin -> {config: {"seconds": best, "output": text}} on stdout.
PEER = r"""
import json, sys, time
from opencc import OpenCC
job = json.load(sys.stdin)
out = {}
for config in job["configs"]:
    text = job["texts"][config]
    converter = OpenCC(config)
    converter.convert(text[:100])
    best = float("inf")
    for _ in range(job["repeat"]):
        start = time.perf_counter()
        result = converter.convert(text)
        best = min(best, time.perf_counter() - start)
    out[config] = {"seconds": best, "output": result}
json.dump(out, sys.stdout, ensure_ascii=False)
"""

COLD_START = r"""
import time
start = time.perf_counter()
import cjkfix
imported = time.perf_counter()
from cjkfix.script import convert
convert("发展", "s2t")
print(f"{imported - start:.3f} {time.perf_counter() - imported:.3f}")
"""


def load_texts(corpus: Path | None, configs: list[str]) -> dict[str, str]:
    if corpus is None:
        hans, hant = SAMPLE_HANS * 400, SAMPLE_HANT * 400
    else:
        hans = "".join(p.read_text("utf-8") for p in sorted(corpus.glob("zh-Hans*.txt")))
        hant = "".join(p.read_text("utf-8") for p in sorted(corpus.glob("zh-Hant*.txt")))
        if not hans or not hant:
            raise SystemExit(f"{corpus}: need zh-Hans*.txt and zh-Hant*.txt")
    return {c: hans if c.startswith("s") else hant for c in configs}


def run_peer(python: str, configs: list[str], texts: dict[str, str], repeat: int) -> dict:
    job = json.dumps({"configs": configs, "texts": texts, "repeat": repeat}, ensure_ascii=False)
    done = subprocess.run(
        [python, "-c", PEER], input=job, capture_output=True, text=True, check=True
    )
    result: dict = json.loads(done.stdout)
    return result


def reimplemented_here() -> bool:
    """Is the ``opencc`` importable here opencc-python-reimplemented?"""
    import importlib.util

    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:
        return False
    return (Path(spec.origin).parent / "dictionary" / "STCharacters.txt").is_file()


def run_cjkfix(configs: list[str], texts: dict[str, str], repeat: int) -> dict:
    from cjkfix.script import convert

    out = {}
    for config in configs:
        text = texts[config]
        convert(text[:100], config)
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            result = convert(text, config)
            best = min(best, time.perf_counter() - start)
        out[config] = {"seconds": best, "output": result}
    return out


def _keep_best(best: dict, new: dict) -> dict:
    for config, result in new.items():
        if config not in best or result["seconds"] < best[config]["seconds"]:
            best[config] = result
    return best


def agreement(ours: str, reference: str) -> tuple[int, int, list[tuple[int, str, str]]]:
    """(identical characters, reference characters, differing lines)."""
    same = total = 0
    differing: list[tuple[int, str, str]] = []
    for n, (a, b) in enumerate(zip(ours.split("\n"), reference.split("\n"), strict=True)):
        total += len(b)
        if a == b:
            same += len(b)
            continue
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        same += sum(block.size for block in matcher.get_matching_blocks())
        differing.append((n, a, b))
    return same, total, differing


def segments(source: str, a: str, b: str) -> list[tuple[str, str, str]]:
    """(source segment, a's output, b's output) for each differing span."""
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            # outputs are aligned with the source character for character (same length)
            src = source[i1:i2] if len(source) == len(a) else "?"
            out.append((src, a[i1:i2], b[j1:j2]))
    return out


def reimplemented_cause(src: str, official: str, config: str) -> str:
    """Why opencc-python-reimplemented's segment differs from official OpenCC's."""
    from cjkfix.script import convert

    if src == "?":
        return "segment lengths differ (older dictionaries)"
    if convert(src, config) == official:
        # The segment alone converts as official OpenCC does: a character (or phrase)
        # entry of the older snapshot differs.
        return "older dictionary snapshot: a character or phrase entry differs"
    return "older dictionary snapshot: lacks a phrase official OpenCC matches here"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="folder with zh-Hans*.txt and zh-Hant*.txt")
    parser.add_argument("--configs", default="s2t,t2s,s2tw,tw2s")
    parser.add_argument("--official-python", help="a Python with PyPI opencc (official)")
    parser.add_argument("--reimplemented-python", help="a Python with opencc-python-reimplemented")
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs (cjkfix, official)")
    parser.add_argument("--reimplemented-repeat", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    args = parser.parse_args()
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    texts = load_texts(args.corpus, configs)
    size = {c: len(texts[c].encode("utf-8")) / 1e6 for c in configs}

    cold = subprocess.run(
        [sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True
    ).stdout.split()
    print(f"cjkfix cold start: import cjkfix {cold[0]} s, first s2t conversion {cold[1]} s")
    print(f"corpus: {args.corpus or 'built-in sample'}; MB = UTF-8 megabytes of input\n")

    # Rounds interleave the implementations, so a busy machine slows them alike; each
    # keeps its best time over all rounds.
    reimpl_python = args.reimplemented_python or (sys.executable if reimplemented_here() else None)
    notes = []
    if not reimpl_python:
        notes.append("opencc-python-reimplemented: not importable here, column skipped")
    if not args.official_python:
        notes.append("official OpenCC: no --official-python given, column skipped")
    ours: dict = {}
    peers: dict[str, dict | None] = {"reimpl": None, "official": None}
    for _ in range(args.rounds):
        _keep_best(ours, run_cjkfix(configs, texts, args.repeat))
        if reimpl_python:
            result = run_peer(reimpl_python, configs, texts, args.reimplemented_repeat)
            peers["reimpl"] = _keep_best(peers["reimpl"] or {}, result)
        if args.official_python:
            result = run_peer(args.official_python, configs, texts, args.repeat)
            peers["official"] = _keep_best(peers["official"] or {}, result)

    header = (
        f"{'config':<7} {'MB':>5} {'cjkfix MB/s':>11} {'reimpl MB/s':>11} {'official MB/s':>13} "
        f"{'x reimpl':>8} {'x official':>10} {'cjkfix agree':>12} {'reimpl agree':>12}"
    )
    print(header)
    print("-" * len(header))
    details = []
    for config in configs:
        speed = {"cjkfix": size[config] / ours[config]["seconds"]}
        for name, result in peers.items():
            if result is not None:
                speed[name] = size[config] / result[config]["seconds"]
        official = peers["official"]
        agree_ours = agree_reimpl = "n/a"
        if official is not None:
            ref = official[config]["output"]
            same, total, diff = agreement(ours[config]["output"], ref)
            agree_ours = f"{100 * same / total:.4f}%"
            details.append((config, "cjkfix", diff))
            if peers["reimpl"] is not None:
                same, total, rdiff = agreement(peers["reimpl"][config]["output"], ref)
                agree_reimpl = f"{100 * same / total:.4f}%"
                details.append((config, "reimpl", rdiff))

        fmt = {k: f"{v:.2f}" for k, v in speed.items()}
        ratio = {k: f"{speed['cjkfix'] / v:.1f}" for k, v in speed.items()}
        print(
            f"{config:<7} {size[config]:>5.2f} {fmt['cjkfix']:>11} {fmt.get('reimpl', '-'):>11} "
            f"{fmt.get('official', '-'):>13} {ratio.get('reimpl', '-'):>8} "
            f"{ratio.get('official', '-'):>10} {agree_ours:>12} {agree_reimpl:>12}"
        )
    for note in notes:
        print(f"note: {note}")

    for config, who, diff in details:
        source_lines = texts[config].split("\n")
        if who == "cjkfix":
            print(f"\n{config}: cjkfix differs from official OpenCC on {len(diff)} line(s)")
            for n, a, b in diff:
                for src, x, y in segments(source_lines[n], a, b):
                    print(f"  line {n + 1}: {src!r}: cjkfix {x!r}, official {y!r}")
            continue
        causes: collections.Counter[str] = collections.Counter()
        examples: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for n, a, b in diff:
            for src, x, y in segments(source_lines[n], a, b):
                cause = reimplemented_cause(src, y, config)
                causes[cause] += 1
                examples[cause][f"{src}: {x} vs {y}"] += 1
        print(
            f"\n{config}: opencc-python-reimplemented differs from official on "
            f"{len(diff)} line(s), {sum(causes.values())} segment(s)"
        )
        for cause, count in causes.most_common():
            top = ", ".join(f"{k} (x{v})" for k, v in examples[cause].most_common(6))
            print(f"  {count:>5}  {cause}; e.g. {top}")


if __name__ == "__main__":
    main()
