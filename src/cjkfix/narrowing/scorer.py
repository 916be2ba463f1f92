"""The character model as the narrowing search uses it, plus what the page itself says:
its punctuation habits, its vocabulary, the characters it annotates."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections import Counter
from typing import TYPE_CHECKING

from cjkfix import model, readings
from cjkfix._lazyre import LazyRegex
from cjkfix._scan import finditer_at
from cjkfix.narrowing.gbk import _encode, _Option
from cjkfix.narrowing.ranking import _Ranking

if TYPE_CHECKING:
    from cjkfix.narrowing.fill import _Filled


#: Places looked at and reconstructions tried per text: a base, plus one per so many
#: characters. A real page needs a handful; a pathological text (a megabyte of "?好")
#: gets this much work and the rest is left as it is, so time stays linear and bounded.
_BUDGET_BASE = 400
_BUDGET_CHARS = 200


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


# Two punctuation marks in a row are rare except in these shapes: a closing quote or
# bracket after the end of a sentence, an opening one after a colon or comma, a
# sentence end after a closing one, and the doubled dash and ellipsis. (Informal text
# doubles ``。`` for an ellipsis and ``！？`` for emphasis: 43 and 45 lines of the zh-Hans
# development corpus): on a page that doubles a mark elsewhere, such a pair is
# neither rewarded nor penalised.
_PUNCT_PAIR_RE = LazyRegex(
    "[。！？…][”’」』）》]|[：，、；][“‘「『（《]|[”’」』）》][。，！？、；：]|……|——"
)


#: The marks a document's own counts are kept for.
_DOC_MARKS = frozenset(_PUNCT_COUNTS) | frozenset("“”‘’「」『』")


_DOUBLED = frozenset("。！？")
_PUNCT_PAIR_BONUS = 1.0
_CLOSING = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "《": "》"}
_PUNCT_PAIR_PENALTY = -6.0
#: The marks a line ends on (anything else before a line break takes the penalty).
_LINE_END = frozenset("。！？…”’」』）》—：")
#: A page doubles its marks if it shows one of these (``!!`` is how the damaged pages
#: show ``。。。``: ``A1 A3 A1 A3 A1 A3``, folded twice across the pairs).
_DOUBLED_SHOWN = ("。。", "！！", "？？", "!!")


@functools.lru_cache(maxsize=1 << 16)
def _model_logprob(text: str, lang: str) -> float:
    """The model's log-probability of one or two characters: the beam asks for the same
    pairs over and over, across documents too."""
    return model.text_logprob(text, lang)


@functools.lru_cache(maxsize=1 << 14)
def _is_symbol(ch: str) -> bool:
    """Is ``ch`` in GBK rows A1..A9 (punctuation and symbols), whose probability the
    page's own habits adjust?"""
    encoded = _encode(ch)
    return encoded is not None and len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xA9


