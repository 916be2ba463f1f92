"""UTF-8 read as a single-byte codec, whatever the script: ftfy's repair, reused.

Latin, Greek, Cyrillic, Hebrew, Arabic, Thai or emoji text whose UTF-8 bytes were read
as latin-1, windows-125x, ISO-8859-2, Mac Roman or cp437 is repaired the way
``ftfy.fix_encoding`` repairs it: ftfy's own decision, on each line the CJK engine left
alone, so that cjkfix repairs at least what ftfy repairs and never turns such text into
CJK. The rows are the single-byte codecs ftfy knows (``ftfy.chardata.CHARMAP_ENCODINGS``).

    >>> from cjkfix import repair
    >>> repair("Î•Î»Î»Î·Î½Î¹ÎºÎ¬")
    'Ελληνικά'
    >>> repair("Beta Haber: HÄ±rsÄ±zÄ± BÃ¼yÃ¼ Korkuttu")
    'Beta Haber: Hırsızı Büyü Korkuttu'

The gate is generated from the rows: a character a codec makes of a UTF-8 lead byte
followed by one it makes of a continuation byte (``Ã©``, ``Ð±``, ``Î»``, ``├⌐``), a C1
control character, or a lead character before a space (a no-break space lost).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from cjkfix import singlebyte
from cjkfix._lazyre import LazyRegex
from cjkfix._scan import finditer_among
from cjkfix.steps import Edit

__all__ = [
    "CODECS",
    "LATIN",
    "edits",
    "ftfy_reads",
    "gate_branches",
    "leftover",
    "more_complete",
    "remains",
    "shows_lost",
    "utf8_reading",
    "whole_line_reading",
]

#: (codec, Python codec for the bytes it defines): ftfy's single-byte codecs. The
#: "sloppy" windows codecs are the Python ones with their undefined bytes read as
#: latin-1 (what ftfy's sloppy codecs do); computed here without importing ftfy.
CODECS: tuple[tuple[str, str], ...] = (
    ("latin-1", "latin-1"),
    ("sloppy-windows-1252", "cp1252"),
    ("sloppy-windows-1251", "cp1251"),
    ("sloppy-windows-1250", "cp1250"),
    ("sloppy-windows-1253", "cp1253"),
    ("sloppy-windows-1254", "cp1254"),
    ("sloppy-windows-1257", "cp1257"),
    ("iso-8859-2", "iso-8859-2"),
    ("macroman", "mac_roman"),
    ("cp437", "cp437"),
)

# Mac Roman makes CJK text's everyday punctuation of some lead bytes; a gate on them
# would stop on most clean Chinese text (Mac Roman mojibake of those rows, Cyrillic and
# IPA, is left to ftfy's own fix_text).
_EVERYDAY = frozenset("…–—“”‘’•")


def _chars(python_codec: str, low: int, high: int) -> str:
    out = []
    for b in range(low, high + 1):
        try:
            ch = bytes([b]).decode(python_codec)
        except UnicodeDecodeError:
            ch = chr(b)  # a sloppy codec's undefined byte
        out.append(ch)
    return "".join(out)


def _branches() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for _name, py in CODECS:
        leads = "".join(ch for ch in _chars(py, 0xC2, 0xF4) if ch not in _EVERYDAY)
        conts = _chars(py, 0x80, 0xBF)
        # (every character here is non-ASCII: nothing to escape inside a class)
        out.append((leads, f"[{conts}]"))
    out.append(("\x80-\x9f", ""))  # C1 controls: cp1252 bytes read as latin-1
    # a lead byte before a lost byte; Â or Ã before a no-break space made a space
    # (any accented letter before a space would stop the gate on clean French)
    out.append(("\xc2-\xf4", "\ufffd"))
    out.append(("ÂÃ", "[ ]"))
    out.extend(singlebyte.gate_branches())
    return out


@functools.lru_cache(maxsize=1)
def gate_branches() -> tuple[tuple[str, str], ...]:
    """The gate's rules as (first character's class, rest), as the mojibake gate takes
    them."""
    return tuple(_branches())


@functools.lru_cache(maxsize=1)
def _remains() -> re.Pattern[str]:
    """A whole UTF-8 sequence as a single-byte codec shows it: mojibake still there."""
    alternatives = []
    for _name, py in CODECS:
        c = f"[{_chars(py, 0x80, 0xBF)}]"
        two, three, four = (
            "".join(ch for ch in _chars(py, lo, hi) if ch not in _EVERYDAY)
            for lo, hi in ((0xC2, 0xDF), (0xE0, 0xEF), (0xF0, 0xF4))
        )
        alternatives.append(f"[{two}]{c}|[{three}]{c}{{2}}|[{four}]{c}{{3}}")
    return re.compile("|".join(alternatives))


def remains(text: str) -> bool:
    """Does ``text`` still show a whole UTF-8 sequence as single-byte characters?"""
    return _remains().search(text) is not None


def _complete(reading: str) -> bool:
    """Is no whole UTF-8 sequence left in ftfy's reading (not a half-read line)?"""
    return _remains().search(reading) is None


