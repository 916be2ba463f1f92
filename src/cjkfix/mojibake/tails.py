"""A line's last characters cut short by a decoder that dropped what it could not read.

UTF-8 read as a double-byte codec by a decoder that drops what it cannot read leaves,
where a stretch ends (a line's end, a space), the bytes of its last character that
pair into that codec's characters and drops the rest: 装。 (E8 A3 85 E3 80 82) through
GBK is ``瑁呫`` (E8 A3, 85 E3; 80 and 82 dropped), 。 alone ``銆``. The engine reads the
stretch before them, and the lattice of the whole line (:mod:`cjkfix.mojibake.utf8_lines`)
may read the line no better. Such a tail is read where it follows a reading of the same
chain on its line, with nothing between them: its bytes as UTF-8, the character whose
bytes were dropped one U+FFFD (what it was, the bytes do not say).
"""

from __future__ import annotations

import bisect

from cjkfix import codecs as cc
from cjkfix import model
from cjkfix.mojibake.tables import _DOUBLE_BYTE
from cjkfix.mojibake.utf8_lost import _encode
from cjkfix.mojibake.verdict import _Candidate, _judge

__all__ = ["MAX_TAIL", "RARE", "with_tails"]

#: A tail is at most this many characters (the wrong codec's pairs of two characters of
#: UTF-8, and a third cut short).
MAX_TAIL = 3

#: What a decoder that lost bytes shows for them: a line that shows one is not a
#: dropping decoder's.
_MARKS = frozenset("\ufffd?")


def with_tails(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """``found`` with the tail after each reading of UTF-8 through a double-byte codec
    read (see the module's docstring), where a decoder dropped bytes on its line."""
    extra: list[_Candidate] = []
    starts = sorted(c.start for c in found)
    marked: dict[int, bool] = {}  # (whether a line shows a mark, by where it starts)
    for c in found:
        if len(c.chain) != 2 or c.chain[0] != "utf-8" or c.chain[1] not in _DOUBLE_BYTE:
            continue
        end = c.end
        while end < len(text) and end - c.end < MAX_TAIL + 1 and text[end] >= "\x80":
            if text[end].isspace():
                break
            end += 1
        if end == c.end or end - c.end > MAX_TAIL:
            continue  # (nothing left, or more than a tail: not a character cut short)
        if end < len(text) and not (text[end].isspace() or text[end].isascii()):
            continue
        k = bisect.bisect_left(starts, c.end)
        if k < len(starts) and starts[k] < end:
            continue  # (another reading starts there)
        line_start = text.rfind("\n", 0, c.start) + 1
        if line_start not in marked:
            line_end = text.find("\n", line_start)
            line = text[line_start : len(text) if line_end < 0 else line_end]
            marked[line_start] = any(mark in line for mark in _MARKS)
        if marked[line_start]:
            continue  # (the decoder showed its losses: it dropped nothing)
        after = _tail(text[c.end : end], c.chain[1])
        if after is None:
            continue
        v = _judge(text[c.end : end], after, after.count("\ufffd"))
        extra.append(
            _Candidate(
                c.end,
                end,
                after,
                list(c.chain),
                v.gain,
                v.score_before,
                v.score_after,
                c.lang,
                0,
                after.count("\ufffd"),
                False,
            )
        )
    if not extra:
        return found
    return tuple(sorted([*found, *extra], key=lambda c: c.start))


def _tail(run: str, wrong: str) -> str | None:
    """``run`` (what the wrong codec showed after a reading) as UTF-8 whose last
    character lost its last bytes: the characters it holds whole (CJK, known to the
    model) and one U+FFFD; ``None`` where its bytes are not that."""
    encoders = cc.WRONG_CODECS.get(wrong) or (wrong,)
    pieces = [_encode(ch, encoders) for ch in run]
    if any(p is None for p in pieces):
        return None
    data = b"".join(p for p in pieces if p is not None)
    # (the last lead of a character of three or four bytes, and fewer continuation
    # bytes after it than it needs)
    lead = max((i for i, b in enumerate(data) if b >= 0xC0), default=-1)
    if lead < 0 or not 0xE0 <= data[lead] <= 0xF4:
        return None
    need = 3 if data[lead] < 0xF0 else 4
    if len(data) - lead >= need or any(not 0x80 <= b <= 0xBF for b in data[lead + 1 :]):
        return None
    try:
        whole = data[:lead].decode("utf-8")
    except UnicodeDecodeError:
        return None
    known = model.known_chars()
    if any(not model.is_cjk(ch) or ch not in known for ch in whole):
        return None
    if not whole and any(_common(ch) for ch in run):
        return None  # (a clean character after the reading, 於 E1 B6: not a cut one)
    return whole + "\ufffd"


#: A tail that holds no character whole is one only where what it shows is rare text
#: in every language (``銆``, the E3 80 of 。): a character more likely than this is
#: the text's own (於 is E1 B6, a lead and a continuation byte too).
RARE = -12.0


def _common(ch: str) -> bool:
    return model.best_char_logprob(ch) >= RARE
