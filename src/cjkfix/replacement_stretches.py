"""The stretches of a text that :mod:`cjkfix.replacement` reads: runs of U+FFFD and
non-ASCII characters (and the ASCII letters after them that may be trail bytes), which of
them show dense damage by themselves (junk letters alone between U+FFFD, not a word of a
script the text is written in), and which lines show nothing else beyond ASCII and text.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import re
import unicodedata
from typing import NamedTuple

from cjkfix._lazyre import LazyRegex

#: Longest run of junk letters a stretch may hold (a longer one is a word).
MAX_JUNK_RUN = 3
#: Longest stretch read (the lattice grows with it); longer ones are left alone.
MAX_STRETCH = 400

_FFFD = "\ufffd"
_NEWLINE = LazyRegex("\n")


def _natural(ch: str) -> bool:
    """A character that reads as genuine CJK text (common Han, kana, Hangul, CJK
    punctuation): a stretch of them is text, not damage."""
    o = ord(ch)
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFFEF:
        return True
    from cjkfix import model

    return model.is_cjk(ch) and model.best_char_logprob(ch) > -11.0


# Letters of a script that text is written in (a junk letter from one of these may be
# a genuine word's letter); other letters (IPA, Coptic, Armenian, Syriac, Thaana, Greek
# symbols, Cyrillic extensions, combining marks) are rare in any text.
_COMMON = (
    ("latin", 0xC0, 0x17F),
    ("greek", 0x386, 0x3CE),
    ("cyrillic", 0x400, 0x45F),
    ("hebrew", 0x5D0, 0x5EA),
    ("arabic", 0x620, 0x64A),
)


def _script(ch: str) -> str | None:
    o = ord(ch)
    for name, lo, hi in _COMMON:
        if lo <= o <= hi and ch.isalpha():
            return name
    return None


class _Stretch(NamedTuple):
    start: int
    end: int
    fffd: int
    junk: int
    longest_junk: int


class _Lines:
    """The lines of a text, indexed once for every per-line view of its stretches: a
    line's number for a position (a bisection, so a one-line megabyte stays linear),
    its bounds (without its line end), its stretches."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def of(self, pos: int) -> int:
        """The number of the line ``pos`` is on (a line end is its line's)."""
        return bisect.bisect_right(self._starts, pos) - 1

    def bounds(self, line: int) -> tuple[int, int]:
        """Where line number ``line`` starts and ends (before its line end)."""
        start = self._starts[line]
        end = self._starts[line + 1] - 1 if line + 1 < len(self._starts) else len(self._text)
        return start, end

    def grouped(self, stretches: list[_Stretch]) -> dict[int, list[int]]:
        """The indexes of ``stretches`` by the line each starts on, in order."""
        out: dict[int, list[int]] = {}
        for i, st in enumerate(stretches):
            out.setdefault(self.of(st.start), []).append(i)
        return out


@functools.lru_cache(maxsize=1 << 16)
def _kind(ch: str) -> str:
    # (kept per character: a stretch asks for each of its characters, and a megabyte of
    # mojibake with U+FFFD in it is made of the same few thousand)
    if ch == _FFFD:
        return "F"
    if ch.isascii() or ch.isspace():
        return "A"
    if _natural(ch):
        return "N"
    # Punctuation, symbols and emoji from U+2000 up (…, ♥, 💄) are text: clean text has
    # them beside U+FFFD, and legacy bytes seldom make them (they make letters and the
    # Latin-1 signs below U+0800, « § ¬, which stay junk).
    o = ord(ch)
    if (0x2000 <= o < 0x2C00 or o >= 0x10000) and unicodedata.category(ch)[0] not in "LM":
        return "N"
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
        return "N"  # a C1 control is another chain's (windows-1252's undefined bytes)
    return "J"


# Non-ASCII runs, each ASCII character between them or after them a possible trail byte.
_CANDIDATE = LazyRegex("[^\\x00-\\x7f\\s]+(?:[\\x40-\\x7e][^\\x00-\\x7f\\s]+)*[\\x40-\\x7e]?")
# Hangul syllables, kana and half-width katakana beside U+FFFD: UTF-8 read as EUC-KR or
# Shift_JIS (legacy bytes read as UTF-8 make them only from rare three-byte runs).
_UTF8_AS_LEGACY = LazyRegex("[\uac00-\ud7a3\u3041-\u30ff\uff61-\uff9f]")
_TRAILS = LazyRegex("\ufffd[\\x40-\\x7e](?=\ufffd)")
_BESIDE_FFFD = LazyRegex("(?<=\ufffd)[^\\x00-\\x7f\ufffd]|[^\\x00-\\x7f\ufffd](?=\ufffd)")
_WIDE = LazyRegex("[^\\x00-\\x7f\ufffd]")
_LONG_RUN = LazyRegex(f"[^\\x00-\\x7f\\ufffd]{{{MAX_JUNK_RUN + 1},}}")


