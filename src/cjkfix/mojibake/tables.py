"""The engine's views of the codec and chain rows (:mod:`cjkfix.codecs`)."""

from __future__ import annotations

from cjkfix import codecs as cc

# UTF-8 read as Big5, EUC-JP or EUC-KR loses a byte in most characters (their trail
# bytes start at A1, UTF-8's continuation bytes end at BF): the model's context is mostly
# lost too, and measured guesses were wrong as often as right. Only a near-certain
# character is restored there.
LOSSY_CODECS = frozenset({"big5", "euc-jp", "euc-kr"})


#: (original, wrong) pairs of double-byte codecs, and their Python codecs.
_LEGACY_PAIRS = (("gbk", "big5"), ("big5", "gbk"), ("shift_jis", "gbk"), ("gbk", "shift_jis"))


_PY_CODECS = cc.GATE_CODECS


_ENCODING_LANG = {"big5": "zh-Hant", "shift_jis": "ja", "euc-kr": "ko", "euc-jp": "ja"}


_LEGACY_PY = cc.LEGACY_PAIR_CODECS


#: The language whose most frequent characters, mis-decoded, the gate looks for.
_COMMON_LANG = {"gbk": "zh-Hans", "big5": "zh-Hant", "shift_jis": "ja"}


_DOUBLE_BYTE = ("gbk", "shift_jis", "big5", "euc-kr", "euc-jp")


#: The languages each legacy encoding writes (UTF-8 writes all of them).
_WRITES: dict[str, tuple[str, ...]] = {
    "gbk": ("zh-Hans", "zh-Hant"),
    "big5": ("zh-Hant",),
    "shift_jis": ("ja",),
    "euc-jp": ("ja",),
    "euc-kr": ("ko",),
}


_SINGLE_BYTE = frozenset({"cp1252", "latin-1"})
