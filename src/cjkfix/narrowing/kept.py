"""What a narrowing repair keeps: whether the text around it reads as text, and which of
its characters another explanation of the same bytes disputes (those stay lost)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cjkfix import model
from cjkfix._lazyre import LazyRegex
from cjkfix.narrowing.fill import _RIVAL, _RIVAL_LENGTH
from cjkfix.narrowing.gbk import _is_mark
from cjkfix.narrowing.scorer import _Scorer

if TYPE_CHECKING:
    from cjkfix.narrowing import _Candidate


def _readable_around(text: str, start: int, end: int, lang: str) -> bool:
    """Do the characters on each side of a repair read as text? Narrowing damages a
    clean page in places; next to mojibake (garbage on a side) a "repair" only invents.
    Each side is the run of Han characters touching the repair: a line break or a
    leaked reading (tone-marked letters) between is no garbage."""
    left = _HAN_RUN_END.search(text, max(0, start - _AROUND), start)
    right = _HAN_RUN_START.match(text, end, min(len(text), end + _AROUND))
    for m in (left, right):
        chars = m.group() if m else ""
        if len(chars) >= 3 and model.text_logprob(chars, lang) / len(chars) < _AROUND_FLUENCY:
            return False
    return True


_HAN_RUN_END = LazyRegex(r"[\u2e80-\u9fff\uf900-\ufaff]+$")
_HAN_RUN_START = LazyRegex(r"[\u2e80-\u9fff\uf900-\ufaff]+")


#: Characters looked at on each side of a repair, and the average log-probability per
#: character they need (clean Chinese is about -6 to -8; mojibake -12 and below).
_AROUND = 8
_AROUND_FLUENCY = -10.0


def _unless_disputed(cand: _Candidate, rivals: list[_Candidate], scorer: _Scorer) -> str:
    """The repair, with U+FFFD where another explanation of the same bytes (another
    number of hidden pairs, another lost byte) is about as plausible and reads
    differently: ``世界润主糧`` (no pair dropped) against ``世界三大主糧`` (one)."""
    after = cand.filled.shown(scorer) if cand.filled else cand.after
    a = cand.after
    lo, hi = len(a), 0  # the disputed stretch of ``a``
    for rival in rivals:
        # The character model charges every character it is given, so a reading with
        # one more or one fewer character (a pair hidden or not) is held to more.
        margin = _RIVAL if len(rival.after) == len(a) else _RIVAL_LENGTH
        if rival is cand or rival.rank < cand.rank - margin or rival.after == a:
            continue
        b = rival.after
        head = _common_prefix(a, b)
        tail = _common_prefix(a[head:][::-1], b[head:][::-1])
        if any(not _is_mark(ch) for ch in a[head : len(a) - tail]):
            lo, hi = min(lo, head), max(hi, len(a) - tail)
    if lo < hi:
        # ``after`` has ``a``'s length: shown() only writes U+FFFD over characters.
        after = after[:lo] + "\ufffd" * (hi - lo) + after[hi:]
    # A reading restored after a character that stays lost annotates nothing.
    return _READING_OF_LOST_RE.compiled().sub("\ufffd", after)


_READING_OF_LOST_RE = LazyRegex("\ufffd\\([^()]*\\)$")


def _hidden(cand: _Candidate) -> int:
    return cand.filled.hidden if cand.filled is not None else 0


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
