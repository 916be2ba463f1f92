"""The lattice of :mod:`cjkfix.mojibake.utf8_lost`: bytes known and unknown, read as
UTF-8 every way they can be, weighed by the language model.

Each token of a run (a character shown, a marker, a place a decoder may have dropped
bytes) is the options of the bytes it stands for (:class:`Option`); the options make a
graph of bytes, and each character of UTF-8 that the bytes from a node make is a step.
A character with unknown bytes weighs the share of the characters its known bytes allow
(:func:`_class`: a generative model of the bytes, so no path is favoured for leaving
more unknown). Where the run is a line, each character shown may also be clean text, a
step of its own (entering a stretch read as UTF-8 costs :data:`SWITCH_COST`). The best
path is searched over the states with their :data:`BEAM` likeliest last characters, and
each step's posterior over the same states (forward-backward, scores tempered as in
:mod:`cjkfix.singlebyte_lattice`); :func:`_restore` pins down a row of lost characters
where the model is sure of them.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import unicodedata
from typing import NamedTuple, TypeAlias

from cjkfix.beam import BeamLattice, logsumexp
from cjkfix.mojibake.policy import POLICY

__all__ = ["Byte", "Mask", "Option", "Step"]

#: An unknown byte: the values it may have (80-FF; ASCII only where a decoder ate an
#: ASCII byte along with a bad lead: a character of its own, lost, never restored).
Mask: TypeAlias = frozenset[int]
#: A byte of the original: known (an int) or unknown (a :data:`Mask`).
Byte: TypeAlias = "int | Mask"

#: Restoring a lost character, the model's scores are divided by this (its posteriors
#: are overconfident: a frequent character that fits a byte pattern is not sure).
RESTORE_TEMPERATURE = 1.5
#: Candidates of a lost character weighed one by one in a row restored together (the
#: rest weigh together, with no neighbour): the likeliest alone, a few hold nearly all
#: the share where one is sure.
RESTORE_TOP = 16
#: Cost of entering a stretch read as UTF-8 from clean text (a line read with its clean
#: text: the damage is one stretch, not characters picked here and there).
SWITCH_COST = 8.0
#: Paths kept per lattice state.
BEAM = 4
_HIGH: Mask = frozenset(range(0x80, 0x100))
_CONT = frozenset(range(0x80, 0xC0))
#: Lead bytes of each UTF-8 length.
_LEADS = {
    2: frozenset(range(0xC2, 0xE0)),
    3: frozenset(range(0xE0, 0xF0)),
    4: frozenset(range(0xF0, 0xF5)),
}


#: Each byte's UTF-8 length as a lead byte (0: no lead byte).
_LEAD_LENGTH = [next((n for n, leads in _LEADS.items() if b in leads), 0) for b in range(256)]


@functools.lru_cache(maxsize=1024)
def _leads_of(mask: Mask) -> tuple[tuple[int, Mask], ...]:
    """The lengths of UTF-8 character an unknown lead byte may begin, each with the
    values it may then have (one object each, for the caches keyed by patterns)."""
    return tuple((n, frozenset(mask & leads)) for n, leads in _LEADS.items() if mask & leads)


@functools.lru_cache(maxsize=1024)
def _ascii_of(mask: Mask) -> Mask | None:
    """The ASCII values an unknown byte may have (one eaten along), None where none."""
    m = frozenset(b for b in mask if b < 0x80)
    return m or None


@functools.lru_cache(maxsize=1024)
def _cont_of(mask: Mask) -> Mask | None:
    """The values an unknown continuation byte may have, None where none."""
    m = mask & _CONT
    return frozenset(m) if m else None


class Option(NamedTuple):
    """One way a shown token stands for original bytes."""

    data: tuple[Byte, ...]
    cost: float
    literal: bool = False  # a "?" kept as the character it shows


@functools.cache
def _index(lang: str) -> dict[tuple[int, int], list[tuple[bytes, str, float]]]:
    """The characters beyond ASCII of the model's table for ``lang`` (and common
    punctuation) by their UTF-8 lead byte and length, each with its value alone."""
    from cjkfix import model

    solo = model._tables(lang)[0]
    out: dict[tuple[int, int], list[tuple[bytes, str, float]]] = {}
    for ch in sorted({*model._UNI[lang], *model._PUNCT}):
        if len(ch) != 1 or ch < "\x80":
            continue
        b = ch.encode("utf-8", "surrogatepass")
        out.setdefault((b[0], len(b)), []).append((b, ch, solo[ch]))
    return out


@functools.lru_cache(maxsize=4096)
def _lead_stats(lang: str, lead: int, n: int) -> tuple[tuple[tuple[float, str], ...], float, int]:
    """The :data:`TOP` likeliest characters of :func:`_index` with this lead byte and
    length, the log of the weight of them all, and how many there are."""
    items = _index(lang).get((lead, n), [])
    if not items:
        return (), -math.inf, 0
    ranked = sorted(((v, ch) for _b, ch, v in items), key=lambda vc: (-vc[0], vc[1]))
    return tuple(ranked[:TOP]), logsumexp([v for v, _ in ranked]), len(items)


def _logsub(a: float, b: float) -> float:
    """log(exp(a) - exp(b)), -inf where that is nothing."""
    if b == -math.inf:
        return a
    if b >= a:
        return -math.inf
    return a + math.log1p(-math.exp(b - a))


@functools.cache
def _index_at(lang: str) -> dict[tuple[int, int, int, int], list[tuple[bytes, str, float]]]:
    """:func:`_index` by lead byte, length, and a continuation byte's place and value."""
    out: dict[tuple[int, int, int, int], list[tuple[bytes, str, float]]] = {}
    for (lead, n), items in _index(lang).items():
        for item in items:
            for pos in range(1, n):
                out.setdefault((lead, n, pos, item[0][pos]), []).append(item)
    return out


