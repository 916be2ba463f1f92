"""Legacy pairs: double-byte text read with another double-byte codec (``笢恅`` for 中文)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from cjkfix import codecs as cc
from cjkfix.mojibake import dropped
from cjkfix.mojibake.lossy import _cp932_variants, _encode_wrong, _lossy_encodings, _lossy_readings
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.rules import applies, blank_strays
from cjkfix.mojibake.tables import _COMMON_LANG, _LEGACY_PAIRS, _LEGACY_PY
from cjkfix.mojibake.verdict import _Candidate, _Judge, _model


def _common(original: str) -> str:
    """The most frequent characters of text in ``original``'s language (from the model)."""
    return "".join(_model().top_chars(_COMMON_LANG[original], POLICY.common_size))


@functools.cache
def _legacy_regex(original: str, wrong: str) -> re.Pattern[str]:
    """Two characters side by side of which one is what ``wrong`` makes of a frequent
    character of ``original`` (and rare itself): the gate of a legacy pair."""
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
            model.char_logprob(c, lang) <= POLICY.gate_common
            for lang in ("zh-Hans", "zh-Hant", "ja")
        )
    }
    # (a wrong codec that rejects the bytes of the original's common characters, as
    # Big5 rejects Shift_JIS's leads 81-A0, makes nothing of them but U+FFFD: what is
    # left of them is the replacement fixer's to read, and a pair reading of every run
    # of U+FFFD beside a character made U+FFFD junk three times slower for nothing:
    # Shift_JIS read as Big5 kept as many characters without it)
    if not chars:
        return re.compile("(?!)")
    cls = f"[{re.escape(''.join(sorted(chars)))}]"
    # (or two CJK characters, kana or private-use characters around an ASCII byte, a
    # trail: Big5 read as Shift_JIS, ``ｳ]ｩw`` for 設定; not ``déjà``)
    wide = f"[{re.escape(''.join(sorted(c for c in chars if ord(c) >= 0x2E80)) or chr(0xFFFD))}]"
    both = f"{cls}[^\\x00-\\x7f]|[^\\x00-\\x7f]{cls}"
    if not cc.shows_trail_alone(original, wrong):
        return re.compile(both)
    return re.compile(f"{both}|{wide}[\\x40-\\x7e]{wide}")


def _legacy_pair_spans(
    run: str, pairs: tuple[tuple[str, str], ...] = (), gated: bool = True, closed: bool = False
) -> list[_Candidate]:
    """Double-byte text read with another double-byte codec (``笢恅`` for 中文).

    ``gated``: only pairs whose typical characters the run holds; otherwise ``pairs``
    (already found elsewhere in the text) are tried on any run. ``closed``: what follows
    the run cannot be a trail byte (see :func:`_legacy_readings`).
    """
    out: list[_Candidate] = []
    if applies("alphabetic_words", run):
        return out
    judge = _Judge(run)
    for original, wrong in pairs or _LEGACY_PAIRS:
        if gated and not _legacy_regex(original, wrong).search(run):
            continue
        best: _Candidate | None = None
        best_value = 0.0
        for after, lost in _legacy_readings(run, original, wrong, closed):
            ok, weak, gain, b, a, lang = judge(after, lost)
            # (a short run of a pair found elsewhere in the text, ``丅`` for ``。``, is
            # too short to tell its language; the text's other runs have told it)
            if not applies("fits_codec", after, original, lang if gated else None):
                continue
            if (ok or weak) and not applies("fluent_throughout", after, lang or "zh-Hans"):
                continue
            if weak and not ok and "?" in after:
                continue  # a "?" kept as such: may be a lost byte, so no weak evidence
            # (readings are compared with each "?" valued as a lost character: a question
            # mark is likelier than most characters, a lost byte is not)
            value = _model().score(after.replace("?", "\ufffd"))[1] if "?" in after else a
            if (ok or weak) and (best is None or value > best_value):
                best_value = value
                if applies("stray_trail", after, closed):
                    # (a byte dropped without a trace put the pair before a letter out
                    # of step: that character and the letter, its partner's trail left
                    # alone, are lost; judged as read, so that the blanks hide nothing)
                    after, strays = blank_strays(after, closed)
                    lost += 2 * strays
                best = _Candidate(
                    0, len(run), after, [original, wrong], gain, b, a, lang, 0, lost, ok
                )
        # (a decoder that drops the bytes it cannot pair leaves no trace but text out
        # of step: its bytes put back, where they clearly win over none put back)
        got = dropped.read(run, original, wrong)
        if got is not None:
            after, lost, put_back, judged = got
            ok, _weak, gain, b, a, lang = judge(judged, judged.count("\ufffd"))
            if (
                ok
                and applies("fits_codec", judged, original, lang if gated else None)
                and applies("fluent_throughout", judged, lang or "zh-Hans")
            ):
                best = _Candidate(
                    0, len(run), after, [original, wrong], gain, b, a, lang, put_back, lost, ok
                )
        if best is not None:
            out.append(best)
    return out


def _legacy_readings(
    run: str, original: str, wrong: str, closed: bool = False
) -> Iterator[tuple[str, int]]:
    """What ``run`` reads as in ``original``: (text, characters lost). A U+FFFD is a byte
    the wrong decoder rejected before the next one (Python's decoders, one per byte): it
    is filled where the model clearly prefers one byte, else its character stays lost.
    Or (WHATWG decoders) a pair of bytes: one character, or the end of one and the start
    of the next, both lost. ``closed``: nothing after the run can be a trail byte, so a
    reading that leaves a lead alone at its end is none."""
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
            yield from _legacy_readings(run.replace("?", "\ufffd"), original, wrong, closed)
        return
    for pieces in _lossy_encodings(run, wrong):
        yield from _lossy_readings(run, pieces, original, wrong, closed)


def _legacy_encodings(run: str, wrong: str) -> Iterator[bytes]:
    """The bytes ``run`` may have come from under ``wrong``. cp932 decodes some
    characters from two places (NEC and IBM rows); Python re-encodes one of them, so for
    each such character both forms are tried (every combination for up to ``POLICY.max_dual``
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
        for variant in _cp932_variants(run, pieces, POLICY.max_dual):
            yield b"".join(p for p in variant if p is not None)
