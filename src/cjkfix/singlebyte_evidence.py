"""What a run of the singlebyte rows and its neighbours say: is a reading CJK text, fluent
enough, text rather than a drawing, a Latin word, marks beside text, a word between words
(see :mod:`cjkfix.singlebyte` for the rows and how a paragraph's runs are found)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from cjkfix._lazyre import LazyRegex
from cjkfix.codecs import CP1252_OWN
from cjkfix.singlebyte_lattice import Reading, Row, is_mark

__all__ = [
    "MARK_ALONE",
    "MIN_FLUENCY",
    "MIN_FLUENCY_BOX",
    "MIN_FLUENCY_IN_WORD",
    "MIN_FLUENCY_MIXED",
    "MIN_GAIN",
    "RESIDUAL",
    "accept",
    "beside_text",
    "between_words",
    "box_only",
    "cjk_char",
    "fluent",
    "in_latin_text",
    "in_latin_word",
    "on_line",
    "one_repeated",
    "reads_as_text",
    "signs_only",
    "utf8_cut_short",
    "utf8_remnant",
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
#: The repaired run must score this much better per character than the run as it is.
MIN_GAIN = 3.0
#: A run of letters glued to a Latin word (:func:`in_latin_word`) or that is Latin text
#: (:func:`in_latin_text`) is read on its own only where its reading is CJK text this
#: fluent: Latin letters read as a legacy codec through a DOS code page make rare
#: characters (``ößeÅn`` of ``GrößeÅngström`` is Shift_JIS ``批e熟``, -8.2 per
#: character; ``âté»`` of ``pâté»``, ``フけ``, -6.4); runs of legacy text of that shape
#: in the corpus read -6.0 and above, a Japanese word glued to a name -3 to -6
#: (``âeâXâg`` is ``テスト``, -4.3).
MIN_FLUENCY_IN_WORD = -6.0


def cjk_char(ch: str) -> bool:
    """Han, kana, Hangul, CJK or full-width punctuation, or half-width katakana."""
    from cjkfix import model

    if "\uff01" <= ch <= "\uff5e":
        # (full-width punctuation, not letters or digits: a reading that makes ``ｐ`` of
        # Latin text is not CJK text)
        return not ch.isalnum()
    return model.is_cjk(ch) or "\u3000" <= ch <= "\u303f" or "\uff61" <= ch <= "\uff9f"


def _residual_class() -> str:
    """A regex class of the characters that are neither ASCII, U+FFFD nor
    :func:`cjk_char`: built from :data:`cjkfix.model.CJK_RANGES` and the full-width
    forms, so that text is tested at C speed."""
    from cjkfix import model

    kept = ["\x00-\x7f\ufffd\u3000-\u303f\uff61-\uff9f"]
    kept += [f"{chr(lo)}-{chr(hi)}" for lo, hi in model.CJK_RANGES]
    kept += [re.escape(chr(c)) for c in range(0xFF01, 0xFF5F) if not chr(c).isalnum()]
    return "[^" + "".join(kept) + "]"


#: Characters left that are neither ASCII, CJK (:func:`cjk_char`) nor U+FFFD.
RESIDUAL = LazyRegex(_residual_class())


def _cjk_share(text: str) -> tuple[int, int]:
    """The characters beyond ASCII that CJK text is made of (its marks too), and all."""
    wide = [ch for ch in text if not ch.isascii() and ch != "\ufffd"]
    return sum(1 for ch in wide if cjk_char(ch) or is_mark(ch)), len(wide)


def accept(reading: Reading, *, seen: bool = False) -> bool:
    """Is ``reading`` a repair: CJK text (at least two characters with two of their
    bytes seen; one, or one mark read whole, where the same row was found in the
    paragraph, ``seen``), nothing but CJK, its marks or ASCII, not mostly U+FFFD (at
    most three unsure characters per one read whole), and much likelier than the run?"""
    cjk, wide = _cjk_share(reading.text)
    if (reading.solid + reading.marks if seen else reading.solid) < (1 if seen else 2):
        return False
    if cjk < wide:
        return False
    if not seen and reading.on_space >= reading.solid:
        # (every character stands on a space taken for a no-break space: a choice of the
        # path, no byte seen; ``é « é »`` of French text is no ``頫 頻``)
        return False
    # (at most three characters unsure per one read whole; where the row was found in
    # the paragraph, per mark read whole too: ``ďź‰ďźš`` is ``）`` and a lost character)
    if reading.unsure > 3 * (reading.solid + (reading.marks if seen else 0)):
        return False
    if seen and not reading.text.replace("\ufffd", "").strip():
        # (every character lost: nothing left for the model to judge, but each has the
        # byte structure of the row found in this paragraph)
        return reading.solid >= 1
    return reading.gain >= MIN_GAIN


_BOX = LazyRegex("[\u2500-\u259f]+")


def box_only(run: str) -> bool:
    """Are the run's non-ASCII characters all box drawing or blocks?"""
    return _BOX.fullmatch("".join(ch for ch in run if not ch.isascii())) is not None


