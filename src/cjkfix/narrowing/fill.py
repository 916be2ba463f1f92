"""Filling a run: the bytes of each slot, the beam that picks the characters, the hidden
pairs placed by a beam of their own, and U+FFFD where nothing pins a character down."""

from __future__ import annotations

import functools
from typing import NamedTuple

from cjkfix import model
from cjkfix.narrowing.gbk import (
    _NARROW,
    _by_lead_trail,
    _candidates,
    _common,
    _is_mark,
    _likeliest,
    _Option,
    _rejectable,
)
from cjkfix.narrowing.runs import _MAX_HIDDEN, _Run
from cjkfix.narrowing.scorer import _Scorer


class _Filled(NamedTuple):
    best: str  # the likeliest original, with the run's suffix
    score: float
    slots: list[list[_Option]]
    rejected: frozenset[int]
    left: str
    right: str
    suffix: str
    span: frozenset[str]  # the damaged passage's own bigrams (no evidence for itself)
    named: bool
    hidden: int = 0  # pairs the decoder dropped, as this reading places them

    def page_evidence(self, scorer: _Scorer) -> float:
        """What the page's own vocabulary and characters add to this reading (nats),
        as the beam counted it."""
        core = self.left + self.best[: len(self.best) - len(self.suffix)]
        total = sum(scorer.bonus(core[k : k + 2], self.span) for k in range(len(core) - 1))
        return total + scorer.bonus(core[-1:] + self.right, self.span, last=False)

    def shown(self, scorer: _Scorer) -> str:
        """The repair as written: where the bytes leave a character open and the model
        is not sure of it either, the character stays lost (U+FFFD), never a guess."""
        best = self.best[: len(self.best) - len(self.suffix)]
        shown = list(best)
        for i, options in enumerate(self.slots):
            if len(options) > 1 and i < len(best):
                other = scorer.best_fill(
                    self.slots,
                    self.rejected,
                    self.left,
                    self.right,
                    (i, best[i]),
                    self.span,
                    self.named,
                )
                # A mark is held to less: a wrong one misleads less than a wrong word.
                sure = _SURE_MARK if _is_mark(best[i]) else _SURE
                if other is not None and self.score - other[1] < sure:
                    shown[i] = "\ufffd"
        # A character the page's script does not use (a Simplified one in Traditional
        # text, or the reverse) is what a wrong reading of the run leaves (or the wrong
        # one of two characters a reading names: 说 for 睡, both shuì).
        for i, ch in enumerate(best):
            if not "\u4e00" <= ch <= "\u9fff":
                continue
            if model.char_logprob(ch, scorer.lang) < _UNSEEN:
                shown[i] = "\ufffd"
        return "".join(shown) + self.suffix


def _reconstruct(
    text: str, start: int, head: list[list[_Option]], run: _Run, scorer: _Scorer
) -> list[_Filled]:
    data = run.data
    if len(data) % 2:
        return []
    key = (
        text[max(0, start - 1) : run.end + 1],
        tuple(data),
        run.suffix,
        run.rejected,
        tuple(len(options) for options in head),
        tuple(options[0] for options in head if options),
    )
    if key in scorer.memo:
        return scorer.memo[key]
    if scorer.budget <= 0:
        return []
    scorer.budget -= 1
    result = scorer.memo[key] = _fill_hidden(text, start, head, run, scorer)
    return result


def _fill_hidden(
    text: str, start: int, head: list[list[_Option]], run: _Run, scorer: _Scorer
) -> list[_Filled]:
    """The best reconstruction with no pair hidden, and, for a dropping decoder, the
    best with one, two ... pairs hidden where the search puts them."""
    plain = _fill(text, start, head, run, scorer)
    found = [plain] if plain else []
    room = _max_hidden(run) - run.hidden
    if not run.drops or room <= 0 or plain is None:
        return found
    data = run.data
    ends = set(run.rejected)
    splits: dict[int, list[tuple[_Option, _Option]]] = {}
    last = len(data) - 2
    for i in range(0, len(data), 2):
        lead, trail = data[i], data[i + 1]
        if lead is None or trail is None or lead < 0x81 or trail < 0x40:
            continue
        if i + 1 in ends or i - 1 in ends or (run.named and i == last):
            continue
        # A hidden pair (x, y) between the bytes of the observed pair (lead, trail):
        # the characters (lead, x) and (y, trail), with (x, y) a cell GBK leaves empty.
        before, after = _split_sides(lead, trail)
        if before and after:
            slot = len(head) + i // 2
            # The second character is judged with what follows it too: the likeliest
            # few of the next slot (or the text after the run).
            nxt = plain.slots[slot + 1] if slot + 1 < len(plain.slots) else None
            following = "".join(o[0] for o in nxt[:_LOOKAHEAD]) if nxt else plain.right
            splits[slot] = scorer.split_pairs(before, after, following, plain.span)
    if not splits:
        return found
    for where in scorer.hidden_places(plain, splits, room):
        hidden = list(data)
        rejected = list(run.rejected)
        for slot in sorted(where, reverse=True):
            i = (slot - len(head)) * 2
            hidden[i + 1 : i + 1] = [None, None]
            rejected = [k + 2 if k > i else k for k in rejected] + [i + 1]
        variant = run._replace(
            data=hidden, rejected=tuple(sorted(rejected)), hidden=run.hidden + len(where)
        )
        got = _fill(text, start, head, variant, scorer)
        if got:
            found.append(got)
    return found


