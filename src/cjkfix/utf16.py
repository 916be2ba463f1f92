"""UTF-16 read as an 8-bit codec (issue 10): Windows "Unicode" files and registry exports
read by a program as latin-1 or cp1252 (NUL bytes kept as U+0000).

Every character of the text stands for one byte (latin-1's 00-FF, cp1252's 80-9F
letters; U+FFFD, or ``?``, for a byte the reader could not map). A stretch of such
characters is read as UTF-16 units at each of its four alignments (little- and
big-endian, from an even or an odd offset), whole, at C speed, and a unit is classed:

* ``C`` a CJK character (Han, kana, Hangul, CJK marks, full-width forms) one of whose
  bytes is not printable ASCII: clear evidence;
* ``K`` kana or a CJK mark both of whose bytes are printable ASCII (``g0`` is で);
* ``A`` a CJK character both of whose bytes are printable ASCII (``P}`` is 結, but
  ``ob`` is 扯: any two lowercase letters make a Han character): inside a run only;
* ``N`` a character of U+0000-U+00FF (its NUL byte shown): ASCII or Latin-1 text;
* ``P`` general punctuation U+2000-U+206F (``“`` is 1C 20): inside a run only;
* ``L`` a unit with a lost byte: U+FFFD, inside a run only;
* ``X`` anything else.

A run begins and ends with ``C`` or ``N``, holds two ``C`` at least, no four ``A`` in a
row, and reads, by the language model, as text (not as rare characters at random). It is
taken only with a clear margin over every run another alignment finds in the same place
(the lost-byte case aside: a byte dropped by the reader turns the alignment, and the
units either side of the turn are U+FFFD). Nothing else is guessed: a run that is not
certain is left as it is.

    >>> [e.after for e in edits("Æ0¹0È0P}œg0Y0")]
    ['テスト結果です']
    >>> edits("A0B0C0D0 x0y0 P}g 0x30A0")
    []
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Iterator
from typing import NamedTuple

from cjkfix import model
from cjkfix.steps import Edit

__all__ = ["edits", "spans", "suspects"]


@functools.cache
def _bytes_of() -> dict[str, int]:
    out = {chr(b): b for b in range(256)}
    for b in range(0x80, 0xA0):
        ch = bytes((b,)).decode("cp1252", "ignore")
        if ch:
            out[ch] = b
    return out


@functools.cache
def _region() -> re.Pattern[str]:
    chars = "".join(re.escape(ch) for ch in _bytes_of() if ord(ch) > 0xFF)
    return re.compile(f"[\\x00-\\xff{chars}\ufffd]{{4,}}")


#: A region worth reading holds a character that is not printable ASCII or a line end.
_UNUSUAL = re.compile("[^\t\n\r -~]")

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
#: How much better per character a run reads than a rival in its place.
_MARGIN = 2.0
#: A run holds this many units of class C at least.
_CORE = 3
#: How much a run's language model score per character may fall below the text's own.
_FLOOR = -9.0


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
                out.append("K" if 0x3000 <= u <= 0x30FF else "A")
        elif 0x2000 <= u <= 0x206F:
            out.append("P")
        else:
            out.append("X")
    return "".join(out)


class Run(NamedTuple):
    """A run of units: characters ``start``-``end`` of the text, read as ``after``."""

    start: int
    end: int
    after: str
    little: bool
    strength: int  # units of classes C and N
    value: float  # language model score per CJK character


def _runs(text: str, start: int, end: int) -> Iterator[Run]:
    """The runs of each alignment in ``text[start:end]`` (a region)."""
    table = _bytes_of()
    region = text[start:end]
    data = bytes(table.get(ch, 0x3F) for ch in region)
    if _utf8(data):
        return  # (UTF-8 read as latin-1 or cp1252: ×\x90×\x91 is אב, not 힐힑)
    lost = [ch == "\ufffd" for ch in region]
    qmark = [ch == "?" for ch in region]
    for little in (True, False):
        for parity in (0, 1):
            n = (len(data) - parity) // 2
            if n < 2:
                continue
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
            classes = _classes(ulist, pair, gone)
            for m in _RUN.finditer(classes):
                for piece in _pieces(classes, m.start(), m.end()):
                    piece = _to_edges(region, parity, classes, piece)
                    run = _run(text, start + parity, piece, ulist, classes, little)
                    if run is not None:
                        yield run


def _utf8(data: bytes) -> bool:
    """Are ``data`` UTF-8 with characters beyond ASCII?"""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _pieces(classes: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """``classes[a:b]`` cut where four ``A`` or more stand in a row (ASCII text beside
    the run), each piece trimmed to ``C`` or ``N`` at its ends again."""
    pos = a
    for m in _TOO_ASCII.finditer(classes, a, b):
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


def _to_edges(region: str, parity: int, classes: str, piece: tuple[int, int]) -> tuple[int, int]:
    """``piece`` with up to two units of class A or K before and after it where they
    reach the region's end (or a space there) and hold no space: a whole span's first
    and last characters (``~b`` of 找不到, but never ``t `` or `` A`` of ASCII words)."""
    s, e = piece
    for k in (1, 2):
        a = s - k
        if a < 0 or classes[a] not in "AK" or " " in region[parity + 2 * a : parity + 2 * s]:
            break
        head = region[: parity + 2 * a]
        if head == "" or (len(head) == 1 and head.isspace()):
            s = a
            break
    for k in (1, 2):
        b = e + k
        if b > len(classes) or classes[b - 1] not in "AK":
            break
        if " " in region[parity + 2 * e : parity + 2 * b]:
            break
        rest = region[parity + 2 * b :]
        if rest == "" or (len(rest) == 1 and rest.isspace()):
            e = b
            break
    return s, e


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
    _lang, value = model.score(cjk)
    if value < _FLOOR:
        return None
    strength = classes.count("C", s, e) + classes.count("N", s, e)
    return Run(base + 2 * s, base + 2 * e, after, little, strength, value)


def _whole(run: Run, text: str, start: int, end: int) -> bool:
    """Does ``run`` cover its region (but for a space at either end)?"""
    head = text[start : run.start]
    tail = text[run.end : end]
    return len(head) <= 1 and head.strip() == "" and len(tail) <= 1 and tail.strip() == ""


def suspects(text: str) -> list[tuple[int, int]]:
    """The regions of ``text`` where a run of UTF-16 units was seen at some alignment,
    certain or not: other readings stay off them (half a UTF-16 line read as cp1252
    mojibake, or its NUL bytes dropped, is text nobody wrote)."""
    out = []
    for m in _region().finditer(text):
        if (
            _UNUSUAL.search(text, m.start(), m.end()) is not None
            and next(_runs(text, m.start(), m.end()), None) is not None
        ):
            out.append(m.span())
    return out


def spans(text: str) -> list[Run]:
    """The runs of UTF-16 units in ``text`` that are certain, in order, not overlapping
    (two runs of one byte order either side of a dropped byte are joined). A region
    read whole at one alignment only is that reading."""
    found: list[Run] = []
    wholes: list[Run] = []
    for m in _region().finditer(text):
        if _UNUSUAL.search(text, m.start(), m.end()) is None:
            continue
        here = list(_runs(text, m.start(), m.end()))
        whole = [r for r in here if _whole(r, text, m.start(), m.end())]
        if len(whole) == 1:
            wholes.extend(whole)
        else:
            found.extend(here)
    if not found:
        return wholes
    found.sort(key=lambda r: (-r.strength, -r.value, r.start))
    taken: list[Run] = []
    for r in found:
        over = [t for t in taken if t.start < r.end and r.start < t.end]
        if over:
            if len(over) == 1 and _turn(r, over[0]):
                taken.remove(over[0])
                taken.append(_over_turn(over[0], r))
            continue
        rivals = [
            q
            for q in found
            if q is not r and q.start < r.end and r.start < q.end and not _turn(r, q)
        ]
        if all(_beats(r, q) for q in rivals):
            taken.append(r)
    taken.extend(wholes)
    taken.sort(key=lambda r: r.start)
    return _joined(text, taken, found)


def _beats(r: Run, q: Run) -> bool:
    """Does ``r`` win over ``q`` (runs of two alignments in one place) by a clear
    margin: read by the model as far likelier, or much longer and likelier?"""
    if r.value >= q.value + _MARGIN and r.strength >= q.strength:
        return True
    return r.strength >= 2 * q.strength + 1 and r.value > q.value


def _turn(r: Run, q: Run) -> bool:
    """Are ``r`` and ``q`` the two sides of a dropped byte (one byte order, the other
    parity, overlapping at one end only, both strong)?"""
    return (
        r.little == q.little
        and (r.start - q.start) % 2 == 1
        and (q.start < r.start < q.end < r.end or r.start < q.start < r.end < q.end)
        and min(r.strength, q.strength) >= 3
    )


def _over_turn(a: Run, b: Run) -> Run:
    """The two sides of a turn that overlap, as one run: each cut where the other's
    units begin, the units between (one of them junk of the wrong alignment) U+FFFD."""
    first, second = (a, b) if a.start < b.start else (b, a)
    x1 = second.start - 1  # (the first's parity)
    y2 = first.end + 1  # (the second's)
    head = first.after[: (x1 - first.start) // 2]
    tail = second.after[(y2 - second.start) // 2 :]
    after = head + "\ufffd" * ((y2 - x1 + 1) // 2) + tail
    return first._replace(end=second.end, after=after, strength=first.strength + second.strength)


def _joined(text: str, taken: list[Run], found: list[Run]) -> list[Run]:
    """Runs of one byte order whose parities differ and that overlap or leave one
    character between them: a byte was dropped in between; the units the turn may touch
    are U+FFFD."""
    out: list[Run] = []
    for r in taken:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.little == r.little
            and (r.start - prev.start) % 2 == 1
            and r.start == prev.end + 1
            and not text[prev.end].isspace()
            and min(prev.strength, r.strength) >= 3
        ):
            out[-1] = prev._replace(end=r.end, after=prev.after + "\ufffd" + r.after)
            continue
        out.append(r)
    return out


def edits(text: str) -> list[Edit]:
    """The repairs of the UTF-16 runs in ``text`` (see :func:`spans`)."""
    return [
        Edit(
            r.start,
            r.end,
            r.after,
            reason="UTF-16 read as an 8-bit codec (latin-1 or cp1252)",
            confidence=0.95,
            evidence={
                "chain": ["utf-16-le" if r.little else "utf-16-be", "latin-1"],
                "lost_characters": r.after.count("\ufffd"),
            },
        )
        for r in spans(text)
    ]