#: The signs that clean text uses on their own (units, maths, marks) from Latin-1 and
#: the DOS code pages' maths row; box drawing is judged apart (:func:`box_only`).
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


def fluent(reading: Reading, run: str = "", floor: float | None = None) -> bool:
    """Does a lossless legacy reading read like text (its mean log-probability)? Box
    drawing read as GBK (``╔══╗``, ``赏突``) gains as much on the symbols it replaces,
    but makes rare characters; so do Latin letters (``öß``, ``批``). A ``run`` given that
    is neither (``┼½`` for ``큰``) may read less well (:data:`MIN_FLUENCY_MIXED`); so may
    box drawing, read only as a word between words (:func:`between_words`). A ``floor``
    given is the one asked of every reading."""
    from cjkfix import model

    if not reading.solid:
        # (marks alone: nothing rare for the model to judge; they are read only next to
        # a run read as text, see :func:`beside_text`)
        return True
    if floor is None:
        wide = [ch for ch in run if not ch.isascii()]
        mixed = not all(ch.isalpha() for ch in wide)
        floor = MIN_FLUENCY_MIXED if wide and mixed else MIN_FLUENCY
    return model.text_logprob(reading.text, reading.language) / len(reading.text) >= floor


def reads_as_text(reading: Reading) -> bool:
    """Does a reading of box drawing read as text, not as a table's border: three
    different CJK characters or more at :data:`MIN_FLUENCY_BOX` (``╔══════╗`` is GBK
    ``赏屯屯突``, -10.9 per character)?"""
    from cjkfix import model

    distinct = {ch for ch in reading.text if model.is_cjk(ch)}
    fluency = model.text_logprob(reading.text, reading.language) / len(reading.text)
    return len(distinct) >= 3 and fluency >= MIN_FLUENCY_BOX


_LETTER = LazyRegex(r"[^\W\d_]")


_NEWLINE = LazyRegex("\n")

#: ASCII punctuation and signs.
_MARK = LazyRegex(r"[!-/:-@\[-`{-~]")