class _Scorer(_Ranking):
    """The character model, plus what it lacks: punctuation, learnt from the document too.

    A document's own habits are the best evidence for a lost punctuation byte: a page
    that quotes with ``“”`` lost a ``”``, not a ``」``.
    """

    def __init__(self, text: str) -> None:
        # Everything learnt from the page is learnt on first need: most texts with a
        # "?" after a Han character are clean, and are let go before any of it is asked.
        self._lang: str | None = None
        self._narrowed: bool | None = None
        self._doubles: bool | None = None
        self._doc: dict[str, float] | None = None
        self._doc_total = 0
        self._adjust: dict[str, float] = {}
        # Repeated damage is reconstructed once, and pathological input (a megabyte of
        # "?!边@") gets a bounded amount of work: linear in its length, never a hang.
        self.memo: dict[object, list[_Filled]] = {}
        self._gains: dict[tuple[str, int, int, str], float] = {}
        self._splits: dict[object, list[tuple[_Option, _Option]]] = {}
        self.budget = _BUDGET_BASE + len(text) // _BUDGET_CHARS
        self._text = text
        self._foreign: dict[int, bool] = {}
        self._foreign_stretch: dict[int, bool] = {}
        self._vocab: frozenset[str] | None = None
        self._after: dict[str, frozenset[str]] | None = None
        self._written: dict[str, frozenset[str]] = {}  # (see :meth:`_in_vocab`)
        self._sample_text: str | None = None
        self._annotated: tuple[frozenset[str], frozenset[str]] | None = None
        self._short: dict[str, float] = {}
        self._seen: Counter[str] | None = None
        self._uses_asked: dict[str, int] = {}
        self._leaked: Counter[str] | None = None
        self._always_annotated: frozenset[str] | None = None

    @property
    def narrowed(self) -> bool:
        """A page whose full-width punctuation was narrowed keeps none of it."""
        if self._narrowed is None:
            sample = self._text[:20000]
            self._narrowed = not any(c in sample for c in "，：；！？（）")
        return self._narrowed

    @property
    def doubles(self) -> bool:
        """Does the page double its sentence marks (``。。。``, ``！！``) anywhere?"""
        if self._doubles is None:
            sample = self._sample()
            self._doubles = any(d in sample for d in _DOUBLED_SHOWN)
        return self._doubles

    @property
    def lang(self) -> str:
        if self._lang is None:
            sample = self._text[:2000]
            if len(sample) < 3:
                hant, hans = (model.text_logprob(sample, lang) for lang in ("zh-Hant", "zh-Hans"))
            else:
                # text_logprob in each script, its pairs of neighbours built once for
                # both (the same sums, so the same values; a page that gets this far
                # asks once, and the pairs were a third of the cost, about 1.3 ms).
                chars = list(sample)
                rest = chars[1:]
                pairs = list(map(operator.add, chars, rest))
                hant, hans = (
                    model.pairs_logprob(chars[0], pairs, rest, lang)
                    for lang in ("zh-Hant", "zh-Hans")
                )
            self._lang = "zh-Hant" if hant > hans else "zh-Hans"
        return self._lang

    def _doc_shares(self) -> dict[str, float]:
        """The page's own share of each punctuation mark it uses (its first 20,000
        characters, the sample :meth:`_counts` counts)."""
        if self._doc is None:
            # (A count per mark: counting every character costs more.)
            seen, sample = self._seen, self._sample()
            doc: dict[str, int] = {}
            for ch in _DOC_MARKS:
                n = seen[ch] if seen is not None else sample.count(ch)
                if n:
                    doc[ch] = doc.get(ch, 0) + n
                    # An opening quote is evidence for its closing partner, often the
                    # lost one.
                    partner = _CLOSING.get(ch)
                    if partner:
                        doc[partner] = doc.get(partner, 0) + n
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
        return self._doc

    def annotated(self) -> tuple[frozenset[str], frozenset[str]]:
        """The Han characters the page always shows with their reading leaked after
        them, and those it always shows bare. The pages annotated a character at every
        occurrence of its code, so a restored character of the first kind needs its
        reading after it, and one of the second kind is not one the site annotates."""
        if self._annotated is None:
            leaks = self._leaks()
            seen = self._counts()
            never = {ch for ch in seen if "\u4e00" <= ch <= "\u9fff" and ch not in leaks}
            self._annotated = (self._always(), frozenset(never))
        return self._annotated

    def _leaks(self) -> Counter[str]:
        """How often each Han character of the sample shows a reading after it."""
        if self._leaked is None:
            # (``_LEAK_RE.finditer``, tried only before the brackets: a scan for it
            # tries every Han character, 0.8 ms per sample)
            self._leaked = Counter(
                m.group(1)
                for m in finditer_at(_LEAK_RE.compiled(), self._sample(), "(（", 1)
                if readings.is_reading(m.group(1), m.group(2))
            )
        return self._leaked

    def _always(self) -> frozenset[str]:
        """``annotated()[0]``, which the beams ask for (a page with no leaked reading,
        the common case, needs no count of its characters for it)."""
        if self._always_annotated is None:
            leaks = self._leaks()
            self._always_annotated = frozenset(ch for ch, n in leaks.items() if self._uses(ch) == n)
        return self._always_annotated

    def bonus(self, pair: str, span: frozenset[str], last: bool = True) -> float:
        """What the page adds to the model for ``pair`` (its last character new): the
        pair written intact elsewhere, or (less) the character used elsewhere. The
        damaged passage's own characters are no evidence for themselves."""
        total = _VOCAB_BONUS if self._in_vocab(pair) and pair not in span else 0.0
        ch = pair[-1:]
        if last and ch and "\u4e00" <= ch <= "\u9fff":
            uses = self._uses(ch)
            if uses and not any(ch in p for p in span):
                total += min(_CACHE_CAP, _CACHE_WEIGHT * math.log1p(uses))
        return total

    def _uses(self, ch: str) -> int:
        """``self._counts()[ch]``, counted on its own for the first few characters asked
        about (a count costs about a hundredth of counting every character)."""
        if self._seen is not None:
            return self._seen.get(ch, 0)
        n = self._uses_asked.get(ch)
        if n is None:
            if len(self._uses_asked) >= _COUNT_LOOKUPS:
                return self._counts().get(ch, 0)
            n = self._uses_asked[ch] = self._sample().count(ch)
        return n

    def _counts(self) -> Counter[str]:
        if self._seen is None:
            self._seen = Counter(self._sample())
        return self._seen

    def _in_vocab(self, pair: str) -> bool:
        """``pair in self.vocab()``, without collecting the vocabulary for a few questions:
        a pair of Han characters is in it if the sample holds it, that is if its second
        character is one the sample writes after its first (:func:`_written_after_char`,
        kept per first character: the beams ask about many pairs that start alike, and
        a search for a pair cost three times a split at one character)."""
        if self._vocab is not None:
            return pair in self._vocab
        if not (
            len(pair) == 2
            and ("\u4e00" <= pair[0] <= "\u9fff" or pair[0] in _SENTENCE_MARKS)
            and "\u4e00" <= pair[1] <= "\u9fff"
        ):
            return False
        after = self._written.get(pair[0])
        if after is None:
            if len(self._written) >= _VOCAB_LOOKUPS:
                return pair in self.vocab()
            after = self._written[pair[0]] = _written_after_char(self._sample(), pair[0])
        return pair[1] in after

    def _sample(self) -> str:
        if self._sample_text is None:
            self._sample_text = self._text[:_VOCAB_CHARS]
        return self._sample_text

    def vocab(self) -> frozenset[str]:
        """The page's own vocabulary: the pairs of Han characters it writes. A phrase
        written intact elsewhere is evidence for the same phrase in a damaged place."""
        if self._vocab is None:
            # (Overlapping matches: every pair of neighbouring Han characters.)
            self._vocab = frozenset(_HAN_PAIR_RE.findall(self._sample()))
        return self._vocab

    def _written_after(self) -> dict[str, frozenset[str]]:
        """The page's vocabulary by first character: what it writes after each."""
        if self._after is None:
            after: dict[str, set[str]] = {}
            for pair in self.vocab():
                after.setdefault(pair[0], set()).add(pair[1])
            self._after = {a: frozenset(bs) for a, bs in after.items()}
        return self._after

    def in_step_after(self, pos: int) -> bool:
        """Do the characters after ``pos`` read as ordinary text (every one of the next
        few common)? Bytes out of step decode to a scatter of GBK characters, among
        which rare ones show; clean text after a real "?" costs no reconstruction."""
        chars = [ch for ch in self._text[pos : pos + _STEP_LOOK] if ord(ch) > 0x7F]
        if len(chars) < _STEP_CHARS:
            return False
        # (every one common: the least likely is, looked up at C speed)
        if self._lang is None:
            # Where both scripts agree, the page's own need not be known (yet).
            hant, hans = (
                model.least_char_logprob(chars, lang) > _STEP_COMMON
                for lang in ("zh-Hant", "zh-Hans")
            )
            if hant == hans:
                return hant
        return model.least_char_logprob(chars, self.lang) > _STEP_COMMON

    def foreign(self, pos: int) -> bool:
        """Is the line holding ``pos`` one a narrowing pass cannot have damaged? (Looked
        at before any reconstruction: lossy mojibake is full of lost bytes.)"""
        text = self._text
        start = text.rfind("\n", 0, pos) + 1
        cached = self._foreign.get(start)
        if cached is None:
            cached = self._foreign[start] = _not_gbk_damage(text, pos, pos)
        if cached:
            return True
        # (and the stretch between spaces around it: lossy mojibake of one sentence set
        # among clean ones, the way documents mix them, is no page damage either)
        lo = max(start, text.rfind(" ", start, pos) + 1, text.rfind("\t", start, pos) + 1)
        cached = self._foreign_stretch.get(lo)
        if cached is None:
            end = len(text)
            for sep in " \t\n":
                at = text.find(sep, pos, end)
                end = at if at >= 0 else end
            cached = self._foreign_stretch[lo] = (lo, end) != (start, _line_end(text, pos)) and (
                _crowded(text[lo:end]) or _garbled(text[lo:end])
            )
        return cached

    def _symbol_adjustment(self, ch: str) -> float:
        cached = self._adjust.get(ch)
        if cached is not None:
            return cached
        value = 0.0
        if _is_symbol(ch):
            corpus = _PUNCT_COUNTS.get(ch, 0.5) / sum(_PUNCT_COUNTS.values())
            doc = self._doc_shares()
            share = doc.get(ch, corpus * _DOC_PRIOR / (self._doc_total + _DOC_PRIOR))
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
        if len(text) <= 2 and not any(map(_is_symbol, text)):
            # No punctuation: the model's own value (``+ 0.0``: the sum of no adjustments).
            return _model_logprob(text, self.lang) + 0.0
        total = (
            _model_logprob(text, self.lang)
            if len(text) <= 2
            else model.text_logprob(text, self.lang)
        )
        total += sum(self._symbol_adjustment(c) for c in text)
        for a, b in itertools.pairwise(text):
            if b == "\n" and a not in _LINE_END and self._symbol_adjustment(a):
                # A line ends a sentence, or a quotation: not on a pause mark (``、``).
                total += _PUNCT_PAIR_PENALTY
            elif self._symbol_adjustment(a) and self._symbol_adjustment(b):
                if a == b and a in _DOUBLED and self.doubles:
                    continue
                good = _PUNCT_PAIR_RE.fullmatch(a + b) is not None
                total += _PUNCT_PAIR_BONUS if good else _PUNCT_PAIR_PENALTY
        return total


