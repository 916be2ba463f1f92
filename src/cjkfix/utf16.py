"""UTF-16 read as an 8-bit codec (issue 10): Windows "Unicode" files and registry exports
read by a program as latin-1 or cp1252 (NUL bytes kept as U+0000).

Every character of the text stands for one byte (latin-1's 00-FF, cp1252's 80-9F
letters; U+FFFD, or ``?``, for a byte the reader could not map). A stretch of such
characters is read as UTF-16 units at each of its four alignments (little- and
big-endian, from an even or an odd offset), whole, at C speed, and a unit is classed:

* ``C`` a CJK character (Han, kana, Hangul, CJK marks, full-width forms) one of whose
  bytes is not printable ASCII: clear evidence;
* ``K`` kana or a CJK mark both of whose bytes are printable ASCII (``g0`` is で);
* ``A`` a CJK character both of whose bytes are printable ASCII (``P}`` is 結, but
  ``ob`` is 扯: any two lowercase letters make a Han character): inside a run only;
* ``N`` a character of U+0000-U+00FF (its NUL byte shown): ASCII or Latin-1 text;
* ``P`` general punctuation U+2000-U+206F (``“`` is 1C 20): inside a run only;
* ``L`` a unit with a lost byte: U+FFFD, inside a run only;
* ``X`` anything else.

A run begins and ends with ``C`` or ``N``, holds three ``C`` at least, no four ``A`` in a
row, and reads, by the language model, as text (not as rare characters at random). It is
taken only with a clear margin over every run another alignment finds in the same place
(a run that reads part of it as the same characters is none: kana, 30 xx, read alike
big-endian and little-endian one byte on).
A byte dropped by the reader (cp1252 has no 81, 8D, 8F, 90, 9D) turns the alignment: a
region where a run stops at a unit no text has, or starts after one, is left whole, as
are runs that are not certain. Where the reader may have dropped bytes (the region shows
no C1 control and no U+FFFD), so is a region where a run leaves half a unit beside it
(an odd stretch with no space), pairs a space at the region's edge, or reads as a
character the model never saw (two bytes dropped close together turn it back unseen).
A region whose bytes are UTF-8 or legacy CJK text read as latin-1 (at least as likely
by the model), or that runs cover less than a third of, is not UTF-16
(:mod:`cjkfix.utf16_rivals`). A region runs across every line made of bytes 00-FF: it is
read line by line where a line is text of another kind, or where reading it whole takes a
line break for a byte of no text (:mod:`cjkfix.utf16_lines`).

    >>> [e.after for e in edits("Æ0¹0È0P}œgg0Y0")]
    ['テスト結果です']
    >>> edits("A0B0C0D0 x0y0 P}g 0x30A0")
    []
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from cjkfix.steps import Edit
from cjkfix.utf16_lines import (
    breaks_a_line,
    bytes_of,
    kept_off,
    other_text,
    read_chars,
    within_lines,
)
from cjkfix.utf16_rivals import taken
from cjkfix.utf16_turns import (
    Run,
    joined,
    may_lose,
    unpinned,
)
from cjkfix.utf16_units import runs

__all__ = ["edits", "read", "spans", "suspects"]


@functools.cache
def _region() -> re.Pattern[str]:
    chars = "".join(re.escape(ch) for ch in bytes_of() if ord(ch) > 0xFF)
    return re.compile(f"[\\x00-\\xff{chars}\ufffd]{{4,}}")


@functools.lru_cache(maxsize=1)
def _region_chars() -> frozenset[str]:
    """The characters a region (:func:`_region`) is made of."""
    return frozenset(
        [chr(b) for b in range(0x100)] + [ch for ch in bytes_of() if ord(ch) > 0xFF] + ["\ufffd"]
    )


#: A region worth reading holds a character that is not printable ASCII or a line end.
_UNUSUAL = re.compile("[^\t\n\r -~]")


def _whole(run: Run, text: str, start: int, end: int) -> bool:
    """Does ``run`` cover its region (but for a space, or line breaks, at either end)?"""
    return _blank(text[start : run.start]) and _blank(text[run.end : end])


def _blank(edge: str) -> bool:
    """Is ``edge`` a space, or white space with a line break (a paragraph's end)?"""
    return edge.strip(" \t\r\n") == "" and (len(edge) <= 1 or "\n" in edge)


def suspects(text: str) -> list[tuple[int, int]]:
    """The regions of ``text`` where a run of UTF-16 units was seen at some alignment,
    certain or not: other readings stay off them (half a UTF-16 line read as cp1252
    mojibake, or its NUL bytes dropped, is text nobody wrote)."""
    return [
        m.span()
        for m in _region().finditer(text)
        if _UNUSUAL.search(text, m.start(), m.end()) is not None
        and _region_reading(m.group()) is not None
    ]


def _covered(text: str, start: int, end: int, runs: list[Run]) -> bool:
    """Do ``runs`` cover a third of their region at least (but for white space at its
    ends)? A few units of junk in a long region (UTF-8 read as latin-1 with bytes
    lost, ``냥매냥`` in 195 characters) are not UTF-16."""
    if not runs:
        return False
    seen = bytearray(end - start)
    for r in runs:
        seen[r.start - start : r.end - start] = b"\x01" * (r.end - r.start)
    return 3 * sum(seen) >= len(text[start:end].strip())


def spans(text: str) -> list[Run]:
    """The runs of UTF-16 units in ``text`` that are certain, in order, not overlapping.
    A region read whole at one alignment only is that reading. A region where the
    alignment turns (a byte dropped by the reader, see :mod:`cjkfix.utf16_units`) is
    left as it is: the characters either side of a turn are not pinned by the bytes,
    and two bytes dropped close together turn it back unseen, so nothing there is
    certain."""
    out: list[Run] = []
    kept: dict[str, list[Run] | None] = {}
    for m in _region().finditer(text):
        if _UNUSUAL.search(text, m.start(), m.end()) is not None:
            got = _by_lines(m.group(), kept, m.start() > 0)
            out += [_moved(r, m.start()) for r in got or ()]
    return out


#: A line of a region this long (without its blanks) that shows no UTF-16 on its own is
#: another line's text.
_FOREIGN_LINE = 16


def _by_lines(
    region: str, kept: dict[str, list[Run] | None], inside: bool = False
) -> list[Run] | None:
    """The runs of ``region`` read whole, or line by line where one of its lines
    (:data:`_FOREIGN_LINE` characters or more) has no run of its own and is text of
    another kind (:func:`~cjkfix.utf16_lines.other_text`), or where the whole reading
    takes a line break for a byte of no text (:mod:`cjkfix.utf16_lines`) and reads no
    more than the lines do, or where it reads less than they do (another line's bytes
    before a run turned its alignment: ``用户`` lost). A region runs across every line
    of bytes 00-FF, so a UTF-16 line beside one of Latin-1 mojibake or of ASCII words
    was read with it, taking the line break for a byte, and no line may read worse
    inside a text than alone. (A UTF-16 text's own lines are read whole: a unit that
    holds a 0A byte splits it into pieces that hold NUL bytes, read as UTF-16, or are
    neither.) A run read whole keeps to its lines
    (:func:`~cjkfix.utf16_lines.within_lines`; ``inside``: the region begins inside a
    line, after a character no byte shows)."""

    def reading(piece: str) -> list[Run] | None:
        if piece not in kept:
            kept[piece] = _region_reading(piece)
        return kept[piece]

    if "\n" not in region:
        return reading(region)
    lines: list[tuple[int, list[Run] | None]] = []
    foreign = False
    for m in _LINE.finditer(region):
        piece = m.group()
        got = reading(piece) if _UNUSUAL.search(piece) is not None else None
        if not got and not foreign and len(piece.strip()) >= _FOREIGN_LINE:
            foreign = other_text(piece)
        lines.append((m.start(), got))
    whole = None if foreign else reading(region)
    if whole:
        whole = [r for r in (within_lines(region, r, inside) for r in whole) if r is not None]
    out = [_moved(r, at) for at, got in lines for r in got or ()]
    if whole:
        more = read_chars(whole, region) - read_chars(out, region)
        # (read line by line, less is read: the line break is a byte of the text; more
        # is read, where another line's bytes before a run turned its alignment; never
        # where a run surely joins two lines, a line break taken for a byte of a rare
        # character or sign: ``?\n`` read as 㼊, a line of Big5 losses and a UTF-16 line
        # made one. On a
        # tie, the lines where they take more of the region's bytes: a line's first unit
        # that lost a byte, ``x\ufffd`` for 選, read as U+FFFD alone and left as it was
        # when the line before it, other text, shifted the whole reading.)
        if more > 0 and not any(breaks_a_line(region, r, sure=True) for r in whole):
            return whole
        if (
            more == 0
            and not any(breaks_a_line(region, r) for r in whole)
            and _units_read(whole) >= _units_read(out)
        ):
            return whole
    return out or None


_LINE = re.compile("[^\n]+")


def _units_read(runs: list[Run]) -> int:
    return sum(r.end - r.start for r in runs)


def _certain(text: str, start: int, end: int, here: list[Run]) -> list[Run]:
    """The runs of region ``text[start:end]`` (all its runs ``here``) that are certain."""
    whole = [r for r in here if _whole(r, text, start, end)]
    chosen = whole if len(whole) == 1 else taken(here)
    chained = joined(text, start, end, chosen)
    if chained is None:
        return []  # (a byte was dropped here that nothing pins: see utf16_turns)
    if chained and may_lose(text[start:end]) and unpinned(text, start, end, chained):
        return []  # (a byte was dropped beside a run, or two inside it)
    return chained


@functools.lru_cache(maxsize=1)
def _gate() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The gate's UTF-16 rules alone (``singlebyte.GATE_ONLY``: three units in a row
    with CJK high bytes, the outer two wide), and the characters a match starts with
    (tried only there: a long clean text holds few)."""
    from cjkfix import singlebyte, singlebyte_units

    branches = [
        (first, rest)
        for row in singlebyte.GATE_ONLY
        for first, rest in singlebyte_units.gate_branches(row)
    ]
    starts = "".join(sorted({ch for first, _rest in branches for ch in first}))
    rules = "|".join(f"[{first}](?:{rest})" for first, rest in branches)
    return re.compile(f"[{re.escape(starts)}]"), re.compile(rules)


def _regions_at(text: str, marks: list[int]) -> Iterator[re.Match[str]]:
    """The regions (:func:`_region`) of ``text`` that hold one of ``marks``, in order."""
    inside = _region_chars()
    done = 0
    for p in marks:
        if p < done:
            continue
        s = p
        while s > 0 and text[s - 1] in inside:
            s -= 1
        m = _region().match(text, s)
        if m is not None and p < m.end():
            done = m.end()
            yield m


def _marks(text: str, places: list[int] | None = None) -> list[int]:
    """Where the gate's UTF-16 rules match in ``text``; ``places``: where to try them, if
    known (see :func:`starts`)."""
    starts, rules = _gate()
    if places is not None:
        return [p for p in places if starts.match(text, p) and rules.match(text, p)]
    return [m.start() for m in starts.finditer(text) if rules.match(text, m.start())]


def starts() -> re.Pattern[str]:
    """The characters a match of the gate's UTF-16 rules starts with (a class)."""
    return _gate()[0]


