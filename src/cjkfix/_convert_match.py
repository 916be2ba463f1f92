"""The maximum forward matching behind :mod:`cjkfix.script`: OpenCC 1.4.2's, made fast.

Each stage of an OpenCC configuration (normalization, segmentation, every conversion of
the chain) is a maximum forward matching over one flat dictionary
(:class:`cjkfix._convert_data.Step`); :func:`_run` runs a whole configuration, with a
trace of every stage when :func:`cjkfix.script.edits_for` needs one, and :func:`_run_fast`
the output alone.

How the maximum forward matching is made fast (:func:`_find_changes`, the hot loop)
without a Python step per character:

* a flat dictionary is split into single characters mapping to single characters
  (applied with :meth:`str.translate` and a list indexed by code point, in C) and
  *phrases* (every other key);
* the positions where a phrase could start are found in C: the text's UTF-32 encoding
  is read as 64-bit integers, one per pair of adjacent characters (a ``memoryview``
  cast, once at even and once at odd offsets), ``map`` tests each against the set of
  the phrases' first two characters and ``itertools.compress`` keeps the positions
  (for a dictionary with few first characters, a regex character class finds them;
  with few first and second characters, all in the BMP, a regex ``[F](?=[S])`` finds
  the positions worth testing, a bitmap test per character in ``re``);
* only at those positions does Python look up the phrase, longest key length first,
  and it keeps only the matches whose value differs from the character-by-character
  translation (about 1 in 12 on real text): the others still move the position on,
  which is all their matching does;
* where only the output matters (:func:`cjkfix.script.convert`, not the edits or the
  segments), :func:`_find_fast` runs the same loop over the dictionary without its
  *redundant* phrases (those whose removal cannot change any output, see
  :mod:`cjkfix._convert_data`): fewer start bigrams, fewer candidates (s2t: 4773 of
  49792 phrases, 6% of the candidates on running text);
* one regex scan tells plain text (no IDS, no compatibility ideograph, no astral
  character) from the rest: plain text skips the normalization and the IDS handling.

Why that is exactly maximum forward matching: the reference algorithm stands at
position ``p``, takes the longest key that is a prefix of ``text[p:]`` (or else one
character) and moves past it. Let ``q`` be the next candidate position at or after
``p``. For every ``p <= r < q`` no phrase can start at ``r`` (its first two characters
would make ``r`` a candidate), so the reference emits ``text[r]`` alone, converted by the
character table: the gap ``text[p:q]`` through :meth:`str.translate`. At ``q`` both try
the same keys longest first; on a match both move past it, and candidates inside the
match are skipped (``q < end``); on no match both emit ``text[q]`` as one character and
go on. Segment boundaries only cap the key length (a key never crosses one), and an
ideographic description sequence (IDS, ``⿰氵每``) is copied unconverted as OpenCC does.
``tests/test_convert.py`` checks this against a naive per-position implementation with
Hypothesis.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from cjkfix._convert_data import SAME, UNPLAIN_CLASS, UTF32, ConfigTables, Step

_IDS_OPERATOR = re.compile("[\u2ff0-\u2fff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: Text without any of these (IDS operators, CJK compatibility ideographs, astral
#: characters) takes one regex scan to vouch for three things: no IDS, nothing for the
#: normalization to do (see ``Step.needs_unplain``), a BMP-only ``str.translate``.
_UNPLAIN = re.compile(UNPLAIN_CLASS)

#: A phrase match: (start, end, value, key); plain tuples are the cheapest to make.
_Match = tuple[int, int, str, str]


def _ids_length(text: str, pos: int, end: int) -> int:
    """Length of the complete IDS starting at ``pos`` (before ``end``), else 0."""
    count = [0]

    def consume(p: int, depth: int) -> int:
        # -1: invalid or incomplete; else the end of the sequence
        if p >= end or depth == 0 or count[0] >= 64:
            return -1
        count[0] += 1
        cp = ord(text[p])
        if 0x2FF0 <= cp <= 0x2FFF:
            arity = 3 if cp in (0x2FF2, 0x2FF3) else 1 if cp in (0x2FFE, 0x2FFF) else 2
        else:
            return p + 1
        p += 1
        for _ in range(arity):
            p = consume(p, depth - 1)
            if p < 0:
                return -1
        return p

    stop = consume(pos, 16)
    return stop - pos if stop > 0 else 0


def _ids_spans(text: str, bounds: Sequence[int] | None) -> list[tuple[int, int]]:
    """Spans of complete IDSs, found left to right as OpenCC's scan meets them."""
    spans: list[tuple[int, int]] = []
    last = 0
    for m in _IDS_OPERATOR.finditer(text):
        pos = m.start()
        if pos < last:
            continue
        end = len(text)
        if bounds:
            k = bisect.bisect_right(bounds, pos)
            if k < len(bounds):
                end = bounds[k]
        length = _ids_length(text, pos, end)
        if length:
            spans.append((pos, pos + length))
            last = pos + length
    return spans


