"""CJK text whose bytes were read through a single-byte table, some of them lost.

The chains found in the wild that ftfy does not know (issue 10): UTF-8 read as Thai
cp874 with cp1252's characters for 80-9F, or with the C1 bytes dropped; UTF-8 read as
ISO-8859-2 with cp1252 for 80-9F (an IRC client's "windows" charset); UTF-8 read as
latin-1 with the C1 characters and the soft hyphen lost in copy and paste, a no-break
space shown as a space; Shift_JIS, GBK and EUC-KR zip entry names read as cp437 or
cp850.

Each chain is a :class:`Row` of data: the original codec, the table the reader used
(256 entries built from Python codecs, never by hand), the bytes it shows as nothing.
One mechanism serves every row: the characters of a run give their bytes (a space may
have been a no-break space; a byte the reader had no character for may have been
dropped anywhere the original codec needs one, or shown as U+FFFD), every way of
cutting those bytes into characters of the original codec is a path in a lattice, and
the language model picks the likeliest path (:mod:`cjkfix.singlebyte_lattice`). A
character rebuilt from lost bytes is kept only where the model is sure (posterior at least
:data:`SURE`); else it is U+FFFD.

    >>> from cjkfix.singlebyte import repair_run, ROWS
    >>> row = ROWS["utf-8>cp874+cp1252"]
    >>> repair_run("๋Œ€๋ฒ•์›", row).text
    '대법원'
    >>> repair_run("î⌐É╧Åæ_ì┼ÅIö┼", ROWS["shift_jis>cp437"]).text
    '見積書_最終版'
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable

from cjkfix import singlebyte_units
from cjkfix.singlebyte_evidence import (
    RESIDUAL,
    accept,
    beside_text,
    between_words,
    box_only,
    fluent,
    on_line,
    signs_only,
    utf8_remnant,
)
from cjkfix.singlebyte_lattice import (
    SURE,
    Reading,
    Row,
    char_lengths,
    repair_run,
    shown,
    table,
)
from cjkfix.singlebyte_runs import (
    CACHED_LINE,
    READERS,
    ROWS,
    _Found,
    _line_reads,
    _line_reads_cached,
    misses,
    runs,
    utf8_misses,
)
from cjkfix.singlebyte_units import two_byte
from cjkfix.steps import Edit, splice

__all__ = [
    "READERS",
    "ROWS",
    "SURE",
    "Reading",
    "Row",
    "accept",
    "edits",
    "gate_branches",
    "reads_more",
    "repair_run",
    "runs",
    "shown",
    "signs_only",
    "table",
    "whole_line",
]


#: A run read through a row that shows 80-9F, with at least this many characters beyond
#: ASCII read, shows one of them somewhere on its line (each character of CJK text in
#: UTF-8 has two continuation bytes, a half of them in 80-9F: three characters with none,
#: one in 64).
C1_SHOWN_AFTER = 3


@functools.cache
def _c1_chars(row: Row) -> frozenset[str]:
    """What ``row``'s reader shows for the bytes 80-9F (none: it shows them as nothing,
    or as C1 controls)."""
    return frozenset(
        ch for b in range(0x80, 0xA0) if (ch := shown(row, b)) and unicodedata.category(ch) != "Cc"
    )


def _c1_hidden(row: Row, reading: Reading, line: Callable[[], str]) -> bool:
    """Does ``reading``, of a run through ``row`` (a reader that shows 80-9F), read at
    least :data:`C1_SHOWN_AFTER` characters beyond ASCII on a line that shows none of
    the row's 80-9F characters?"""
    c1 = _c1_chars(row)
    if row.original != "utf-8" or not c1:
        return False
    if sum(1 for ch in reading.text if not ch.isascii()) < C1_SHOWN_AFTER:
        return False
    return c1.isdisjoint(line())


def _line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : len(text) if end < 0 else end]


