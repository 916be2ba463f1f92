"""The byte lattice of legacy CJK bytes read as UTF-8 with U+FFFD, and its alignment.

A UTF-8 decoder with ``errors="replace"`` (Python's, WHATWG's) writes one U+FFFD per
*maximal subpart* of an ill-formed sequence: a lone byte ``80``-``C1`` or ``F5``-``FF``;
a lead ``C2``-``F4`` whose next byte cannot continue it; or a three- or four-byte lead
with the continuation bytes it did get (two or three bytes in one U+FFFD). So each
U+FFFD is one to three unknown bytes, and what may stand there depends on the byte that
follows (``D2`` alone before ``B2`` is impossible: the two would have made ``Ҳ``).
Every other character gives its bytes back exactly: ``Ҳ`` is ``D2 B2``, ``汾`` is
``E6 B1 BE``, an ASCII letter after a lost lead byte may be a trail byte (Big5 ``字``
is ``A6 72``, read as ``\ufffdr``).

:func:`align` runs the forward-backward algorithm over every way of cutting that byte
lattice into characters of one legacy codec, weighting a character by the language
model (a character with unknown bytes by the summed probability of every character its
known bytes and byte ranges allow). It returns the best cut and, for each character of
it whose bytes are all known, how sure the lattice is of that character (its posterior
over all the cuts).

    >>> from cjkfix.replacement_lattice import align, tokens
    >>> a = align(tokens("\ufffd\u03b2\u0258"), "gbk", "zh-Hans", after=None)
    >>> [c.char for c in a.chars]
    [None, '采', None]
"""

from __future__ import annotations

import codecs
import functools
import itertools
import math
import threading
from collections.abc import Sequence
from typing import NamedTuple

from cjkfix.beam import logsumexp

__all__ = ["CODECS", "LANG", "Alignment", "Char", "align", "tokens"]

#: The Python codec of each legacy encoding (what Windows consoles write) and the
#: language model that reads it.
CODECS: dict[str, str] = {"gbk": "gbk", "big5": "cp950", "shift_jis": "cp932", "euc-kr": "cp949"}
LANG: dict[str, str] = {"gbk": "zh-Hans", "big5": "zh-Hant", "shift_jis": "ja", "euc-kr": "ko"}

#: What a stream cut off after a lead byte costs (the last byte withheld by a streaming
#: decoder, seen in the wild), natural log.
_TRUNCATED = math.log(0.2)

#: What an ASCII letter or symbol glued to the byte before it, a lost or non-ASCII one,
#: costs beyond its model value: in CJK text it is rare (``會|``), while a trail byte of
#: Big5 or Shift_JIS in that place is common (``會`` is ``B7 7C``).
_ASCII_GLUED = -4.0

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
    return _lone(int(key[4:]))


class Char(NamedTuple):
    """A character of the best cut: ``char`` when all its bytes are known (else None),
    ``posterior`` of that character over all cuts; ``lead``/``trail`` its bytes (an
    int when known, else the name of the set it is drawn from, ``""`` for a one-byte
    character); ``tokens`` the input tokens it draws bytes from."""

    char: str | None
    posterior: float
    lead: int | str
    trail: int | str
    tokens: tuple[int, int]


class Alignment(NamedTuple):
    logz: float  # log of the summed weight of every cut (the evidence for this codec)
    chars: list[Char]


def tokens(text: str) -> list[bytes | None]:
    """The stretch as byte tokens: a character's UTF-8 bytes, ``None`` for U+FFFD."""
    return [None if ch == "\ufffd" else ch.encode("utf-8", "surrogatepass") for ch in text]


class _Table(NamedTuple):
    pairs: dict[int, dict[int, str]]  # lead -> trail -> character
    singles: dict[int, str]  # high bytes that are characters alone (half-width kana)


_lock = threading.Lock()


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


def _expansions(toks: Sequence[bytes | None], t: int, after: int | None) -> list[tuple[str, ...]]:
    """The byte sets a U+FFFD at ``toks[t]`` may stand for (one to three bytes).

    Before another U+FFFD, a lone byte is either a UTF-8 lead (``loneL``, and then the
    next U+FFFD cannot start with a continuation byte: the two would have been read
    together) or not (``loneN``); :func:`_follows` keeps that coupling.
    """
    nxt = toks[t + 1] if t + 1 < len(toks) else None
    if t + 1 < len(toks):
        following = nxt[0] if nxt is not None else -1
    else:
        following = -2 if after is None else after
    out: list[tuple[str, ...]] = (
        [("loneL",), ("loneN",), ("loneNC",)] if following == -1 else [(f"lone{following}",)]
    )
    if following < 0 or following not in _CONT:
        out.append(("E0F4", "CONT"))
        out.append(("F0F4", "CONT", "CONT"))
    return out


