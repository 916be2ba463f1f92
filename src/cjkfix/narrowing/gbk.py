"""GBK facts the narrowing search needs: every pair, by lead and by trail, the empty cells a
dropping decoder hides, and the readings an annotator wrote."""

from __future__ import annotations

import functools
import re
import unicodedata

from cjkfix import model, readings


@functools.lru_cache(maxsize=1)
def _pairs() -> dict[tuple[int, int], str]:
    """Every GBK double-byte character by its two bytes."""
    table: dict[tuple[int, int], str] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                ch = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                table[lead, trail] = ch
    return table


@functools.lru_cache(maxsize=1)
def _by_lead_trail() -> tuple[dict[int, list[tuple[int, str]]], dict[int, list[tuple[int, str]]]]:
    by_lead: dict[int, list[tuple[int, str]]] = {}
    by_trail: dict[int, list[tuple[int, str]]] = {}
    for (lead, trail), ch in _pairs().items():
        by_lead.setdefault(lead, []).append((trail, ch))
        by_trail.setdefault(trail, []).append((lead, ch))
    return by_lead, by_trail


@functools.lru_cache(maxsize=8192)
def _encode(ch: str) -> bytes | None:
    try:
        return ch.encode("gbk")
    except UnicodeEncodeError:
        return None


# Full-width punctuation and digits (GBK row A3) as the damaged pages narrowed them.
_NARROW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if not chr(c - 0xFEE0).isalpha()}


# The narrowed bytes that are valid GBK trail bytes (0x40..0x7E): only punctuation was
# narrowed, so an orphaned lead byte can only have merged with one of these.
_NARROWED_TRAILS = frozenset(b"@[\\]^_`{|}~")


@functools.lru_cache(maxsize=1)
def _narrowed_trail_chars() -> re.Pattern[str]:
    """A class of the characters whose GBK form is two bytes, the second one of
    :data:`_NARROWED_TRAILS` (where a run that began without a "?" can start): found
    by decoding every such pair and keeping what encodes back to one (the same set as
    testing every code point, checked when this was written: 1,295 characters)."""
    chars = set()
    for lead in range(0x81, 0xFF):
        for trail in _NARROWED_TRAILS:
            try:
                ch = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            encoded = _encode(ch) if len(ch) == 1 and ord(ch) >= 0x80 else None
            if encoded is not None and len(encoded) == 2 and encoded[1] in _NARROWED_TRAILS:
                chars.add(ch)
    return re.compile(f"[{re.escape(''.join(sorted(chars)))}]")


Byte = int | None  # None: a byte the decoder replaced with "?"


def _annotator_reading(ch: str, reading: str) -> bool:
    """Is ``reading`` what an annotator wrote for ``ch``? It wrote from a dictionary: a
    tone-marked reading must be one of the character's own, tone and all (``xiè`` is
    not ``蝎``, ``xiē``); a toneless or zhuyin one is compared as the ruby fixer does."""
    if unicodedata.normalize("NFD", reading).isascii():
        return readings.is_reading(ch, reading)
    entry = readings._table().get(str(ord(ch)), "")
    return unicodedata.normalize("NFC", reading) in entry.split(",")


def _primary_reading(ch: str, reading: str) -> bool:
    """Is ``reading`` the first reading of ``ch`` in the readings table? The pages'
    annotator wrote one reading per character, its first: all 490 leaked readings of
    the shared pages are (``應`` is yīng there, never yìng; ``硬`` is yìng)."""
    entry = readings._table().get(str(ord(ch)), "")
    return unicodedata.normalize("NFC", reading) == entry.split(",")[0]


def _primary_first(named: list[tuple[str, int]], reading: str) -> list[int]:
    """The bytes of the characters ``reading`` names: those whose first reading it is,
    if any, else all."""
    primary = [b for ch, b in named if _primary_reading(ch, reading)]
    return primary or [b for _, b in named]


