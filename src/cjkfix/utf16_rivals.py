"""Other readings of the bytes of a region :mod:`cjkfix.utf16` might read as UTF-16:
UTF-8 or a legacy CJK codec read as latin-1 or cp1252 (``×\\x90×\\x91`` is אב in UTF-8,
``¥µ¥Ö`` サブ in EUC-JP). Where such a reading is text, the region is not UTF-16. And
the runs of the other alignment in the same place (:func:`taken`: which runs win)."""

from __future__ import annotations

import re

from cjkfix import model
from cjkfix.utf16_turns import Run

__all__ = ["legacy_value", "taken", "utf8"]

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


#: How much better per character a run reads than a rival in its place.
_MARGIN = 2.0


def taken(found: list[Run]) -> list[Run]:
    """The runs of one region that win over every rival, in order."""
    found = sorted(found, key=lambda r: (-r.strength, -r.value, r.start))
    taken: list[Run] = []
    for r in found:
        if any(t.start < r.end and r.start < t.end for t in taken):
            continue
        rivals = [q for q in found if q is not r and q.start < r.end and r.start < q.end]
        if all(_beats(r, q) for q in rivals):
            taken.append(r)
    taken.sort(key=lambda r: r.start)
    return taken


def _beats(r: Run, q: Run) -> bool:
    """Does ``r`` win over ``q`` (runs of two alignments in one place) by a clear
    margin: read by the model as far likelier, or much longer and likelier, or likelier
    by :data:`_TOTAL` over the characters of the shorter while nearly as long (the
    right alignment loses a unit or two at its ends to the wrong one's junk)? Or is ``q``
    part of ``r``, the same characters read from the same bytes (kana in UTF-16 are 30 xx:
    big-endian from one byte and little-endian from the next read the same units until
    a unit that is no kana; ``0ê0ó0¯0h0W0fc?Qe`` is リンクとして挿入 one way, リンクとし
    the other), and ``r`` reads on?"""
    if q.after in r.after and len(q.after) < len(r.after) and r.start <= q.start and q.end <= r.end:
        return True
    if r.value >= q.value + _MARGIN and r.strength >= q.strength:
        return True
    if r.strength >= 2 * q.strength + 1 and r.value > q.value:
        return True
    shorter = min(len(r.after), len(q.after))
    return (r.value - q.value) * shorter >= _TOTAL and 5 * r.strength >= 4 * q.strength


#: How much likelier in all (natural log) a run reads than a rival nearly as long.
_TOTAL = 12.0