@functools.lru_cache(maxsize=1)
def _folded() -> re.Pattern[str]:
    """A UTF-8 sequence as cp1252 shows it with a curly quote folded to ASCII (``ë°"``
    was ``ë°”``, 바): mojibake still there that ftfy's badness does not see."""
    conts = "".join(map(re.escape, _chars("cp1252", 0x80, 0xBF)))
    two, three = (
        "".join(re.escape(ch) for ch in _chars("cp1252", lo, hi) if ch not in _EVERYDAY)
        for lo, hi in ((0xC2, 0xDF), (0xE0, 0xEF))
    )
    c = f"[{conts}]"
    return re.compile(f"[{three}](?:{c}[\"']|[\"']{c})|[{two}][\"'](?=[{conts}{three}])")


# A UTF-8 lead of a three-byte character (E0-EF) as latin-1 and cp1252 show it, alone
# between two CJK characters (after it, the "?" a decoder wrote for its lost continuation
# bytes): a character whose continuation bytes were lost (``別å??。``, ``シグナルåを``).
# Clean text does not glue an accented Latin letter to CJK on both sides (none in the
# 16,462 lines of ../shared/corpus); only the three-byte leads, since ``×`` (D7) stands
# between CJK words.
_GLUED_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff01-\uff5e"
_LONE_LEAD = LazyRegex(f"(?<=[{_GLUED_CJK}])[\u00e0-\u00ef]\\?*(?=[{_GLUED_CJK}])")


def leftover(text: str) -> int:
    """How much mojibake of UTF-8 through a single-byte codec ``text`` still shows: whole
    sequences (a curly quote folded to ASCII counted in) and lead bytes left alone
    between CJK characters. A reading that leaves more than another is less complete."""
    return (
        len(_remains().findall(text)) + len(_folded().findall(text)) + len(_LONE_LEAD.findall(text))
    )


def _score(text: str) -> tuple[int, int, int]:
    """How broken ``text`` still looks, lowest best: ftfy's badness, mojibake left
    (:func:`leftover`), lost characters."""
    from ftfy.badness import badness

    return (int(badness(text)), leftover(text), text.count("\ufffd"))


@functools.lru_cache(maxsize=1)
def _gate() -> re.Pattern[str]:
    # (one leading class, then each rule's branch by lookbehind: the scan skips to the
    # next candidate character at C speed)
    first = "".join(body for body, _rest in gate_branches())
    alternatives = "|".join(f"(?<=[{body}])(?:{rest})" for body, rest in gate_branches())
    return re.compile(f"[{first}](?:{alternatives})")


#: The codecs the CJK engine reads a Latin-1-looking run with: a legacy CJK reading of a
#: run competes with its UTF-8 reading through these.
LATIN = ("latin-1", "sloppy-windows-1252")


def utf8_reading(span: str, codecs: tuple[str, ...] | None = None) -> str | None:
    """``span`` read back as UTF-8 through the first single-byte codec that explains it
    whole (at least one multi-byte character), else None: a run that is valid UTF-8
    under a single-byte codec is that, not a legacy CJK encoding read as latin-1."""
    for name, py in CODECS:
        if codecs is not None and name not in codecs:
            continue
        try:
            data = span.encode(py)
        except UnicodeEncodeError:
            continue
        if data.isascii():
            return None
        try:
            reading = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _plausible(reading):
            return reading
    return None


