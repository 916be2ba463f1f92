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
from collections.abc import Iterator

from cjkfix import singlebyte_units
from cjkfix.singlebyte_bound import may_count, starters
from cjkfix.singlebyte_evidence import (
    accept,
    beside_text,
    between_words,
    box_only,
    cjk_char,
    fluent,
    in_latin_word,
    on_line,
    one_repeated,
    reads_as_text,
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

#: A line that a row of UTF-8 reads whole is that row's with this many characters
#: of two bytes or more seen.
WHOLE_LINE_SOLID = 4


_C1 = ((0x80, 0x9F),)
_NUL_C1 = ((0x00, 0x00), *_C1)

#: The rows, by chain name (the names :mod:`cjkfix.simulate` uses).
ROWS: dict[str, Row] = {
    r.name: r
    for r in (
        Row("utf-8>cp874+cp1252", "utf-8", "cp874", c1="cp1252", nbsp_space=True),
        Row(
            "utf-8>tis-620",
            "utf-8",
            "iso8859_11",
            invisible=_C1,
            nbsp_space=True,
            collapse=True,
        ),
        Row("utf-8>iso-8859-2+cp1252", "utf-8", "iso8859_2", c1="cp1252"),
        Row(
            "utf-8>latin-1-c1-lost",
            "utf-8",
            "latin-1",
            invisible=((0x80, 0x9F), (0xAD, 0xAD)),  # (and the soft hyphen)
            nbsp_space=True,
        ),
        # (UTF-8 zip entry names without the UTF-8 flag, read as the OEM code page)
        Row("utf-8>cp437", "utf-8", "cp437"),
        Row("utf-8>cp850", "utf-8", "cp850"),
        Row("shift_jis>cp437", "cp932", "cp437", ascii_inside=True),
        Row("gbk>cp437", "gbk", "cp437", ascii_inside=True),
        Row("euc-kr>cp437", "cp949", "cp437", ascii_inside=True, composed="euc_kr"),
        Row("shift_jis>cp850", "cp932", "cp850", ascii_inside=True),
        Row("gbk>cp850", "gbk", "cp850", ascii_inside=True),
        Row("euc-kr>cp850", "cp949", "cp850", ascii_inside=True, composed="euc_kr"),
    )
}


#: UTF-16 read as latin-1 or cp1252 (NUL and C1 bytes shown): repaired by
#: :mod:`cjkfix.utf16`, not by the lattice; these rows give the gate its rules only
#: (the displayed form, NUL and C1 bytes gone, is not a row: a third of Han loses a
#: byte and the alignment turns at every ASCII character, so no reading is certain).
GATE_ONLY: tuple[Row, ...] = tuple(
    Row(f"{c}>latin-1+cp1252", c, "latin-1", "cp1252", _NUL_C1, shown_too=True)
    for c in ("utf-16-le", "utf-16-be")
)


#: The rows by the name of their reader (the second half of the chain name): the tables
#: :mod:`cjkfix.simulate` reads bytes with.
READERS: dict[str, Row] = {name.split(">", 1)[1]: row for name, row in ROWS.items()}


@functools.cache
def _letters_follow(row: Row) -> bool:
    """Are most characters the table shows for the continuation bytes 80-BF letters
    (Thai consonants in cp874, Polish letters in ISO-8859-2; latin-1's are symbols)?"""
    chars = [ch for ch in map(functools.partial(shown, row), range(0x80, 0xC0)) if ch]
    return sum(1 for ch in chars if ch.isalpha()) * 2 > len(chars)


# ----------------------------------------------------------------------------- runs


@functools.cache
def _run_regex(row: Row) -> re.Pattern[str]:
    chars, _lost = table(row)
    wide = "".join(sorted(re.escape(ch) for ch in chars if not ch.isascii())) + "\ufffd"
    # (and ``?`` after the run's first character: a byte lost as ``?``)
    more = wide + "?"
    if row.ascii_inside:
        # (an ASCII byte may be the trail of the character before it)
        return re.compile(f"[{wide}](?:[\\x40-\\x7e]?[{more}])*[\\x40-\\x7e]?")
    if row.nbsp_space:
        return re.compile(f"[{wide}](?: ?[{more}])* ?")
    return re.compile(f"[{wide}][{more}]*")


def runs(text: str, row: Row) -> Iterator[tuple[int, int]]:
    """Where ``row``'s mojibake may be in ``text``: runs of the table's non-ASCII
    characters (with the ASCII or spaces a character's bytes may hold)."""
    for m in _run_regex(row).finditer(text):
        if m.end() - m.start() >= 2:
            yield m.start(), m.end()


def _other_script(run: str, row: Row) -> bool:
    """Do the bytes ``run`` shows read, in another row's original codec, as letters of
    a script that is not CJK (Greek written in EUC-KR and shown by cp437 reads as
    katakana in Shift_JIS)? Then the CJK reading is not the only one."""
    chars, _lost = table(row)
    data = bytes(chars[ch][0] for ch in run)
    for other in {r.original for r in ROWS.values() if r.reader == row.reader} - {row.original}:
        try:
            text = data.decode(other)
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if not ch.isascii()]
        if len(wide) >= 2 and all(ch.isalpha() and not cjk_char(ch) for ch in wide):
            return True
    return False