def edits(text: str, lines: list[tuple[int, int]]) -> list[Edit]:
    """Repairs of the rows' mojibake in the given lines (start, end) of ``text``, whole
    lines each (without the line end). A run needs strong evidence on its own, unless its
    row has it elsewhere in ``text``; where rows compete for a run, the reading that gains
    most wins."""
    found: list[_Found] = []
    strong: set[str] = set()
    whole: dict[str, int] = {}
    # (a line is known by its rank among the given lines, which orders them as their
    # index in ``text`` does, and every run lies in one of them: a list of every line
    # end of ``text`` cost a scan of all of it, 0.3 ms per 128 Ki characters, on each call)
    ends = sorted(end for _start, end in lines)

    def line_of(pos: int) -> int:
        return bisect.bisect_left(ends, pos)

    own: dict[int, set[str]] = {}  # (each line's rows strong on it alone)
    for start, end in lines:
        line = text[start:end]
        line_found, line_strong, line_whole = (
            _line_reads_cached(line) if len(line) <= CACHED_LINE else _line_reads(line)
        )
        found.extend((start + a, start + b, row, r, ok) for a, b, row, r, ok in line_found)
        strong.update(line_strong)
        for name, count in line_whole:
            whole[name] = whole.get(name, 0) + count
        own[line_of(start)] = {name for name, count in line_whole if count >= 2} & set(line_strong)
    # (and two characters read whole, every byte seen, in the paragraph: clean Thai
    # read as UTF-8 with lost bytes put back makes CJK characters, but none whole)
    strong = {name for name in strong if whole.get(name, 0) >= 2}
    found = [f for f in found if f[2].name in strong]
    # (a run through a row found strong only on other lines, whose reader shows the
    # bytes 80-9F, is not that row's where its line shows none of them while it reads
    # several characters of UTF-8, half of whose continuation bytes are 80-9F: UTF-8
    # read as TIS-620, which shows none, is not cp874+cp1252's, which would have put
    # back only its five undefined bytes, and read ``์ข๋ค์`` as 좁, not 좋, where
    # another line's cp874+cp1252 gave it the paragraph's evidence)
    found = [
        f
        for f in found
        if f[2].name in own[line_of(f[0])]
        or not _c1_hidden(f[2], f[3], functools.partial(_line_at, text, f[0]))
    ]
    # (what a lossy decoder left of UTF-8 read as cp1252 is no legacy text through a DOS
    # code page: ``ê°ê°`` beside repaired Korean is 각각 with bytes lost, not 引引)
    found = [
        f
        for f in found
        if f[2].original == "utf-8"
        or not utf8_remnant(text[f[0] : f[1]], functools.partial(_line_at, text, f[0]))
    ]
    mates = on_line(text, found)
    found = [f for f in found if f[3].solid or beside_text(text, f[0], f[1], mates(f[0]))]
    mates = on_line(text, found)
    found = [
        f
        for f in found
        if f[4]
        or not box_only(text[f[0] : f[1]])
        or fluent(f[3])
        or between_words(text, f, mates(f[0]))
    ]
    # One reading per line first: the row that explains most of the line (characters in
    # runs it reads) has its runs taken first, then the next row where it is free. (A
    # line of UTF-8 read as TIS-620 with its C1 bytes lost reads best, run by run, as
    # cp874+cp1252 with other bytes put back, and wrongly: ``서울`` as ``읍인``.) Lines
    # are ranked on their own runs, as each line alone ranks them: a TIS-620 line beside
    # a cp874+cp1252 one is TIS-620's, whose lost bytes may be any of 80-9F, not
    # cp874+cp1252's, which puts back only its five undefined bytes (``์ผ`` is 왼 or 일,
    # not surely 일).
    cover: dict[tuple[int, str], list[float]] = {}
    spans: dict[tuple[int, str], set[int]] = {}
    for a, b, row, reading, _ok in found:
        key = (line_of(a), row.name)
        c = cover.setdefault(key, [0.0, 0.0, 0.0])
        c[0] += b - a
        c[1] += reading.score
        c[2] += len(reading.text)
        spans.setdefault(key, set()).update(range(a, b))
    most: dict[int, float] = {}
    names: dict[int, list[str]] = {}  # (the rows read on each line)
    for (at, name), c in cover.items():
        most[at] = max(most.get(at, 0.0), c[0])
        names.setdefault(at, []).append(name)
    # (rows that read nearly as much of the paragraph compete, UTF-8 first (its byte
    # structure is evidence a legacy codec's is not), then a row that reads all that
    # another reader's row of the same codec reads, and more, where neither table loses
    # bytes (one that puts lost bytes back reads more by guessing): ``╕╙░í``, cp850 has
    # no ``╕``, so the reader was cp437, though cp850's EUC-KR reads ``░í`` alone with
    # a likelier path; then on the likelihood of their paths, lost bytes included, per
    # character they make: TIS-620's path through ``์์ธ`` is ``서울``, cp874+cp1252's,
    # which cannot put 84 and 9C back, ``읍인``; EUC-KR's reading of a run in cp850 is
    # ``피었어``, Shift_JIS's ``妹シク``)
    rank = {
        (at, name): (
            c[0] >= 0.8 * most[at],
            ROWS[name].original == "utf-8",
            not any(
                spans[at, name] < spans[at, other]
                for other in names[at]
                if ROWS[other].original == ROWS[name].original
                and not table(ROWS[other])[1]
                and not table(ROWS[name])[1]
            ),
            c[1] / max(1.0, c[2]),
        )
        for (at, name), c in cover.items()
    }
    # (context never makes a run worse than alone: a run one codec reads strongly on
    # its own is not taken by another codec's weak reading, whatever the paragraph's
    # rank: a Korean line beside a GBK one, both through cp437, stays Korean, not
    # ``墨府胶付狼`` for ``카리스마의``)
    # (one map of positions per codec, looked up at C speed: a paragraph holds
    # thousands of runs)
    read: dict[str, bytearray] = {}
    for a, b, row, _r, ok in found:
        if ok:
            read.setdefault(row.original, bytearray(len(text)))[a:b] = b"\x01" * (b - a)
    found = [
        f
        for f in found
        if f[4]
        or not any(
            codec != f[2].original and seen.find(1, f[0], f[1]) != -1
            for codec, seen in read.items()
        )
    ]
    # (nor by a row that reads nothing strongly in the run's line, where another row
    # does: a line of UTF-8 read as latin-1 with its C1 bytes lost, beside one read
    # through ISO-8859-2, is read by its own row, as alone, not ISO-8859-2's ``靴``)
    strong_rows: dict[int, set[str]] = {}
    for a, _b, row, _r, ok in found:
        if ok:
            strong_rows.setdefault(line_of(a), set()).add(row.name)
    found = [f for f in found if f[4] or f[2].name in strong_rows.get(line_of(f[0]), {f[2].name})]
    found.sort(
        key=lambda f: (rank[line_of(f[0]), f[2].name], f[4], f[3].gain * (f[1] - f[0])),
        reverse=True,
    )
    if found:
        # (a run read only because its row was found in the paragraph goes to the first
        # row's codec: a Korean paragraph through cp850 where GBK reads one run well
        # enough is still Korean, ``╚³`` is 힙, not 赛)
        # (in a line where a codec reads a run strongly on its own, that codec: a
        # Korean line beside GBK ones is read as Korean, as it is alone)
        first = found[0][2].original
        by_line: dict[int, str] = {}
        for a, _b, row, _r, ok in found:  # (in rank order: the line's first strong codec)
            if ok:
                by_line.setdefault(line_of(a), row.original)
        found = [f for f in found if f[4] or f[2].original == by_line.get(line_of(f[0]), first)]
    out: list[Edit] = []
    taken = bytearray(len(text))
    for a, b, row, reading, _ok in found:
        if taken.find(1, a, b) != -1:
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append(
            Edit(
                a,
                b,
                reading.text,
                reason=f"{row.original} read through {row.reader}"
                + (f" with {row.c1} for 80-9F" if row.c1 else "")
                + (", bytes lost" if reading.restored or reading.unsure else ""),
                confidence=0.9 if not reading.unsure else 0.7,
                evidence={
                    "chain": row.name.split(">"),
                    "language": reading.language,
                    "restored_characters": reading.restored,
                    "lost_characters": reading.unsure,
                    "gain": round(reading.gain, 3),
                },
            )
        )
    return sorted(out, key=lambda e: e.start)


