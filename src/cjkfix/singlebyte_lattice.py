"""The singlebyte rows' tables and the lattice that reads a run back (see
:mod:`cjkfix.singlebyte` for the rows and how a paragraph's runs are found and judged).

The characters of a run give their bytes (a space may have been a no-break space; a byte
the reader had no character for may have been dropped anywhere the original codec needs
one, or shown as U+FFFD), every way of cutting those bytes into characters of the
original codec is a path in a lattice, and the language model picks the likeliest path.
A character rebuilt from lost bytes is kept only where the model is sure (posterior at
least :data:`SURE`: the share of all paths through the lattice that read it there,
forward-backward over the same states as the best path, :class:`cjkfix.beam.BeamLattice`);
else it is U+FFFD.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from cjkfix._lazyre import LazyRegex
from cjkfix.beam import TEMPERATURE
from cjkfix.singlebyte_bytes import _char, _follow, _live, char_lengths, space_inside

__all__ = [
    "SURE",
    "TEMPERATURE",
    "Reading",
    "Row",
    "char_lengths",
    "is_mark",
    "repair_run",
    "shown",
    "specs_where",
    "table",
]

#: A character rebuilt from lost bytes is kept at this posterior or above, else U+FFFD.
SURE = 0.9
#: Cost (natural log) of each byte a path says was lost where the bytes leave a choice
#: (a space that was a no-break space, or a real space after a lost byte): a row loses
#: its bytes every time, so the cost is small; at 3, ``을`` and a space read as ``선``.
#: Charged alike for a space read as a no-break space inside a character (see
#: :func:`specs_where`), where the character could have lost a byte before a real space.
LOST_BYTE_COST = 1.5
#: A space read as a no-break space followed by a space the reader collapsed into it.
COLLAPSE_COST = 4.0
#: A space token where the reader shows a no-break space as a space too.
_SPACE = (0x20, 0xA0)
#: What a real space hardly comes before: another space, an ASCII punctuation mark (and
#: ``()``: what follows a run that a space or such a mark follows in its text).
_NO_SPACE = frozenset([_SPACE, (), *((b,) for b in b".,;:!?)]}")])
#: Characters followed per position and end (the likeliest alone).
PATHS = 24
#: Paths kept per position.
BEAM = 8
#: Longer runs are not read (the lattice's work grows with the run).
MAX_RUN = 400


@dataclass(frozen=True)
class Row:
    """One chain: ``original``'s bytes shown through the table of ``reader`` (with
    ``c1``'s characters for the bytes 80-9F where the reader was a hybrid)."""

    name: str
    original: str  # Python codec of the original bytes
    reader: str  # Python codec of the table
    c1: str | None = None  # Python codec for the bytes 80-9F, if not the reader's
    invisible: tuple[tuple[int, int], ...] = ()  # byte ranges shown as nothing
    nbsp_space: bool = False  # a no-break space A0 shown as an ordinary space
    collapse: bool = False  # runs of spaces shown as one (HTML)
    ascii_inside: bool = False  # ASCII bytes can be part of a character (trail bytes)
    # a Python codec that reads the original's composed sequences, where the original
    # codec reads them as their parts (EUC-KR writes a syllable KS X 1001 lacks as eight
    # bytes, a filler and three jamo: euc_kr reads 됬, cp949 ㅤㄷㅚㅆ)
    composed: str | None = None
    # the invisible bytes may also be shown, as latin-1 shows them (NUL, a C1 control)
    # or as ``c1`` shows 80-9F: one row reads a text decoded by a program (UTF-16's NUL
    # bytes kept) and the same text displayed and copied (NUL and C1 bytes gone)
    shown_too: bool = False

    def __hash__(self) -> int:
        # (rows key many caches, looked up per character of a run: the name is one
        # row's alone and its hash is kept by the string, where the generated hash
        # hashed every field at every look-up)
        return hash(self.name)


def _byte_char(row: Row, b: int) -> str | None:
    """What ``row``'s reader shows for the byte ``b`` ('' for nothing, None: no
    character, so the byte was dropped or became U+FFFD)."""
    if any(lo <= b <= hi for lo, hi in row.invisible):
        return ""
    codec = row.c1 if row.c1 is not None and 0x80 <= b <= 0x9F else row.reader
    try:
        ch = bytes((b,)).decode(codec)
    except UnicodeDecodeError:
        return None
    if b >= 0x80 and unicodedata.category(ch) == "Cc":
        return ""  # a C1 control: invisible
    return ch


