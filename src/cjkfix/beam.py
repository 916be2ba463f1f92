"""The search the byte lattices share: the best path through a graph of steps weighed by
a bigram model, and each step's posterior, over the same states.

A state is a node with the key of the step that reached it (the last character read,
and whatever else a lattice's weights look back at); each node keeps its ``beam``
likeliest keys. :meth:`BeamLattice.best` takes the maximum over paths;
:meth:`BeamLattice.marginals` sums over them (forward-backward, the weights divided by
:data:`cjkfix.singlebyte_lattice.TEMPERATURE`) over the states the best path's search
kept. A lattice says what its nodes are, which steps leave each, what a step weighs
after a key and what key it leaves: :mod:`cjkfix.mojibake.dropped` (a double-byte text
with bytes put back) and :mod:`cjkfix.mojibake.utf8_lattice` (UTF-8 with unknown bytes).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Hashable, Sequence
from typing import Generic, TypeAlias, TypeVar

from cjkfix.singlebyte_lattice import TEMPERATURE

__all__ = ["BeamLattice", "logadd"]

N = TypeVar("N", bound=Hashable)
S = TypeVar("S", bound=Hashable)

#: A path as a linked list, newest step first.
_Back: TypeAlias = "tuple[object, _Back] | None"


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

    def best(self) -> tuple[float, list[S]] | None:
        """The likeliest path with its score; None where no path reaches a final node."""
        best: dict[N, dict[str, tuple[float, _Back]]] = {self.start: {self.start_key: (0.0, None)}}
        weight = self.weight
        for node in self.nodes():
            here = best.get(node)
            if not here:
                continue
            lasts = sorted(here, key=lambda k: -here[k][0])[: self.beam]
            self.lasts[node] = lasts
            for target, step, extra in self.moves(node):
                into = best.setdefault(target, {})
                key = self.key(step)
                for last in lasts:
                    score, back = here[last]
                    value = score + weight(last, step, extra)
                    old = into.get(key)
                    if old is None or value > old[0]:
                        into[key] = (value, (step, back))
        for node in self.finals:
            if node in best:
                self.lasts[node] = list(best[node])
        ends = [v for node in self.finals for v in best.get(node, {}).values()]
        if not ends:
            return None
        top = max(ends, key=lambda v: v[0])
        back = top[1]
        out: list[S] = []
        while back is not None:
            out.append(back[0])  # type: ignore[arg-type]
            back = back[1]
        out.reverse()
        return top[0], out

    def marginals(self) -> dict[S, float]:
        """Each step's posterior: the share of all paths (weights divided by
        :data:`TEMPERATURE`) that take it, over the states :meth:`best` kept."""
        forward: dict[N, dict[str, float]] = {self.start: {self.start_key: 0.0}}
        for node in self.nodes():
            lasts = self.lasts.get(node)
            mass = forward.get(node)
            if not lasts or mass is None:
                continue
            forward[node] = {k: mass[k] for k in lasts if k in mass}
            for target, step, extra in self.moves(node):
                sums = forward.setdefault(target, {})
                key = self.key(step)
                for last, before in forward[node].items():
                    s = before + self.weight(last, step, extra) / TEMPERATURE
                    t = sums.get(key)
                    sums[key] = s if t is None else logadd(t, s)
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
            mine: dict[str, float] = dict(backward.get(node, {}))  # (a path may end here)
            for target, step, extra in self.moves(node):
                after = backward.get(target, {}).get(self.key(step))
                if after is None:
                    continue  # (pruned)
                for last, before in into.items():
                    value = self.weight(last, step, extra) / TEMPERATURE + after
                    old = mine.get(last)
                    mine[last] = value if old is None else logadd(old, value)
                    shares[step] = shares.get(step, 0.0) + math.exp(before + value - z)
            backward[node] = mine
        return shares
