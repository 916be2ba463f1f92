"""Lines inside a region of :mod:`cjkfix.utf16`: a region of bytes 00-FF runs across
every line made of them, so a line of another chain's mojibake, of ASCII words or of a
decoder's losses beside a line of UTF-16 read as an 8-bit codec was read with it, its
line break taken for a byte. These tests tell a region read whole from one read line by
line (:func:`cjkfix.utf16._by_lines`): whether a line is text of another kind, whether a
reading takes a line break for a byte of no text, and how much text a reading reads.
"""

from __future__ import annotations

import functools
import unicodedata

from cjkfix import model
from cjkfix.utf16_rivals import legacy_value, utf8
from cjkfix.utf16_turns import Run

__all__ = ["breaks_a_line", "bytes_of", "kept_off", "other_text", "read_chars", "within_lines"]


@functools.cache
def bytes_of() -> dict[str, int]:
    """Each character latin-1 or cp1252 shows for a byte, and that byte."""
    out = {chr(b): b for b in range(256)}
    for b in range(0x80, 0xA0):
        ch = bytes((b,)).decode("cp1252", "ignore")
        if ch:
            out[ch] = b
    return out


#: A CJK character likelier than this (in some language) is text, where a unit holds a
#: line break: ``上`` (4E 0A); ``挊`` (63 0A, ``c`` and a line break) is not.
_COMMON_CJK = -12.0


def common_cjk(ch: str) -> bool:
    return model.is_cjk(ch) and model.best_char_logprob(ch) > _COMMON_CJK


def read_chars(runs: list[Run], region: str) -> int:
    """The characters ``runs`` (of ``region``) read as text: not lost, no rare CJK
    character, none of a unit that holds a line break but UTF-16's own (a line break
    and the next line's first byte, ``\n0``, read as 《, is no more text read), and
    none of a unit with a lost byte (a character restored there is the model's guess:
    ``\ufffd\x80`` read as 肝 at the end of another line is no text read)."""
    return sum(
        1
        for r in runs
        for k, ch in enumerate(r.after)
        if ch != "\ufffd"
        and (common_cjk(ch) or not model.is_cjk(ch))
        and _read_whole(ch, region[slice(*_unit(r, k))])
    )


def _read_whole(ch: str, unit: str) -> bool:
    """Is the unit ``unit`` of the region, read as ``ch``, read from its own bytes: no
    lost byte, and no line break but UTF-16's own?"""
    return "\ufffd" not in unit and (ch in ("\n", "\r") or "\n" not in unit)


def _unit(run: Run, k: int) -> tuple[int, int]:
    """Where the unit of ``run.after[k]`` is in the region: two characters each, but
    for a first unit of one byte (U+FFFD, its other byte dropped: an odd run), which
    puts every unit after it one character on."""
    if (run.end - run.start) % 2 and run.after[:1] == "\ufffd":
        return (
            (run.start, run.start + 1) if k == 0 else (run.start + 2 * k - 1, run.start + 2 * k + 1)
        )
    return run.start + 2 * k, run.start + 2 * k + 2


def within_lines(region: str, run: Run, inside: bool = False) -> Run | None:
    """``run`` without its units up to one that joins two lines by one byte, where that
    unit and those before it read nothing (U+FFFD): ``\ufffd\ufffd\ufffd\n`` and UTF-16
    after it is a line of losses beside a UTF-16 line. So too a first unit of the
    region's first line's last byte and the line break where the region begins inside
    a line (``inside``: after a character no byte shows, so the line is another text's:
    ``心碎ă€‚`` and ``‚\n`` read as 舊). The same at the run's end: a lost unit of a
    line break and the next line's first byte, and only losses after it. (A unit that
    holds a line break beside a text's own bytes is a character: ``\nN``, 上 in
    UTF-16LE.) None where nothing is left."""
    start, end, after = run.start, run.end, run.after
    p = region.find("\n", start, end)
    k = (p - start) // 2
    if (
        p >= 0
        and (p - start) % 2
        and k < len(after) - 1
        and _lost(after[:k])
        and (after[k] == "\ufffd" or (k == 0 and inside and region.find("\n", 0, start) < 0))
    ):
        start, after = p + 1, after[k + 1 :]
    q = region.rfind("\n", start, end)
    k = (q - start) // 2
    if q >= 0 and (q - start) % 2 == 0 and 0 < k < len(after) and _lost(after[k:]):
        end, after = q, after[:k]
    if (start, end) == (run.start, run.end):
        return run
    return run._replace(start=start, end=end, after=after) if len(after) > 1 else None


def _lost(text: str) -> bool:
    return all(ch == "\ufffd" for ch in text)


def breaks_a_line(region: str, run: Run, sure: bool = False) -> bool:
    """Does ``run`` take a line break of ``region`` for a byte of a unit that is no
    character of a text (a lost byte, a sign, a rare character): a line joined to the
    next, not a common CJK character whose code holds 0A, nor UTF-16's own line break?
    With ``sure``, only a unit that is surely no text's: a rare character or a sign, not
    U+FFFD (脊 is 0A 81 in UTF-16LE, its 81 lost in cp1252: ``\n?``) nor a CJK mark
    (《 is 30 0A in UTF-16BE; ``\n0`` read as 《 may also be a line break and the next
    line's first byte)."""
    at = region.find("\n", run.start, run.end)
    while at >= 0:
        k = (at - run.start) // 2
        ch = run.after[k] if k < len(run.after) else ""
        if (
            ch not in ("\n", "\r")
            and not common_cjk(ch)
            and not (sure and (ch == "\ufffd" or _cjk_mark(ch)))
        ):
            return True
        at = region.find("\n", at + 1, run.end)
    return False


def _cjk_mark(ch: str) -> bool:
    """A CJK punctuation mark (《 is 30 0A in UTF-16BE: a text's own character)."""
    return (
        bool(ch)
        and ("\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff65")
        and unicodedata.category(ch)[0] == "P"
    )


def other_text(line: str) -> bool:
    """Is ``line`` (of a region, no run of its own) text of another kind: ASCII words, a
    third or more U+FFFD, or bytes that are UTF-8 or legacy CJK text read as latin-1
    (:mod:`cjkfix.utf16_rivals`)? A UTF-16 text's own lines hold NUL bytes, and a piece
    of one between two units that hold a 0A byte is neither."""
    if "\x00" in line:
        return False
    if "\ufffd" in line:
        # (a decoder's losses, no NUL among them: legacy text read as UTF-8, say)
        return line.count("\ufffd") * 3 >= len(line)
    if line.isascii():
        return " " in line.strip()
    data = bytes(bytes_of()[ch] for ch in line)
    return utf8(data) or legacy_value(data) is not None


def kept_off(text: str, start: int, end: int, runs: list[Run]) -> tuple[int, int]:
    """The part of the region ``text[start:end]`` (its certain ``runs`` in the text's
    offsets) that other readings stay off: without its first line where the region
    starts inside a line (after a character no byte shows, so the line is another
    text's: ``心碎ใ€‚`` is UTF-8 read through cp874, its ``€‚`` the bytes of 。) and no
    run reads any of it; the same for its last line."""
    lo, hi = start, end
    first = text.find("\n", start, end)
    if first < 0:
        return lo, hi
    if start > 0 and not any(r.start < first and start < r.end for r in runs):
        lo = first + 1
    last = text.rfind("\n", start, end)
    if end < len(text) and not any(last < r.end and r.start < end for r in runs):
        hi = last + 1
    return lo, max(lo, hi)
