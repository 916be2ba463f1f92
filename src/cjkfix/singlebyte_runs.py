"""The rows of :mod:`cjkfix.singlebyte` and what they read in a line: the runs of each
row's mojibake, each run read back through the lattice where a paragraph would accept
the reading (:func:`_read`), and a line's readings by row (:func:`_line_reads`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from cjkfix.singlebyte_bound import may_count, refused, starters
from cjkfix.singlebyte_evidence import (
    MIN_FLUENCY_IN_WORD,
    accept,
    box_only,
    cjk_char,
    fluent,
    in_latin_text,
    in_latin_word,
    one_repeated,
    reads_as_text,
    signs_only,
    thai_words,
)
from cjkfix.singlebyte_lattice import Reading, Row, repair_run, shown, spaced_after, table

__all__ = ["READERS", "ROWS", "WHOLE_LINE_SOLID", "misses", "runs", "utf8_misses"]

#: A line that a row of UTF-8 reads whole is that row's with this many characters
#: of two bytes or more seen.
WHOLE_LINE_SOLID = 4


_C1 = ((0x80, 0x9F),)

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


def _read(run: str, row: Row, after: str = "", before: str = "") -> tuple[str, Reading] | None:
    """The best reading of ``run`` that a paragraph where ``row`` was found would accept
    (a trailing ASCII character or space may belong to the run or not); ``after``: the
    character after the run in its text, ``before`` the one before it."""
    best: tuple[str, Reading] | None = None
    # (the shorter first: a trailing space is the run's only where that reads better)
    for cut in (run[:-1], run) if (run[-1:].isascii() and len(run) > 2) else (run,):
        # (a cut that cannot count a character, or that has a character no accepted
        # reading has, is never accepted: no lattice for it)
        spaced = spaced_after(run[len(cut) :] or after)
        reading = (
            repair_run(cut, row, spaced, before)
            if not refused(cut, row) and may_count(cut, row)
            else None
        )
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


#: The readers whose own script is Thai.
_THAI_READERS = frozenset({"cp874", "iso8859_11"})

_Found = tuple[int, int, Row, Reading, bool]
_LineReads = tuple[tuple[_Found, ...], frozenset[str], tuple[tuple[str, int], ...]]
#: Lines up to this long keep their readings (:func:`_line_reads_cached`).
CACHED_LINE = 2000


def _row_reads(line: str, row: Row) -> tuple[list[_Found], bool, int, bool]:
    """What ``row`` reads in ``line`` (see :func:`_line_reads`): each run read, whether
    one is strong on its own, its count of characters read whole, and whether it reads
    every character beyond ASCII as UTF-8 with enough of them solid, two bytes seen
    besides a space taken for a no-break space (a line of it)."""
    found: list[_Found] = []
    strong = False
    whole = 0
    covered = seen = 0
    # (a run with no character that can begin a counted one is never read, nor is
    # a line without one: found at C speed, before the run's other tests)
    begin = starters(row)
    if begin is not None and begin.isdisjoint(line):
        return found, strong, whole, False
    for a, b in runs(line, row):
        if begin is not None and begin.isdisjoint(line[a:b]):
            continue
        if _glued(line, a, b, row):
            continue
        got = _read(line[a:b], row, line[b : b + 1], line[a - 1 : a])
        if got is not None:
            cut, reading = got
            end = a + len(cut)
            glued = row.ascii_inside and in_latin_word(line, a, end)
            # (box drawing alone is weak evidence, ``├┤a┼┐a`` is a drawing: a row
            # found elsewhere in the paragraph may still read it)
            ok = (
                accept(reading)
                and (not row.ascii_inside or fluent(reading))
                and (not box_only(cut) or reads_as_text(reading))
                and not signs_only(cut)
                and not (one_repeated(cut) and one_repeated(reading.text))
                # (well-formed Thai through a Thai code page is no evidence on its own:
                # clean Thai reads as UTF-8 with bytes lost; the paragraph may still
                # show the row, ``(รท)`` beside the rest of a line of it is ``(÷)``)
                and not (row.reader in _THAI_READERS and thai_words(cut))
                # (letters glued to a Latin word, or a Latin word's own, read as rare
                # characters are the word's: ``GrößeÅngström`` is no Shift_JIS ``批e熟``
                # through cp437, ``«pâté»`` no ``ｮpフけ``)
                and not (
                    (glued or (row.ascii_inside and in_latin_text(line, a, end)))
                    and not fluent(reading, floor=MIN_FLUENCY_IN_WORD)
                )
            )
            if not ok and reading.solid and glued:
                continue
            found.append((a, end, row, reading, ok))
            covered += sum(1 for ch in cut if not ch.isascii())
            seen += reading.seen
            whole += reading.whole
            strong = strong or ok
    # (a line whose every non-ASCII character the row reads, as UTF-8: the byte
    # structure is the evidence, even where every character was lost; not where
    # a lead and its continuation bytes are letters of the table's own script,
    # as Thai vowels and consonants are)
    all_of_it = (
        row.original == "utf-8"
        and covered == sum(1 for ch in line if not ch.isascii())
        and seen >= WHOLE_LINE_SOLID
        and not _letters_follow(row)
    )
    return found, strong, whole, all_of_it


def _line_reads(line: str) -> _LineReads:
    """What the rows read in ``line``, for :func:`cjkfix.singlebyte.edits`: each run
    read (start, end in the line, row, reading, strong on its own), the rows with strong
    evidence in it, and each row's count of characters read whole."""
    found: list[_Found] = []
    strong: set[str] = set()
    whole: dict[str, int] = {}
    for row in ROWS.values():
        row_found, row_strong, row_whole, all_of_it = _row_reads(line, row)
        found.extend(row_found)
        if row_found:
            whole[row.name] = row_whole
        if row_strong:
            strong.add(row.name)
        if all_of_it:
            whole[row.name] = whole.get(row.name, 0) + 2
            strong.add(row.name)
    return tuple(found), frozenset(strong), tuple(whole.items())


