"""Runs to candidates: every run of each wrong codec's characters, read under each chain."""

from __future__ import annotations

from collections.abc import Iterator

from cjkfix import codecs as cc
from cjkfix import fallback
from cjkfix._lazyre import LazyRegex
from cjkfix.mojibake.context import _Call
from cjkfix.mojibake.gate import _HIGH, _codec_regex
from cjkfix.mojibake.legacy import _legacy_spans
from cjkfix.mojibake.pairs import _legacy_pair_spans
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.restore import open_brackets
from cjkfix.mojibake.rules import applies
from cjkfix.mojibake.select import _Intervals
from cjkfix.mojibake.tables import _DOUBLE_BYTE, _LEGACY_PAIRS
from cjkfix.mojibake.tokens import _split_unencodable
from cjkfix.mojibake.utf8 import _utf8_spans
from cjkfix.mojibake.verdict import _Candidate, _judge, _nonascii

# Runs for the double-byte wrong codecs: non-ASCII characters, with "?" beside them.
# (Each starts at a non-ASCII character, so that no run of "?" makes the scan quadratic;
# up to three "?" before it are added by :func:`_with_leading_qmarks`.)
_RUN = LazyRegex(r"[^\x00-\x7f](?:\?*[^\x00-\x7f])*\?*")


# The characters cp1252 makes of bytes 80-9F, which Latin-1 shows as C1 controls.
_CP1252_OWN = LazyRegex("[" + cc.CP1252_OWN + "]")


# Runs for cp1252/latin-1: high characters, each possibly followed by the ASCII trail
# byte of a double-byte character (or a "?" standing for a lost byte, or an ASCII quote
# not before a letter or digit: a curly quote folded to ASCII, ``é"®``, ``ìš".``).
_LATIN_RUN = LazyRegex(
    f"[{_HIGH}][\\x40-\\x7e]?(?:\\?[\\x40-\\x7e]?|[{_HIGH}][\\x40-\\x7e]?|[\"'](?![A-Za-z0-9]))*"
)


# Runs for double-byte text read with another double-byte codec: non-ASCII characters
# and the ASCII trail bytes between them (split at spaces and line ends), and one at the
# end, not before a letter or digit: the trail of a lead the run ends with (a lost byte,
# "?", the last byte of a character: Big5's ``設定`` is ``ｳ]ｩw`` in Shift_JIS, ``文。``
# ``､蝪C``).
_LEGACY_RUN = LazyRegex(
    r"[^\x00-\x7f](?:[^\x00-\x7f]|\?|[\x40-\x7e](?=[^\x00-\x7f]))*"
    r"(?:[\x40-\x7e](?![0-9A-Za-z]))?"
)


