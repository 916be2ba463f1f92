"""How sure the single-byte rows' lattice is of a character it read from bytes that leave
a choice (:func:`cjkfix.singlebyte_lattice.repair_run`): a lost byte (dropped, or shown
as U+FFFD), or a character the table shows for two bytes (ISO-8859-2's ``Ž`` is AE, and
cp1252's 8E where the reader fell back to cp1252 for 80-9F).

A character is kept where the model is sure of it
(:data:`cjkfix.singlebyte_lattice.SURE`) in one of two views:

- **Local** (:func:`local_share`): its posterior among every character of the same
  bytes, next to the neighbours read for sure, and after every reading of a neighbour
  that is itself a guess. A shorter cut (the character ending before a space that may
  have been a no-break space) weighs as its best reading: its thousand readings of a
  lost byte are not a thousand ways of being right.
- **Joint** (:func:`joint_shares`), for a character none of whose bytes was dropped
  (each is shown: as a character the table may show for two bytes, or as U+FFFD or
  ``?`` for one of the bytes the reader has none for): its share of all the run's paths,
  forward-backward over the states the best path's search kept
  (:class:`cjkfix.beam.BeamLattice`). Two such neighbours pin each other down:
  ``ĺ˘žĺŠ\xa0`` is 增加 or 墾婠 (``ž`` is 9E or BE, ``Š`` 8A or A9), and neither
  character is sure next to the other unread. Not for a character rebuilt from a
  dropped byte, which may be any byte the reader lacks, anywhere in the character: the
  joint view sums every reading of it, and a frequent word beside it vouches for a
  guess (``ĺ–`` before 得 is 喝 with 9D dropped, or 取 with 8F dropped: over all
  paths 取得 wins, and was read for 喝得).

Measured on the 1,240 lines of the single-byte rows in the accuracy benchmark's cells
(12 rows, every decoder): the joint view turns 150 U+FFFD back into
their characters; 22 more lines come back exact, none kept is lost, no character is
invented that was not before.
"""

from __future__ import annotations

import itertools
import math
import operator

from cjkfix import model
from cjkfix.beam import TEMPERATURE, BeamLattice, logsumexp

# (cjkfix.singlebyte_lattice imports this module inside repair_run, once it is loaded)
from cjkfix.singlebyte_lattice import _SPACE, BEAM, Row, _Edge, _pruned, _Spec

__all__ = ["NEIGHBOURS", "Lattice", "joint_shares", "local_share"]

#: Readings of a guessed neighbour's bytes a candidate is weighed after.
NEIGHBOURS = 8

#: A step of the lattice: the token it starts at and its spec.
_Step = tuple[int, "_Spec"]


class Lattice(BeamLattice[int, _Step]):
    """A run's lattice in ``lang``: a node per token, a step per character that can
    start there (:func:`cjkfix.singlebyte_lattice._pruned`), weighed by the bigram model
    after the last character read, less its cost; each node keeps its
    :data:`cjkfix.singlebyte_lattice.BEAM` likeliest last characters."""

    def __init__(
        self,
        edges: list[tuple[_Spec, ...]],
        windows: list[tuple[tuple[int, ...], ...]],
        row: Row,
        lang: str,
        before: str,
    ) -> None:
        self.solo, self.pair = model._tables(lang)
        self.edges = edges
        self.windows = windows
        self.row = row
        self.lang = lang
        self.beam = BEAM
        self.start = 0
        self.start_key = before
        self.finals = (len(edges),)

    def nodes(self) -> range:
        return range(len(self.edges))

    def moves(self, node: int) -> list[tuple[int, _Step, float]]:
        specs = self.edges[node]
        if not specs:
            return []
        chosen = _pruned(self.row, self.windows[node], self.lang)
        return [(node + specs[k][0], (node, specs[k]), specs[k][3]) for k in chosen]

    def weight(self, key: str, step: _Step, extra: float) -> float:
        c = step[1][1][0]
        return self.pair.get(key[-1:] + c, self.solo[c]) - extra

    def weights(self, lasts: list[str], step: _Step, extra: float) -> list[float]:
        c = step[1][1][0]
        get, alone = self.pair.get, self.solo[c]
        return [get(last[-1:] + c, alone) - extra for last in lasts]

    def key(self, step: _Step) -> str:
        return step[1][1][-1:]