#: A pattern of at most this many byte strings is read byte string by byte string;
#: beyond, only the characters of the model's table are, the rest weighed together.
ENUMERATE = 64


#: The weight of a character the model does not know (an unseen cell of the class).
_UNSEEN = -18.0


#: Candidates of a character with unknown bytes weighed one by one between its
#: neighbours; the rest count with their weight alone.
TOP = 64


@functools.lru_cache(maxsize=8192)
def _class(lang: str, pattern: tuple[Byte, ...]) -> tuple[tuple[str, ...], float, float]:
    """The characters whose UTF-8 bytes fit ``pattern``: the :data:`TOP` likeliest,
    the log of the weight of them all, and of the rest."""
    from cjkfix import model

    solo = model._tables(lang)[0]
    choices = [(x,) if isinstance(x, int) else tuple(sorted(x)) for x in pattern]
    size = math.prod(len(c) for c in choices)
    got: list[tuple[float, str]] = []
    unseen = 0
    if size <= ENUMERATE or (len(pattern) == 1 and max(choices[0]) < 0x80):
        for combo in itertools.product(*choices):
            try:
                ch = bytes(combo).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co"):
                got.append((solo[ch], ch))
    elif all(len(c) == 64 for c in choices[1:]):
        # (any continuation bytes: each lead's characters, weighed once per lead)
        stats = [_lead_stats(lang, lead, len(pattern)) for lead in choices[0]]
        top = heapq.nsmallest(
            TOP,
            itertools.chain.from_iterable(t for t, _m, _k in stats),
            key=lambda vc: (-vc[0], vc[1]),
        )
        if not top:
            return (), _UNSEEN, _UNSEEN
        values = [m for _t, m, k in stats if k]
        unseen = size - sum(k for _t, _m, k in stats)
        if unseen > 0:
            values.append(model._FLOOR[lang] + math.log(unseen))
        total = logsumexp(values)
        return tuple(ch for _, ch in top), total, _logsub(total, logsumexp([v for v, _ in top]))
    else:
        # (the narrowest continuation byte picks the lists; the others are tested)
        n = len(pattern)
        pos = min(range(1, n), key=lambda k: len(choices[k]))
        index_at = _index_at(lang)
        tests = [
            (k, frozenset(choices[k])) for k in range(1, n) if k != pos and len(choices[k]) < 64
        ]
        for lead in choices[0]:
            for x in choices[pos]:
                for b, ch, value in index_at.get((lead, n, pos, x), ()):
                    if all(b[k] in c for k, c in tests):
                        got.append((value, ch))
        unseen = size - len(got)
    if not got:
        return (), _UNSEEN, _UNSEEN
    got.sort(key=lambda vc: (-vc[0], vc[1]))
    rest = [v for v, _ in got[TOP:]]
    if unseen:
        rest.append(model._FLOOR[lang] + math.log(unseen))
    values = [v for v, _ in got]
    if unseen:
        values.append(model._FLOOR[lang] + math.log(unseen))
    return tuple(ch for _, ch in got[:TOP]), logsumexp(values), logsumexp(rest)