def read(
    text: str, kept: dict[str, list[Run] | None] | None = None, places: list[int] | None = None
) -> tuple[list[Edit], list[tuple[int, int]]]:
    """:func:`edits` and :func:`suspects` of ``text`` in one pass over its regions
    (only the regions that hold a match of the gate's UTF-16 rules: a region is read or
    not whatever the rest of the text holds, and clean text that woke another rule of
    the gate, ``“test”`` in a long paragraph, is not read for UTF-16 at all).
    ``kept``: the readings of regions already read (by their text), for a caller that
    reads much the same text again (the mojibake fixer's next round). ``places``: the
    places of ``text`` that hold a character of :func:`starts` (and maybe others), where
    the caller has scanned for them already."""
    marks = _marks(text, places)
    if not marks:
        return [], []
    kept = {} if kept is None else kept
    runs: list[Run] = []
    seen: list[tuple[int, int]] = []
    for m in _regions_at(text, marks):
        if _UNUSUAL.search(text, m.start(), m.end()) is None:
            continue
        region = m.group()
        got = _by_lines(region, kept, m.start() > 0)
        if got is not None:
            here = [_moved(r, m.start()) for r in got]
            lo, hi = kept_off(text, m.start(), m.end(), here)
            if lo < hi:
                seen.append((lo, hi))
            runs += here
    return _edits(runs), seen