def _candidates(text: str, step: Step, fast: bool = False) -> list[int]:
    """Positions where a key of ``step.phrases`` could start (found in C).

    With ``fast``, of the pruned phrases (``step.fast_starts``) only, for a step without
    one-character phrases.
    """
    if not step.phrases:
        return []
    starts = step.fast_starts if fast else step.starts
    if step.pair_chars is not None and not step.single_starts:
        # Few first and second characters (all in the BMP, where ``re`` tests a class
        # with a bitmap): a regex finds the positions whose first character may start
        # a phrase and whose next may continue one, then their bigrams are tested.
        hits = list(map(_match_start, step.pair_chars.finditer(text)))
        pairs = map(text.__getitem__, map(slice, hits, map(operator.add, hits, _TWOS)))
        return list(itertools.compress(hits, map(starts.__contains__, pairs)))
    if step.first_chars is not None:
        # Few possible first characters: a regex scan finds them, then their bigrams
        # are tested (still in C: slices made by map).
        hits = list(map(_match_start, step.first_chars.finditer(text)))
        if not hits or step.single_starts:
            return hits
        pairs = map(text.__getitem__, map(slice, hits, map(operator.add, hits, _TWOS)))
        return list(itertools.compress(hits, map(starts.__contains__, pairs)))
    # Test every bigram against the set of phrase starts, as 64-bit integers read
    # straight from the UTF-32 encoding: pairs at even positions, then at odd ones.
    n = len(text)
    data = text.encode(UTF32, "surrogatepass")
    even = memoryview(data[: 8 * (n // 2)]).cast("Q")
    odd = memoryview(data[4 : 4 + 8 * ((n - 1) // 2)]).cast("Q")
    test = (step.fast_codes if fast else step.start_codes).get
    found = list(itertools.compress(range(0, n, 2), map(test, even)))
    found.extend(itertools.compress(range(1, n, 2), map(test, odd)))
    if step.single_starts:
        found.extend(
            itertools.compress(itertools.count(), map(step.single_starts.__contains__, text))
        )
        found = list(set(found))
    found.sort()
    return found


_match_start = operator.methodcaller("start")
_TWOS = itertools.repeat(2)


def _find(
    text: str,
    step: Step,
    bounds: Sequence[int] | None = None,
    spans: Sequence[tuple[int, int]] = (),
    candidates: Iterable[int] | None = None,
) -> list[_Match]:
    """Maximum forward matching of ``step.phrases`` (no key crosses a bound)."""
    if candidates is None:
        candidates = _candidates(text, step)
    if not bounds and not spans and not step.single_starts:
        return _find_simple(text, step, candidates)
    phrases = step.phrases
    starts = step.starts
    singles = step.single_starts
    n = len(text)
    matches: list[_Match] = []
    append = matches.append
    pos = 0
    b = 0
    nb = len(bounds) if bounds else 0
    limit = n
    s = 0
    ns = len(spans)
    for i in candidates:
        if i < pos:
            continue
        if ns:
            while s < ns and spans[s][1] <= i:
                s += 1
            if s < ns and spans[s][0] <= i:
                continue
        if nb:
            while b < nb and bounds[b] <= i:  # type: ignore[index]
                b += 1
            limit = bounds[b] if b < nb else n  # type: ignore[index]
        lengths = starts.get(text[i : i + 2], ())
        if singles and text[i] in singles:
            lengths = (*lengths, 1)
        for length in lengths:
            j = i + length
            if j > limit:
                continue
            key = text[i:j]
            value = phrases.get(key)
            if value is not None:
                append((i, j, value, key))
                pos = j
                break
    return matches


def _find_simple(text: str, step: Step, candidates: Iterable[int]) -> list[_Match]:
    """:func:`_find` without bounds, IDS spans or one-character phrases."""
    phrases = step.phrases
    get_lengths = step.starts.get
    n = len(text)
    matches: list[_Match] = []
    append = matches.append
    pos = 0
    for i in candidates:
        if i < pos:
            continue
        for length in get_lengths(text[i : i + 2], ()):
            j = i + length
            if j > n:
                continue
            key = text[i:j]
            value = phrases.get(key)
            if value is not None:
                append((i, j, value, key))
                pos = j
                break
    return matches


def _find_fast(text: str, step: Step) -> list[_Match]:
    """The matches of ``step`` that change text, found with its pruned tables.

    For a step without one-character phrases, bounds or IDS. The matches are not
    :func:`_find_changes`' (a pruned phrase no longer matches), but they make the same
    text: maximum forward matching without the pruned phrases gives the same output
    (module doc of :mod:`cjkfix._convert_data`), and the loop is :func:`_find_changes`'.
    """
    return _scan(text, _candidates(text, step, fast=True), step.fast_marked, step.fast_starts)


def _find_changes(
    text: str, step: Step, candidates: Iterable[int], cuts: list[int] | None
) -> list[_Match]:
    """The hot loop: :func:`_find_simple`, keeping only the matches that change text.

    A phrase whose value is its key translated character by character still matches
    (and so keeps overlapping phrases out) but is left to :meth:`str.translate`. With
    ``cuts``, every match's start and end are appended to it (segment boundaries).
    """
    get = step.marked.get
    get_lengths = step.starts.get
    same = SAME
    n = len(text)
    matches: list[_Match] = []
    append = matches.append
    pos = 0
    if cuts is not None:
        cut = cuts.append
        for i in candidates:
            if i < pos:
                continue
            for length in get_lengths(text[i : i + 2], ()):
                j = i + length
                if j > n:
                    continue
                value = get(text[i:j])
                if value is not None:
                    pos = j
                    cut(i)
                    cut(j)
                    if value is not same:
                        append((i, j, value, ""))
                    break
        return matches
    return _scan(text, candidates, step.marked, step.starts)


def _scan(
    text: str,
    candidates: Iterable[int],
    marked: Mapping[str, str],
    starts: Mapping[str, tuple[int, ...]],
) -> list[_Match]:
    """Maximum forward matching at ``candidates``, keeping the matches that change text."""
    get = marked.get
    get_lengths = starts.get
    same = SAME
    n = len(text)
    matches: list[_Match] = []
    append = matches.append
    pos = 0
    for i in candidates:
        if i < pos:
            continue
        for length in get_lengths(text[i : i + 2], ()):
            j = i + length
            if j > n:
                continue
            value = get(text[i:j])
            if value is not None:
                pos = j
                if value is not same:
                    append((i, j, value, ""))
                break
    return matches


def _translate(text: str, step: Step, bmp: bool = False) -> str:
    """``text`` with every character of ``step.table`` replaced (one for one).

    ``bmp``: the caller knows that ``text`` has no astral character.
    """
    if step.table_chars is not None:
        # A small table (variants, compatibility ideographs) hits few places, if any.
        table = step.table
        return step.table_chars.sub(lambda m: table[ord(m.group())], text)
    if bmp or _ASTRAL.search(text) is None:
        return text.translate(step.bmp_table)  # a list lookup beats a dict's
    return text.translate(step.table)


def _apply(
    text: str,
    step: Step,
    matches: Sequence[_Match],
    spans: Sequence[tuple[int, int]] = (),
    bmp: bool = False,
) -> str:
    # (no IDS span can hold a match: keys have no IDS operator, and candidates inside
    # a span are skipped)
    """``text`` with ``matches`` replaced and every other character translated."""
    if spans:
        # IDS spans are copied as they are: a match onto itself. The table maps one
        # character to one, so translating the whole text keeps every position.
        ids = ((a, b, text[a:b], text[a:b]) for a, b in spans)
        matches = sorted([*matches, *ids])
    translated = _translate(text, step, bmp)
    if not matches:
        return translated
    pieces: list[str] = []
    append = pieces.append
    last = 0
    for start, end, value, _ in matches:
        append(translated[last:start])
        append(value)
        last = end
    append(translated[last:])
    return "".join(pieces)


def _map_bounds(bounds: Sequence[int], matches: Sequence[_Match]) -> list[int]:
    """Positions ``bounds`` (never inside a match) in the text after ``matches``."""
    out: list[int] = []
    delta = 0
    k = 0
    nm = len(matches)
    for pos in bounds:
        while k < nm and matches[k][1] <= pos:
            start, end, value, _ = matches[k]
            delta += len(value) - (end - start)
            k += 1
        out.append(pos + delta)
    return out


def _edges(matches: Sequence[_Match], length: int) -> list[int]:
    """The segment boundaries inside a text of ``length`` segmented by ``matches``."""
    edges = {m[0] for m in matches}
    edges.update(m[1] for m in matches)
    edges.discard(0)
    edges.discard(length)
    return sorted(edges)


def _growth(pending: Sequence[Sequence[_Match]]) -> int:
    return sum(len(m[2]) - (m[1] - m[0]) for done in pending for m in done)


class _Stage(NamedTuple):
    step: Step
    before: str
    after: str
    matches: list[_Match]


def _run(text: str, tables: ConfigTables, *, trace: bool = False) -> tuple[str, list[_Stage]]:
    """Run configuration ``tables`` on ``text``; with ``trace``, record every stage."""
    if not trace and _UNPLAIN.search(text) is None:
        return _run_fast(text, tables, plain=True), []
    has_ids = _IDS_OPERATOR.search(text) is not None
    if not trace and not has_ids:
        return _run_fast(text, tables), []
    stages: list[_Stage] = []
    for step in tables.normalization:
        spans = _ids_spans(text, None) if has_ids else []
        matches = _find(text, step, None, spans) if step.phrases else []
        new = _apply(text, step, matches, spans)
        stages.append(_Stage(step, text, new, matches))
        text = new
    bounds: list[int] | None = None
    if tables.segmentation is not None:
        spans = _ids_spans(text, None) if has_ids else []
        bounds = _edges(_find(text, tables.segmentation, None, spans), len(text))
    for step in tables.chain:
        spans = _ids_spans(text, bounds) if has_ids else []
        matches = _find(text, step, bounds, spans) if step.phrases else []
        new = _apply(text, step, matches, spans)
        stages.append(_Stage(step, text, new, matches))
        if bounds and matches:
            bounds = _map_bounds(bounds, matches)
        text = new
    return text, stages


def _run_fast(text: str, tables: ConfigTables, plain: bool = False) -> str:
    """:func:`_run` without a trace, for text without IDS: the same output, faster.

    ``plain``: ``text`` has no character of :data:`_UNPLAIN` (so no astral one, until a
    step puts one in).
    """
    for step in tables.normalization:
        if plain and step.needs_unplain:
            continue  # every key has a character that plain text lacks
        text = _apply(text, step, _find(text, step) if step.phrases else [])
    # Segment boundaries (positions in the current text), computed when a step needs
    # them: most later steps (variants) find no phrase candidate at all.
    bounds: list[int] | None = None
    cuts: list[int] = []
    segmented = tables.segmentation is not None
    first: list[_Match] | None = None
    # With ``seg_text``, the segmentation (the first step's matches) is still to be
    # found in ``seg_text``, when a later step needs the boundaries: the first step
    # ran with its pruned tables, whose matches are not the segments.
    seg_text: str | None = None
    if tables.segmentation is not None:
        if tables.segmentation.single_starts:
            raise ValueError(f"{tables.name}: one-character keys in the segmentation")
        if tables.seg_is_first and _rarely_segmented(tables):
            seg_text = text
            first = _find_fast(text, tables.chain[0])
        elif tables.seg_is_first:
            step = tables.chain[0]
            first = _find_changes(text, step, _candidates(text, step), cuts)
        else:
            seg = tables.segmentation
            _find_changes(text, seg, _candidates(text, seg), cuts)
    pending: list[list[_Match]] = []  # matches not yet applied to ``bounds``
    for k, step in enumerate(tables.chain):
        if first is not None and k == 0:
            matches = first
        elif not segmented and not step.single_starts and step.start_codes:
            matches = _find_fast(text, step)
        else:
            candidates = _candidates(text, step)
            matches = []
            if candidates and segmented:
                if seg_text is not None:
                    seg = tables.chain[0]
                    _find_changes(seg_text, seg, _candidates(seg_text, seg), cuts)
                    seg_text = None
                if bounds is None:
                    bounds = _edges_from_cuts(cuts, len(text) - _growth(pending))
                for done in pending:
                    bounds = _map_bounds(bounds, done)
                pending = []
                matches = _find(text, step, bounds, (), candidates)
            elif candidates and not step.single_starts:
                matches = _find_changes(text, step, candidates, None)
            elif candidates:
                matches = _find(text, step, None, (), candidates)
        if segmented and matches and not step.keeps_length:
            pending.append(matches)
        text = _apply(text, step, matches, (), plain)
        plain = plain and not step.makes_astral
    return text


def _rarely_segmented(tables: ConfigTables) -> bool:
    """Whether the later steps have few phrase starts (so rarely need the segments)."""
    return all(s.first_chars is not None for s in tables.chain[1:] if s.phrases)


def _edges_from_cuts(cuts: list[int], length: int) -> list[int]:
    edges = list(dict.fromkeys(cuts))  # sorted already: matches come in text order
    if edges and edges[0] == 0:
        del edges[0]
    if edges and edges[-1] == length:
        del edges[-1]
    return edges
