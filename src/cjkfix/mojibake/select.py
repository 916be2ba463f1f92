"""Choosing among candidates: non-overlapping spans, the text's dominant chain first."""

from __future__ import annotations

import bisect

from cjkfix.mojibake.tables import _WRITES
from cjkfix.mojibake.verdict import _Candidate


class _Intervals:
    """Non-overlapping [start, end) intervals with a logarithmic overlap test."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            return False
        return not (i < len(self.starts) and self.starts[i] < end)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _select_once(
    cands: list[_Candidate],
    inner: bool,
    dominant: tuple[str, ...] | None,
    lines: tuple[list[int], dict[int, tuple[str, ...]]] | None = None,
) -> list[_Candidate]:
    def dominant_at(c: _Candidate) -> tuple[str, ...] | None:
        if lines is None:
            return dominant
        starts, own = lines
        return own.get(bisect.bisect_right(starts, c.start) - 1, dominant)

    def key(c: _Candidate) -> tuple[int, float]:
        return (0 if tuple(c.chain) == dominant_at(c) else 1, -(c.gain * (c.end - c.start)))

    cands = sorted(cands, key=key)
    chosen: list[_Candidate] = []
    taken = _Intervals()
    for c in cands:
        if (c.strict or tuple(c.chain) == dominant_at(c)) and taken.free(c.start, c.end):
            chosen.append(c)
            taken.add(c.start, c.end)
    seen = {tuple(c.chain) for c in chosen}
    for c in cands:
        if not c.strict and (inner or tuple(c.chain) in seen) and taken.free(c.start, c.end):
            chosen.append(c)
            taken.add(c.start, c.end)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _select(
    cands: list[_Candidate], inner: bool = False, text: str | None = None
) -> list[_Candidate]:
    """Non-overlapping candidates, best first (total gain); weak ones only for a chain
    already repaired elsewhere in the text. A text is usually broken one way: where
    candidates of different chains compete, the chain that explains most of the text
    (the dominant one) wins; in a line of ``text`` whose own runs are repaired on their
    own evidence, the chain that explains most of that line (the nearest evidence: a
    line of EUC-JP read as cp1252 in a paragraph of EUC-KR lines read its ``¥³¥Ô¡¼``
    as EUC-KR, ``ⅣΥ【``, not as コピー)."""
    first = _select_once(cands, inner, None)
    # A reading that two chains give alike (kana read as GBK or as EUC-JP) counts for
    # both: the spans where the chains differ decide, by length; then the chain whose
    # original encoding writes the language read (EUC-JP for Japanese); then by gain.
    alike: dict[tuple[int, int, str], list[tuple[str, ...]]] = {}
    gains: dict[tuple[str, ...], float] = {}
    for c in cands:
        if c.strict:
            chains = alike.setdefault((c.start, c.end, c.after), [])
            if tuple(c.chain) not in chains:
                chains.append(tuple(c.chain))
            gains[tuple(c.chain)] = gains.get(tuple(c.chain), 0.0) + c.gain * (c.end - c.start)
    weights: dict[tuple[str, ...], int] = {}
    native: dict[tuple[str, ...], int] = {}
    # (and each line's own weights, where ``text`` has lines: the nearest evidence)
    starts = _line_starts(text) if text and "\n" in text else None
    per_line: dict[int, dict[tuple[str, ...], int]] = {}
    for c in first:
        if c.strict:
            line = None if starts is None else bisect.bisect_right(starts, c.start) - 1
            for chain in alike.get((c.start, c.end, c.after), [tuple(c.chain)]):
                weights[chain] = weights.get(chain, 0) + c.end - c.start
                if c.lang in _WRITES.get(chain[0], (c.lang,)):
                    native[chain] = native.get(chain, 0) + c.end - c.start
                if line is not None:
                    own = per_line.setdefault(line, {})
                    own[chain] = own.get(chain, 0) + c.end - c.start
    if not weights:
        return first

    def best(weights: dict[tuple[str, ...], int]) -> tuple[str, ...]:
        return max(
            weights, key=lambda k: (weights[k], native.get(k, 0), round(gains.get(k, 0.0), 6))
        )

    lines = None if starts is None else (starts, {k: best(w) for k, w in per_line.items()})
    return _select_once(cands, inner, best(weights), lines)


def _line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _describe(chain: list[str]) -> str:
    steps = [f"{chain[i]} decoded as {chain[i + 1]}" for i in range(0, len(chain) - 1, 2)]
    return ", then ".join(steps)