def _candidates_for(text: str, depth: int, call: _Call | None = None) -> list[_Candidate]:
    if call is None:
        call = _Call()
    if depth == 0:
        call.budget = [POLICY.restore_budget_base + len(text) // POLICY.restore_budget_chars]
        call.shows_cp1252 = _CP1252_OWN.search(text) is not None
    cands: list[_Candidate] = []
    covered = _Intervals()  # runs fully explained by a strict utf-8 candidate
    for m in _RUN.finditer(text):
        for s0, e0 in _chunks(_with_leading_qmarks(text, m.start()), m.end()):
            chunk = text[s0:e0]
            for codec in _DOUBLE_BYTE:
                key = (chunk, codec)
                if key in call.splits:
                    splits = call.splits[key]
                else:
                    splits = call.splits[key] = _splits(chunk, codec)
                if splits is None:
                    continue
                found = 0
                for a, b in splits:
                    s, e = s0 + a, s0 + b
                    outside = _outside(text, s, e)
                    for c in call.run_readings(_utf8_spans, text[s:e], codec, depth, outside):
                        c.start += s
                        c.end += s
                        cands.append(c)
                        if c.strict:
                            found += c.end - c.start
                if found * 10 >= (e0 - s0) * 9:
                    # This codec explains (nearly) the whole run: the others need not try.
                    covered.add(s0, e0)
                    break
    ungated: list[tuple[int, int, bool]] = []
    found_pairs: set[tuple[str, str]] = set()
    for m in _LEGACY_RUN.finditer(text):
        s0, e0 = _with_leading_qmarks(text, m.start()), m.end()
        if e0 - s0 > POLICY.max_run or not covered.free(s0, e0):
            continue
        # (closed: what follows cannot be the trail of a lead the run ends with)
        closed = e0 == len(text) or not "\x40" <= text[e0] <= "\x7e"
        got = call.memo(_legacy_pair_spans, text[s0:e0], (), True, closed) if e0 - s0 >= 2 else []
        if not closed and text[e0 - 1] >= "\x80":
            # (the run stops before a letter or digit, which may be the trail of its
            # last lead all the same: Big5's 「 is A1 75, ``｡u`` in Shift_JIS, before a
            # word, ``｡urefs/``; read with it too, the likelier reading taken, where it
            # loses nothing: ``笭ㄛT400`` is 重，T400, and read so it lost ，T)
            e1 = e0 + 1
            shut = e1 == len(text) or not "\x40" <= text[e1] <= "\x7e"
            more = call.memo(_legacy_pair_spans, text[s0:e1], (), True, shut)
            got = got + [c for c in more if c.lost == 0]
        if not got:
            ungated.append((s0, e0, closed))  # one character is enough once the pair is known
        for c in got:
            c.start += s0
            c.end += s0
            cands.append(c)
            if c.strict:
                found_pairs.add((c.chain[0], c.chain[1]))
    if found_pairs:
        # Short runs of a pair already found in this text, without its typical characters.
        pairs = tuple(p for p in _LEGACY_PAIRS if p in found_pairs)
        for s0, e0, closed in ungated[:1000]:
            for c in _legacy_pair_spans(text[s0:e0], pairs, False, closed):
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
            outside = _outside(text, s0, e0)
            runs.append((s0, e0, run, call.memo(_legacy_spans, run, depth, outside, True, call)))
    put_back = sum(c.restored for *_, got in runs for c in got if c.chain[0] == "shift_jis")
    # (the text's own evidence of a dropping decoder is looked for only when it decides)
    doubtful = 0 < put_back < POLICY.dropped_min and not any(
        applies("dropped_evidence", text[s:e], text[e : e + 1])
        for s, e in latin[: POLICY.max_looks]
    )
    for s0, e0, run, got in runs:
        if doubtful and any(c.restored and c.chain[0] == "shift_jis" for c in got):
            # Without other evidence, a few bytes put back are more likely good text
            # (``ボタンBを``) than a decoder that dropped bytes: read without them.
            outside = _outside(text, s0, e0)
            got = call.memo(_legacy_spans, run, depth, outside, False, call)
        for c in got:
            if applies("glued_weak", text, s0, e0, c) or applies(
                "nothing_read", run[c.start : c.end], c
            ):
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
        if c.strict and applies("foreign_short", text, c):
            c.strict = False  # taken only where the same chain is repaired elsewhere
    return cands


#: The most characters UTF-8 read through cp1252 twice shows for one (``Ã£â‚¬Å’``).
_SHOWN_PER_CHAR = 8


def _outside(text: str, start: int, end: int) -> tuple[str, str]:
    """The context of the run ``text[start:end]``: the character before it, after the
    CJK brackets its line leaves open before it (:func:`~cjkfix.mojibake.restore.open_brackets`,
    within :attr:`~cjkfix.mojibake.policy.Policy.pair_window` characters of text, which
    mojibake shows in up to :data:`_SHOWN_PER_CHAR` characters each), and the character
    after it."""
    lo = max(0, start - POLICY.pair_window * _SHOWN_PER_CHAR)
    lo = max(lo, text.rfind("\n", lo, start) + 1)
    return open_brackets(text[lo : max(lo, start - 1)]) + text[start - 1 : start], text[
        end : end + 1
    ]


def _splits(chunk: str, codec: str) -> tuple[tuple[int, int], ...] | None:
    """The parts of ``chunk`` (a run, or a piece of a long one) to read as UTF-8 under
    ``codec``: None where nothing of it may be (see the rule ``may_hide_utf8``), else
    its stretches between characters ``codec`` cannot encode that may (or it whole). A
    function of the chunk alone, kept per call (:attr:`_Call.splits`)."""
    if not _codec_regex(codec).search(chunk) or not applies("may_hide_utf8", chunk, codec):
        return None
    return tuple(
        (s, e)
        for s, e in _split_unencodable(chunk, 0, len(chunk), codec)
        if e - s == len(chunk) or applies("may_hide_utf8", chunk[s:e], codec)
    )


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
    while end - start > POLICY.max_run:
        yield start, start + POLICY.max_run
        start += POLICY.max_run
    yield start, end
