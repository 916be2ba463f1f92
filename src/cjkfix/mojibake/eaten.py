"""Bytes a decoder ate: UTF-8 read by a Windows decoder that takes the byte after a bad
lead along, written back as UTF-8 (the ``eat`` chains of :data:`cjkfix.codecs.CHAINS`).

UTF-8 read as cp932: a character's last byte ``95`` is a lead there, and the ``<`` after
it (``3C``) no trail; the decoder writes ``・`` for both, which goes back as ``81 45``.
The text is UTF-8 again, but the character now ends in ``81`` and an ``E`` stands where
the ASCII character was:

    >>> from cjkfix import repair
    >>> repair('<span class="hidden sm:inline">起勁E/span>')
    '<span class="hidden sm:inline">起動</span>'

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
  the decoder met the lead last; ``<`` where the rest of an HTML tag follows it:
  :mod:`cjkfix.markup`);
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
import itertools
import math
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass

from cjkfix import codecs as cc
from cjkfix import markup, model
from cjkfix.markup import tag_tail
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
    not followed by a letter or digit (but for the rest of a tag). (A U+FFFD before it
    passes the gate anyway.) The
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
    """The mark's ASCII byte, then what a lead it ate left (one to three U+FFFD), no
    letter or digit, or the rest of a tag whose ``<`` it ate (``、Ebr>``)."""
    mark = re.escape(chr(shape.mark[1]))
    return f"{mark}(?:\ufffd{{1,3}}|(?![0-9A-Za-z])|(?={markup.TAG_TAIL}))"


@functools.cache
def _regex(shape: _Shape) -> re.Pattern[str]:
    return re.compile(f"(?:(?P<char>[{_ending_in(shape.mark[0])}])|\ufffd)(?={_after_mark(shape)})")


@functools.cache
def _mark_regex(shape: _Shape) -> re.Pattern[str]:
    """The mark's ASCII byte where :func:`_regex` can match just before it (a scan that
    stops at each ASCII ``E``, not at each of the everyday characters ending in 81).
    The mark is matched first and the character before it looked behind for after it
    (the same test): a pattern that starts with a character lets the scan skip to it
    at C speed, where one that starts with a lookbehind is tried at every position
    (1.3 ms per 128 Ki characters of CJK text)."""
    mark = re.escape(chr(shape.mark[1]))
    rest = _after_mark(shape)[len(mark) :]
    return re.compile(f"{mark}(?<=[{_ending_in(shape.mark[0])}\ufffd]{mark})(?={rest})")


def _places(text: str, shape: _Shape) -> Iterator[re.Match[str]]:
    """The matches of :func:`_regex` in ``text``, found from the marks."""
    whole = _regex(shape)
    for m in _mark_regex(shape).finditer(text):
        got = whole.match(text, m.start() - 1)
        if got is not None:
            yield got


def spans(text: str, *, shown: bool = False, ends: bool = True, tail: str = "") -> list[_Candidate]:
    """Readings of the places in ``text`` where a decoder ate a byte (see the module
    docstring): one candidate each. ``shown``: the text is known to show the chain;
    ``ends``: the end of ``text`` is the end of what the decoder read; ``tail``: the
    text after it (where it does not end), which may hold the rest of a tag."""
    out: list[_Candidate] = []
    for shape in _shapes():
        # (each place as its start and whether the mark follows a character: a line of
        # thousands of places keeps no match object alive for the collector to walk)
        by_line: dict[int, list[tuple[int, bool]]] = {}
        line_start, line_end = 0, text.find("\n")
        for m in _places(text, shape):
            # (the places come in order: each line end is found once, not searched back
            # for from each place, which a line of thousands of places made quadratic)
            while 0 <= line_end < m.start():
                line_start = line_end + 1
                line_end = text.find("\n", line_start)
            by_line.setdefault(line_start, []).append((m.start(), m.group("char") is not None))
        for start, found in by_line.items():
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            # (dense: its places' windows overlap)
            dense = len(found) * (2 * _LANG_WINDOW + 1) > end - start
            line = _Line(text, start, end, dense)
            if _may_have_passed(line.text, shape):
                out += _line_readings(text, line, found, shape, shown, ends, tail)
    return out


#: A float's relative rounding error (binary64), for :meth:`_Line.pick`'s bound.
_EPS = 2.3e-16


class _Line:
    """One line of the text, its characters and pairs of neighbours made once, for the
    model's scores of the windows around its places (:func:`_reading`): a line of
    thousands of places would build and hash each pair again for each window and each
    language. Made per call of :func:`spans`, never shared.

    On a ``dense`` line (more places than windows fit in it: its windows overlap), a
    window's score is first taken from running sums of the line's terms (one pass per
    language, not one per window): it picks the language where its margin is wider than
    the rounding of the running sums can close; elsewhere (a close call) the windows are
    summed as :func:`cjkfix.model.text_logprob` sums them. The pick is the same."""

    def __init__(self, text: str, start: int, end: int, dense: bool = False) -> None:
        self.start, self.end = start, end
        self.text = text[start:end]
        self.chars = list(self.text)
        self.pairs = list(map(operator.add, self.chars, self.chars[1:]))
        self.dense = dense
        #: per language: the running sums of the terms after the first character's, the
        #: heads of windows, and the bound on how far a window's score from them is
        #: from its sum
        self._sums: dict[str, tuple[list[float], list[float], float]] = {}
        #: a reading's value with its neighbours, by (left, reading, right, language):
        #: a line repeats its words, and their places ask again
        self._middles: dict[tuple[str, str, str, str], float] = {}

    def window(self, start: int, i: int, end: int, middle: str) -> tuple[str, list[str], list[str]]:
        """``text[start:i] + middle + text[i + 1 : end]`` (positions in the text) as
        :func:`cjkfix.model.pairs_logprob` takes it: the same terms in the same order as
        :func:`cjkfix.model.text_logprob`, so the same value."""
        a, k, b = start - self.start, i - self.start, end - self.start
        chars, pairs = self.chars, self.pairs
        inner = []
        if a < k:
            inner.append(chars[k - 1] + middle)
        if k + 1 < b:
            inner.append(middle + chars[k + 1])
        rest = [*chars[a + 1 : k], middle] if a < k else []
        return (
            chars[a] if a < k else middle,
            pairs[a : max(a, k - 1)] + inner + pairs[k + 1 : max(k + 1, b - 1)],
            rest + chars[k + 1 : b],
        )

    def pick(self, start: int, i: int, end: int, picks: tuple[_Pick, ...]) -> _Pick:
        """The pick (a reading of the character at ``i`` and its language) whose window
        ``start:end`` reads best, the first of equals (as ``max`` picks)."""
        if self.dense:
            a, k, b = start - self.start, i - self.start, end - self.start
            left = self.chars[k - 1] if a < k else ""
            right = self.chars[k + 1] if k + 1 < b else ""
            approx: list[float] = []
            slack = 0.0
            for (middle, _margin, _sure), lang in picks:
                sums, heads, bound = self._sums.get(lang) or self._running(lang)
                # (the middle with its pairs: with no left, its value alone)
                key = (left, middle, right, lang)
                value = self._middles.get(key)
                if value is None:
                    value = self._middles[key] = model.candidate_scores(
                        left, [middle], right, lang
                    )[0]
                if a < k:
                    value += heads[a] + sums[k - 1]
                if k + 1 < b:
                    value += sums[b - 1] - sums[k + 1]
                approx.append(value)
                if 2 * bound > slack:
                    slack = 2 * bound
            top = max(approx)
            floor = top - slack
            if len([v for v in approx if v >= floor]) == 1:
                return picks[approx.index(top)]
        windows = {p[0][0]: self.window(start, i, end, p[0][0]) for p in picks}
        return max(picks, key=lambda p: model.pairs_logprob(*windows[p[0][0]], p[1]))

    def _running(self, lang: str) -> tuple[list[float], list[float], float]:
        """The running sums of the line in ``lang`` (see :attr:`_sums`)."""
        terms = model.pair_terms(self.pairs, self.chars[1:], lang)
        # (sums[j]: the terms of the characters 1..j, each with the one before it;
        # heads[j]: a window from j, the first character's value less sums[j])
        sums = [0.0, *itertools.accumulate(terms)]
        heads = list(map(operator.sub, model.char_values(self.chars, lang), sums))
        # (each running sum is off by at most its length times the rounding of the sum
        # of the magnitudes; a difference of two, by twice; the window's own sum and the
        # few terms added here, by far less: twice that bounds them all)
        size = sum(map(abs, terms)) + 64.0
        got = self._sums[lang] = (sums, heads, 4 * (len(terms) + 128) * _EPS * size)
        return got


def _line_readings(
    text: str,
    line: _Line,
    found: list[tuple[int, bool]],
    shape: _Shape,
    shown: bool = False,
    ends: bool = True,
    tail: str = "",
) -> list[_Candidate]:
    """The readings of one line's places: a character read back on its own where the
    model clearly prefers another reading; where the line shows the chain (such a place,
    or two places at all), any other reading too, and the places a U+FFFD shows."""
    readings: list[tuple[_Candidate | None, bool]] = []
    taken = floor = 0
    for i, after_char in found:
        if i < taken:
            continue  # (a U+FFFD a place before took)
        end = i + 2
        while end < len(text) and end - i < 5 and text[end] == "\ufffd":
            end += 1
        ate_lead = end > i + 2  # (the eaten byte led a character, whose rest is U+FFFD)
        # (the mark was a whole pair of the wrong codec: the byte after it starts one)
        taken, since, floor = end, floor, i + 2
        if not after_char:
            # the mark's first byte inside a character left incomplete: it is lost,
            # with the character a lead it ate began, if any
            lost = "\ufffd\ufffd" if ate_lead else "\ufffd"
            cand = _Candidate(i, end, lost, _chain(shape), 0.0, 0.0, 0.0, "", 0, len(lost))
            readings.append((cand, False))
            continue
        # the rest of a tag follows: the eaten ASCII byte was its "<" (and the mark before
        # a tag's rest, ``、Ebr>``, shows the chain as a clear margin does, also where the
        # character's last byte was the mark's own: ``、`` ends in 81 as ``・`` begins)
        tag = (
            not ate_lead
            and not (ends and at_end(text, end))
            and (tag_tail(text, end) if end < len(text) else tag_tail(tail, 0)) is not None
        )
        got = _reading(text, i, line, max(line.start, since), shape, keep=tag)
        if got is None:
            readings.append((None, False))
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
        elif tag:
            cand.after, cand.lost = cand.after[:1] + "<", cand.lost - 1
        readings.append((cand, tag or margin >= POLICY.eaten_margin))
    shown = shown or any(strong for _c, strong in readings) or len(readings) >= 2
    return [c for c, strong in readings if c is not None and (strong or shown)]


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
#: (what ``str.strip`` keeps: both use Python's test of white space)
_NON_SPACE = re.compile(r"\S")


def at_end(text: str, pos: int) -> bool:
    """Does ``text`` end at ``pos``: nothing after it, or only white space with a blank
    line (a paragraph's end, as :func:`cjkfix.pipeline.units` cuts it: alone and in a
    document it is the same end)? A single line end after it is a byte the decoder met.

        >>> at_end("保孁E", 3), at_end("保孁E\n\n", 3), at_end("保孁E\n", 3)
        (True, True, False)
    """
    # (searched from ``pos``, never copied from it: a line of places asks at each)
    if pos >= len(text):
        return True
    return _NON_SPACE.search(text, pos) is None and _BLANK_LINE.search(text, pos) is not None


def _choose(
    options: tuple[str, ...], stands: str, left: str, right: str, lang: str
) -> tuple[str, float, bool]:
    """The model's best of ``options`` after ``left`` in ``lang``, how much it prefers it
    to ``stands``, and whether it is near-certain (and the character ``right`` after
    the eaten byte, if CJK, agrees: it may go on the word, ``削(除``)."""
    scores = model.candidate_scores(left, list(options), "", lang)
    best = max(range(len(options)), key=scores.__getitem__)
    z = sum(math.exp(v - scores[best]) for v in scores)
    sure = 1.0 / z >= POLICY.eaten_posterior
    if sure and right and not right.isascii():
        paired = model.candidate_scores(left, list(options), right, lang)
        sure = max(range(len(options)), key=paired.__getitem__) == best
    return options[best], scores[best] - scores[options.index(stands)], sure


@functools.cache
def _structure(wrong: str) -> tuple[bytes, bytes]:
    """The lead and the trail bytes of the codec ``wrong``, as tables of 256 flags
    (looked up per byte of a line, where :meth:`~cjkfix.codecs.Codec.is_lead` scans
    its ranges)."""
    codec = cc.CODEC[wrong]
    return (
        bytes(codec.is_lead(b) for b in range(256)),
        bytes(codec.is_trail(b) for b in range(256)),
    )


def _at_lead(data: bytes, leads: bytes) -> bool:
    """Does the byte after ``data`` start a character (read from the start), where the
    codec's lead bytes are flagged in ``leads``?"""
    k = 0
    while k < len(data):
        k += 2 if leads[data[k]] else 1
    return k == len(data)


@functools.lru_cache(maxsize=4096)
def _options(stands: str, wrong: str) -> tuple[str, ...]:
    """The readings of the character ``stands`` (three bytes of UTF-8) with its last
    byte any lead of ``wrong`` that makes a known character (and itself, which the model
    may not know), in the order of that byte."""
    leads, _trails = _structure(wrong)
    head = stands.encode("utf-8")[:-1]
    known = _known_chars()
    options: list[str] = []
    for last in range(0x80, 0xC0):
        if not leads[last]:
            continue
        try:
            ch = (head + bytes([last])).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if ch in known or ch == stands:
            # (what stands is always a reading: the model may not know it)
            options.append(ch)
    return tuple(options)


_Pick = tuple[tuple[str, float, bool], str]


@functools.lru_cache(maxsize=4096)
def _picks(stands: str, left: str, right: str, wrong: str) -> tuple[_Pick, ...] | None:
    """Per language, :func:`_choose`'s best reading of the character ``stands`` between
    ``left`` and ``right`` (None: it has no other reading). (Kept: a line of places
    asks again for the same character between the same neighbours.)"""
    options = _options(stands, wrong)
    if stands not in options or len(options) < 2:
        return None
    return tuple((_choose(options, stands, left, right, lang), lang) for lang in model.LANGS)


def _chain(shape: _Shape) -> list[str]:
    return ["utf-8", shape.wrong, shape.wrong, "utf-8"]


def read_back(before: str, after: str, chain: list[str], ends: bool, tail: str = "") -> str:
    """``after``, a reading of ``before`` as UTF-8 read through ``chain``'s wrong codec,
    with the places read back where that codec's default character (in ``before``) was
    a decoder's for a bad lead and the byte it ate (the reading shows ``起勁E`` for
    ``襍ｷ蜍・``); ``ends``: ``before`` ends the text; ``tail``: the text after it."""
    if len(chain) != 2 or chain[0] != "utf-8":
        return after
    for shape in _shapes():
        if shape.wrong == chain[1] and cc.CODEC[shape.wrong].default_char in before:
            found = spans(after, shown=True, ends=ends, tail=tail)
            for c in sorted(found, key=lambda c: c.start, reverse=True):
                after = after[: c.start] + c.after + after[c.end :]
    return after


def _may_have_passed(line: str, shape: _Shape) -> bool:
    """Could the chain have been through ``line``? Not where the wrong codec reads a lead
    byte and an ASCII byte that is no trail as a pair: its decoder would have eaten it."""
    leads, trails = _structure(shape.wrong)
    data = line.encode("utf-8", "surrogatepass")
    i, n = 0, len(data)
    while i < n:
        if not leads[data[i]]:
            i += 1
            continue
        if i + 1 < n and data[i + 1] < 0x80 and not trails[data[i + 1]]:
            return False
        i += 2
    return True


#: Characters of the line on each side of a place that tell its language.
_LANG_WINDOW = 48


def _reading(
    text: str, i: int, line: _Line, line_start: int, shape: _Shape, keep: bool = False
) -> tuple[_Candidate, float] | None:
    """The reading of the character at ``i`` (on ``line``) and the mark's ASCII byte
    after it, and how much the model prefers it to the character as it stands (None: it
    does not, unless ``keep``: the mark is read anyway; or its last byte was no lead
    there). ``line_start``: the start of the line, or the byte after the last mark (a
    whole pair: the next byte starts one)."""
    leads, trails = _structure(shape.wrong)
    head = text[i].encode("utf-8")[:-1]
    # the bytes before it up to the last one that is never a trail, or a U+FFFD (bytes
    # not known: the pair may start at either of the next two)
    sync = i
    while sync > line_start and text[sync - 1] != "\ufffd":
        if ord(text[sync - 1]) < 0x80 and not trails[ord(text[sync - 1])]:
            break
        sync -= 1
    data = text[sync:i].encode("utf-8") + head
    hidden = sync > line_start and text[sync - 1] == "\ufffd"
    if not any(_at_lead(data[skip:], leads) for skip in ((0, 1) if hidden else (0,))):
        return None
    picks = _picks(text[i], text[i - 1 : i], text[i + 2 : i + 3], shape.wrong)
    if picks is None:
        return None
    # The original was UTF-8, of any language: the one in which the line reads best with
    # its best reading of the character (the line around it, up to _LANG_WINDOW each
    # side: a line of thousands of places must not be scored again for each).
    start = max(line.start, i - _LANG_WINDOW)
    end = min(line.end, i + 1 + _LANG_WINDOW)
    (best, margin, sure), lang = line.pick(start, i, end, picks)
    if best == text[i] and not keep:
        return None
    after = (best if sure else "\ufffd") + "\ufffd"
    cand = _Candidate(i, i + 2, after, _chain(shape), margin, 0.0, margin, lang, sure, 2 - sure)
    return cand, margin