#: Log-odds (nats) a pair of characters gains when the page writes it elsewhere.
_VOCAB_BONUS = 5.0
_VOCAB_CHARS = 20_000
#: First characters looked up in the sample one by one before its whole vocabulary is
#: collected (a lookup costs about a hundredth of the collection, 2 ms for a sample of
#: Chinese; a page with a few "?" in clean text asks about 10 to 30).
_VOCAB_LOOKUPS = 64
#: The same for the counts of single characters.
_COUNT_LOOKUPS = 64
_HAN_PAIR_RE = LazyRegex("(?=([\u4e00-\u9fff。！？][\u4e00-\u9fff]))")
#: A sentence mark and the character that starts the next sentence are vocabulary too:
#: a page that writes ``。而`` elsewhere starts sentences with ``而``.
_SENTENCE_MARKS = frozenset("。！？")
#: The page as a cache: a character it uses elsewhere gains this much per log-count
#: (nats), at most the cap.
_CACHE_WEIGHT = 1.0
_CACHE_CAP = 2.0


def _written_after_char(sample: str, first: str) -> frozenset[str]:
    """The characters ``sample`` writes right after ``first`` (one of its characters),
    found by a split at C speed.

    >>> sorted(_written_after_char("中文中国中", "中"))
    ['国', '文']
    >>> sorted(_written_after_char("好好", "好"))
    ['好']
    """
    pieces = sample.split(first)
    # (an empty piece between two splits: ``first`` twice in a row; the last piece is
    # what follows the last ``first``, nothing if it ends the sample)
    after = {piece[:1] or first for piece in pieces[1:-1]}
    if len(pieces) > 1 and pieces[-1]:
        after.add(pieces[-1][0])
    return frozenset(after)


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
    if _crowded(line):
        return True
    if "\ufffd\ufffd" in line:
        return True  # a narrowed pair loses one byte; U+FFFD in a row is other loss
    if _garbled(line):
        return True  # mojibake the mojibake fixer leaves (double, lossy): no page text
    if any(ord(ch) >= 0x80 and ch != "\ufffd" and _encode(ch) is None for ch in line):
        return True
    # (last: the mojibake fixer's search of the line costs a hundred times the rest)
    return _mojibake_gate(line)  # mojibake: its lost bytes are the mojibake fixer's