def _plausible(reading: str) -> bool:
    """No unassigned, private-use or surrogate code point, no control character: bytes
    that decode as UTF-8 by chance (``±àÇú`` in cp437 is F1 85 80 A3, U+45023) do not
    make text."""
    if reading and unicodedata.category(reading[0]).startswith("M"):
        return False  # a combining mark with nothing to combine with (``Ã¥Àº``, 책은)
    return not any(
        unicodedata.category(ch) in ("Cn", "Co", "Cs", "Cc") and ch not in "\t\n\r"
        for ch in reading
        if not ch.isascii() or ch < " "
    )


def _no_text(chars: set[str]) -> bool:
    """Is one of ``chars`` a code point no text holds: unassigned, private use, a
    surrogate, or a control character but white space?"""
    return any(
        unicodedata.category(ch) in ("Cn", "Co", "Cs", "Cc") and ch not in "\t\n\r" for ch in chars
    )


@functools.lru_cache(maxsize=4096)
def ftfy_reads(span: str) -> bool:
    """Is ``span`` valid UTF-8 under a single-byte codec, plausibly, and does ftfy take
    it for mojibake? Then a legacy CJK reading of it loses to the UTF-8 one."""
    if utf8_reading(span) is None:
        return False
    fixed, _plan = _ftfy(span)
    return fixed != span


_CJK = LazyRegex("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff]")


def _gated_lines(text: str, places: list[int] | None = None) -> Iterator[tuple[int, int]]:
    """The lines of ``text`` (start, end without the line end) where the gate matches:
    one scan of the whole text (or the gate tried at ``places``, see :func:`edits`),
    then only those lines."""
    done = -1
    gate = _gate()
    for m in gate.finditer(text) if places is None else finditer_among(gate, text, places):
        if m.start() < done:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.start())
        end = len(text) if end < 0 else end
        yield start, end
        done = end


@functools.lru_cache(maxsize=1024)
def _ftfy(line: str) -> tuple[str, tuple[Any, ...]]:
    import ftfy

    fixed = ftfy.fix_encoding_and_explain(line)
    return fixed.text, tuple(fixed.explanation or ())


#: What cp1252 shows for bytes 80-FF (what is left of a character whose bytes ftfy
#: could not read as UTF-8).
_CP1252_HIGH_SET = frozenset(bytes(range(0x80, 0x100)).decode("cp1252", "ignore"))


def shows_lost(fixed: str, reading: str) -> bool:
    """Is ``fixed`` (ftfy's reading) ``reading`` with some of the characters ``reading``
    lost (U+FFFD) or read beyond ftfy shown as cp1252 shows the bytes ftfy could not
    read, a lead byte and up to two more each (``文件å`` for ``文件�``: 名 lost its
    last two bytes; ``ï¼`` for ``！``)? Then it reads no further, and only looks more
    complete: no U+FFFD, and the model scores ``å`` above it."""
    if fixed == reading:
        return False
    # (the places in ``fixed`` each prefix of ``reading`` may end at: a character stands
    # for itself, or where it is U+FFFD or needs three bytes or more, for a UTF-8 lead
    # byte as cp1252 shows it and up to two more bytes; a few places at a time, so the
    # walk is linear, where a pattern of the whole reading was compiled every time)
    high = _CP1252_HIGH_SET
    ends = {0}
    n = len(fixed)
    for ch in reading:
        wild = ch == "\ufffd" or ch >= "\u0800"
        nxt: set[int] = set()
        for p in ends:
            if p < n and fixed[p] == ch:
                nxt.add(p + 1)
            if wild and p < n and "\u00c2" <= fixed[p] <= "\u00f4":
                nxt.add(p + 1)
                for q in range(p + 1, min(p + 3, n)):
                    if fixed[q] not in high:
                        break
                    nxt.add(q + 1)
        if not nxt:
            return False
        ends = nxt
    return n in ends


