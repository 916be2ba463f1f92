"""Where UTF-16 read as cp1252 lost bytes (:mod:`cjkfix.utf16`): the runs of units, and
the turns of the alignment a dropped byte makes.

cp1252 has no 81, 8D, 8F, 90 or 9D; a decoder that drops them leaves the other byte of
the unit alone (an *orphan*), and the units after it read at the other alignment. A run
that stops at a turn (see ``utf16_units._cut``) is pinned up to the turn's low end, the next
run of the other alignment from its high end; between them stand the orphan and whole
units whose alignment nothing pins (an odd number of bytes; an even number where two
bytes were dropped and the alignment turned back). Those are written as U+FFFD, one
per character they held (:func:`joined`): no character is guessed, and where one byte
was dropped the text keeps its length. A region whose runs do not fit that shape, or
that shows a drop nothing pins (:func:`unpinned`), is left as it is.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from cjkfix import model

__all__ = [
    "Run",
    "blank_after",
    "blank_before",
    "context_after",
    "context_before",
    "edges_of",
    "joined",
    "lost_to_qmarks",
    "may_lose",
    "odd",
    "reader_break",
    "unpinned",
]

#: A character's log-probability below this in every language: the model (nearly) never
#: saw it (篘 -15.6, 噏 -17.9: the orphans of 还轻 and 依赖 paired).
_UNSEEN = -15.0


class Run(NamedTuple):
    """A run of units: characters ``start``-``end`` of the text, read as ``after``."""

    start: int
    end: int
    after: str
    little: bool
    strength: int  # units of classes C and N
    value: float  # language model score per CJK character
    head: tuple[int, int] | None = None  # the turn its first unit follows (see _cut)
    tail: tuple[int, int] | None = None  # the turn after its last unit


def may_lose(region: str) -> bool:
    """Could the reader of ``region`` have lost bytes to ``?``, or dropped them? Not
    where it shows a C1 control (latin-1 reads every byte) or U+FFFD (the reader marks
    what it loses)."""
    return _SHOWN.search(region) is None


def lost_to_qmarks(region: str) -> list[bool]:
    """Which characters of ``region`` may be a byte the reader lost to ``?``: each ``?``
    of a line that may have lost bytes (:func:`may_lose`: one that shows no C1 control,
    where latin-1 lost nothing, and no U+FFFD, where the reader marked its losses). By
    line: a region runs across lines of other texts, and a line of another decoder's
    U+FFFD beside a UTF-16 line read with ``?`` made its ``?`` bytes 3F (``㿽``, a
    character invented where the line alone has U+FFFD)."""
    out = [False] * len(region)
    start = 0
    for line in region.split("\n"):
        if "?" in line and may_lose(line):
            for k, ch in enumerate(line, start):
                out[k] = ch == "?"
        start += len(line) + 1
    return out


#: A C1 control (latin-1 read every byte) or U+FFFD (the reader marked its losses).
_SHOWN = re.compile("[\x80-\x9f\ufffd]")


def unpinned(text: str, start: int, end: int, taken: list[Run]) -> bool:
    """Where the reader of region ``text[start:end]`` may have dropped bytes: do the
    runs ``taken`` show that it did, with their units beside a turn not pinned?"""
    return (
        _odd_rest(text, start, end, taken)
        or any(_edge_space(r, text, start, end) for r in taken)
        or any(map(_unseen, taken))
    )


def _odd_rest(text: str, start: int, end: int, taken: list[Run]) -> bool:
    """Is a stretch of ``text[start:end]`` beside the runs ``taken`` (but for white
    space at the region's ends) an odd number of characters with no space? Where the
    reader may have dropped a byte, that is half a unit left: the alignment turned
    there, and the run's units next to it are not pinned (its last unit may pair a
    byte of the next character with the orphan of a character whose byte was dropped).
    """
    edges = [start, *(x for r in taken for x in (r.start, r.end)), end]
    for k in range(0, len(edges), 2):
        a, b = edges[k], edges[k + 1]
        rest = text[a:b]
        if k == 0:
            rest = rest.lstrip()
        if k == len(edges) - 2:
            rest = rest.rstrip()
        if len(rest) % 2 == 1 and not any(ch.isspace() for ch in rest):
            return True
    return False


def unseen(ch: str) -> bool:
    """Is ``ch`` a character no language of the model has seen (:data:`_UNSEEN`)?"""
    return model.best_char_logprob(ch) < _UNSEEN


def _unseen(run: Run) -> bool:
    """Does ``run`` read as a character no language of the model has seen? Where the
    reader may have dropped bytes, that is a unit made of the orphans of two characters
    that lost a byte each (宝贵 lost 9D and 8D: ``[5`` is 㕛), the alignment turned and
    turned back; the units between the turns are not pinned."""
    return any(unseen(ch) for ch in set(run.after) if ord(ch) >= 0x3000 and ch != "\ufffd")


def _edge_space(run: Run, text: str, start: int, end: int) -> bool:
    """Does ``run`` pair a space (or a line break) at its region's edge? Where the
    reader may have dropped bytes, such a space is the text's own, beside the orphan
    byte of a character whose other byte was dropped (`` “úQ``: 输 lost its 8F, then
    出), or the run is read at the alignment the space gives until a turn further in:
    its units up to that turn are not pinned."""
    return (run.start == start and text[start] in " \n") or (
        run.end == end and text[end - 1] in " \n"
    )


def joined(text: str, start: int, end: int, taken: list[Run]) -> list[Run] | None:
    """The runs ``taken`` of region ``text[start:end]`` where some turn (a run's
    ``head`` or ``tail``): one run from the first to the last, the bytes between them
    written as U+FFFD, one per character they held (an odd stretch: an orphan and
    whole units; an even one: two orphans, the alignment turned and turned back), or
    ``None`` where the runs do not fit that shape (the reader cannot have dropped
    bytes, runs of both byte orders, two runs with no turn between them). A turn at
    the region's edge takes the stretch to the edge (but for white space there) the
    same way, unless it holds a space but no NUL (words beside the run). Without turns,
    ``taken`` as it is."""
    if all(r.head is None and r.tail is None for r in taken):
        return taken
    if not may_lose(text[start:end]) or len({r.little for r in taken}) != 1:
        return None
    first, last = taken[0], taken[-1]
    a = first.start
    if first.head is not None:
        a = start + len(text[start : first.start]) - len(text[start : first.start].lstrip())
    b = last.end
    if last.tail is not None:
        b = last.end + len(text[last.end : end].rstrip())
    # (a turn's stretch stays on its run's line: past a line break of the reader's
    # text, not UTF-16's, the bytes are another line's)
    if first.head is not None:
        cut = _reader_break_in(text, a, first.start, last=True)
        if cut is not None:
            a = cut + 1
    if last.tail is not None:
        cut = _reader_break_in(text, last.end, b)
        if cut is not None:
            b = last.end + len(text[last.end : cut].rstrip())
    after = _lost(text[a : first.start], edge=True)
    for r, nxt in zip(taken, [*taken[1:], None], strict=True):
        if after is None:
            return None
        after += r.after
        if nxt is not None:
            if r.tail is None and nxt.head is None:
                return None  # (two runs with no turn between them: not one text)
            after = _append(after, _lost(text[r.end : nxt.start], edge=False))
    after = _append(after, _lost(text[last.end : b], edge=True))
    if after is None:
        return None
    return [
        Run(
            a,
            b,
            after,
            first.little,
            sum(r.strength for r in taken),
            min(r.value for r in taken),
        )
    ]


def reader_break(text: str, i: int) -> bool:
    """Is ``text[i]`` a line break of the reader's text, not of UTF-16's (``\n`` with
    no NUL byte beside it, which UTF-16's 0A 00 or 00 0A shows)? Runs and the turns
    beside them stop at one: the bytes past it are another line's text (another chain's
    mojibake, say), and no dropped byte turned the alignment there."""
    if not 0 <= i < len(text) or text[i] != "\n":
        return False
    return text[i - 1 : i] != "\x00" and text[i + 1 : i + 2] != "\x00"


def _reader_break_in(text: str, a: int, b: int, last: bool = False) -> int | None:
    """The first (``last``: the last) :func:`reader_break` in ``text[a:b]``, if any: the
    line breaks found with ``str.find``, not every character tested."""
    found = None
    i = text.find("\n", a, b)
    while i >= 0:
        if reader_break(text, i):
            if not last:
                return i
            found = i
        i = text.find("\n", i + 1, b)
    return found


def _lost(stretch: str, edge: bool) -> str | None:
    """U+FFFD for each character the bytes ``stretch`` held beside a turn (an orphan
    and whole units, or two orphans and whole units), or ``None`` where ``stretch``
    lies at the region's edge and holds a space but no NUL (words beside the run, not
    UTF-16's ASCII)."""
    if stretch == "":
        return ""
    if edge and " " in stretch and "\x00" not in stretch:
        return None
    return "\ufffd" * ((len(stretch) + 1) // 2 if len(stretch) % 2 else len(stretch) // 2 + 1)


def _append(after: str | None, more: str | None) -> str | None:
    return None if after is None or more is None else after + more


def odd(region: str, a: int, b: int) -> bool:
    """Is ``region[a:b]`` an odd number of characters (a few) with no space: half a unit
    left?"""
    return 0 < b - a <= _LEFTOVER and (b - a) % 2 == 1 and region.find(" ", a, b) < 0


#: The most characters a stretch left beside a run holds to count as half a unit left.
_LEFTOVER = 25


def edges_of(region: str) -> tuple[int, int, int, int]:
    """Where ``region``'s white space at the start ends and at the end begins, and its
    first and last character that is not printable ASCII or white space (computed once
    per region and handed down: the runs of a long region ask for them at every unit)."""
    odd = [m.start() for m in _NOT_ASCII_TEXT.finditer(region)]
    lead = len(region) - len(region.lstrip(_WHITE))
    return lead, len(region.rstrip(_WHITE)), odd[0] if odd else len(region), odd[-1] if odd else -1


_WHITE = " \t\r\n"
#: What text beside a run is made of: printable ASCII, white space, and the punctuation
#: of cp1252's 80-9F that CJK text writes before or after a space (``呢… `` before a run:
#: the ellipsis is the text's own, not the byte of a unit).
_NOT_ASCII_TEXT = re.compile("[^\t\n\r -~\u2026\u201c\u201d\u2018\u2019\u2013\u2014]")


def context_after(region: str, i: int, edges: tuple[int, int, int, int]) -> bool:
    """Is ``region[i:]`` white space and printable ASCII alone, from a white space on:
    text beside the run (or blank lines), not bytes of units?"""
    return i < len(region) and region[i] in _WHITE and i > edges[3]


def context_before(region: str, j: int, edges: tuple[int, int, int, int]) -> bool:
    """The same for ``region[:j]``, read from its end."""
    return j > 0 and region[j - 1] in _WHITE and j <= edges[2]


def blank_after(region: str, i: int, edges: tuple[int, int, int, int]) -> bool:
    """Is ``region[i:]`` empty, a space, or white space with a line break?"""
    return i >= edges[1] and (len(region) - i <= 1 or "\n" in region[i:])


def blank_before(region: str, j: int, edges: tuple[int, int, int, int]) -> bool:
    """Is ``region[:j]`` empty, a space, or white space with a line break?"""
    return j <= edges[0] and (j <= 1 or "\n" in region[:j])
