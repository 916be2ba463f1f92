"""The gate: one regex, generated from the codec tables, that every text worth a search
passes (False whenever the fixer would change nothing); and the run regexes of each
wrong codec.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from cjkfix import codecs as cc
from cjkfix.mojibake.tables import _LEGACY_PAIRS, _PY_CODECS

_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"


_HIGH = "\x80-\xff" + _CP1252_SPECIALS + "\ufffd"


def _gate_branches() -> list[tuple[str, str]]:
    """The gate's rules (see ``tools/build_mojibake_gate.py``) as (first character's
    class, rest of the match): runs of characters that mojibake is made of, not single
    characters that happen to be rare. From the generated classes; no character model."""
    from cjkfix import _mojibake_gate as g

    out: list[tuple[str, str]] = []
    for key in ("GBK", "BIG5", "SHIFT_JIS", "EUC_KR", "EUC_JP"):
        rare = getattr(g, f"{key}_RARE_LEAD")
        nxt = getattr(g, f"{key}_NEXT")
        cont_lead, cont_cont = getattr(g, f"{key}_CONT_LEAD"), getattr(g, f"{key}_CONT_CONT")
        # a rare lead character and what the wrong codec made of the following bytes
        out.append((rare, f"(?:[{nxt}]|[\ufffd?\n]|$)"))
        if key in ("GBK", "BIG5"):  # in the others, lead+continuation rows are everyday
            # kanji and hanja (Shift_JIS has its own rule: half-width katakana)
            # three characters in a row as UTF-8 falls apart under the wrong codec
            out.append((getattr(g, f"{key}_TRI_LEAD"), f"[{cont_lead}][{cont_cont}]"))
            # four in a row, common ones too (clean text almost never falls into this
            # exact sequence of byte classes; mojibake of common characters does)
            lead = getattr(g, f"{key}_LEAD")
            out.append((lead, f"[{cont_lead}][{cont_cont}][{lead}]"))
    # Shift_JIS: a kanji, then a continuation byte read as a half-width katakana
    # (the rare half-width character comes first: fewer places for the scan to stop)
    out.append((_HALFWIDTH, f"(?<=[{g.SHIFT_JIS_LEAD}].)"))
    # Latin-1/cp1252: two high characters side by side of which one is a Latin-1 letter
    # or sign (not "……"), or three around ASCII trail bytes (not "déjà")
    out.append((_LATIN1, f"[{_HIGH}]|[\x40-\x7e][{_HIGH}][\x40-\x7e]?[{_HIGH}]"))
    out.append((_LATIN1, f"(?<=[{_HIGH}].)"))
    out.append((_LATIN1, f"(?<=[{_HIGH}][\x40-\x7e].)[\x40-\x7e]?[{_HIGH}]"))
    out.append((_SJIS_LEADS, f"[\x40-\x7e]?[{_SJIS_LEADS}]"))
    out.append(("\ufffd", ""))
    out.append(("锟", "斤拷"))
    for original, wrong in _LEGACY_PAIRS:
        name = f"LEGACY_{original.upper()}_AS_{wrong.upper()}"
        other, letters = getattr(g, f"{name}_OTHER"), getattr(g, f"{name}_LETTERS")
        # two within three, not both letters (bopomofo, Greek and Cyrillic come in runs);
        # none where the pair makes nothing rare of common characters (Shift_JIS read as
        # Big5 loses most bytes: U+FFFD is its evidence)
        if other:
            out.append((other, f"[^\x00-\x7f]{{0,2}}[{other}{letters}]"))
        around = getattr(g, f"{name}_AROUND_ASCII")
        if around and cc.shows_trail_alone(original, wrong):
            # or two around an ASCII trail byte (Big5 read as Shift_JIS: ``ｳ]ｩw``)
            out.append((around, f"[\x40-\x7e][{around}]"))
        if letters and other:
            out.append((letters, f"[^\x00-\x7f]{{0,2}}[{other}]"))
    return out


def _gate_pattern(branches: list[tuple[str, str]]) -> str:
    """One regex that starts with a single character class (``re`` then skips to the
    next candidate character at C speed); a lookbehind picks each rule's branch."""
    first = "".join(body for body, _rest in branches)
    alternatives = "|".join(f"(?<=[{body}])(?:{rest})" for body, rest in branches)
    return f"[{first}](?:{alternatives})"


def _gate_chars(branches: list[tuple[str, str]]) -> str:
    """Characters of which one is in every text the gate passes: each rule's first."""
    chars: set[str] = set()
    for body, _rest in branches:
        chars.update(_expand(body))
    return "".join(sorted(chars))