class Step(NamedTuple):
    """A character of a path: the nodes its bytes start and end at, the character
    (U+FFFD for one with unknown bytes) and its byte pattern."""

    start: int
    end: int
    char: str
    pattern: tuple[Byte, ...]
    clean: bool = False  # the shown character as it is (clean text)


#: An edge of the byte graph: (next node, byte or None for no byte, cost, a literal "?").
_Edge: TypeAlias = "tuple[int, Byte | None, float, bool]"


class _Lattice(BeamLattice[int, Step]):
    """The tokens' options as a graph of bytes (node ``k``'s edges each consume one byte,
    or none for an option of no bytes, and carry the option's cost on its first), read
    as UTF-8: each character a step from node to node, the best path (max) and each
    step's posterior (sums), over the same states, each node keeping its :data:`BEAM`
    best last characters (:class:`cjkfix.beam.BeamLattice`)."""

    start = 0
    beam = BEAM

    def __init__(
        self, tokens: list[list[Option]], lang: str, run: str | None = None, slots: bool = False
    ) -> None:
        from cjkfix import model

        self.solo, self.pair = model._tables(lang)
        self.lang = lang
        edges: list[list[_Edge]] = [[]]
        start = 0
        bounds = [0]
        for opts in tokens:
            ends: list[tuple[int, Byte | None, float, bool]] = []
            for opt in opts:
                prev = start
                data: tuple[Byte | None, ...] = opt.data or (None,)
                for j, b in enumerate(data):
                    cost = opt.cost if j == 0 else 0.0
                    if j == len(data) - 1:
                        ends.append((prev, b, cost, opt.literal))
                    else:
                        edges.append([])
                        edges[prev].append((len(edges) - 1, b, cost, opt.literal))
                        prev = len(edges) - 1
            edges.append([])
            end = len(edges) - 1
            for prev, b, cost, literal in ends:
                edges[prev].append((end, b, cost, literal))
            start = end
            bounds.append(end)
        self.edges = edges
        # Clean steps (where ``run`` is given): shown character ``i`` as it is, from the
        # node before its token (before its drop slot, where there is one) to the node
        # after it; and each such node's place in the run.
        self.clean: dict[int, list[tuple[Step, float]]] = {}
        self.shown_at: dict[int, int] = {}
        if run is not None:
            width = 2 if slots else 1
            for i, ch in enumerate(run):
                pre, post = bounds[width * i], bounds[width * i + width]
                self.clean.setdefault(pre, []).append((Step(pre, post, ch, (), True), 0.0))
                self.shown_at[pre] = i
                self.shown_at[post] = i + 1
                if slots:
                    self.shown_at[bounds[2 * i + 1]] = i  # (after the bytes dropped before it)
            self.shown_at[len(edges) - 1] = len(run)
        self.start_key = "c" if run is not None else "m"
        self.n = len(edges) - 1
        # (the nodes a path may end at: the last, and any an option of no bytes leads
        # to it from)
        finals = {self.n}
        for node in range(self.n - 1, -1, -1):
            if any(b is None and t in finals for t, b, _c, _l in edges[node]):
                finals.add(node)
        self.finals = finals
        self.steps: dict[int, list[tuple[Step, float]]] = {}
        self.moved: dict[int, list[tuple[int, Step, float]]] = {}
        self.lasts: dict[int, list[str]] = {}

    def _out(self, node: int) -> list[tuple[Step, float]]:
        """The characters that begin at ``node``, each with its options' cost."""
        got = self.steps.get(node)
        if got is not None:
            return got
        out: list[tuple[Step, float]] = []
        edges = self.edges
        # (node, bytes so far, length wanted, cost so far, all bytes known)
        stack: list[tuple[int, tuple[Byte, ...], int, float, bool]] = [(node, (), 0, 0.0, True)]
        while stack:
            at, have, need, spent, known = stack.pop()
            for target, b, cost, literal in edges[at]:
                total = spent + cost
                if b is None:
                    if not have:
                        # (nothing dropped here: the next token's characters begin)
                        out.extend(
                            (s._replace(start=node), c + total)
                            for s, c in self._out(target)
                            if not s.clean
                        )
                    else:
                        stack.append((target, have, need, total, known))
                    continue
                if not have:
                    if isinstance(b, int):
                        if b < 0x80:
                            out.append(
                                (Step(node, target, "?" if literal else chr(b), (b,)), total)
                            )
                            continue
                        n = _LEAD_LENGTH[b]
                        if n:
                            stack.append((target, (b,), n, total, True))
                        continue
                    eaten = _ascii_of(b)
                    if eaten is not None:
                        out.append((Step(node, target, "\ufffd", (eaten,)), total))
                    for n, m in _leads_of(b):
                        stack.append((target, (m,), n, total, False))
                    continue
                if isinstance(b, int):
                    if not 0x80 <= b <= 0xBF:
                        continue
                    got_b: Byte = b
                    whole = known
                else:
                    got_m = _cont_of(b)
                    if got_m is None:
                        continue
                    got_b = got_m
                    whole = False
                pattern = (*have, got_b)
                if len(pattern) < need:
                    stack.append((target, pattern, need, total, whole))
                    continue
                if whole:
                    try:
                        ch = bytes(pattern).decode("utf-8")  # type: ignore[arg-type]
                    except UnicodeDecodeError:
                        continue
                    out.append((Step(node, target, ch, pattern), total))
                else:
                    out.append((Step(node, target, "\ufffd", pattern), total))
        out += self.clean.get(node, [])
        self.steps[node] = out
        return out

    def weight(self, key: str, step: Step, cost: float) -> float:
        """A step's weight after a state whose key is its mode ("c" clean, "m" read as
        UTF-8) and last character."""
        last = key[1:]
        if step.clean:
            return self.pair.get(last + step.char, self.solo[step.char])
        switch = SWITCH_COST if key[0] == "c" else 0.0
        if step.char == "\ufffd" and step.pattern:
            return _class(self.lang, step.pattern)[1] - cost - switch
        return self.pair.get(last + step.char, self.solo[step.char]) - cost - switch

    def weights(self, lasts: list[str], step: Step, cost: float) -> list[float]:
        """:meth:`weight` after each of ``lasts``, at once."""
        ch = step.char
        pair = self.pair
        if step.clean:
            alone = self.solo[ch]
            return [pair.get(k[1:] + ch, alone) for k in lasts]
        if ch == "\ufffd" and step.pattern:
            w = _class(self.lang, step.pattern)[1] - cost
            return [w - SWITCH_COST if k[0] == "c" else w - 0.0 for k in lasts]
        alone = self.solo[ch]
        return [
            pair.get(k[1:] + ch, alone) - cost - (SWITCH_COST if k[0] == "c" else 0.0)
            for k in lasts
        ]

    def key(self, step: Step) -> str:
        return ("c" if step.clean else "m") + step.char

    def moves(self, node: int) -> list[tuple[int, Step, float]]:
        got = self.moved.get(node)
        if got is None:
            got = self.moved[node] = [(step.end, step, cost) for step, cost in self._out(node)]
        return got

    def nodes(self) -> range:
        return range(self.n)


