"""Bytes a decoder ate: UTF-8 read by a Windows decoder that takes the byte after a bad
lead along, written back as UTF-8 (the ``eat`` chains of :data:`cjkfix.codecs.CHAINS`).

UTF-8 read as cp932: a character's last byte ``95`` is a lead there, and the ``<`` after
it (``3C``) no trail; the decoder writes ``・`` for both, which goes back as ``81 45``.
The text is UTF-8 again, but the character now ends in ``81`` and an ``E`` stands where
the ASCII character was:

    >>> from cjkfix import repair
    >>> repair('<span class="hidden sm:inline">起勁E/span>')
    '<span class="hidden sm:inline">起動\\ufffd/span>'

Each chain whose row lists ``eat`` and that goes back to UTF-8 gives a *shape*: the
bytes of the wrong codec's default character, a UTF-8 continuation byte and an ASCII
byte (a default character that is not, ``?`` of GBK, leaves U+FFFD: not this module's).
A character ending in the first byte, followed by the second (not inside an ASCII word,
nor before a U+FFFD: there the eaten byte was the lead of a UTF-8 character whose other
bytes now stand alone, not read back here), is read back: its last byte is each byte
that is a lead of the wrong codec, and the best reading replaces the character only
where the model prefers it clearly to the character as it stands, and is kept where it
is near-certain (else U+FFFD); the eaten byte is not known (one U+FFFD). The simulator
must give the text back from the reading (:func:`cjkfix.simulate.corrupt`: the byte was
at a lead there), and no bad pair of the wrong codec may have survived in the line (its
decoder would have eaten that byte too).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from cjkfix import codecs as cc
from cjkfix import model
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.verdict import _Candidate, _known_chars


@dataclass(frozen=True)
class _Shape:
    """What one chain leaves where a bad lead ate the byte after it."""

    #: The chain's row name (``"utf-8>shift_jis>shift_jis>utf-8"``).
    chain: str
    #: The wrong codec that ate the byte.
    wrong: str
    #: Its default character as bytes: a UTF-8 continuation byte, then an ASCII byte.
    mark: bytes


@functools.cache
def _shapes() -> tuple[_Shape, ...]:
    out: list[_Shape] = []
    for row in cc.CHAINS:
        if "eat" not in row.behaviours or len(row.steps) != 2:
            continue
        (a, wrong), (b, back) = row.steps
        if not (a == back == "utf-8" and b == wrong):
            continue
        codec = cc.CODEC[wrong]
        mark = codec.default_char.encode(codec.writer)
        if len(mark) == 2 and 0x80 <= mark[0] <= 0xBF and mark[1] < 0x80:
            out.append(_Shape(row.name, wrong, mark))
    return tuple(out)


def _ending_in(byte: int) -> str:
    """A regex class of the characters whose UTF-8 form is three bytes ending in ``byte``."""
    low = byte & 0x3F
    chars = (chr(c) for c in range(0x800 | low, 0x10000, 0x40) if not 0xD800 <= c < 0xE000)
    return "".join(re.escape(ch) for ch in chars)


def gate_branches() -> list[tuple[str, str]]:
    """The gate's rules for these chains, as (first character's class, rest of the
    match): a character ending in the mark's first byte, then its ASCII byte, not
    followed by a letter or digit."""
    return [
        (_ending_in(s.mark[0]), f"{re.escape(chr(s.mark[1]))}(?![0-9A-Za-z\ufffd])")
        for s in _shapes()
    ]


@functools.cache
def _regex(shape: _Shape) -> re.Pattern[str]:
    mark = re.escape(chr(shape.mark[1]))
    return re.compile(f"[{_ending_in(shape.mark[0])}](?={mark}(?![0-9A-Za-z\ufffd]))")


def spans(text: str) -> list[_Candidate]:
    """Readings of the places in ``text`` where a decoder ate a byte (see the module
    docstring): one candidate each, the character and a U+FFFD for the eaten byte."""
    out: list[_Candidate] = []
    for shape in _shapes():
        fixed: dict[int, bool] = {}
        for m in _regex(shape).finditer(text):
            start = text.rfind("\n", 0, m.start()) + 1
            if start not in fixed:
                end = text.find("\n", m.start())
                line = text[start : len(text) if end < 0 else end]
                fixed[start] = _may_have_passed(line, shape)
            if fixed[start]:
                got = _reading(text, m.start(), start, shape)
                if got is not None:
                    out.append(got)
    return out


def _may_have_passed(line: str, shape: _Shape) -> bool:
    """Could the chain have been through ``line``? Not where the wrong codec reads a lead
    byte and an ASCII byte that is no trail as a pair: its decoder would have eaten it."""
    codec = cc.CODEC[shape.wrong]
    data = line.encode("utf-8", "surrogatepass")
    i, n = 0, len(data)
    while i < n:
        if not codec.is_lead(data[i]):
            i += 1
            continue
        if i + 1 < n and data[i + 1] < 0x80 and not codec.is_trail(data[i + 1]):
            return False
        i += 2
    return True


def _reading(text: str, i: int, line_start: int, shape: _Shape) -> _Candidate | None:
    """The reading of the character at ``i`` and the mark's ASCII byte after it."""
    from cjkfix.simulate import corrupt

    codec = cc.CODEC[shape.wrong]
    lang = codec.languages[0] if codec.languages else model.score(text[line_start:i])[0]
    head = text[i].encode("utf-8")[:-1]
    # the bytes before it up to the last one that is never a trail: the wrong codec's
    # reading of the character's last byte starts there
    sync = i
    while sync > line_start and not (
        ord(text[sync - 1]) < 0x80 and not codec.is_trail(ord(text[sync - 1]))
    ):
        sync -= 1
    eaten = next(b for b in range(0x20, 0x80) if not codec.is_trail(b))
    known = _known_chars()
    options: list[str] = []
    for last in range(0x80, 0xC0):
        if not codec.is_lead(last):
            continue
        try:
            ch = (head + bytes([last])).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if ch not in known and ch != text[i]:
            continue  # (what stands is always a reading: the model may not know it)
        # (the simulator must give the text back from this reading)
        seen = corrupt(text[sync:i] + ch + chr(eaten), shape.chain, "eat")
        if seen == text[sync : i + 2]:
            options.append(ch)
    if text[i] not in options or len(options) < 2:
        return None
    left = text[i - 1] if i > 0 else ""
    scores = model.candidate_scores(left, options, "", lang)
    best = max(range(len(options)), key=scores.__getitem__)
    stands = scores[options.index(text[i])]
    if options[best] == text[i] or scores[best] - stands < POLICY.eaten_margin:
        return None
    z = sum(math.exp(v - scores[best]) for v in scores)
    sure = 1.0 / z >= POLICY.salvage_posterior
    after = (options[best] if sure else "\ufffd") + "\ufffd"
    return _Candidate(
        i,
        i + 2,
        after,
        ["utf-8", shape.wrong, shape.wrong, "utf-8"],
        scores[best] - stands,
        stands,
        scores[best],
        lang,
        restored=int(sure),
        lost=2 - int(sure),
    )
