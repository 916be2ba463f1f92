"""Judging a reading: the character model's view of a span before and after."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from cjkfix.mojibake.policy import (
    LOW_FLUENCY,
    MIN_FLUENCY,
    MIN_GAIN,
    RELAXED_MIN_GAIN,
    RELAXED_TOTAL_MIN_GAIN,
    SHORT,
    SHORT_MIN_FLUENCY,
    SHORT_MIN_GAIN,
    STRONG_GAIN,
    STRUCTURED_CHARS,
    STRUCTURED_MIN_FLUENCY,
    STRUCTURED_MIN_GAIN,
    TOTAL_GAIN_PER_CHAR,
)


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


@dataclass
class _Candidate:
    start: int
    end: int
    after: str
    chain: list[str]
    gain: float
    before_score: float
    after_score: float
    lang: str
    restored: int = 0
    lost: int = 0
    strict: bool = True


def _nonascii(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 0x7F)


def _judge(
    before: str, after: str, lost: int, structured: int = 0
) -> tuple[bool, bool, float, float, float, str]:
    """Is ``after`` a much more likely text than ``before``?

    Returns (ok, ok_in_context, gain, score_before, score_after, language): the second
    flag is the weaker test for a short span when the same chain was already repaired
    elsewhere in the text. ``structured``: how many multi-byte characters decoded without
    any damage; many in a row are evidence of their own (random text does not form long
    runs of valid UTF-8), so the model only has to agree, not be enthusiastic.
    """
    model = _model()
    if after == before or not after:
        return False, False, 0.0, 0.0, 0.0, ""
    lang, a = model.score(after)
    b = model.score(before)[1]
    gain = a - b
    total_gain = a * len(after) - b * len(before)
    n = _nonascii(after) - lost
    if n < 1 or lost * 2 > n:
        return False, False, gain, b, a, lang
    # ``gain`` compares characters; ``total_gain`` compares the whole span (both sides
    # stand for the same bytes, so totals are the fair comparison when one side has
    # three Latin-1 characters for every Han character of the other).
    if n < SHORT:
        ok = (
            lost == 0
            and a >= SHORT_MIN_FLUENCY
            and (
                gain >= SHORT_MIN_GAIN
                or (gain >= MIN_GAIN and total_gain >= 25)
                or (structured >= 2 and gain >= 0.5 and total_gain >= 25)
            )
        )
    else:
        ok = (
            (gain >= MIN_GAIN and a >= MIN_FLUENCY)
            or (gain >= STRONG_GAIN and a >= LOW_FLUENCY)
            or (gain >= 0.5 and total_gain >= TOTAL_GAIN_PER_CHAR * n and a >= MIN_FLUENCY)
            or (gain >= -1.0 and total_gain >= 2 * TOTAL_GAIN_PER_CHAR * n and a >= LOW_FLUENCY)
        )
        if not ok and lost == 0 and structured >= STRUCTURED_CHARS:
            ok = (
                gain >= STRUCTURED_MIN_GAIN or total_gain >= 4 * structured
            ) and a >= STRUCTURED_MIN_FLUENCY
    relaxed = (gain >= RELAXED_MIN_GAIN and a >= MIN_FLUENCY) or (
        gain >= RELAXED_TOTAL_MIN_GAIN
        and total_gain >= TOTAL_GAIN_PER_CHAR * n
        and a >= LOW_FLUENCY
    )
    return ok, ok or relaxed, gain, b, a, lang


def _explained(cands: list[_Candidate]) -> float:
    """How much of a run a set of candidates repairs: characters, less the lost ones."""
    return sum((c.end - c.start) - 2 * c.lost + c.restored for c in cands if c.strict) + 0.5 * sum(
        (c.end - c.start) - 2 * c.lost for c in cands if not c.strict
    )


def _cjk_char(ch: str) -> bool:
    return bool(ch) and _model().is_cjk(ch)
