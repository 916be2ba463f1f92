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
over all the cuts). Other decoders' losses are tokens too: one lost byte drawn from a
set their rules give (:func:`lost_byte`; GBK's ``?`` for a byte it rejected before the
next, in Big5 text read as GBK: :mod:`cjkfix.mojibake.lossy`).

    >>> from cjkfix.replacement_lattice import align, tokens
    >>> a = align(tokens("\ufffd\u03b2\u0258"), "gbk", "zh-Hans", after=None)
    >>> [c.char for c in a.chars]
    [None, '采', None]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from cjkfix.beam import logsumexp
from cjkfix.replacement_bytes import (
    _CONT,
    CODECS,
    LANG,
    Slot,
    _logp,
    _lone_name,
    _mass,
    _may_lead,
    _single_mass,
    _table,
    _truncated_mass,
    lost_byte,
)

__all__ = ["CODECS", "LANG", "Alignment", "Char", "Token", "align", "lost_byte", "tokens"]

#: What an ASCII letter or symbol glued to the byte before it, a lost or non-ASCII one,
#: costs beyond its model value: in CJK text it is rare (``會|``), while a trail byte of
#: Big5 or Shift_JIS in that place is common (``會`` is ``B7 7C``).
_ASCII_GLUED = -4.0


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


#: A token of :func:`align`: a character's bytes, None for U+FFFD (UTF-8's rules), or the
#: name of the set one lost byte is drawn from (:func:`lost_byte`).
Token = bytes | None | str


