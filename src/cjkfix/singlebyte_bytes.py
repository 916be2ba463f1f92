"""Byte facts of the original codecs that the singlebyte lattice reads runs back in
(:mod:`cjkfix.singlebyte_lattice`): how long a character that starts with a byte is,
which byte strings are one printable character, which UTF-8 beginnings lead to one.
Pure functions of the codecs, cached.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["char_lengths", "space_inside"]


@functools.cache
def char_lengths(codec: str) -> tuple[int, ...]:
    """For each first byte, how many bytes a character of ``codec`` that starts with it
    has (0: none starts with it)."""
    out = []
    for b in range(256):
        if codec == "utf-8":
            n = (
                (b < 0x80)
                + 2 * (0xC2 <= b <= 0xDF)
                + 3 * (0xE0 <= b <= 0xEF)
                + 4 * (0xF0 <= b <= 0xF4)
            )
        else:
            try:
                bytes((b,)).decode(codec)
                n = 1
            except UnicodeDecodeError:
                n = 2 if any(_decodes(bytes((b, t)), codec) for t in range(0x40, 0x100)) else 0
        out.append(n)
    return tuple(out)


@functools.cache
def space_inside(codec: str) -> bool:
    """Can the byte 20 (a space) be a byte of ``codec``'s characters other than the
    first (UTF-16's U+20xx, ``“`` is 1C 20 in UTF-16LE; never a legacy trail)?"""
    return codec != "utf-8" and any(
        _decodes(bytes((b, 0x20)), codec) for b in range(256) if char_lengths(codec)[b] == 2
    )


def _decodes(data: bytes, codec: str) -> str | None:
    try:
        ch = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return ch if len(ch) == 1 else None


@functools.lru_cache(maxsize=200_000)
def _char(data: bytes, codec: str) -> str | None:
    """The one printable character ``data`` is in ``codec``, else None."""
    ch = _decodes(data, codec)
    if ch is None or (ord(ch) >= 0x80 and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")):
        return None
    return ch


@functools.cache
def _follow(lead: int, slot: int) -> frozenset[int]:
    """The bytes that can follow the UTF-8 lead ``lead`` as its byte ``slot + 1``."""
    if slot == 0:
        low, high = {0xE0: (0xA0, 0xBF), 0xED: (0x80, 0x9F), 0xF0: (0x90, 0xBF)}.get(
            lead, (0x80, 0x8F) if lead == 0xF4 else (0x80, 0xBF)
        )
        return frozenset(range(low, high + 1))
    return frozenset(range(0x80, 0xC0))


@functools.lru_cache(maxsize=4096)
def _live(prefix: bytes) -> bool:
    """Does a printable character (see :func:`_char`) start with the UTF-8 bytes
    ``prefix`` (a lead and some continuation bytes, not all)?"""
    n = char_lengths("utf-8")[prefix[0]]
    cp = prefix[0] & (0x7F >> n)
    for b in prefix[1:]:
        cp = (cp << 6) | (b & 0x3F)
    rest = 6 * (n - len(prefix))
    return any(
        unicodedata.category(chr(c)) not in ("Cc", "Cn", "Co", "Cs")
        for c in range(cp << rest, (cp + 1) << rest)
    )