def _expand(body: str) -> Iterator[str]:
    """The characters of a regex class body made of characters and ranges."""
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            yield from map(chr, range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            yield body[i]
            i += 1


_LATIN1 = "\xa0-\xff"


# cp1252's view of Shift_JIS lead bytes 81-9F that are not everyday punctuation.
_SJIS_LEADS = "‚ƒ„ˆ‰Š‹ŒŽ˜™š›œžŸ\x81-\x9f"


_HALFWIDTH = "\uff61-\uff7f"  # what cp932 makes of the bytes A1-BF on their own


def _mojibake_lead_chars(codec: str | None = None) -> str:
    """Characters a wrong codec makes of a UTF-8 lead byte E2-EF and a continuation byte."""
    chars: set[str] = set()
    names = _PY_CODECS[codec] if codec else [n for v in _PY_CODECS.values() for n in v]
    for name in names:
        for lead in range(0xE2, 0xF0):
            for trail in range(0x80, 0xC0):
                try:
                    ch = bytes([lead, trail]).decode(name)
                except UnicodeDecodeError:
                    continue
                if len(ch) == 1:
                    chars.add(ch)
    return "".join(sorted(chars))


@functools.cache
def _codec_regex(codec: str) -> re.Pattern[str]:
    """Does a run hold anything utf-8-as-``codec`` mojibake is made of?"""
    # (not U+FFFD alone: a run of lost bytes and characters no UTF-8 lead byte makes,
    # ``\ufffd好``, has no UTF-8 character to read back; scanning such junk byte by
    # byte cost seconds per 100 kB)
    return re.compile(f"[{re.escape(_mojibake_lead_chars(codec))}]")


@functools.lru_cache(maxsize=1)
def _engine_branches() -> tuple[tuple[str, str], ...]:
    return tuple(_gate_branches())


@functools.lru_cache(maxsize=1)
def _branches() -> tuple[tuple[str, str], ...]:
    """The fixer's gate: the CJK engine's rules, the single-byte rows' (western.py) and
    those of the bytes a decoder ate (eaten.py)."""
    from cjkfix import western
    from cjkfix.mojibake import eaten

    return _engine_branches() + tuple(western.gate_branches()) + tuple(eaten.gate_branches())


@functools.lru_cache(maxsize=1)
def gate_pattern() -> str:
    """The gate as one regex (generated from the codec tables on first need)."""
    return _gate_pattern(list(_branches()))


@functools.lru_cache(maxsize=1)
def gate_chars() -> str:
    return _gate_chars(list(_branches()))


@functools.lru_cache(maxsize=1)
def _gate_regex() -> re.Pattern[str]:
    return re.compile(gate_pattern())


@functools.lru_cache(maxsize=1)
def _engine_gate_regex() -> re.Pattern[str]:
    return re.compile(_gate_pattern(list(_engine_branches())))


@functools.lru_cache(maxsize=1)
def _runs_regex() -> re.Pattern[str]:
    markers = ("\ufffd", "锟")  # (the rules a lone U+FFFD or 锟斤拷 passes)
    return re.compile(_gate_pattern([b for b in _engine_branches() if b[0] not in markers]))


def has_mojibake_run(text: str) -> bool:
    """Does ``text`` hold a run of what CJK mojibake is made of (the gate's rules, less
    the ones a lone U+FFFD or ``锟斤拷`` passes)? Other fixers use it to stay away from
    mojibake's lost bytes."""
    return _runs_regex().search(text) is not None


def gate(text: str) -> bool:
    """Cheap test: False whenever :func:`fix` would change nothing."""
    return _gate_regex().search(text) is not None


@functools.lru_cache(maxsize=1)
def _starts() -> re.Pattern[str]:
    """The characters a match starts with of the engine's rules, the single-byte rows'
    (:mod:`cjkfix.western`) and the UTF-16 rules (:mod:`cjkfix.utf16`): a class (not
    the eaten bytes' ``E``, common in text, whose rule the gate searches for at C speed)."""
    from cjkfix import utf16, western

    bodies = [body for body, _rest in (*_engine_branches(), *western.gate_branches())]
    # (an alternation of classes is parsed as one class)
    return re.compile("|".join([utf16.starts().pattern, *(f"[{b}]" for b in bodies)]))


def places(text: str) -> list[int]:
    """Where ``text`` holds a character of :func:`_starts`, found in one scan: the gate
    (:func:`gate_at`), the UTF-16 rules, the engine's windows and the single-byte rows'
    lines are each tried only there (:func:`~cjkfix._scan.finditer_among`), where each
    scanned the whole text (the scans were half the time the fixer took on a clean
    paragraph)."""
    return [m.start() for m in _starts().finditer(text)]


@functools.lru_cache(maxsize=1)
def _eaten_gate_regex() -> re.Pattern[str]:
    from cjkfix.mojibake import eaten

    return re.compile(_gate_pattern(list(eaten.gate_branches())))


def gate_at(text: str, found: list[int]) -> bool:
    """:func:`gate`, given :func:`places` of ``text``: a match of the gate's rules starts
    at one of them, or is one of the eaten bytes' (the only rules whose first character
    is not of :func:`_starts`)."""
    regex = _gate_regex()
    return (
        any(regex.match(text, p) is not None for p in found)
        or _eaten_gate_regex().search(text) is not None
    )