def _read(run: str, row: Row) -> tuple[str, Reading] | None:
    """The best reading of ``run`` that a paragraph where ``row`` was found would accept
    (a trailing ASCII character or space may belong to the run or not)."""
    best: tuple[str, Reading] | None = None
    # (the shorter first: a trailing space is the run's only where that reads better)
    for cut in (run[:-1], run) if (run[-1:].isascii() and len(run) > 2) else (run,):
        # (a cut that cannot count a character is never accepted: no lattice for it)
        reading = repair_run(cut, row) if may_count(cut, row) else None
        if (
            reading is not None
            and accept(reading, seen=True)
            and (not row.ascii_inside or (fluent(reading, cut) and not _other_script(cut, row)))
            and (best is None or reading.gain * len(cut) > best[1].gain * len(best[0]))
        ):
            best = (cut, reading)
    return best


#: What cp1252 shows for 80-9F, less the marks clean text uses (curly quotes, dashes,
#: the ellipsis, the bullet): beside a run, mojibake of cp1252 itself.
_CP1252_ONLY = frozenset("€‚ƒ„†‡ˆ‰Š‹ŒŽ˜™š›œžŸ")


def _glued(line: str, a: int, b: int, row: Row) -> bool:
    """Is the run ``line[a:b]`` glued to a character of cp1252's 80-9F that ``row``'s
    reader cannot show (``ä»Ž``: 从 through cp1252, not ``ä»`` and a C1 byte lost)?
    Then it is part of another table's mojibake."""
    chars, _lost = table(row)
    return any(
        ch in _CP1252_ONLY and ch not in chars for ch in (line[a - 1 : a], line[b : b + 1]) if ch
    )


_Found = tuple[int, int, Row, Reading, bool]
_LineReads = tuple[tuple[_Found, ...], frozenset[str], tuple[tuple[str, int], ...]]
#: Lines up to this long keep their readings (:func:`_line_reads_cached`).
CACHED_LINE = 2000


def _line_reads(line: str) -> _LineReads:
    """What the rows read in ``line``, for :func:`edits`: each run read (start, end in
    the line, row, reading, strong on its own), the rows with strong evidence in it, and
    each row's count of characters read whole."""
    found: list[_Found] = []
    strong: set[str] = set()
    whole: dict[str, int] = {}
    wide = sum(1 for ch in line if not ch.isascii())
    for row in ROWS.values():
        covered = solid = 0
        # (a run with no character that can begin a counted one is never read, nor is
        # a line without one: found at C speed, before the run's other tests)
        begin = starters(row)
        if begin is not None and begin.isdisjoint(line):
            continue
        for a, b in runs(line, row):
            if begin is not None and begin.isdisjoint(line[a:b]):
                continue
            if _glued(line, a, b, row):
                continue
            got = _read(line[a:b], row)
            if got is not None:
                cut, reading = got
                # (box drawing alone is weak evidence, ``├┤a┼┐a`` is a drawing: a row
                # found elsewhere in the paragraph may still read it)
                ok = (
                    accept(reading)
                    and (not row.ascii_inside or fluent(reading))
                    and (not box_only(cut) or reads_as_text(reading))
                    and not signs_only(cut)
                    and not (one_repeated(cut) and one_repeated(reading.text))
                )
                if (
                    not ok
                    and reading.solid
                    and row.ascii_inside
                    and in_latin_word(line, a, a + len(cut))
                ):
                    continue
                found.append((a, a + len(cut), row, reading, ok))
                covered += sum(1 for ch in cut if not ch.isascii())
                solid += reading.solid
                whole[row.name] = whole.get(row.name, 0) + reading.whole
                if ok:
                    strong.add(row.name)
        if (
            row.original == "utf-8"
            and covered == wide
            and solid >= WHOLE_LINE_SOLID
            and not _letters_follow(row)
        ):
            # (a line whose every non-ASCII character the row reads, as UTF-8: the byte
            # structure is the evidence, even where every character was lost; not where
            # a lead and its continuation bytes are letters of the table's own script,
            # as Thai vowels and consonants are)
            whole[row.name] = whole.get(row.name, 0) + 2
            strong.add(row.name)
    return tuple(found), frozenset(strong), tuple(whole.items())