def _residual(ch: str) -> bool:
    """Neither ASCII, CJK nor U+FFFD."""
    return RESIDUAL.match(ch) is not None


def _residue(text: str) -> int:
    """Characters left that are neither ASCII, CJK nor U+FFFD."""
    return len(RESIDUAL.findall(text))


def whole_line(line: str) -> str | None:
    """``line`` read by the rows, where they leave nothing but ASCII, CJK and U+FFFD (a
    line that is UTF-8 through and through under one of these tables is that, whatever
    a legacy reading of some of its runs would make of them; so is a line that a legacy
    row reads whole and latin-1 or cp1252 cannot show); else None."""
    latin = _latin(line)
    if latin and utf8_misses(line, _residual):
        # (where latin-1 or cp1252 can show the line, only the rows of UTF-8 may read
        # it, and one of its characters left that none of them reads stays: found
        # before the legacy rows' lattices, which would read GBK text as cp437 in vain)
        return None
    found = edits(line, [(0, len(line))])
    if not found:
        return None
    if latin and any(e.evidence["chain"][0] != "utf-8" for e in found):
        # (a legacy row's reading of the line, only where latin-1 and cp1252 cannot
        # show the line: there the engine's readings through them are the likelier)
        return None
    out = splice(line, found)
    return out if _residue(out) == 0 else None