def _crowded(line: str) -> bool:
    """Lost bytes everywhere in ``line`` (decoding loss, not a narrowing pass's)."""
    lost = line.count("?") + line.count("\ufffd")
    return lost >= _CROWDED_LOST and lost * _CROWDED_SHARE >= len(line)


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


#: A line whose Han characters (at least this many) read below this average under the
#: character model is not a page with local damage (clean Chinese reads about -6 to -9,
#: a damaged page line about -9; double GBK mojibake -15 and below).
_GARBLED_HAN = 12
_GARBLED_FLUENCY = -12.0
_HAN = LazyRegex("[\u4e00-\u9fff]")
#: A leaked reading with its tone mark (``(nèi)``; ``(ok)`` is no reading).
_READING = LazyRegex("[(（?]?[a-zü]{0,5}[\u00e0-\u00fc\u0101-\u01dc][a-zü]{0,5}[)）]")


def _garbled(line: str) -> bool:
    """Is ``line`` mostly mojibake (``閸掓??鍤?閹??閺堝``, GBK read twice with bytes
    lost) rather than a page with narrowing damage in places? A page line can be damaged
    throughout too (``咨詢?nèi)绾纬蔀``), but then the readings that did it show."""
    han = "".join(_HAN.findall(line))
    if len(han) < _GARBLED_HAN or _READING.search(line):
        return False  # (a leaked reading marks the seed's family of damaged pages)
    return model.score(han)[1] < _GARBLED_FLUENCY


def _mojibake_gate(line: str) -> bool:
    from cjkfix import mojibake

    return mojibake.would_repair(line)


_LEAK_RE = LazyRegex(
    "([\u4e00-\u9fff])[(（]([A-Za-z\u00c0-\u024f\u0300-\u036f:]{1,8}[1-5]?|"
    "[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]{1,5})[)）]"
)


#: A run counts as in step after a lost byte when the non-ASCII characters among the next
#: ``_STEP_LOOK`` (at least ``_STEP_CHARS`` of them) are all more likely than this.
_STEP_LOOK = 6
_STEP_CHARS = 4
_STEP_COMMON = -7.0


#: A line with at least this many lost bytes, one per this many characters or more.
_CROWDED_LOST = 4
_CROWDED_SHARE = 3
