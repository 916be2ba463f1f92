"""The gate rules of UTF-16 read through a single-byte table (latin-1 or cp1252): rows
whose original codec writes every character as two bytes. The text itself is read by
:mod:`cjkfix.utf16`; these rules only let the gate pass every text it could read.

UTF-16's ASCII is a character and a NUL (shown as U+0000, or as nothing), its kana a
character and ``0`` (``Æ0¹0È0`` is テスト in UTF-16LE through latin-1), its Han a
character and a byte 4E-9F (ASCII letters and marks, or cp1252's 80-9F: ``P}œg`` is
結果), its Hangul a character and AC-D7 (Latin-1's ``¬`` to ``×``). The shape of one
unit is common in clean text (``A0B0``, ``x0y0``, a hex dump, any two letters, and a
Latin-1 letter beside an ASCII one: ``éj`` is 櫩), so the gate asks for three units in a
row at one alignment whose high bytes are CJK's, the first and the last of which show
a character beyond ASCII or a control character (a NUL too): ``Æ0¹0È0`` passes,
``déjà vu……——`` and ``Québécois`` do not (a space or an accented letter breaks their
units' high bytes). :mod:`cjkfix.utf16` reads nothing with fewer than three such units.

    >>> from cjkfix.singlebyte import GATE_ONLY
    >>> import re
    >>> core = re.compile("|".join(f"[{a}]{b}" for a, b in gate_branches(GATE_ONLY[0])))
    >>> [bool(core.search(t)) for t in ("Æ0¹0È0", "déjà vu……——", "Québécois, été")]
    [True, False, False]
"""

from __future__ import annotations

import functools
import re

from cjkfix.singlebyte_bytes import char_lengths
from cjkfix.singlebyte_lattice import Row, table

__all__ = ["gate_branches", "two_byte"]

#: The high bytes of UTF-16's CJK text: CJK marks and kana (``0``), Han 4E-9F, Hangul
#: AC-D7, full-width forms (FF).
_HIGH = frozenset((0x30, *range(0x4E, 0xA0), *range(0xAC, 0xD8), 0xFF))
#: Controls that show a byte of a unit (not a line feed: units never span lines in
#: the gate; a tab or a carriage return is one of Han's low bytes, 09 or 0D: 有 is 09 67).
_CONTROLS = frozenset(chr(c) for c in range(0x20) if chr(c) != "\n")


@functools.cache
def two_byte(row: Row) -> bool:
    """Is every character of ``row``'s original codec two bytes (UTF-16)?"""
    return set(char_lengths(row.original)) <= {0, 2}


def _little(row: Row) -> bool:
    return row.original.replace("_", "-").lower().endswith("le")


def _class(chars: set[str]) -> str:
    return "".join(sorted(re.escape(ch) if ch in "\\]^-[" else ch for ch in chars))


@functools.cache
def _classes(row: Row) -> tuple[str, str, str, str, str]:
    """The row's character classes: any character of a unit (no line end); one that
    can be a CJK unit's high byte; the same or a NUL; one beyond ASCII or a control
    (a *wide* one); a wide one that can be a CJK unit's high byte."""
    chars, lost = table(row)
    tokens = {ch: set(bs) for ch, bs in chars.items()}
    tokens["\ufffd"] = set(lost)
    tokens["?"] = {*lost, 0x3F}
    every = {ch for ch in tokens if ch != "\n"}
    high = {ch for ch, bs in tokens.items() if bs & _HIGH} & every
    wide = {ch for ch in every if not ch.isascii() or ch in _CONTROLS}
    return (
        _class(every),
        _class(high),
        _class(high | {"\x00"}),
        _class(wide),
        _class(wide & high),
    )


def gate_branches(row: Row) -> list[tuple[str, str]]:
    """The gate's rule for ``row`` as (first character's class, rest): three units in
    a row whose high bytes are CJK's (the middle one's may be a NUL), the first and the
    last wide (a wide byte, low or high)."""
    x, h, hn, w, wh = _classes(row)
    if _little(row):
        wide_unit = f"(?:[{w}][{h}]|[{x}][{wh}])"
        middle = f"[{x}][{hn}]"
        # (from a wide low byte, or from a wide high byte after its low byte)
        return [
            (w, f"[{h}]{middle}{wide_unit}"),
            (wh, f"(?<=[{x}][{wh}]){middle}{wide_unit}"),
        ]
    wide_unit = f"(?:[{h}][{w}]|[{wh}][{x}])"
    middle = f"[{hn}][{x}]"
    # (from a wide high byte, or from a wide low byte after its high byte)
    return [
        (wh, f"[{x}]{middle}{wide_unit}"),
        (w, f"(?<=[{h}][{w}]){middle}{wide_unit}"),
    ]