def more_complete(line: str, engine_reading: str) -> bool:
    """Should ftfy's reading of ``line`` replace the CJK engine's reading of it through
    single-byte codecs? Where it looks less broken (double mojibake, sequences the
    engine reads only in part; ftfy's line left alone beats a half-read line)."""
    fixed, _plan = _ftfy(line)
    if fixed != engine_reading:
        if fixed == line and not _complete(engine_reading):
            # ftfy leaves the line alone and the engine's reading still shows whole
            # UTF-8 sequences: a half-read line (``う’�” ã¢â‚¬â„¢…``, a hopeless
            # garble); the line goes to ftfy, then to the rows ftfy does not know
            return True
        if (
            _complete(fixed)
            and _score(fixed) < _score(engine_reading)
            and not shows_lost(fixed, engine_reading)
        ):
            return True
    # (or the rows ftfy does not know read it further: ``ìì£¼ì ì²ì`` is UTF-8 read as
    # latin-1 with its C1 bytes lost, of which the engine reads only ``ì£¼``)
    return singlebyte.reads_more(line, engine_reading)


def whole_line_reading(line: str) -> str | None:
    """ftfy's reading of ``line`` where it decodes the whole line as UTF-8 through a
    single-byte codec (a ``decode`` step in its plan), changes it, and leaves neither a
    UTF-8 sequence showing nor anything ftfy finds broken; else None. A line that is
    UTF-8 through and through under one codec is that, whatever a legacy reading of
    some of its runs would make of them. (Or the reading of the rows ftfy does not know,
    :func:`cjkfix.singlebyte.whole_line`.)"""
    if _CJK.search(line) is not None or _gate().search(line) is None:
        return None
    fixed, plan = _ftfy(line)
    if fixed == line or not any(kind == "decode" for kind, _arg in plan):
        return singlebyte.whole_line(line)
    if not _complete(fixed) or _is_bad(fixed):
        return singlebyte.whole_line(line)
    return fixed


def _is_bad(text: str) -> bool:
    from ftfy.badness import is_bad

    return bool(is_bad(text))


def edits(text: str, taken: list[tuple[int, int]], places: list[int] | None = None) -> list[Edit]:
    """ftfy's repairs of the lines of ``text`` that no span in ``taken`` touches (the
    CJK engine's repairs come first: they are judged by the language model), then the
    rows ftfy does not know (:mod:`cjkfix.singlebyte`) on the lines ftfy leaves.
    ``places``: the places of ``text`` that hold a character a match of the gate starts
    with (:func:`gate_branches`, and maybe others), where the caller has scanned for
    them already."""
    out: list[Edit] = []
    i = 0
    free: list[tuple[int, int]] = []
    for start, end in _gated_lines(text, places):
        while i < len(taken) and taken[i][1] <= start:
            i += 1
        if i < len(taken) and taken[i][0] < end:
            continue  # the CJK engine repaired part of this line
        free.append((start, end))
    left: list[tuple[int, int]] = []
    for start, end in free:
        line = text[start:end]
        if _CJK.search(line) is not None:
            # (a line with CJK text is the CJK engine's: what it left there, in this
            # round or an earlier one, ftfy would only read in part)
            left.append((start, end))
            continue
        fixed, plan = _ftfy(line)
        if (
            fixed == line
            or not _complete(fixed)
            or not _score(fixed) < _score(line)
            or _no_text(set(fixed) - set(line))
        ):
            # (a line ftfy reads only in part is left as it is: half-read mojibake
            # beside repaired text reads as letters nobody wrote; so is a reading that
            # makes private-use or unassigned code points, which no text holds:
            # ``ďź‰`` through sloppy cp1250 is EF 9F 89, U+F7C9)
            left.append((start, end))
            continue
        if singlebyte.whole_line(line) is not None:
            # (a row ftfy does not know reads all of it: ftfy's reading is partial)
            left.append((start, end))
            continue
        # the changed middle of the line
        head = 0
        while head < min(len(line), len(fixed)) and line[head] == fixed[head]:
            head += 1
        tail = 0
        while tail < min(len(line), len(fixed)) - head and line[-1 - tail] == fixed[-1 - tail]:
            tail += 1
        steps = [f"{kind} {arg}" for kind, arg in plan]
        out.append(
            Edit(
                start + head,
                end - tail,
                fixed[head : len(fixed) - tail],
                reason="UTF-8 read as a single-byte codec (repaired as ftfy.fix_encoding does)",
                confidence=0.9,
                evidence={"chain": ["utf-8", "single-byte"], "ftfy_plan": steps},
            )
        )
    # the lines ftfy leaves: the rows it does not know
    out.extend(singlebyte.edits(text, left))
    return sorted(out, key=lambda e: e.start)
