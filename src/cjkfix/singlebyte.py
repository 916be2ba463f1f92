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

import functools
import re
from collections.abc import Iterator

from cjkfix._lazyre import LazyRegex
from cjkfix.singlebyte_lattice import (
    SURE,
    Reading,
    Row,
    char_lengths,
    is_mark,
    repair_run,
    shown,
    table,
)
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
    "table",
    "whole_line",
]

#: A lossless legacy reading must read at least this well (mean log-probability per
#: character: text reads -4 to -6.7, one syllable alone -8, box drawing read as GBK -9.5 to
#: -17).
MIN_FLUENCY = -8.5
#: The same for a short run in a paragraph where its row was found, where the run mixes
#: box drawing, signs and letters (``┼½``, ``¥Á``: neither a drawing nor a word; a word
#: alone reads -7 to -10.5, ``값`` -10.4).
MIN_FLUENCY_MIXED = -11.0
#: A run of the DOS rows that is box drawing alone is evidence on its own where it reads
#: as three different CJK characters or more at least this well (text of three or more
#: reads -3 to -7; table borders read as GBK or EUC-KR -9.2 and below).
MIN_FLUENCY_BOX = -7.0
#: A run read as marks alone away from runs read as text (an ASCII word between) must
#: make marks this common (``。，、：！？「」（）``, -3.3 to -5.5 in the model).
MARK_ALONE = -5.5
#: A line that a row of UTF-8 reads whole is that row's with this many characters
#: of two bytes or more seen.
WHOLE_LINE_SOLID = 4
#: The repaired run must score this much better per character than the run as it is.
MIN_GAIN = 3.0


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
        Row("shift_jis>cp437", "cp932", "cp437", ascii_inside=True),
        Row("gbk>cp437", "gbk", "cp437", ascii_inside=True),
        Row("euc-kr>cp437", "cp949", "cp437", ascii_inside=True),
        Row("shift_jis>cp850", "cp932", "cp850", ascii_inside=True),
        Row("gbk>cp850", "gbk", "cp850", ascii_inside=True),
        Row("euc-kr>cp850", "cp949", "cp850", ascii_inside=True),
    )
}


#: The rows by the name of their reader (the second half of the chain name): the tables
#: :mod:`cjkfix.simulate` reads bytes with.
READERS: dict[str, Row] = {name.split(">", 1)[1]: row for name, row in ROWS.items()}


def _cjk(ch: str) -> bool:
    """Han, kana, Hangul, CJK or full-width punctuation, or half-width katakana."""
    from cjkfix import model

    if "\uff01" <= ch <= "\uff5e":
        # (full-width punctuation, not letters or digits: a reading that makes ``ｐ`` of
        # Latin text is not CJK text)
        return not ch.isalnum()
    return model.is_cjk(ch) or "\u3000" <= ch <= "\u303f" or "\uff61" <= ch <= "\uff9f"


@functools.cache
def _letters_follow(row: Row) -> bool:
    """Are most characters the table shows for the continuation bytes 80-BF letters
    (Thai consonants in cp874, Polish letters in ISO-8859-2; latin-1's are symbols)?"""
    chars = [ch for ch in map(functools.partial(shown, row), range(0x80, 0xC0)) if ch]
    return sum(1 for ch in chars if ch.isalpha()) * 2 > len(chars)


def _cjk_share(text: str) -> tuple[int, int]:
    """The characters beyond ASCII that CJK text is made of (its marks too), and all."""
    wide = [ch for ch in text if not ch.isascii() and ch != "\ufffd"]
    return sum(1 for ch in wide if _cjk(ch) or is_mark(ch)), len(wide)


def accept(reading: Reading, *, seen: bool = False) -> bool:
    """Is ``reading`` a repair: CJK text (at least two characters with two of their
    bytes seen; one, or one mark read whole, where the same row was found in the
    paragraph, ``seen``), nothing but CJK, its marks or ASCII, not mostly U+FFFD, and
    much likelier than the run?"""
    cjk, wide = _cjk_share(reading.text)
    if (reading.solid + reading.marks if seen else reading.solid) < (1 if seen else 2):
        return False
    if cjk < wide:
        return False
    if reading.unsure > 3 * reading.solid:
        return False
    if seen and not reading.text.replace("\ufffd", "").strip():
        # (every character lost: nothing left for the model to judge, but each has the
        # byte structure of the row found in this paragraph)
        return reading.solid >= 1
    return reading.gain >= MIN_GAIN


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


_BOX = LazyRegex("[\u2500-\u259f]+")


def _box_only(run: str) -> bool:
    """Are the run's non-ASCII characters all box drawing or blocks?"""
    return _BOX.fullmatch("".join(ch for ch in run if not ch.isascii())) is not None


