"""Traditional <-> Simplified Chinese conversion with OpenCC 1.4.2's exact output.

    >>> convert("头发发展，干部干杯", "s2t")
    '頭髮發展，幹部乾杯'
    >>> convert("後來的皇后", "t2s")
    '后来的皇后'
    >>> convert("软件", "zh-TW")
    '軟件'
    >>> convert("软件", "s2twp")
    '軟體'

An OpenCC configuration is a pipeline: optional *normalization* (CJK compatibility
ideographs to their unified forms), an optional *segmentation* (maximum forward matching
over a phrase dictionary, gaps between phrases kept as one segment), then a *chain* of
conversions, each a maximum forward matching over a dictionary tree (phrases and
characters) applied to every segment on its own. This module reproduces each of those
stages; :mod:`cjkfix._convert_data` turns each dictionary tree into one flat dictionary
with the same longest-prefix answers.

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
* where only the output matters (:func:`convert`, not the edits or the segments),
  :func:`_find_fast` runs the same loop over the dictionary without its *redundant*
  phrases (those whose removal cannot change any output, see
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

from cjkfix._convert_data import (
    CONFIG_NAMES,
    SAME,
    UNPLAIN_CLASS,
    UTF32,
    ConfigTables,
    Step,
    config_tables,
)
from cjkfix.steps import Edit, Finding, splice

__all__ = [
    "CONFIGS",
    "FRIENDLY_NAMES",
    "MIN_EVIDENCE",
    "convert",
    "edits_for",
    "mixed_script_findings",
    "resolve",
]

#: OpenCC configurations :func:`convert` accepts.
CONFIGS: tuple[str, ...] = CONFIG_NAMES

#: Friendly names and the OpenCC configuration each runs. ``zh-TW`` and ``zh-HK``
#: convert the script to the regional standard character forms (``s2tw``/``s2hk``)
#: without rewording (``s2twp`` also swaps mainland vocabulary: 软件 -> 軟體); ask for
#: ``s2twp`` by name for that.
FRIENDLY_NAMES: Mapping[str, str] = {
    "zh-Hans": "t2s",
    "zh-Hant": "s2t",
    "zh-TW": "s2tw",
    "zh-HK": "s2hk",
    "zh-CN": "t2s",
}

#: ``mixed_script_findings`` reports nothing unless the text has at least this many
#: characters that exist only in one script (Simplified-only plus Traditional-only).
MIN_EVIDENCE = 4

_AUTO = "auto"
_IDS_OPERATOR = re.compile("[\u2ff0-\u2fff]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: Text without any of these (IDS operators, CJK compatibility ideographs, astral
#: characters) takes one regex scan to vouch for three things: no IDS, nothing for the
#: normalization to do (see ``Step.needs_unplain``), a BMP-only ``str.translate``.
_UNPLAIN = re.compile(UNPLAIN_CLASS)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _canonical(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"config must be a str, not {type(name).__name__}")
    if name in CONFIG_NAMES:
        return name
    config = FRIENDLY_NAMES.get(name)
    if config is None:
        lowered = {k.lower(): v for k, v in FRIENDLY_NAMES.items()}
        config = lowered.get(name.lower().replace("_", "-"))
    if config is None:
        valid = ", ".join([*CONFIG_NAMES, *FRIENDLY_NAMES, _AUTO])
        raise ValueError(f"unknown conversion {name!r}; valid names are: {valid}")
    return config


# --------------------------------------------------------------------------- matching


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


# --------------------------------------------------------------------------- public API


def convert(text: str, config: str) -> str:
    """``text`` converted by OpenCC configuration (or friendly name) ``config``.

    ``config="auto"`` converts only the minority script's characters (see
    :func:`resolve`).
    """
    if not isinstance(text, str):
        raise TypeError(f"convert() takes text (str), not {type(text).__name__}")
    if config == _AUTO:
        return splice(text, edits_for(text, _AUTO))
    name = _canonical(config)
    if not text:
        return text
    return _run(text, config_tables(name))[0]


class _Region(NamedTuple):
    a0: int  # in the input
    a1: int
    c0: int  # in the output
    c1: int
    sources: tuple[str, ...]


def _compose(regions: list[_Region], stage: _Stage) -> list[_Region]:
    """Regions (input -> stage.before) followed by the stage (before -> after)."""
    # Every stage's regions sit in stage.before coordinates: ours as outputs, its
    # matches as inputs. Overlapping ones merge; outside them both maps are 1:1.
    items: list[tuple[int, int, _Region | None, _Match | None]] = []
    for r in regions:
        items.append((r.c0, r.c1, r, None))
    for m in stage.matches:
        items.append((m[0], m[1], None, m))
    items.sort(key=lambda t: (t[0], t[1]))
    out: list[_Region] = []
    d_in = 0  # input pos - before pos, after the groups done so far
    d_out = 0  # after pos - before pos
    k = 0
    while k < len(items):
        x0, x1 = items[k][0], items[k][1]
        group = [items[k]]
        k += 1
        while k < len(items) and items[k][0] < x1:
            x1 = max(x1, items[k][1])
            group.append(items[k])
            k += 1
        g_in = 0
        g_out = 0
        sources: list[str] = []
        for _, _, region, match in group:
            if region is not None:
                g_in += (region.a1 - region.a0) - (region.c1 - region.c0)
                sources.extend(region.sources)
            if match is not None:
                start, end, value, key = match
                g_out += len(value) - (end - start)
                sources.append(stage.step.source_of(key))
        out.append(
            _Region(
                x0 + d_in,
                x1 + d_in + g_in,
                x0 + d_out,
                x1 + d_out + g_out,
                tuple(dict.fromkeys(sources)),
            )
        )
        d_in += g_in
        d_out += g_out
    return out


def _char_sources(ch: str, stages: Sequence[_Stage]) -> list[str]:
    sources: list[str] = []
    for stage in stages:
        new = stage.step.table.get(ord(ch))
        if new is not None and new != ch:
            sources.append(stage.step.source_of(ch))
            ch = new
    return sources


def _edits(text: str, config: str) -> list[Edit]:
    out, stages = _run(text, config_tables(config), trace=True)
    regions: list[_Region] = []
    for stage in stages:
        regions = _compose(regions, stage)
    edits: list[Edit] = []

    def add(a0: int, a1: int, c0: int, c1: int, sources: Sequence[str]) -> None:
        before, after = text[a0:a1], out[c0:c1]
        if before == after:
            return
        edits.append(
            Edit(
                a0,
                a1,
                after,
                f"{config}: {before} -> {after}",
                1.0,
                {"config": config, "source": "+".join(dict.fromkeys(sources))},
            )
        )

    def chars(a0: int, a1: int, c0: int) -> None:
        if text[a0:a1] == out[c0 : c0 + a1 - a0]:
            return
        run_start = -1
        run_sources: list[str] = []
        for i in range(a0, a1 + 1):
            changed = i < a1 and text[i] != out[c0 + i - a0]
            if changed:
                if run_start < 0:
                    run_start = i
                    run_sources = []
                run_sources.extend(_char_sources(text[i], stages))
            elif run_start >= 0:
                add(run_start, i, c0 + run_start - a0, c0 + i - a0, run_sources)
                run_start = -1

    a = 0
    c = 0
    for r in regions:
        chars(a, r.a0, c)
        add(r.a0, r.a1, r.c0, r.c1, r.sources)
        a, c = r.a1, r.c1
    chars(a, len(text), c)
    return edits


def edits_for(text: str, to: str) -> list[Edit]:
    """The conversion ``to`` of ``text`` as sorted, non-overlapping edits.

    Each edit covers one matched phrase or one run of changed characters, so
    ``reason`` reads like ``"s2t: 发展 -> 發展"``; ``evidence`` names the configuration
    and the OpenCC dictionaries involved. ``to="auto"`` keeps only the edits that fix
    minority-script characters (see :func:`resolve`).
    """
    if not isinstance(text, str):
        raise TypeError(f"edits_for() takes text (str), not {type(text).__name__}")
    config = resolve(to, text)
    if config is None:
        return []
    edits = _edits(text, config)
    if to == _AUTO:
        edits = _minority_edits(text, edits, config)
    return edits


# --------------------------------------------------------------------------- scripts


class _Scripts(NamedTuple):
    simplified_only: frozenset[str]
    traditional_only: frozenset[str]
    simplified_leaning: frozenset[str]
    traditional_leaning: frozenset[str]


_SCRIPTS: list[_Scripts] = []


def _scripts() -> _Scripts:
    """Character classes from OpenCC's character dictionaries.

    *Simplified-only*: a key of ``STCharacters`` that is no Traditional form of anything
    (never a value in ``STCharacters``, nor a key of ``TSCharacters``, nor a Taiwan or
    Hong Kong variant form), such as 并 or 这;
    *Traditional-only* likewise the other way round (並, 這). *Leaning* characters are
    keys whose first conversion is another character (后 -> 後): they are what a
    conversion changes, but also valid in the other script in some words (皇后).
    """
    if _SCRIPTS:
        return _SCRIPTS[0]
    from cjkfix._convert_data import read_candidates

    st = read_candidates("STCharacters.txt")
    ts = read_candidates("TSCharacters.txt")
    st_values = {v for vs in st.values() for v in vs}
    ts_values = {v for vs in ts.values() for v in vs}
    # Taiwan and Hong Kong forms (群, 吃, 台) are Traditional too, whatever s2t says.
    regional = {
        v
        for name in ("TWVariants.txt", "HKVariants.txt")
        for vs in read_candidates(name).values()
        for v in vs
    }
    s_only = frozenset(k for k in st if k not in st_values and k not in ts and k not in regional)
    t_only = frozenset(k for k in ts if k not in ts_values and k not in st)
    s_lean = frozenset(k for k, vs in st.items() if vs[0] != k)
    t_lean = frozenset(k for k, vs in ts.items() if vs[0] != k)
    _SCRIPTS.append(_Scripts(s_only, t_only, s_lean - t_lean, t_lean - s_lean))
    return _SCRIPTS[0]


def _evidence(text: str) -> tuple[int, int]:
    """(Simplified-only, Traditional-only) character counts in ``text``."""
    sc = _scripts()
    s = sum(map(sc.simplified_only.__contains__, text))
    t = sum(map(sc.traditional_only.__contains__, text))
    return s, t


def _dominant(text: str) -> tuple[str | None, int, int]:
    s, t = _evidence(text)
    if s == t:
        return None, s, t
    return ("t" if t > s else "s"), s, t


def resolve(to: str, text: str) -> str | None:
    """The OpenCC configuration to run for option ``to`` on ``text``, or ``None``.

    A configuration or friendly name resolves to its configuration (``None`` for text
    without Han characters). ``"auto"`` looks at the dominant script, counting the
    characters that exist only in Simplified or only in Traditional Chinese: mostly
    Traditional text that also has Simplified-only characters resolves to ``"s2t"``,
    mostly Simplified text with Traditional-only characters to ``"t2s"``; consistent
    text, a tie, text without Han characters and Japanese text (any kana: shinjitai
    such as 学 look Simplified) resolve to ``None``. Under ``auto``
    :func:`edits_for` then applies only the edits that convert minority-script
    characters (so a Taiwan 台 or a 皇后 in Traditional text stays as it is).

        >>> resolve("auto", "我們在這裡工作，并且之后再說")
        's2t'
        >>> resolve("auto", "我們在這裡工作") is None
        True
    """
    if not isinstance(to, str):
        raise TypeError(f"to must be a str, not {type(to).__name__}")
    if not isinstance(text, str):
        raise TypeError(f"resolve() takes text (str), not {type(text).__name__}")
    if to != _AUTO:
        config = _canonical(to)
        return config if _HAN.search(text) else None
    if not _HAN.search(text) or _KANA.search(text):
        return None  # no Han, or Japanese (where 学 and 時 sit side by side)
    dominant, _, _ = _dominant(text)
    if dominant is None:
        return None
    sc = _scripts()
    if dominant == "t":
        config, marks = "s2t", sc.simplified_only | sc.simplified_leaning
    else:
        config, marks = "t2s", sc.traditional_only | sc.traditional_leaning
    if not any(map(marks.__contains__, text)):
        return None
    if _minority_edits(text, _edits(text, config), config):
        return config
    return None


def _minority_edits(text: str, edits: list[Edit], config: str) -> list[Edit]:
    """The edits of ``config`` that convert minority-script characters.

    An edit is kept when its text has a character of the minority script that the
    conversion changes (a leaning character) and the result is not merely a regional
    variant of the original (台 -> 臺 would be undone by ``t2tw``).
    """
    sc = _scripts()
    if config == "s2t":
        lean, only = sc.simplified_leaning, sc.simplified_only
        regional: tuple[str, ...] = ("t2tw", "t2hk")
    else:
        lean, only = sc.traditional_leaning, sc.traditional_only
        regional = ()
    kept: list[Edit] = []
    for e in edits:
        before = text[e.start : e.end]
        if not any(ch in lean or ch in only for ch in before):
            continue
        if any(convert(e.after, r) == before for r in regional):
            continue
        kept.append(e)
    return kept


def mixed_script_findings(text: str) -> list[Finding]:
    """One :class:`Finding` (family ``"mixed_script"``) per minority-script run.

    Nothing for text in one script, or with fewer than :data:`MIN_EVIDENCE`
    characters that exist in only one script (too little to tell which is dominant).

        >>> [(f.start, f.text, f.suggestion) for f in mixed_script_findings(
        ...     "我們這裡的學生並且認為，之后再說吧，并且這個問題")]
        [(12, '之后', '之後'), (18, '并且', '並且')]
    """
    if not isinstance(text, str):
        raise TypeError(f"mixed_script_findings() takes text (str), not {type(text).__name__}")
    if not _HAN.search(text) or _KANA.search(text):
        return []
    dominant, s, t = _dominant(text)
    if dominant is None or s + t < MIN_EVIDENCE:
        return []
    config = "s2t" if dominant == "t" else "t2s"
    majority, minority = (t, s) if dominant == "t" else (s, t)
    share = majority / (majority + minority)
    confidence = round(min(0.95, 0.5 + 0.45 * share), 2)
    names = ("Simplified", "Traditional") if dominant == "t" else ("Traditional", "Simplified")
    findings: list[Finding] = []
    for e in _minority_edits(text, _edits(text, config), config):
        before = text[e.start : e.end]
        findings.append(
            Finding(
                family="mixed_script",
                start=e.start,
                end=e.end,
                text=before,
                confidence=confidence,
                message=f"{names[0]} {before} in {names[1]} text",
                suggestion=e.after,
            )
        )
    return findings