def _stretches(text: str) -> list[_Stretch]:
    """The stretches of ``text`` that hold U+FFFD (see the module docstring)."""
    out: list[_Stretch] = []
    for m in _CANDIDATE.finditer(text):
        if _FFFD not in m.group():
            continue
        i, end = m.start(), m.end()
        kinds = [_kind(ch) for ch in text[i:end]]
        # a run of two natural characters is text: the stretch stops before it
        pieces: list[tuple[int, int]] = []
        j = 0
        begin = 0
        while j < len(kinds):
            if kinds[j] == "N" and j + 1 < len(kinds) and kinds[j + 1] == "N":
                if j > begin:
                    pieces.append((begin, j))
                while j < len(kinds) and kinds[j] in "NA":
                    j += 1
                begin = j
            else:
                j += 1
        if begin < len(kinds):
            pieces.append((begin, len(kinds)))
        for a, b in pieces:
            while b > a and kinds[b - 1] == "N" and b - 1 > a and kinds[b - 2] == "N":
                b -= 1
            seg = kinds[a:b]
            if "F" not in seg or b - a > MAX_STRETCH:
                continue
            runs = [len(r) for r in re.findall("J+", "".join(seg))]
            out.append(_Stretch(i + a, i + b, seg.count("F"), seg.count("J"), max(runs, default=0)))
    return out


_WORDS = {name: re.compile(f"[{chr(lo)}-{chr(hi)}]{{3,}}") for name, lo, hi in _COMMON}


def _evidence(text: str, s: _Stretch, outside: str) -> bool:
    """Whether stretch ``s`` is dense damage (junk letters alone between U+FFFD)."""
    piece = text[s.start : s.end]
    if s.junk == 0:
        # Big5 and Shift_JIS trail bytes between lost lead bytes: �o�Q�M
        return s.fffd >= 4 and len(_TRAILS.findall(piece)) >= 3
    if s.fffd + s.junk < 3:
        return False
    from cjkfix import model

    if all(model.is_cjk(ch) for ch in piece if _kind(ch) == "J"):
        # a rare Han character beside U+FFFD is no evidence on its own (锘, 汾 read as
        # text); it is read when other junk in the paragraph shows the damage
        return False
    junk = [ch for ch in piece if _kind(ch) == "J"]
    if s.longest_junk > MAX_JUNK_RUN:
        # a longer run of letters of one script is a word (GBK text whose pairs happen
        # to be UTF-8 gives mixed runs: ϵͳĬ is 系统默)
        for run in _LONG_RUN.findall(piece):
            scripts = {_script(ch) for ch in run}
            if len(scripts) == 1 and None not in scripts:
                return False
    if all(_cp1252(ch) for ch in junk):
        # UTF-8 read as windows-1252 with a byte lost (``âš ï¸\ufffd``): the
        # mojibake fixer's chain, not legacy bytes
        return False
    for k, ch in enumerate(piece):
        if _script(ch) == "latin" and _kind(ch) == "J":
            # a Latin letter beside an ASCII one is a word (Łukasz)
            i = s.start + k
            # (two ASCII letters: one alone may be a Big5 or Shift_JIS trail byte)
            for near in (text[max(0, i - 2) : i], text[i + 1 : i + 3]):
                if len(near) == 2 and near.isascii() and near.isalpha():
                    return False
    wide = sum(1 for ch in piece if model.is_cjk(ch) or 0xFF61 <= ord(ch) <= 0xFF9F)
    if wide * 2 >= len(junk) + wide or (
        _UTF8_AS_LEGACY.search(piece) is not None and _shown_by_one(piece)
    ):
        # UTF-8 read as a legacy codec is made of Han, kana and Hangul (涓, ｱ, 媛): the
        # mojibake fixer's chains, whose lost bytes are U+FFFD too; legacy bytes read as
        # UTF-8 make letters below U+0800 (two-byte sequences) far more than Han, and
        # letters no double-byte codec has (Ԫ ֽ beside the odd Hangul, 죿)
        return False
    if 3 * sum(1 for ch in junk if ord(ch) >= 0x800) > len(junk):
        # legacy pairs that happen to be UTF-8 are mostly two-byte sequences (letters
        # below U+0800: ϥ, Ż, Ҳ); three-byte ones need a lead E0-EF and two continuation
        # bytes in a row. Thai letters between U+FFFD (``ใ�†ไ``) are UTF-8 read as
        # cp874: the single-byte rows' chain
        return False
    scripts = {_script(ch) for ch in junk}
    odd = None in scripts or len(scripts) > 1
    if s.fffd == 1 and not odd:
        return False
    if not odd:
        (name,) = scripts
        assert name is not None
        if s.fffd < s.junk or _WORDS[name].search(outside):
            return False
    return True