#: The signs that clean text uses on their own (units, maths, marks) from Latin-1 and
#: the DOS code pages' maths row; box drawing is judged apart (:func:`_box_only`).
_SIGNS = frozenset("±°²³¹µ·×÷¼½¾©®§¶¬¯´¸¨ºª≥≤≈√∞∙≡∩⌠⌡ⁿ■")


def signs_only(run: str) -> bool:
    """Is ``run`` only everyday signs and ASCII (``±±±±°C``, ``±°C²±``, ``±≥``)? A
    measurement or a row of signs reads as legacy CJK bytes too (``B1 B1`` is GBK 北),
    so alone it is no evidence of mojibake (EUC-KR's ``±×`` is 그 inside Korean
    mojibake, where the rest of the paragraph is the evidence)."""
    return any(ch in _SIGNS for ch in run) and all(ch in _SIGNS or ch.isascii() for ch in run)


def one_repeated(run: str) -> bool:
    """Is ``run``'s non-ASCII text one character repeated (``ÉÉ``, ``±±``)? A legacy
    character whose two bytes are equal (cp932 ``90 90`` is 瑞, GBK ``B1 B1`` is 北)
    shows so, and so does a doubled letter or sign: alone, no evidence."""
    return len({ch for ch in run if not ch.isascii()}) == 1


def runs(text: str, row: Row) -> Iterator[tuple[int, int]]:
    """Where ``row``'s mojibake may be in ``text``: runs of the table's non-ASCII
    characters (with the ASCII or spaces a character's bytes may hold)."""
    for m in _run_regex(row).finditer(text):
        if m.end() - m.start() >= 2:
            yield m.start(), m.end()


def _fluent(reading: Reading, run: str = "") -> bool:
    """Does a lossless legacy reading read like text (its mean log-probability)? Box
    drawing read as GBK (``╔══╗``, ``赏突``) gains as much on the symbols it replaces,
    but makes rare characters; so do Latin letters (``öß``, ``批``). A ``run`` given that
    is neither (``┼½`` for ``큰``) may read less well (:data:`MIN_FLUENCY_MIXED`); so may
    box drawing, read only as a word between words (:func:`_between_words`)."""
    from cjkfix import model

    if not reading.solid:
        # (marks alone: nothing rare for the model to judge; they are read only next to
        # a run read as text, see :func:`_beside_text`)
        return True
    wide = [ch for ch in run if not ch.isascii()]
    mixed = not all(ch.isalpha() for ch in wide)
    floor = MIN_FLUENCY_MIXED if wide and mixed else MIN_FLUENCY
    return model.text_logprob(reading.text, reading.language) / len(reading.text) >= floor


def _reads_as_text(reading: Reading) -> bool:
    """Does a reading of box drawing read as text, not as a table's border: three
    different CJK characters or more at :data:`MIN_FLUENCY_BOX` (``╔══════╗`` is GBK
    ``赏屯屯突``, -10.9 per character)?"""
    from cjkfix import model

    distinct = {ch for ch in reading.text if model.is_cjk(ch)}
    fluency = model.text_logprob(reading.text, reading.language) / len(reading.text)
    return len(distinct) >= 3 and fluency >= MIN_FLUENCY_BOX


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
        if len(wide) >= 2 and all(ch.isalpha() and not _cjk(ch) for ch in wide):
            return True
    return False


def _read(run: str, row: Row) -> tuple[str, Reading] | None:
    """The best reading of ``run`` that a paragraph where ``row`` was found would accept
    (a trailing ASCII character or space may belong to the run or not)."""
    best: tuple[str, Reading] | None = None
    # (the shorter first: a trailing space is the run's only where that reads better)
    for cut in (run[:-1], run) if (run[-1:].isascii() and len(run) > 2) else (run,):
        reading = repair_run(cut, row)
        if (
            reading is not None
            and accept(reading, seen=True)
            and (not row.ascii_inside or (_fluent(reading, cut) and not _other_script(cut, row)))
            and (best is None or reading.gain * len(cut) > best[1].gain * len(best[0]))
        ):
            best = (cut, reading)
    return best


_LETTER = LazyRegex(r"[^\W\d_]")
#: ASCII punctuation and signs.
_MARK = LazyRegex(r"[!-/:-@\[-`{-~]")


def _beside_text(
    text: str, start: int, end: int, found: list[tuple[int, int, Row, Reading, bool]]
) -> bool:
    """Is the run ``start:end`` (read as marks alone) on a line with a run read as CJK
    text, next to it with no letter between them (``、`` in ``4íó0`` between two runs
    of Chinese), or anywhere on the line where its marks are the commonest
    (:data:`MARK_ALONE`: ``。`` in ``Trueíú``)? Not ``ül`` in ``Müller``, ``üh`` in
    ``früh`` (Shift_JIS 81 68 is ``”``): German is full of them."""
    from cjkfix import model

    mine = next(f[3] for f in found if f[0] == start and f[1] == end)
    common = all(
        model.char_logprob(ch, mine.language) >= MARK_ALONE for ch in mine.text if not ch.isascii()
    )
    for a, b, _row, reading, _ok in found:
        if not reading.solid:
            continue
        gap = text[b:start] if b <= start else text[end:a] if end <= a else None
        if gap is not None and "\n" not in gap and (common or _LETTER.search(gap) is None):
            return True
    return False