def shown(row: Row, b: int) -> str | None:
    """What ``row``'s reader shows for the byte ``b``: a character, '' (nothing: an
    invisible byte) or None (no character: the byte is dropped or becomes U+FFFD,
    whatever the decoder does with bad bytes).

    >>> from cjkfix.singlebyte import ROWS
    >>> shown(ROWS["utf-8>tis-620"], 0x85), shown(ROWS["utf-8>tis-620"], 0xA0)
    ('', ' ')
    """
    ch = _byte_char(row, b)
    if ch == "\xa0" and row.nbsp_space:
        return " "
    return ch


@functools.cache
def table(row: Row) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """``row``'s table: each character the reader shows and the bytes it stands for,
    and the bytes that leave no character (lost)."""
    chars: dict[str, list[int]] = {}
    lost: list[int] = []
    for b in range(256):
        ch = _byte_char(row, b)
        if not ch:
            lost.append(b)
        else:
            chars.setdefault(ch, []).append(b)
    if row.nbsp_space:
        chars[" "].append(0xA0)
    if row.shown_too:
        for lo, hi in row.invisible:
            for b in range(lo, hi + 1):
                views = {chr(b), bytes((b,)).decode(row.c1 or row.reader, "replace")}
                for ch in views - {"\ufffd"}:
                    chars.setdefault(ch, []).append(b)
    return {ch: tuple(bs) for ch, bs in chars.items()}, tuple(lost)


class _Edge(NamedTuple):
    start: int  # first token
    end: int  # one past the last token
    text: str
    lost: int  # bytes the path says were lost inside this character
    cost: float


@dataclass(frozen=True)
class Reading:
    """A run read back: the text, how many characters were rebuilt from lost bytes and
    kept, how many are U+FFFD."""

    text: str
    language: str
    restored: int
    unsure: int
    solid: int  # CJK characters with two bytes or more seen
    whole: int  # CJK characters of two bytes or more, every byte seen
    marks: int  # punctuation or symbols of two bytes or more, every byte seen (``、``)
    gain: float
    score: float  # the path's log-likelihood, lost bytes' costs included
    seen: int = 0  # solid characters with two bytes seen, not counting a space as A0
    on_space: int = 0  # solid characters that took a space for one of their bytes


_Spec = tuple[int, str, int, float]
#: A path through the lattice, last character first: (its position, its spec, the path
#: before it), or None.
_Path = tuple[int, _Spec, "_Path"] | None


_BYTE = tuple(bytes((b,)) for b in range(256))


@functools.lru_cache(maxsize=4096)
def _reach(row: Row, first: tuple[int, ...]) -> int:
    """How many tokens, from one whose bytes are ``first``, the characters that start
    there can use (at least one): all that :func:`_specs` looks at. (A window cut to it
    is the same key for every run that goes on differently after it.)"""
    lengths = char_lengths(row.original)
    reach = max((lengths[b] for b in first), default=0)
    if row.original != "utf-8":
        # (a lost lead byte: see _specs)
        reach = max([reach, *(lengths[b] for b in table(row)[1] if b != 0x20)])
    return max(1, reach)


@functools.lru_cache(maxsize=65536)
def _specs(row: Row, window: tuple[tuple[int, ...], ...]) -> tuple[_Spec, ...]:
    """The characters that can start at the first of the tokens ``window`` (the next
    four at most): (tokens used, text, lost bytes put back, cost)."""
    return specs_where(row, window, _live)


