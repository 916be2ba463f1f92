"""Tokens: a run turned back into the bytes the wrong codec read, and UTF-8 parsed over them.

A token is a byte (0-255) or a :class:`Token`, which says what stands where a byte is
not known (all documented here, once):

* ``Token.HOLE`` (-1): U+FFFD, one unknown byte (or the first of a pair, see ``HOLE2``);
* ``Token.QMARK`` (-2): "?", a literal question mark or a byte a Windows/PHP decoder lost;
* ``Token.HOLE2`` (-3): the second byte of a pair a WHATWG decoder replaced by one U+FFFD;
* ``Token.SLOT`` (-4, legacy decodes only): where a decoder may have dropped a byte.

Filling a slot (legacy decodes) uses two more values above a byte: ``_NOTHING`` (0x100)
for nothing put back, and ``_TWO | first << 8 | second`` (``_TWO`` = 0x10000) for two
bytes. ``t >= 0`` tells a byte (or a fill) from a token.

    >>> _tokens("浣?", "gbk")
    ([228, 189, <Token.QMARK: -2>], [0, 0, 1])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum

from cjkfix import codecs as cc
from cjkfix._lazyre import LazyRegex


class Token(IntEnum):
    """What stands where a byte is not known (see the module docstring)."""

    HOLE = -1
    QMARK = -2
    HOLE2 = -3
    SLOT = -4


HOLE = Token.HOLE
QMARK = Token.QMARK
HOLE2 = Token.HOLE2
_SLOT = Token.SLOT


@dataclass(slots=True)
class _Unit:
    """One decoded character (or a lost one) and where its bytes came from."""

    kind: str  # "ascii", "good", "restored", "lost", "bad"
    text: str
    t0: int  # first token
    t1: int  # one past the last token
    pattern: list[int] = field(default_factory=list)  # bytes, -1 for unknown
    # For each unknown byte that stands alone for one U+FFFD: (pattern index, token index).
    single: list[tuple[int, int]] = field(default_factory=list)
    # Other (pattern, single) readings of the same bytes (a dropped middle byte).
    alts: list[tuple[list[int], list[tuple[int, int]]]] = field(default_factory=list)
    # A lost character whose bytes may have been followed by a character lost with them
    # (an eating decoder's "?"): never restored, the model would judge it without it.
    unpinned: bool = False


def _cont(b: int) -> bool:
    return 0x80 <= b <= 0xBF


def _utf8_len(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


#: :func:`_utf8_len` of each byte (the parser's table).
_UTF8_LENGTHS = tuple(_utf8_len(b) for b in range(256))


def _alone(tokens: list[int], k: int) -> bool:
    """Does the lost byte at ``k`` stand alone for its U+FFFD (not half of a pair)?"""
    return tokens[k] == HOLE and not (k + 1 < len(tokens) and tokens[k + 1] == HOLE2)


#: ASCII quotes a text may hold where cp1252's curly quotes (91-94, UTF-8 continuation
#: bytes) were folded to ASCII, and the bytes each stands for there.
FOLDED_QUOTES: dict[int, tuple[int, ...]] = {0x22: (0x93, 0x94), 0x27: (0x91, 0x92)}


def _parse_utf8(
    tokens: list[int],
    folded: bool = False,
    fold_end: bool = False,
    lone_leads: bool = False,
    eats: bool = False,
) -> list[_Unit]:
    """Permissive UTF-8 over known bytes and holes; holes become unknown bytes (see
    :func:`_read_units`; a byte that starts no character is a unit of kind "bad")."""
    return [
        _Unit("bad", "", u, u + 1) if isinstance(u, int) else u
        for u in _read_units(tokens, folded, fold_end, lone_leads, eats)
    ]


def _read_units(
    tokens: list[int],
    folded: bool = False,
    fold_end: bool = False,
    lone_leads: bool = False,
    eats: bool = False,
) -> list[_Unit | int]:
    """Permissive UTF-8 over known bytes and holes; holes become unknown bytes. A byte
    that starts no character is given as its index (a "bad" unit: more than half the
    units of clean text read as UTF-8, where a reader needs only where they are).

    ``folded``: an ASCII quote where a continuation byte is due, and before another
    high byte, is a curly quote of cp1252 folded to ASCII (``é"®`` was ``é”®``, 键): an
    unknown byte among the quote bytes it can stand for (:data:`FOLDED_QUOTES`);
    ``fold_end``: also before an ASCII byte or the end (the other reading: a real quote
    after a character that lost its last byte). ``lone_leads``: a lead byte right before
    the next lead is a character whose continuation bytes were all lost (for a wrong
    codec whose undefined bytes are all continuation bytes, cp1252: see
    :func:`lone_leads`)."""
    # (the inner loop of every UTF-8 reading, once per byte of every run under every
    # wrong codec: locals for the unit class, the append and the lead lengths, and the
    # token tests written out, since a function call per byte cost a third of the time
    # on a long line of junk; Token values compared as the plain ints they are)
    units: list[_Unit | int] = []
    add = units.append
    unit = _Unit
    lengths = _UTF8_LENGTHS
    n = len(tokens)
    i = 0
    while i < n:
        t = tokens[i]
        if t >= 0x80:
            # (first the bytes that start no character: most of a run of clean text;
            # the units the general path below makes of them, made at once)
            need = lengths[t] - 1
            if need < 0:
                add(i)
                i += 1
                continue
            if i + 1 == n:
                if lone_leads and need >= 2:
                    # (a lead at the end, all its continuation bytes dropped)
                    add(unit("lost", "\ufffd", i, i + 1, [t] + [-1] * need))
                else:
                    add(i)  # (a lead at the end: nothing to continue it)
                i += 1
                continue
            nt = tokens[i + 1]
            if 0x80 <= nt <= 0xBF:
                # (and a whole character: as many continuation bytes as its lead wants)
                j = i + need + 1
                if j <= n and (
                    need == 1
                    or (
                        0x80 <= tokens[i + 2] <= 0xBF
                        and (need == 2 or 0x80 <= tokens[i + 3] <= 0xBF)
                    )
                ):
                    try:
                        ch = bytes(tokens[i:j]).decode("utf-8")
                    except UnicodeDecodeError:
                        add(i)
                        i += 1
                        continue
                    add(unit("good", ch, i, j))
                    i = j
                    continue
            elif nt >= 0 and not (folded and nt in FOLDED_QUOTES):
                if lone_leads and need >= 2 and (nt < 0x80 or lengths[nt]):
                    add(unit("lost", "\ufffd", i, i + 1, [t] + [-1] * need))
                else:
                    add(i)
                i += 1
                continue
        if t == -2:  # QMARK
            # A hole if continuation bytes follow (a lost lead), else a real "?".
            if i + 1 < n and 0x80 <= tokens[i + 1] <= 0xBF:
                t = -1
            else:
                add(unit("ascii", "?", i, i + 1))
                i += 1
                continue
        if t == -1 or t == -3:  # HOLE, HOLE2
            f = 0
            while f < 3 and i + 1 + f < n and 0x80 <= tokens[i + 1 + f] <= 0xBF:
                f += 1
            if f == 0:
                # Lost bytes in a row (Python's decoders put one U+FFFD per byte): the
                # lead and what follows up to three bytes make one character.
                shape, alone, k = [-1], [(0, i)] if _alone(tokens, i) else [], 1
                while k < 3 and i + k < n:
                    nt = tokens[i + k]
                    if nt == -1 or nt == -3:
                        if _alone(tokens, i + k):
                            alone.append((k, i + k))
                        shape.append(-1)
                    elif 0x80 <= nt <= 0xBF:
                        shape.append(nt)
                    else:
                        break
                    k += 1
                if k == 3:
                    add(unit("lost", "\ufffd", i, i + 3, shape, alone))
                    i += 3
                    continue
                add(unit("lost", "\ufffd", i, i + 1, [-1, -1, -1]))
                i += 1
                continue
            known = tokens[i + 1 : i + 1 + f]
            if f >= 2 or (f == 1 and t == -3):
                add(
                    unit(
                        "lost", "\ufffd", i, i + 1 + f, [-1, *known], [(0, i)][: _alone(tokens, i)]
                    )
                )
            else:
                add(unit("lost", "\ufffd", i, i + 1 + f, [-1, -1, *known]))
            i += 1 + f
            continue
        if t < 0x80:
            add(unit("ascii", chr(t), i, i + 1))
            i += 1
            continue
        need = lengths[t] - 1
        if need < 0:
            add(i)
            i += 1
            continue
        pattern = [t]
        single: list[tuple[int, int]] = []
        j = i + 1
        holes = unpinned = False
        while len(pattern) <= need:
            if j >= n:
                break
            nt = tokens[j]
            if 0x80 <= nt <= 0xBF:
                pattern.append(nt)
                j += 1
            elif (
                folded
                and nt in FOLDED_QUOTES
                and (fold_end or (j + 1 < n and tokens[j + 1] >= 0x80))
            ):
                single.append((len(pattern), j))
                pattern.append(-1)
                holes = True
                j += 1
            elif nt == -3 or (nt == -1 and j + 1 < n and tokens[j + 1] == -3):
                pattern.append(-1)  # one byte of a pair a WHATWG decoder replaced
                holes = True
                j += 1
            elif nt == -1 or nt == -2:
                remaining = need + 1 - len(pattern)
                f = 0
                while f < remaining and j + 1 + f < n and 0x80 <= tokens[j + 1 + f] <= 0xBF:
                    f += 1
                fill = max(1, min(2, remaining - f))
                if j + 1 < n and (tokens[j + 1] == -1 or tokens[j + 1] == -2):
                    fill = 1  # one U+FFFD per lost byte (Python's decoders)
                # (where the codec's Windows decoder ``eats`` with "?", a "?" the next
                # character's bytes follow at once is its bad lead with the byte it ate,
                # an ASCII character lost after this one (``順?歆``: 형 and a space; read
                # as a byte alone, the model picks 혀 beside 지), or a lead Python's
                # decoder could not pair with them: which, the bytes do not say)
                if eats and nt == -2 and j + 1 < n and tokens[j + 1] >= 0x80:
                    unpinned = True
                if fill == 1:
                    single.append((len(pattern), j))
                pattern.extend([-1] * fill)
                holes = True
                j += 1
            else:
                break
        if len(pattern) != need + 1:
            if holes and len(pattern) > need + 1:
                pattern = pattern[: need + 1]
            elif (
                not holes
                and need >= 2
                and len(pattern) == need
                and (j >= n or tokens[j] < 0x80 or lengths[tokens[j]])
            ):
                # A silently dropped last byte (errors="ignore", or a cut string): the
                # lead and all but one continuation byte are there, then the run ends,
                # its non-ASCII part ends, or the next character starts. The wrong
                # decoder dropped a byte it could not decode before what follows.
                single = [(need, j - 1)] if j < n and tokens[j] >= 0x80 else []
                lost = unit("lost", "\ufffd", i, j, [*pattern, -1], single)
                if need == 2:
                    # the dropped byte may as well be the middle one (it came before
                    # the byte that is there, which made it undecodable)
                    lost.alts.append(([pattern[0], -1, pattern[1]], [(1, i)]))
                add(lost)
                i = j
                continue
            elif (
                lone_leads
                and not holes
                and need >= 2
                and len(pattern) == 1
                and (j >= n or 0 <= tokens[j] < 0x80 or lengths[tokens[j]])
            ):
                # A lead byte alone before the next character's lead: all its
                # continuation bytes were dropped (``åã€‚``: 名 is E5 90 8D, and
                # cp1252 defines neither 90 nor 8D). One lost character, whose
                # unknown bytes the restorer may pin down; else one U+FFFD.
                add(unit("lost", "\ufffd", i, j, [t] + [-1] * need))
                i = j
                continue
            else:
                add(i)
                i += 1
                continue
        if holes:
            add(unit("lost", "\ufffd", i, j, pattern, single, unpinned=unpinned))
        else:
            try:
                ch = bytes(pattern).decode("utf-8")
            except UnicodeDecodeError:
                add(i)
                i += 1
                continue
            add(unit("good", ch, i, j))
        i = j
    return units


def lone_leads(codec: str) -> bool:
    """Can a UTF-8 lead byte read as ``codec`` have lost all its continuation bytes, and
    nothing else? Where the codec's undefined bytes are all continuation bytes (cp1252:
    81 8D 8F 90 9D): ``名`` (E5 90 8D) shows as ``å`` alone. (A double-byte codec that
    drops bytes drops them with their neighbours: a lead alone there is no evidence.)"""
    undefined = cc.UNDEFINED_BYTES.get(codec, ())
    return bool(undefined) and all(_cont(b) for b in undefined)


def _tokens(run: str, codec: str) -> tuple[list[int], list[int]] | None:
    """Bytes of ``run`` re-encoded with ``codec`` (holes for U+FFFD/"?"), and the index
    of the character each byte came from."""
    tokens: list[int] = []
    owner: list[int] = []
    forms = cc.char_forms(codec)
    encode = cc.encode_char
    # (what UTF-8 still expects is needed only before a character of two forms: it is
    # worked out over the tokens made since the last such character, not byte by byte)
    pending = 0  # continuation bytes the UTF-8 read so far still expects
    seen = 0  # tokens ``pending`` accounts for
    for ci, ch in enumerate(run):
        if ch == "\ufffd":
            tokens.append(HOLE)
            owner.append(ci)
            continue
        if ch == "?":
            tokens.append(QMARK)
            owner.append(ci)
            continue
        data = encode(ch, codec)
        if data is None:
            return None
        if ch in forms:
            pending = _pending(tokens, seen, pending)
            seen = len(tokens)
            nxt = run[ci + 1 : ci + 2]
            following = encode(nxt, codec) if nxt and nxt not in "\ufffd?" else None
            first = following[0] if following else (-1 if nxt else _END)
            data = _fitting_form(forms[ch], data, pending, first)
        tokens.extend(data)
        owner.extend([ci] * len(data))
    return tokens, owner


def _pending(tokens: list[int], start: int, pending: int) -> int:
    """The continuation bytes UTF-8 still expects after ``tokens[start:]``, where it
    expected ``pending`` before them (a lost byte or "?" stands for one of them)."""
    for t in tokens[start:]:
        pending = max(0, pending - 1) if t < 0 else _after(pending, t)
    return pending


#: ``following`` for :func:`_fitting_form` at the end of the run (-1: a byte not known).
_END = -2


def _after(pending: int, b: int) -> int:
    """The continuation bytes UTF-8 still expects after byte ``b``."""
    if pending and _cont(b):
        return pending - 1
    return max(0, _utf8_len(b) - 1)


def _fitting_form(forms: tuple[bytes, ...], default: bytes, pending: int, following: int) -> bytes:
    """Of the byte pairs cp932 decodes one character from (``∵`` is ``81 E6`` and
    ``87 9A``), the one UTF-8 read there fits: continuation bytes where a character
    expects them, a lead where none does (``謖∵怏`` is ``E6 8C 81 | E6 9C 89``, 持有;
    ``87 9A`` would end 持 as 指 and leave ``9A`` alone). ``default`` unless another
    form fits outright."""

    def misfits(pair: bytes) -> int:
        bad, state = 0, pending
        for b in pair:
            if _cont(b) and not state:
                bad += 1  # a continuation byte nothing expects
            elif state and not _cont(b):
                bad += 1  # a character cut short
            elif b >= 0x80 and not _cont(b) and not _utf8_len(b):
                bad += 1  # a byte UTF-8 never has
            state = _after(state, b)
        if state and (following == _END or (following >= 0 and not _cont(following))):
            bad += 1
        elif not state and following >= 0 and _cont(following):
            bad += 1  # the next character's first byte left with nothing to continue
        return bad

    if misfits(default):
        # (only a form that fits outright replaces the usual one)
        return next((f for f in forms if not misfits(f)), default)
    return default


def _split_unencodable(text: str, start: int, end: int, codec: str) -> Iterator[tuple[int, int]]:
    s = start
    for i in range(start, end):
        ch = text[i]
        if ch not in "\ufffd?" and cc.encode_char(ch, codec) is None:
            if i > s:
                yield s, i
            s = i + 1
    if end > s:
        yield s, end
    return


def _pair_holes(
    run: str, tokens: list[int], owner: list[int]
) -> tuple[list[int], list[int]] | None:
    """``tokens`` with each U+FFFD before a non-ASCII character read as two lost bytes."""
    last = len(run) - 1
    # (the holes found first, and the lists copied in slices between them: a run has
    # thousands of tokens and a few dozen such holes)
    at = [
        k
        for k in [k for k, t in enumerate(tokens) if t == HOLE]
        if owner[k] < last and run[owner[k] + 1] > "\x7f"
    ]
    if not at:
        return None
    t2: list[int] = []
    o2: list[int] = []
    done = 0
    for k in at:
        t2 += tokens[done : k + 1]
        t2.append(HOLE2)
        o2 += owner[done : k + 1]
        o2.append(owner[k])
        done = k + 1
    t2 += tokens[done:]
    o2 += owner[done:]
    return t2, o2


#: A slot filled with nothing (a slot is filled with nothing unless a byte clearly reads
#: better).
_NOTHING = 0x100


_TWO = 0x10000  # a slot filled with two bytes: _TWO | first << 8 | second


def _bytes(current: list[int]) -> bytes:
    try:
        return bytes(current)
    except ValueError:  # (slots: nothing, or two bytes)
        pass
    if max(current) == _NOTHING:
        return bytes([b for b in current if b != _NOTHING])
    out = bytearray()
    for b in current:
        if b < 0x100:
            out.append(b)
        elif b > _TWO:
            out += bytes(((b >> 8) & 0xFF, b & 0xFF))
    return bytes(out)


# A character UTF-8 needs three or four bytes for (U+FFFD aside).
_WIDE = LazyRegex("[\u0800-\ufffc\ufffe\uffff\U00010000-\U0010ffff]")