def _named_trails(lead: int, reading: str) -> list[int]:
    """Trail bytes that make ``lead`` a character read ``reading`` (the orphaned byte
    was read as a lead, so it is 0x81 or more)."""
    named = [
        (ch, trail)
        for trail, ch in _by_lead_trail()[0].get(lead, [])
        if trail >= 0x81 and _annotator_reading(ch, reading)
    ]
    return _primary_first(named, reading)


@functools.lru_cache(maxsize=256)
def _named_chars(reading: str, lang: str) -> list[tuple[int, int]]:
    """The likeliest characters read ``reading`` that can follow a dropped pair (lead
    byte a possible second byte of one, trail byte 0x81 or more), as (lead, trail)."""
    seconds = _rejectable()[1]
    found = [
        (model.char_logprob(ch, lang), lead, trail)
        for (lead, trail), ch in _pairs().items()
        if lead in seconds and trail >= 0x81 and _annotator_reading(ch, reading)
    ]
    primary = [f for f in found if _primary_reading(_pairs()[f[1], f[2]], reading)]
    found = primary or found
    found.sort(reverse=True)
    return [(lead, trail) for _, lead, trail in found[:_NAMED_AFTER_HIDDEN]]


#: Characters tried for a lost trail named by its reading right after a hidden pair.
_NAMED_AFTER_HIDDEN = 8


_Option = tuple[str, int, int]  # a character and its two GBK bytes


def _candidates(lead: Byte, trail: Byte) -> list[_Option]:
    if lead is not None and trail is not None:
        ch = _pairs().get((lead, trail))
        return [(ch, lead, trail)] if ch else []
    by_lead, by_trail = _by_lead_trail()
    if lead is not None:
        return [(ch, lead, t) for t, ch in by_lead.get(lead, [])]
    if trail is not None:
        return [(ch, le, trail) for le, ch in by_trail.get(trail, [])]
    return []


#: How many of the most frequent GBK characters stand in for a pair whose two bytes
#: were both lost (two "?" in a row).
_COMMON = 1500


@functools.lru_cache(maxsize=4)
def _common(lang: str) -> list[_Option]:
    ranked = sorted(
        ((model.char_logprob(ch, lang), ch, lead, trail) for (lead, trail), ch in _pairs().items()),
        reverse=True,
    )
    return [(ch, lead, trail) for _, ch, lead, trail in ranked[:_COMMON]]


#: Options per unknown character kept for the beam search, the likeliest first.
_MAX_OPTIONS = 48


def _likeliest(options: list[_Option], lang: str) -> list[_Option]:
    if len(options) <= _MAX_OPTIONS:
        return options
    return _ranked(tuple(options), lang)[:_MAX_OPTIONS]


@functools.lru_cache(maxsize=4096)
def _ranked(options: tuple[_Option, ...], lang: str) -> list[_Option]:
    # Punctuation gets the model's class value here; keep it in play regardless.
    def prior(option: _Option) -> float:
        ch, lead, _ = option
        return 0.0 if 0xA1 <= lead <= 0xA9 else model.char_logprob(ch, lang)

    return sorted(options, key=prior, reverse=True)


@functools.lru_cache(maxsize=1)
def _rejectable() -> tuple[frozenset[int], frozenset[int]]:
    """First and second bytes (both 0x81 or more) of the pairs GBK does not assign."""
    pairs = _pairs()
    cells = [(x, y) for x in range(0x81, 0xFF) for y in range(0x81, 0xFF) if (x, y) not in pairs]
    return frozenset(x for x, _ in cells), frozenset(y for _, y in cells)


def _is_mark(ch: str) -> bool:
    code = _encode(ch)
    return code is not None and len(code) == 2 and 0xA1 <= code[0] <= 0xA3


@functools.lru_cache(maxsize=16)
def _orphans_merged_with(narrowed: int) -> list[_Option]:
    """Characters ending in A3 whose lead, followed by ``narrowed``, GBK does not assign."""
    return [o for o in _candidates(None, 0xA3) if (o[1], narrowed) not in _pairs()]
