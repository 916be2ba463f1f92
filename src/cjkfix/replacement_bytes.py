"""The byte sets and weights of the replacement lattice (:mod:`cjkfix.replacement_lattice`):
the bytes a lost byte may be (UTF-8's maximal-subpart rule, or a set another decoder's
rules give, :func:`lost_byte`), each legacy codec's table of byte pairs, and the summed
probability of the characters a pair with unknown bytes may be (cached by the sets'
names)."""

from __future__ import annotations

import codecs
import functools
import itertools
import math
from typing import NamedTuple

from cjkfix.beam import logsumexp

__all__ = ["CODECS", "LANG", "Slot", "lost_byte"]

#: The Python codec of each legacy encoding (what Windows consoles write) and the
#: language model that reads it.
CODECS: dict[str, str] = {"gbk": "gbk", "big5": "cp950", "shift_jis": "cp932", "euc-kr": "cp949"}
LANG: dict[str, str] = {"gbk": "zh-Hans", "big5": "zh-Hant", "shift_jis": "ja", "euc-kr": "ko"}

#: What a stream cut off after a lead byte costs (the last byte withheld by a streaming
#: decoder, seen in the wild), natural log.
_TRUNCATED = math.log(0.2)

# Byte sets an unknown byte may be drawn from (by name, so that masses are cached).
_CONT = range(0x80, 0xC0)
_ALWAYS_BAD = frozenset((*range(0x80, 0xC2), *range(0xF5, 0x100)))


def _second(lead: int) -> range:
    """The bytes that continue a UTF-8 lead (its second byte)."""
    if lead == 0xE0:
        return range(0xA0, 0xC0)
    if lead == 0xED:
        return range(0x80, 0xA0)
    if lead == 0xF0:
        return range(0x90, 0xC0)
    if lead == 0xF4:
        return range(0x80, 0x90)
    if 0xC2 <= lead <= 0xF4:
        return _CONT
    return range(0)


@functools.cache
def _lone(following: int) -> frozenset[int]:
    """The bytes a U+FFFD of one byte may be when ``following`` (-1: unknown, -2: end
    of text) comes next."""
    if following < 0:
        return frozenset(range(0x80, 0x100))
    return _ALWAYS_BAD | frozenset(b for b in range(0xC2, 0xF5) if following not in _second(b))


@functools.cache
def _lone_name(following: int) -> str:
    """The name of :func:`_lone`'s set for ``following``: one name for each set (there
    are four), so that the masses cached by name are worked out once for each."""
    got = _lone(following)
    return next(f"lone{f}" for f in range(-2, 0x100) if _lone(f) == got)


_SETS: dict[str, frozenset[int]] = {
    "loneL": frozenset(range(0xC2, 0xF5)),
    "loneN": frozenset((*range(0x80, 0xC2), *range(0xF5, 0x100))),
    "loneNC": frozenset((0xC0, 0xC1, *range(0xF5, 0x100))),
    "E0F4": frozenset(range(0xE0, 0xF5)),
    "F0F4": frozenset(range(0xF0, 0xF5)),
    "CONT": frozenset(_CONT),
}


def _set(key: str) -> frozenset[int]:
    named = _SETS.get(key)
    if named is not None:
        return named
    if key[0] == "x":
        return _masked(key)
    return _lone(int(key[4:]))


def lost_byte(choices: frozenset[int]) -> str:
    """The name of a set of bytes one lost byte may be (a token of :func:`align` that
    another decoder's rules give: a byte it rejected before the next one)."""
    return "x" + format(sum(1 << b for b in choices), "x")


@functools.cache
def _masked(key: str) -> frozenset[int]:
    mask = int(key[1:], 16)
    return frozenset(b for b in range(0x100) if mask >> b & 1)


class _Table(NamedTuple):
    pairs: dict[int, dict[int, str]]  # lead -> trail -> character
    singles: dict[int, str]  # high bytes that are characters alone (half-width kana)


@functools.cache
def _table(codec: str) -> _Table:
    name = CODECS[codec]
    pairs: dict[int, dict[int, str]] = {}
    singles: dict[int, str] = {}
    decode = codecs.lookup(name).decode  # (looked up once, not once a pair)
    for lead in range(0x81, 0x100):
        try:
            ch = decode(bytes((lead,)))[0]
            if codec == "shift_jis" and 0xA1 <= lead <= 0xDF:
                singles[lead] = ch
            continue
        except UnicodeDecodeError:
            pass
        row: dict[int, str] = {}
        for trail in range(0x40, 0x100):
            try:
                ch = decode(bytes((lead, trail)))[0]
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and not "\ue000" <= ch <= "\uf8ff":
                row[trail] = ch
        if row:
            pairs[lead] = row
    return _Table(pairs, singles)


@functools.cache
def _logp(codec: str, lang: str) -> dict[str, float]:
    from cjkfix import model

    table = _table(codec)
    chars = {ch for row in table.pairs.values() for ch in row.values()}
    chars.update(table.singles.values())
    # (each character's text_logprob alone, its value alone: looked up at C speed)
    order = list(chars)
    return dict(zip(order, model.char_values(order, lang), strict=True))


Slot = int | str  # a known byte, or the name of the set an unknown byte is drawn from


@functools.cache
def _mass(codec: str, lang: str, lead: Slot, trail: Slot) -> float:
    """Log of the summed probability of the characters ``(lead, trail)`` may be."""
    table = _table(codec)
    lp = _logp(codec, lang)
    leads = [lead] if isinstance(lead, int) else sorted(_set(lead))
    trails = None if isinstance(trail, str) else trail
    trail_set = _set(trail) if isinstance(trail, str) else None
    values: list[float] = []
    for b in leads:
        row = table.pairs.get(b)
        if row is None:
            continue
        if trails is not None:
            ch = row.get(trails)
            if ch is not None:
                values.append(lp[ch])
        else:
            assert trail_set is not None
            known, logps = _row_logps(codec, lang, b)
            values.extend(itertools.compress(logps, map(trail_set.__contains__, known)))
    return logsumexp(values)


@functools.cache
def _row_logps(codec: str, lang: str, lead: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """The trail bytes of ``lead``'s characters in ``codec`` (in order) and each
    character's log-probability."""
    row = _table(codec).pairs[lead]
    lp = _logp(codec, lang)
    return tuple(row), tuple(lp[ch] for ch in row.values())


@functools.cache
def _single_mass(codec: str, lang: str, key: str) -> float:
    table = _table(codec)
    lp = _logp(codec, lang)
    return logsumexp([lp[ch] for b, ch in table.singles.items() if b in _set(key)])


@functools.cache
def _may_lead(codec: str, key: str) -> bool:
    return any(b in _table(codec).pairs for b in _set(key))


@functools.cache
def _truncated_mass(codec: str, lang: str, pend: Slot) -> float:
    return _any_trail_mass(codec, lang, pend) + _TRUNCATED


@functools.cache
def _any_trail_mass(codec: str, lang: str, pend: Slot) -> float:
    table = _table(codec)
    lp = _logp(codec, lang)
    leads = [pend] if isinstance(pend, int) else sorted(_set(pend))
    return logsumexp([lp[ch] for b in leads for ch in table.pairs.get(b, {}).values()])
