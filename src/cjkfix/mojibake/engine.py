"""The fixer: looks, the full search, the paragraph-level choices, repair and detection."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cjkfix import markup, singlebyte, utf16, western
from cjkfix._scan import finditer_among
from cjkfix.config import Config
from cjkfix.mojibake import eaten, paragraph, tails
from cjkfix.mojibake.context import _Call
from cjkfix.mojibake.gate import _engine_gate_regex, gate, has_mojibake_run
from cjkfix.mojibake.gate import places as gate_places
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.rules import applies
from cjkfix.mojibake.rules_engine import decoder_cover
from cjkfix.mojibake.search import _candidates_for
from cjkfix.mojibake.select import _describe, _Intervals, _select
from cjkfix.mojibake.tables import _DOUBLE_BYTE, _SINGLE_BYTE
from cjkfix.mojibake.verdict import _Candidate, _explained, _judge
from cjkfix.steps import Edit, Finding, splice


def would_repair(line: str) -> bool:
    """Would this fixer change ``line``? (For other fixers to stay off mojibake.)"""
    return has_mojibake_run(line) and bool(_search(line))


def _search(text: str) -> tuple[_Candidate, ...]:
    """The selected candidates for ``text``."""
    return tuple(_select(_candidates_for(text, 0)))


@dataclass
class SpanRepair:
    """The repair of one whole string (see :func:`repair_span`)."""

    after: str
    chain: list[str]
    restored: int
    lost: int


def repair_span(text: str, depth: int = 0, call: _Call | None = None) -> SpanRepair | None:
    """Repair ``text``, an inner layer of a double mojibake: the outer layer's structure
    is the evidence, so weak candidates count too."""
    cands = _select(_candidates_for(text, depth, call), inner=depth > 0)
    if not cands:
        return None
    return SpanRepair(
        splice(text, cands),
        cands[0].chain,
        sum(c.restored for c in cands),
        sum(c.lost for c in cands),
    )


def _run_edge(text: str, pos: int, step: int, limit: int) -> int:
    """Move ``pos`` outwards (``step`` -1 or 1) to the next white space, but not past
    ``limit``: a window that cuts a mojibake run may cut a character's bytes apart
    (legacy text read as Latin-1 has ASCII trail bytes inside its runs)."""
    if step < 0:
        while pos > limit and not text[pos - 1].isspace():
            pos -= 1
    else:
        while pos < limit and not text[pos].isspace():
            pos += 1
    return pos


def _look(
    text: str, call: _Call, places: list[int] | None = None
) -> tuple[bool, tuple[_Candidate, ...] | None]:
    """Is ``text`` worth a full search? Looks at windows around the gate's matches; a
    window that is the whole text is the full search, and its result is returned too.
    ``places``: where the gate's matches may start (:func:`~cjkfix.mojibake.gate.places`),
    if known."""
    regex = _engine_gate_regex()
    matches = regex.finditer(text) if places is None else finditer_among(regex, text, places)
    m0 = next(matches, None)
    if m0 is None:
        return False, None
    # (white space at the ends does not count: a paragraph reads the same with the
    # blank line after it as without)
    lo, hi = _trimmed(text)
    if hi - lo <= 4 * POLICY.look_window:
        return True, None
    done = 0
    for looks, m in enumerate(itertools.chain((m0,), matches)):
        if m.start() < done:
            continue
        if looks >= POLICY.max_looks:
            return True, None
        start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - POLICY.look_window)
        end = text.find("\n", m.end())
        end = min(len(text) if end < 0 else end, m.end() + POLICY.look_window)
        # never cut a run (a legacy pair cut at the wrong byte no longer decodes), up to
        # a limit
        start = _run_edge(text, start, -1, max(0, m.start() - POLICY.look_limit))
        end = _run_edge(text, end, 1, min(len(text), m.end() + POLICY.look_limit))
        if start <= lo and end >= hi:
            start, end = 0, len(text)  # (all of it but white space: the whole text)
        window = text[start:end]
        chosen = _select(_candidates_for(window, 0, call), text=window)
        if start == 0 and end == len(text):
            return bool(chosen), tuple(chosen)  # (the window was the whole text)
        if chosen:
            return True, None
        done = end
    return False, None


def _trimmed(text: str) -> tuple[int, int]:
    """Where ``text`` starts and ends without the white space at its ends (as
    ``str.strip`` sees it, without copying a long text twice)."""
    lo, hi = 0, len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def fix(text: str, config: Config, kept: dict[str, Any] | None = None) -> list[Edit]:
    """The repairs of ``text``; ``kept``: readings kept over the pipeline's rounds on
    one unit (see :class:`cjkfix.mojibake.context._Call`)."""
    # UTF-16 read as an 8-bit codec first: its runs are certain where they are taken
    # (cjkfix.utf16); the rest of the text is read around them
    # (the places the gate found on this very text, where the pipeline asked it first)
    shared = None if kept is None else kept.get("places")
    places = shared[1] if shared is not None and shared[0] is text else gate_places(text)
    utf16_kept = None if kept is None else kept.setdefault("utf16", {})
    wide, suspects = utf16.read(text, utf16_kept, places)
    if wide or suspects:
        return _around(text, config, wide, suspects, kept)
    return _fix(text, config, kept, places)


def _fix(
    text: str, config: Config, kept: dict[str, Any] | None = None, places: list[int] | None = None
) -> list[Edit]:
    """The repairs of ``text`` but UTF-16's; ``places``: :func:`~cjkfix.mojibake.gate.places`
    of ``text``, if known."""
    call = _Call(kept)
    worth, found = _look(text, call, places)
    if worth and found is None:
        found = tuple(_select(_candidates_for(text, 0, call), text=text))
    # A span that is valid UTF-8 under a single-byte codec is that (Turkish, Greek,
    # Latin text), not a legacy CJK encoding read as latin-1: the UTF-8 reading is left
    # to the single-byte rows below.
    found = tuple(c for c in found or () if not applies("rare_in_lossy", text[c.start : c.end], c))
    if found and all(applies("only_signs", text[c.start : c.end]) for c in found):
        found = ()  # (signs alone are no evidence; with other mojibake they are read)
    found = _utf8_over_legacy(text, found)
    found = _single_byte_lines_to_ftfy(text, found)
    found = _one_decoder(text, found)
    found = _with_eaten(text, found)
    found = _with_context(text, found)
    found = _with_lattice(text, found)
    found = tails.with_tails(text, found)
    found = tuple(c for c in found if not applies("still_mojibake", text[c.start : c.end], c))
    edits: list[Edit] = []
    reasons: dict[tuple[str, ...], str] = {}  # (a line of thousands of repairs has few chains)
    for c in found:
        before = text[c.start : c.end]
        confidence = max(0.5, min(0.99, 0.5 + c.gain / 12))
        chain = tuple(c.chain)
        reason = reasons.get(chain)
        if reason is None:
            reason = reasons[chain] = _describe(c.chain)
        edits.append(
            Edit(
                c.start,
                c.end,
                c.after,
                reason=reason,
                confidence=round(confidence, 3),
                evidence={
                    "chain": list(c.chain),
                    "language": c.lang,
                    "lost_characters": c.lost,
                    "restored_characters": c.restored,
                    "score_before": round(c.before_score, 3),
                    "score_after": round(c.after_score, 3),
                    "before": before,
                },
            )
        )
    taken = [(c.start, c.end) for c in found]
    return sorted(edits + western.edits(text, taken, places), key=lambda e: e.start)


def _with_lattice(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """Lines that show a decoder's losses read whole through the lattice
    (:func:`cjkfix.mojibake.utf8_lines.line_readings`), where that explains more of the
    line than the readings found in it."""
    from cjkfix.mojibake import utf8_lines

    dropping = _dropping(text, found)
    if not dropping and not utf8_lines.marker(text):
        return found

    out = list(found)
    for s, e, chain, got in utf8_lines.line_readings(text, dropping):
        inside = [c for c in out if c.start < e and c.end > s]
        if any(c.start < s or c.end > e for c in inside):
            continue  # (a reading reaches beyond the line's stretch)
        # (a weak reading of another chain, taken only because the paragraph shows that
        # chain elsewhere, does not stand against the line's own: alone, the line is
        # read whole; so it is inside a document)
        weak = [c for c in inside if not c.strict and tuple(c.chain) != tuple(chain)]
        held = [c for c in inside if c not in weak]
        if any(c.strict for c in held) and utf8_lines.all_lost(got.text):
            # (a reading of nothing but lost characters is no better reading than one
            # that stands on its own; one of the same chain taken only because the
            # paragraph shows it, alone not taken, does not keep it out)
            continue
        v = _judge(text[s:e], got.text, 0)
        cand = _Candidate(
            s,
            e,
            got.text,
            list(chain),
            v.gain,
            v.score_before,
            v.score_after,
            v.lang,
            got.restored,
            got.lost,
        )
        # (what the readings inside leave of the stretch, shown beyond ASCII or as a
        # lost byte, counts against them: the lattice reads the whole stretch)
        taken = _Intervals()
        for c in held:
            taken.add(c.start, c.end)
        left = sum(
            1 for k in range(s, e) if (text[k] >= "\x80" or text[k] == "?") and taken.free(k, k + 1)
        )
        if _explained([cand]) <= _explained(held) - left or _refines(text, s, e, held, got.text):
            continue
        out = [c for c in out if c not in inside] + [cand]
    return tuple(sorted(out, key=lambda c: c.start))


def _dropping(text: str, found: tuple[_Candidate, ...]) -> dict[int, set[str]]:
    """The lines (by where they start) where the engine read UTF-8 through a double-byte
    codec and left characters beyond ASCII, after its first reading, as they were, or
    lost some: each with those codecs. A decoder that dropped bytes may have made them
    (``安鍏ㄣ`` after ``不方便但``, 全 and 。 each missing a byte)."""
    out: dict[int, set[str]] = {}
    by_line = _by_line(
        text,
        (
            c
            for c in found
            if len(c.chain) == 2 and c.chain[0] == "utf-8" and c.chain[1] in _DOUBLE_BYTE
        ),
    )
    for start, cands in by_line.items():
        end = text.find("\n", start)
        cands.sort(key=lambda c: c.start)
        taken = _Intervals()
        for c in cands:
            taken.add(c.start, c.end)
        # (and characters beyond ASCII right before it, in the same run: a decoder that
        # dropped a pair broke the run's first characters out of step, ``鍖呯鍚嶄笉`` is
        # 包签名不 with ``AD BE`` gone, 名不 read and ``鍖呯`` left)
        first = cands[0].start
        while first > start and text[first - 1] >= "\x80":
            first -= 1
        left = any(
            text[k] >= "\x80" and taken.free(k, k + 1)
            for k in range(first, len(text) if end < 0 else end)
        )
        if left or any(c.lost for c in cands):
            out[start] = {c.chain[1] for c in cands}
    return out


def _refines(text: str, s: int, e: int, inside: list[_Candidate], lattice: str) -> bool:
    """Do the readings ``inside`` make of ``text[s:e]`` what the lattice read, with
    characters where it has U+FFFD (the restorer's own rules pinned them down)? Then
    they are kept. (Not piece by piece: where they leave some of the stretch as it was,
    the characters they restore are no surer than the lattice's U+FFFD; measured, they
    invent more.)"""
    pieces, last = [], s
    for c in sorted(inside, key=lambda c: c.start):
        pieces += [text[last : c.start], c.after]
        last = c.end
    done = "".join([*pieces, text[last:e]])
    return len(done) == len(lattice) and all(
        a == b or b == "\ufffd" for a, b in zip(done, lattice, strict=True)
    )


def _around(
    text: str,
    config: Config,
    wide: list[Edit],
    suspects: list[tuple[int, int]],
    kept: dict[str, Any] | None,
) -> list[Edit]:
    """``wide`` (UTF-16 runs) and the repairs of the rest of ``text``, read with the
    runs and every region that shows UTF-16 units blanked out (line ends in their
    place), and kept only off them."""
    blank = list(text)
    off = [(e.start, e.end) for e in wide] + suspects
    for a, b in off:
        blank[a:b] = "\n" * (b - a)
    rest = "".join(blank)
    others = _fix(rest, config, kept)
    off_runs = [o for o in others if not any(o.start < b and a < o.end for a, b in off)]
    return sorted(wide + off_runs, key=lambda e: e.start)


def _one_decoder(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """``found`` without the readings through another double-byte decoder than the one
    that read their line (the rule ``another_decoder``)."""
    drop: set[int] = set()
    for line in _by_line(text, found).values():
        if len(line) > 1:
            cover, runs = decoder_cover(line)
            drop.update(id(c) for c in line if applies("another_decoder", c, cover, runs))
    return tuple(c for c in found if id(c) not in drop) if drop else found


def _by_line(text: str, found: Iterable[_Candidate]) -> dict[int, list[_Candidate]]:
    """``found`` by the start of the line each starts in (one pass over the text's line
    ends, in the order of their starts)."""
    out: dict[int, list[_Candidate]] = {}
    start, end = 0, -1
    for c in sorted(found, key=lambda c: c.start):
        if end < 0 or c.start > end:
            start = text.rfind("\n", 0, c.start) + 1
            end = text.find("\n", c.start)
            end = len(text) if end < 0 else end
        out.setdefault(start, []).append(c)
    return out


def _with_context(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """``found`` and the runs it leaves that the paragraph's established chain and
    language read (:mod:`cjkfix.mojibake.paragraph`), asked last so that no reading
    made alone changes; not a span that UTF-8 through a single-byte codec explains."""
    extra = [
        c
        for c in paragraph.in_context(text, found)
        if not applies("rare_in_lossy", text[c.start : c.end], c)
        and not applies("utf8_explains", text, c)
    ]
    return tuple(sorted((*found, *extra), key=lambda c: c.start)) if extra else found


def _with_eaten(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """``found`` and the places where a decoder ate a byte (:mod:`cjkfix.mojibake.eaten`)
    outside them; inside them, those of a decoder that wrote its default character."""
    more = [
        c for c in eaten.spans(text) if all(c.end <= f.start or c.start >= f.end for f in found)
    ]
    for c in found:
        # (a reading of mojibake whose wrong decoder wrote its default character for
        # the bytes it ate: ``襍ｷ蜍・`` reads ``起勁E``)
        # (the end of the text or of its paragraph: the same alone and in a document)
        after = eaten.read_back(
            text[c.start : c.end],
            c.after,
            c.chain,
            eaten.at_end(text, c.end),
            text[c.end : c.end + markup.TAG_LOOK],
        )
        if after != c.after:
            c.lost += after.count("\ufffd") - c.after.count("\ufffd")
            c.after = after
    return tuple(sorted((*found, *more), key=lambda c: c.start)) if more else found


def _single_byte_lines_to_ftfy(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """Leave to ftfy the lines where the engine read only UTF-8 through single-byte
    codecs and ftfy's reading of the line is more complete, and the lines ftfy reads
    whole as UTF-8 through one single-byte codec."""
    by_line: dict[int, list[_Candidate]] = {}
    for c in found:
        by_line.setdefault(text.rfind("\n", 0, c.start) + 1, []).append(c)
    dropped: set[int] = set()
    for start, group in by_line.items():
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        utf8 = [c.chain[0] == "utf-8" and _SINGLE_BYTE.issuperset(c.chain[1::2]) for c in group]
        legacy = not all(utf8)
        # Legacy readings: ftfy's reading wins where it reads the whole line as UTF-8
        # through one single-byte codec and leaves nothing broken (Mac Roman's ``‚Ññ`` is
        # №, not Shift_JIS read as cp1252); a line of CJK mojibake is not UTF-8 through
        # and through.
        if legacy and western.whole_line_reading(line) is not None:
            dropped.update(id(c) for c in group)
            continue
        shifted = [c.moved(c.start - start, c.end - start) for c in group]
        if legacy:
            # (or a row ftfy does not know reads the line further than the legacy
            # readings: UTF-8 through ISO-8859-2 with cp1252's 80-9F shows runs that
            # cp1252 alone also reads, ``çš„`` beside ``čŻˇ``; GBK through cp850 shows
            # runs that cp1252 reads as EUC-KR, ``úí`` beside ``╬╥├╗``)
            if singlebyte.reads_more(line, splice(line, shifted)):
                dropped.update(id(c) for c in group)
            continue
        if western.more_complete(line, splice(line, shifted)):
            dropped.update(id(c) for c in group)
    return tuple(c for c in found if id(c) not in dropped) if dropped else found


def _utf8_over_legacy(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """Drop the legacy readings of spans that are valid UTF-8 under a single-byte codec
    (and that ftfy takes for mojibake), where UTF-8 explains at least as much of the
    span's line as the legacy readings it does not explain: ``HÄ±rsÄ±zÄ±`` is Turkish,
    not GBK, but ``Îª`` in a line of GBK read as latin-1 is 为, not Ϊ. Each line
    weighs its own spans, as it would alone (a paragraph vote left ``ÎªÖµ`` in a GBK
    line whose paragraph held lines of UTF-8 read as cp1252)."""
    legacy = [c for c in found if c.chain[0] != "utf-8" and c.chain[-1] in _SINGLE_BYTE]
    explained = {id(c) for c in legacy if applies("utf8_explains", text, c)}
    if not explained:
        return found
    ids = {id(c) for c in legacy}
    drop: set[int] = set()
    for line in _by_line(text, found).values():
        utf8 = sum(c.end - c.start for c in line if id(c) in explained or c.chain[0] == "utf-8")
        other = sum(c.end - c.start for c in line if id(c) in ids and id(c) not in explained)
        if utf8 >= other:
            drop.update(id(c) for c in line if id(c) in explained)
    return tuple(c for c in found if id(c) not in drop) if drop else found


def detect(text: str, config: Config) -> list[Finding]:
    """Report spans that look like mojibake but are too short or ambiguous to repair
    (the repaired ones are reported from the repair steps), with low confidence."""
    if not gate(text):
        return []
    cands = _candidates_for(text, 0)
    chosen = _select(list(cands))
    taken = _Intervals()
    for c in chosen:
        taken.add(c.start, c.end)
    findings: list[Finding] = []
    for c in sorted(cands, key=lambda c: (c.start, -c.gain)):
        if (
            c.strict
            or not taken.free(c.start, c.end)
            or not applies("evident", text[c.start : c.end], c)
        ):
            continue
        taken.add(c.start, c.end)
        findings.append(
            Finding(
                family="mojibake",
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                confidence=round(max(0.1, min(0.45, 0.2 + c.gain / 20)), 3),
                message=f"possibly {_describe(c.chain)}; too short or ambiguous to repair",
                suggestion=c.after,
            )
        )
    return findings
