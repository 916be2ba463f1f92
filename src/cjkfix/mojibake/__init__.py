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
   context; the best is kept only at a posterior of 0.93 (0.97 with two unknown bytes;
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
   still not fluent is tried once more (double mojibake). Where strong runs establish
   the paragraph's chain (a legacy encoding read as Latin-1) and language, a run left
   over in their lines is read that way too, by the paragraph's one reader (a page that
   lost soft hyphens, or a decoder that falls back to Latin-1), if it reads as that
   language (:mod:`cjkfix.mojibake.paragraph`). The pipeline runs this fixer again while
   it changes something, so that repairs are idempotent.
6. Bytes a decoder ate: UTF-8 read as cp932 by a Windows decoder, which writes ``・``
   for a bad lead and the byte after it, and written back as UTF-8 leaves ``起勁E/``
   for ``起動</``: the character is read back where the model clearly prefers it, the
   eaten byte is U+FFFD (:mod:`cjkfix.mojibake.eaten`).
7. Other scripts: a span whose bytes are valid UTF-8 under a single-byte codec, and
   that ftfy takes for mojibake, is not read as a legacy CJK encoding where UTF-8
   explains as much of the paragraph; lines the engine leaves, lines ftfy reads whole
   as UTF-8 through one codec, and lines where ftfy reads UTF-8-through-single-byte
   further than the engine did, get ftfy's repair (:mod:`cjkfix.western`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cjkfix.mojibake.gate import gate, gate_at, gate_chars, gate_pattern, has_mojibake_run, places
from cjkfix.registry import Fixer, register

if TYPE_CHECKING:
    from cjkfix.config import Config
    from cjkfix.mojibake.context import _Call
    from cjkfix.mojibake.engine import SpanRepair
    from cjkfix.steps import Edit, Finding

__all__ = [
    "FIXER",
    "SpanRepair",
    "detect",
    "fix",
    "gate",
    "gate_chars",
    "gate_pattern",
    "has_mojibake_run",
    "repair_span",
    "would_repair",
]

# The engine (cjkfix.mojibake.engine and the modules it uses) loads on first need: clean
# text passes only the gate, and importing cjkfix stays cheap.


def fix(text: str, config: Config) -> list[Edit]:
    """The repairs of the mojibake in ``text`` (see :func:`cjkfix.mojibake.engine.fix`)."""
    from cjkfix.mojibake.engine import fix as engine_fix

    return engine_fix(text, config)


def fix_kept(text: str, config: Config, kept: dict[str, Any]) -> list[Edit]:
    """:func:`fix` with readings kept over the pipeline's rounds on one unit."""
    from cjkfix.mojibake.engine import fix as engine_fix

    return engine_fix(text, config, kept)


def gate_kept(text: str, kept: dict[str, Any]) -> bool:
    """:func:`gate`, leaving for :func:`fix_kept` the places it tried the rules at (see
    :func:`cjkfix.mojibake.gate.places`): one scan for the gate and the fixer."""
    found = places(text)
    kept["places"] = (text, found)
    return gate_at(text, found)


def detect(text: str, config: Config) -> list[Finding]:
    """Spans that look like mojibake but are too short or ambiguous to repair."""
    from cjkfix.mojibake.engine import detect as engine_detect

    return engine_detect(text, config)


def repair_span(text: str, depth: int = 0, call: _Call | None = None) -> SpanRepair | None:
    """Repair ``text`` as a whole (see :func:`cjkfix.mojibake.engine.repair_span`)."""
    from cjkfix.mojibake.engine import repair_span as engine_repair_span

    return engine_repair_span(text, depth, call)


def would_repair(line: str) -> bool:
    """Would this fixer change ``line``? (For other fixers to stay off mojibake.)"""
    if not has_mojibake_run(line):
        return False
    from cjkfix.mojibake.engine import would_repair as engine_would_repair

    return engine_would_repair(line)


def __getattr__(name: str) -> Any:
    if name == "SpanRepair":
        from cjkfix.mojibake.engine import SpanRepair

        return SpanRepair
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


FIXER = register(
    Fixer(
        "mojibake",
        gate=gate,
        fix=fix,
        fix_kept=fix_kept,
        gate_kept=gate_kept,
        detect=detect,
        gate_pattern=gate_pattern,
        gate_chars=gate_chars,
        # a repair can reveal more mojibake (a span salvaged with U+FFFD leaves its
        # neighbours judged against new context)
        rounds=3,
    )
)
