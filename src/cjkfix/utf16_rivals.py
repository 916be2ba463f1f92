"""Other readings of the bytes of a region :mod:`cjkfix.utf16` might read as UTF-16:
UTF-8 or a legacy CJK codec read as latin-1 or cp1252 (``×\\x90×\\x91`` is אב in UTF-8,
``¥µ¥Ö`` サブ in EUC-JP). Where such a reading is text, the region is not UTF-16."""

from __future__ import annotations

import re

from cjkfix import model

__all__ = ["legacy_value", "utf8"]

#: The legacy codecs whose text read as latin-1 or cp1252 can pair into UTF-16 units.
_LEGACY = ("gbk", "big5", "euc_jp", "cp932", "euc_kr")
#: The characters of a legacy reading scored (its start: a long region's reading is
#: judged by a sample, at linear cost).
_SAMPLE = 4000
#: Control characters: in UTF-16's bytes (NUL, low bytes of Han), never in text.
_CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]")


def _text(data: bytes, codec: str) -> str | None:
    """``data`` decoded by ``codec`` when it is text with characters beyond ASCII and
    no control character, else ``None``."""
    try:
        decoded = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if decoded.isascii() or _CONTROL.search(decoded) is not None:
        return None
    return decoded


def utf8(data: bytes) -> bool:
    """Are ``data`` UTF-8 text with characters beyond ASCII (no control characters:
    ``\\x11bZf\\x00NÞž`` is 我晚一點 in UTF-16, not a Thaana letter among controls)?"""
    return not data.isascii() and _text(data, "utf-8") is not None


def legacy_value(data: bytes) -> float | None:
    """The best language model score per character of ``data`` read as text by a
    legacy CJK codec (two CJK characters at least), or ``None``."""
    best: float | None = None
    for codec in _LEGACY:
        decoded = _text(data, codec)
        if decoded is None:
            continue
        cjk = "".join(ch for ch in decoded[:_SAMPLE] if model.is_cjk(ch))
        if len(cjk) < 2:
            continue
        value = model.score(cjk)[1]
        best = value if best is None else max(best, value)
    return best
