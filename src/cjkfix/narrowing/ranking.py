"""Where the narrowing search hides lost pairs and which fill reads best: the part of
:class:`cjkfix.narrowing.scorer._Scorer` that ranks reconstructions (a mixin, so that the
scorer's page evidence and the search over fills live in modules of their own)."""

from __future__ import annotations

import functools
import heapq
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cjkfix import model
from cjkfix.narrowing.gbk import _Option, _pairs, _ranked
from cjkfix.narrowing.runs import _SPLIT_OPTIONS

if TYPE_CHECKING:
    from cjkfix.narrowing.fill import _Filled

#: Candidates kept per unknown position in the beam search.
_BEAM = 12
#: Places tried per number of hidden pairs (the best few by the beam).
_PLACES = 3
#: Second characters of a hidden pair kept per first one by the model's first cut,
#: and the first characters tried (the likeliest).
_SPLIT_FIRST_CUT = 4
_SPLIT_FIRSTS = 12


class _Ranking:
    """The scorer's fill search (see the module docstring); its page evidence comes from
    the class it is mixed into."""

    if TYPE_CHECKING:
        # (what the scorer it is mixed into provides)
        _gains: dict[tuple[str, int, int, str], float]
        _splits: dict[object, list[tuple[_Option, _Option]]]

        @property
        def lang(self) -> str: ...

        def logprob(self, text: str) -> float: ...

        def bonus(self, pair: str, span: frozenset[str], last: bool = True) -> float: ...

        def _always(self) -> frozenset[str]: ...

        def _written_after(self) -> dict[str, frozenset[str]]: ...

    def hidden_places(
        self,
        plain: _Filled,
        splits: dict[int, list[tuple[_Option, _Option]]],
        room: int,
    ) -> list[tuple[int, ...]]:
        """Where to hide 1 .. ``room`` pairs: a beam over the slots of the plain
        reconstruction, one beam per number of pairs hidden; a slot in ``splits`` may
        become two characters around a hidden pair. The best :data:`_PLACES` places per
        number: each is a rival of the others, so that a character only one of them
        writes is disputed (U+FFFD) unless it wins by a clear margin."""
        pairs = _pairs()
        annotated = self._always()
        span = plain.span
        named_slot = len(plain.slots) - 1 if plain.named else -1
        # (score, text so far, last trail, places)
        State = tuple[float, str, int, tuple[int, ...]]
        origin: State = (0.0, plain.left, -1, ())
        beams: list[list[State]] = [[origin]] + [[] for _ in range(room)]

        steps: dict[tuple[str, str], float] = {}  # (``span`` is fixed for the call)

        def step(prefix: str, ch: str) -> float:
            last = prefix[-1:]
            value = steps.get((last, ch))
            if value is None:
                pair = last + ch
                value = steps[last, ch] = (
                    self.logprob(pair) - self.logprob(last) + self.bonus(pair, span)
                )
            return value

        def allowed(ch: str, last_trail: int, lead: int, i: int) -> bool:
            if annotated and (
                (ch in annotated and i != named_slot) or pairs.get((last_trail, lead)) in annotated
            ):
                return False
            return not (i in plain.rejected and (last_trail < 0x81 or (last_trail, lead) in pairs))

        for i, options in enumerate(plain.slots):
            grown: list[list[State]] = [[] for _ in beams]
            for h, beam in enumerate(beams):
                for score, prefix, last_trail, where in beam:
                    for ch, lead, trail in options:
                        if allowed(ch, last_trail, lead, i):
                            grown[h].append(
                                (score + step(prefix, ch), prefix[-1:] + ch, trail, where)
                            )
                    if i in splits and h < room:
                        for (a, lead, _), (b, _, trail) in splits[i]:
                            if not allowed(a, last_trail, lead, i) or b in annotated:
                                continue
                            grown[h + 1].append(
                                (score + step(prefix, a) + step(a, b), b, trail, (*where, i))
                            )
            beams = []
            for g in grown:
                g.sort(key=lambda t: t[0], reverse=True)
                beams.append(g[:_BEAM])
        out: list[tuple[int, ...]] = []
        for beam in beams[1:]:
            ranked = sorted(beam, key=lambda t: t[0] + step(t[1], plain.right), reverse=True)
            places: list[tuple[int, ...]] = []
            for state in ranked:
                if state[3] not in places:
                    places.append(state[3])
                if len(places) == _PLACES:
                    break
            out.extend(places)
        return out

    def split_pairs(
        self,
        before: tuple[_Option, ...],
        after: tuple[_Option, ...],
        following: str,
        span: frozenset[str],
    ) -> list[tuple[_Option, _Option]]:
        """The likeliest characters (a, b) around a hidden pair: ``a`` from ``before``,
        ``b`` from ``after``, the bytes between them an empty cell; judged as a pair
        (``贮藏``, not the two likeliest characters on their own) and with the best of
        the ``following`` characters after ``b``."""
        key = (before, after, following)
        cached = self._splits.get(key)
        if cached is not None:
            return cached
        pairs = _pairs()
        logprob, bonus = self.logprob, self.bonus
        # A first cut with the model alone (two table lookups a pair, the likeliest next
        # character as the right context), then the few best of each first character,
        # and any pair the page writes elsewhere, judged in full.
        right = following[:1]
        bs = [b for b, _, _ in after]
        written = self._written_after()
        shortlist: list[tuple[_Option, _Option]] = []
        for option, kept in _model_shortlist(before, after, right, self.lang):
            seconds = written.get(option[0])
            if seconds:
                x = option[2]
                kept = kept + tuple(
                    k
                    for k, b in enumerate(bs)
                    if b in seconds and k not in kept and (x, after[k][1]) not in pairs
                )
            shortlist.extend((option, after[k]) for k in kept)
        tail: dict[str, float] = {}
        scored = []
        for (a, lead, x), (b, y, trail) in shortlist:
            if b not in tail:
                base = logprob(b)
                tail[b] = max(
                    (logprob(b + c) - base + bonus(b + c, span, last=False) for c in following),
                    default=0.0,
                )
            value = logprob(a + b) + bonus(a + b, span) + tail[b]
            scored.append((value, (a, lead, x), (b, y, trail)))
        scored.sort(key=lambda t: t[0], reverse=True)
        found = self._splits[key] = [(a, b) for _, a, b in scored[:_SPLIT_OPTIONS]]
        return found

    def best_fill(
        self,
        slots: Sequence[list[_Option]],
        rejected: frozenset[int],
        left: str,
        right: str,
        exclude: tuple[int, str] | None = None,
        span: frozenset[str] = frozenset(),
        named: bool = False,
    ) -> tuple[str, float] | None:
        """The most plausible string with one character from each slot (a beam search).

        ``rejected`` holds the slots whose lead byte, with the previous slot's trail
        byte, made a pair the decoder rejected: such neighbours cannot form a character.
        """
        beam: list[tuple[float, str, int]] = [(0.0, left, -1)]
        pairs = _pairs()
        # The forward process as a check: a character the page annotates everywhere
        # cannot be restored where no reading follows it (the last slot of a run named
        # by its reading has one), nor can a straddling pair of restored bytes be one.
        annotated = self._always()
        named_slot = len(slots) - 1 if named else -1
        logprob, bonus = self.logprob, self.bonus
        # What a character adds after another: the same for every beam entry ending in
        # the same character (``span`` is fixed for the call).
        steps: dict[tuple[str, str], float] = {}
        for i, options in enumerate(slots):
            grown = []
            cut = i in rejected
            for score, prefix, last_trail in beam:
                last = prefix[-1:]
                base = logprob(last)
                for ch, lead, trail in options:
                    if cut and (last_trail < 0x81 or (last_trail, lead) in pairs):
                        continue
                    if annotated and (
                        (ch in annotated and i != named_slot)
                        or pairs.get((last_trail, lead)) in annotated
                    ):
                        continue
                    if exclude is not None and exclude == (i, ch):
                        continue
                    step = steps.get((last, ch))
                    if step is None:
                        pair = last + ch
                        step = steps[last, ch] = logprob(pair) - base + bonus(pair, span)
                    grown.append((score + step, prefix + ch, trail))
            if not grown:
                return None
            grown.sort(key=lambda t: t[0], reverse=True)
            beam = grown[:_BEAM]

        def close(p: str) -> float:
            pair = p[-1:] + right
            return self.logprob(pair) - self.logprob(p[-1:]) + self.bonus(pair, span, last=False)

        best_score, best = max(((s + close(p), p) for s, p, _ in beam), key=lambda t: t[0])
        return best[len(left) :], best_score

    def gain(self, text: str, start: int, end: int, after: str) -> float:
        """How much more plausible the repair makes the passage (nats).

        The damaged passage is judged in whichever language suits it best, so clean
        Japanese or Korean text is never "repaired" into Chinese that merely scores
        better than kana or Hangul would under a Chinese model.
        """
        lo, hi = max(0, start - 2), min(len(text), end + 2)
        key = (text[lo:hi], start - lo, end - lo, after)
        cached = self._gains.get(key)
        if cached is None:
            cached = self._gains[key] = self._gain(text, start, end, after, lo, hi)
        return cached

    def _gain(self, text: str, start: int, end: int, after: str, lo: int, hi: int) -> float:
        # Both passages in the document's script: mixed Simplified and Traditional text
        # is clean too, and must not look damaged merely for its minority characters.
        from cjkfix.script import convert  # (conversion tables load on first need)

        to_script = "t2s" if self.lang == "zh-Hans" else "s2t"
        repaired = convert(text[lo:start] + after + text[end:hi], to_script)
        observed = convert(text[lo:hi], to_script)
        as_is = max(
            self.logprob(observed),
            *(model.text_logprob(observed, lang) for lang in model.LANGS),
        )
        return self.logprob(repaired) - as_is


@functools.lru_cache(maxsize=1024)
def _model_shortlist(
    before: tuple[_Option, ...], after: tuple[_Option, ...], right: str, lang: str
) -> list[tuple[_Option, tuple[int, ...]]]:
    """The model's first cut of the pairs around a hidden pair (no page involved, so it
    is shared between calls): per likeliest first character, the indices into ``after``
    of its likeliest second ones, the bytes between them an empty cell."""
    pairs = _pairs()
    bs = [b for b, _, _ in after]
    out = []
    for option in _ranked(before, lang)[:_SPLIT_FIRSTS]:
        a, _, x = option
        values = model.candidate_scores(a, bs, right, lang)
        ranked = heapq.nlargest(_SPLIT_FIRST_CUT + 2, range(len(bs)), key=values.__getitem__)
        kept = tuple(k for k in ranked if (x, after[k][1]) not in pairs)[:_SPLIT_FIRST_CUT]
        out.append((option, kept))
    return out