def _follows(previous: tuple[str, ...] | None, current: tuple[str, ...]) -> bool:
    """May a U+FFFD read as ``current`` follow one read as ``previous``?"""
    if current == ("loneNC",):
        return previous is not None and previous != ("loneN",)
    if current == ("loneN",):
        return previous is None or previous == ("loneN",)
    return True


# A lattice state: (token, offset in it, the chosen expansion of a U+FFFD token (0 for
# a known token), the pending lead byte or None, where that character began, the last
# character when known (for the bigram)).
_State = tuple[int, int, int, "Slot | None", tuple[int, int], str]


def align(
    toks: Sequence[bytes | None],
    codec: str,
    lang: str,
    *,
    after: int | None,
    evidence_only: bool = False,
) -> Alignment | None:
    """The best cut of ``toks`` into characters of ``codec`` (see the module docstring);
    ``after`` is the first byte after the stretch (None at the end of the text, where a
    last lead byte may have been withheld). None when no cut exists. With
    ``evidence_only``, only ``logz`` is worked out (``chars`` is empty)."""
    from cjkfix import model

    table = _table(codec)
    lp = _logp(codec, lang)
    n = len(toks)
    expansions: dict[int, list[tuple[str, ...]]] = {
        t: _expansions(toks, t, after) for t in range(n) if toks[t] is None
    }

    def slot(t: int, k: int, o: int) -> Slot:
        tok = toks[t]
        if tok is None:
            return expansions[t][k][o]
        return tok[o]

    def width(t: int, k: int) -> int:
        tok = toks[t]
        return len(expansions[t][k]) if tok is None else len(tok)

    def starts(t: int, previous: tuple[str, ...] | None = None) -> list[int]:
        if toks[t] is not None:
            return [0]
        return [k for k, e in enumerate(expansions[t]) if _follows(previous, e)]

    # Forward pass over states in order of (token, offset); edges kept for the backward
    # pass. An edge: (source, target, weight, label) where label describes the character
    # it completes (or None when it only consumes a lead byte).
    start: _State = (0, 0, 0, None, (0, 0), "")
    alpha: dict[_State, float] = {}
    edges: dict[_State, list[tuple[_State, float, tuple[Slot, Slot, int, str] | None]]] = {}
    finals: dict[_State, float] = {}
    frontier: dict[tuple[int, int], list[_State]] = {}
    init: list[_State] = [(0, 0, k, None, (0, 0), "") for k in starts(0)] if n else []
    for s in init:
        alpha[s] = 0.0
        frontier.setdefault((0, 0), []).append(s)
    del start

    moves: dict[tuple[int, int, int], list[tuple[int, int, int]]] = {}

    def advance(t: int, k: int, o: int) -> list[tuple[int, int, int]]:
        got = moves.get((t, k, o))
        if got is not None:
            return got
        if o + 1 < width(t, k):
            got = [(t, o + 1, k)]
        elif t + 1 == n:
            got = [(n, 0, 0)]
        else:
            previous = expansions[t][k] if toks[t] is None else None
            got = [(t + 1, 0, k2) for k2 in starts(t + 1, previous)]
        moves[(t, k, o)] = got
        return got

    positions = sorted({(t, o) for t in range(n) for o in range(4)})
    for pos in positions:
        states = frontier.pop(pos, None)
        if not states:
            continue
        for s in states:
            a = alpha[s]
            t, o, k, pend, begun, last = s
            b = slot(t, k, o)
            out: list[tuple[_State, float, tuple[Slot, Slot, int, str] | None]] = []
            nexts = advance(t, k, o)
            if pend is None:
                if isinstance(b, int):
                    if b < 0x80:
                        ch = chr(b)
                        w = model.text_logprob(last + ch, lang) - (
                            model.text_logprob(last, lang) if last else 0.0
                        )
                        if t and 0x40 <= b <= 0x7E and (toks[t - 1] or b"\x80")[0] >= 0x80:
                            w += _ASCII_GLUED if ch.isalnum() else _ASCII_GLUED / 2
                        for t2, o2, k2 in nexts:
                            out.append(((t2, o2, k2, None, (t2, o2), ch), w, ("", b, t, ch)))
                    elif b in table.singles:
                        ch = table.singles[b]
                        for t2, o2, k2 in nexts:
                            out.append(((t2, o2, k2, None, (t2, o2), ch), lp[ch], ("", b, t, ch)))
                    if b in table.pairs:
                        for t2, o2, k2 in nexts:
                            out.append(((t2, o2, k2, b, (t, o), last), 0.0, None))
                else:
                    sm = _single_mass(codec, lang, b) if table.singles else -math.inf
                    if sm > -math.inf:
                        for t2, o2, k2 in nexts:
                            out.append(((t2, o2, k2, None, (t2, o2), ""), sm, ("", b, t, "")))
                    if _may_lead(codec, b):
                        for t2, o2, k2 in nexts:
                            out.append(((t2, o2, k2, b, (t, o), last), 0.0, None))
            else:
                if isinstance(pend, int) and isinstance(b, int):
                    ch = table.pairs[pend].get(b, "")
                    if ch:
                        w = model.text_logprob(last + ch, lang) - (
                            model.text_logprob(last, lang) if last else 0.0
                        )
                        for t2, o2, k2 in nexts:
                            out.append(
                                ((t2, o2, k2, None, (t2, o2), ch), w, (pend, b, begun[0], ch))
                            )
                else:
                    w = _mass(codec, lang, pend, b)
                    if w > -math.inf:
                        for t2, o2, k2 in nexts:
                            out.append(
                                ((t2, o2, k2, None, (t2, o2), ""), w, (pend, b, begun[0], ""))
                            )
            edges[s] = out
            for target, w, _label in out:
                t2 = target[0]
                if t2 == n:
                    if target[3] is None:
                        finals[target] = _lse2(finals.get(target, -math.inf), a + w)
                    continue
                seen = alpha.get(target)
                if seen is None:
                    frontier.setdefault((t2, target[1]), []).append(target)
                    alpha[target] = a + w
                else:
                    alpha[target] = _lse2(seen, a + w)
    # A lead byte left pending at the very end of the text: its trail was withheld.
    end_states: dict[_State, float] = dict(finals)
    if after is None:
        for s, out in edges.items():
            for target, w, _label in list(out):
                pend = target[3]
                if target[0] == n and pend is not None:
                    extra = _truncated_mass(codec, lang, pend)
                    if extra > -math.inf:
                        closed: _State = (n, 1, 0, None, target[4], "")
                        out.append((closed, w + extra, (pend, "end", target[4][0], "")))
                        total = alpha[s] + w + extra
                        end_states[closed] = _lse2(end_states.get(closed, -math.inf), total)
    if not end_states:
        return None
    logz = logsumexp(list(end_states.values()))
    if evidence_only:
        return Alignment(logz, [])
    # Backward pass.
    beta: dict[_State, float] = {s: 0.0 for s in end_states}
    order = sorted(edges, key=lambda s: (s[0], s[1]), reverse=True)
    for s in order:
        vals = [w + beta[target] for target, w, _l in edges[s] if target in beta]
        if vals:
            beta[s] = logsumexp(vals)
    # Posteriors of each character (by where it starts and ends and what it is).
    post: dict[tuple[tuple[int, int], tuple[int, int], str], float] = {}
    best: dict[_State, tuple[float, _State | None, tuple[Slot, Slot, int, str] | None]] = {}
    for s in init:
        best[s] = (0.0, None, None)
    for s in sorted(edges, key=lambda s: (s[0], s[1])):
        if s not in beta or s not in best:
            continue
        a = alpha[s]
        score = best[s][0]
        for target, w, label in edges[s]:
            if target not in beta:
                continue
            if label is not None and label[3]:
                key = (s[4] if s[3] is not None else (s[0], s[1]), (target[0], target[1]), label[3])
                p = math.exp(a + w + beta[target] - logz)
                post[key] = post.get(key, 0.0) + p
            cand = score + w
            if target not in best or cand > best[target][0]:
                best[target] = (cand, s, label)
    ends = [s for s in end_states if s in best]
    if not ends:
        return None
    cur: _State | None = max(ends, key=lambda s: best[s][0])
    chars: list[Char] = []
    while cur is not None:
        _score, before, label = best[cur]
        if before is not None and label is not None:
            begin = before[4] if before[3] is not None else (before[0], before[1])
            p = post.get((begin, (cur[0], cur[1]), label[3]), 0.0) if label[3] else 0.0
            chars.append(Char(label[3] or None, p, label[0], label[1], (label[2], before[0])))
        cur = before
    chars.reverse()
    return Alignment(logz, chars)


@functools.cache
def _truncated_mass(codec: str, lang: str, pend: Slot) -> float:
    return _any_trail_mass(codec, lang, pend) + _TRUNCATED


@functools.cache
def _any_trail_mass(codec: str, lang: str, pend: Slot) -> float:
    table = _table(codec)
    lp = _logp(codec, lang)
    leads = [pend] if isinstance(pend, int) else sorted(_set(pend))
    return logsumexp([lp[ch] for b in leads for ch in table.pairs.get(b, {}).values()])


def _lse2(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    if b == -math.inf:
        return a
    return a + math.log1p(math.exp(b - a))