def specs_where(
    row: Row, window: tuple[tuple[int, ...], ...], live: Callable[[bytes], bool]
) -> tuple[_Spec, ...]:
    """:func:`_specs`, the UTF-8 byte strings grown only where ``live`` says that a
    character worth having begins with them (:func:`_live`: a printable one)."""
    lengths = char_lengths(row.original)
    lost = tuple(b for b in table(row)[1] if b != 0x20)
    utf8 = row.original == "utf-8"
    # (a space is never a legacy trail byte; in UTF-16 it is U+20xx's high byte)
    inner = space_inside(row.original)
    out: list[_Spec] = []
    # (bytes so far, tokens used, lost bytes used)
    firsts: list[tuple[bytes, int, int]] = [(bytes((b,)), 1, 0) for b in window[0]]
    if row.original != "utf-8":
        # (a lost lead byte: Shift_JIS's 81 before the 40 of an ideographic space; a
        # UTF-8 character whose lead is lost is mostly gone, and is not rebuilt)
        firsts += [(bytes((b,)), 0, 1) for b in lost if lengths[b] > 1]
    for head, used, nlost in firsts:
        n = lengths[head[0]]
        if n == 0:
            continue
        partial = [(head, used, nlost)]
        for slot in range(n - 1):
            # (in UTF-8, only the bytes that can continue the lead there: any other
            # makes no character, and pruned now it is not grown further)
            fits = _follow(head[0], slot) if utf8 else None
            lost_fit = lost if fits is None else [b for b in lost if b in fits]
            seen_fit: dict[int, list[int]] = {}  # a token's bytes that fit, by index
            grown = []
            for data, u, nl in partial:
                if u < len(window):
                    fit = seen_fit.get(u)
                    if fit is None:
                        fit = seen_fit[u] = [
                            b
                            for b in window[u]
                            if (inner or b != 0x20) and (fits is None or b in fits)
                        ]
                    grown += [(data + _BYTE[b], u + 1, nl) for b in fit]
                if nl + 1 < n:  # (one byte at least was seen)
                    grown += [(data + _BYTE[b], u, nl + 1) for b in lost_fit]
            if utf8 and slot < n - 2:
                # (and only the beginnings that some printable character has: a lead
                # and lost continuation bytes may leave thousands of byte strings in
                # private or unassigned planes, none of which is a character)
                grown = [p for p in grown if live(p[0])]
            partial = grown
        for data, u, nl in partial:
            if u == 0:
                continue
            ch = _char(data, row.original)
            if ch is None:
                continue
            # (a space read as a no-break space inside a character leaves a choice as
            # well: the character may have lost a byte before a real space; not where
            # a real space is unlikely, before another space or a punctuation mark)
            nbsp = sum(
                1
                for j in range(1, u)
                if window[j] == _SPACE and (j + 1 == len(window) or window[j + 1] not in _NO_SPACE)
            )
            out.append((u, ch, nl, (nl + nbsp) * LOST_BYTE_COST))
            if data[-1] == 0xA0 and n > 1 and window[u - 1] == _SPACE:
                out.append((u, ch + " ", nl, nl * LOST_BYTE_COST + COLLAPSE_COST))
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _pruned(row: Row, window: tuple[tuple[int, ...], ...], lang: str) -> tuple[int, ...]:
    """The characters worth following from one position (indices into
    :func:`_specs`): for each number of tokens used, the :data:`PATHS` likeliest alone
    (a character of two lost bytes has a thousand candidates, nearly all of them rare;
    the posterior still counts them all)."""
    from cjkfix import model

    specs = _specs(row, window)
    if len(specs) <= PATHS:
        return tuple(range(len(specs)))
    by_used: dict[int, list[int]] = {}
    for k, spec in enumerate(specs):
        by_used.setdefault(spec[0], []).append(k)
    out: list[int] = []
    for group in by_used.values():
        if len(group) > PATHS:
            solo = model.candidate_scores("", [specs[k][1][0] for k in group], "", lang)
            ranked = sorted(zip(solo, group, strict=True), reverse=True)
            group = [k for _v, k in ranked[:PATHS]]
        out.extend(group)
    return tuple(sorted(out))


def _tokens(run: str, row: Row) -> list[tuple[int, ...]] | None:
    chars, lost = table(row)
    # (a ``?`` is a question mark, or a byte the reader had no character for, written
    # as ``?`` by an encoder that replaces)
    qmark = tuple(sorted({*lost, 0x3F}))
    out: list[tuple[int, ...]] = []
    for ch in run:
        if ch == "\ufffd":
            out.append(lost)
            continue
        if ch == "?":
            out.append(qmark)
            continue
        bs = chars.get(ch)
        if bs is None:
            return None
        out.append(bs)
    return out


def spaced_after(ch: str) -> bool:
    """Is ``ch``, the character after a run, one a real space hardly comes before (a
    space, an ASCII punctuation mark: see :data:`_NO_SPACE`)?"""
    return ch == " " or (len(ch) == 1 and ch.isascii() and (ord(ch),) in _NO_SPACE)


def _window(tokens: list[tuple[int, ...]], i: int, reach: int) -> tuple[tuple[int, ...], ...]:
    """The tokens the characters starting at ``i`` can use, and the one after them
    where the last is a space that may be a no-break space (is a space next?)."""
    end = i + reach
    if end < len(tokens) and tokens[end - 1] == _SPACE:
        end += 1
    return tuple(tokens[i:end])


