"""Per-call state (no module state): the budget and the readings already made."""

from __future__ import annotations

import copy
from typing import Any

from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.verdict import _Candidate


class _Call:
    """The state of one call of the fixer, handed down (no module state): the budget of
    lost characters scored, and the run readings already made, so that a text that
    repeats a run (``ï¿½ï¿½ abc`` over and over, in scraped dumps) reads each distinct run
    once, in the windows the fixer looks at first and in the whole text. Readings are
    copied out: callers shift their offsets."""

    def __init__(self, kept: dict[str, Any] | None = None) -> None:
        self.budget: list[int] = [POLICY.restore_budget_base]
        # ``kept``: the pipeline's dict for this fixer over the rounds of one unit, where
        # the tables below outlive the call (the text of the next round repeats most runs
        # of this one, and reads them again): ``seen``'s keys hold the call where its
        # readings depend on it (so that another call's are not taken), those of the
        # other two all that a reading depends on but the budget, and each reading the
        # budget it used.
        kept = {} if kept is None else kept
        self.seen: dict[tuple[Any, ...], list[_Candidate]] = kept.setdefault("seen", {})
        # The readings of the groups of units the UTF-8 parse made, with the budget each
        # used (see cjkfix.mojibake.utf8._utf8_spans_of: offsets relative to the group).
        self.groups: dict[tuple[Any, ...], tuple[int, list[_Candidate]]] = kept.setdefault(
            "groups", {}
        )
        # The readings of whole runs under a UTF-8 chain, with the budget each used
        # (see :meth:`run_readings`).
        self.runs: dict[tuple[Any, ...], tuple[int, list[_Candidate]]] = kept.setdefault("runs", {})
        # The parts of each run (by its text and a wrong codec) that the search reads as
        # UTF-8 (see cjkfix.mojibake.search._splits).
        self.splits: dict[tuple[str, str], tuple[tuple[int, int], ...] | None] = kept.setdefault(
            "splits", {}
        )
        # How many inner layers of a double mojibake have been searched (a group read
        # with such a search is not kept in ``groups``).
        self.searches = 0
        # Does the text searched show cp1252's own characters (``‚``, ``€``, ``…``)?
        # Then its decoder was cp1252, not Latin-1 (set by the search of a text).
        self.shows_cp1252 = False

    def memo(self, fn: Any, *args: Any) -> list[_Candidate]:
        key = (fn, *args)
        got = self.seen.get(key)
        if got is None:
            got = self.seen[key] = fn(*args)
        return [copy.copy(c) for c in got]

    def run_readings(
        self, fn: Any, run: str, codec: str, depth: int, outside: tuple[str, str]
    ) -> list[_Candidate]:
        """``fn(run, codec, depth, outside, self)`` (:func:`cjkfix.mojibake.utf8._utf8_spans`),
        read once per distinct run: a text that repeats its runs (a page of the same
        sentences, ``ï¿½ï¿½ abc`` over and over) reads each once. What a run reads as is a
        function of the key (and of ``shows_cp1252``) and of the budget only where it runs
        out: kept, as the groups of :attr:`groups` are, with the budget it used where it
        never ran out and no double mojibake was searched (a search takes readings from
        :attr:`seen` without their budget), and taken again only where at least that
        much is left (used up the same)."""
        key = (codec, depth, self.shows_cp1252, run, outside)
        kept = self.runs.get(key)
        if kept is not None and self.budget[0] >= kept[0]:
            self.budget[0] -= kept[0]
            return [copy.copy(c) for c in kept[1]]
        left, searches = self.budget[0], self.searches
        made: list[_Candidate] = fn(run, codec, depth, outside, self)
        if self.budget[0] > 0 and self.searches == searches:
            self.runs[key] = (left - self.budget[0], [copy.copy(c) for c in made])
        return made
