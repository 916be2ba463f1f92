"""What a repair is made of: edits proposed by fixers, steps that replay, findings.

A fixer returns :class:`Edit` objects (positions in the text it was given). The pipeline
turns them into :class:`Step` objects whose ``start``/``end`` are positions in the text as
it stands just before that step, so :func:`apply_plan` can replay a plan on the input:

    >>> s = Step("ruby", 1, 8, "(zhàn)", "", "pinyin reading of 戰", 0.99, 1, 8)
    >>> apply_plan("戰(zhàn)略", [s])
    Traceback (most recent call last):
    ...
    ValueError: step 0 (ruby) expects '(zhàn)' at 1:8, found '(zhàn)略'
    >>> apply_plan("戰(zhàn)略", [Step("ruby", 1, 7, "(zhàn)", "", "", 0.99, 1, 7)])
    '戰略'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

__all__ = ["Edit", "Finding", "Step", "apply_plan", "splice"]


@dataclasses.dataclass(frozen=True)
class Edit:
    """A fixer's proposal: replace ``text[start:end]`` with ``after``."""

    start: int
    end: int
    after: str
    reason: str
    confidence: float = 1.0
    evidence: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Step:
    """One applied change.

    ``start``/``end`` index the text as it was just before this step (so the plan
    replays); ``input_start``/``input_end`` index the caller's original input.
    ``before`` is the text the step replaced as it was then: the input's own text,
    except for a step that changes what an earlier step wrote (a later pass of the
    pipeline), whose input span covers the earlier step's.
    """

    fixer: str
    start: int
    end: int
    before: str
    after: str
    reason: str
    confidence: float
    input_start: int
    input_end: int
    evidence: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def as_finding(self) -> Finding:
        """This change as :func:`cjkfix.detect` reports it (span in the caller's input)."""
        return Finding(
            family=self.fixer,
            start=self.input_start,
            end=self.input_end,
            text=self.before,
            confidence=self.confidence,
            message=self.reason,
            suggestion=self.after,
        )


@dataclasses.dataclass(frozen=True)
class Finding:
    """Something :func:`cjkfix.detect` found: where (in the input), what family, how sure."""

    family: str
    start: int
    end: int
    text: str
    confidence: float
    message: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def apply_plan(text: str, steps: Iterable[Step]) -> str:
    """Replay ``steps`` (as returned by :func:`cjkfix.repair_and_explain`) on ``text``.

    Each step checks that the text it replaces is still there, so a plan recorded on one
    text is never silently applied to another.
    """
    for i, step in enumerate(steps):
        found = text[step.start : step.end]
        if found != step.before:
            raise ValueError(
                f"step {i} ({step.fixer}) expects {step.before!r} at "
                f"{step.start}:{step.end}, found {found!r}"
            )
        text = text[: step.start] + step.after + text[step.end :]
    return text


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def after(self) -> str: ...


def splice(text: str, spans: Iterable[_Span]) -> str:
    """``text`` with each span's ``text[start:end]`` replaced by its ``after``; the spans
    are in order and do not overlap (positions in ``text``)."""
    pieces: list[str] = []
    last = 0
    for span in spans:
        pieces.append(text[last : span.start])
        pieces.append(span.after)
        last = span.end
    pieces.append(text[last:])
    return "".join(pieces)
