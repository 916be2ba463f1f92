"""Seconds per megabyte of cjkfix.repair on dense U+FFFD junk (issue 9: at most 5 s/MB,
linear in the size).

    python benchmarks/junk.py [--mb 0.25] [--corpus DIR] [--kinds mix,repeat]

Inputs (each about ``--mb`` megabytes of UTF-8):

* ``mix``: a random mix of U+FFFD (40%), common Han characters (40%), ASCII letters and
  spaces, in lines of about 30 characters;
* ``mix-line``: the same as one line (spaces for line ends);
* ``repeat``: ``"中文\\ufffd字" * N``, one line;
* ``legacy``: sentences in GBK, Big5, Shift_JIS and EUC-KR read as UTF-8 with
  ``errors="replace"`` (:mod:`cjkfix.simulate`), one per line; from ``--corpus``
  (``{zh-Hans,zh-Hant,ja,ko}.dev.txt``) when given, else the built-in sentences (few, so
  repeated: the caches of repeated runs make it faster than real text). Damage, not
  junk: each line is read as it is alone, through its own codec;
* ``legacy-line``: the same joined with spaces, one line (cut into units of
  :data:`cjkfix.pipeline.MAX_UNIT` characters);
* ``legacy-long``: the same in lines of about 3,000 characters;
* ``eaten-line``: ``"起勁E" * N``, one line (UTF-8 through Shift_JIS and back with an
  eating decoder: :mod:`cjkfix.mojibake.eaten`);
* ``double-fffd``: ``"ï¿½ï¿½ abc " * N``, one line (U+FFFD's UTF-8 read as cp1252);
* ``fffd-views``: ``"½" + "ï¿½" * N``, one line, nothing else (the ``½`` a stray byte);
* ``cp1252-line``: ``"ä¸­æ–‡" * N``, one line (UTF-8 read as cp1252, nothing else);
* ``fffd-han``: ``"\ufffd好" * N``, one line;
* ``sjis-line``, ``gbk-line``: the sentences in UTF-8 read as Shift_JIS (GBK) with
  ``errors="replace"``, joined with nothing, one line.

Times are process CPU seconds (steadier than wall time on a shared machine), after a
small warm-up on other text that loads what every kind needs once (the models, the
gates' patterns, the codecs' tables).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable

import cjkfix
from cjkfix.simulate import corrupt

HERE = os.path.dirname(os.path.abspath(__file__))
BUILTIN = os.path.join(HERE, "..", "tests", "cases", "sentences.json")
_HAN = "中文字的是不了人我在有他这为之大来以个上们"
_LEGACY = (("zh-Hans", "gbk"), ("zh-Hant", "big5"), ("ja", "shift_jis"), ("ko", "euc-kr"))


def mix(chars: int, line_end: str, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(chars):
        r = rng.random()
        if r < 0.4:
            out.append("\ufffd")
        elif r < 0.8:
            out.append(rng.choice(_HAN))
        elif r < 0.97:
            out.append(rng.choice("abcdefghij klmn"))
        else:
            out.append(line_end)
    return "".join(out)


def _pools(corpus: str | None) -> dict[str, list[str]]:
    """The sentences of each language: the corpus's first 3,000, else the built-in ones."""
    if not corpus:
        with open(BUILTIN, encoding="utf-8") as f:
            pools: dict[str, list[str]] = json.load(f)
        return pools
    pools = {}
    for lang, _enc in _LEGACY:
        with open(os.path.join(corpus, f"{lang}.dev.txt"), encoding="utf-8") as f:
            pools[lang] = [ln.strip() for ln in f if ln.strip()][:3000]
    return pools


def _filled(lines: list[str], chars: int, sep: str) -> str:
    """``lines`` in a fixed order that mixes the languages, joined by ``sep``, until
    about ``chars`` characters."""
    out: list[str] = []
    total = k = 0
    while total < chars:
        line = lines[(k * 7919) % len(lines)]
        out.append(line)
        total += len(line) + len(sep)
        k += 1
    return sep.join(out)


def _broken(corpus: str | None, chain_of: Callable[[str], str]) -> list[str]:
    """The sentences of every language through ``chain_of(its legacy encoding)``, read
    with ``errors="replace"``."""
    pools = _pools(corpus)
    return [
        broken
        for lang, enc in _LEGACY
        for s in pools[lang]
        if (broken := corrupt(s, chain_of(enc), "replace"))
    ]