def _latin(line: str) -> bool:
    """Could latin-1 or cp1252 show all of ``line``?"""
    for codec in ("latin-1", "cp1252"):
        try:
            line.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


def reads_more(line: str, other: str) -> bool:
    """Do the rows read ``line`` further than ``other`` (another fixer's reading of it)
    does: fewer characters left that are not CJK?"""
    left = _residue(other)
    if not left:
        return False
    if misses(line, _residual, list(ROWS.values()), left):
        # (as many characters as ``other`` leaves, or more, that no run any row reads
        # covers: the rows' reading leaves them all; found before the line's other runs)
        return False
    found = edits(line, [(0, len(line))])
    return bool(found) and _residue(splice(line, found)) < left


#: UTF-16 read as latin-1 or cp1252 (NUL and C1 bytes shown): repaired by
#: :mod:`cjkfix.utf16`, not by the lattice; these rows give the gate its rules only
#: (the displayed form, NUL and C1 bytes gone, is not a row: a third of Han loses a
#: byte and the alignment turns at every ASCII character, so no reading is certain).
GATE_ONLY: tuple[Row, ...] = tuple(
    Row(f"{c}>latin-1+cp1252", c, "latin-1", "cp1252", ((0x00, 0x00), (0x80, 0x9F)), shown_too=True)
    for c in ("utf-16-le", "utf-16-be")
)


def gate_branches() -> tuple[tuple[str, str], ...]:
    """The rows' gate rules as (first character's class, rest): a character a table
    makes of a lead byte followed by what it makes of the bytes that can follow it."""
    out: list[tuple[str, str]] = []
    for row in (*ROWS.values(), *GATE_ONLY):
        if two_byte(row):
            out += singlebyte_units.gate_branches(row)
            continue
        chars, _lost = table(row)
        lengths = char_lengths(row.original)
        by_byte = {b: ch for ch, bs in chars.items() for b in bs if not ch.isascii()}
        if row.original == "utf-8":
            leads = "".join(by_byte.get(b, "") for b in range(0xE3, 0xEE))
            nxt = "".join(by_byte.get(b, "") for b in range(0x80, 0xC0)) + "".join(
                by_byte.get(b, "") for b in range(0xE3, 0xEE)
            )
        else:
            leads = "".join(by_byte.get(b, "") for b in range(0x80, 0x100) if lengths[b] == 2)
            nxt = "".join(by_byte.get(b, "") for b in range(0x80, 0x100))
        if leads and nxt:
            # (a no-break space shown as a space: only before another character of the
            # run, or ``café naïve`` would pass)
            space = " ?" if row.nbsp_space else ""
            rest = f"{space}[{_class(nxt)}]"
            if row.original == "utf-8":
                # (and a third byte: a Thai vowel and one consonant are clean Thai)
                rest += f"[{_class(nxt)}{space[:1]}]"
            out.append((_class(leads), rest))
            if row.ascii_inside:
                # (or three characters whose trail bytes are ASCII: katakana in
                # Shift_JIS, ``âRü[âh`` for コード; ``Québécois`` has two)
                trail = "[\x40-\x7e]"
                out.append((_class(leads), f"{trail}[{_class(leads)}]{trail}[{_class(leads)}]"))
    return tuple(out)


def _class(chars: str) -> str:
    return "".join(sorted({re.escape(ch) if ch in "\\]^-[" else ch for ch in chars}))
