"""GBK misalignment: byte-level passes that matched a pair straddling two characters.

Some sites processed GBK *bytes*, not characters, and sometimes matched a byte pair made
of one character's trail byte and the next one's lead byte. Two real mechanisms:

* **Full-width narrowing.** A pass that turned full-width ASCII (GBK row ``A3``:
  ``A3 A1`` is ``！`` ... ``A3 FE``) into ASCII (``byte - 0x80``) matched ``A3 A1`` inside
  ``。”`` (``A1 A3 | A1 B1``) and wrote ``!``. The orphaned lead ``A1`` decodes as ``?``;
  then every pair is out of step (``B1 DF`` = ``边``, ``40`` = ``@``) until an ASCII
  byte resynchronises: ``模型。”這一`` became ``模型?!边@一``.
* **An annotation inside a straddling pair.** In ``能夠對這`` (``C4DC 89F2 8CA6 DF40``) the
  pair ``F2 8C`` is ``驅``, so a ruby annotator inserted ``(qū)`` between the two bytes of
  ``對``: ``能夠?qū)?@``. The reading tells which pair was matched, so the lost lead byte is
  known again.

The whole process of the real pages (fold, readings inserted at every byte offset, a
decoder that drops the pairs it cannot map) is :func:`cjkfix.simulate.damage_page`.

Inversion, by search: re-encode the out-of-step run to GBK bytes, put the lost byte back
in front, regroup the bytes into pairs and search the byte sequences the process maps onto
what is seen (lost bytes, a trail named by its own reading, pairs the decoder dropped); the
character model, the page's punctuation, vocabulary and readings score them. Where the
bytes do not pin a character down and the model is not sure, it stays lost (U+FFFD). A
repair is kept only when it makes the passage much more plausible than it was. No table of
known strings is involved. The package, one idea per module:

* ``gbk``: GBK facts (every pair, the empty cells, the readings an annotator wrote);
* ``runs``: every way an observed stretch can be a run of bytes out of step;
* ``scorer``: the model plus the page's own evidence;
* ``fill``: the beams that fill a run's slots and place hidden pairs, and U+FFFD;
* ``kept``: whether the text around a repair reads as text, and what rivals dispute;
* this module: where damage can start, the candidates, and :func:`fix`.

    >>> from cjkfix.config import Config
    >>> [(e.start, e.end, e.after) for e in fix("源模型?!边@一表態", Config())]
    [(3, 7, '。”這')]
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from typing import NamedTuple

from cjkfix._lazyre import LazyRegex
from cjkfix._scan import matches_at_any, positions
from cjkfix.config import Config
from cjkfix.markup import tag_tail
from cjkfix.narrowing.fill import _RIVAL_LENGTH, _Filled, _reconstruct
from cjkfix.narrowing.gbk import (
    _NARROWED_TRAILS,
    _annotator_reading,
    _by_lead_trail,
    _candidates,
    _encode,
    _narrowed_trail_chars,
    _Option,
    _orphans_merged_with,
    _primary_first,
)
from cjkfix.narrowing.kept import _hidden, _readable_around, _unless_disputed
from cjkfix.narrowing.runs import _BARE_READING_RE, _LOST, _MAX_RUN, _READING_RE, _Run, _runs
from cjkfix.narrowing.scorer import _Scorer
from cjkfix.registry import Fixer, register
from cjkfix.simulate_pages import FOLDED, KEPT_AFTER_ORPHAN
from cjkfix.steps import Edit

__all__ = ["fix", "gate"]


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"


# Where damage shows: a byte the decoder lost ("?" or U+FFFD) next to CJK text or to
# a narrowed punctuation byte. Damage with no lost byte at all (the orphaned lead merged
# with a narrowed ``@[\]^_`{|}~`` and the run ended on an ASCII-range trail byte) passes
# no gate: rare, and not worth a scan of every clean text.
# (Or after a leaked reading, when the next reading went in after the same byte:
# ``他(tā)?cū)``.)
# (Written to start at the lost byte, a character the scan skips to at C speed: a CJK
# character starts nearly every position of CJK text. The same texts pass as with
# ``[CJK][?\ufffd]|[?\ufffd][\x21-\x3fCJK]|[)）][?\ufffd][a-z\u00e0-\u01dc]``.)
_GATE_RE = LazyRegex(
    rf"[?\ufffd](?:(?<=[{_CJK}][?\ufffd])|[\x21-\x3f{_CJK}]"
    rf"|(?<=[)）][?\ufffd])[a-z\u00e0-\u01dc])"
)


# Where an out-of-step run that began without a "?" may have ended: on a lost byte
# after a CJK character (``_is_cjk``). (A run can also end on an ASCII-range trail byte,
# ``边@一``; damage with no lost byte at either end is not looked for, like everything
# the gate does not pass.)
def _is_cjk(ch: str) -> bool:
    """Is ``ch`` in ``_CJK``?"""
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


# A lost byte, and the byte after it if that may be a narrowed one.
_LOSS_RE = LazyRegex(r"[?\ufffd]([\x21-\x3f])?")


def _lost_bytes(text: str) -> list[int]:
    """Where ``text`` has a "?" or U+FFFD, in order. (``str.find`` skips clean text far
    faster than a regular expression scans it, and clean text is the common case.)"""
    return positions(text, _LOST)


# A lost byte after a non-ASCII character, then what may be a reading.
_ANNOTATED_LOSS_RE = LazyRegex("[?\ufffd](?=[(（]?[A-Za-z\u00c0-\u024f\u3105-\u312f])")


# The character before may carry its own reading: ``他(tā)?cū)?men)``, where both
# readings went in after the same byte ``FB``, the trail of 他 and the lead of 麄.
_LEAK_BEFORE_RE = LazyRegex(
    "([^\x00-\x7f])[(（][A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?[)）]$"
)


#: Minimum gain in log-probability (nats) of the repaired passage over the damaged one,
#: when two or more observed characters fell back into step, and when only one did.
#: Measured on the development corpus: clean lines with ASCII punctuation inserted after
#: a Han character (15 shapes, 3,000 lines) reach 4.7 with two realigned characters and
#: 8.6 with one; simulated damage is repaired at 6 or more in 95% of cases.
_MIN_GAIN = 6.0
_MIN_GAIN_ONE = 10.0
_MIN_GAIN_SHAPED = 2.0


#: The mechanism of a pass that narrowed full-width punctuation (:func:`_unfolded`).
_NARROWING = "full-width narrowing"


def gate(text: str) -> bool:
    # ``_GATE_RE.search(text) is not None``, tried at the lost bytes (cjkfix._scan)
    return matches_at_any(_GATE_RE.compiled(), text, _LOST)


class _Candidate(NamedTuple):
    start: int
    end: int
    after: str
    gain: float
    mechanism: str
    lost: int
    evidence: str  # what besides plausibility says the bytes were out of step
    realigned: int = 0
    filled: _Filled | None = None
    # What the page adds (its vocabulary and characters, in nats): for choosing among
    # readings of the same bytes, not for accepting a repair at all.
    page: float = 0.0

    @property
    def rank(self) -> float:
        return self.gain + self.page

    def accepted(self) -> bool:
        # A lone "?" (or "???", "?!?") can always be "repaired" into something more
        # fluent: informal clean text with ASCII punctuation inside Chinese scores up
        # to about 15 nats of "gain" that way. So the bytes of observed characters must
        # fall into place, or the damage must leave a shape of its own (a tag that
        # lost its "<", a reading); a repair resting on plausibility alone is refused.
        if not self.evidence:
            return False
        if self.evidence not in ("realigned", "marks"):
            return self.gain >= _MIN_GAIN_SHAPED
        return self.gain >= (_MIN_GAIN if self.realigned >= 2 else _MIN_GAIN_ONE)


def _evidence(run: _Run) -> str:
    if run.tag:
        return "tag"
    if run.named:
        return "reading"
    return "realigned" if run.realigned else ""


def _from_runs(
    text: str,
    start: int,
    head: list[_Option],
    runs: Iterator[_Run],
    scorer: _Scorer,
    mechanism: str,
    lost_before: int,
    evidence: str | None = None,
    line_at: int | None = None,
) -> Iterator[_Candidate]:
    """Candidates for the damage starting at ``start``: one per way the run can end.

    A run with no evidence of damage besides plausibility is never accepted (see
    :meth:`_Candidate.accepted`), so it is not reconstructed at all. With ``line_at``,
    there are none if the line holding it is :meth:`~_Scorer.foreign`: asked before the
    first reconstruction, not before the runs are found (they are found from the text
    alone, and change nothing), so the line costs no look when no run has evidence:
    most "?" of clean text. (Asking first, as this replaces, gave the same candidates.)
    """
    for run in runs:
        shape = evidence if evidence is not None else _evidence(run)
        if not shape:
            continue
        if shape == "realigned" and not _shows_a_character(text, start, run.end):
            shape = "marks"
        if line_at is not None:
            if scorer.foreign(line_at):
                return
            line_at = None  # (asked once: the answer holds for every run)
        for got in _reconstruct(text, start, [head] if head else [], run, scorer):
            # A byte swallowed after the run (U+FFFD: nothing names it) was ASCII, and
            # is judged as the likeliest one, a space, not as a lost character.
            judged = got.best[:-1] + " " if run.suffix == "\ufffd" else got.best
            yield _Candidate(
                start,
                run.end,
                got.best,
                scorer.gain(text, start, run.end, judged),
                mechanism,
                run.lost + lost_before,
                shape,
                run.realigned,
                got,
                got.page_evidence(scorer),
            )


def _shows_a_character(text: str, start: int, end: int) -> bool:
    """Does the observed ``text[start:end]`` show a character out of step, beyond ASCII
    marks and lost bytes (a Han character, a letter)? ASCII marks that fall into place
    (``A3 A1`` folded to ``!``) are no evidence of their own: clean text writes them
    (``我們?!!?`` reads as ``我們。。。`` out of step). Such a run (shape ``marks``) is
    repaired only on a line where a run with evidence of its own is (:func:`fix`)."""
    return any(ch not in _LOST and not ("\x21" <= ch <= "\x3f") for ch in text[start:end])


_PERIOD: list[_Option] = [("。", 0xA1, 0xA3)]


#: What can follow the "?" of an orphaned ``A1`` (a ``。`` whose ``A3`` went into a
#: straddling fold): a folded mark the pages' decoder kept (``!?,:;)``).
_FOLDED_KEPT = frozenset(
    chr(ord(ch) - 0xFEE0) for ch in FOLDED if ord(ch) - 0xFEE0 in KEPT_AFTER_ORPHAN
)


def _narrowing_candidates(text: str, scorer: _Scorer, lost: list[int]) -> Iterator[_Candidate]:
    """The candidates of a narrowing pass; ``lost``: :func:`_lost_bytes` of ``text``."""
    narrowing = _NARROWING
    a3_chars = _candidates(None, 0xA3)
    end = 0
    for p in lost:
        if p < end:
            continue  # the "?" was the ASCII byte after the one before: ``??``
        m = _LOSS_RE.match(text, p)
        if m is None:  # (never: a lost byte is there)
            continue
        end = m.end()
        s = p
        if scorer.budget <= 0:
            return
        scorer.budget -= 1
        # (``scorer.foreign(s)`` is asked by _from_runs, before any reconstruction)
        if _dense_loss(text, s) or scorer.in_step_after(m.end()):
            continue
        if m.group(1) == "<" and tag_tail(text, m.end()):
            continue  # (a tag's own "<" after the lost byte: markup, no byte out of step)
        if m.group(1):
            # ``?`` is the orphaned lead of a character ending in A3; the ASCII byte
            # after it is the next character's lead with its high bit stripped.
            first = ord(m.group(1)) + 0x80
            drops = m.group().startswith("?")
            if drops and m.group(1) not in _FOLDED_KEPT:
                # The pages' decoder keeps only a few bytes after an orphan, and the
                # fold makes only a few: any other ("<?>", "?0") is no such damage.
                continue
            runs = _runs(
                text,
                m.end(),
                first,
                drops=drops,
                page=scorer,
            )
            # The pages folded a straddling ``A3 xx`` only where the ``A3`` ended a
            # ``。`` (see cjkfix.simulate_pages.fold_page).
            head = _PERIOD if drops else a3_chars
            yield from _from_runs(text, s, head, runs, scorer, narrowing, 1, line_at=s)
        elif (
            m.group() == "?"
            and m.end() < len(text)
            and _continues_run(text[m.end()])
            and not _ascii_around(text, p)
            and not _BARE_READING_RE.match(text, m.end())
        ):
            # ``?`` stands for the orphaned lead and the narrowed byte together: a
            # narrowed byte in 0x40..0x7E made a well-formed pair GBK does not assign.
            # (Only a decoder that writes "?" for a bad pair does that: Python's and
            # WHATWG's put U+FFFD for the lead alone and keep the ASCII byte, so a
            # U+FFFD right before a Han character is some other loss.)
            for x in _NARROWED_TRAILS:
                head = _orphans_merged_with(x)
                runs = _runs(text, m.end(), x + 0x80)
                for cand in _from_runs(text, s, head, runs, scorer, narrowing, 2, line_at=s):
                    if cand.evidence == "realigned":
                        yield cand
    # Without a "?": the orphaned lead and the narrowed byte decoded together as one
    # character whose trail is in 0x40..0x7E; look back from where the run ended.
    starts = _narrowed_trail_chars()
    for p in lost:
        if not p or not _is_cjk(text[p - 1]):
            continue
        if scorer.budget <= 0:
            return
        scorer.budget -= 1
        # (``scorer.foreign(p - 1)`` is asked by _from_runs, before any reconstruction)
        end_hint = p
        # (each place whose character is two GBK bytes, the second a narrowed one: the
        # class finds them at C speed, where a test of each character took 1.3 ms)
        for found in starts.finditer(text, max(0, end_hint - _MAX_RUN), end_hint):
            s = found.start()
            encoded = _encode(text[s])
            if not encoded or len(encoded) != 2 or encoded[1] not in _NARROWED_TRAILS:
                continue  # (never: the class holds only such characters)
            head = _candidates(encoded[0], 0xA3)
            if not head:
                continue
            runs = (r for r in _runs(text, s + 1, encoded[1] + 0x80) if s < end_hint <= r.end)
            yield from _from_runs(text, s, head, runs, scorer, narrowing, 0, line_at=p - 1)


def _dense_loss(text: str, pos: int) -> bool:
    """Lost bytes crowded together: loss, not the isolated damage of a narrowing pass."""
    window = text[max(0, pos - 3) : pos + 4]
    return window.count("?") + window.count("\ufffd") >= 4


def _continues_run(ch: str) -> bool:
    o = ord(ch)
    if 0x40 <= o <= 0x7E or ch in _LOST:
        return True
    encoded = _encode(ch) if o >= 0x80 else None
    return encoded is not None and len(encoded) == 2


def _annotation_candidates(text: str, scorer: _Scorer, lost: list[int]) -> Iterator[_Candidate]:
    """The candidates of an annotation inside a straddling pair; ``lost``: as for
    :func:`_narrowing_candidates`."""
    for p in lost:
        m = _ANNOTATED_LOSS_RE.match(text, p)
        if m is None:
            continue
        if scorer.budget <= 0:
            return
        scorer.budget -= 1
        s = m.start()
        before = text[s - 1] if s else "\x00"
        if (before.isascii() and before != ")") or before in "(（":
            continue  # the lost byte follows no character (nor a character's reading)
        if before in ")）":
            leak = _LEAK_BEFORE_RE.search(text[max(0, s - 16) : s])
            if not leak:
                continue
            before = leak.group(1)
        if scorer.foreign(s):
            continue
        reading = _READING_RE.match(text, s + 1)
        if not reading:
            continue
        prev = _encode(before)
        if not prev or len(prev) != 2:
            continue
        # The annotated pair was (trail of the previous character, lost lead byte).
        leads = _primary_first(
            [
                (ch, trail)
                for trail, ch in _by_lead_trail()[0].get(prev[1], [])
                if trail >= 0x81
                and _annotator_reading(ch, reading.group(1))
                and ch not in scorer.annotated()[1]
            ],
            reading.group(1),
        )
        for lead in leads:
            runs = _runs(
                text,
                reading.end(),
                lead,
                drops=text[s] == "?",
                page=scorer,
            )
            mechanism = "annotation inside a straddling pair"
            yield from _from_runs(text, s, [], runs, scorer, mechanism, 1, "reading")


def fix(text: str, config: Config) -> list[Edit]:
    scorer = _Scorer(text)
    best: dict[int, _Candidate] = {}
    rivals: dict[tuple[int, int], list[_Candidate]] = {}
    places = _lost_bytes(text)  # (found once for both kinds of damage)
    for cand in (
        *_narrowing_candidates(text, scorer, places),
        *_annotation_candidates(text, scorer, places),
    ):
        if (
            not cand.accepted()
            or (cand.evidence in ("realigned", "marks") and _unfolded(cand, scorer))
            or scorer.foreign(cand.start)
            or scorer.foreign(cand.end)
            or not _readable_around(text, cand.start, cand.end, scorer.lang)
        ):
            continue
        rivals.setdefault((cand.start, cand.end), []).append(cand)
        if cand.start not in best or cand.rank > best[cand.start].rank:
            best[cand.start] = cand
    for start, cand in list(best.items()):
        # The explanation with the fewest damage events (pairs hidden), among those the
        # model cannot tell apart: its disputed characters become U+FFFD, and it keeps
        # the number of characters the bytes show when a hidden pair is no surer.
        close = [
            c
            for c in rivals[start, cand.end]
            if c.rank >= cand.rank - _RIVAL_LENGTH and c.filled is not None
        ]
        if close and cand.filled is not None:
            best[start] = min(close, key=lambda c: (_hidden(c), -c.rank))
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []  # accepted spans, sorted
    for cand in sorted(best.values(), key=lambda c: (-c.gain, c.start)):
        k = bisect.bisect_left(taken, (cand.start, cand.end))
        if (k and taken[k - 1][1] > cand.start) or (k < len(taken) and taken[k][0] < cand.end):
            continue
        after = _unless_disputed(cand, rivals[cand.start, cand.end], scorer)
        lost = after.count("\ufffd")
        if lost >= 2 and lost * 2 >= len(after) and cand.evidence in ("realigned", "marks"):
            # Mostly lost, on plausibility alone: not a reading of the bytes, just other
            # damage (mojibake the first call left alone, seen again by a second call).
            # (A leaked reading or a tag is damage of this kind for sure: repaired even
            # if mostly lost, so that a second call, without the page's other readings,
            # finds nothing more.)
            continue
        taken.insert(k, (cand.start, cand.end))
        edits.append(
            Edit(
                start=cand.start,
                end=cand.end,
                after=after,
                reason=f"GBK bytes out of step after a {cand.mechanism}",
                confidence=round(1 - math.exp(-cand.gain / 4), 3),
                evidence={
                    "mechanism": cand.mechanism,
                    "language": scorer.lang,
                    "gain_nats": round(cand.gain, 2),
                    "lost_bytes_restored": cand.lost,
                    "shape": cand.evidence,
                },
            )
        )
    # (a run of ASCII marks alone is repaired only beside damage that shows itself on
    # the same line: see _shows_a_character)
    shown = {text.rfind("\n", 0, e.start) for e in edits if e.evidence["shape"] != "marks"}
    edits = [
        e for e in edits if e.evidence["shape"] != "marks" or text.rfind("\n", 0, e.start) in shown
    ]
    edits.sort(key=lambda e: e.start)
    return edits


FIXER = register(
    Fixer(
        "narrowing",
        gate=gate,
        fix=fix,
        gate_pattern=_GATE_RE.pattern,
        gate_chars="?\ufffd",
        gate_is_faster=True,
    )
)


def _unfolded(cand: _Candidate, scorer: _Scorer) -> bool:
    """Is ``cand`` a reading of full-width narrowing, on plausibility alone, in a text
    that keeps its full-width punctuation (``，`` and the rest of the fold set)? The
    pass that narrows ran over every byte of a page and left none of it: that text was
    never narrowed, and its ``?`` are other losses (``將其?曳至?一`` of a text encoded
    to Shift_JIS, whose 曳至 were read out of step as 咭分)."""
    return cand.mechanism == _NARROWING and not scorer.narrowed


def _ascii_around(text: str, p: int) -> bool:
    """Is the "?" at ``p`` inside ASCII (``(?s:``, ``search?hl=``)? A "?" for an orphaned
    lead merged with a narrowed byte, followed at once by an ASCII-range trail byte,
    restores two Han characters with ASCII on both sides: nothing for the model to
    read them with, so the repair never reaches the gain asked of one realigned
    character, and it is not searched."""
    before = text[p - 1] if p else " "
    after = text[p + 1] if p + 1 < len(text) else " "
    return before.isascii() and 0x40 <= ord(after) <= 0x7E
