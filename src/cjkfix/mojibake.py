"""Mojibake: bytes in encoding A decoded as encoding B (possibly twice), span by span.

    >>> from cjkfix import repair
    >>> repair("浣犲ソ锛屼笘鐣屻€?")  # utf-8 decoded as gbk (cp936 shows 0x80 as €)
    '你好，世界。'
    >>> repair("标题：鍙戝竷鏂扮増鏈? ok")  # a span in clean text, one byte lost
    '标题：发布新版本 ok'
    >>> repair("ÖÐÎÄ×Ö·û")  # gbk decoded as latin-1
    '中文字符'
    >>> repair("café, naïve, Straße")  # good text stays
    'café, naïve, Straße'

How it works (see the README, "The fixers"):

1. Gate: one precompiled regex scan (character classes generated from the codecs by
   ``tools/build_mojibake_gate.py``; no character model is loaded) for *runs* of what
   mojibake is made of: a rare character a UTF-8 lead byte turns into followed by what
   the next bytes turn into, three characters in a row as UTF-8 falls apart, Latin-1
   high characters side by side, U+FFFD, two mis-decoded characters of a legacy pair.
   A long text is then looked at around the matches (up to the next white space) before
   it is searched as a whole.
2. Runs: maximal runs of non-ASCII characters (plus ``?`` beside them) that the wrong
   codec can re-encode. A run that is wholly the codec's view of valid UTF-8 is decoded
   at C speed. Otherwise it is turned back into bytes one character at a time; U+FFFD
   and suspicious ``?`` become *holes* (unknown bytes): one byte each (Python's
   decoders), or a pair before a non-ASCII character (WHATWG's); both readings are tried.
3. Decoding: for UTF-8 originals a permissive UTF-8 parser walks the bytes, fills holes
   from UTF-8's structure, looks for bytes dropped without a trace (a last or middle
   byte missing where the structure breaks) and marks bytes that cannot be UTF-8; the
   run is cut at those, so mojibake inside clean text is found as its own span. Legacy
   originals (GBK, Big5, Shift_JIS, EUC-KR, EUC-JP read as latin-1/cp1252, or as each
   other) are decoded directly, and must read well throughout; legacy bytes read by a
   UTF-8 decoder that falls back to Latin-1 are read back by :mod:`cjkfix.fallback`.
   In legacy pairs a hole is a byte the wrong decoder rejected, or (WHATWG) two bytes,
   which may end one character and start the next; a WHATWG GBK decoder's private-use
   characters are GBK's user-defined rows. Shift_JIS read as cp1252 by a decoder that
   drops what it cannot map gets the dropped bytes back where the text shows such a
   decoder.
4. Lost bytes: each unknown character is enumerated (the bytes that fit and that the
   wrong decoder would have rejected there) and ranked with the character model in
   context; the best is kept only at a posterior of 0.9 (0.95 with two unknown bytes;
   near-certain where most bytes are lost: UTF-8 read as Big5/EUC, or characters
   alone), otherwise one U+FFFD stands for it. Work is bounded per call (:class:`_Call`
   holds the budget and the readings already made; no module state).
5. Decision, per paragraph (the pipeline's unit): the text's dominant chain (a reading
   two chains give alike counts for both) is preferred where chains compete; a
   candidate replaces the span only when the model says it is much more
   likely (per character) than the span as it stands; short spans need overwhelming
   evidence (and may not bring kana into Chinese text, or end in a letter glued to
   the CJK text after it); a heavily damaged span is *salvaged* (what survived plus
   U+FFFD) when what survived reads as text. A structurally perfect candidate that is
   still not fluent is tried once more (double mojibake). The pipeline runs this fixer
   again while it changes something, so that repairs are idempotent.
6. Other scripts: a span whose bytes are valid UTF-8 under a single-byte codec, and
   that ftfy takes for mojibake, is not read as a legacy CJK encoding where UTF-8
   explains as much of the paragraph; lines the engine leaves, lines ftfy reads whole
   as UTF-8 through one codec, and lines where ftfy reads UTF-8-through-single-byte
   further than the engine did, get ftfy's repair (:mod:`cjkfix.western`).
"""

from __future__ import annotations

import bisect
import codecs
import copy
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from typing import Any

from cjkfix import codecs as cc
from cjkfix import fallback, western
from cjkfix._lazyre import LazyRegex
from cjkfix.config import Config
from cjkfix.registry import Fixer, register
from cjkfix.steps import Edit, Finding, splice

__all__ = ["FIXER", "detect", "fix", "gate", "repair_span"]

HOLE = -1  # U+FFFD: unknown byte(s)
HOLE2 = -3  # the second byte of a pair a WHATWG decoder replaced by one U+FFFD
QMARK = -2  # "?": a literal question mark, or a byte a Windows/PHP decoder lost