def _fill(
    text: str, start: int, head: list[list[_Option]], run: _Run, scorer: _Scorer
) -> _Filled | None:
    data = run.data
    firsts, seconds = _rejectable()
    ends = set(run.rejected)  # data index of a rejected pair's first byte
    # (each slot's options, ranked once every slot has some: most runs of clean text
    # leave a slot none, and are let go before the ranking and the page's language)
    found: list[list[_Option]] = []
    for i in range(0, len(data), 2):
        lead, trail = data[i], data[i + 1]
        if lead is not None and lead < 0x81:
            return None
        options = _candidates(lead, trail) if lead or trail else _common(scorer.lang)
        if trail is None and (i + 2 == len(data) or i + 1 in ends):
            # A trail byte lost at the end of the run was read as a lead byte, so it
            # had one's value (an ASCII-range trail would have come through as itself);
            # so was the first byte of a pair the decoder rejected.
            allowed = firsts if i + 1 in ends else range(0x81, 0xFF)
            options = [o for o in options if o[2] in allowed]
        if i - 1 in ends:
            options = [o for o in options if o[1] in seconds]
        if not options:
            return None
        found.append(options)
    slots = [_likeliest(options, scorer.lang) for options in (*head, *found)]
    rejected = frozenset(len(head) + (k + 1) // 2 for k in run.rejected)
    left = text[start - 1] if start else ""
    right = (run.suffix + (text[run.end] if run.end < len(text) else ""))[:1]
    observed = text[start : run.end]
    span = frozenset(observed[k : k + 2] for k in range(len(observed) - 1))
    filled = scorer.best_fill(slots, rejected, left, right, None, span, run.named)
    if filled is None:
        return None
    best, score = filled
    if scorer.narrowed:
        # A full-width character restored here would have been narrowed like every
        # other one on the page, had the pass not been thrown out of step before it.
        best = best.translate(_NARROW)
    return _Filled(
        best + run.suffix,
        score,
        slots,
        rejected,
        left,
        right,
        run.suffix,
        span,
        run.named,
        run.hidden,
    )


#: How close (nats) another explanation of the same bytes must come to dispute the
#: best one: a whole passage is compared, so less margin is asked than for one slot.
_RIVAL = 2.0


#: The same for an explanation with another number of characters (another number of
#: hidden pairs): the model charges each character about its unigram cost, so a
#: shorter reading wins by a few nats even where a word was hidden (``其雷`` over
#: ``其利弊``, 4.4 nats).
_RIVAL_LENGTH = 2.0


#: The same as _SURE for a punctuation mark.
_SURE_MARK = 1.0


#: The model's log-probability for a character its language does not use.
_UNSEEN = -15.0


#: How much more likely (nats) the best character for an open slot must make the
#: passage than any other that fits the bytes, for it to be written.
_SURE = 3.0


#: Options of the next slot a hidden pair's second character is judged with.
_LOOKAHEAD = 3


def _max_hidden(run: _Run) -> int:
    """Pairs a dropping decoder may have hidden inside ``run``: a pair read out of step
    is an empty cell about one time in seven (a trail byte in AA..AF or F8..FE, the
    user-defined rows), so a longer run may hide more."""
    return min(_MAX_HIDDEN, 2 + len(run.data) // _BYTES_PER_HIDDEN)


#: Bytes of a run per hidden pair allowed beyond the first two.
_BYTES_PER_HIDDEN = 24


@functools.lru_cache(maxsize=4096)
def _split_sides(lead: int, trail: int) -> tuple[tuple[_Option, ...], tuple[_Option, ...]]:
    """The characters (lead, x) and (y, trail) that can stand on each side of a hidden
    pair (x, y) inside the observed pair (lead, trail)."""
    firsts, seconds = _rejectable()
    by_lead, by_trail = _by_lead_trail()
    before = tuple((ch, lead, x) for x, ch in by_lead.get(lead, []) if x in firsts)
    after = tuple((ch, y, trail) for y, ch in by_trail.get(trail, []) if y in seconds)
    return before, after
