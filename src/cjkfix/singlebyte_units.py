"""Where a row of two-byte units (UTF-16 read through a single-byte table) may be in a
line, and its gate rules: the run finder of :mod:`cjkfix.singlebyte` for rows whose
original codec writes every character as two bytes.

UTF-16's ASCII is a character and a NUL (shown as U+0000, or as nothing), its kana a
character and ``0`` (``Æ0¹0È0`` is テスト in UTF-16LE through latin-1), its Han a
character and a byte 4E-9F (ASCII letters and marks, or cp1252's 80-9F: ``P}œg`` is
結果), its Hangul a character and AC-D7 (Latin-1's ``¬`` to ``×``). The shape of one
unit is common in clean text (``A0B0``, ``x0y0``, a hex dump, any two letters), so a
run is read only around a *core*: two units out of three that show a character beyond
ASCII, or ASCII units whose NUL is shown (``H\\x00i\\x00``). The lattice reads the run
(a lost NUL or C1 byte is a lost byte to it) and the paragraph's evidence judges it, as
for every row.

    >>> from cjkfix.singlebyte import ROWS
    >>> row = ROWS["utf-16-le>latin-1-nul-c1-lost"]
    >>> [m.group() for m in unit_runs(row).finditer("x Æ0¹0È0P}œg!")]
    ['x Æ0¹0È0P}œg!']
    >>> core(row).search("A0B0C0D0 x0y0 P}g 0x30A0") is None
    True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from cjkfix.singlebyte_bytes import char_lengths
from cjkfix.singlebyte_lattice import Row, table

__all__ = ["core", "gate_branches", "trim", "two_byte", "unit_runs", "unit_spans"]

#: The high bytes of UTF-16's CJK text: ASCII (a NUL) and U+20xx's marks (a space),
#: which only join units; CJK marks and kana (``0``), Han 4E-9F, Hangul AC-D7,
#: full-width forms (FF).
_JOIN = frozenset((0x00, 0x20))
_HIGH = frozenset((0x30, *range(0x4E, 0xA0), *range(0xAC, 0xD8), 0xFF))


@functools.cache
def two_byte(row: Row) -> bool:
    """Is every character of ``row``'s original codec two bytes (UTF-16)?"""
    return set(char_lengths(row.original)) <= {0, 2}


def _little(row: Row) -> bool:
    return row.original.replace("_", "-").lower().endswith("le")


def _class(chars: set[str]) -> str:
    return "".join(sorted(re.escape(ch) if ch in "\\]^-[" else ch for ch in chars))


@functools.cache
def _classes(row: Row) -> tuple[str, str, str, str]:
    """The row's character classes: any character of a unit (no line end), one that
    can be a CJK unit's high byte or join units, one beyond ASCII, one beyond ASCII
    that can be a CJK unit's high byte."""
    chars, lost = table(row)
    tokens = {ch: set(bs) for ch, bs in chars.items()}
    tokens["\ufffd"] = set(lost)
    tokens["?"] = {*lost, 0x3F}
    every = {ch for ch in tokens if ch != "\n"}
    high = {ch for ch, bs in tokens.items() if bs & (_HIGH | _JOIN)}
    wide = {ch for ch in every if not ch.isascii()}
    wide_high = {ch for ch in wide if tokens[ch] & _HIGH}
    return _class(every), _class(high & every), _class(wide), _class(wide_high)


@functools.cache
def unit_runs(row: Row) -> re.Pattern[str]:
    """Runs of units whose high byte is CJK's or joins (and one character more: the
    unit it begins may have lost its NUL)."""
    x, h, _w, _wh = _classes(row)
    unit = f"[{x}][{h}]" if _little(row) else f"[{h}][{x}]"
    return re.compile(f"(?:{unit})+[{x}]?" if _little(row) else f"[{x}]??(?:{unit})+")


def unit_spans(text: str, row: Row) -> Iterator[tuple[int, int]]:
    """The runs of :func:`unit_runs` in ``text``, each at the alignment that goes
    furthest (the leftmost match may pair a space before the run with its first low
    byte, and stop at the next unit: `` ¹pûQ`` is 点击 after a space)."""
    pattern = unit_runs(row)
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        start, end = m.span()
        other = pattern.match(text, start + 1)
        if other is not None and other.end() > end:
            start, end = other.span()
        yield start, end
        pos = end


#: ASCII words at a run's ends, up to a space: where no NUL is shown, an ASCII
#: character is one whose NUL was lost, or half of a unit; a word before a space is
#: the text's own (``Hello Æ0¹0È0``), not units to read.
_LEAD_WORDS = re.compile("[ -~]* ")
_TAIL_WORDS = re.compile(" [ -~]*")


def trim(run: str) -> tuple[int, int]:
    """The part of ``run`` to read, (start, end) in it: without ASCII words at its ends
    where it shows no NUL."""
    if "\x00" in run:
        return 0, len(run)
    start = end = 0
    m = _LEAD_WORDS.match(run)
    start = m.end() if m is not None else 0
    end = len(run)
    tail = _TAIL_WORDS.search(run, start)
    while tail is not None and tail.end() != end:
        tail = _TAIL_WORDS.search(run, tail.start() + 1)
    if tail is not None:
        end = tail.start()
    return start, max(start, end)


def _branches(row: Row) -> list[tuple[str, str]]:
    """The core as (first character's class, rest): from a character beyond ASCII, a
    unit, and two units more of which one shows a character beyond ASCII or a NUL."""
    x, h, w, wh = _classes(row)
    cjk_high = h.replace("\x00", "").replace(" ", "")
    if _little(row):
        # (units from a low byte beyond ASCII, or from a high one)
        wide_unit = f"(?:[{w}][{cjk_high}]|[{x}][{wh}])"
        rest = f"(?:[{x}][{cjk_high}])?{wide_unit}"
        return [(w, f"[{cjk_high}]{rest}"), (wh, rest), ("\x00", f"[{x}]\x00")]
    wide_unit = f"(?:[{cjk_high}][{w}]|[{wh}][{x}])"
    rest = f"(?:[{cjk_high}][{x}])?{wide_unit}"
    return [(w, rest), (wh, f"[{x}]{rest}"), ("\x00", f"[{x}]\x00")]


@functools.cache
def core(row: Row) -> re.Pattern[str]:
    """Evidence that a run holds units of ``row`` (see the module docstring)."""
    return re.compile("|".join(f"[{first}]{rest}" for first, rest in _branches(row)))


def gate_branches(row: Row) -> list[tuple[str, str]]:
    """The core as the mojibake gate takes it: (first character's class, rest)."""
    return _branches(row)