def _region_reading(region: str) -> list[Run] | None:
    """The certain runs of a region (in its own offsets), or None where its runs do not
    cover it (see :func:`_covered`): a function of the region alone, which every step
    reads only between its ends."""
    here = list(runs(region, 0, len(region)))
    if not _covered(region, 0, len(region), here):
        return None
    return _certain(region, 0, len(region), here)


def _moved(run: Run, by: int) -> Run:
    """``run`` with its offsets ``by`` further on."""
    return run._replace(
        start=run.start + by,
        end=run.end + by,
        head=None if run.head is None else (run.head[0] + by, run.head[1] + by),
        tail=None if run.tail is None else (run.tail[0] + by, run.tail[1] + by),
    )


def edits(text: str) -> list[Edit]:
    """The repairs of the UTF-16 runs in ``text`` (see :func:`spans`)."""
    return _edits(spans(text))


def _edits(runs: list[Run]) -> list[Edit]:
    return [
        Edit(
            r.start,
            r.end,
            r.after,
            reason="UTF-16 read as an 8-bit codec (latin-1 or cp1252)",
            confidence=0.95,
            evidence={
                "chain": ["utf-16-le" if r.little else "utf-16-be", "latin-1"],
                "lost_characters": r.after.count("\ufffd"),
            },
        )
        for r in runs
    ]