def beside_text(
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


def on_line(
    text: str, found: list[tuple[int, int, Row, Reading, bool]]
) -> Callable[[int], list[tuple[int, int, Row, Reading, bool]]]:
    """The runs of ``found`` on the line of a position in ``text``: the runs that
    :func:`beside_text` and :func:`between_words` look at beside a run are on its line
    (looked for among all of a paragraph's thousands, the time was quadratic)."""
    if not found:
        return lambda pos: []  # (clean text: no scan of it for its line ends)
    ends = [m.start() for m in _NEWLINE.finditer(text)]
    by_line: dict[int, list[tuple[int, int, Row, Reading, bool]]] = {}
    for f in found:
        by_line.setdefault(bisect.bisect_left(ends, f[0]), []).append(f)
    return lambda pos: by_line.get(bisect.bisect_left(ends, pos), [])


def between_words(
    text: str,
    run: tuple[int, int, Row, Reading, bool],
    found: list[tuple[int, int, Row, Reading, bool]],
) -> bool:
    """Is ``run`` (box drawing read as a word less fluent than :data:`MIN_FLUENCY`, a
    single syllable alone: ``╡╖`` for ``돈``, -8.8) a word between words: on each side,
    past spaces and ASCII marks, a run its row reads as text or a CJK character (``오직
    ╡╖ 벌``, ``있습니다.) ├╣ 페이지에``)? A table's border or a tree's branch is not
    (``├─`` is EUC-KR ``쳐``, -8.9): a line's start, a file name or another drawing is
    beside it."""
    start, end, row = run[0], run[1], run[2]
    words = [(a, b) for a, b, other, reading, _ok in found if other == row and reading.solid]

    def word_at(pos: int, step: int) -> bool:
        while 0 <= pos < len(text) and (text[pos] in " \t" or _MARK.fullmatch(text[pos])):
            pos += step
        if not 0 <= pos < len(text):
            return False
        return cjk_char(text[pos]) or any(a <= pos < b for a, b in words)

    return word_at(start - 1, -1) and word_at(end, 1)


def in_latin_word(line: str, start: int, end: int) -> bool:
    """Is the run ``start:end`` of ``line`` letters (``öß``) touching an ASCII letter, a
    Latin word (``Größe``)? A row found elsewhere in the paragraph does not read it
    (Shift_JIS 94 E1 is 批); a run read as CJK text on its own still is (``HPÁ─ãÀ``)."""
    wide = [ch for ch in line[start:end] if not ch.isascii()]
    if not all(ch.isalpha() for ch in wide):
        return False
    before, after = line[start - 1 : start], line[end : end + 1]
    return any(ch.isascii() and ch.isalpha() for ch in before + after)


#: A word of Latin script as written: an optional capital, then small letters, or
#: capitals alone; ASCII and Latin-1's letters.
_LATIN_WORD = LazyRegex("[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ]+|[A-ZÀ-ÖØ-Þ]+")
_WORD = LazyRegex(r"[^\W\d_]+")
#: Quotation and question marks of Latin-script text beyond ASCII.
_LATIN_QUOTES = frozenset("«»¿¡")


def in_latin_text(line: str, start: int, end: int) -> bool:
    """Is the run ``start:end`` of ``line`` Latin text: each character beyond ASCII a
    letter of a Latin word (:data:`_LATIN_WORD`, with an ASCII letter, taken whole past
    the run's ends: ``pâté`` of ``«pâté»``) or a Latin quotation mark (``«»¿¡``)?
    Shift_JIS through a DOS code page makes letters too, but its words change case
    inside (``âeâXâg`` is ``テスト``), hold no ASCII letter (``éóéñ`` is ``いう``) or
    stand beside box drawing."""
    a = start
    while a > 0 and line[a - 1].isalpha():
        a -= 1
    b = end
    while b < len(line) and line[b].isalpha():
        b += 1
    latin = 0
    pos = start
    for m in _WORD.finditer(line, a, b):
        if any(not ch.isascii() and ch not in _LATIN_QUOTES for ch in line[pos : m.start()]):
            return False
        word = m.group()
        if not word.isascii():
            if not any(ch.isascii() for ch in word) or _LATIN_WORD.fullmatch(word) is None:
                return False
            latin += 1
        pos = max(pos, m.end())
    tail = line[pos:end]
    return latin > 0 and all(ch.isascii() or ch in _LATIN_QUOTES for ch in tail)


def utf8_cut_short(run: str, least: int = 2) -> bool:
    """Is ``run``, as cp1252 shows bytes, nothing but UTF-8 characters that lost their
    last bytes (``least`` or more: a lead, then fewer continuation bytes than it needs)?"""
    try:
        data = run.encode("cp1252")
    except UnicodeEncodeError:
        return False
    pieces = i = 0
    while i < len(data):
        lead = data[i]
        need = 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 0
        k = 0
        while k < need and i + 1 + k < len(data) and 0x80 <= data[i + 1 + k] <= 0xBF:
            k += 1
        if need < 2 or not 1 <= k < need:
            return False
        pieces += 1
        i += 1 + k
    return pieces >= least


def utf8_remnant(run: str, line: Callable[[], str]) -> bool:
    """Is ``run`` UTF-8 cut short (:func:`utf8_cut_short`) in a line (``line()``, asked
    only then) that shows cp1252's own characters (``‚``, ``€``, ``…``)? Then it is what
    a lossy decoder left of UTF-8 read as cp1252 (``ê°ê°``: 각각, 81 lost twice), not a
    legacy codec through a DOS code page (``ê°`` is cp437's 88 F8, 引 in Shift_JIS),
    which shows none of them."""
    # (the line last: a paragraph holds thousands of runs, few of this shape)
    return utf8_twice_cut_short(run) or (
        utf8_cut_short(run) and any(ch in CP1252_OWN for ch in line())
    )


def utf8_twice_cut_short(run: str) -> bool:
    """Is ``run`` UTF-8 read as cp1252 (or Latin-1) twice over, of UTF-8 characters that
    lost their last bytes (one is enough: two layers of UTF-8 are no accident of a legacy
    codec through a DOS code page)? ``Ã«Â°`` is ``ë°``, 및 with its last byte lost, in a
    double mojibake whose other runs were read (and whose cp1252 characters went with
    them), not GBK's ``钱而`` through cp850."""
    try:
        inner = run.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return False
    return not inner.isascii() and utf8_cut_short(inner, 1)


# Thai orthography (Unicode's Thai block): consonants, the vowels that follow one, the
# marks written above or below one, the vowels written before one.
_THAI_CONSONANT = "\u0e01-\u0e2e"
_THAI_FOLLOWING = "\u0e30\u0e32\u0e33\u0e45"
_THAI_MARK = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_THAI_LEADING = "\u0e40-\u0e44"
#: A Thai word: syllables of an optional leading vowel, a consonant, marks above or
#: below it and vowels after it; ``ๆ`` (repeat) and ``ฯ`` (abbreviation) after a word;
#: Thai digits alone.
_THAI_WORD = LazyRegex(
    f"(?:[{_THAI_LEADING}]?[{_THAI_CONSONANT}][{_THAI_MARK}]{{0,3}}[{_THAI_FOLLOWING}]?"
    f"[{_THAI_MARK}]{{0,2}})+[\u0e46\u0e2f]?|[\u0e50-\u0e59]+"
)


def thai_words(run: str) -> bool:
    """Is ``run`` Thai text: every piece between spaces and ASCII a well-formed Thai
    word (:data:`_THAI_WORD`)? UTF-8 read as cp874 or TIS-620 makes Thai letters too,
    but out of order (``ํ•œ๊ตญ์–ด`` for 한국어: a mark with no consonant under it, cp1252's
    symbols between), and a reading of clean Thai as UTF-8 is mostly lost bytes put
    together with guessed ones (``ใช้ได้`` is ``な`` and three U+FFFD): a repair nobody
    asked for."""
    words = [w for w in re.split(r"[\x00-\x7f\u00a0]+", run) if w]
    return bool(words) and all(_THAI_WORD.fullmatch(w) is not None for w in words)
