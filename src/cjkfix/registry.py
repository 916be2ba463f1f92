"""The fixer registry: each corruption family registers one pure function by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from cjkfix.config import Config
from cjkfix.steps import Edit, Finding

__all__ = ["Fixer", "fixers", "register"]

FixFunction = Callable[[str, Config], Sequence[Edit]]
DetectFunction = Callable[[str, Config], Sequence[Finding]]
#: ``fix`` with a dict of its own that the pipeline keeps over the rounds of one unit.
KeptFixFunction = Callable[[str, Config, dict[str, Any]], Sequence[Edit]]


@dataclasses.dataclass(frozen=True)
class Fixer:
    """A corruption family.

    ``gate`` is a cheap test (a regex scan or two) that is ``False`` whenever ``fix``
    would certainly do nothing; ``fix`` proposes non-overlapping edits in text order;
    ``detect`` (optional) reports problems the fixer will not repair on its own.
    """

    name: str
    gate: Callable[[str], bool]
    fix: FixFunction
    detect: DetectFunction | None = None
    #: The gate as a regex, when it is one: the pipeline joins the enabled fixers'
    #: patterns into a single scan for the common case of clean text. A function that
    #: returns it is called on first need (generated tables stay out of import time).
    gate_pattern: str | Callable[[], str] | None = None
    #: Characters of which at least one is in every text the gate passes (``in`` tests
    #: run at C speed, so most clean text is cleared without a regex); ``""``: no such set.
    gate_chars: str | Callable[[], str] = ""
    #: How many times in a row the pipeline may run this fixer: a further round runs
    #: only while the previous one changed something (a repair that reveals more of the
    #: same damage), so that repairing is idempotent.
    rounds: int = 1
    #: Whether the gate can pass pure-ASCII text (escapes of CJK text are ASCII); the
    #: pipeline clears ASCII text without a scan unless some enabled fixer says so.
    ascii_text: bool = False
    #: Whether ``gate`` answers as a search for ``gate_pattern`` does, faster: the
    #: pipeline then calls it where it would scan with the pattern (a pattern that
    #: cannot start with a character class is tried at every position of the text).
    gate_is_faster: bool = False
    #: ``fix`` given a dict that the pipeline keeps for this fixer while it repairs one
    #: unit (the readings of a round that the next round, on the text that round left,
    #: can take again: see :meth:`fix_in`). Its edits are those ``fix`` would make.
    fix_kept: KeptFixFunction | None = None
    #: ``gate`` given the same dict as ``fix_kept``, where it may leave what it found for
    #: ``fix_kept`` to take (a scan both need, made once): the same answer as ``gate``.
    gate_kept: Callable[[str, dict[str, Any]], bool] | None = None

    def gate_in(self, text: str, kept: dict[str, dict[str, Any]]) -> bool:
        """``gate(text)``, asked through ``gate_kept`` with ``kept[name]`` where there is
        one (``kept``: as for :meth:`fix_in`)."""
        if self.gate_kept is None:
            return self.gate(text)
        return self.gate_kept(text, kept.setdefault(self.name, {}))

    def fix_in(self, text: str, config: Config, kept: dict[str, dict[str, Any]]) -> list[Edit]:
        """The edits of ``fix``, made by ``fix_kept`` with ``kept[name]`` where there is
        one (``kept``: what the pipeline keeps for the fixers of one unit)."""
        if self.fix_kept is None:
            return list(self.fix(text, config))
        return list(self.fix_kept(text, config, kept.setdefault(self.name, {})))

    def pattern(self) -> str | None:
        p = self.gate_pattern
        return p() if callable(p) else p

    def chars(self) -> str:
        c = self.gate_chars
        return c() if callable(c) else c


_FIXERS: dict[str, Fixer] = {}


def register(fixer: Fixer) -> Fixer:
    if fixer.name in _FIXERS:
        raise ValueError(f"fixer {fixer.name!r} registered twice")
    _FIXERS[fixer.name] = fixer
    return fixer


def fixers() -> dict[str, Fixer]:
    return _FIXERS