def joint_shares(lattice: Lattice) -> dict[tuple[int, int, str], float]:
    """Each reading's share of all paths (call :meth:`Lattice.best` first), by (the
    token it starts at, tokens used, its text), whatever its neighbours are read as. Its
    text, not its character: a character and a space the reader collapsed into its
    no-break space (TIS-620 shows ``선고 2009`` as ``ภ ê³ 2009``) is another reading
    than the character alone, and where the model cannot tell them apart, a sure
    character would lose the space."""
    shares: dict[tuple[int, int, str], float] = {}
    for (i, spec), v in lattice.marginals().items():
        key = (i, spec[0], spec[1])
        shares[key] = shares.get(key, 0.0) + v
    return shares


def local_share(
    path: tuple[_Edge, ...],
    k: int,
    edges: list[tuple[_Spec, ...]],
    tokens: list[tuple[int, ...]],
    sure: list[bool],
    before: str,
    lang: str,
) -> float:
    """The posterior of ``path[k]``'s character among every character of the same
    tokens, next to the neighbours read for sure (a guessed neighbour would vouch for a
    guess, ``네스`` for ``네오``), after every reading of a guessed neighbour before it."""
    e = path[k]
    # (a neighbour whose one choice is a space read as a no-break space is context too:
    # its bytes are all seen, ``선고`` is two such characters)
    after = path[k + 1] if k + 1 < len(path) else None
    ctx = after is not None and (
        not after.lost
        and all(len(tokens[j]) == 1 or tokens[j] == _SPACE for j in range(after.start, after.end))
    )
    left = (path[k - 1].text[-1:] if sure[k - 1] else "") if k else before
    right = after.text[:1] if after is not None and ctx else ""
    used = e.end - e.start
    alts = [a for a in edges[e.start] if a[0] == used]
    if k and not sure[k - 1]:
        # (a guessed neighbour is no context, but neither is none: each candidate after
        # every reading of the neighbour's bytes, as likely as it is)
        values = _after_guess(path, k, edges, sure, alts, right, lang)
    else:
        values = model.candidate_scores(left, [a[1][:1] for a in alts], right, lang)
    if tokens[e.end - 1] == _SPACE:
        # (its last byte a space read as a no-break space, where the character could
        # also end before the space: ``잠``, or ``자`` and a space; the other cut weighs
        # as its best reading)
        shorter = [a for a in edges[e.start] if a[0] == used - 1 and a[1] != " "]
        other = model.candidate_scores(left, [a[1][:1] for a in shorter], " ", lang)
        if other:
            pick = max(range(len(other)), key=other.__getitem__)
            # (and the space to the next character, as the longer cut has it)
            space = model.candidate_scores(" ", [right], "", lang)[0] if right else 0.0
            values.append(other[pick] + space)
            alts.append(shorter[pick])
    t = TEMPERATURE
    values = [(v - a[3]) / t for v, a in zip(values, alts, strict=True)]
    top = max(values)
    # (each exp(v - top) once, mapped at C speed; the sums add them in order)
    weights = list(map(math.exp, map(operator.sub, values, itertools.repeat(top))))
    first = e.text[:1]
    mine = sum(w for w, a in zip(weights, alts, strict=True) if a[1][:1] == first and a[0] == used)
    return mine / sum(weights)


def _after_guess(
    path: tuple[_Edge, ...],
    k: int,
    edges: list[tuple[_Spec, ...]],
    sure: list[bool],
    alts: list[_Spec],
    right: str,
    lang: str,
) -> list[float]:
    """Each of ``alts`` (the readings of ``path[k]``'s bytes) weighed after the
    :data:`NEIGHBOURS` likeliest readings of the bytes of ``path[k - 1]``, a character
    the path guessed, summed (each as likely as it is after the character before it,
    where that one is sure): ``処理`` and ``処女`` both read ``ˆ—`` with a byte lost
    twice, and 理 after 処 is weighed, not 女 alone."""
    prev = path[k - 1]
    used = prev.end - prev.start
    before = path[k - 2].text[-1:] if k >= 2 and sure[k - 2] else ""
    options = [a for a in edges[prev.start] if a[0] == used and a[1][:1] != " "]
    if not options:
        return model.candidate_scores("", [a[1][:1] for a in alts], right, lang)
    weights = model.candidate_scores(before, [a[1][-1:] for a in options], "", lang)
    ranked = sorted(
        ((w - a[3], a[1][-1:]) for w, a in zip(weights, options, strict=True)), reverse=True
    )[:NEIGHBOURS]
    cands = [a[1][:1] for a in alts]
    rows = [[w + v for v in model.candidate_scores(ch, cands, right, lang)] for w, ch in ranked]
    return [logsumexp([row[j] for row in rows]) for j in range(len(cands))]
