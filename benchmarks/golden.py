"""Golden outputs: every output of ``cjkfix.repair`` and ``cjkfix.detect`` on a fixed,
deterministic set of inputs, for refactors that must not change behaviour.

    python benchmarks/golden.py --out /tmp/golden.txt

Input sets (each hashed on its own, then all together):

* ``realworld``: every ``broken`` of ``../shared/realworld/*.jsonl`` (when present);
* ``ftfy``: every ``original`` of ftfy's test cases (``../shared/peer/ftfy-test-cases``);
* ``cases``: every string in ``tests/cases/*.json`` (inputs, expectations, negatives);
* ``simulated``: sentences of ``tests/cases/sentences.json`` and lines of
  ``../shared/corpus/*.dev.txt`` (sampled with a fixed seed) through every chain x
  decoder behaviour of :mod:`cjkfix.simulate`, whole and as a span inside clean text;
* ``clean``: clean corpus lines (and the sentences), which must come back unchanged.

It prints one sha256 per set and an overall one. ``benchmarks/golden.sha256`` holds the
digests of the code as it is: **a refactor must keep these** (rerun, compare with
``--check``). A change of behaviour updates the file in the same commit, on purpose.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cjkfix
from cjkfix import simulate

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
SEED = 20261204
#: Per chain x behaviour: sentences and corpus lines tried (whole and as a span).
PER_COMBO_SENTENCES = 16
PER_COMBO_CORPUS = 16
CLEAN_LINES = 500
MAX_LEN = 4000
#: Clean text around a corrupted span.
PREFIX = {
    "zh-Hans": "说明：",
    "zh-Hant": "說明：",
    "ja": "説明：",
    "ko": "설명: ",
    "mixed": "Note: ",
}
SUFFIX = " (ok)"


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key in sorted(node):
            if not str(key).startswith("_"):
                yield from _strings(node[key])
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _unique(items: Iterator[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for s in items:
        if s and s not in seen and len(s) <= MAX_LEN:
            seen.add(s)
            out.append(s)
    return out


def _realworld() -> list[str]:
    out: list[str] = []
    for path in sorted((SHARED / "realworld").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["broken"])
    return _unique(iter(out))


def _ftfy() -> list[str]:
    out: list[str] = []
    for path in sorted((SHARED / "peer" / "ftfy-test-cases").glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            out.append(case["original"])
    return _unique(iter(out))


def _cases() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "tests" / "cases").glob("*.json")):
        out.extend(_strings(json.loads(path.read_text(encoding="utf-8"))))
    return _unique(iter(out))


def _sentences() -> dict[str, list[str]]:
    data = json.loads((ROOT / "tests" / "cases" / "sentences.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, list)}


def _corpus() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted((SHARED / "corpus").glob("*.dev.txt")):
        lang = path.name.removesuffix(".dev.txt")
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        out[lang] = [ln for ln in lines if len(ln) <= 200]
    return out


def _simulated() -> list[str]:
    sentences = _sentences()
    corpus = _corpus()
    out: list[str] = []
    for chain, steps in simulate.CHAINS.items():
        original = steps[0][0]
        langs = simulate.LANG_OF.get(original, ("zh-Hans", "zh-Hant", "ja", "ko"))
        for behaviour in simulate.DECODERS:
            # (each chain and behaviour its own draw: a row or decoder added leaves the
            # others' inputs as they were)
            rng = random.Random(f"{SEED}:{chain}:{behaviour}")
            pool = [s for lang in langs for s in sentences.get(lang, [])]
            picks = rng.sample(pool, min(PER_COMBO_SENTENCES, len(pool)))
            cpool = [s for lang in langs for s in corpus.get(lang, [])]
            if cpool:
                picks += rng.sample(cpool, min(PER_COMBO_CORPUS, len(cpool)))
            for k, text in enumerate(picks):
                broken = simulate.corrupt(text, chain, behaviour)
                if broken is None:
                    continue
                out.append(broken)
                lang = langs[k % len(langs)]
                out.append(PREFIX.get(lang, "") + broken + SUFFIX)
    return _unique(iter(out))


def _clean() -> list[str]:
    rng = random.Random(SEED)
    out = [s for v in _sentences().values() for s in v]
    for _lang, lines in sorted(_corpus().items()):
        out += rng.sample(lines, min(CLEAN_LINES // 5, len(lines)))
    return _unique(iter(out))


def input_sets() -> dict[str, list[str]]:
    return {
        "realworld": _realworld(),
        "ftfy": _ftfy(),
        "cases": _cases(),
        "simulated": _simulated(),
        "clean": _clean(),
    }


def _finding(f: cjkfix.Finding) -> list[object]:
    return [f.family, f.start, f.end, f.text, f.confidence, f.message, f.suggestion]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="file for every output")
    parser.add_argument("--check", help="a digest file to compare with (golden.sha256)")
    parser.add_argument(
        "--write", help="write the digests to this file (a deliberate change of behaviour)"
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    overall = hashlib.sha256()
    digests: dict[str, str] = {}
    counts: dict[str, int] = {}
    with open(args.out, "w", encoding="utf-8") as out:
        for name, inputs in input_sets().items():
            h = hashlib.sha256()
            for i, text in enumerate(inputs):
                row = json.dumps(
                    {
                        "set": name,
                        "i": i,
                        "in": text,
                        "repair": cjkfix.repair(text),
                        "detect": [_finding(f) for f in cjkfix.detect(text)],
                    },
                    ensure_ascii=False,
                )
                out.write(row + "\n")
                h.update(row.encode("utf-8") + b"\n")
                overall.update(row.encode("utf-8") + b"\n")
            digests[name] = h.hexdigest()
            counts[name] = len(inputs)
    digests["overall"] = overall.hexdigest()
    lines = [f"{digest}  {name}" for name, digest in digests.items()]
    for line in lines:
        name = line.split()[-1]
        print(f"{line}  ({counts[name]} inputs)" if name in counts else line)
    print(f"{sum(counts.values())} inputs in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.write:
        header = (
            "# benchmarks/golden.py digests (sha256 per input set, then overall): "
            "a refactor must keep these.\n"
        )
        Path(args.write).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    if args.check:
        expected = Path(args.check).read_text(encoding="utf-8").split("\n")
        expected = [ln for ln in expected if ln and not ln.startswith("#")]
        if expected != lines:
            print("golden digests differ from " + args.check, file=sys.stderr)
            return 1
        print("golden digests match", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
