"""Build the mojibake gate's character classes (``src/cjkfix/_mojibake_gate.py``).

    python tools/build_mojibake_gate.py

Everything but the legacy-pair rule is computed from Python's codecs alone: which
characters each wrong codec makes of UTF-8 bytes, and which characters are common in
Chinese, Japanese or Korean text, approximated by the first levels of the national
standards (GB 2312 level 1, Big5's frequent hanzi, JIS X 0208 level 1, KS X 1001
Hangul) plus their punctuation and kana rows. The result only depends on the Python
version's codec tables; re-run this after changing the rules below and commit the result.

The gate passes a text when it holds any of:

* for each double-byte wrong codec W (gbk, big5, shift_jis, euc-kr, euc-jp): a
  character W makes of a UTF-8 lead byte E3-EF and a continuation byte that is not
  common, followed by what W makes of the next bytes (a continuation byte followed by
  a lead byte, an ASCII byte, or alone), U+FFFD, ``?`` or the end of the line;
* for each such W, three characters in a row exactly as UTF-8 falls apart under W
  (lead+continuation, continuation+lead, continuation+continuation);
* for Shift_JIS: a kanji followed by a half-width katakana from A1-BF (a
  continuation byte read on its own);
* Latin-1/cp1252: two high characters side by side (or around one ASCII trail byte)
  of which one is a Latin-1 letter or sign (``……`` and ``——`` are not enough), or
  cp1252's view of Shift_JIS lead bytes (``ƒ``, ``‚``, C1 controls) around a trail byte;
* U+FFFD, or ``锟斤拷``;
* for each legacy pair (GBK/Big5/Shift_JIS read as each other): two characters within
  three that the pair makes of the original's common characters and that are
  themselves not common anywhere (here judged by the project's character model,
  ``data/charmodel.txt.gz``, not by the codec tables), not both bopomofo, Greek or
  Cyrillic letters, or two such CJK characters, kana or private-use
  characters around one ASCII byte (a trail byte: Big5 read as Shift_JIS).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "cjkfix" / "_mojibake_gate.py"

sys.path.insert(0, str(ROOT / "src"))
from cjkfix.codecs import GATE_CODECS as PY  # noqa: E402
from cjkfix.codecs import LEGACY_PAIR_CODECS as LEGACY_PY  # noqa: E402
from cjkfix.codecs import LEGACY_PAIR_VIEWS as LEGACY_VIEWS  # noqa: E402
from cjkfix.codecs import LEGACY_PAIRS  # noqa: E402


def r(a: int, b: int) -> range:
    return range(a, b + 1)


def dec2(names: Iterable[str], leads: Iterable[int], trails: Iterable[int]) -> set[str]:
    out: set[str] = set()
    trails = list(trails)
    for name in names:
        for a in leads:
            for b in trails:
                try:
                    ch = bytes([a, b]).decode(name)
                except UnicodeDecodeError:
                    continue
                if len(ch) == 1 and ord(ch) > 0x7F:
                    out.add(ch)
    return out


def dec1(names: Iterable[str], bytes_: Iterable[int]) -> set[str]:
    out: set[str] = set()
    for name in names:
        for a in bytes_:
            try:
                ch = bytes([a]).decode(name)
            except UnicodeDecodeError:
                continue
            if ord(ch) > 0x7F:
                out.add(ch)
    return out


# Common characters of each original encoding's language.
FREQ = {
    "gbk": dec2(("gb2312",), r(0xB0, 0xD7), r(0xA1, 0xFE))
    | dec2(("gb2312",), (0xA1, 0xA3), r(0xA1, 0xFE)),
    "big5": dec2(("big5",), r(0xA4, 0xC5), r(0x40, 0xFE))
    | dec2(("big5",), (0xC6,), r(0x40, 0x7E))
    | dec2(("big5",), r(0xA1, 0xA3), r(0x40, 0xFE)),
    "shift_jis": (
        dec2(("shift_jis",), (0x81,), r(0x40, 0xFC))
        | dec2(("shift_jis",), (0x82,), r(0x4F, 0xF1))
        | dec2(("shift_jis",), (0x83,), r(0x40, 0x96))
        | dec2(("shift_jis",), r(0x88, 0x98), r(0x40, 0xFC))
    )
    - dec2(("shift_jis",), (0x98,), r(0x73, 0xFC)),
    "euc-kr": dec2(("euc_kr",), (0xA1, 0xA3), r(0xA1, 0xFE))
    | dec2(("euc_kr",), r(0xB0, 0xC8), r(0xA1, 0xFE)),
}
# Common anywhere (Big5's symbol rows hold bopomofo, Greek and small forms: left out).
COMMON = (
    FREQ["gbk"]
    | FREQ["shift_jis"]
    | FREQ["euc-kr"]
    | dec2(("big5",), r(0xA4, 0xC5), r(0x40, 0xFE))
    | dec2(("big5",), (0xC6,), r(0x40, 0x7E))
    | set("—―…‥‘’“”·・～")
)
# Everyday written Cantonese (Hong Kong) characters outside Big5's frequent hanzi: a
# short hand-made list, the one set here not derived from a codec table.
CANTONESE = set("佢哋嘅咗喺冇搵揾靚睇瞓嘢啲咁噉乜嚟囉咪啱攞嗰掅戙冚畀俾諗攰嘥嘞喎嚿揸撳")
COMMON |= CANTONESE
# Punctuation and full-width forms (never the third character of a three-character rule).
PUNCTUATION = (
    dec2(("gb2312",), (0xA1, 0xA3), r(0xA1, 0xFE))
    | dec2(("shift_jis",), (0x81,), r(0x40, 0xFC))
    | dec2(("euc_kr",), (0xA1, 0xA3), r(0xA1, 0xFE))
)
# Common in Japanese only (``浜``): allowed to start the three-character rule.
JAPANESE_ONLY = FREQ["shift_jis"] - FREQ["gbk"] - FREQ["big5"] - FREQ["euc-kr"]
LETTERS = {chr(c) for c in (*r(0x3100, 0x312F), *r(0x0370, 0x03FF), *r(0x0400, 0x04FF))}
LEAD3 = r(0xE3, 0xEF)
CONT = r(0x80, 0xBF)
HALFWIDTH = "\uff61-\uff7f"  # what cp932 makes of A1-BF on their own


CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
HIGH = "\x80-\xff" + CP1252_SPECIALS
LATIN1 = "\xa0-\xff"
# cp1252's view of Shift_JIS lead bytes 81-9F that are not everyday punctuation.
SJIS_LEADS = "‚ƒ„ˆ‰Š‹ŒŽ˜™š›œžŸ\x81-\x9f"


def ranges(chars: set[str]) -> str:
    """``chars`` as a regex class body of escaped ranges."""
    codes = sorted(ord(c) for c in chars)
    out: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        a, b = codes[i], codes[j]
        out.append(esc(a) if a == b else f"{esc(a)}-{esc(b)}")
        i = j + 1
    return "".join(out)


def esc(code: int) -> str:
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# A legacy pair's mojibake is made of real characters of the same script, and the
# codec tables' coarse split (Big5's "frequent" rows hold 5,401 hanzi) calls most of
# them common: a third of GBK sentences read as Big5 showed no two "rare" characters.
# For these rules a character is common only when both the codec tables and the
# project's character model (generated from wordfreq, see tools/build_model.py) say so:
# more likely than this in some language. (Measured on the dev corpus: GBK sentences
# read as Big5 that pass no rule fell from 114 to 84 of 349, clean lines passing rose
# from 2 to 15 of 16,462; at -11.5: 75 and 43, which cost a tenth of the clean-text
# throughput; at -10.5: 60 and 150.)
MODEL_COMMON = -12.5


def model_common(chars: set[str]) -> set[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from cjkfix import model

    return {
        c for c in chars if max(model.char_logprob(c, lang) for lang in model.LANGS) > MODEL_COMMON
    }


def legacy(original: str, wrong: str) -> set[str]:
    chars: set[str] = set()
    for ch in FREQ[original]:
        try:
            data = ch.encode(LEGACY_PY[original])
        except UnicodeEncodeError:
            continue
        for view in LEGACY_VIEWS[wrong]:
            chars.update(c for c in data.decode(view, "ignore") if ord(c) > 0x7F)
    chars -= PUNCTUATION | set("—―…‥‘’“”·・～") | CANTONESE
    return chars - (COMMON & model_common(chars))


def classes() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for codec, names in PY.items():
        key = codec.replace("-", "_").upper()
        lead = dec2(names, LEAD3, CONT)
        out[f"{key}_RARE_LEAD"] = lead - COMMON
        out[f"{key}_LEAD"] = lead - dec1(names, CONT)
        # for the three-character rule: not common in Chinese or Korean (their text has
        # runs of everyday hanzi from the continuation rows); Japanese-only kanji allowed
        out[f"{key}_TRI_LEAD"] = lead - dec1(names, CONT) - (COMMON - JAPANESE_ONLY)
        out[f"{key}_NEXT"] = (
            dec2(names, CONT, r(0xE0, 0xF4)) | dec2(names, CONT, r(0x40, 0x7E)) | dec1(names, CONT)
        )
        out[f"{key}_CONT_LEAD"] = dec2(names, CONT, LEAD3) | dec1(names, CONT)
        out[f"{key}_CONT_CONT"] = (dec2(names, CONT, CONT) | dec1(names, CONT)) - PUNCTUATION
    for original, wrong in LEGACY_PAIRS:
        chars = legacy(original, wrong)
        name = f"LEGACY_{original.upper()}_AS_{wrong.upper()}"
        # Bopomofo, Greek and Cyrillic letters come in runs of their own in clean text
        # (``ㄉㄨㄤ``, ``ζ函數ζ``): the rule needs one of the other characters as well.
        out[f"{name}_LETTERS"] = {c for c in chars if c in LETTERS}
        out[f"{name}_OTHER"] = chars - LETTERS
        # Two of them around an ASCII trail byte (Big5 read as Shift_JIS: ``ｳ]ｩw``): CJK
        # characters, kana and private use only (``déjà``: GBK's pinyin letters are not)
        out[f"{name}_AROUND_ASCII"] = {c for c in chars if ord(c) >= 0x2E80}
    return out


def split_escapes(body: str) -> list[str]:
    one = r"\\u[0-9a-f]{4}|\\U[0-9a-f]{8}"
    parts = re.findall(f"(?:{one})(?:-(?:{one}))?", body)
    assert "".join(parts) == body
    return parts


def chunked(name: str, body: str) -> list[str]:
    if not body:
        return [f'{name} = ""']
    lines = [f"{name} = ("]
    line = ""
    for part in split_escapes(body):
        if len(line) + len(part) > 88:
            lines.append(f'    "{line}"')
            line = ""
        line += part
    if line:
        lines.append(f'    "{line}"')
    lines.append(")")
    return lines


def main() -> None:
    cls = classes()
    out = [
        '"""Character classes of the mojibake gate (regex class bodies, escaped).',
        "",
        "Generated by ``tools/build_mojibake_gate.py`` from Python "
        f"{sys.version_info.major}.{sys.version_info.minor}'s codecs (the legacy-pair classes",
        "also from data/charmodel.txt.gz); do not edit. See that script for each class.",
        '"""',
        "",
        "# fmt: off",
    ]
    for name, chars in cls.items():
        out.extend(chunked(name, ranges(chars)))
    out += ["# fmt: on", ""]
    OUT.write_text("\n".join(out), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", str(OUT)], check=False)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