def utf8_misses(line: str, wanted: Callable[[str], bool]) -> bool:
    """Is a character of ``line`` that is ``wanted`` (never ASCII) outside every run
    that a row of UTF-8 reads? Then no reading of the line by those rows alone covers it
    (each reading is of such a run); the legacy rows are not asked."""
    return misses(line, wanted, [row for row in ROWS.values() if row.original == "utf-8"])


def misses(line: str, wanted: Callable[[str], bool], rows: list[Row], least: int = 1) -> bool:
    """Are ``least`` characters of ``line`` that are ``wanted`` (never ASCII) outside
    every run that one of ``rows`` reads (:func:`_read`)? The characters are taken in
    order, each asking only the runs that hold it (one a row) and are not read yet: the
    answer comes before the line's other runs are read. (A run is taken as read where
    :func:`_line_reads` may still leave it out: the count is of characters that no
    reading of the line by those rows covers.)"""
    found = {row.name: list(runs(line, row)) for row in rows}
    # (as _row_reads: a row none of whose starters the line holds reads no run of it;
    # asked once per row, not once per character)
    begins = {row.name: starters(row) for row in rows}
    rows = [r for r in rows if (s := begins[r.name]) is None or not s.isdisjoint(line)]
    covered = bytearray(len(line))
    left = least
    # A row's runs (a regex's matches) are in order and do not overlap, and the
    # characters are taken in order: each row keeps the index of its first run that
    # does not end before the character, and each run is read once, when its first
    # wanted character is reached (scanning the row's runs from the start for each
    # character was quadratic on a long line of junk).
    nxt = {row.name: 0 for row in rows}
    for i, ch in enumerate(line):
        if covered[i] or not wanted(ch):
            continue
        for row in rows:
            spans = found[row.name]
            k = nxt[row.name]
            while k < len(spans) and spans[k][1] <= i:
                k += 1
            if k == len(spans) or spans[k][0] > i:
                nxt[row.name] = k
                continue
            a, b = spans[k]
            nxt[row.name] = k + 1  # (each run read once)
            begin = begins[row.name]
            if (begin is None or not begin.isdisjoint(line[a:b])) and not _glued(line, a, b, row):
                got = _read(line[a:b], row, line[b : b + 1], line[a - 1 : a])
                if got is not None:
                    covered[a : a + len(got[0])] = b"\x01" * len(got[0])
        if not covered[i]:
            left -= 1
            if not left:
                return True
    return False


@functools.lru_cache(maxsize=1024)
def _line_reads_cached(line: str) -> _LineReads:
    # (a line is read again in each round of the mojibake fixer and by whole_line,
    # reads_more and edits: the runs' own cache does not hold a long text's runs)
    return _line_reads(line)