def legacy(chars: int, sep: str, corpus: str | None) -> str:
    return _filled(_broken(corpus, lambda enc: f"{enc}>utf-8"), chars, sep)


def mojibake(chars: int, chain: str, corpus: str | None, sep: str = "") -> str:
    """The sentences (all languages) through ``chain``, joined with ``sep``."""
    return _filled(_broken(corpus, lambda _enc: chain), chars, sep)


def long_lines(text: str, width: int = 3000) -> str:
    """``text`` (one line) with its spaces after every ``width`` characters made line ends."""
    out: list[str] = []
    start = 0
    while start < len(text):
        cut = text.find(" ", start + width)
        cut = len(text) if cut < 0 else cut
        out.append(text[start:cut])
        start = cut + 1
    return "\n".join(out)


def inputs(megabytes: float, corpus: str | None) -> dict[str, Callable[[], str]]:
    chars = int(megabytes * 1_000_000 / 2.6)  # (about 2.6 bytes a character)
    return {
        "mix": lambda: mix(chars, "\n"),
        "mix-line": lambda: mix(chars, " "),
        "repeat": lambda: "中文\ufffd字" * (int(megabytes * 1_000_000) // 12),
        "legacy": lambda: legacy(chars, "\n", corpus),
        "legacy-line": lambda: legacy(chars, " ", corpus),
        "legacy-long": lambda: long_lines(legacy(chars, " ", corpus)),
        "eaten-line": lambda: "起勁E" * (int(megabytes * 1_000_000) // 7),
        "double-fffd": lambda: "ï¿½ï¿½ abc " * (int(megabytes * 1_000_000) // 17),
        "fffd-views": lambda: "½" + "ï¿½" * (int(megabytes * 1_000_000) // 6),
        "cp1252-line": lambda: "ä¸­æ–‡" * (int(megabytes * 1_000_000) // 12),
        "fffd-han": lambda: "\ufffd好" * (int(megabytes * 1_000_000) // 6),
        "sjis-line": lambda: mojibake(chars, "utf-8>shift_jis", corpus),
        "gbk-line": lambda: mojibake(chars, "utf-8>gbk", corpus),
        "big5-lines": lambda: mojibake(chars, "utf-8>big5", corpus, "\n"),
        "euckr-lines": lambda: mojibake(chars, "utf-8>euc-kr", corpus, "\n"),
    }


#: Sentences of the warm-up, none in the inputs (a reading the warm-up leaves in a
#: cache is no help to them).
_WARM = {
    "zh-Hans": "预热用的句子，不在输入里。",
    "zh-Hant": "預熱用的句子，不在輸入裡。",
    "ja": "準備運動の文です。",
    "ko": "준비 운동 문장입니다.",
}


def warm_up() -> None:
    """Load what every kind needs once (the models, the gates' patterns, the codecs'
    tables), on other text than the inputs: else the first kind measured pays it."""
    texts = [mix(300, "\n", seed=7), "中文\ufffd字", "起勁E ï¿½ï¿½ x \ufffd好"]
    for lang, enc in _LEGACY:
        for chain in (f"{enc}>utf-8", "utf-8>shift_jis", "utf-8>gbk"):
            texts.append(corrupt(_WARM[lang], chain, "replace") or "")
    for text in texts:
        cjkfix.repair(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=0.25, help="megabytes per input (default 0.25)")
    ap.add_argument("--corpus", default=None, help="folder of {lang}.dev.txt for legacy")
    ap.add_argument("--kinds", default=None, help="comma-separated kinds (default: all)")
    args = ap.parse_args()
    makers = inputs(args.mb, args.corpus)
    kinds = args.kinds.split(",") if args.kinds else list(makers)
    warm_up()
    print(f"{'input':12} {'MB':>6} {'seconds':>8} {'s/MB':>7}  changed")
    for kind in kinds:
        text = makers[kind]()
        size = len(text.encode("utf-8")) / 1e6
        start = time.process_time()
        out = cjkfix.repair(text)
        seconds = time.process_time() - start
        print(f"{kind:12} {size:6.3f} {seconds:8.2f} {seconds / size:7.2f}  {out != text}")


if __name__ == "__main__":
    main()