def _restore(steps: list[Step], left: str, right: str, lang: str) -> list[str]:
    """The characters a row of steps with unknown bytes are, each where the model is
    sure of it (forward-backward over their candidates, the :data:`RESTORE_TOP`
    likeliest of each, the rest of each weighed together, and the characters read whole on either
    side), else U+FFFD. With a character read whole on one side only, or none, each
    needs :attr:`~Policy.many_unknown_posterior`, as a character with two unknown
    bytes does; one alone with none beside it is U+FFFD (a guess from its frequency
    alone is no repair)."""
    from cjkfix import model

    lost = "\ufffd"
    both = _known(left) and _known(right)
    if not both and len(steps) == 1 and not (_known(left) or _known(right)):
        return [lost]
    solo, pair = model._tables(lang)
    t = RESTORE_TEMPERATURE
    options: list[list[tuple[str, float]]] = []
    for step in steps:
        cands, _mass, rest = _class(lang, step.pattern)
        row = [(ch, solo[ch] / t) for ch in cands[:RESTORE_TOP]]
        rest = logsumexp([rest, *(solo[ch] for ch in cands[RESTORE_TOP:])])
        if rest > -math.inf:
            row.append((lost, rest / t))
        options.append(row)
    if not all(options):
        return [lost] * len(steps)

    def edge(a: str, b: str, alone: float) -> float:
        # (``alone`` is tempered already)
        if a == lost or b == lost or not a:
            return alone
        value = pair.get(a + b)
        return alone if value is None else value / t

    # (each pair of neighbours' weights, ``links[k][i][j]`` from option i of character
    # k to option j of character k + 1, weighed once for both directions)
    links = [_links(options[k], options[k + 1], pair, t) for k in range(len(options) - 1)]
    first = left if _known(left) else ""
    forward: list[list[float]] = [[edge(first, ch, v) for ch, v in options[0]]]
    for k in range(1, len(options)):
        prev = forward[-1]
        link = links[k - 1]
        forward.append(
            [
                logsumexp([f + row[j] for f, row in zip(prev, link, strict=True)])
                for j in range(len(options[k]))
            ]
        )
    last = options[-1]
    end = [edge(ch, right, solo[right] / t) if _known(right) else 0.0 for ch, _ in last]
    backward: list[list[float]] = [end]
    for k in range(len(options) - 2, -1, -1):
        nxt = backward[0]
        backward.insert(
            0, [logsumexp([w + b for w, b in zip(row, nxt, strict=True)]) for row in links[k]]
        )
    z = logsumexp([f + b for f, b in zip(forward[-1], backward[-1], strict=True)])
    out: list[str] = []
    base = POLICY.restore_posterior_for(lang)
    for k, step in enumerate(steps):
        shares = [(f + b - z) for f, b in zip(forward[k], backward[k], strict=True)]
        top = max(range(len(shares)), key=shares.__getitem__)
        ch = options[k][top][0]
        # (a mark is held to less, but not where its row is one-sided or it lost two
        # bytes: there the path around it is as unsure as it is)
        need = POLICY.mark_posterior if unicodedata.category(ch)[0] == "P" else base
        if not both or sum(not isinstance(x, int) for x in step.pattern) >= 2:
            need = max(need, POLICY.many_unknown_posterior)
        out.append(ch if math.exp(shares[top]) >= need else lost)
    return out


def _links(
    before: list[tuple[str, float]],
    after: list[tuple[str, float]],
    pair: dict[str, float],
    t: float,
) -> list[list[float]]:
    """What each option of ``after`` weighs after each option of ``before`` (a row per
    option of ``before``): its bigram with it, tempered, else its own weight (tempered
    already); after a lost character, or as one, its own weight."""
    lost = "\ufffd"
    alone = [v for _ch, v in after]
    rows: list[list[float]] = []
    for a, _v in before:
        if a == lost or not a:
            rows.append(alone)
            continue
        get = pair.get
        rows.append([v if ch == lost or (p := get(a + ch)) is None else p / t for ch, v in after])
    return rows


def _known(ch: str) -> bool:
    return ch >= "\x80" and ch != "\ufffd"
