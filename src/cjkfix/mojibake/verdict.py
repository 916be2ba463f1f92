"""Judging a reading: the character model's view of a span before and after."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, NamedTuple

from cjkfix.mojibake.policy import POLICY


def _model() -> Any:
    from cjkfix import model

    return model


#: Hangul compatibility jamo: ``ㅋㅋ``, ``ㅎㅎ``, ``ㅠㅠ`` in informal Korean, which the
#: word lists behind the model do not hold.
_JAMO = frozenset(map(chr, range(0x3131, 0x318F)))


@functools.lru_cache(maxsize=1)
def _known_chars() -> frozenset[str]:
    """Characters a repair may produce: the model's, plus compatibility jamo."""
    return frozenset(_model().known_chars() | _JAMO)


@dataclass(slots=True)
class _Candidate:
    """A reading of ``text[start:end]`` (offsets shift as runs are placed in the text)."""

    start: int
    end: int
    #: The reading.
    after: str
    #: (original, wrong) codecs, outermost layer first: ``["utf-8", "gbk"]``.
    chain: list[str]
    #: The verdict's gain, and its fluency of the span and of the reading.
    gain: float
    before_score: float
    after_score: float
    lang: str
    #: Lost characters restored, and left as U+FFFD.
    restored: int = 0
    lost: int = 0
    #: A repair on its own evidence; a weak one (False) only where its chain is repaired
    #: elsewhere in the text.
    strict: bool = True

    def moved(self, start: int, end: int) -> _Candidate:
        """The same reading at other offsets (a new candidate: callers shift theirs)."""
        return _Candidate(
            start,
            end,
            self.after,
            self.chain,
            self.gain,
            self.before_score,
            self.after_score,
            self.lang,
            self.restored,
            self.lost,
            self.strict,
        )

    def __copy__(self) -> _Candidate:
        # (``copy.copy`` of a slotted dataclass goes through ``__reduce_ex__``: a
        # constructor call is several times faster, and the same shallow copy)
        return self.moved(self.start, self.end)


def _nonascii(text: str) -> int:
    # (the characters beyond ASCII: those the ASCII codec drops, counted at C speed)
    return len(text) - len(text.encode("ascii", "ignore"))


class Verdict(NamedTuple):
    """The model's judgement of a reading ``after`` of a span ``before`` (a tuple, so
    that ``ok, weak, gain, b, a, lang = _judge(...)`` reads it too)."""

    #: A repair on its own evidence.
    ok: bool
    #: A repair where the same chain was repaired elsewhere in the text (weaker test).
    ok_in_context: bool
    #: Fluency of ``after`` less that of ``before`` (average log-probability per char).
    gain: float
    #: Fluency of ``before``.
    score_before: float
    #: Fluency of ``after``.
    score_after: float
    #: The language the model reads ``after`` in ("" when not judged).
    lang: str


_NOT_JUDGED = Verdict(False, False, 0.0, 0.0, 0.0, "")


def _judge(
    before: str, after: str, lost: int, structured: int = 0, before_score: float | None = None
) -> Verdict:
    """Is ``after`` a much more likely text than ``before``?

    ``lost``: characters of ``after`` that are U+FFFD for lost bytes. ``structured``: how
    many multi-byte characters decoded without any damage; many in a row are evidence of
    their own (random text does not form long runs of valid UTF-8), so the model only
    has to agree, not be enthusiastic.

        >>> v = _judge("浣犲ソ涓栫晫", "你好世界", 0)
        >>> v.ok, v.lang, v.gain > 3
        (True, 'zh-Hans', True)
        >>> _judge("abc", "abc", 0).ok
        False
    """
    p = POLICY
    model = _model()
    if after == before or not after:
        return _NOT_JUDGED
    lang, a = model.score(after)
    b = model.score(before)[1] if before_score is None else before_score
    gain = a - b
    total_gain = a * len(after) - b * len(before)
    n = _nonascii(after) - lost
    if n < 1 or lost * 2 > n:
        return Verdict(False, False, gain, b, a, lang)
    # ``gain`` compares characters; ``total_gain`` compares the whole span (both sides
    # stand for the same bytes, so totals are the fair comparison when one side has
    # three Latin-1 characters for every Han character of the other).
    if n < p.short:
        # (two well-formed multi-byte characters in a row are evidence of their own: the
        # model need only find them no rarer than a repair's usual floor, ``主键``)
        ok = lost == 0 and (
            (
                a >= p.short_min_fluency
                and (
                    gain >= p.short_min_gain
                    or (gain >= p.min_gain and total_gain >= p.short_total_gain)
                )
            )
            or (
                structured >= 2
                and a >= p.min_fluency
                and gain >= p.weak_gain
                and total_gain >= p.short_total_gain
            )
        )
    else:
        per_char = p.total_gain_per_char * n
        ok = (
            (gain >= p.min_gain and a >= p.min_fluency)
            or (gain >= p.strong_gain and a >= p.low_fluency)
            or (gain >= p.weak_gain and total_gain >= per_char and a >= p.min_fluency)
            or (
                gain >= p.weak_negative_gain
                and total_gain >= 2 * per_char
                and a >= p.weak_negative_min_fluency
            )
        )
        if not ok and lost == 0 and structured >= p.structured_chars:
            ok = (
                gain >= p.structured_min_gain
                or total_gain >= p.structured_total_per_char * structured
            ) and a >= p.structured_min_fluency
    relaxed = (gain >= p.relaxed_min_gain and a >= p.min_fluency) or (
        gain >= p.relaxed_total_min_gain
        and total_gain >= p.total_gain_per_char * n
        and a >= p.low_fluency
    )
    return Verdict(ok, ok or relaxed, gain, b, a, lang)


class _Judge:
    """:func:`_judge` for the readings of one span ``before``: the span's own score is
    taken once (``model.score`` of the same text, the same value), not once a reading."""

    __slots__ = ("before", "score")

    def __init__(self, before: str) -> None:
        self.before = before
        self.score: float | None = None

    def __call__(self, after: str, lost: int, structured: int = 0) -> Verdict:
        if after == self.before or not after:
            return _NOT_JUDGED
        if self.score is None:
            self.score = _model().score(self.before)[1]
        return _judge(self.before, after, lost, structured, self.score)


def _explained(cands: list[_Candidate]) -> float:
    """How much of a run a set of candidates repairs: characters, less the lost ones."""
    return sum((c.end - c.start) - 2 * c.lost + c.restored for c in cands if c.strict) + 0.5 * sum(
        (c.end - c.start) - 2 * c.lost for c in cands if not c.strict
    )


def _cjk_char(ch: str) -> bool:
    return bool(ch) and _model().is_cjk(ch)
