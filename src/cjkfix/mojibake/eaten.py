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
The second, not followed by a letter or digit, marks three kinds of place:

* after a character ending in the first byte, with an ASCII byte eaten: the character
  is read back, its last byte each byte that is a lead of the wrong codec where that
  byte was read as a lead (the line's bytes from the start, the last byte that is never
  a trail, the last mark, or either of the two bytes after a U+FFFD); the best reading,
  in the language in which the line then reads best (the original was UTF-8: any), is
  kept where it is near-certain (and the character after the eaten byte, if CJK,
  agrees), else U+FFFD; the eaten byte is one U+FFFD (none at the end of the text, where
  the decoder met the lead last);
* the same, followed by one to three U+FFFD: the eaten byte led a UTF-8 character whose
  other bytes now stand alone: both characters are U+FFFD (the one after, which would
  tell ``間遅`` from ``間違``, is gone);
* after a U+FFFD: the first byte was in the middle of a character, whose last byte was
  eaten: the character is the U+FFFD, the mark goes.

A character is read back on its own where the model prefers another reading by
:attr:`~cjkfix.mojibake.policy.Policy.eaten_margin` to it as it stands; any place is,
where the line shows the chain (such a character, or two places). No line in which the
wrong codec reads a lead and an ASCII byte that is no trail as a pair is read (its
decoder would have eaten that byte too). :mod:`cjkfix.simulate` makes these texts
(tests/cases/eaten.json). Read as cp932 only (``縺励◆縲・``), the engine's reading
(``した、E``) shows the same places, read back where the run held the decoder's ``・``
(:func:`read_back`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
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
    match): the mark's ASCII byte after a character ending in the mark's first byte,
    not followed by a letter or digit. (A U+FFFD before it passes the gate anyway.) The
    rule starts at the ASCII byte: the characters ending in 81 include everyday ones
    (``、``, ``め``, ``チ``), and a gate that stopped at each of them cost clean CJK text
    a third of its speed."""
    out = []
    for s in _shapes():
        mark = re.escape(chr(s.mark[1]))
        rest = _after_mark(s)[len(mark) :]
        out.append((mark, f"(?<=[{_ending_in(s.mark[0])}]{mark}){rest}"))
    return out


def _after_mark(shape: _Shape) -> str:
    """The mark's ASCII byte, then what a lead it ate left (one to three U+FFFD) or no
    letter or digit."""
    return f"{re.escape(chr(shape.mark[1]))}(?:\ufffd{{1,3}}|(?![0-9A-Za-z]))"


@functools.cache
def _regex(shape: _Shape) -> re.Pattern[str]:
    return re.compile(f"(?:(?P<char>[{_ending_in(shape.mark[0])}])|\ufffd)(?={_after_mark(shape)})")


@functools.cache
def _mark_regex(shape: _Shape) -> re.Pattern[str]:
    """The mark's ASCII byte where :func:`_regex` can match just before it (a scan that
    stops at each ASCII ``E``, not at each of the everyday characters ending in 81)."""
    mark = re.escape(chr(shape.mark[1]))
    rest = _after_mark(shape)[len(mark) :]
    return re.compile(f"(?<=[{_ending_in(shape.mark[0])}\ufffd]){mark}(?={rest})")


def _places(text: str, shape: _Shape) -> Iterator[re.Match[str]]:
    """The matches of :func:`_regex` in ``text``, found from the marks."""
    whole = _regex(shape)
    for m in _mark_regex(shape).finditer(text):
        got = whole.match(text, m.start() - 1)
        if got is not None:
            yield got


def spans(text: str, *, shown: bool = False, ends: bool = True) -> list[_Candidate]:
    """Readings of the places in ``text`` where a decoder ate a byte (see the module
    docstring): one candidate each. ``shown``: the text is known to show the chain;
    ``ends``: the end of ``text`` is the end of what the decoder read."""
    out: list[_Candidate] = []
    for shape in _shapes():
        by_line: dict[int, list[re.Match[str]]] = {}
        for m in _places(text, shape):
            by_line.setdefault(text.rfind("\n", 0, m.start()) + 1, []).append(m)
        for start, found in by_line.items():
            end = text.find("\n", start)
            if _may_have_passed(text[start : len(text) if end < 0 else end], shape):
                out += _line_readings(text, start, found, shape, shown, ends)
    return out


def _line_readings(
    text: str,
    line_start: int,
    found: list[re.Match[str]],
    shape: _Shape,
    shown: bool = False,
    ends: bool = True,
) -> list[_Candidate]:
    """The readings of one line's places: a character read back on its own where the
    model clearly prefers another reading; where the line shows the chain (such a place,
    or two places at all), any other reading too, and the places a U+FFFD shows."""
    readings: list[tuple[re.Match[str], _Candidate | None, bool]] = []
    taken = floor = 0
    for m in found:
        i = m.start()
        if i < taken:
            continue  # (a U+FFFD a place before took)
        end = i + 2
        while end < len(text) and end - i < 5 and text[end] == "\ufffd":
            end += 1
        ate_lead = end > i + 2  # (the eaten byte led a character, whose rest is U+FFFD)
        # (the mark was a whole pair of the wrong codec: the byte after it starts one)
        taken, since, floor = end, floor, i + 2
        if m.group("char") is None:
            # the mark's first byte inside a character left incomplete: it is lost,
            # with the character a lead it ate began, if any
            lost = "\ufffd\ufffd" if ate_lead else "\ufffd"
            cand = _Candidate(i, end, lost, _chain(shape), 0.0, 0.0, 0.0, "", 0, len(lost))
            readings.append((m, cand, False))
            continue
        got = _reading(text, i, max(line_start, since), shape)
        if got is None:
            readings.append((m, None, False))
            continue
        cand, margin = got
        cand.end = end
        if ate_lead:
            # the character after it is lost too, and with it the context that tells
            # ``間遅`` from ``間違``: only U+FFFD
            cand.after, cand.restored, cand.lost = "\ufffd\ufffd", 0, 2
        if ends and at_end(text, end):
            # (the lead was the last byte: nothing came after it to be eaten)
            cand.after, cand.lost = cand.after[:1], cand.lost - 1
        readings.append((m, cand, margin >= POLICY.eaten_margin))
    shown = shown or any(strong for *_, strong in readings) or len(readings) >= 2
    return [c for _m, c, strong in readings if c is not None and (strong or shown)]


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def at_end(text: str, pos: int) -> bool:
    """Does ``text`` end at ``pos``: nothing after it, or only white space with a blank
    line (a paragraph's end, as :func:`cjkfix.pipeline.units` cuts it: alone and in a
    document it is the same end)? A single line end after it is a byte the decoder met.

        >>> at_end("保孁E", 3), at_end("保孁E\n\n", 3), at_end("保孁E\n", 3)
        (True, True, False)
    """
    rest = text[pos:]
    return not rest or (not rest.strip() and _BLANK_LINE.search(rest) is not None)


def _choose(
    options: list[str], stands: str, left: str, right: str, lang: str
) -> tuple[str, float, bool]:
    """The model's best of ``options`` after ``left`` in ``lang``, how much it prefers it
    to ``stands``, and whether it is near-certain (and the character ``right`` after
    the eaten byte, if CJK, agrees: it may go on the word, ``削(除``)."""
    scores = model.candidate_scores(left, options, "", lang)
    best = max(range(len(options)), key=scores.__getitem__)
    z = sum(math.exp(v - scores[best]) for v in scores)
    sure = 1.0 / z >= POLICY.eaten_posterior
    if sure and right and not right.isascii():
        paired = model.candidate_scores(left, options, right, lang)
        sure = max(range(len(options)), key=paired.__getitem__) == best
    return options[best], scores[best] - scores[options.index(stands)], sure


def _at_lead(data: bytes, codec: cc.Codec) -> bool:
    """Does the byte after ``data`` start a character of ``codec`` (read from the start)?"""
    k = 0
    while k < len(data):
        k += 2 if codec.is_lead(data[k]) else 1
    return k == len(data)


def _chain(shape: _Shape) -> list[str]:
    return ["utf-8", shape.wrong, shape.wrong, "utf-8"]


def read_back(before: str, after: str, chain: list[str], ends: bool) -> str:
    """``after``, a reading of ``before`` as UTF-8 read through ``chain``'s wrong codec,
    with the places read back where that codec's default character (in ``before``) was
    a decoder's for a bad lead and the byte it ate (the reading shows ``起勁E`` for
    ``襍ｷ蜍・``); ``ends``: ``before`` ends the text."""
    if len(chain) != 2 or chain[0] != "utf-8":
        return after
    for shape in _shapes():
        if shape.wrong == chain[1] and cc.CODEC[shape.wrong].default_char in before:
            found = spans(after, shown=True, ends=ends)
            for c in sorted(found, key=lambda c: c.start, reverse=True):
                after = after[: c.start] + c.after + after[c.end :]
    return after


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


#: Characters of the line on each side of a place that tell its language.
_LANG_WINDOW = 48


def _reading(text: str, i: int, line_start: int, shape: _Shape) -> tuple[_Candidate, float] | None:
    """The reading of the character at ``i`` and the mark's ASCII byte after it, and how
    much the model prefers it to the character as it stands (None: it does not, or its
    last byte was no lead there). ``line_start``: the start of the line, or the byte
    after the last mark (a whole pair: the next byte starts one)."""
    codec = cc.CODEC[shape.wrong]
    head = text[i].encode("utf-8")[:-1]
    # the bytes before it up to the last one that is never a trail, or a U+FFFD (bytes
    # not known: the pair may start at either of the next two)
    sync = i
    while sync > line_start and text[sync - 1] != "\ufffd":
        if ord(text[sync - 1]) < 0x80 and not codec.is_trail(ord(text[sync - 1])):
            break
        sync -= 1
    data = text[sync:i].encode("utf-8") + head
    hidden = sync > line_start and text[sync - 1] == "\ufffd"
    if not any(_at_lead(data[skip:], codec) for skip in ((0, 1) if hidden else (0,))):
        return None
    known = _known_chars()
    options: list[str] = []
    for last in range(0x80, 0xC0):
        if not codec.is_lead(last):
            continue
        try:
            ch = (head + bytes([last])).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if ch in known or ch == text[i]:
            # (what stands is always a reading: the model may not know it)
            options.append(ch)
    if text[i] not in options or len(options) < 2:
        return None
    # The original was UTF-8, of any language: the one in which the line reads best with
    # its best reading of the character (the line around it, up to _LANG_WINDOW each
    # side: a line of thousands of places must not be scored again for each).
    start = max(text.rfind("\n", 0, i) + 1, i - _LANG_WINDOW)
    end = text.find("\n", i, i + 1 + _LANG_WINDOW)
    end = min(len(text), i + 1 + _LANG_WINDOW) if end < 0 else end
    head_text, tail_text = text[start:i], text[i + 1 : end]
    left, right = text[i - 1 : i], text[i + 2 : i + 3]
    picks = [(_choose(options, text[i], left, right, lang), lang) for lang in model.LANGS]
    (best, margin, sure), lang = max(
        picks, key=lambda p: model.text_logprob(head_text + p[0][0] + tail_text, p[1])
    )
    if best == text[i]:
        return None
    after = (best if sure else "\ufffd") + "\ufffd"
    cand = _Candidate(i, i + 2, after, _chain(shape), margin, 0.0, margin, lang, sure, 2 - sure)
    return cand, margin
