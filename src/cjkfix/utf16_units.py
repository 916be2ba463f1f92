"""The units of :mod:`cjkfix.utf16`: a region's characters read as UTF-16 units at one
alignment, each unit classed (see :mod:`cjkfix.utf16`'s docstring), the runs of those
classes cut at the turns a dropped byte makes (:func:`runs`), and a run's text, its
units that lost a byte weighed (:mod:`cjkfix.utf16_qmarks`)."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator

from cjkfix import model
from cjkfix.utf16_lines import bytes_of
from cjkfix.utf16_qmarks import restore
from cjkfix.utf16_rivals import legacy_value, utf8
from cjkfix.utf16_turns import (
    Run,
    blank_after,
    blank_before,
    context_after,
    context_before,
    edges_of,
    lost_to_qmarks,
    may_lose,
    odd,
    reader_break,
    unseen,
)

__all__ = ["runs"]

# Unit classes, by code point.
_CJK = (
    (0x3000, 0x30FF),  # CJK marks, kana
    (0x3130, 0x318F),  # compatibility jamo
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xFF01, 0xFFEF),
)
_RUN = re.compile("[CKN](?:[CAKNPL]*[CKN])?")
_TOO_ASCII = re.compile("A{4,}")
#: ASCII words: letters and digits, a space among them, plain punctuation.
_WORDS = re.compile("(?=.* )[ A-Za-z0-9.,:;'!?-]+")
#: A run holds this many units of class C at least. (Kana of printable bytes, K, counted
#: beside one C made runs of junk at other alignments that left a paragraph read whole
#: otherwise than alone: ``0\r`` is 」, a CR of the text's line break read as a unit.)
_CORE = 3
#: How much a run's language model score per character may fall below the text's own.
_FLOOR = -9.0
#: A legacy reading of a region this likely per character is text, not UTF-16's bytes.
_FLUENT = -7.0


def _is_cjk(u: int) -> bool:
    return any(lo <= u <= hi for lo, hi in _CJK)


def _classes(units: list[int], pair: list[tuple[int, int]], lost: list[bool]) -> str:
    out = []
    for u, (a, b), gone in zip(units, pair, lost, strict=True):
        if gone:
            out.append("L")
        elif u < 0x100:
            out.append("N" if (u >= 0x20 or u in (9, 10, 13)) and u != 0x7F else "X")
        elif _is_cjk(u):
            if not (0x20 <= a <= 0x7E and 0x20 <= b <= 0x7E):
                out.append("C")
            else:
                # (〠, U+3020, is a space and a 0: ASCII text, ``. 0``, not kana)
                out.append("K" if 0x3000 <= u <= 0x30FF and u != 0x3020 else "A")
        elif 0x2000 <= u <= 0x206F:
            out.append("P")
        else:
            out.append("X")
    return "".join(out)


def runs(text: str, start: int, end: int) -> Iterator[Run]:
    """The runs of each alignment in ``text[start:end]`` (a region)."""
    table = bytes_of()
    region = text[start:end]
    data = bytes(table.get(ch, 0x3F) for ch in region)
    if utf8(data):
        return  # (UTF-8 read as latin-1 or cp1252: ×\x90×\x91 is אב, not 힐힑)
    legacy = legacy_value(data)  # (EUC-JP read as latin-1: ¥µ¥Ö is サブ, not 떥뚥)
    if legacy is not None and legacy >= _FLUENT:
        return  # (fluent legacy text: no UTF-16 run reads better)
    lost = [ch == "\ufffd" for ch in region]
    dropped = may_lose(region)
    edges = edges_of(region)
    qmark = lost_to_qmarks(region)
    for little in (True, False):
        read = [_read(data, parity, little, lost, qmark) for parity in (0, 1)]
        for parity in (0, 1):
            mine = read[parity]
            if mine is None:
                continue
            ulist, classes = mine
            other = read[1 - parity]
            others = other[1] if other is not None else ""
            for m in _RUN.finditer(classes):
                for piece in _pieces(region, parity, classes, m.start(), m.end()):
                    piece = _to_edges(region, edges, parity, ulist, classes, piece)
                    cut = _cut(region, edges, dropped, parity, classes, others, piece)
                    if cut is None:
                        continue
                    (s, e), head, tail = cut
                    s, e = _off_spaces(region, parity, ulist, (s, e), head, tail)
                    if classes.count("C", s, e) < _CORE:
                        continue  # (what the turns leave of it is not evidence)
                    run = _run(text, start + parity, (s, e), ulist, classes, little)
                    if run is not None and (legacy is None or run.value > legacy):
                        yield run._replace(
                            head=None if head is None else (start + head[0], start + head[1]),
                            tail=None if tail is None else (start + tail[0], start + tail[1]),
                        )


def _off_spaces(
    region: str,
    parity: int,
    units: list[int],
    piece: tuple[int, int],
    head: tuple[int, int] | None,
    tail: tuple[int, int] | None,
) -> tuple[int, int]:
    """``piece`` without a first or last unit (where no turn is) that holds a space and
    reads as a character no language has seen: the space is the text's own, beside the
    run (`` ”`` after one is 94 20, 鐠), not a byte of a unit."""
    s, e = piece
    while (
        tail is None
        and e - s > 2
        and " " in _pair(region, parity, e - 1)
        and unseen(chr(units[e - 1]))
    ):
        e -= 1
    while head is None and e - s > 2 and " " in _pair(region, parity, s) and unseen(chr(units[s])):
        s += 1
    return s, e


def _pair(region: str, parity: int, k: int) -> str:
    """The two characters of ``region`` unit ``k`` (of ``parity``) is read from."""
    return region[parity + 2 * k : parity + 2 * k + 2]


def _read(
    data: bytes, parity: int, little: bool, lost: list[bool], qmark: list[bool]
) -> tuple[list[int], str] | None:
    """The units of ``data`` from ``parity`` in one byte order, and their classes."""
    n = (len(data) - parity) // 2
    if n < 2:
        return None
    units = array("H", data[parity : parity + 2 * n])
    if little != (array("H", b"\x01\x00")[0] == 1):
        units.byteswap()
    ulist = units.tolist()
    pair = [(data[parity + 2 * k], data[parity + 2 * k + 1]) for k in range(n)]
    gone = [
        lost[parity + 2 * k]
        or lost[parity + 2 * k + 1]
        or ((qmark[parity + 2 * k] or qmark[parity + 2 * k + 1]) and ulist[k] >= 0x100)
        for k in range(n)
    ]
    return ulist, _classes(ulist, pair, gone)


def _cut(
    region: str,
    edges: tuple[int, int, int, int],
    dropped: bool,
    parity: int,
    classes: str,
    others: str,
    piece: tuple[int, int],
) -> tuple[tuple[int, int], tuple[int, int] | None, tuple[int, int] | None] | None:
    """``piece`` (units of ``parity``) cut at the turns either side of it, with the
    turns (region byte offsets ``lo``, ``hi``), or ``None`` when nothing of it is pinned.

    A dropped byte turns the alignment: the units before the turn read at one parity,
    those after it at the other, with one byte between them whose partner is gone. Read
    on at the old parity, the bytes past the turn are junk that may look like text
    until a unit of class X stops it. So where a run stops at an X inside its region,
    the turn lies between the last X of the other parity before that X (``lo``: the
    other parity cannot read the bytes there, so the run's units are right up to it)
    and the X itself (``hi``): the run ends at ``lo``, and the characters of
    ``lo``-``hi`` are not pinned by the bytes. Where a run starts just after an X, the
    same from the other side: the run starts after the first X of the other parity.
    A run with a turn at either end marks its region as one a byte was dropped from.
    Where the run is followed (preceded) by a space and ASCII text alone to the
    region's end, it stops at that text, not at a turn (`` 6.2.`` after a run). Where
    the reader may have dropped bytes (``dropped``) and the run leaves an odd stretch
    with no space to the region's end (but for white space), half a unit is left: the
    alignment turned there, as at an X (the stretch's end stands for the X).
    """
    s, e = piece
    head = tail = None
    stop = _stop(classes, range(e, len(classes)))
    if stop is None and dropped and odd(region, parity + 2 * e, edges[1]):
        stop = (edges[1] - 1 - parity) // 2
    if stop is not None and not (
        context_after(region, parity + 2 * e, edges) or reader_break(region, parity + 2 * e)
    ):
        hi = parity + 2 * stop
        x = next(
            (j for j in range(hi - 1, parity + 2 * s - 2, -2) if _other_x(others, parity, j)),
            None,
        )
        lo = parity + 2 * s if x is None else x + 1
        e = (lo - parity) // 2
        tail = (lo, hi)
    stop = _stop(classes, range(s - 1, -1, -1))
    blank = edges[0]
    if stop is None and dropped and odd(region, blank, parity + 2 * s):
        stop = (blank - 1 - parity) // 2  # (the unit ending at the stretch's first byte)
    if stop is not None and not (
        context_before(region, parity + 2 * s, edges) or reader_break(region, parity + 2 * s - 1)
    ):
        lo = parity + 2 * stop + 2
        end = parity + 2 * e
        x = next((i for i in range(lo - 1, end, 2) if _other_x(others, parity, i)), None)
        hi = end if x is None else x
        s = max(s, (hi + 1 - parity) // 2)
        head = (lo - 1, hi)
    if e - s < 2:
        return None
    return (s, e), head, tail


def _stop(classes: str, where: range) -> int | None:
    """The first unit in ``where`` of class X."""
    return next((k for k in where if classes[k] == "X"), None)


def _other_x(others: str, parity: int, at: int) -> bool:
    """Is the unit of the other parity at region byte ``at`` of class X (or is there
    none: the region's first byte)?"""
    k = (at - (1 - parity)) // 2
    return at < 1 - parity or (0 <= k < len(others) and others[k] == "X")


def _pieces(region: str, parity: int, classes: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """``classes[a:b]`` cut where four ``A`` or more stand in a row whose bytes read as
    ASCII words (letters, digits, a space among them; not 太好打到, ``*Y}YSb0R``, or
    影片放映, ``q_Gr>e f``, between units that show bytes beyond ASCII), each piece
    trimmed to ``C`` or ``N`` at its ends again."""
    pos = a
    for m in _TOO_ASCII.finditer(classes, a, b):
        if _WORDS.fullmatch(region, parity + 2 * m.start(), parity + 2 * m.end()) is None:
            continue
        yield from _trimmed(classes, pos, m.start())
        pos = m.end()
    yield from _trimmed(classes, pos, b)


def _trimmed(classes: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    m = _RUN.search(classes, a, b)
    if m is None:
        return
    s = m.start()
    e = b
    while e > s and classes[e - 1] not in "CKN":
        e -= 1
    if classes.count("C", s, e) >= _CORE:
        yield s, e


def _to_edges(
    region: str,
    edges: tuple[int, int, int, int],
    parity: int,
    units: list[int],
    classes: str,
    piece: tuple[int, int],
) -> tuple[int, int]:
    """``piece`` with the units before and after it that reach the region's end (or
    white space, or a space and ASCII text there) where each is of class A or K and
    holds no space, a lost unit (L: ``Ù\ufffd`` of 这), or common punctuation (“ … ”):
    a whole span's first and last characters (``~b`` of 找不到, ``}Bkbv{Qe`` of 終止登入,
    but never ``t `` or `` A`` of ASCII words)."""

    def fits(k: int) -> bool:
        pair = region[parity + 2 * k : parity + 2 * k + 2]
        if classes[k] == "L":
            # (not with a ``?`` at the region's very edge: the text's own)
            at = (parity + 2 * k, parity + 2 * k + 1)
            edge = any(region[i] == "?" for i in at if i in (0, len(region) - 1))
            return " " not in pair and not edge
        if classes[k] in "AK":
            return " " not in pair
        return units[k] in _EDGE_PUNCT

    s, e = piece
    for k in range(1, _EDGE_UNITS + 1):
        a = s - k
        if a < 0 or not fits(a):
            break
        j = parity + 2 * a
        if blank_before(region, j, edges) or context_before(region, j, edges):
            s = a
            break
    for k in range(1, _EDGE_UNITS + 1):
        b = e + k
        if b > len(classes) or not fits(b - 1):
            break
        i = parity + 2 * b
        if blank_after(region, i, edges) or context_after(region, i, edges):
            e = b
            break
    return s, e


#: Punctuation of U+2000-U+206F a span begins or ends with: dashes, quotes, ellipsis.
_EDGE_PUNCT = frozenset((0x2014, 0x2015, 0x2018, 0x2019, 0x201C, 0x201D, 0x2025, 0x2026))
#: At most this many units are taken at a run's ends.
_EDGE_UNITS = 6


def _run(
    text: str, base: int, piece: tuple[int, int], units: list[int], classes: str, little: bool
) -> Run | None:
    s, e = piece
    after = "".join(
        "\ufffd" if c == "L" else chr(u) for u, c in zip(units[s:e], classes[s:e], strict=True)
    )
    cjk = "".join(ch for ch in after if ord(ch) >= 0x100 and ch != "\ufffd")
    if len(cjk) < 2:
        return None
    lang, value = model.score(cjk)
    if value < _FLOOR:
        return None
    if "\ufffd" in after:
        after = _lost_units(text, base + 2 * s, after, little, lang)
    strength = classes.count("C", s, e) + classes.count("N", s, e)
    return Run(base + 2 * s, base + 2 * e, after, little, strength, value)


def _lost_units(text: str, start: int, after: str, little: bool, lang: str) -> str:
    """``after`` (the units of ``text`` from ``start``) with each unit that lost a byte
    to U+FFFD or ``?`` weighed (:func:`cjkfix.utf16_qmarks.restore`) between its
    neighbours as read."""
    out = list(after)
    for k, ch in enumerate(after):
        pair = text[start + 2 * k : start + 2 * k + 2]
        # (not a unit that holds a line break: that may be the line's end, the U+FFFD
        # the next line's; it stays a unit of no text, as :mod:`utf16_lines` asks)
        if ch == "\ufffd" and len(pair) == 2 and pair != "\ufffd\ufffd" and "\n" not in pair:
            left = out[k - 1] if k and out[k - 1] != "\ufffd" else ""
            right = after[k + 1] if k + 1 < len(after) and after[k + 1] != "\ufffd" else ""
            out[k] = restore(left, pair, right, little, lang)
    return "".join(out)
