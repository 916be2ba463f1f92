"""The search the byte lattices share: the best path through a graph of steps weighed by
a bigram model, and each step's posterior, over the same states.

A state is a node with the key of the step that reached it (the last character read,
and whatever else a lattice's weights look back at); each node keeps its ``beam``
likeliest keys. :meth:`BeamLattice.best` takes the maximum over paths;
:meth:`BeamLattice.marginals` sums over them (forward-backward, the weights divided by
:data:`TEMPERATURE`) over the states the best path's search kept. A lattice says what
its nodes are, which steps leave each, what a step weighs after a key and what key it
leaves: :mod:`cjkfix.mojibake.dropped` (a double-byte text with bytes put back),
:mod:`cjkfix.mojibake.utf8_lattice` (UTF-8 with unknown bytes) and
:mod:`cjkfix.singlebyte_lattice` (bytes shown through a single-byte table).
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections.abc import Collection, Hashable, Sequence
from typing import Generic, TypeAlias, TypeVar

__all__ = ["TEMPERATURE", "BeamLattice", "logadd", "logsumexp"]

#: The model's log-probabilities are divided by this before a posterior is taken: a
#: character model trained on word lists is surer of a frequent syllable than it should
#: be (restored at 1.0, one restored Hangul syllable in four was wrong).
TEMPERATURE = 2.0

N = TypeVar("N", bound=Hashable)
S = TypeVar("S", bound=Hashable)

#: A path as a linked list, newest step first.
_Back: TypeAlias = "tuple[object, _Back] | None"


def logsumexp(values: Sequence[float]) -> float:
    """log(sum(exp(v))) over ``values`` (-inf where there are none, or all are -inf)."""
    if not values:
        return -math.inf
    # (one or two values, the common case in a lattice's backward pass: the same sum in
    # the same order, so the same value, without the maps' set-up)
    if len(values) == 1:
        return values[0] + 0.0  # (top + log(1.0), as below: -0.0 becomes 0.0)
    if len(values) == 2:
        a, b = values
        top = max(a, b)
        if top == -math.inf:
            return top
        return top + math.log(math.exp(a - top) + math.exp(b - top))
    top = max(values)
    if top == -math.inf:
        return top
    # (the sum of exp(v - top), in order, mapped at C speed)
    return top + math.log(sum(map(math.exp, map(operator.sub, values, itertools.repeat(top)))))


def logadd(a: float, b: float) -> float:
    """log(exp(a) + exp(b))."""
    if a < b:
        a, b = b, a
    return a + math.log1p(math.exp(b - a))


class BeamLattice(Generic[N, S]):
    """A lattice's search. Subclasses set :attr:`start`, :attr:`start_key`,
    :attr:`beam` and :attr:`finals` and define :meth:`nodes`, :meth:`moves`,
    :meth:`weight` and :meth:`key`."""

    start: N
    start_key: str = ""
    beam: int = 4
    #: The nodes a path may end at.
    finals: Collection[N]
    #: Each node's kept keys (set by :meth:`best`).
    lasts: dict[N, list[str]]

    def nodes(self) -> Sequence[N]:
        """The nodes steps may leave, in an order where every step goes forward."""
        raise NotImplementedError

    def moves(self, node: N) -> list[tuple[N, S, float]]:
        """The steps that leave ``node``: (where it ends, the step, what
        :meth:`weight` is told of it besides)."""
        raise NotImplementedError

    def weight(self, key: str, step: S, extra: float) -> float:
        """What ``step`` weighs after a state whose key is ``key`` (natural log)."""
        raise NotImplementedError

    def key(self, step: S) -> str:
        """The key of the state ``step`` reaches."""
        raise NotImplementedError

    def weights(self, lasts: list[str], step: S, extra: float) -> list[float]:
        """What ``step`` weighs after each of ``lasts`` (:meth:`weight`, which a
        lattice may compute at once)."""
        return [self.weight(last, step, extra) for last in lasts]

    def best(self) -> tuple[float, list[S]] | None:
        """The likeliest path with its score; None where no path reaches a final node.
        Each node's kept keys and the weights of its steps after them are kept for
        :meth:`marginals`."""
        best: dict[N, dict[str, tuple[float, _Back]]] = {self.start: {self.start_key: (0.0, None)}}
        self.lasts = {}
        weighed: dict[N, tuple[list[str], list[tuple[N, S, float, str, list[float]]]]] = {}
        self._weighed = weighed
        for node in self.nodes():
            here = best.get(node)
            if not here:
                continue
            lasts = sorted(here, key=lambda k: -here[k][0])[: self.beam]
            self.lasts[node] = lasts
            kept = [here[last] for last in lasts]
            out: list[tuple[N, S, float, str, list[float]]] = []
            weighed[node] = (lasts, out)
            for target, step, extra in self.moves(node):
                into = best.setdefault(target, {})
                key = self.key(step)
                ws = self.weights(lasts, step, extra)
                out.append((target, step, extra, key, ws))
                old = into.get(key)
                for (score, back), w in zip(kept, ws, strict=True):
                    value = score + w
                    if old is None or value > old[0]:
                        old = into[key] = (value, (step, back))
        for node in self.finals:
            if node in best:
                self.lasts[node] = list(best[node])
        ends = [v for node in self.finals for v in best.get(node, {}).values()]
        if not ends:
            return None
        top = max(ends, key=lambda v: v[0])
        back = top[1]
        out_path: list[S] = []
        while back is not None:
            out_path.append(back[0])  # type: ignore[arg-type]
            back = back[1]
        out_path.reverse()
        return top[0], out_path

    def marginals(self) -> dict[S, float]:
        """Each step's posterior: the share of all paths (weights divided by
        :data:`TEMPERATURE`) that take it, over the states :meth:`best` kept (and with
        the weights it computed: call it first)."""
        t = TEMPERATURE
        forward: dict[N, dict[str, float]] = {self.start: {self.start_key: 0.0}}
        for node in self.nodes():
            lasts = self.lasts.get(node)
            mass = forward.get(node)
            if not lasts or mass is None:
                continue
            here = [(mass.get(k), k) for k in lasts]
            forward[node] = {k: m for m, k in here if m is not None}
            for target, _step, _extra, key, ws in self._weighed_from(node):
                sums = forward.setdefault(target, {})
                s = sums.get(key)
                for (before, _k), w in zip(here, ws, strict=True):
                    if before is None:
                        continue
                    v = before + w / t
                    s = v if s is None else logadd(s, v)
                if s is not None:
                    sums[key] = s
        ends = [v for node in self.finals for v in forward.get(node, {}).values()]
        if not ends:
            return {}
        z = functools.reduce(logadd, ends)
        backward: dict[N, dict[str, float]] = {
            node: dict.fromkeys(forward[node], 0.0) for node in self.finals if node in forward
        }
        shares: dict[S, float] = {}
        for node in reversed(self.nodes()):
            into = forward.get(node) if node in self.lasts else None
            if not into:
                continue
            lasts = self.lasts[node]
            mine: dict[str, float] = dict(backward.get(node, {}))  # (a path may end here)
            for target, step, _extra, key, ws in self._weighed_from(node):
                after = backward.get(target, {}).get(key)
                if after is None:
                    continue  # (pruned)
                share = shares.get(step, 0.0)
                for last, w in zip(lasts, ws, strict=True):
                    before = into.get(last)
                    if before is None:
                        continue
                    value = w / t + after
                    old = mine.get(last)
                    mine[last] = value if old is None else logadd(old, value)
                    share += math.exp(before + value - z)
                shares[step] = share
            backward[node] = mine
        return shares

    def _weighed_from(self, node: N) -> list[tuple[N, S, float, str, list[float]]]:
        """The steps from ``node`` with their weights after its kept keys (weighed
        again where they are not those :meth:`best` weighed them after: a final node
        keeps all)."""
        got = self._weighed.get(node)
        if got is None:
            return []
        lasts, out = got
        mine = self.lasts[node]
        if mine is lasts:
            return out
        return [(t, s, x, k, self.weights(mine, s, x)) for t, s, x, k, _ws in out]