def _expansions(toks: Sequence[Token], t: int, after: int | None) -> list[tuple[str, ...]]:
    """The byte sets a U+FFFD at ``toks[t]`` may stand for (one to three bytes); or the
    one byte a lost byte of a set (:func:`lost_byte`) stands for.

    Before another U+FFFD, a lone byte is either a UTF-8 lead (``loneL``, and then the
    next U+FFFD cannot start with a continuation byte: the two would have been read
    together) or not (``loneN``); :func:`_follows` keeps that coupling.
    """
    tok = toks[t]
    if isinstance(tok, str):
        return [(tok,)]
    nxt = toks[t + 1] if t + 1 < len(toks) else None
    if t + 1 < len(toks):
        following = nxt[0] if isinstance(nxt, bytes) else -1
    else:
        following = -2 if after is None else after
    out: list[tuple[str, ...]] = (
        [("loneL",), ("loneN",), ("loneNC",)] if following == -1 else [(_lone_name(following),)]
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


class _Forward(NamedTuple):
    alpha: dict[_State, float]
    #: each state's edges (target, weight, label), where kept for the backward pass
    edges: dict[_State, list[tuple[_State, float, tuple[Slot, Slot, int, str] | None]]]
    init: list[_State]
    end_states: dict[_State, float]


def _starts(
    toks: Sequence[Token],
    expansions: dict[int, list[tuple[str, ...]]],
    t: int,
    previous: tuple[str, ...] | None = None,
) -> list[int]:
    if isinstance(toks[t], bytes):
        return [0]
    return [k for k, e in enumerate(expansions[t]) if _follows(previous, e)]


def _forward(
    toks: Sequence[Token],
    codec: str,
    lang: str,
    expansions: dict[int, list[tuple[str, ...]]],
    after: int | None,
    *,
    keep: bool,
) -> _Forward:
    """The forward pass of :func:`align` over states in order of (token, offset), and
    the weights of the states that end the text (``keep``: each state's edges too, for
    the backward pass). An edge: (target, weight, label) where label describes the
    character it completes (None when it only consumes a lead byte). (One loop, its
    lookups local: the vote runs it for every codec on every line of damage.)"""
    from cjkfix import model

    table = _table(codec)
    pairs, singles = table.pairs, table.singles
    lp = _logp(codec, lang)
    n = len(toks)
    text_logprob = model.text_logprob
    lse2 = _lse2
    inf = math.inf
    glued = _ASCII_GLUED
    alpha: dict[_State, float] = {}
    edges: dict[_State, list[tuple[_State, float, tuple[Slot, Slot, int, str] | None]]] = {}
    finals: dict[_State, float] = {}
    frontier: dict[tuple[int, int], list[_State]] = {}
    # (edges into the end of the text with a lead byte pending: its trail was withheld)
    open_ends: list[tuple[_State, _State, float]] = []
    init: list[_State] = (
        [(0, 0, k, None, (0, 0), "") for k in _starts(toks, expansions, 0)] if n else []
    )
    for s in init:
        alpha[s] = 0.0
        frontier.setdefault((0, 0), []).append(s)
    # (a character's weight after the one before: the bigram's share, by pair)
    follow: dict[tuple[str, str], float] = {}
    moves: dict[tuple[int, int, int], list[tuple[int, int, int]]] = {}
    for t in range(n):
        tok = toks[t]
        spread = expansions.get(t)
        before = toks[t - 1] if t else b""
        glued_here = bool(t) and (not isinstance(before, bytes) or before[0] >= 0x80)
        for o in range(4):
            states = frontier.pop((t, o), None)
            if not states:
                continue
            for s in states:
                a = alpha[s]
                k, pend, begun, last = s[2], s[3], s[4], s[5]
                b: Slot = tok[o] if spread is None else spread[k][o]  # type: ignore[index]
                nexts = moves.get((t, k, o))
                if nexts is None:
                    if o + 1 < (len(tok) if spread is None else len(spread[k])):  # type: ignore[arg-type]
                        nexts = [(t, o + 1, k)]
                    elif t + 1 == n:
                        nexts = [(n, 0, 0)]
                    else:
                        previous = spread[k] if spread is not None else None
                        nexts = [
                            (t + 1, 0, k2) for k2 in _starts(toks, expansions, t + 1, previous)
                        ]
                    moves[(t, k, o)] = nexts
                out: list[tuple[_State, float, tuple[Slot, Slot, int, str] | None]] = []
                if pend is None:
                    if isinstance(b, int):
                        if b < 0x80:
                            ch = chr(b)
                            w = follow.get((last, ch))
                            if w is None:
                                w = follow[last, ch] = text_logprob(last + ch, lang) - (
                                    text_logprob(last, lang) if last else 0.0
                                )
                            if glued_here and 0x40 <= b <= 0x7E:
                                w += glued if ch.isalnum() else glued / 2
                            for t2, o2, k2 in nexts:
                                out.append(((t2, o2, k2, None, (t2, o2), ch), w, ("", b, t, ch)))
                        elif b in singles:
                            ch = singles[b]
                            for t2, o2, k2 in nexts:
                                out.append(
                                    ((t2, o2, k2, None, (t2, o2), ch), lp[ch], ("", b, t, ch))
                                )
                        if b in pairs:
                            for t2, o2, k2 in nexts:
                                out.append(((t2, o2, k2, b, (t, o), last), 0.0, None))
                    else:
                        sm = _single_mass(codec, lang, b) if singles else -inf
                        if sm > -inf:
                            for t2, o2, k2 in nexts:
                                out.append(((t2, o2, k2, None, (t2, o2), ""), sm, ("", b, t, "")))
                        if _may_lead(codec, b):
                            for t2, o2, k2 in nexts:
                                out.append(((t2, o2, k2, b, (t, o), last), 0.0, None))
                elif isinstance(pend, int) and isinstance(b, int):
                    ch = pairs[pend].get(b, "")
                    if ch:
                        w = follow.get((last, ch))
                        if w is None:
                            w = follow[last, ch] = text_logprob(last + ch, lang) - (
                                text_logprob(last, lang) if last else 0.0
                            )
                        for t2, o2, k2 in nexts:
                            out.append(
                                ((t2, o2, k2, None, (t2, o2), ch), w, (pend, b, begun[0], ch))
                            )
                else:
                    w = _mass(codec, lang, pend, b)
                    if w > -inf:
                        for t2, o2, k2 in nexts:
                            out.append(
                                ((t2, o2, k2, None, (t2, o2), ""), w, (pend, b, begun[0], ""))
                            )
                if keep:
                    edges[s] = out
                for target, w, _label in out:
                    t2 = target[0]
                    if t2 == n:
                        if target[3] is None:
                            finals[target] = lse2(finals.get(target, -inf), a + w)
                        else:
                            open_ends.append((s, target, w))
                        continue
                    seen = alpha.get(target)
                    if seen is None:
                        frontier.setdefault((t2, target[1]), []).append(target)
                        alpha[target] = a + w
                    else:
                        alpha[target] = lse2(seen, a + w)
    # A lead byte left pending at the very end of the text: its trail was withheld.
    end_states: dict[_State, float] = dict(finals)
    if after is None:
        for s, target, w in open_ends:
            pend = target[3]
            assert pend is not None  # (an open end has its lead pending)
            extra = _truncated_mass(codec, lang, pend)
            if extra > -inf:
                closed: _State = (n, 1, 0, None, target[4], "")
                if keep:
                    edges[s].append((closed, w + extra, (pend, "end", target[4][0], "")))
                total = alpha[s] + w + extra
                end_states[closed] = lse2(end_states.get(closed, -inf), total)
    return _Forward(alpha, edges, init, end_states)


def align(
    toks: Sequence[Token],
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
    n = len(toks)
    expansions: dict[int, list[tuple[str, ...]]] = {
        t: _expansions(toks, t, after) for t in range(n) if not isinstance(toks[t], bytes)
    }
    fw = _forward(toks, codec, lang, expansions, after, keep=not evidence_only)
    alpha, edges, init = fw.alpha, fw.edges, fw.init
    end_states = fw.end_states
    if not end_states:
        return None
    logz = logsumexp(list(end_states.values()))
    if evidence_only:
        return Alignment(logz, [])
    # Backward pass.
    # (``edges`` holds the states in the order the forward pass took them, by token and
    # offset: each state's edges lead to later ones)
    beta: dict[_State, float] = {s: 0.0 for s in end_states}
    for s in reversed(edges):
        vals = [w + beta[target] for target, w, _l in edges[s] if target in beta]
        if vals:
            beta[s] = logsumexp(vals)
    # Posteriors of each character (by where it starts and ends and what it is).
    post: dict[tuple[tuple[int, int], tuple[int, int], str], float] = {}
    best: dict[_State, tuple[float, _State | None, tuple[Slot, Slot, int, str] | None]] = {}
    for s in init:
        best[s] = (0.0, None, None)
    for s in edges:
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


def _lse2(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    if b == -math.inf:
        return a
    return a + math.log1p(math.exp(b - a))