def _between_words(
    text: str,
    run: tuple[int, int, Row, Reading, bool],
    found: list[tuple[int, int, Row, Reading, bool]],
) -> bool:
    """Is ``run`` (box drawing read as a word less fluent than :data:`MIN_FLUENCY`, a
    single syllable alone: ``╡╖`` for ``돈``, -8.8) a word between two runs its row reads
    as text, with nothing but spaces and marks between them (``오직 ╡╖ 벌``)? A table's
    border or a tree's branch is not (``├─`` is EUC-KR ``쳐``, -8.9)."""
    start, end, row = run[0], run[1], run[2]
    left = right = False
    for a, b, other, reading, _ok in found:
        if other != row or not reading.solid or (a, b) == (start, end):
            continue
        gap = text[b:start] if b <= start else text[end:a] if end <= a else None
        if gap is None or not all(ch in " \t" or _MARK.fullmatch(ch) for ch in gap):
            continue
        left |= b <= start
        right |= end <= a
    return left and right


def _in_latin_word(line: str, start: int, end: int) -> bool:
    """Is the run ``start:end`` of ``line`` letters (``öß``) touching an ASCII letter, a
    Latin word (``Größe``)? A row found elsewhere in the paragraph does not read it
    (Shift_JIS 94 E1 is 批); a run read as CJK text on its own still is (``HPÁ─ãÀ``)."""
    wide = [ch for ch in line[start:end] if not ch.isascii()]
    if not all(ch.isalpha() for ch in wide):
        return False
    before, after = line[start - 1 : start], line[end : end + 1]
    return any(ch.isascii() and ch.isalpha() for ch in before + after)


def edits(text: str, lines: list[tuple[int, int]]) -> list[Edit]:
    """Repairs of the rows' mojibake in the given lines (start, end) of ``text``. A run
    needs strong evidence on its own, unless its row has it elsewhere in ``text``; where
    rows compete for a run, the reading that gains most wins."""
    found: list[tuple[int, int, Row, Reading, bool]] = []
    strong: set[str] = set()
    whole: dict[str, int] = {}
    for start, end in lines:
        line = text[start:end]
        wide = sum(1 for ch in line if not ch.isascii())
        for row in ROWS.values():
            covered = solid = 0
            for a, b in runs(line, row):
                got = _read(line[a:b], row)
                if got is not None:
                    cut, reading = got
                    # (box drawing alone is weak evidence, ``├┤a┼┐a`` is a drawing: a
                    # row found elsewhere in the paragraph may still read it)
                    ok = (
                        accept(reading)
                        and (not row.ascii_inside or _fluent(reading))
                        and (not _box_only(cut) or _reads_as_text(reading))
                        and not signs_only(cut)
                        and not (one_repeated(cut) and one_repeated(reading.text))
                    )
                    if (
                        not ok
                        and reading.solid
                        and row.ascii_inside
                        and _in_latin_word(line, a, a + len(cut))
                    ):
                        continue
                    found.append((start + a, start + a + len(cut), row, reading, ok))
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
                # (a line whose every non-ASCII character the row reads, as UTF-8: the
                # byte structure is the evidence, even where every character was lost;
                # not where a lead and its continuation bytes are letters of the
                # table's own script, as Thai vowels and consonants are)
                whole[row.name] = whole.get(row.name, 0) + 2
                strong.add(row.name)
    # (and two characters read whole, every byte seen, in the paragraph: clean Thai
    # read as UTF-8 with lost bytes put back makes CJK characters, but none whole)
    strong = {name for name in strong if whole.get(name, 0) >= 2}
    found = [f for f in found if f[2].name in strong]
    found = [f for f in found if f[3].solid or _beside_text(text, f[0], f[1], found)]
    found = [
        f
        for f in found
        if f[4]
        or not _box_only(text[f[0] : f[1]])
        or _fluent(f[3])
        or _between_words(text, f, found)
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
    found.sort(key=lambda f: (rank[f[2].name], f[4], f[3].gain * (f[1] - f[0])), reverse=True)
    out: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for a, b, row, reading, _ok in found:
        if any(a < tb and ta < b for ta, tb in taken):
            continue
        taken.append((a, b))
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
    return sum(1 for ch in text if not ch.isascii() and ch != "\ufffd" and not _cjk(ch))


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
    for row in ROWS.values():
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
