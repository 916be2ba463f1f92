"""Out-of-step runs: every way an observed stretch can be GBK bytes read one byte out of
step, as the pages' decoder left them (lost bytes, a reading after an orphaned byte, a
swallowed ``<``, pairs shown as ASCII)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple, Protocol

from cjkfix._lazyre import LazyRegex
from cjkfix.markup import tag_tail as _tag_tail
from cjkfix.narrowing.gbk import (
    Byte,
    _annotator_reading,
    _encode,
    _named_chars,
    _named_trails,
    _pairs,
)
from cjkfix.simulate_pages import KEPT_AFTER_ORPHAN

_LOST = "?\ufffd"  # what decoders put for bytes they cannot map


#: Inline elements: a flattened page keeps no trace of them, so the rest of one whose
#: ``<`` a lost byte swallowed is markup the flattening missed, and goes. (The rest of a
#: block element's tag, ``/p>``, marks where a paragraph ended: its ``<`` is restored.)
_INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "kbd", "q", "s", "samp",
        "small", "span", "strike", "strong", "sub", "sup", "tt", "u",
    }
)  # fmt: skip
_TAG_NAME_RE = LazyRegex(r"/?([A-Za-z][A-Za-z0-9]*)")


def _inline(tag: str) -> bool:
    m = _TAG_NAME_RE.match(tag)
    return m is not None and m.group(1).lower() in _INLINE_TAGS


_READING_RE = LazyRegex(
    "[(（]?([A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?|[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]{1,5})[)）]"
)


#: How many observed characters one out-of-step run may span, and how many lost bytes
#: (``?``) it may contain: bounds the search, so pathological input cannot blow it up.
_MAX_RUN = 48
_MAX_LOST = 3


class _Page(Protocol):
    """What a run needs to know of its page (a ``narrowing.scorer._Scorer``)."""

    @property
    def lang(self) -> str: ...

    def annotated(self) -> tuple[frozenset[str], frozenset[str]]: ...


class _Run(NamedTuple):
    data: list[Byte]  # the original bytes, starting with the byte put back in front
    suffix: str  # ASCII text after the last pair (a resynchronising byte)
    end: int  # index in the observed text just after the run
    lost: int
    realigned: int  # observed characters whose bytes were put back in step
    # Indices into ``data`` of byte pairs the decoder rejected (a "?" standing for two
    # bytes, or a pair it dropped from the text): they cannot form a GBK character,
    # which narrows what they can be.
    rejected: tuple[int, ...] = ()
    hidden: int = 0  # pairs dropped from the text (private-use or unassigned cells)
    # A lost trail byte named by the reading annotated after its character: ``趯?shí)``
    # (the ``(`` went with the orphaned byte ``8D``; ``8C 8D`` is ``實``).
    named: bool = False
    drops: bool = False  # read by a decoder that drops the pairs it cannot map
    # The run ended on a byte that swallowed the "<" of a tag: the "<" is the suffix,
    # or (an inline element's tag) the tag's rest is part of the run and goes.
    tag: bool = False


#: Pairs a dropping decoder may have hidden inside one run, at most (fewer in a short
#: run: ``fill._max_hidden``). Each is a damage event with two unknown bytes; the
#: fewest that explain the run are preferred (each number of hidden pairs gives its
#: own candidate, and they compete).
_MAX_HIDDEN = 4


#: Hidden pairs a run may show as it is walked (a "?" before a bare reading).
_MAX_HIDDEN_SHOWN = 2


#: Pairs of characters tried around one hidden pair (the likeliest together).
_SPLIT_OPTIONS = 16


# A reading whose "(" an orphaned byte swallowed: ``shí)``.
_BARE_READING_RE = LazyRegex(
    "([A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?|[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]{1,5})[)）]"
)


def _own_reading(lead: Byte, trail: int, reading: re.Match[str] | None) -> bool:
    """Is ``reading`` (a match of :data:`_READING_RE`) an annotator's reading of the
    character ``lead trail``? (An unknown lead: of one of the characters it can be.)"""
    if reading is None:
        return False
    leads = range(0x81, 0xFF) if lead is None else (lead,)
    for b in leads:
        ch = _pairs().get((b, trail))
        if ch is not None and _annotator_reading(ch, reading.group(1)):
            return True
    return False


def _runs(
    text: str,
    start: int,
    first: int,
    *,
    drops: bool = False,
    page: _Page | None = None,
) -> Iterator[_Run]:
    """Every way the observed ``text[start:]`` can be an out-of-step run.

    ``first`` is the byte that went missing in front of the run; the decoder paired
    each following byte with the next one, until an ASCII byte put it back in step.
    With ``drops`` (a decoder that writes "?" and drops the pairs it cannot map), up to
    :data:`_MAX_HIDDEN_SHOWN` pairs may be hidden between the observed characters. ``page``
    tells the page's language and the characters it never annotates (asked only when a
    reading shows up: clean text costs no look at the whole page); without it,
    Traditional Chinese and none.
    """

    def walk(
        j: int, data: list[Byte], lost: int, seen: int, rejected: tuple[int, ...], hidden: int
    ) -> Iterator[_Run]:
        # ``data`` always holds an odd number of bytes here: one lead waits for its trail.
        while j < len(text) and j - start < _MAX_RUN:
            ch = text[j]
            if (
                drops
                and hidden < _MAX_HIDDEN_SHOWN
                and ch == "?"
                and _BARE_READING_RE.match(text, j + 1)
            ):
                # A pair the decoder dropped: the pending lead's trail and the next
                # character's lead, together a private-use or unassigned cell.
                yield from walk(
                    j, [*data, None, None], lost, seen, (*rejected, len(data)), hidden + 1
                )
            if ch in _LOST:
                if lost >= _MAX_LOST:
                    return
                # A pair of two unknown bytes, the run going on (a dropping decoder
                # writes "?" only for an orphaned byte: one that was followed by an
                # ASCII byte it could not pair with) ...
                pending = data[-1]
                bare = _BARE_READING_RE.match(text, j + 1) if ch == "?" else None
                # (an ASCII-range trail byte ends a run: a word after "?" is no trail,
                # the orphan swallowed the space before it)
                pairable = (
                    j + 1 < len(text)
                    and 0x40 <= ord(text[j + 1]) <= 0x7E
                    and not (j + 2 < len(text) and text[j + 2].isascii() and text[j + 2].isalnum())
                )
                if j + 1 < len(text) and (not drops or (pairable and not bare)):
                    yield from walk(
                        j + 1,
                        [*data, None, None],
                        lost + 1,
                        seen,
                        (*rejected, len(data)),
                        hidden,
                    )
                if bare:
                    # ... or the trail byte of a character whose reading follows: the
                    # orphaned trail swallowed the "(" of its own annotation. (After a
                    # hidden pair its lead is unknown too: the reading names both.)
                    reading = bare.group(1)
                    named = (
                        [(pending, t) for t in _named_trails(pending, reading)]
                        if pending is not None
                        else _named_chars(reading, page.lang if page is not None else "zh-Hant")
                    )
                    unannotated = page.annotated()[1] if page is not None and named else frozenset()
                    for lead, trail in named:
                        if _pairs()[lead, trail] in unannotated:
                            continue  # the page shows it bare: the site does not annotate it
                        yield _Run(
                            [*data[:-1], lead, trail],
                            f"({reading})",
                            bare.end(),
                            lost + 1,
                            seen,
                            rejected,
                            hidden,
                            True,
                        )
                # ... or the trail byte together with an ASCII byte it swallowed, which
                # only context can name: ``<`` before the rest of an HTML tag ...
                tag = _tag_tail(text, j + 1)
                if tag and _inline(tag.group()):
                    yield _Run(
                        [*data, None], "", tag.end(), lost + 1, seen, rejected, hidden, tag=True
                    )
                elif tag:
                    yield _Run(
                        [*data, None], "<", j + 1, lost + 1, seen, rejected, hidden, tag=True
                    )
                # ... or the pending trail byte alone, the decoder back in step after it
                # (it kept the ASCII byte that followed, or realigned on a lead byte).
                # An ASCII byte that can be a trail (0x40..0x7E) would have been paired
                # with it, so it cannot follow a lone lost byte. The pages' decoder
                # swallowed the byte after an orphan unless it was one of a few marks:
                # a byte nothing names, which stays lost (U+FFFD).
                else:
                    nxt = text[j + 1] if j + 1 < len(text) else ""
                    swallowed: bool | None = None
                    if drops and not bare:
                        swallowed = nxt != "" and ord(nxt) not in KEPT_AFTER_ORPHAN
                    elif not drops and not (nxt and 0x40 <= ord(nxt) <= 0x7E):
                        swallowed = ch == "?" and nxt.isdigit()
                    if swallowed is not None:
                        yield _Run(
                            [*data, None],
                            "\ufffd" if swallowed else "",
                            j + 1,
                            lost + 1,
                            seen,
                            rejected,
                            hidden,
                        )
                    if drops and swallowed and ch == "?" and data[-1] is not None:
                        # ... or the lost trail byte was 0x80, which the decoder shows
                        # as "?" without taking the next byte along (``個`` is 82 80).
                        yield _Run([*data, 0x80], "", j + 1, lost + 1, seen, rejected, hidden)
                return
            o = ord(ch)
            if 0x40 <= o <= 0x7E:
                # The trail byte of the last pending character was ASCII-range itself
                # (and a reading right after it is that character's own: ``W(xué)``,
                # 學 is 8C 57) ...
                # (only where it is that character's reading: ``╫`` is not read ``k``)
                own = _own_reading(data[-1], o, _READING_RE.match(text, j + 1))
                yield _Run([*data, o], "", j + 1, lost, seen + 1, rejected, hidden, own)
                if (
                    drops
                    and data[-1] == 0xA1
                    and o != 0x7E
                    and j + 1 < len(text)
                    and (ord(text[j + 1]) > 0x7F or text[j + 1] in _LOST)
                ):
                    # ... or the pending ``A1`` was a ``。`` whose trail ``A3`` made a
                    # full-width letter with the next lead, shown as ASCII (``。。最`` is
                    # ``A1A3 A1A3 D7EE``: ``A3 D7`` is ``Ｗ``, shown ``?!!W``), the run
                    # going on: the next character is out of step too (a word of letters
                    # is not a run of such pairs). (Any lead with trail ``A3`` could do
                    # it; on simulated pages allowing them all invents more than it
                    # restores: wrong 9 -> 11% of folded marks, exact unchanged.)
                    yield from walk(
                        j + 1, [*data, 0xA3, o + 0x80], lost, seen + 1, rejected, hidden
                    )
                return
            if 0x21 <= o <= 0x3F and drops:
                # A pair ``A3 xx`` read out of step: a full-width form, shown as ASCII.
                data = [*data, 0xA3, o + 0x80]
                seen += 1
                j += 1
                continue
            encoded = _encode(ch) if o >= 0x80 else None
            if encoded is None or len(encoded) != 2:
                return
            if encoded[1] < 0x80:
                # Trail byte in 0x40..0x7E: an original ASCII byte completed this pair.
                yield _Run(
                    [*data, encoded[0]], chr(encoded[1]), j + 1, lost, seen + 1, rejected, hidden
                )
                return
            data = [*data, encoded[0], encoded[1]]
            seen += 1
            j += 1

    for run in walk(start, [first], 0, 0, (), 0):
        yield run._replace(drops=drops)
