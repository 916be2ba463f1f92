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
characters) applied to every segment on its own. :mod:`cjkfix._convert_data` turns each
dictionary tree into one flat dictionary with the same longest-prefix answers, and
:mod:`cjkfix._convert_match` runs the stages: the matching, how it is made fast and why
that is still exactly OpenCC's maximum forward matching. This module holds the public
API, the edits (:func:`edits_for`) and the script detection (:func:`resolve`,
:func:`mixed_script_findings`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from cjkfix._convert_data import CONFIG_NAMES, config_tables
from cjkfix._convert_match import _Match, _run, _Stage
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
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
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
