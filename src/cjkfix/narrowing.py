"""GBK misalignment: byte-level passes that matched a pair straddling two characters.

Some sites processed GBK *bytes*, not characters, and sometimes matched a byte pair made
of one character's trail byte and the next one's lead byte. Two real mechanisms:

* **Full-width narrowing.** A pass that turned full-width ASCII (GBK row ``A3``:
  ``A3 A1`` is ``！`` ... ``A3 FE``) into ASCII (``byte - 0x80``) matched ``A3 A1`` inside
  ``。”`` (``A1 A3 | A1 B1``) and wrote ``!``. The orphaned lead ``A1`` decodes as ``?``;
  then every pair is out of step (``B1 DF`` = ``边``, ``40`` = ``@``) until an ASCII
  byte resynchronises: ``模型。”這一`` became ``模型?!边@一``.
* **An annotation inside a straddling pair.** In ``能夠對這`` (``C4DC 89F2 8CA6 DF40``) the
  pair ``F2 8C`` is ``驅``, so a ruby annotator inserted ``(qū)`` between the two bytes of
  ``對``: ``能夠?qū)?@``. The reading tells which pair was matched, so the lost lead byte is
  known again.

Inversion: re-encode the out-of-step run to GBK bytes, put the lost byte back in front,
regroup the bytes into pairs and decode. Bytes the decoder replaced with ``?`` are
unknown; every GBK character that fits them is a candidate, and the character model
picks the most plausible. A repair is kept only when it makes the passage much more
plausible than it was. No table of known strings is involved.

    >>> from cjkfix.config import Config
    >>> [(e.start, e.end, e.after) for e in fix("源模型?!边@一表態", Config())]
    [(3, 7, '。”這')]
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from cjkfix import model, readings
from cjkfix.config import Config
from cjkfix.registry import Fixer, register
from cjkfix.script import convert
from cjkfix.simulate_pages import KEPT_AFTER_ORPHAN
from cjkfix.steps import Edit

__all__ = ["fix", "gate"]

_LOST = "?\ufffd"  # what decoders put for bytes they cannot map
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"

# Where damage shows: a byte the decoder lost ("?" or U+FFFD) next to CJK text or to
# a narrowed punctuation byte. Damage with no lost byte at all (the orphaned lead merged
# with a narrowed ``@[\]^_`{|}~`` and the run ended on an ASCII-range trail byte) passes
# no gate: rare, and not worth a scan of every clean text.
# (Or after a leaked reading, when the next reading went in after the same byte:
# ``他(tā)?cū)``.)
_GATE_RE = re.compile(
    rf"[{_CJK}][?\ufffd]|[?\ufffd][\x21-\x3f{_CJK}]|[)）][?\ufffd][a-z\u00e0-\u01dc]"
)
# Where an out-of-step run that began without a "?" may have ended: on a lost byte.
# (A run can also end on an ASCII-range trail byte, ``边@一``; damage with no lost byte
# at either end is not looked for, like everything the gate does not pass.)
_TERMINATOR_RE = re.compile(rf"[{_CJK}][?\ufffd]")
# A lost byte after a non-ASCII character, then what may be a reading.
_ANNOTATED_LOSS_RE = re.compile("[?\ufffd](?=[(（]?[A-Za-z\u00c0-\u024f\u3105-\u312f])")
# The character before may carry its own reading: ``他(tā)?cū)?men)``, where both
# readings went in after the same byte ``FB``, the trail of 他 and the lead of 麄.
_LEAK_BEFORE_RE = re.compile(
    "([^\x00-\x7f])[(（][A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?[)）]$"
)
_TAG_TAIL_RE = re.compile(r"/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?>")
#: How far a tag's rest is looked for after a lost byte: one long line without ``>``
#: would otherwise be scanned to its end for every lost byte on it (quadratic).
_TAG_LOOK = 256


def _tag_tail(text: str, pos: int) -> bool:
    return _TAG_TAIL_RE.match(text, pos, min(len(text), pos + _TAG_LOOK)) is not None


_READING_RE = re.compile(
    "[(（]?([A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?|[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]{1,5})[)）]"
)

#: How many observed characters one out-of-step run may span, and how many lost bytes
#: (``?``) it may contain: bounds the search, so pathological input cannot blow it up.
_MAX_RUN = 48
_MAX_LOST = 3
#: Minimum gain in log-probability (nats) of the repaired passage over the damaged one,
#: when two or more observed characters fell back into step, and when only one did.
#: Measured on the development corpus: clean lines with ASCII punctuation inserted after
#: a Han character (15 shapes, 3,000 lines) reach 4.7 with two realigned characters and
#: 8.6 with one; simulated damage is repaired at 6 or more in 95% of cases.
_MIN_GAIN = 6.0
_MIN_GAIN_ONE = 10.0
_MIN_GAIN_SHAPED = 2.0
#: Places looked at and reconstructions tried per text: a base, plus one per so many
#: characters. A real page needs a handful; a pathological text (a megabyte of "?好")
#: gets this much work and the rest is left as it is, so time stays linear and bounded.
_BUDGET_BASE = 400
_BUDGET_CHARS = 200

#: Candidates kept per unknown position in the beam search.
_BEAM = 12

#: How often full-width punctuation occurs in Chinese text, per 347,315 characters
#: (counted by the cjkfix developers over the zh-Hans, zh-Hant and mixed development
#: files). The character model is built from word lists and knows no punctuation, and
#: the lost byte of GBK row A1 has to be told apart: ``。”`` against ``。\u3000``.
_PUNCT_COUNTS = {
    "，": 8288, "。": 7554, "：": 1042, "、": 943, "！": 732, "（": 509, "）": 509,
    "「": 458, "」": 458, "？": 402, "“": 217, "”": 212, "；": 162, "…": 100, "《": 84,
    "》": 84, "．": 51, "—": 30, "‘": 14, "’": 14, "·": 13, "－": 7, "〈": 6, "〉": 6,
    "～": 5, "【": 5, "】": 5, "―": 4,
}  # fmt: skip
_PUNCT_TOTAL = 347_315
#: Share of punctuation among all characters of that corpus; the weight (in marks) of
#: the corpus's own mix when a document's marks are counted.
_PUNCT_RATE = sum(_PUNCT_COUNTS.values()) / _PUNCT_TOTAL
_DOC_PRIOR = 20.0


def gate(text: str) -> bool:
    return _GATE_RE.search(text) is not None


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

Byte = int | None  # None: a byte the decoder replaced with "?"


class _Run(NamedTuple):
    data: list[Byte]  # the original bytes, starting with the byte put back in front
    suffix: str  # ASCII text after the last pair (a resynchronising byte)
    end: int  # index in the observed text just after the run
    lost: int
    realigned: int  # observed characters whose bytes were put back in step
    # Indices into ``data`` of byte pairs the decoder rejected (a "?" standing for two
    # bytes, or a pair it dropped from the text): they cannot form a GBK character,
    # which narrows what they can be.
    rejected: tuple[int, ...] = ()
    hidden: int = 0  # pairs dropped from the text (private-use or unassigned cells)
    # A lost trail byte named by the reading annotated after its character: ``趯?shí)``
    # (the ``(`` went with the orphaned byte ``8D``; ``8C 8D`` is ``實``).
    named: bool = False
    drops: bool = False  # read by a decoder that drops the pairs it cannot map


#: Pairs a dropping decoder may have hidden inside one run. Each is a damage event
#: with two unknown bytes; the fewest that explain the run are preferred (each number
#: of hidden pairs gives its own candidate, and they compete).
_MAX_HIDDEN = 2
#: Characters tried on each side of a hidden pair (the likeliest that fit the bytes).
_SPLIT_OPTIONS = 10
# A reading whose "(" an orphaned byte swallowed: ``shí)``.
_BARE_READING_RE = re.compile(
    "([A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?|[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]{1,5})[)）]"
)


def _annotator_reading(ch: str, reading: str) -> bool:
    """Is ``reading`` what an annotator wrote for ``ch``? It wrote from a dictionary: a
    tone-marked reading must be one of the character's own, tone and all (``xiè`` is
    not ``蝎``, ``xiē``); a toneless or zhuyin one is compared as the ruby fixer does."""
    if unicodedata.normalize("NFD", reading).isascii():
        return readings.is_reading(ch, reading)
    entry = readings._table().get(str(ord(ch)), "")
    return unicodedata.normalize("NFC", reading) in entry.split(",")


def _named_trails(lead: int, reading: str) -> list[int]:
    """Trail bytes that make ``lead`` a character read ``reading`` (the orphaned byte
    was read as a lead, so it is 0x81 or more)."""
    return [
        trail
        for trail, ch in _by_lead_trail()[0].get(lead, [])
        if trail >= 0x81 and _annotator_reading(ch, reading)
    ]


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
    found.sort(reverse=True)
    return [(lead, trail) for _, lead, trail in found[:_NAMED_AFTER_HIDDEN]]


#: Characters tried for a lost trail named by its reading right after a hidden pair.
_NAMED_AFTER_HIDDEN = 8


def _runs(
    text: str,
    start: int,
    first: int,
    *,
    drops: bool = False,
    lang: str = "zh-Hant",
    unannotated: frozenset[str] = frozenset(),
) -> Iterator[_Run]:
    """Every way the observed ``text[start:]`` can be an out-of-step run.

    ``first`` is the byte that went missing in front of the run; the decoder paired
    each following byte with the next one, until an ASCII byte put it back in step.
    With ``drops`` (a decoder that writes "?" and drops the pairs it cannot map), up to
    :data:`_MAX_HIDDEN` pairs may be hidden between the observed characters.
    """

    def walk(
        j: int, data: list[Byte], lost: int, seen: int, rejected: tuple[int, ...], hidden: int
    ) -> Iterator[_Run]:
        # ``data`` always holds an odd number of bytes here: one lead waits for its trail.
        while j < len(text) and j - start < _MAX_RUN:
            ch = text[j]
            if drops and hidden < _MAX_HIDDEN and ch == "?" and _BARE_READING_RE.match(text, j + 1):
                # A pair the decoder dropped: the pending lead's trail and the next
                # character's lead, together a private-use or unassigned cell.
                yield from walk(
                    j, [*data, None, None], lost, seen, (*rejected, len(data)), hidden + 1
                )
            if ch in _LOST:
                if lost >= _MAX_LOST:
                    return
                # A pair of two unknown bytes, the run going on (a dropping decoder
                # writes "?" only for an orphaned byte: one that was followed by an
                # ASCII byte it could not pair with) ...
                pending = data[-1]
                bare = _BARE_READING_RE.match(text, j + 1) if ch == "?" else None
                # (an ASCII-range trail byte ends a run: a word after "?" is no trail,
                # the orphan swallowed the space before it)
                pairable = (
                    j + 1 < len(text)
                    and 0x40 <= ord(text[j + 1]) <= 0x7E
                    and not (j + 2 < len(text) and text[j + 2].isascii() and text[j + 2].isalnum())
                )
                if j + 1 < len(text) and (not drops or (pairable and not bare)):
                    yield from walk(
                        j + 1,
                        [*data, None, None],
                        lost + 1,
                        seen,
                        (*rejected, len(data)),
                        hidden,
                    )
                if bare:
                    # ... or the trail byte of a character whose reading follows: the
                    # orphaned trail swallowed the "(" of its own annotation. (After a
                    # hidden pair its lead is unknown too: the reading names both.)
                    reading = bare.group(1)
                    named = (
                        [(pending, t) for t in _named_trails(pending, reading)]
                        if pending is not None
                        else _named_chars(reading, lang)
                    )
                    for lead, trail in named:
                        if _pairs()[lead, trail] in unannotated:
                            continue  # the page shows it bare: the site does not annotate it
                        yield _Run(
                            [*data[:-1], lead, trail],
                            f"({reading})",
                            bare.end(),
                            lost + 1,
                            seen,
                            rejected,
                            hidden,
                            True,
                        )
                # ... or the trail byte together with an ASCII byte it swallowed, which
                # only context can name: ``<`` before the rest of an HTML tag ...
                if _tag_tail(text, j + 1):
                    yield _Run([*data, None], "<", j + 1, lost + 1, seen, rejected, hidden)
                # ... or the pending trail byte alone, the decoder back in step after it
                # (it kept the ASCII byte that followed, or realigned on a lead byte).
                # An ASCII byte that can be a trail (0x40..0x7E) would have been paired
                # with it, so it cannot follow a lone lost byte. The pages' decoder
                # swallowed the byte after an orphan unless it was one of a few marks:
                # a byte nothing names, which stays lost (U+FFFD).
                elif drops and not bare:
                    nxt = text[j + 1] if j + 1 < len(text) else ""
                    swallowed = nxt != "" and ord(nxt[0]) not in KEPT_AFTER_ORPHAN
                    yield _Run(
                        [*data, None],
                        "\ufffd" if swallowed else "",
                        j + 1,
                        lost + 1,
                        seen,
                        rejected,
                        hidden,
                    )
                elif not drops and (j + 1 == len(text) or not 0x40 <= ord(text[j + 1]) <= 0x7E):
                    swallowed = ch == "?" and j + 1 < len(text) and text[j + 1].isdigit()
                    yield _Run(
                        [*data, None],
                        "\ufffd" if swallowed else "",
                        j + 1,
                        lost + 1,
                        seen,
                        rejected,
                        hidden,
                    )
                return
            o = ord(ch)
            if 0x40 <= o <= 0x7E:
                # The trail byte of the last pending character was ASCII-range itself.
                yield _Run([*data, o], "", j + 1, lost, seen + 1, rejected, hidden)
                return
            if 0x21 <= o <= 0x3F and drops:
                # A pair ``A3 xx`` read out of step: a full-width form, shown as ASCII.
                data = [*data, 0xA3, o + 0x80]
                seen += 1
                j += 1
                continue
            encoded = _encode(ch) if o >= 0x80 else None
            if encoded is None or len(encoded) != 2:
                return
            if encoded[1] < 0x80:
                # Trail byte in 0x40..0x7E: an original ASCII byte completed this pair.
                yield _Run(
                    [*data, encoded[0]], chr(encoded[1]), j + 1, lost, seen + 1, rejected, hidden
                )
                return
            data = [*data, encoded[0], encoded[1]]
            seen += 1
            j += 1

    for run in walk(start, [first], 0, 0, (), 0):
        yield run._replace(drops=drops)


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


# Two punctuation marks in a row are rare except in these shapes: a closing quote or
# bracket after the end of a sentence, an opening one after a colon or comma, a
# sentence end after a closing one, and the doubled dash and ellipsis.
_PUNCT_PAIR_RE = re.compile(
    "[。！？…][”’」』）》]|[：，、；][“‘「『（《]|[”’」』）》][。，！？、；：]|……|——"
)
_PUNCT_PAIR_BONUS = 1.0
_CLOSING = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "《": "》"}
_PUNCT_PAIR_PENALTY = -6.0


@functools.lru_cache(maxsize=1 << 16)
def _model_logprob(text: str, lang: str) -> float:
    """The model's log-probability of one or two characters: the beam asks for the same
    pairs over and over, across documents too."""
    return model.text_logprob(text, lang)


class _Scorer:
    """The character model, plus what it lacks: punctuation, learnt from the document too.

    A document's own habits are the best evidence for a lost punctuation byte: a page
    that quotes with ``“”`` lost a ``”``, not a ``」``.
    """

    def __init__(self, text: str) -> None:
        sample = text[:20000]
        # A page whose full-width punctuation was narrowed keeps none of it.
        self.narrowed = not any(c in sample for c in "，：；！？（）")
        self.lang = (
            "zh-Hant"
            if model.text_logprob(sample[:2000], "zh-Hant")
            > model.text_logprob(sample[:2000], "zh-Hans")
            else "zh-Hans"
        )
        doc: dict[str, int] = {}
        for ch in sample:
            if ch in _PUNCT_COUNTS or ch in "“”‘’「」『』":
                doc[ch] = doc.get(ch, 0) + 1
                # An opening quote is evidence for its closing partner, often the lost one.
                partner = _CLOSING.get(ch)
                if partner:
                    doc[partner] = doc.get(partner, 0) + 1
        # The document tells which marks it uses, not how often text is punctuation:
        # its counts reshape the corpus's share of each mark (add-k smoothing), under
        # the corpus's overall rate of punctuation.
        total = sum(doc.values())
        corpus = sum(_PUNCT_COUNTS.values())
        self._doc = {
            ch: (n + _PUNCT_COUNTS.get(ch, 0.5) / corpus * _DOC_PRIOR) / (total + _DOC_PRIOR)
            for ch, n in doc.items()
        }
        self._doc_total = total
        self._adjust: dict[str, float] = {}
        # Repeated damage is reconstructed once, and pathological input (a megabyte of
        # "?!边@") gets a bounded amount of work: linear in its length, never a hang.
        self.memo: dict[object, list[_Filled]] = {}
        self._gains: dict[tuple[str, int, int, str], float] = {}
        self.budget = _BUDGET_BASE + len(text) // _BUDGET_CHARS
        self._text = text
        self._foreign: dict[int, bool] = {}
        self._vocab: frozenset[str] | None = None
        self._annotated: tuple[frozenset[str], frozenset[str]] | None = None
        self._short: dict[str, float] = {}

    def annotated(self) -> tuple[frozenset[str], frozenset[str]]:
        """The Han characters the page always shows with their reading leaked after
        them, and those it always shows bare. The pages annotated a character at every
        occurrence of its code, so a restored character of the first kind needs its
        reading after it, and one of the second kind is not one the site annotates."""
        if self._annotated is None:
            sample = self._text[:_VOCAB_CHARS]
            leaks: Counter[str] = Counter(
                m.group(1)
                for m in _LEAK_RE.finditer(sample)
                if readings.is_reading(m.group(1), m.group(2))
            )
            seen = Counter(sample)
            always = {ch for ch, n in leaks.items() if seen[ch] == n}
            never = {ch for ch in seen if "\u4e00" <= ch <= "\u9fff" and ch not in leaks}
            self._annotated = (frozenset(always), frozenset(never))
        return self._annotated

    def vocab(self) -> frozenset[str]:
        """The page's own vocabulary: the pairs of Han characters it writes. A phrase
        written intact elsewhere is evidence for the same phrase in a damaged place."""
        if self._vocab is None:
            sample = self._text[:_VOCAB_CHARS]
            self._vocab = frozenset(
                sample[k : k + 2]
                for k in range(len(sample) - 1)
                if "\u4e00" <= sample[k] <= "\u9fff" and "\u4e00" <= sample[k + 1] <= "\u9fff"
            )
        return self._vocab

    def in_step_after(self, pos: int) -> bool:
        """Do the characters after ``pos`` read as ordinary text (every one of the next
        few common)? Bytes out of step decode to a scatter of GBK characters, among
        which rare ones show; clean text after a real "?" costs no reconstruction."""
        chars = [ch for ch in self._text[pos : pos + _STEP_LOOK] if ord(ch) > 0x7F]
        if len(chars) < _STEP_CHARS:
            return False
        lang = self.lang
        return all(model.char_logprob(ch, lang) > _STEP_COMMON for ch in chars)

    def foreign(self, pos: int) -> bool:
        """Is the line holding ``pos`` one a narrowing pass cannot have damaged? (Looked
        at before any reconstruction: lossy mojibake is full of lost bytes.)"""
        start = self._text.rfind("\n", 0, pos) + 1
        cached = self._foreign.get(start)
        if cached is None:
            cached = self._foreign[start] = _not_gbk_damage(self._text, pos, pos)
        return cached

    def _symbol_adjustment(self, ch: str) -> float:
        cached = self._adjust.get(ch)
        if cached is not None:
            return cached
        encoded = _encode(ch)
        value = 0.0
        if encoded and len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xA9:
            corpus = _PUNCT_COUNTS.get(ch, 0.5) / sum(_PUNCT_COUNTS.values())
            share = self._doc.get(ch, corpus * _DOC_PRIOR / (self._doc_total + _DOC_PRIOR))
            p = _PUNCT_RATE * share
            value = math.log(p) - model.char_logprob(ch, self.lang)
        self._adjust[ch] = value
        return value

    def logprob(self, text: str) -> float:
        if len(text) <= 2:
            # The beam asks for the same one- and two-character strings over and over.
            cached = self._short.get(text)
            if cached is None:
                cached = self._short[text] = self._logprob(text)
            return cached
        return self._logprob(text)

    def _logprob(self, text: str) -> float:
        total = (
            _model_logprob(text, self.lang)
            if len(text) <= 2
            else model.text_logprob(text, self.lang)
        )
        total += sum(self._symbol_adjustment(c) for c in text)
        for a, b in itertools.pairwise(text):
            if self._symbol_adjustment(a) and self._symbol_adjustment(b):
                good = _PUNCT_PAIR_RE.fullmatch(a + b) is not None
                total += _PUNCT_PAIR_BONUS if good else _PUNCT_PAIR_PENALTY
        return total

    def hidden_places(
        self,
        plain: _Filled,
        splits: dict[int, tuple[list[_Option], list[_Option]]],
        room: int,
    ) -> list[tuple[int, ...]]:
        """Where to hide 1 .. ``room`` pairs: a beam over the slots of the plain
        reconstruction, one beam per number of pairs hidden; a slot in ``splits`` may
        become two characters around a hidden pair. The best places per number."""
        pairs = _pairs()
        vocab = self.vocab()
        annotated = self.annotated()[0]
        span = plain.span
        named_slot = len(plain.slots) - 1 if plain.named else -1
        # (score, text so far, last trail, places)
        State = tuple[float, str, int, tuple[int, ...]]
        origin: State = (0.0, plain.left, -1, ())
        beams: list[list[State]] = [[origin]] + [[] for _ in range(room)]

        def step(prefix: str, ch: str) -> float:
            pair = prefix[-1:] + ch
            bonus = _VOCAB_BONUS if pair in vocab and pair not in span else 0.0
            return self.logprob(pair) - self.logprob(prefix[-1:]) + bonus

        def allowed(ch: str, last_trail: int, lead: int, i: int) -> bool:
            if annotated and (
                (ch in annotated and i != named_slot) or pairs.get((last_trail, lead)) in annotated
            ):
                return False
            return not (i in plain.rejected and (last_trail < 0x81 or (last_trail, lead) in pairs))

        for i, options in enumerate(plain.slots):
            grown: list[list[State]] = [[] for _ in beams]
            for h, beam in enumerate(beams):
                for score, prefix, last_trail, where in beam:
                    for ch, lead, trail in options:
                        if allowed(ch, last_trail, lead, i):
                            grown[h].append(
                                (score + step(prefix, ch), prefix[-1:] + ch, trail, where)
                            )
                    if i in splits and h < room:
                        first, second = splits[i]
                        for a, lead, x in first:
                            if not allowed(a, last_trail, lead, i):
                                continue
                            sa = score + step(prefix, a)
                            for b, y, trail in second:
                                if (x, y) in pairs or (b in annotated):
                                    continue
                                grown[h + 1].append((sa + step(a, b), b, trail, (*where, i)))
            beams = []
            for g in grown:
                g.sort(key=lambda t: t[0], reverse=True)
                beams.append(g[:_BEAM])
        out: list[tuple[int, ...]] = []
        for beam in beams[1:]:
            if beam:
                out.append(max(beam, key=lambda t: t[0] + step(t[1], plain.right))[3])
        return out

    def best_fill(
        self,
        slots: Sequence[list[_Option]],
        rejected: frozenset[int],
        left: str,
        right: str,
        exclude: tuple[int, str] | None = None,
        span: frozenset[str] = frozenset(),
        named: bool = False,
    ) -> tuple[str, float] | None:
        """The most plausible string with one character from each slot (a beam search).

        ``rejected`` holds the slots whose lead byte, with the previous slot's trail
        byte, made a pair the decoder rejected: such neighbours cannot form a character.
        """
        beam: list[tuple[float, str, int]] = [(0.0, left, -1)]
        pairs = _pairs()
        vocab = self.vocab()
        # The forward process as a check: a character the page annotates everywhere
        # cannot be restored where no reading follows it (the last slot of a run named
        # by its reading has one), nor can a straddling pair of restored bytes be one.
        annotated = self.annotated()[0]
        named_slot = len(slots) - 1 if named else -1
        for i, options in enumerate(slots):
            grown = []
            for score, prefix, last_trail in beam:
                base = self.logprob(prefix[-1:])
                for ch, lead, trail in options:
                    if i in rejected and (last_trail < 0x81 or (last_trail, lead) in pairs):
                        continue
                    if annotated and (
                        (ch in annotated and i != named_slot)
                        or pairs.get((last_trail, lead)) in annotated
                    ):
                        continue
                    if exclude is not None and exclude == (i, ch):
                        continue
                    pair = prefix[-1:] + ch
                    step = self.logprob(pair) - base
                    if pair in vocab and pair not in span:
                        step += _VOCAB_BONUS
                    grown.append((score + step, prefix + ch, trail))
            if not grown:
                return None
            grown.sort(key=lambda t: t[0], reverse=True)
            beam = grown[:_BEAM]

        def close(p: str) -> float:
            pair = p[-1:] + right
            bonus = _VOCAB_BONUS if pair in vocab and pair not in span else 0.0
            return self.logprob(pair) - self.logprob(p[-1:]) + bonus

        best_score, best = max(((s + close(p), p) for s, p, _ in beam), key=lambda t: t[0])
        return best[len(left) :], best_score

    def gain(self, text: str, start: int, end: int, after: str) -> float:
        """How much more plausible the repair makes the passage (nats).

        The damaged passage is judged in whichever language suits it best, so clean
        Japanese or Korean text is never "repaired" into Chinese that merely scores
        better than kana or Hangul would under a Chinese model.
        """
        lo, hi = max(0, start - 2), min(len(text), end + 2)
        key = (text[lo:hi], start - lo, end - lo, after)
        cached = self._gains.get(key)
        if cached is None:
            cached = self._gains[key] = self._gain(text, start, end, after, lo, hi)
        return cached

    def _gain(self, text: str, start: int, end: int, after: str, lo: int, hi: int) -> float:
        # Both passages in the document's script: mixed Simplified and Traditional text
        # is clean too, and must not look damaged merely for its minority characters.
        to_script = "t2s" if self.lang == "zh-Hans" else "s2t"
        repaired = convert(text[lo:start] + after + text[end:hi], to_script)
        observed = convert(text[lo:hi], to_script)
        as_is = max(
            self.logprob(observed),
            *(model.text_logprob(observed, lang) for lang in model.LANGS),
        )
        return self.logprob(repaired) - as_is


class _Candidate(NamedTuple):
    start: int
    end: int
    after: str
    gain: float
    mechanism: str
    lost: int
    evidence: str  # what besides plausibility says the bytes were out of step
    realigned: int = 0
    filled: _Filled | None = None

    def accepted(self) -> bool:
        # A lone "?" (or "???", "?!?") can always be "repaired" into something more
        # fluent: informal clean text with ASCII punctuation inside Chinese scores up
        # to about 15 nats of "gain" that way. So the bytes of observed characters must
        # fall into place, or the damage must leave a shape of its own (a tag that
        # lost its "<", a reading); a repair resting on plausibility alone is refused.
        if not self.evidence:
            return False
        if self.evidence != "realigned":
            return self.gain >= _MIN_GAIN_SHAPED
        return self.gain >= (_MIN_GAIN if self.realigned >= 2 else _MIN_GAIN_ONE)


class _Filled(NamedTuple):
    best: str  # the likeliest original, with the run's suffix
    score: float
    slots: list[list[_Option]]
    rejected: frozenset[int]
    left: str
    right: str
    suffix: str
    span: frozenset[str]  # the damaged passage's own bigrams (no evidence for itself)
    named: bool

    def shown(self, scorer: _Scorer) -> str:
        """The repair as written: where the bytes leave a character open and the model
        is not sure of it either, the character stays lost (U+FFFD), never a guess."""
        best = self.best[: len(self.best) - len(self.suffix)]
        shown = list(best)
        for i, options in enumerate(self.slots):
            if len(options) > 1 and i < len(best):
                other = scorer.best_fill(
                    self.slots,
                    self.rejected,
                    self.left,
                    self.right,
                    (i, best[i]),
                    self.span,
                    self.named,
                )
                # A mark is held to less: a wrong one misleads less than a wrong word.
                sure = _SURE_MARK if _is_mark(best[i]) else _SURE
                if other is not None and self.score - other[1] < sure:
                    shown[i] = "\ufffd"
        # A character the page's script does not use (a Simplified one in Traditional
        # text, or the reverse) is what a wrong reading of the run leaves.
        for i, ch in enumerate(best):
            if (self.named and i == len(best) - 1) or not "\u4e00" <= ch <= "\u9fff":
                continue
            if model.char_logprob(ch, scorer.lang) < _UNSEEN:
                shown[i] = "\ufffd"
        return "".join(shown) + self.suffix


def _reconstruct(
    text: str, start: int, head: list[list[_Option]], run: _Run, scorer: _Scorer
) -> list[_Filled]:
    data = run.data
    if len(data) % 2:
        return []
    key = (
        text[max(0, start - 1) : run.end + 1],
        tuple(data),
        run.suffix,
        run.rejected,
        tuple(len(options) for options in head),
        tuple(options[0] for options in head if options),
    )
    if key in scorer.memo:
        return scorer.memo[key]
    if scorer.budget <= 0:
        return []
    scorer.budget -= 1
    result = scorer.memo[key] = _fill_hidden(text, start, head, run, scorer)
    return result


@functools.lru_cache(maxsize=1)
def _rejectable() -> tuple[frozenset[int], frozenset[int]]:
    """First and second bytes (both 0x81 or more) of the pairs GBK does not assign."""
    pairs = _pairs()
    cells = [(x, y) for x in range(0x81, 0xFF) for y in range(0x81, 0xFF) if (x, y) not in pairs]
    return frozenset(x for x, _ in cells), frozenset(y for _, y in cells)


def _fill_hidden(
    text: str, start: int, head: list[list[_Option]], run: _Run, scorer: _Scorer
) -> list[_Filled]:
    """The best reconstruction with no pair hidden, and, for a dropping decoder, the
    best with one, two ... pairs hidden where the search puts them."""
    plain = _fill(text, start, head, run, scorer)
    found = [plain] if plain else []
    room = _MAX_HIDDEN - run.hidden
    if not run.drops or room <= 0:
        return found
    data = run.data
    firsts, seconds = _rejectable()
    ends = set(run.rejected)
    by_lead, by_trail = _by_lead_trail()
    splits: dict[int, tuple[list[_Option], list[_Option]]] = {}
    last = len(data) - 2
    for i in range(0, len(data), 2):
        lead, trail = data[i], data[i + 1]
        if lead is None or trail is None or lead < 0x81 or trail < 0x40:
            continue
        if i + 1 in ends or i - 1 in ends or (run.named and i == last):
            continue
        # A hidden pair (x, y) between the bytes of the observed pair (lead, trail):
        # the characters (lead, x) and (y, trail), with (x, y) a cell GBK leaves empty.
        before = [(ch, lead, x) for x, ch in by_lead.get(lead, []) if x in firsts]
        after = [(ch, y, trail) for y, ch in by_trail.get(trail, []) if y in seconds]
        if before and after:
            splits[len(head) + i // 2] = (
                _ranked(tuple(before), scorer.lang)[:_SPLIT_OPTIONS],
                _ranked(tuple(after), scorer.lang)[:_SPLIT_OPTIONS],
            )
    if not splits or plain is None:
        return found
    for where in scorer.hidden_places(plain, splits, room):
        hidden = list(data)
        rejected = list(run.rejected)
        for slot in sorted(where, reverse=True):
            i = (slot - len(head)) * 2
            hidden[i + 1 : i + 1] = [None, None]
            rejected = [k + 2 if k > i else k for k in rejected] + [i + 1]
        variant = run._replace(
            data=hidden, rejected=tuple(sorted(rejected)), hidden=run.hidden + len(where)
        )
        got = _fill(text, start, head, variant, scorer)
        if got:
            found.append(got)
    return found


def _fill(
    text: str, start: int, head: list[list[_Option]], run: _Run, scorer: _Scorer
) -> _Filled | None:
    data = run.data
    firsts, seconds = _rejectable()
    ends = set(run.rejected)  # data index of a rejected pair's first byte
    slots = [_likeliest(options, scorer.lang) for options in head]
    for i in range(0, len(data), 2):
        lead, trail = data[i], data[i + 1]
        if lead is not None and lead < 0x81:
            return None
        options = _candidates(lead, trail) if lead or trail else _common(scorer.lang)
        if trail is None and (i + 2 == len(data) or i + 1 in ends):
            # A trail byte lost at the end of the run was read as a lead byte, so it
            # had one's value (an ASCII-range trail would have come through as itself);
            # so was the first byte of a pair the decoder rejected.
            allowed = firsts if i + 1 in ends else range(0x81, 0xFF)
            options = [o for o in options if o[2] in allowed]
        if i - 1 in ends:
            options = [o for o in options if o[1] in seconds]
        if not options:
            return None
        slots.append(_likeliest(options, scorer.lang))
    rejected = frozenset(len(head) + (k + 1) // 2 for k in run.rejected)
    left = text[start - 1] if start else ""
    right = (run.suffix + (text[run.end] if run.end < len(text) else ""))[:1]
    observed = text[start : run.end]
    span = frozenset(observed[k : k + 2] for k in range(len(observed) - 1))
    filled = scorer.best_fill(slots, rejected, left, right, None, span, run.named)
    if filled is None:
        return None
    best, score = filled
    if scorer.narrowed:
        # A full-width character restored here would have been narrowed like every
        # other one on the page, had the pass not been thrown out of step before it.
        best = best.translate(_NARROW)
    return _Filled(
        best + run.suffix, score, slots, rejected, left, right, run.suffix, span, run.named
    )


#: How close (nats) another explanation of the same bytes must come to dispute the
#: best one: a whole passage is compared, so less margin is asked than for one slot.
_RIVAL = 2.0
#: The same as _SURE for a punctuation mark.
_SURE_MARK = 1.0


def _is_mark(ch: str) -> bool:
    code = _encode(ch)
    return code is not None and len(code) == 2 and 0xA1 <= code[0] <= 0xA3


#: The model's log-probability for a character its language does not use.
_UNSEEN = -15.0

#: Log-odds (nats) a pair of characters gains when the page writes it elsewhere.
_VOCAB_BONUS = 5.0
_VOCAB_CHARS = 20_000

#: How much more likely (nats) the best character for an open slot must make the
#: passage than any other that fits the bytes, for it to be written.
_SURE = 3.0


def _evidence(run: _Run) -> str:
    if run.suffix == "<":
        return "tag"
    if run.named:
        return "reading"
    return "realigned" if run.realigned else ""


def _from_runs(
    text: str,
    start: int,
    head: list[_Option],
    runs: Iterator[_Run],
    scorer: _Scorer,
    mechanism: str,
    lost_before: int,
    evidence: str | None = None,
) -> Iterator[_Candidate]:
    """Candidates for the damage starting at ``start``: one per way the run can end.

    A run with no evidence of damage besides plausibility is never accepted (see
    :meth:`_Candidate.accepted`), so it is not reconstructed at all.
    """
    for run in runs:
        shape = evidence if evidence is not None else _evidence(run)
        if not shape:
            continue
        for got in _reconstruct(text, start, [head] if head else [], run, scorer):
            yield _Candidate(
                start,
                run.end,
                got.best,
                scorer.gain(text, start, run.end, got.best),
                mechanism,
                run.lost + lost_before,
                shape,
                run.realigned,
                got,
            )


_PERIOD: list[_Option] = [("。", 0xA1, 0xA3)]


def _narrowing_candidates(text: str, scorer: _Scorer) -> Iterator[_Candidate]:
    narrowing = "full-width narrowing"
    a3_chars = _candidates(None, 0xA3)
    for m in re.finditer(r"[?\ufffd]([\x21-\x3f])?", text):
        s = m.start()
        if scorer.budget <= 0:
            return
        scorer.budget -= 1
        if _dense_loss(text, s) or scorer.foreign(s) or scorer.in_step_after(m.end()):
            continue
        if m.group(1):
            # ``?`` is the orphaned lead of a character ending in A3; the ASCII byte
            # after it is the next character's lead with its high bit stripped.
            first = ord(m.group(1)) + 0x80
            drops = m.group().startswith("?")
            runs = _runs(
                text,
                m.end(),
                first,
                drops=drops,
                lang=scorer.lang,
                unannotated=scorer.annotated()[1],
            )
            # The pages folded a straddling ``A3 xx`` only where the ``A3`` ended a
            # ``。`` (see cjkfix.simulate_pages.fold_page).
            head = _PERIOD if drops else a3_chars
            yield from _from_runs(text, s, head, runs, scorer, narrowing, 1)
        elif (
            m.group() == "?"
            and m.end() < len(text)
            and _continues_run(text[m.end()])
            and not _BARE_READING_RE.match(text, m.end())
        ):
            # ``?`` stands for the orphaned lead and the narrowed byte together: a
            # narrowed byte in 0x40..0x7E made a well-formed pair GBK does not assign.
            # (Only a decoder that writes "?" for a bad pair does that: Python's and
            # WHATWG's put U+FFFD for the lead alone and keep the ASCII byte, so a
            # U+FFFD right before a Han character is some other loss.)
            for x in _NARROWED_TRAILS:
                head = _orphans_merged_with(x)
                runs = _runs(text, m.end(), x + 0x80)
                for cand in _from_runs(text, s, head, runs, scorer, narrowing, 2):
                    if cand.evidence == "realigned":
                        yield cand
    # Without a "?": the orphaned lead and the narrowed byte decoded together as one
    # character whose trail is in 0x40..0x7E; look back from where the run ended.
    for m in _TERMINATOR_RE.finditer(text):
        if scorer.budget <= 0:
            return
        scorer.budget -= 1
        if scorer.foreign(m.start()):
            continue
        end_hint = m.start() + 1
        for s in range(max(0, end_hint - _MAX_RUN), end_hint):
            encoded = _encode(text[s]) if ord(text[s]) >= 0x80 else None
            if not encoded or len(encoded) != 2 or encoded[1] not in _NARROWED_TRAILS:
                continue
            head = _candidates(encoded[0], 0xA3)
            if not head:
                continue
            runs = (r for r in _runs(text, s + 1, encoded[1] + 0x80) if s < end_hint <= r.end)
            yield from _from_runs(text, s, head, runs, scorer, narrowing, 0)


def _dense_loss(text: str, pos: int) -> bool:
    """Lost bytes crowded together: loss, not the isolated damage of a narrowing pass."""
    window = text[max(0, pos - 3) : pos + 4]
    return window.count("?") + window.count("\ufffd") >= 4


@functools.lru_cache(maxsize=16)
def _orphans_merged_with(narrowed: int) -> list[_Option]:
    """Characters ending in A3 whose lead, followed by ``narrowed``, GBK does not assign."""
    return [o for o in _candidates(None, 0xA3) if (o[1], narrowed) not in _pairs()]


def _continues_run(ch: str) -> bool:
    o = ord(ch)
    if 0x40 <= o <= 0x7E or ch in _LOST:
        return True
    encoded = _encode(ch) if o >= 0x80 else None
    return encoded is not None and len(encoded) == 2


def _annotation_candidates(text: str, scorer: _Scorer) -> Iterator[_Candidate]:
    for m in _ANNOTATED_LOSS_RE.finditer(text):
        if scorer.budget <= 0:
            return
        scorer.budget -= 1
        s = m.start()
        before = text[s - 1] if s else "\x00"
        if (before.isascii() and before != ")") or before in "(（":
            continue  # the lost byte follows no character (nor a character's reading)
        if before in ")）":
            leak = _LEAK_BEFORE_RE.search(text[max(0, s - 16) : s])
            if not leak:
                continue
            before = leak.group(1)
        if scorer.foreign(s):
            continue
        reading = _READING_RE.match(text, s + 1)
        if not reading:
            continue
        prev = _encode(before)
        if not prev or len(prev) != 2:
            continue
        # The annotated pair was (trail of the previous character, lost lead byte).
        leads = [
            trail
            for trail, ch in _by_lead_trail()[0].get(prev[1], [])
            if trail >= 0x81
            and _annotator_reading(ch, reading.group(1))
            and ch not in scorer.annotated()[1]
        ]
        for lead in leads:
            runs = _runs(
                text,
                reading.end(),
                lead,
                drops=text[s] == "?",
                lang=scorer.lang,
                unannotated=scorer.annotated()[1],
            )
            mechanism = "annotation inside a straddling pair"
            yield from _from_runs(text, s, [], runs, scorer, mechanism, 1, "reading")


def _not_gbk_damage(text: str, start: int, end: int) -> bool:
    """Is the line around ``start:end`` something a GBK narrowing pass cannot have made?

    A line with a character GBK cannot encode (Hangul, say) was never GBK text, and a
    line where lost bytes are everywhere (UTF-8 read as Big5 or EUC-KR loses a byte in
    every other character) or that the mojibake fixer would repair shows decoding loss, not the
    isolated out-of-step runs of a narrowing pass: filling those bytes with GBK
    characters would invent text.
    """
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    line = text[lo : len(text) if hi < 0 else hi]
    lost = line.count("?") + line.count("\ufffd")
    if lost >= _CROWDED_LOST and lost * _CROWDED_SHARE >= len(line):
        return True
    if "\ufffd\ufffd" in line:
        return True  # a narrowed pair loses one byte; U+FFFD in a row is other loss
    if _mojibake_gate(line):
        return True  # mojibake: its lost bytes are the mojibake fixer's
    return any(ord(ch) >= 0x80 and ch != "\ufffd" and _encode(ch) is None for ch in line)


def _mojibake_gate(line: str) -> bool:
    from cjkfix import mojibake

    return mojibake.would_repair(line)


def _readable_around(text: str, start: int, end: int, lang: str) -> bool:
    """Do the characters on each side of a repair read as text? Narrowing damages a
    clean page in places; next to mojibake (garbage on a side) a "repair" only invents.
    Each side is the run of Han characters touching the repair: a line break or a
    leaked reading (tone-marked letters) between is no garbage."""
    left = _HAN_RUN_END.search(text, max(0, start - _AROUND), start)
    right = _HAN_RUN_START.match(text, end, min(len(text), end + _AROUND))
    for m in (left, right):
        chars = m.group() if m else ""
        if len(chars) >= 3 and model.text_logprob(chars, lang) / len(chars) < _AROUND_FLUENCY:
            return False
    return True


_LEAK_RE = re.compile(
    "([\u4e00-\u9fff])[(（]([A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?|"
    "[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]{1,5})[)）]"
)
_HAN_RUN_END = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+$")
_HAN_RUN_START = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+")


#: A run counts as in step after a lost byte when the non-ASCII characters among the next
#: ``_STEP_LOOK`` (at least ``_STEP_CHARS`` of them) are all more likely than this.
_STEP_LOOK = 6
_STEP_CHARS = 4
_STEP_COMMON = -7.0

#: Characters looked at on each side of a repair, and the average log-probability per
#: character they need (clean Chinese is about -6 to -8; mojibake -12 and below).
_AROUND = 8
_AROUND_FLUENCY = -10.0

#: A line with at least this many lost bytes, one per this many characters or more.
_CROWDED_LOST = 4
_CROWDED_SHARE = 3


def _unless_disputed(cand: _Candidate, rivals: list[_Candidate], scorer: _Scorer) -> str:
    """The repair, with U+FFFD where another explanation of the same bytes (another
    number of hidden pairs, another lost byte) is about as plausible and reads
    differently: ``世界润主糧`` (no pair dropped) against ``世界三大主糧`` (one)."""
    after = cand.filled.shown(scorer) if cand.filled else cand.after
    a = cand.after
    lo, hi = len(a), 0  # the disputed stretch of ``a``
    for rival in rivals:
        if rival is cand or rival.gain < cand.gain - _RIVAL or rival.after == a:
            continue
        b = rival.after
        head = _common_prefix(a, b)
        tail = _common_prefix(a[head:][::-1], b[head:][::-1])
        if any(not _is_mark(ch) for ch in a[head : len(a) - tail]):
            lo, hi = min(lo, head), max(hi, len(a) - tail)
    if lo < hi:
        # ``after`` has ``a``'s length: shown() only writes U+FFFD over characters.
        after = after[:lo] + "\ufffd" * (hi - lo) + after[hi:]
    # A reading restored after a character that stays lost annotates nothing.
    return _READING_OF_LOST_RE.sub("\ufffd", after)


_READING_OF_LOST_RE = re.compile("\ufffd\\([^()]*\\)$")


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def fix(text: str, config: Config) -> list[Edit]:
    scorer = _Scorer(text)
    best: dict[int, _Candidate] = {}
    rivals: dict[tuple[int, int], list[_Candidate]] = {}
    for cand in (*_narrowing_candidates(text, scorer), *_annotation_candidates(text, scorer)):
        if (
            not cand.accepted()
            or scorer.foreign(cand.start)
            or scorer.foreign(cand.end)
            or not _readable_around(text, cand.start, cand.end, scorer.lang)
        ):
            continue
        rivals.setdefault((cand.start, cand.end), []).append(cand)
        if cand.start not in best or cand.gain > best[cand.start].gain:
            best[cand.start] = cand
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []  # accepted spans, sorted
    for cand in sorted(best.values(), key=lambda c: (-c.gain, c.start)):
        k = bisect.bisect_left(taken, (cand.start, cand.end))
        if (k and taken[k - 1][1] > cand.start) or (k < len(taken) and taken[k][0] < cand.end):
            continue
        taken.insert(k, (cand.start, cand.end))
        edits.append(
            Edit(
                start=cand.start,
                end=cand.end,
                after=_unless_disputed(cand, rivals[cand.start, cand.end], scorer),
                reason=f"GBK bytes out of step after a {cand.mechanism}",
                confidence=round(1 - math.exp(-cand.gain / 4), 3),
                evidence={
                    "mechanism": cand.mechanism,
                    "language": scorer.lang,
                    "gain_nats": round(cand.gain, 2),
                    "lost_bytes_restored": cand.lost,
                    "shape": cand.evidence,
                },
            )
        )
    edits.sort(key=lambda e: e.start)
    return edits


FIXER = register(
    Fixer("narrowing", gate=gate, fix=fix, gate_pattern=_GATE_RE.pattern, gate_chars="?\ufffd")
)