@functools.lru_cache(maxsize=1024)
def _line_reads_cached(line: str) -> _LineReads:
    # (a line is read again in each round of the mojibake fixer and by whole_line,
    # reads_more and edits: the runs' own cache does not hold a long text's runs)
    return _line_reads(line)


_NEWLINE = re.compile("\n")


def _line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : len(text) if end < 0 else end]


def edits(text: str, lines: list[tuple[int, int]]) -> list[Edit]:
    """Repairs of the rows' mojibake in the given lines (start, end) of ``text``. A run
    needs strong evidence on its own, unless its row has it elsewhere in ``text``; where
    rows compete for a run, the reading that gains most wins."""
    found: list[_Found] = []
    strong: set[str] = set()
    whole: dict[str, int] = {}
    for start, end in lines:
        line = text[start:end]
        line_found, line_strong, line_whole = (
            _line_reads_cached(line) if len(line) <= CACHED_LINE else _line_reads(line)
        )
        found.extend((start + a, start + b, row, r, ok) for a, b, row, r, ok in line_found)
        strong.update(line_strong)
        for name, count in line_whole:
            whole[name] = whole.get(name, 0) + count
    # (and two characters read whole, every byte seen, in the paragraph: clean Thai
    # read as UTF-8 with lost bytes put back makes CJK characters, but none whole)
    strong = {name for name in strong if whole.get(name, 0) >= 2}
    found = [f for f in found if f[2].name in strong]
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
    # One reading per paragraph first: the row that explains most of it (characters in
    # runs it reads) has its runs taken first, then the next row where it is free. (A
    # paragraph of UTF-8 read as TIS-620 with its C1 bytes lost reads best, run by run,
    # as cp874+cp1252 with other bytes put back, and wrongly: ``서울`` as ``읍인``.)
    cover: dict[str, list[float]] = {}
    spans: dict[str, set[int]] = {}
    for a, b, row, reading, _ok in found:
        c = cover.setdefault(row.name, [0.0, 0.0, 0.0])
        c[0] += b - a
        c[1] += reading.score
        c[2] += len(reading.text)
        spans.setdefault(row.name, set()).update(range(a, b))
    most = max((c[0] for c in cover.values()), default=0.0)
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
        name: (
            c[0] >= 0.8 * most,
            ROWS[name].original == "utf-8",
            not any(
                spans[name] < spans[other]
                for other in spans
                if ROWS[other].original == ROWS[name].original
                and not table(ROWS[other])[1]
                and not table(ROWS[name])[1]
            ),
            c[1] / max(1.0, c[2]),
        )
        for name, c in cover.items()
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
    found.sort(key=lambda f: (rank[f[2].name], f[4], f[3].gain * (f[1] - f[0])), reverse=True)
    if found:
        # (a run read only because its row was found in the paragraph goes to the first
        # row's codec: a Korean paragraph through cp850 where GBK reads one run well
        # enough is still Korean, ``╚³`` is 힙, not 赛)
        # (in a line where a codec reads a run strongly on its own, that codec: a
        # Korean line beside GBK ones is read as Korean, as it is alone)
        first = found[0][2].original
        ends = [m.start() for m in _NEWLINE.finditer(text)]

        def line_of(pos: int) -> int:
            return bisect.bisect_left(ends, pos)

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


def _residue(text: str) -> int:
    """Characters left that are neither ASCII, CJK nor U+FFFD."""
    return sum(1 for ch in text if not ch.isascii() and ch != "\ufffd" and not cjk_char(ch))


def whole_line(line: str) -> str | None:
    """``line`` read by the rows, where they leave nothing but ASCII, CJK and U+FFFD (a
    line that is UTF-8 through and through under one of these tables is that, whatever
    a legacy reading of some of its runs would make of them; so is a line that a legacy
    row reads whole and latin-1 or cp1252 cannot show); else None."""
    found = edits(line, [(0, len(line))])
    if not found:
        return None
    if any(e.evidence["chain"][0] != "utf-8" for e in found) and _latin(line):
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
    if not _residue(other):
        return False
    found = edits(line, [(0, len(line))])
    return bool(found) and _residue(splice(line, found)) < _residue(other)


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