def _cp1252(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


#: The Python codecs of the double-byte codecs UTF-8 may be read through to show Hangul
#: or kana beside U+FFFD.
_SHOWING = ("cp949", "cp932", "euc_jp", "gbk", "cp950")


def _foreign_lines(text: str, stretches: list[_Stretch], lines: _Lines) -> set[int]:
    """The indexes of ``stretches`` on a line that may be UTF-8 read as a double-byte
    codec (the mojibake fixer's): a run of non-ASCII characters with U+FFFD in it (what
    :data:`_CANDIDATE` matches) that shows Hangul or kana, all of whose other characters
    beyond ASCII one of those codecs has. Not a line of clean Japanese or Korean text
    beside its damage, nor a run of legacy bytes read as UTF-8, whose junk letters
    (``ʹ ո ׷ ̃``) no double-byte codec has, and whose three-byte runs make the odd kana
    or Hangul (``롣`` of GBK's 码。, ``쐬`` of Shift_JIS's 作成). One pass over the text
    for the marks, then only the lines with a mark and a stretch are looked at."""
    marks = [m.start() for m in _UTF8_AS_LEGACY.finditer(text)]
    if not marks:
        return set()
    out: set[int] = set()
    for line, mine in lines.grouped(stretches).items():
        lo, hi = lines.bounds(line)
        j = bisect.bisect_left(marks, lo)
        if j == len(marks) or marks[j] >= hi:
            continue
        for m in _CANDIDATE.finditer(text, lo, hi):
            run = m.group()
            if _FFFD in run and _UTF8_AS_LEGACY.search(run) is not None and _shown_by_one(run):
                out.update(mine)
                break
    return out


def _shown_by_one(run: str) -> bool:
    """Does one double-byte codec (:data:`_SHOWING`) have every character ``run``
    shows beyond ASCII and U+FFFD?"""
    shown = "".join(ch for ch in run if ch > "\x7f" and ch != _FFFD)
    for codec in _SHOWING:
        try:
            shown.encode(codec)
        except UnicodeEncodeError:
            continue
        return True
    return False


#: A line whose stretches show at least this many characters of UTF-8 whole through a
#: single-byte table (:func:`_one_byte_lines`) is that chain's.
ONE_BYTE_WHOLE = 2
_UTF8_CJK = re.compile(rb"[\xe3-\xed][\x80-\xbf]{2}")


@functools.cache
def _one_byte_tables() -> tuple[object, ...]:
    """Each single-byte reader of UTF-8 (ftfy's cp1252 and latin-1, and every row of
    :data:`cjkfix.singlebyte.ROWS` that reads UTF-8) as an encoding map
    (:func:`codecs.charmap_build`) from the characters it shows for bytes 80-FF to
    those bytes, ASCII to itself; white space and other characters become "?" (encoded
    at C speed: a megabyte line of U+FFFD and Han took 5 s through a dict)."""
    from cjkfix.singlebyte import ROWS
    from cjkfix.singlebyte_lattice import table

    maps: list[dict[str, int]] = [
        {ch: b for b in range(0x80, 0x100) if (ch := bytes((b,)).decode(codec, "ignore"))}
        for codec in ("cp1252", "latin-1")
    ]
    for row in ROWS.values():
        if row.original == "utf-8":
            chars, _lost = table(row)
            maps.append({ch: bs[0] for ch, bs in chars.items() if len(ch) == 1 and bs[0] >= 0x80})
    out = []
    for rev in maps:
        decoding = [chr(b) for b in range(0x80)] + ["\ufffe"] * 0x80
        for ch, b in rev.items():
            if not ch.isspace() and ch >= "\x80":
                decoding[b] = ch
        out.append(codecs.charmap_build("".join(decoding)))
    return tuple(out)


def _one_byte_lines(text: str, stretches: list[_Stretch], lines: _Lines) -> set[int]:
    """The indexes of ``stretches`` on a line that shows, through one single-byte table
    (:func:`_one_byte_tables`), at least :data:`ONE_BYTE_WHOLE` characters of UTF-8
    whole (three bytes, a known CJK character, kana or Hangul: ``ă‚‰`` is ら through
    ISO-8859-2 with cp1252's 80-9F). That is UTF-8 read through the table with bytes
    lost, the mojibake fixer's (``ă\ufffd¨`` is と with its middle byte lost), not legacy
    bytes read as UTF-8, whose junk letters seldom make one."""
    from cjkfix import model

    known = model.known_chars()
    out: set[int] = set()
    for line, mine in lines.grouped(stretches).items():
        lo, hi = lines.bounds(line)
        shown = text[lo:hi]
        for emap in _one_byte_tables():
            data = codecs.charmap_encode(shown, "replace", emap)[0]  # type: ignore[arg-type]
            whole = 0
            for m in _UTF8_CJK.finditer(data):
                if m.group().decode("utf-8", "replace") in known:
                    whole += 1
                    if whole >= ONE_BYTE_WHOLE:
                        break
            if whole >= ONE_BYTE_WHOLE:
                out.update(mine)
                break
    return out


def _per_line(
    text: str, stretches: list[_Stretch], lines: _Lines
) -> tuple[dict[int, str], set[int]]:
    """What each line of ``stretches`` says about them, in one pass over their lines:
    the line's text beside its stretches (by line index, the lines that have one), and
    the indexes of the stretches on a line of UTF-8 text with characters lost (one
    U+FFFD each: common Han, kana or Hangul beside U+FFFD at least twice and more often
    than junk letters, ``小写��字� θ��``). Legacy bytes read as UTF-8 seldom make a
    common character beside their U+FFFD (3 lines in 4,500 of the corpus's GBK, Big5,
    Shift_JIS and EUC-KR) and make junk letters far more often; their θ here would be
    GBK's 胃, invented."""
    from cjkfix import model

    outside: dict[int, str] = {}
    holed: set[int] = set()
    for line, mine in lines.grouped(stretches).items():
        begin, end = lines.bounds(line)
        pos = begin
        pieces = []
        for i in mine:
            pieces.append(text[pos : stretches[i].start])
            pos = stretches[i].end
        pieces.append(text[pos:end])
        outside[line] = "".join(pieces)
        piece = text[begin:end]
        beside = sum(
            1 for ch in _BESIDE_FFFD.findall(piece) if _kind(ch) == "N" and model.is_cjk(ch)
        )
        # (not on a line that shows 锟, UTF-8's U+FFFD read as GBK: there the U+FFFD are
        # the loss markers fixer's, a count of lost bytes, and the characters beside
        # them the few whose GBK bytes were UTF-8 too)
        if beside < 2 or "锟" in piece:
            continue
        junk = 0
        for ch in _WIDE.findall(piece):
            junk += _kind(ch) == "J"
            if junk >= beside:
                break
        else:
            holed.update(mine)
    return outside, holed


def _only_runs(text: str, runs: list[_Stretch], lines: _Lines) -> set[int]:
    """The lines of ``text`` that show nothing beyond ASCII and text but ``runs`` (runs
    of U+FFFD alone): not a line of another chain's mojibake (``頄堨柎鞖�``, UTF-8 read as
    GBK, whose U+FFFD the mojibake fixer reads with the rest of the line)."""
    out: set[int] = set()
    for line, mine in lines.grouped(runs).items():
        pos, end = lines.bounds(line)
        rest = []
        for s in sorted((runs[i] for i in mine), key=lambda s: s.start):
            rest.append(text[pos : s.start])
            pos = s.end
        rest.append(text[pos:end])
        if all(_kind(ch) in "AN" for ch in "".join(rest)):
            out.add(line)
    return out


def _secondary(text: str, s: _Stretch) -> bool:
    """U+FFFD with nothing but rare Han characters (汾 from ``E6 B1 BE``) and ASCII:
    read only in a paragraph whose other stretches show the damage."""
    from cjkfix import model

    kinds = [(_kind(ch), ch) for ch in text[s.start : s.end]]
    return all(k in "FA" or (k == "J" and model.is_cjk(ch)) for k, ch in kinds)