# Characters likelier than this (log-probability) are left out of the gate's class.
GATE_COMMON = -9.0
# A character that may be a lead of UTF-8 bytes whose last byte was silently dropped is
# taken for mojibake on its own only when rarer than this (``鏈`` is, ``陣`` is not).
LONE_RARE = -11.0
# Minimum gain in average log-probability per character for a repair.
MIN_GAIN = 3.0
# Minimum fluency (average log-probability per character) of a repair.
MIN_FLUENCY = -9.0
# A bigger gain allows a less fluent result (dialect words the model lacks).
STRONG_GAIN = 5.0
LOW_FLUENCY = -11.5
# Total gain per character that makes a repair worth it even when the per-character gain
# is small (three cp1252 characters per Han character on the broken side).
TOTAL_GAIN_PER_CHAR = 3.0
# A run of this many undamaged multi-byte UTF-8 characters needs only a small gain.
STRUCTURED_CHARS = 4
STRUCTURED_MIN_GAIN = 1.0
STRUCTURED_MIN_FLUENCY = -14.0
# Per-character gain (may be slightly negative: three Latin-1 characters are each
# likelier than a rare Hangul syllable) for a short span judged by its total gain.
RELAXED_TOTAL_MIN_GAIN = -1.5
# Fluency a short span glued to a Latin word needs to be repaired in context.
GLUED_MIN_FLUENCY = -7.0
# Gain needed for a short span when the same chain was repaired elsewhere in the text.
RELAXED_MIN_GAIN = 1.5
# Stricter values for short repairs (fewer than SHORT non-ASCII characters).
SHORT = 3
SHORT_MIN_GAIN = 6.0
SHORT_MIN_FLUENCY = -7.5
# A lost character is restored when its best candidate has at least this posterior.
RESTORE_POSTERIOR = 0.35
# ... per language: measured on the development corpus (UTF-8 read as GBK and Shift_JIS,
# Python's and "?" decoders), the lowest threshold at which wrong guesses stay rare; the
# word lists behind the model know Japanese particles and Korean syllables across word
# boundaries poorly (``の`` against ``は``, ``가`` against ``각``), so those languages
# restore less and keep more U+FFFD.
RESTORE_POSTERIOR_BY_LANG = {"zh-Hans": 0.9, "zh-Hant": 0.9, "ja": 0.9, "ko": 0.9}
# ... and in a span that lost bytes all over, where neighbours are often lost as well.
SALVAGE_POSTERIOR = 0.9
# UTF-8 read as Big5, EUC-JP or EUC-KR loses a byte in most characters (their trail
# bytes start at A1, UTF-8's continuation bytes end at BF): the model's context is mostly
# lost too, and measured guesses were wrong as often as right. Only a near-certain
# character is restored there.
LOSSY_CODECS = frozenset({"big5", "euc-jp", "euc-kr"})
LOSSY_POSTERIOR = 0.9
# Sentence-final punctuation is likelier at the end of a run or before a space.
_FINAL = "。！？」』）：…"
_FINAL_BONUS = 1.0
# ... and a line hardly ends on a comma; after a question particle comes a question mark.
_NOT_FINAL = "，、"
_NOT_FINAL_PENALTY = 3.0
_QUESTION_PARTICLES = "吗嗎呢麼么"
_NOT_INITIAL = "、，。：；！？）」』】〉》"
_QUESTION_BONUS = 2.0
_SIBLING = {"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}
MAX_CANDIDATES = 4096
# At most this many candidates (the most frequent) are scored in context.
MAX_SCORED = 64
# Runs longer than this are cut into pieces (keeps the work linear and bounded).
MAX_RUN = 2000

_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_HIGH = "\x80-\xff" + _CP1252_SPECIALS + "\ufffd"

# Runs for the double-byte wrong codecs: non-ASCII characters, with "?" beside them.
# (Each starts at a non-ASCII character, so that no run of "?" makes the scan quadratic;
# up to three "?" before it are added by :func:`_with_leading_qmarks`.)
_RUN = LazyRegex(r"[^\x00-\x7f](?:\?*[^\x00-\x7f])*\?*")
# Runs for cp1252/latin-1: high characters, each possibly followed by the ASCII trail
# byte of a double-byte character (or a "?" standing for a lost byte).
_LATIN_RUN = LazyRegex(f"[{_HIGH}][\\x40-\\x7e]?(?:\\?[\\x40-\\x7e]?|[{_HIGH}][\\x40-\\x7e]?)*")

# Runs for double-byte text read with another double-byte codec: non-ASCII characters
# and the ASCII trail bytes between them (split at spaces and line ends).
_LEGACY_RUN = LazyRegex(
    r"[^\x00-\x7f](?:[^\x00-\x7f]|\?|[\x40-\x7e](?=[^\x00-\x7f]))*"
    r"(?:(?<=[\ufffd?])[\x40-\x7e](?![0-9A-Za-z]))?"
)


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
        # two within three, not both letters (bopomofo, Greek and Cyrillic come in runs)
        out.append((other, f"[^\x00-\x7f]{{0,2}}[{other}{letters}]"))
        if letters:
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
#: (original, wrong) pairs of double-byte codecs, and their Python codecs.
_LEGACY_PAIRS = (("gbk", "big5"), ("big5", "gbk"), ("shift_jis", "gbk"), ("gbk", "shift_jis"))

_PY_CODECS = cc.GATE_CODECS
_codec_res: dict[str, re.Pattern[str]] = {}


def _mojibake_lead_chars(codec: str | None = None) -> str:
    """Characters a wrong codec makes of a UTF-8 lead byte E3-EF and a continuation byte."""
    chars: set[str] = set()
    names = _PY_CODECS[codec] if codec else [n for v in _PY_CODECS.values() for n in v]
    for name in names:
        for lead in range(0xE3, 0xF0):
            for trail in range(0x80, 0xC0):
                try:
                    ch = bytes([lead, trail]).decode(name)
                except UnicodeDecodeError:
                    continue
                if len(ch) == 1:
                    chars.add(ch)
    return "".join(sorted(chars))


def _codec_regex(codec: str) -> re.Pattern[str]:
    """Does a run hold anything utf-8-as-``codec`` mojibake is made of?"""
    pattern = _codec_res.get(codec)
    if pattern is None:
        # (not U+FFFD alone: a run of lost bytes and characters no UTF-8 lead byte
        # makes, ``\ufffd好``, has no UTF-8 character to read back; scanning such junk
        # byte by byte cost seconds per 100 kB)
        pattern = re.compile(f"[{re.escape(_mojibake_lead_chars(codec))}]")
        _codec_res[codec] = pattern
    return pattern


@functools.lru_cache(maxsize=1)
def _engine_branches() -> tuple[tuple[str, str], ...]:
    return tuple(_gate_branches())


@functools.lru_cache(maxsize=1)
def _branches() -> tuple[tuple[str, str], ...]:
    """The fixer's gate: the CJK engine's rules and the single-byte rows' (western.py)."""
    return _engine_branches() + tuple(western.gate_branches())


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


def would_repair(line: str) -> bool:
    """Would this fixer change ``line``? (For other fixers to stay off mojibake.)"""
    return has_mojibake_run(line) and bool(_search(line))


def _search(text: str) -> tuple[_Candidate, ...]:
    """The selected candidates for ``text``."""
    return tuple(_select(_candidates_for(text, 0)))


def gate(text: str) -> bool:
    """Cheap test: False whenever :func:`fix` would change nothing."""
    return _gate_regex().search(text) is not None


# --------------------------------------------------------------------------- parsing


@dataclass
class _Unit:
    """One decoded character (or a lost one) and where its bytes came from."""

    kind: str  # "ascii", "good", "restored", "lost", "bad"
    text: str
    t0: int  # first token
    t1: int  # one past the last token
    pattern: list[int] = field(default_factory=list)  # bytes, -1 for unknown
    # For each unknown byte that stands alone for one U+FFFD: (pattern index, token index).
    single: list[tuple[int, int]] = field(default_factory=list)
    # Other (pattern, single) readings of the same bytes (a dropped middle byte).
    alts: list[tuple[list[int], list[tuple[int, int]]]] = field(default_factory=list)


def _cont(b: int) -> bool:
    return 0x80 <= b <= 0xBF


def _utf8_len(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _alone(tokens: list[int], k: int) -> bool:
    """Does the lost byte at ``k`` stand alone for its U+FFFD (not half of a pair)?"""
    return tokens[k] == HOLE and not (k + 1 < len(tokens) and tokens[k + 1] == HOLE2)


def _parse_utf8(tokens: list[int]) -> list[_Unit]:
    """Permissive UTF-8 over known bytes and holes; holes become unknown bytes."""
    units: list[_Unit] = []
    n = len(tokens)
    i = 0
    while i < n:
        t = tokens[i]
        if t == QMARK:
            # A hole if continuation bytes follow (a lost lead), else a real "?".
            if i + 1 < n and tokens[i + 1] >= 0 and _cont(tokens[i + 1]):
                t = HOLE
            else:
                units.append(_Unit("ascii", "?", i, i + 1))
                i += 1
                continue
        if t in (HOLE, HOLE2):
            f = 0
            while f < 3 and i + 1 + f < n and tokens[i + 1 + f] >= 0 and _cont(tokens[i + 1 + f]):
                f += 1
            if f == 0:
                # Lost bytes in a row (Python's decoders put one U+FFFD per byte): the
                # lead and what follows up to three bytes make one character.
                shape, alone, k = [-1], [(0, i)] if _alone(tokens, i) else [], 1
                while k < 3 and i + k < n:
                    nt = tokens[i + k]
                    if nt in (HOLE, HOLE2):
                        if _alone(tokens, i + k):
                            alone.append((k, i + k))
                        shape.append(-1)
                    elif nt >= 0 and _cont(nt):
                        shape.append(nt)
                    else:
                        break
                    k += 1
                if k == 3:
                    units.append(_Unit("lost", "\ufffd", i, i + 3, shape, alone))
                    i += 3
                    continue
                units.append(_Unit("lost", "\ufffd", i, i + 1, [-1, -1, -1]))
                i += 1
                continue
            known = tokens[i + 1 : i + 1 + f]
            if f >= 2 or (f == 1 and t == HOLE2):
                units.append(
                    _Unit(
                        "lost", "\ufffd", i, i + 1 + f, [-1, *known], [(0, i)][: _alone(tokens, i)]
                    )
                )
            else:
                units.append(_Unit("lost", "\ufffd", i, i + 1 + f, [-1, -1, *known]))
            i += 1 + f
            continue
        if t < 0x80:
            units.append(_Unit("ascii", chr(t), i, i + 1))
            i += 1
            continue
        need = _utf8_len(t) - 1
        if need < 0:
            units.append(_Unit("bad", "", i, i + 1))
            i += 1
            continue
        pattern = [t]
        single: list[tuple[int, int]] = []
        j = i + 1
        holes = False
        while len(pattern) <= need:
            if j >= n:
                break
            nt = tokens[j]
            if nt >= 0 and _cont(nt):
                pattern.append(nt)
                j += 1
            elif nt == HOLE2 or (nt == HOLE and j + 1 < n and tokens[j + 1] == HOLE2):
                pattern.append(-1)  # one byte of a pair a WHATWG decoder replaced
                holes = True
                j += 1
            elif nt in (HOLE, QMARK):
                remaining = need + 1 - len(pattern)
                f = 0
                while (
                    f < remaining
                    and j + 1 + f < n
                    and tokens[j + 1 + f] >= 0
                    and _cont(tokens[j + 1 + f])
                ):
                    f += 1
                fill = max(1, min(2, remaining - f))
                if j + 1 < n and tokens[j + 1] in (HOLE, QMARK):
                    fill = 1  # one U+FFFD per lost byte (Python's decoders)
                if fill == 1:
                    single.append((len(pattern), j))
                pattern.extend([-1] * fill)
                holes = True
                j += 1
            else:
                break
        if len(pattern) < need + 1 or len(pattern) > need + 1:
            if holes and len(pattern) > need + 1:
                pattern = pattern[: need + 1]
            elif (
                not holes
                and need >= 2
                and len(pattern) == need
                and (j >= n or tokens[j] < 0x80 or _utf8_len(tokens[j]))
            ):
                # A silently dropped last byte (errors="ignore", or a cut string): the
                # lead and all but one continuation byte are there, then the run ends,
                # its non-ASCII part ends, or the next character starts. The wrong
                # decoder dropped a byte it could not decode before what follows.
                single = [(need, j - 1)] if j < n and tokens[j] >= 0x80 else []
                unit = _Unit("lost", "\ufffd", i, j, [*pattern, -1], single)
                if need == 2:
                    # the dropped byte may as well be the middle one (it came before
                    # the byte that is there, which made it undecodable)
                    unit.alts.append(([pattern[0], -1, pattern[1]], [(1, i)]))
                units.append(unit)
                i = j
                continue
            else:
                units.append(_Unit("bad", "", i, i + 1))
                i += 1
                continue
        if holes:
            units.append(_Unit("lost", "\ufffd", i, j, pattern, single))
        else:
            try:
                ch = bytes(pattern).decode("utf-8")
            except UnicodeDecodeError:
                units.append(_Unit("bad", "", i, i + 1))
                i += 1
                continue
            units.append(_Unit("good", ch, i, j))
        i = j
    return units


# --------------------------------------------------------------------------- restoring


def _model() -> Any:
    from cjkfix import model

    return model


_KNOWN: frozenset[str] = frozenset()
#: Hangul compatibility jamo: ``ㅋㅋ``, ``ㅎㅎ``, ``ㅠㅠ`` in informal Korean, which the
#: word lists behind the model do not hold.
_JAMO = frozenset(map(chr, range(0x3131, 0x318F)))


def _known_chars() -> frozenset[str]:
    """Characters a repair may produce: the model's, plus compatibility jamo."""
    global _KNOWN
    if not _KNOWN:
        _KNOWN = _model().known_chars() | _JAMO
    return _KNOWN


_CAND_CACHE: dict[tuple[Any, ...], list[str]] = {}


def _candidates(
    pattern: list[int],
    hole_bytes: tuple[int, ...] | None,
    fits: dict[int, tuple[int, ...]] | None = None,
    pairs: tuple[tuple[str, int, int], ...] = (),
) -> list[str]:
    key = (tuple(pattern), hole_bytes, tuple(sorted(fits.items())) if fits else None, pairs)
    cached = _CAND_CACHE.get(key)
    if cached is None:
        cached = _enumerate(pattern, hole_bytes, fits, pairs)
        if len(_CAND_CACHE) > 20_000:
            _CAND_CACHE.clear()
        _CAND_CACHE[key] = cached
    return cached


def _enumerate(
    pattern: list[int],
    hole_bytes: tuple[int, ...] | None,
    fits: dict[int, tuple[int, ...]] | None = None,
    pairs: tuple[tuple[str, int, int], ...] = (),
) -> list[str]:
    """Characters that fit a UTF-8 byte pattern with unknown bytes.

    ``hole_bytes`` limits every unknown byte (cp1252's undefined bytes); ``fits`` limits
    the unknown byte at a pattern index to the bytes the wrong decoder rejects there;
    ``pairs`` (codec, i, j): the decoder rejected byte i when byte j (also unknown) came
    next.
    """
    options: list[tuple[int, ...]] = []
    length = len(pattern)
    for pos, b in enumerate(pattern):
        if b >= 0:
            options.append((b,))
            continue
        if pos == 0:
            if length == 2:
                allowed = range(0xC2, 0xE0)
            elif length == 3:
                allowed = range(0xE0, 0xF0)
            else:
                allowed = range(0xF0, 0xF5)
        else:
            allowed = range(0x80, 0xC0)
        opts = tuple(x for x in allowed if hole_bytes is None or x in hole_bytes)
        if fits is not None and pos in fits:
            opts = tuple(x for x in opts if x in fits[pos])
        options.append(opts)
    total = math.prod(len(o) for o in options)
    if total == 0 or total > MAX_CANDIDATES:
        return []
    known = _model().known_chars()  # (not jamo: a lost character is rarely one)
    out: list[str] = []
    for combo in _product(options):
        if pairs and not all(cc.lost_byte_fits(c, combo[i], combo[j]) for c, i, j in pairs):
            continue
        try:
            ch = bytes(combo).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if ch in known:
            out.append(ch)
    if len(out) > MAX_SCORED:
        # Only the most frequent can win a posterior vote among this many anyway.
        model = _model()
        out.sort(key=lambda c: -max(model.char_logprob(c, lang) for lang in model.LANGS))
        del out[MAX_SCORED:]
    return out


def _product(options: list[tuple[int, ...]]) -> Iterator[tuple[int, ...]]:
    if not options:
        yield ()
        return
    for head in options[0]:
        for rest in _product(options[1:]):
            yield (head, *rest)


_FITS_CACHE: dict[tuple[str, int], tuple[int, ...]] = {}


def _fitting(
    pattern: list[int], single: list[tuple[int, int]], tokens: list[int], codec: str
) -> list[str]:
    """Characters that fit ``pattern`` whose single lost bytes ``codec`` rejects there."""
    if not single:
        return _candidates(pattern, None)
    where = {t: pos for pos, t in single}
    pairs = tuple((codec, pos, where[t + 1]) for pos, t in single if t + 1 in where)
    return _candidates(pattern, None, _fits(single, tokens, codec), pairs)


def _fits(
    single: list[tuple[int, int]], tokens: list[int], codec: str
) -> dict[int, tuple[int, ...]]:
    """For each single lost byte: the bytes ``codec``'s decoder would reject there."""
    out: dict[int, tuple[int, ...]] = {}
    for pos, t in single:
        following = tokens[t + 1] if t + 1 < len(tokens) else -1
        following = following if following >= 0 else -1
        key = (codec, following)
        fit = _FITS_CACHE.get(key)
        if fit is None:
            fit = tuple(b for b in range(0x80, 0x100) if cc.lost_byte_fits(codec, b, following))
            _FITS_CACHE[key] = fit
        out[pos] = fit
    return out


#: The posterior a character with two or more unknown bytes needs to be restored.
MANY_UNKNOWN_POSTERIOR = 0.95


def _unknowns(u: _Unit) -> int:
    return sum(1 for b in u.pattern if b < 0)


#: Candidates this far (in nats) below the best add nothing that matters to a posterior.
_NEGLIGIBLE = 9.0


def _vote(
    cands: list[str],
    values: list[float],
    final: bool,
    posterior: float,
    left: str = "",
    initial: bool = False,
) -> str | None:
    """The candidate with the highest score, if its posterior is high enough.

    ``final``: the lost character ends a line or comes before a space, where the model
    (word lists, no punctuation) needs to be told how sentences end; ``initial``: it
    starts one, where no comma, full stop or closing bracket does."""
    if initial:
        values = [
            v - (_NOT_FINAL_PENALTY if c in _NOT_INITIAL else 0.0)
            for c, v in zip(cands, values, strict=True)
        ]
    if final:
        question = left in _QUESTION_PARTICLES if left else False
        values = [
            v
            + (_FINAL_BONUS if c in _FINAL else 0.0)
            - (_NOT_FINAL_PENALTY if c in _NOT_FINAL else 0.0)
            + (_QUESTION_BONUS if question and c == "？" else 0.0)
            for c, v in zip(cands, values, strict=True)
        ]
    best = max(values)
    floor = best - _NEGLIGIBLE
    limit = 1.0 / posterior
    z = 0.0
    for v in values:
        if v > floor:
            z += math.exp(v - best)
            if z > limit:
                return None  # (no need to add up the rest)
    return cands[values.index(best)]


#: Closing brackets and their openers: a closer is likely only after its opener. (The
#: CJK brackets, which share a lead with ``、`` and ``。``; not the full-width
#: parentheses, which share one with ``：！？`` that the model tells apart poorly.)
_CLOSERS = {"」": "「", "』": "『", "】": "【", "〉": "〈", "》": "《"}
_UNPAIRED_PENALTY = 3.0
_PAIRED_BONUS = 2.0


_OPENERS = {v: k for k, v in _CLOSERS.items()}
#: Characters looked at on each side of a lost bracket for its partner.
PAIR_WINDOW = 80


def _paired(values: list[float], cands: list[str], units: list[_Unit], k: int) -> list[float]:
    """A lost closing bracket (``」``, E3 80 8D, one cp1252 undefined byte away from ``、``)
    is likely where its opener is still open in the span before it, unlikely elsewhere;
    a lost opening bracket (``【``, E3 80 90), where its closer follows."""
    if not any(c in _CLOSERS or c in _OPENERS for c in cands):
        return values
    # (brackets pair within a sentence: a window keeps this linear in the run)
    lo, hi = max(0, k - PAIR_WINDOW), k + 1 + PAIR_WINDOW
    before = "".join(u.text for u in units[lo:k] if u.kind != "lost")
    after = "".join(u.text for u in units[k + 1 : hi] if u.kind != "lost")
    # (only what is known: a lost character before or after may be the partner)
    whole_before = lo == 0 and all(u.kind != "lost" for u in units[:k])
    whole_after = hi >= len(units) and all(u.kind != "lost" for u in units[k + 1 :])
    out = []
    for c, v in zip(cands, values, strict=True):
        opener = _CLOSERS.get(c)
        closer = _OPENERS.get(c)
        if opener is not None:
            if before.count(opener) > before.count(c):
                v += _PAIRED_BONUS
            elif whole_before:
                v -= _UNPAIRED_PENALTY
        elif closer is not None:
            if after.count(closer) > after.count(c):
                v += _PAIRED_BONUS
            elif whole_after:
                v -= _UNPAIRED_PENALTY
        out.append(v)
    return out


def _restore(
    units: list[_Unit],
    lang: str,
    codec: str,
    tokens: list[int],
    outside: tuple[str, str] = ("", ""),
    posterior: float | None = None,
    budget: list[int] | None = None,
) -> tuple[int, int]:
    """Fill lost units in place where the model is sure; returns (restored, lost).

    ``outside``: the characters just before and after the span in the text, for context.
    Two sweeps: the second sees the characters the first restored next to each loss.
    """
    model = _model()
    if posterior is None:
        posterior = max(RESTORE_POSTERIOR, RESTORE_POSTERIOR_BY_LANG.get(lang, 0.0))
    hole_bytes = cc.UNDEFINED_BYTES.get(codec)
    if codec == "cp1252":
        # (a no-break space, A0, is lost too: turned into a space and trimmed, or
        # dropped by a copy and paste; ``ê³"`` was 고 before a quote)
        hole_bytes = (*cc.UNDEFINED_BYTES[codec], 0xA0)
    todo: list[tuple[int, list[str]]] = []
    for k, u in enumerate(units):
        if u.kind != "lost":
            continue
        cands: list[str] = []
        if u.pattern and u.alts:
            for pattern, single in [(u.pattern, u.single), *u.alts]:
                if hole_bytes is None:
                    more = _fitting(pattern, single, tokens, codec)
                else:
                    more = _candidates(pattern, hole_bytes)
                cands.extend(c for c in more if c not in cands)
        elif u.pattern:
            if hole_bytes is None and u.single:
                cands = _fitting(u.pattern, u.single, tokens, codec)
            if not cands:
                cands = _candidates(u.pattern, hole_bytes)
        todo.append((k, cands))

    def neighbour(k: int) -> str:
        if k < 0:
            return outside[0][-1:]
        if k >= len(units):
            return outside[1][:1]
        u = units[k]
        return "" if u.kind == "lost" else u.text[:1]

    if budget is None:  # (called outside a text's search: a budget of its own)
        budget = [RESTORE_BUDGET_BASE]
    lost_at = {k for k, _ in todo}

    def beside_restored(k: int) -> bool:
        return any(j in lost_at and units[j].kind == "restored" for j in (k - 1, k + 1))

    for sweep in range(2):
        for k, cands in todo:
            if sweep and not beside_restored(k):
                continue  # the second sweep changes nothing without new context
            u = units[k]
            u.kind, u.text = "lost", "\ufffd"
            if not cands or budget[0] <= 0:
                continue
            budget[0] -= 1
            left, right = neighbour(k - 1), neighbour(k + 1)
            final = not right or right.isspace()
            initial = k == 0 and not outside[0][-1:].strip()
            values = model.candidate_scores(left, cands, right, lang)
            if any(c in _CLOSERS or c in _OPENERS for c in cands):
                values = _paired(values, cands, units, k)
            # two or more unknown bytes in one character: far more candidates, so
            # the best must be surer
            need = max(posterior, MANY_UNKNOWN_POSTERIOR) if _unknowns(u) >= 2 else posterior
            choice = _vote(cands, values, final, need, left, initial)
            sibling = _SIBLING.get(lang)
            if choice is None and sibling:
                # The known characters may not tell Simplified from Traditional.
                other = model.candidate_scores(left, cands, right, sibling)
                if any(c in _CLOSERS or c in _OPENERS for c in cands):
                    other = _paired(other, cands, units, k)
                values = [max(a, b) for a, b in zip(values, other, strict=True)]
                choice = _vote(cands, values, final, need, left, initial)
            if choice is not None:
                u.kind, u.text = "restored", choice
    restored = sum(1 for k, _ in todo if units[k].kind == "restored")
    return restored, len(todo) - restored


# --------------------------------------------------------------------------- deciding


@dataclass
class _Candidate:
    start: int
    end: int
    after: str
    chain: list[str]
    gain: float
    before_score: float
    after_score: float
    lang: str
    restored: int = 0
    lost: int = 0
    strict: bool = True


def _nonascii(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 0x7F)


def _judge(
    before: str, after: str, lost: int, structured: int = 0
) -> tuple[bool, bool, float, float, float, str]:
    """Is ``after`` a much more likely text than ``before``?

    Returns (ok, ok_in_context, gain, score_before, score_after, language): the second
    flag is the weaker test for a short span when the same chain was already repaired
    elsewhere in the text. ``structured``: how many multi-byte characters decoded without
    any damage; many in a row are evidence of their own (random text does not form long
    runs of valid UTF-8), so the model only has to agree, not be enthusiastic.
    """
    model = _model()
    if after == before or not after:
        return False, False, 0.0, 0.0, 0.0, ""
    lang, a = model.score(after)
    b = model.score(before)[1]
    gain = a - b
    total_gain = a * len(after) - b * len(before)
    n = _nonascii(after) - lost
    if n < 1 or lost * 2 > n:
        return False, False, gain, b, a, lang
    # ``gain`` compares characters; ``total_gain`` compares the whole span (both sides
    # stand for the same bytes, so totals are the fair comparison when one side has
    # three Latin-1 characters for every Han character of the other).
    if n < SHORT:
        ok = (
            lost == 0
            and a >= SHORT_MIN_FLUENCY
            and (
                gain >= SHORT_MIN_GAIN
                or (gain >= MIN_GAIN and total_gain >= 25)
                or (structured >= 2 and gain >= 0.5 and total_gain >= 25)
            )
        )
    else:
        ok = (
            (gain >= MIN_GAIN and a >= MIN_FLUENCY)
            or (gain >= STRONG_GAIN and a >= LOW_FLUENCY)
            or (gain >= 0.5 and total_gain >= TOTAL_GAIN_PER_CHAR * n and a >= MIN_FLUENCY)
            or (gain >= -1.0 and total_gain >= 2 * TOTAL_GAIN_PER_CHAR * n and a >= LOW_FLUENCY)
        )
        if not ok and lost == 0 and structured >= STRUCTURED_CHARS:
            ok = (
                gain >= STRUCTURED_MIN_GAIN or total_gain >= 4 * structured
            ) and a >= STRUCTURED_MIN_FLUENCY
    relaxed = (gain >= RELAXED_MIN_GAIN and a >= MIN_FLUENCY) or (
        gain >= RELAXED_TOTAL_MIN_GAIN
        and total_gain >= TOTAL_GAIN_PER_CHAR * n
        and a >= LOW_FLUENCY
    )
    return ok, ok or relaxed, gain, b, a, lang


def _tokens(run: str, codec: str) -> tuple[list[int], list[int]] | None:
    """Bytes of ``run`` re-encoded with ``codec`` (holes for U+FFFD/"?"), and the index
    of the character each byte came from."""
    tokens: list[int] = []
    owner: list[int] = []
    for ci, ch in enumerate(run):
        if ch == "\ufffd":
            tokens.append(HOLE)
            owner.append(ci)
            continue
        if ch == "?":
            tokens.append(QMARK)
            owner.append(ci)
            continue
        data = cc.encode_char(ch, codec)
        if data is None:
            return None
        tokens.extend(data)
        owner.extend([ci] * len(data))
    return tokens, owner


def _split_unencodable(text: str, start: int, end: int, codec: str) -> Iterator[tuple[int, int]]:
    s = start
    for i in range(start, end):
        ch = text[i]
        if ch not in "\ufffd?" and cc.encode_char(ch, codec) is None:
            if i > s:
                yield s, i
            s = i + 1
    if end > s:
        yield s, end
    return


def _utf8_spans(
    run: str,
    codec: str,
    depth: int,
    outside: tuple[str, str] = ("", ""),
    call: _Call | None = None,
) -> list[_Candidate]:
    """Candidate repairs for utf-8 decoded as ``codec`` inside ``run``; ``outside``: the
    characters before and after the run.

    A U+FFFD stands for one byte (Python's decoders) or, before a non-ASCII character,
    often for two (WHATWG decoders consume a bad pair whose second byte is not ASCII):
    both readings are tried and the one that explains more of the run is kept."""
    fast = _whole_run(run, codec)
    if fast is not None:
        return [fast]
    got = _tokens(run, codec)
    if got is None:
        return []
    tokens, owner = got
    out = _utf8_spans_of(run, codec, depth, outside, tokens, owner, call)
    if codec != "cp1252" and HOLE in tokens:
        wide = _pair_holes(run, tokens, owner)
        if wide is not None:
            other = _utf8_spans_of(run, codec, depth, outside, *wide, call)
            if _explained(other) > _explained(out):
                out = other
    return out


def _whole_run(run: str, codec: str) -> _Candidate | None:
    """The common case at C speed: the whole run is ``codec``'s view of valid UTF-8, with
    nothing lost, and the model clearly prefers the decoded text. Anything less clear
    (a partial span, a loss, a short run, a double mojibake) is left to the byte-by-byte
    parse, which reaches the same answer here, only slower."""
    if codec == "cp1252" or "?" in run or "\ufffd" in run:
        return None
    try:
        after = run.encode(cc.WRONG_CODECS[codec][0]).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    wide = len(_WIDE.findall(after))
    if wide < STRUCTURED_CHARS or after == run:
        return None
    known = _known_chars()
    if sum(1 for ch in after if ch in known) * 2 < wide:
        return None
    ok, _weak, gain, b, a, lang = _judge(run, after, 0, wide)
    if not ok or a < MIN_FLUENCY:
        return None
    return _Candidate(0, len(run), after, ["utf-8", codec], gain, b, a, lang)


def _pair_holes(
    run: str, tokens: list[int], owner: list[int]
) -> tuple[list[int], list[int]] | None:
    """``tokens`` with each U+FFFD before a non-ASCII character read as two lost bytes."""
    t2: list[int] = []
    o2: list[int] = []
    for k, t in enumerate(tokens):
        t2.append(t)
        o2.append(owner[k])
        ci = owner[k]
        if t == HOLE and ci + 1 < len(run) and ord(run[ci + 1]) > 0x7F:
            t2.append(HOLE2)
            o2.append(ci)
    return (t2, o2) if len(t2) != len(tokens) else None


def _explained(cands: list[_Candidate]) -> float:
    """How much of a run a set of candidates repairs: characters, less the lost ones."""
    return sum((c.end - c.start) - 2 * c.lost + c.restored for c in cands if c.strict) + 0.5 * sum(
        (c.end - c.start) - 2 * c.lost for c in cands if not c.strict
    )


def _utf8_spans_of(
    run: str,
    codec: str,
    depth: int,
    outside: tuple[str, str],
    tokens: list[int],
    owner: list[int],
    call: _Call | None = None,
) -> list[_Candidate]:
    budget = call.budget if call is not None else None
    units = _parse_utf8(tokens)
    out: list[_Candidate] = []
    group: list[_Unit] = []

    def starts_char(t: int) -> bool:
        return t == 0 or owner[t - 1] != owner[t]

    def ends_char(t: int) -> bool:
        return t == len(owner) or owner[t] != owner[t - 1]

    def flush() -> None:
        g = group[:]
        group.clear()
        while g and (
            not starts_char(g[0].t0)
            or (g[0].kind == "ascii" and (len(g) == 1 or starts_char(g[1].t0)))
        ):
            g.pop(0)
        while g and (
            not ends_char(g[-1].t1)
            or (g[-1].kind == "ascii" and g[-1].text != "?" and starts_char(g[-1].t0))
        ):
            g.pop()
        known_chars = _known_chars()
        good = [u.text for u in g if u.kind == "good"]
        # A group of lost characters alone (``銆�``: "。" missing its last byte) is only a
        # weak candidate: repaired when the same chain is found elsewhere in the text.
        lone = (
            bool(g)
            and not good
            and all(u.kind == "lost" and sum(b >= 0 for b in u.pattern) >= 2 for u in g)
        )
        if not g:
            return
        c0, c1 = owner[g[0].t0], owner[g[-1].t1 - 1] + 1
        salvage = codec != "cp1252" and _heavy_loss(run[c0:c1], g)
        if not good and not lone and not salvage:
            return
        plausible = sum(1 for ch in good if ch in known_chars)
        if lone and not salvage and not _lone_is_suspect(run[c0:c1]):
            return
        if good and (plausible == 0 or plausible * 2 < len(good)):
            # Not CJK: maybe the middle layer of a double mojibake (Ã¤Â¸Â­ -> ä¸­ -> 中).
            if depth == 0 and len(good) >= 3 and all(u.kind != "lost" for u in g):
                middle = "".join(u.text for u in g)
                if gate(middle):
                    inner = repair_span(middle, depth=1, call=call)
                    if inner is not None:
                        before = run[c0:c1]
                        ok2, weak2, gain2, b2, a2, lang2 = _judge(before, inner.after, inner.lost)
                        if ok2 or weak2:
                            out.append(
                                _Candidate(
                                    c0,
                                    c1,
                                    inner.after,
                                    ["utf-8", codec, *inner.chain],
                                    gain2,
                                    b2,
                                    a2,
                                    lang2,
                                    inner.restored,
                                    inner.lost,
                                    ok2,
                                )
                            )
            return
        before = run[c0:c1]
        known = "".join(u.text for u in g if u.kind == "good")
        lang = _model().score(known)[0]
        context = (
            run[c0 - 1] if c0 > 0 else outside[0],
            run[c1] if c1 < len(run) else outside[1],
        )
        # with more characters lost than decoded whole, or lost characters alone, the
        # model has too little context to guess from: only near-certain restorations
        posterior = SALVAGE_POSTERIOR if lone or (salvage and 2 * len(good) < len(g)) else None
        if codec in LOSSY_CODECS:
            posterior = LOSSY_POSTERIOR
        restored, lost = _restore(g, lang, codec, tokens, context, posterior, budget)
        after = "".join(u.text for u in g)
        structured = 0 if lost or restored else sum(1 for u in g if u.kind == "good")
        ok, weak, gain, b, a, lang = _judge(before, after, lost, structured)
        if salvage and posterior is not None:
            ok = weak = _salvaged(g, restored)
            if ok:
                _, _, gain, b, a, lang = _judge(before, after, 0)
        elif salvage and not ok:
            # Restore again, only where the model is very sure: with bytes lost all over,
            # neighbours are often lost too, and a guess from frequency alone is no repair.
            first = (restored, lost, after)
            restored, lost = _restore(g, lang, codec, tokens, context, SALVAGE_POSTERIOR, budget)
            if _salvaged(g, restored):
                after = "".join(u.text for u in g)
                ok = weak = True
                _, _, gain, b, a, lang = _judge(before, after, 0)
            else:
                restored, lost, after = first  # (the units no longer match: not used)
        elif lone:
            ok = False
            weak = len(before) <= 2 * len(after) + 1 and after != before
            if lost:
                # nothing restored: one U+FFFD per lost character, for a known chain only
                weak = weak and _nonascii(before) >= 1
        chain = ["utf-8", codec]
        if (
            depth == 0
            and lost == 0
            and restored == 0
            and structured >= 3
            and a < MIN_FLUENCY
            and gate(after)
        ):
            inner = repair_span(after, depth=1, call=call)
            if inner is not None:
                ok2, _, gain2, _, a2, lang2 = _judge(before, inner.after, inner.lost)
                if ok2 and a2 > a:
                    after, ok, gain, a, lang = inner.after, True, gain2, a2, lang2
                    chain = chain + inner.chain
                    restored, lost = inner.restored, inner.lost
        if ok or weak:
            out.append(_Candidate(c0, c1, after, chain, gain, b, a, lang, restored, lost, ok))

    for u in units:
        if u.kind == "bad":
            if group:
                flush()
        else:
            group.append(u)
    if group:
        flush()
    return out


#: Heavy loss: at least this many bytes lost in a span, and this many of its characters
#: with some known bytes; a salvaged span needs this many characters recovered.
HEAVY_LOST = 3
HEAVY_PARTIAL = 2
SALVAGE_RECOVERED = 2


def _heavy_loss(before: str, group: list[_Unit]) -> bool:
    """Did the wrong decoder lose bytes all over this span (UTF-8 read as Big5 or EUC-KR
    loses one in most characters), while the bytes it kept still line up as UTF-8?"""
    marks = before.count("\ufffd") + before.count("?")
    partial = sum(1 for u in group if u.kind == "lost" and any(b >= 0 for b in u.pattern))
    return marks >= HEAVY_LOST and partial >= HEAVY_PARTIAL


def _salvaged(group: list[_Unit], restored: int) -> bool:
    """Is a heavily damaged span worth repairing though many characters stay lost?

    The damage is evident (U+FFFD throughout), the surviving bytes line up as UTF-8, and
    the characters recovered (decoded whole, or restored where the model was sure) read
    as text: then the span becomes those characters and one U+FFFD per lost character,
    which is closer to the truth than the wrong codec's characters."""
    recovered = "".join(u.text for u in group if u.kind in ("good", "restored"))
    if len(recovered) < SALVAGE_RECOVERED:
        return False
    return bool(_model().score(recovered)[1] >= MIN_FLUENCY)


def _lone_is_suspect(before: str) -> bool:
    """May ``before``, which decodes to lost characters only, be mojibake at all?

    With a U+FFFD or "?" in it, yes. Without one, the loss is a silently dropped byte,
    and a common character (``頁`` is GBK ``ED 93``, a UTF-8 lead and one continuation
    byte) is far likelier to be itself: only rare characters qualify (``銆`` for ``。``).
    """
    if "\ufffd" in before or "?" in before:
        return True
    model = _model()
    return all(
        max(model.char_logprob(ch, lang) for lang in model.LANGS) <= LONE_RARE
        for ch in before
        if ord(ch) > 0x7F
    )


def _legacy_spans(
    run: str,
    depth: int,
    outside: tuple[str, str] = ("", ""),
    dropping: bool = False,
    call: _Call | None = None,
) -> list[_Candidate]:
    """Candidates for gbk/big5/shift_jis/euc-kr (or utf-8) read as cp1252/latin-1.

    ``dropping``: also look for bytes a decoder that ignores what it cannot map dropped
    (Shift_JIS runs only; see :func:`_dropped_slots`)."""
    got = _tokens(run, "cp1252")
    if got is None:
        return []
    tokens, _owner = got
    out: list[_Candidate] = []
    undefined = cc.UNDEFINED_BYTES["cp1252"]
    mine = _utf8_spans(run, "cp1252", depth, outside, call)
    # A run that is UTF-8 through and through (a strict candidate over all of it, with
    # little lost) is not also a legacy encoding: those decodes are skipped.
    utf8_whole = any(
        c.strict and c.start == 0 and c.end == len(run) and c.lost * 4 <= len(c.after) for c in mine
    ) or (
        # (valid UTF-8 under a single-byte codec that ftfy takes for mojibake, long or
        # standing for U+FFFD: ``ï¿½ï¿½`` is two U+FFFD encoded twice; a short one such
        # as ``Îª``, 为 in GBK, is left to the paragraph's vote in :func:`fix`)
        _utf8_junk(run)
    )
    readings: dict[str, tuple[str, int, int]] = {}
    for enc in () if utf8_whole else cc.LEGACY:
        pieces = _legacy_decode(tokens, enc, undefined)
        if pieces is not None:
            readings[enc] = pieces
    if dropping and not utf8_whole and _sjis_may_have_dropped(readings):
        slots = _dropped_slots(tokens)
        pieces = _legacy_decode(tokens, "shift_jis", undefined, dropped=slots) if slots else None
        if pieces is not None:
            readings["shift_jis"] = pieces
    for enc, (after, lost, put_back) in readings.items():
        ok, weak, gain, b, a, lang = _judge(run, after, lost)
        if not (ok or weak) and enc == "euc-kr" and lost == 0 and _all_hangul(after):
            # Rare syllables (``깬``, ``훅``) score low, but every pair of Latin-1
            # characters decoding to a Hangul syllable is structure: a weak candidate,
            # taken only where the same chain is repaired elsewhere in the text.
            weak = True
        if ok or weak:
            out.append(
                _Candidate(
                    0, len(run), after, [enc, "cp1252"], gain, b, a, lang, put_back, lost, ok
                )
            )
    for c in mine:
        # Short symbols and jamo (``ã…‹`` for ``ㅋ``) score no better than their mojibake
        # (Han characters are the model's to judge); UTF-8 read as cp1252 is ftfy's home
        # ground, and when its own heuristics reach the very same text, that is the
        # evidence we lack.
        if (
            not c.strict
            and c.lost == 0
            and c.restored == 0
            and all(ch in _JAMO or not ch.isalpha() for ch in c.after)
            and _ftfy_candidate(run[c.start : c.end]) == c.after
        ):
            c.strict = True
    out.extend(mine)
    if not mine and all(t >= 0 for t in tokens):
        # Symbols only (``â†’`` for ``→``): the model cannot judge them, but ftfy can;
        # its answer counts only when it is exactly this run's bytes read as UTF-8.
        try:
            decoded = bytes(tokens).decode("utf-8")
        except UnicodeDecodeError:
            decoded = ""
        if (
            any(ord(ch) > 0x7FF for ch in decoded)
            and not any(ch.isalpha() for ch in decoded)  # letters: the model's to judge
            and _ftfy_candidate(run) == decoded
        ):
            ok, weak, gain, b, a, lang = _judge(run, decoded, 0)
            out.append(
                _Candidate(0, len(run), decoded, ["utf-8", "cp1252"], gain, b, a, lang, 0, 0)
            )
    if mine and all(c.start == 0 and c.end == len(run) for c in mine):
        # UTF-8 structure confirmed: let ftfy have its say on this span only, and keep its
        # answer if the model likes it better than ours.
        fixed = _ftfy_candidate(run)
        if fixed is not None and fixed != mine[0].after:
            ok, weak, gain, b, a, lang = _judge(run, fixed, fixed.count("\ufffd"))
            if ok and a > mine[0].after_score + 0.5:
                out.append(
                    _Candidate(
                        0, len(run), fixed, ["utf-8", "cp1252 (ftfy)"], gain + 0.01, b, a, lang
                    )
                )
    return out


#: At most this many places where a byte may have been dropped are tried in one run.
MAX_SLOTS = 64
#: What each byte put back must gain on average (log probability of the whole run).
SLOT_GAIN = 1.5
#: Bytes put back in a text with no other sign of a dropping decoder: at least this many.
DROPPED_MIN = 4
#: What one byte put back must gain over nothing put back (log probability, locally).
SLOT_MARGIN = 0.5


def _sjis_may_have_dropped(readings: dict[str, tuple[str, int, int]]) -> bool:
    """Is Shift_JIS the likeliest reading of a run (or the only one that fails)? Only
    then are dropped bytes looked for (GBK read as cp1252 is no Shift_JIS, however
    broken its Shift_JIS reading looks)."""
    sjis = readings.get("shift_jis")
    if sjis is None:
        return not any(_model().score(text)[1] >= MIN_FLUENCY for text, *_ in readings.values())
    if not _japanese(sjis[0]):
        return False
    scores: dict[str, float] = {enc: _model().score(r[0])[1] for enc, r in readings.items()}
    mine = scores["shift_jis"]
    return mine >= LOW_FLUENCY and mine == max(scores.values())


#: Full-width kana, and half-width katakana (which Japanese text has few of, and other
#: mojibake read as Shift_JIS has many of: ``Ã`` is ``ﾃ``).
_FULL_KANA = LazyRegex("[\u3041-\u30fa]")


def _japanese(text: str) -> bool:
    """Does a Shift_JIS reading look like Japanese with some bytes dropped: kana in
    every few characters, and half-width katakana only here and there?"""
    kana = len(_FULL_KANA.findall(text))
    return kana * 6 >= len(text) and len(_HALF_WIDTH_KANA.findall(text)) * 8 <= len(text)


def _dropped_evidence(run: str, following: str = "") -> bool:
    """Does ``run``, read as Shift_JIS through cp1252, show that a decoder dropped bytes:
    bytes that cannot be Shift_JIS, a lone byte read as half-width katakana (the trail
    of a dropped lead), ``[`` after a katakana (``ー``), or a sentence that ends in ``B``
    or ``H`` after a hiragana (``。``, ``？``)? Only in a run that reads as Japanese.
    Runs of a text with such evidence are read with dropped bytes put back; ASCII
    letters alone are no evidence (``ボタンBを`` is good text). ``following``: the
    character after the run."""
    got = _tokens(run, "cp1252")
    if got is None or any(t < 0 or t in cc.UNDEFINED_BYTES["cp1252"] for t in got[0]):
        return False
    text = bytes(got[0]).decode(cc.ORIGINAL_DECODERS["shift_jis"], "replace")
    if not _japanese(text):
        return False
    return (
        "\ufffd" in text
        or _HALF_WIDTH_KANA.search(text) is not None
        or "\x80" in text
        or _LOST_BAR.search(text) is not None
        or ("\u3041" <= text[-2:-1] <= "\u3093" and text[-1:] in "BH" and not following.strip())
    )


#: ``[`` after a katakana: the trail of ``ー`` (81 5B), its lead dropped.
_LOST_BAR = LazyRegex("[\u30a1-\u30f6]\\[")


def _dropped_slots(tokens: list[int]) -> frozenset[int]:
    """Where a Shift_JIS byte cp1252 cannot map (``81``, the lead of ``、。ー「」``, and a
    few kanji leads and katakana trails) may have been dropped by a decoder that ignores
    what it cannot map: before a byte that ends up alone (an ASCII byte, a half-width
    katakana, a byte Shift_JIS has no character for), around a lead whose trail may be a
    lead itself (or is missing), and inside ``ゼ`` (``83 5B``: ``ー`` lost its lead).

    Only where the run shows no trace of those bytes (no U+FFFD, "?" or C1 control): a
    decoder that kept them did not drop any.
    """
    undefined = cc.UNDEFINED_BYTES["cp1252"]
    if any(t < 0 or t in undefined for t in tokens):
        return frozenset()
    slots: set[int] = set()
    i, n = 0, len(tokens)
    while i < n:
        b = tokens[i]
        if 0x81 <= b <= 0x9F or 0xE0 <= b <= 0xFC:
            t = tokens[i + 1] if i + 1 < n else -1
            if 0x81 <= t <= 0x9F or 0xE0 <= t <= 0xFC or not (0x40 <= t <= 0xFC and t != 0x7F):
                # a trail that may be a lead, or no trail at all: this byte may be the
                # trail of a dropped lead, or the lead of a dropped trail
                slots.update((i, i + 1) if i else (i + 1,))
            elif b == 0x83 and t == 0x5B:
                slots.add(i + 1)  # ``ゼ``, or a katakana whose trail went with the lead of ``ー``
            i += 2
            continue
        if 0x80 <= b <= 0xDF or b >= 0xFD or (i > 0 and 0x40 <= b <= 0x7E):
            slots.add(i)
        i += 1
    slots.discard(n)
    # (many: not a run that lost a few bytes, but one that is no Shift_JIS)
    return frozenset(slots) if len(slots) <= min(MAX_SLOTS, max(8, n // 2)) else frozenset()


def _all_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text) and all(
        "\uac00" <= ch <= "\ud7a3" or ch.isascii() for ch in text
    )


@functools.lru_cache(maxsize=4096)
def _ftfy_candidate(run: str) -> str | None:
    try:
        import ftfy
    except ImportError:  # pragma: no cover - ftfy is a dependency
        return None
    try:
        fixed = ftfy.fix_encoding(run)
    except Exception:  # pragma: no cover - defensive: never let ftfy break repair
        return None
    return fixed if fixed != run else None


#: Characters scored around each hole when a legacy decode fills it.
LEGACY_WINDOW = 12


_ENCODING_LANG = {"big5": "zh-Hant", "shift_jis": "ja", "euc-kr": "ko", "euc-jp": "ja"}

#: A slot where a decoder may have dropped a byte; filled with nothing unless a byte
#: clearly reads better.
_SLOT = -3
_NOTHING = 0x100


_TWO = 0x10000  # a slot filled with two bytes: _TWO | first << 8 | second


def _bytes(current: list[int]) -> bytes:
    try:
        return bytes(current)
    except ValueError:  # (slots: nothing, or two bytes)
        pass
    if max(current) == _NOTHING:
        return bytes([b for b in current if b != _NOTHING])
    out = bytearray()
    for b in current:
        if b < 0x100:
            out.append(b)
        elif b > _TWO:
            out += bytes(((b >> 8) & 0xFF, b & 0xFF))
    return bytes(out)


def _legacy_decode(
    tokens: list[int],
    enc: str,
    undefined: tuple[int, ...],
    per_hole: dict[int, tuple[int, ...]] | None = None,
    dropped: frozenset[int] = frozenset(),
) -> tuple[str, int, int] | None:
    """Decode cp1252-recovered bytes as legacy ``enc``; returns (text, lost characters,
    bytes put back where a decoder dropped them).

    A U+FFFD stands for one of cp1252's undefined bytes, a "?" for one of those or for
    itself: each is tried in turn, keeping what decodes and what the model likes best.
    ``per_hole``: the bytes each hole may be instead (a double-byte wrong codec rejected
    that byte before the next): many, so the best must also clearly win, else the
    character stays lost. ``dropped``: indices of ``tokens`` before which a decoder that
    drops what it cannot map may have dropped one undefined byte; one is put back only
    where it clearly wins, else nothing is (nothing is known to be lost there).
    """
    decoder = cc.ORIGINAL_DECODERS[enc]
    if dropped:
        tokens = [
            t for i, tok in enumerate(tokens) for t in ((_SLOT, tok) if i in dropped else (tok,))
        ]
    holes = [i for i, t in enumerate(tokens) if t in (HOLE, QMARK, _SLOT)]
    current = [t if t >= 0 else _NOTHING if t == _SLOT else 0x3F for t in tokens]
    if not holes:
        try:
            return bytes(current).decode(decoder), 0, 0
        except UnicodeDecodeError:
            return None
    if sum(1 for h in holes if tokens[h] != _SLOT) > 32:
        return None
    model = _model()
    # (Big5 is Traditional Chinese, Shift_JIS Japanese, EUC-KR Korean; GBK text may be
    # either script)
    lang = _ENCODING_LANG.get(enc) or model.score(_bytes(current).decode(decoder, "replace"))[0]
    slot_options: tuple[int, ...] = (_NOTHING, *undefined)
    if enc == "shift_jis":
        # a dropped trail next to the dropped lead of ``、。ー``
        slot_options += tuple(_TWO | u << 8 | 0x81 for u in undefined)
    # Units of choice: a hole, a slot, or two slots around one byte (a byte may have lost
    # the byte before it, the one after it, or both: one choice, not two greedy ones).
    units: list[tuple[int, ...]] = []
    for h in holes:
        if units and tokens[h] == _SLOT and units[-1] == (h - 2,) and tokens[h - 2] == _SLOT:
            units[-1] = (h - 2, h)
        else:
            units.append((h,))
    unresolved: list[int] = []
    for unit in units + units:  # a second sweep sees the choices made after each hole
        h = unit[0]
        if h in unresolved:
            continue
        slot = tokens[h] == _SLOT
        options: list[tuple[int, ...]]
        if len(unit) == 2:
            options = [(_NOTHING, _NOTHING)]
            options += [(o, _NOTHING) for o in slot_options[1:]]
            options += [(_NOTHING, o) for o in slot_options[1:]]
            options += [(a, b) for a in undefined for b in undefined]
        elif slot:
            options = [(o,) for o in slot_options]
        else:
            options = [
                (b,)
                for b in (per_hole or {}).get(h, undefined)
                + ((0x3F,) if tokens[h] == QMARK else ())
            ]
        best: tuple[float, tuple[int, ...]] | None = None
        scores: list[float] = []
        # Only the characters near the hole differ between the options: those few are
        # scored (the decoded prefix is the same for all; its length is counted once).
        cut = max(0, h - 4)
        lo = max(
            0,
            len(codecs.getincrementaldecoder(decoder)("replace").decode(_bytes(current[:cut]))) - 1,
        )
        for option in options:
            for p, b in zip(unit, option, strict=True):
                current[p] = b
            try:
                text = _bytes(current).decode(decoder)
            except UnicodeDecodeError:
                # later holes may still be unresolved: judge this one locally
                text = _bytes(current).decode(decoder, "replace")
                if text.count("\ufffd") > len(holes):
                    continue
            # totals: the options differ in length
            sc = model.text_logprob(text[lo : lo + LEGACY_WINDOW], lang)
            scores.append(sc)
            if best is None or sc > best[0]:
                best = (sc, option)
        if best is not None and per_hole is not None:
            z = sum(math.exp(v - best[0]) for v in scores if v > best[0] - _NEGLIGIBLE)
            if 1.0 / z < SALVAGE_POSTERIOR:
                best = None
        if slot and best is not None and scores and best[0] - scores[0] < SLOT_MARGIN:
            best = None  # (``scores[0]``: nothing put back) not clearly better
        if slot:
            for p, b in zip(unit, best[1] if best else options[0], strict=True):
                current[p] = b
        elif best is None:
            current[h] = 0x3F
            if h not in unresolved:
                unresolved.append(h)
        else:
            current[h] = best[1][0]
    filled = [h for h in holes if tokens[h] == _SLOT and current[h] != _NOTHING]
    if filled:
        # Each byte put back is a guess; together they must make the run clearly better
        # than it reads with nothing put back (a decoder that dropped bytes dropped many).
        plain = [_NOTHING if tokens[h] == _SLOT else b for h, b in enumerate(current)]
        gain = model.text_logprob(
            _bytes(current).decode(decoder, "replace"), lang
        ) - model.text_logprob(_bytes(plain).decode(decoder, "replace"), lang)
        if gain < SLOT_GAIN * len(filled):
            current, filled = plain, []
    if per_hole is not None and unresolved:
        text = _decode_with_lost(current, set(unresolved), decoder)
        lost = text.count("\ufffd")
        return (text, lost, 0) if lost <= len(holes) else None
    for h in unresolved:
        current[h] = 0xFF  # undecodable on purpose: becomes one U+FFFD
    text = _bytes(current).decode(decoder, "replace")
    lost = text.count("\ufffd")
    if lost > len(holes):
        return None
    return text, lost, len(filled)


# --------------------------------------------------------------------------- legacy pairs

_LEGACY_PY = cc.LEGACY_PAIR_CODECS
#: The language whose most frequent characters, mis-decoded, the gate looks for.
_COMMON_LANG = {"gbk": "zh-Hans", "big5": "zh-Hant", "shift_jis": "ja"}
_COMMON_SIZE = 400


def _common(original: str) -> str:
    """The most frequent characters of text in ``original``'s language (from the model)."""
    return "".join(_model().top_chars(_COMMON_LANG[original], _COMMON_SIZE))


_legacy_res: dict[tuple[str, str], re.Pattern[str]] = {}


def _legacy_regex(original: str, wrong: str) -> re.Pattern[str]:
    key = (original, wrong)
    pattern = _legacy_res.get(key)
    if pattern is None:
        chars: set[str] = set()
        for ch in _common(original):
            try:
                data = ch.encode(_LEGACY_PY[original])
            except UnicodeEncodeError:
                continue
            for view in cc.LEGACY_PAIR_VIEWS[wrong]:
                chars.update(data.decode(view, "ignore"))
        model = _model()
        chars = {
            c
            for c in chars
            if ord(c) > 0x7F
            and all(
                model.char_logprob(c, lang) <= GATE_COMMON for lang in ("zh-Hans", "zh-Hant", "ja")
            )
        }
        cls = f"[{re.escape(''.join(sorted(chars)))}]"
        pattern = re.compile(f"{cls}[^\\x00-\\x7f]|[^\\x00-\\x7f]{cls}")
        _legacy_res[key] = pattern
    return pattern


def _legacy_pair_spans(
    run: str, pairs: tuple[tuple[str, str], ...] = (), gated: bool = True
) -> list[_Candidate]:
    """Double-byte text read with another double-byte codec (``笢恅`` for 中文).

    ``gated``: only pairs whose typical characters the run holds; otherwise ``pairs``
    (already found elsewhere in the text) are tried on any run.
    """
    out: list[_Candidate] = []
    if sum(1 for ch in run if ch < "\u2000" and ch.isalpha()) * 2 > len(run):
        return out  # such mojibake is Han, kana and symbols, not Cyrillic or Greek words
    for original, wrong in pairs or _LEGACY_PAIRS:
        if gated and not _legacy_regex(original, wrong).search(run):
            continue
        best: _Candidate | None = None
        best_value = 0.0
        for after, lost in _legacy_readings(run, original, wrong):
            ok, weak, gain, b, a, lang = _judge(run, after, lost)
            # (a short run of a pair found elsewhere in the text, ``丅`` for ``。``, is
            # too short to tell its language; the text's other runs have told it)
            if not _fits_codec(after, original, lang if gated else None):
                continue
            if (ok or weak) and not _fluent_throughout(after, lang or "zh-Hans"):
                continue
            if weak and not ok and "?" in after:
                continue  # a "?" kept as such: may be a lost byte, so no weak evidence
            # (readings are compared with each "?" valued as a lost character: a question
            # mark is likelier than most characters, a lost byte is not)
            value = _model().score(after.replace("?", "\ufffd"))[1] if "?" in after else a
            if (ok or weak) and (best is None or value > best_value):
                best_value = value
                best = _Candidate(
                    0, len(run), after, [original, wrong], gain, b, a, lang, 0, lost, ok
                )
        if best is not None:
            out.append(best)
    return out


#: A legacy-pair decode is read in pieces of this many characters, each of which must
#: reach this average log-probability: a byte dropped without a trace throws the rest of
#: a run out of step, and a fluent start must not carry the garbage after it.
FLUENT_PIECE = 4
FLUENT_PIECE_MIN = -12.5


def _fluent_throughout(text: str, lang: str) -> bool:
    model = _model()
    chars = [ch for ch in text if ord(ch) > 0x7F and ch != "\ufffd"]
    for k in range(0, len(chars) - FLUENT_PIECE + 1, FLUENT_PIECE):
        piece = "".join(chars[k : k + FLUENT_PIECE])
        if model.text_logprob(piece, lang) / FLUENT_PIECE < FLUENT_PIECE_MIN:
            return False
    return True


_HALF_WIDTH_KANA = LazyRegex("[\uff61-\uff9f]")
_KANA = LazyRegex("[\u3040-\u30ff\uff61-\uff9f]")


def _fits_codec(text: str, original: str, lang: str | None) -> bool:
    """Could ``text`` have been written in ``original`` in the first place?

    Shift_JIS text is Japanese, and modern Japanese hardly uses half-width katakana;
    GBK and Big5 text is Chinese. Without this, GBK misalignment damage in a Chinese page
    (``?!庇媱澯柧?``) "decodes" as Shift_JIS into ``ｱﾓ灸旁明``.
    """
    if original == "shift_jis":
        return lang in ("ja", None) and not _HALF_WIDTH_KANA.search(text)
    if lang is None:  # too short to tell: at least no kana (``月`` is ``る`` as Big5)
        return not _KANA.search(text)
    return lang in ("zh-Hans", "zh-Hant")


#: At most this many characters with two byte forms are tried both ways in one run.
MAX_DUAL = 6


def _decode_with_lost(data: list[int], lost: set[int], decoder: str) -> str:
    """Decode double-byte ``data`` whose bytes at ``lost`` are unknown: the character
    each belongs to (with the lead before it, or the trail after it) is one U+FFFD."""
    out: list[str] = []
    dec = codecs.getincrementaldecoder(decoder)("replace")
    i = 0
    n = len(data)
    while i < n:
        if i in lost:
            pending = dec.getstate()[0]
            dec = codecs.getincrementaldecoder(decoder)("replace")
            out.append("\ufffd")
            # the lost byte was a trail if a lead waits for it, else a lead with its trail
            i += 1 if pending else 2
            continue
        out.append(dec.decode(bytes([data[i]])))
        i += 1
    out.append(dec.decode(b"", final=True))
    return "".join(out)


#: Runs with more lost bytes than this are read with every U+FFFD as a lost character.
LEGACY_MAX_FILLED = 8
_REJECTED: dict[tuple[str, int], tuple[int, ...]] = {}


def _rejected_leads(wrong: str, following: int) -> tuple[int, ...]:
    """The bytes ``wrong``'s decoder rejects before ``following`` (-1: unknown)."""
    key = (wrong, following)
    got = _REJECTED.get(key)
    if got is None:
        got = tuple(b for b in range(0x81, 0xFF) if cc.lost_byte_fits(wrong, b, following))
        _REJECTED[key] = got
    return got


def _legacy_readings(run: str, original: str, wrong: str) -> Iterator[tuple[str, int]]:
    """What ``run`` reads as in ``original``: (text, characters lost). A U+FFFD is a byte
    the wrong decoder rejected before the next one (Python's decoders, one per byte): it
    is filled where the model clearly prefers one byte, else its character stays lost.
    Or (WHATWG decoders) a pair of bytes: one character, or the end of one and the start
    of the next, both lost."""
    decoder = cc.ORIGINAL_DECODERS[original]
    if "\ufffd" not in run:
        for data in _legacy_encodings(run, wrong):
            try:
                yield data.decode(decoder), 0
            except UnicodeDecodeError:
                continue
        if "?" in run:
            # a "?" inside a run is no trail byte of any of these codecs: a question
            # mark, or where a Windows/PHP decoder lost a byte (read as U+FFFD)
            yield from _legacy_readings(run.replace("?", "\ufffd"), original, wrong)
        return
    for pieces in _lossy_encodings(run, wrong):
        yield from _lossy_readings(run, pieces, original, wrong)


def _encode_wrong(ch: str, wrong: str) -> bytes | None:
    """The bytes ``wrong``'s decoder read as ``ch``. A WHATWG GBK (gb18030) decoder
    reads the user-defined rows (where Big5 has its punctuation and many common
    characters) as private-use characters, which Python's GBK codec cannot encode."""
    try:
        return ch.encode(_LEGACY_PY[wrong])
    except UnicodeEncodeError:
        if "\ue000" <= ch <= "\uf8ff":
            for view in cc.LEGACY_PAIR_VIEWS[wrong][1:]:
                data = ch.encode(view)
                if len(data) == 2:
                    return data
        return None


def _lossy_encodings(run: str, wrong: str) -> Iterator[list[bytes | None]]:
    """Per character of ``run`` (U+FFFD: None), the bytes it may have come from under
    ``wrong``: as :func:`_legacy_encodings`, for runs with lost bytes (fewer
    combinations: each is read byte by byte)."""
    pieces: list[bytes | None] = []
    for ch in run:
        if ch == "\ufffd":
            pieces.append(None)
            continue
        piece = _encode_wrong(ch, wrong)
        if piece is None:
            return
        pieces.append(piece)
    yield pieces
    if wrong == "shift_jis":
        yield from _cp932_variants(run, pieces, MAX_DUAL_LOSSY)


def _cp932_variants(
    run: str, pieces: list[bytes | None], most: int
) -> Iterator[list[bytes | None]]:
    """``pieces`` (the bytes of each character of ``run``, as Python encodes it with
    cp932) with the other form of characters cp932 decodes from two places (NEC and IBM
    rows): every combination for up to ``most`` such characters, else all of them."""
    forms = cc.cp932_forms()
    dual = [i for i, ch in enumerate(run) if ch in forms]
    if not dual:
        return
    # the first form Python does not produce, for each such character
    other = {i: next(f for f in forms[run[i]] if f != pieces[i]) for i in dual}
    if len(dual) > most:
        yield [other.get(i, p) for i, p in enumerate(pieces)]
        return
    for mask in range(1, 1 << len(dual)):
        flip = {i for bit, i in enumerate(dual) if mask >> bit & 1}
        yield [other[i] if i in flip else p for i, p in enumerate(pieces)]


#: Characters with two cp932 forms tried both ways in a run with lost bytes.
MAX_DUAL_LOSSY = 3


def _lossy_readings(
    run: str, pieces: list[bytes | None], original: str, wrong: str
) -> Iterator[tuple[str, int]]:
    decoder = cc.ORIGINAL_DECODERS[original]
    tokens: list[int] = []
    for piece in pieces:
        if piece is None:
            tokens.append(HOLE)
        else:
            tokens.extend(piece)
    per_hole: dict[int, tuple[int, ...]] = {}
    for h, t in enumerate(tokens):
        if t == HOLE:
            following = tokens[h + 1] if h + 1 < len(tokens) and tokens[h + 1] >= 0 else -1
            per_hole[h] = _rejected_leads(wrong, following)
    if len(per_hole) <= LEGACY_MAX_FILLED:
        got = _legacy_decode(tokens, original, (), per_hole)
        if got is not None and got[1] * 2 <= _nonascii(got[0]):
            yield got[0], got[1]
    # WHATWG decoders consume a bad pair whole when its second byte is not ASCII: such a
    # U+FFFD is a whole character lost (the caller keeps the reading that reads better)
    pairs: list[int] = []
    lost: set[int] = set()
    for ci, piece in enumerate(pieces):
        if piece is None and ci + 1 < len(run) and ord(run[ci + 1]) > 0x7F:
            # two placeholders: one character, or the end of one and the start of the next
            lost.update((len(pairs), len(pairs) + 1))
            pairs.extend((0x81, 0x81))
        elif piece is None:
            lost.add(len(pairs))
            pairs.append(0x81)
        else:
            pairs.extend(piece)
    text = _decode_with_lost(pairs, lost, decoder)
    if text.count("\ufffd") * 2 <= _nonascii(text):
        yield text, text.count("\ufffd")


def _legacy_encodings(run: str, wrong: str) -> Iterator[bytes]:
    """The bytes ``run`` may have come from under ``wrong``. cp932 decodes some
    characters from two places (NEC and IBM rows); Python re-encodes one of them, so for
    each such character both forms are tried (every combination for up to ``MAX_DUAL``
    of them, else all of one kind)."""
    try:
        data = run.encode(_LEGACY_PY[wrong])
    except UnicodeEncodeError:
        found = [_encode_wrong(ch, wrong) for ch in run]
        if all(found):
            yield b"".join(p for p in found if p is not None)
        return
    yield data
    if wrong == "shift_jis":
        pieces: list[bytes | None] = [ch.encode("cp932") for ch in run]
        for variant in _cp932_variants(run, pieces, MAX_DUAL):
            yield b"".join(p for p in variant if p is not None)


# --------------------------------------------------------------------------- driver


_DOUBLE_BYTE = ("gbk", "shift_jis", "big5", "euc-kr", "euc-jp")


#: Lost characters scored per text: a base, plus one per so many characters. Real text
#: needs far fewer; a megabyte of ``\ufffd好`` gets this much work, the rest stays lost,
#: and time stays linear.
RESTORE_BUDGET_BASE = 4000
RESTORE_BUDGET_CHARS = 8


class _Call:
    """The state of one call of the fixer, handed down (no module state): the budget of
    lost characters scored, and the run readings already made, so that a text that
    repeats a run (``ï¿½ï¿½ abc`` over and over, in scraped dumps) reads each distinct run
    once, in the windows the fixer looks at first and in the whole text. Readings are
    copied out: callers shift their offsets."""

    def __init__(self) -> None:
        self.budget: list[int] = [RESTORE_BUDGET_BASE]
        self.seen: dict[tuple[Any, ...], list[_Candidate]] = {}

    def memo(self, fn: Any, *args: Any) -> list[_Candidate]:
        key = (fn, *args)
        got = self.seen.get(key)
        if got is None:
            got = self.seen[key] = fn(*args)
        return [copy.copy(c) for c in got]


def _candidates_for(text: str, depth: int, call: _Call | None = None) -> list[_Candidate]:
    if call is None:
        call = _Call()
    if depth == 0:
        call.budget = [RESTORE_BUDGET_BASE + len(text) // RESTORE_BUDGET_CHARS]
    cands: list[_Candidate] = []
    covered = _Intervals()  # runs fully explained by a strict utf-8 candidate
    for m in _RUN.finditer(text):
        for s0, e0 in _chunks(_with_leading_qmarks(text, m.start()), m.end()):
            for codec in _DOUBLE_BYTE:
                if not _codec_regex(codec).search(text, s0, e0) or not _may_hide_utf8(
                    text[s0:e0], codec
                ):
                    continue
                found = 0
                for s, e in _split_unencodable(text, s0, e0, codec):
                    if (e - s < e0 - s0) and not _may_hide_utf8(text[s:e], codec):
                        continue
                    outside = (text[s - 1 : s], text[e : e + 1])
                    for c in _utf8_spans(text[s:e], codec, depth, outside, call):
                        c.start += s
                        c.end += s
                        cands.append(c)
                        if c.strict:
                            found += c.end - c.start
                if found * 10 >= (e0 - s0) * 9:
                    # This codec explains (nearly) the whole run: the others need not try.
                    covered.add(s0, e0)
                    break
    ungated: list[tuple[int, int]] = []
    found_pairs: set[tuple[str, str]] = set()
    for m in _LEGACY_RUN.finditer(text):
        s0, e0 = _with_leading_qmarks(text, m.start()), m.end()
        if e0 - s0 > MAX_RUN or not covered.free(s0, e0):
            continue
        got = call.memo(_legacy_pair_spans, text[s0:e0]) if e0 - s0 >= 2 else []
        if not got:
            ungated.append((s0, e0))  # one character is enough once the pair is known
        for c in got:
            c.start += s0
            c.end += s0
            cands.append(c)
            if c.strict:
                found_pairs.add((c.chain[0], c.chain[1]))
    if found_pairs:
        # Short runs of a pair already found in this text, without its typical characters.
        pairs = tuple(p for p in _LEGACY_PAIRS if p in found_pairs)
        for s0, e0 in ungated[:1000]:
            for c in _legacy_pair_spans(text[s0:e0], pairs, gated=False):
                c.start += s0
                c.end += s0
                cands.append(c)
    latin = list(_latin_runs(text))
    runs: list[tuple[int, int, str, list[_Candidate]]] = []
    for s1, e1 in latin:
        for s0, e0 in _chunks(_with_leading_qmarks(text, s1, trail=True), e1):
            run = text[s0:e0]
            lost = run.count("\ufffd")
            if e0 - s0 < 2 or _nonascii(run) - lost < max(1, lost):
                continue  # U+FFFD from some other decoder, not cp1252 mojibake
            outside = (text[s0 - 1 : s0], text[e0 : e0 + 1])
            runs.append((s0, e0, run, call.memo(_legacy_spans, run, depth, outside, True, call)))
    put_back = sum(c.restored for *_, got in runs for c in got if c.chain[0] == "shift_jis")
    # (the text's own evidence of a dropping decoder is looked for only when it decides)
    doubtful = 0 < put_back < DROPPED_MIN and not any(
        _dropped_evidence(text[s:e], text[e : e + 1]) for s, e in latin[:MAX_LOOKS]
    )
    for s0, e0, run, got in runs:
        if doubtful and any(c.restored and c.chain[0] == "shift_jis" for c in got):
            # Without other evidence, a few bytes put back are more likely good text
            # (``ボタンBを``) than a decoder that dropped bytes: read without them.
            outside = (text[s0 - 1 : s0], text[e0 : e0 + 1])
            got = call.memo(_legacy_spans, run, depth, outside, False, call)
        glued = text[s0 - 1 : s0].isalpha() or text[e0 : e0 + 1].isalpha()
        for c in got:
            if glued and not c.strict and c.after_score < GLUED_MIN_FLUENCY:
                # a short run inside a Latin word ("Ångström"): only a very common
                # result (a Korean particle after an English word) may be weak
                continue
            c.start += s0
            c.end += s0
            cands.append(c)
    for s0, e0 in fallback.runs(text):
        # (legacy bytes read "as UTF-8, else Latin-1": see fallback.py)
        for c in call.memo(_fallback_spans, text[s0:e0]):
            c.start += s0
            c.end += s0
            cands.append(c)
    for c in cands:
        if c.strict and _foreign_short(text, c):
            c.strict = False  # taken only where the same chain is repaired elsewhere
    return cands


def _fallback_spans(run: str) -> list[_Candidate]:
    """Readings of ``run`` as legacy bytes shown by a UTF-8 decoder that falls back to
    Latin-1; none that leaves an ASCII letter inside the run (its ASCII characters are
    then no trail bytes: ``Büyükşehir`` stays Turkish)."""
    out: list[_Candidate] = []
    for enc, after in fallback.readings(run):
        if any(ch.isascii() and ch.isalpha() for ch in after):
            continue
        ok, weak, gain, b, a, lang = _judge(run, after, 0)
        if ok or weak:
            out.append(_Candidate(0, len(run), after, [enc, "cp1252"], gain, b, a, lang, 0, 0, ok))
    return out


_GLUE = LazyRegex(r"[\x40-\x7e]{1,2}")


def _latin_runs(text: str) -> Iterator[tuple[int, int]]:
    """Runs of Latin-1/cp1252 mojibake; and, where runs are only one or two ASCII
    characters apart (no space), the runs joined: Shift_JIS read by a decoder that drops
    the bytes cp1252 cannot map leaves trail bytes such as ``[`` (of ``ー``) alone, and two
    of them in a row break a run."""
    joined: tuple[int, int] | None = None
    parts = 0
    for m in _LATIN_RUN.finditer(text):
        yield m.start(), m.end()
        if joined is not None and _GLUE.fullmatch(text, joined[1], m.start()):
            joined = (joined[0], m.end())
            parts += 1
            continue
        if joined is not None and parts > 1:
            yield joined
        joined, parts = (m.start(), m.end()), 1
    if joined is not None and parts > 1:
        yield joined


#: Characters of context on each side of a short repair that tell its neighbourhood.
SHORT_CONTEXT = 20
_HAN = LazyRegex("[\u4e00-\u9fff]")


def _foreign_short(text: str, c: _Candidate) -> bool:
    """Is ``c`` a repair of a few characters that brings kana into text around it that
    has Han characters but no kana (``縺用`` read as ``しp`` in a Chinese sentence), or
    one that ends in a letter glued to the CJK text after it (``縺外を`` read as
    ``おOを``)? A lone Japanese word inside Chinese text, or a Latin letter between
    kana and kanji, is rarer than a rare character."""
    if _nonascii(c.after) >= SHORT or not _FULL_KANA.search(c.after):
        return False
    following = text[c.end : c.end + 1]
    if c.after[-1:].isascii() and c.after[-1:].isalpha() and _cjk_char(following):
        return True
    around = text[max(0, c.start - SHORT_CONTEXT) : c.start] + text[c.end : c.end + SHORT_CONTEXT]
    return _HAN.search(around) is not None and not _FULL_KANA.search(around)


def _cjk_char(ch: str) -> bool:
    return bool(ch) and _model().is_cjk(ch)


#: A run may hide UTF-8 when its bytes hold this many whole three-byte characters, or
#: one per this many of its characters.
MAY_HIDE_WIDE = 3
MAY_HIDE_SHARE = 4
# A character UTF-8 needs three or four bytes for (U+FFFD aside).
_WIDE = LazyRegex("[\u0800-\ufffc\ufffe\uffff\U00010000-\U0010ffff]")


def _may_hide_utf8(run: str, codec: str) -> bool:
    """Cheap test before the byte-by-byte parse: do ``run``'s bytes under ``codec`` hold
    at least one whole UTF-8 character of three or four bytes (or a lost byte)? Clean
    text passing the gate's looser rules holds none: it is done with at C speed."""
    if len(run) <= 3 and ("\ufffd" in run or "?" in run):
        return True  # a lost character alone (``銆?``): the parse decides
    # (characters the codec cannot encode split the run anyway, U+FFFD stands for lost
    # bytes: "?" stands in for either)
    data = run.encode(cc.WRONG_CODECS[codec][0], "replace")
    wide = len(_WIDE.findall(data.decode("utf-8", "replace")))
    # (clean CJK text re-encoded makes a three-byte sequence now and then by chance;
    # mojibake makes one for every two or three of its characters)
    # (where bytes were lost, whole characters are fewer: half a U+FFFD counts as one)
    likely = wide + run.count("\ufffd") // 2
    return wide >= MAY_HIDE_WIDE or likely * MAY_HIDE_SHARE >= len(run)


def _with_leading_qmarks(text: str, start: int, trail: bool = False) -> int:
    """Move ``start`` back over up to three "?" (each maybe with an ASCII trail byte)."""
    for _ in range(3):
        if start >= 1 and text[start - 1] == "?":
            start -= 1
        elif (
            trail and start >= 2 and text[start - 2] == "?" and "\x40" <= text[start - 1] <= "\x7e"
        ):
            start -= 2
        else:
            break
    return start


def _chunks(start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_RUN:
        yield start, start + MAX_RUN
        start += MAX_RUN
    yield start, end


class _Intervals:
    """Non-overlapping [start, end) intervals with a logarithmic overlap test."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            return False
        return not (i < len(self.starts) and self.starts[i] < end)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _select_once(
    cands: list[_Candidate], inner: bool, dominant: tuple[str, ...] | None
) -> list[_Candidate]:
    def key(c: _Candidate) -> tuple[int, float]:
        return (0 if tuple(c.chain) == dominant else 1, -(c.gain * (c.end - c.start)))

    cands = sorted(cands, key=key)
    chosen: list[_Candidate] = []
    taken = _Intervals()
    for c in cands:
        if (c.strict or tuple(c.chain) == dominant) and taken.free(c.start, c.end):
            chosen.append(c)
            taken.add(c.start, c.end)
    seen = {tuple(c.chain) for c in chosen}
    for c in cands:
        if not c.strict and (inner or tuple(c.chain) in seen) and taken.free(c.start, c.end):
            chosen.append(c)
            taken.add(c.start, c.end)
    chosen.sort(key=lambda c: c.start)
    return chosen


#: The languages each legacy encoding writes (UTF-8 writes all of them).
_WRITES: dict[str, tuple[str, ...]] = {
    "gbk": ("zh-Hans", "zh-Hant"),
    "big5": ("zh-Hant",),
    "shift_jis": ("ja",),
    "euc-jp": ("ja",),
    "euc-kr": ("ko",),
}


def _select(cands: list[_Candidate], inner: bool = False) -> list[_Candidate]:
    """Non-overlapping candidates, best first (total gain); weak ones only for a chain
    already repaired elsewhere in the text. A text is usually broken one way: where
    candidates of different chains compete, the chain that explains most of the text
    (the dominant one) wins."""
    first = _select_once(cands, inner, None)
    # A reading that two chains give alike (kana read as GBK or as EUC-JP) counts for
    # both: the spans where the chains differ decide, by length; then the chain whose
    # original encoding writes the language read (EUC-JP for Japanese); then by gain.
    alike: dict[tuple[int, int, str], list[tuple[str, ...]]] = {}
    gains: dict[tuple[str, ...], float] = {}
    for c in cands:
        if c.strict:
            chains = alike.setdefault((c.start, c.end, c.after), [])
            if tuple(c.chain) not in chains:
                chains.append(tuple(c.chain))
            gains[tuple(c.chain)] = gains.get(tuple(c.chain), 0.0) + c.gain * (c.end - c.start)
    weights: dict[tuple[str, ...], int] = {}
    native: dict[tuple[str, ...], int] = {}
    for c in first:
        if c.strict:
            for chain in alike.get((c.start, c.end, c.after), [tuple(c.chain)]):
                weights[chain] = weights.get(chain, 0) + c.end - c.start
                if c.lang in _WRITES.get(chain[0], (c.lang,)):
                    native[chain] = native.get(chain, 0) + c.end - c.start
    if not weights:
        return first
    dominant = max(
        weights, key=lambda k: (weights[k], native.get(k, 0), round(gains.get(k, 0.0), 6))
    )
    return _select_once(cands, inner, dominant)


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


def _describe(chain: list[str]) -> str:
    steps = [f"{chain[i]} decoded as {chain[i + 1]}" for i in range(0, len(chain) - 1, 2)]
    return ", then ".join(steps)


# A long text is first looked at around the gate's matches (this many characters either
# side, within the line): only if something there is worth repairing is the whole text
# searched (clean text with a stray match costs a few short looks, not a full search).
LOOK_WINDOW = 16
LOOK_LIMIT = 160
MAX_LOOKS = 64


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


def _look(text: str, call: _Call) -> tuple[bool, tuple[_Candidate, ...] | None]:
    """Is ``text`` worth a full search? Looks at windows around the gate's matches; a
    window that is the whole text is the full search, and its result is returned too."""
    m0 = _engine_gate_regex().search(text)
    if m0 is None:
        return False, None
    if len(text) <= 4 * LOOK_WINDOW:
        return True, None
    first = m0.start()
    done = 0
    for looks, m in enumerate(_engine_gate_regex().finditer(text, first)):
        if m.start() < done:
            continue
        if looks >= MAX_LOOKS:
            return True, None
        start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - LOOK_WINDOW)
        end = text.find("\n", m.end())
        end = min(len(text) if end < 0 else end, m.end() + LOOK_WINDOW)
        # never cut a run (a legacy pair cut at the wrong byte no longer decodes), up to
        # a limit
        start = _run_edge(text, start, -1, max(0, m.start() - LOOK_LIMIT))
        end = _run_edge(text, end, 1, min(len(text), m.end() + LOOK_LIMIT))
        chosen = _select(_candidates_for(text[start:end], 0, call))
        if start == 0 and end == len(text):
            return bool(chosen), tuple(chosen)  # (the window was the whole text)
        if chosen:
            return True, None
        done = end
    return False, None


def fix(text: str, config: Config) -> list[Edit]:
    call = _Call()
    worth, found = _look(text, call)
    if worth and found is None:
        found = tuple(_select(_candidates_for(text, 0, call)))
    # A span that is valid UTF-8 under a single-byte codec is that (Turkish, Greek,
    # Latin text), not a legacy CJK encoding read as latin-1: the UTF-8 reading is left
    # to the single-byte rows below.
    found = _utf8_over_legacy(text, tuple(found or ()))
    found = _single_byte_lines_to_ftfy(text, found)
    edits: list[Edit] = []
    for c in found:
        before = text[c.start : c.end]
        confidence = max(0.5, min(0.99, 0.5 + c.gain / 12))
        edits.append(
            Edit(
                c.start,
                c.end,
                c.after,
                reason=_describe(c.chain),
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
    return sorted(edits + western.edits(text, taken), key=lambda e: e.start)


_SINGLE_BYTE = frozenset({"cp1252", "latin-1"})


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
        if not all(c.chain[0] == "utf-8" and _SINGLE_BYTE.issuperset(c.chain[1::2]) for c in group):
            # Legacy readings: ftfy's reading wins where it reads the whole line as UTF-8
            # through one single-byte codec and leaves nothing broken (Mac Roman's
            # ``‚Ññ`` is №, not Shift_JIS read as cp1252); a line of CJK mojibake is not
            # UTF-8 through and through.
            if western.whole_line_reading(line) is not None:
                dropped.update(id(c) for c in group)
            continue
        shifted = [dataclass_replace(c, start=c.start - start, end=c.end - start) for c in group]
        if western.more_complete(line, splice(line, shifted)):
            dropped.update(id(c) for c in group)
    return tuple(c for c in found if id(c) not in dropped) if dropped else found


#: A run at least this long that is UTF-8 through a single-byte codec is not also
#: decoded as each legacy encoding.
UTF8_RUN_SKIPS_LEGACY = 8


def _utf8_junk(run: str) -> bool:
    reading = western.utf8_reading(run, western.LATIN)
    if reading is None or ("\ufffd" not in reading and len(run) < UTF8_RUN_SKIPS_LEGACY):
        return False
    return western.ftfy_reads(run)


def _utf8_over_legacy(text: str, found: tuple[_Candidate, ...]) -> tuple[_Candidate, ...]:
    """Drop the legacy readings of spans that are valid UTF-8 under a single-byte codec
    (and that ftfy takes for mojibake), where UTF-8 explains at least as much of the
    paragraph as the legacy readings it does not explain: ``HÄ±rsÄ±zÄ±`` is Turkish,
    not GBK, but ``Îª`` in a paragraph of GBK read as latin-1 is 为, not Ϊ."""
    legacy = [c for c in found if c.chain[0] != "utf-8" and c.chain[-1] in _SINGLE_BYTE]
    explained = {id(c) for c in legacy if _utf8_explains(text, c)}
    if not explained:
        return found
    utf8 = sum(c.end - c.start for c in found if id(c) in explained or c.chain[0] == "utf-8")
    other = sum(c.end - c.start for c in legacy if id(c) not in explained)
    if utf8 < other:
        return found
    return tuple(c for c in found if id(c) not in explained)


def _utf8_explains(text: str, c: _Candidate) -> bool:
    """Is ``c`` a legacy reading of a span whose bytes under a single-byte codec are
    valid UTF-8 (at least one multi-byte character) that ftfy takes for mojibake?"""
    if c.chain[0] == "utf-8" or c.chain[-1] not in ("latin-1", "cp1252"):
        return False
    return western.ftfy_reads(text[c.start : c.end])


def _evident(before: str, c: _Candidate) -> bool:
    """Is a weak candidate worth reporting? Only a span of two or more non-ASCII
    characters that passes the gate on its own (a run of what mojibake is made of, not
    one rare character), whose reading is not just U+FFFD and makes no ASCII appear
    (``甯波`` read as Shift_JIS bytes gives ``팔g``: a clean word, not mojibake)."""
    after = c.after
    if _nonascii(before) < 2 or not after.strip("\ufffd") or not gate(before):
        return False
    return len(after) - _nonascii(after) <= len(before) - _nonascii(before)


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
        if c.strict or not taken.free(c.start, c.end) or not _evident(text[c.start : c.end], c):
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


FIXER = register(
    Fixer(
        "mojibake",
        gate=gate,
        fix=fix,
        detect=detect,
        gate_pattern=gate_pattern,
        gate_chars=gate_chars,
        # a repair can reveal more mojibake (a span salvaged with U+FFFD leaves its
        # neighbours judged against new context)
        rounds=3,
    )
)