@functools.lru_cache(maxsize=4096)
def repair_run(run: str, row: Row, spaced: bool = False, before: str = "") -> Reading | None:
    """``run`` read back through ``row``, or None where no reading of all of it makes
    sense (see the module docstring). ``spaced``: a space or a punctuation mark follows
    the run in its text (where the run ends on a space, that one may be a no-break
    space at no cost: see :func:`specs_where`); ``before``: the character before the run
    in its text, the first character's left neighbour (a space before ``을`` says it is
    no particle)."""
    from cjkfix import model

    if len(run) > MAX_RUN:
        return None
    tokens = _tokens(run, row)
    if tokens is None:
        return None
    n = len(tokens)
    # (what follows the run: a token of no byte, that no character can use, looked at)
    ahead = [*tokens, ()] if spaced else tokens
    windows = [_window(ahead, i, min(n - i, _reach(row, tokens[i]))) for i in range(n)]
    edges = [_specs(row, w) for w in windows]
    langs = _languages(row, windows)
    if not langs:
        return None
    from cjkfix.singlebyte_search import Lattice, joint_shares, local_share

    best: tuple[float, str, tuple[_Edge, ...], Lattice] | None = None
    for lang in langs:
        lattice = Lattice(edges, windows, row, lang, before)
        got = lattice.best()
        if got is not None and (best is None or got[0] > best[0]):
            best = (got[0], lang, tuple(_Edge(i, i + sp[0], *sp[1:]) for i, sp in got[1]), lattice)
    if best is None:
        return None
    score, lang, path, lattice = best
    out: list[str] = []
    restored = unsure = solid = seen = on_space = 0
    sure = [not e.lost and all(len(tokens[j]) == 1 for j in range(e.start, e.end)) for e in path]
    shares: dict[tuple[int, int, str], float] | None = None
    whole = marks = 0
    for k, e in enumerate(path):
        cjk = model.is_cjk(e.text[0])
        solid += cjk and (e.end - e.start) - (e.text[0] == " ") >= 2
        # (a space read as a no-break space is no byte seen, but a choice the path made:
        # ``é `` is no UTF-8 lead and its A0 for a line read whole)
        seen += cjk and sum(1 for j in range(e.start, e.end) if tokens[j] != _SPACE) >= 2
        on_space += cjk and _SPACE in tokens[e.start : e.end]
        if not sure[k]:
            # (the character's posterior next to the neighbours read for sure; where
            # no byte of it was dropped, or else its share of all the run's paths: see
            # cjkfix.singlebyte_search)
            if local_share(path, k, edges, tokens, sure, before, lang) < SURE:
                if not e.lost and shares is None:
                    shares = joint_shares(lattice)
                key = (e.start, e.end - e.start, e.text)
                if e.lost or shares is None or shares.get(key, 0.0) < SURE:
                    # (lost bytes, or a character the table shows for two bytes, that
                    # the model does not pin down)
                    out.append("\ufffd" + e.text[1:])
                    unsure += 1
                    continue
            restored += e.lost > 0
        whole += not e.lost and e.end - e.start >= 2 and model.is_cjk(e.text[0])
        marks += sure[k] and e.end - e.start >= 2 and is_mark(e.text[0])
        out.append(e.text)
    text = "".join(out)
    if row.composed is not None:
        composed = row.composed
        text = _COMPOSED.sub(lambda m: _compose(m.group(), row.original, composed), text)
    gain = _gain(run, text, lang)
    return Reading(text, lang, restored, unsure, solid, whole, marks, gain, score, seen, on_space)


#: A Hangul filler and three jamo: KS X 1001's eight-byte form of a syllable.
_COMPOSED = LazyRegex("\u3164[\u3131-\u3164]{3}")


def _compose(parts: str, original: str, composed: str) -> str:
    """``parts`` (read by the ``original`` codec) read by the ``composed`` codec, where
    that makes one character."""
    try:
        ch = parts.encode(original).decode(composed)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return parts
    return ch if len(ch) == 1 else parts


def _languages(row: Row, windows: list[tuple[tuple[int, ...], ...]]) -> tuple[str, ...]:
    """The language of the CJK characters read whole (no byte lost), by the model; every
    language where there are none (each is tried)."""
    from cjkfix import model

    seen = "".join(_whole_cjk(row, w) for w in windows)
    if not seen:
        return model.LANGS
    return (model.score(seen)[0],)


@functools.lru_cache(maxsize=8192)
def _whole_cjk(row: Row, window: tuple[tuple[int, ...], ...]) -> str:
    """The CJK characters that start at ``window`` with no byte lost, in order."""
    from cjkfix import model

    return "".join(e[1][0] for e in _specs(row, window) if not e[2] and model.is_cjk(e[1][0]))


def _gain(run: str, text: str, lang: str) -> float:
    """How much better ``text`` reads than ``run``, per character of the run."""
    from cjkfix import model

    kept = text.replace("\ufffd", "")
    if not kept:
        return 0.0
    # (both totals over the run's characters: each character read back stands for the
    # two to four it was shown as; the lost ones are left out of both sides)
    shown = "".join(ch for ch in run if ch != "\ufffd")
    seen = len(shown) * len(kept) / max(1, len(text))
    before = model.text_logprob(shown, lang) * seen / max(1, len(shown))
    return (model.text_logprob(kept, lang) - before) / max(1.0, seen)


def is_mark(ch: str) -> bool:
    """A punctuation mark or symbol beyond ASCII (``“``, ``、``, ``→``): the legacy CJK
    codecs' double-byte rows hold them beside the characters."""
    return not ch.isascii() and unicodedata.category(ch)[0] in "PS"
