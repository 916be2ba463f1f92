"""Ruby annotation leaks: ``戰(zhàn)略`` -> ``戰略``.

Sites annotate characters with ``<ruby>`` readings; flattening the HTML leaves the reading
in parentheses after the character. An annotation is removed only when it is a reading
of the Han character right before it (pypinyin's table, compared without tones, so tone
sandhi, neutral tones and erhua match). Everything else in parentheses stays:

    >>> from cjkfix.config import Config
    >>> def run(text, **kw):
    ...     edits = fix(text, Config(**kw))
    ...     for e in reversed(edits):
    ...         text = text[: e.start] + e.after + text[e.end :]
    ...     return text
    >>> run("開發(fā)閉源模型(AGI)，條件(a)")
    '開發閉源模型(AGI)，條件(a)'
    >>> run("你(nǐ)好(hǎo)"), run("你(nǐ)好(hǎo)", keep_ruby_runs=True)
    ('你好', '你(nǐ)好(hǎo)')

A reading can also be there on purpose. A leak has the shape of the site's annotation
dictionary: the same fixed reading on characters scattered through running Mandarin
prose. A deliberate reading has the shape of its purpose, and each such shape is a named
rule in :data:`RULES` (a headword at the start of a dictionary entry, a character quoted
with its reading, a drill contrasting the readings of the one character being taught, a
gloss on a rare character, a romanisation in Japanese, Korean or Cantonese text):

    >>> run("1. 重(chóng)\\n- 组词：重复、重新")
    '1. 重(chóng)\\n- 组词：重复、重新'
    >>> run("这个字念“重(chóng)”，不念zhòng。")
    '这个字念“重(chóng)”，不念zhòng。'

The position rules give way to the dictionary: when leaks are scattered over many
characters (:data:`BULK_DISTINCT`) and the same character carries the same reading in
running prose too, the annotation is the site's, wherever it stands.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from collections.abc import Callable

from cjkfix import readings
from cjkfix._lazyre import LazyRegex
from cjkfix._scan import finditer_at, matches_at_any
from cjkfix.charclasses import HAN
from cjkfix.config import Config
from cjkfix.registry import Fixer, register
from cjkfix.steps import Edit

__all__ = ["BULK_DISTINCT", "RULES", "Annotation", "Rule", "Shape", "deliberate", "fix", "gate"]

_PINYIN = "[A-Za-z\u00c0-\u024f\u1e3f\u0300-\u036f:]{1,8}[1-5]?"
_ZHUYIN = "\u02d9?[\u3105-\u312f\u31a0-\u31bf]{1,4}[\u02ca\u02c7\u02cb\u02d9]?"
ANNOTATION_RE = LazyRegex(
    rf"(?P<han>{HAN})[(（][ \u3000]?(?P<reading>{_PINYIN}|{_ZHUYIN})[ \u3000]?[)）]"
)
#: ANNOTATION_RE's test alone, for the gate: it starts at the bracket, a character the
#: scan skips to at C speed (a Han character starts nearly every position of CJK text).
_GATE_RE = LazyRegex(rf"[(（](?<={HAN}[(（])[ \u3000]?(?:{_PINYIN}|{_ZHUYIN})[ \u3000]?[)）]")
_TONE_MARKED = LazyRegex("[\u0300-\u036f\u00e0-\u00ff\u0100-\u024f\u1e3f]")

# How sure each style of annotation makes us, and whether it stands on its own.
# Toneless ASCII (``(zhan)``) can collide with an English word or a letter; a single
# letter or a capitalised word (``李(Li)``, a name gloss) is removed only when the same
# text has an unambiguous annotation too.
_CONFIDENT = {"zhuyin": 0.98, "tone marks": 0.97, "tone number": 0.95, "toneless": 0.85}

#: How many distinct characters must carry a reading in running prose before the text
#: counts as a bulk leak, where the position rules give way (see the module docstring).
#: The real leak pages annotate 8 to 25 distinct characters; a page of deliberate
#: readings quotes one to four.
BULK_DISTINCT = 5


def _style(reading: str) -> str:
    if "\u3105" <= reading[-1] <= "\u31bf" or reading[-1] in "\u02ca\u02c7\u02cb\u02d9":
        return "zhuyin"
    if reading[-1].isdigit():
        return "tone number"
    if _TONE_MARKED.search(reading.lower().replace("ü", "")):
        return "tone marks"
    return "toneless"


@dataclasses.dataclass(frozen=True)
class Annotation:
    """One character followed by a parenthesised reading of it."""

    start: int  # of the character
    end: int  # after the closing parenthesis
    han: str
    reading: str
    style: str

    @property
    def key(self) -> tuple[str, str]:
        return self.han, readings.key(self.reading)


# --- what the whole text looks like -------------------------------------------------

_KANA = LazyRegex("[\u3041-\u3096\u30a1-\u30fa\u30fc\u31f0-\u31ff\uff66-\uff9d]")
_HANGUL = LazyRegex("[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")
# Characters of written Cantonese that Mandarin text does not use.
_CANTONESE_CHARS = LazyRegex("[唔嘅咗佢喺冇嘢啲哋嚟咩嗰啱搵噉畀嘥乜]")
# A romanisation in parentheses after a Han character, tone digits included (jyutping
# has tones 1-6, so ``係(hai6)`` never matches ANNOTATION_RE).
_ROMANISATION = LazyRegex(
    rf"(?P<han>{HAN})[(（](?P<reading>[A-Za-z\u00c0-\u024f\u1e3f\u0300-\u036f]{{1,8}}[1-6]?)[)）]"
)
_QUOTED_ALONE = LazyRegex(rf"[“「『‘《\"']({HAN})[”」』’》\"']")
# A word of Hepburn syllables (consonant, optional y, vowel, or a syllabic n), two
# letters at least.
_HEPBURN = LazyRegex("^(?=..)(?:(?:[kgsztdnhbpmrwfjc]|sh|ch|ts)?y?[aeiouāīūēō]|n(?![aeiouy]))+$")
# Jyutping that pinyin never writes: tone 6, the finals -aa-, -eo-, -oe-, -eu, -yu-,
# and the entering-tone codas -p/-t/-k before a tone digit.
_JYUTPING = LazyRegex(r"^(?:[a-z]+6|[a-z]*(?:aa|eo|oe|eu|yu)[a-z]*[1-6]|[a-z]+[ptk][1-6])$")


@dataclasses.dataclass(frozen=True)
class Shape:
    """What the rules know about the whole text: its annotations, its language cues."""

    text: str
    annotations: tuple[Annotation, ...]

    @functools.cached_property
    def kana(self) -> int:
        return len(_KANA.findall(self.text))

    @functools.cached_property
    def hangul(self) -> int:
        return len(_HANGUL.findall(self.text))

    @functools.cached_property
    def cantonese(self) -> bool:
        if len(_CANTONESE_CHARS.findall(self.text)) >= 2:
            return True
        return any(_JYUTPING.match(m.group("reading")) for m in _ROMANISATION.finditer(self.text))

    @functools.cached_property
    def foreign_romanisations(self) -> int:
        """Romanisations after Han characters that are no pinyin reading of them: Hepburn
        syllables (``kyō``, ``dai``) or jyutping (``sik6``); English glosses
        (``(tab)``, ``(u)``) are neither."""
        return sum(
            bool(_HEPBURN.match(r.lower()) or _JYUTPING.match(r))
            and not readings.is_reading(m.group("han"), r)
            for m in _ROMANISATION.finditer(self.text)
            for r in [m.group("reading")]
        )

    @functools.cached_property
    def _readings_by_char(self) -> dict[str, set[str]]:
        by_char: dict[str, set[str]] = {}
        for x in self.annotations:
            by_char.setdefault(x.han, set()).add(_toned(x.reading))
        return by_char

    @functools.cached_property
    def quoted_characters(self) -> frozenset[str]:
        """The characters quoted on their own (``“重”``, ``「行」``) in the text."""
        return frozenset(m.group(1) for m in _QUOTED_ALONE.finditer(self.text))

    def readings_of(self, han: str) -> set[str]:
        """The readings (with tones) that ``han`` carries in the text."""
        return self._readings_by_char.get(han, set())

    def line_before(self, a: Annotation, limit: int = 24) -> str | None:
        """The text between the line's start and the annotated character, or ``None``
        when that is longer than ``limit`` (rules look only at short openings, and a
        bounded look keeps the work linear on one long line)."""
        start = self.text.rfind("\n", max(0, a.start - limit - 1), a.start) + 1
        if start == 0 and a.start > limit:
            return None
        return self.text[start : a.start]

    def line_after(self, a: Annotation, limit: int = 4) -> str:
        """At most ``limit`` characters after the annotation, up to the end of the line."""
        return self.text[a.end : a.end + limit].split("\n", 1)[0]


# --- the rules: each says whether an annotation was written on purpose --------------


@dataclasses.dataclass(frozen=True)
class Rule:
    """A named shape of deliberate reading (charset-normalizer's mess-detector plug-ins
    are the model: one small predicate each, tested on its own).

    ``scope`` says when the rule gives way to a bulk leak (see :func:`deliberate`):
    ``"text"`` rules describe the whole text and never do; ``"position"`` rules (where the
    annotation stands) give way where the site's dictionary gives the same character the
    same reading in running prose; ``"sparse"`` rules (what is annotated) hold only in a
    text that is no bulk leak.
    """

    name: str
    applies: Callable[[Annotation, Shape], bool]
    scope: str = "position"


# Pinyin's tone marks that no other romanisation writes: Hepburn's long vowels are
# macrons (pinyin's first tone), jyutping and Korean romanisation carry none.
_PINYIN_ONLY_MARKS = LazyRegex("[\u0301\u030c\u0300]")


def _other_language(a: Annotation, shape: Shape) -> bool:
    """Japanese (kana), Korean (hangul) or Cantonese text: the parentheses hold its own
    romanisation (``京(kyō)都``, ``韓(han)國``, ``嘅(ge3)``), which matches a pinyin
    reading only by accident. A reading with a mark only pinyin writes (``á ǎ à``, or a
    macron outside Japanese text) is pinyin, whatever the text around it."""
    marks = unicodedata.normalize("NFD", a.reading)
    if a.style == "zhuyin" or _PINYIN_ONLY_MARKS.search(marks):
        return False
    japanese = shape.kana >= 2
    if "\u0304" in marks and not japanese:
        return False
    if japanese:
        return True
    if a.style == "toneless":  # Korean romanisation has no tones
        return shape.hangul >= 2
    # Jyutping writes its tone as a digit: ge3.
    return a.style == "tone number" and (
        shape.cantonese or _CANTONESE_CHARS.match(a.han) is not None
    )


def _foreign_romanisation(a: Annotation, shape: Shape) -> bool:
    """Most romanisations after Han characters are Japanese or Cantonese, no pinyin
    reading of them (``大(dai)阪 京(kyō)都``): the one that matches does so by accident.
    A reading with a mark only pinyin writes (``á ǎ à``) is pinyin all the same."""
    if _PINYIN_ONLY_MARKS.search(unicodedata.normalize("NFD", a.reading)):
        return False
    matching = len(shape.annotations)
    return shape.foreign_romanisations >= 2 and shape.foreign_romanisations >= matching


# A list item's opening: numbering (1. 1、 (1) ①), a bullet, or a bracket.
_ENTRY_START = LazyRegex(
    r"^[ \t\u3000]*"
    r"(?:(?:\d{1,3}[.、)）]|[(（]\d{1,3}[)）]|[\u2460-\u2473]|[-*•·●○◆■]|【|\[)[ \t\u3000]*)?$"
)
# After the headword: the end of the line, a colon, a bracket or a dash, or a space and
# a definition in CJK (``还(huán) 动词``; ``以(yǐ) JSON 格式`` is a sentence).
_ENTRY_END = LazyRegex(rf"^(?:[ \t\u3000]*$|[ \t\u3000]*[:：】\]—–-]|[ \t\u3000]+{HAN})")


def _headword(a: Annotation, shape: Shape) -> bool:
    """A dictionary or glossary entry: ``1. 重(chóng)`` or ``【行(háng)】：`` opening a
    line, followed by the end of the line, a colon, a dash or a space before the
    definition (a leak at a line start runs on into the next character)."""
    before = shape.line_before(a)
    return before is not None and bool(
        _ENTRY_START.match(before) and _ENTRY_END.match(shape.line_after(a))
    )


_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'", "《": "》"}


def _quoted_character(a: Annotation, shape: Shape) -> bool:
    """The character quoted alone with its reading: ``这个字念“重(chóng)”``."""
    before = shape.text[a.start - 1] if a.start else ""
    after = shape.text[a.end] if a.end < len(shape.text) else ""
    return before in _QUOTES and after == _QUOTES[before]


_READING_TALK = LazyRegex(
    # 念 "read as", not the 念 of 掛念 (miss), 觀念 (idea), 紀念 (remember) ...
    "(?:(?<![挂掛想怀懷纪紀观觀概信思悼惦留意杂雜邪执執怨])念|读作|讀作|读为|讀為|读成|讀成"
    "|念作|读音|讀音|音同|注音)[“「『\"']?$"
)


def _reading_talk(a: Annotation, shape: Shape) -> bool:
    """The sentence is about how the character is read: ``“行”在这里读作行(háng)``."""
    return bool(_READING_TALK.search(shape.text[max(0, a.start - 3) : a.start]))


def _taught_character(a: Annotation, shape: Shape) -> bool:
    """The text quotes the character on its own elsewhere (``“重”字有两个读音 ...
    重(zhòng)量``): it is about that character and its reading."""
    return a.han in shape.quoted_characters


def _polyphone_contrast(a: Annotation, shape: Shape) -> bool:
    """The character carries two or more different readings in the text: a drill of
    example sentences (``行(xíng)为`` / ``银行(háng)``) or a list of its readings
    (``的(de)、的(dí)、的(dì)``). A site's annotation dictionary gives a character one
    fixed reading (none of the real leak pages breaks this), so contrast is teaching."""
    return len(shape.readings_of(a.han)) >= 2


def _toned(reading: str) -> str:
    """The reading with its tone, in one spelling (``zhòng`` and ``zhong4`` alike)."""
    s = unicodedata.normalize("NFD", reading.lower())
    for mark, tone in (("\u0304", "1"), ("\u0301", "2"), ("\u030c", "3"), ("\u0300", "4")):
        if mark in s:
            return s.replace(mark, "") + tone
    return s


def _marked_reading(a: Annotation, shape: Shape) -> bool:
    """A reading other than the character's usual one (pypinyin lists it first):
    ``不亦说(yuè)乎``, ``银行(háng)``. Writers gloss the reading a reader would get wrong;
    an annotation dictionary gives the usual one (every one of the 560 leaked readings in
    the real leak pages and the seed does)."""
    k, usual = readings.key(a.reading), readings.primary(a.han)
    return k != usual and not (k.endswith("r") and k[:-1] == usual)  # erhua: 花(huār)


_RARE_LOGPROB = -13.9


def _rare_character(a: Annotation, shape: Shape) -> bool:
    """A gloss on a character most readers would not know (``慍(ㄩㄣˋ)`` in a classical
    note): annotation dictionaries are built for common characters."""
    from cjkfix import model

    return all(model.char_logprob(a.han, lang) < _RARE_LOGPROB for lang in ("zh-Hans", "zh-Hant"))


#: The shapes of deliberate readings, in the order they are tried.
RULES: tuple[Rule, ...] = (
    Rule("other_language", _other_language, scope="text"),
    Rule("foreign_romanisation", _foreign_romanisation, scope="text"),
    Rule("headword", _headword),
    Rule("quoted_character", _quoted_character),
    Rule("reading_talk", _reading_talk),
    Rule("polyphone_contrast", _polyphone_contrast),
    Rule("taught_character", _taught_character),
    Rule("marked_reading", _marked_reading, scope="sparse"),
    Rule("rare_character", _rare_character, scope="sparse"),
)


def deliberate(shape: Shape) -> dict[Annotation, str]:
    """The annotations written on purpose, each with the name of the rule that says so.

    In a bulk leak (readings on :data:`BULK_DISTINCT` or more distinct characters in
    running prose) a ``"sparse"`` rule gives way, and a ``"position"`` rule gives way
    where the same character has the same reading in running prose as well.
    """
    found: dict[Annotation, str] = {}
    for a in shape.annotations:
        for rule in RULES:
            if rule.applies(a, shape):
                found[a] = rule.name
                break
    prose = [a for a in shape.annotations if a not in found]
    if len({a.han for a in prose}) >= BULK_DISTINCT:
        leaked = {a.key for a in prose}
        scope = {r.name: r.scope for r in RULES}
        found = {
            a: n
            for a, n in found.items()
            if scope[n] == "text" or (scope[n] == "position" and a.key not in leaked)
        }
    return found


def gate(text: str) -> bool:
    # ``_GATE_RE.search(text) is not None``, tried at the brackets (cjkfix._scan)
    return matches_at_any(_GATE_RE.compiled(), text, "(（")


def _annotations(text: str) -> list[Annotation]:
    """``ANNOTATION_RE.finditer(text)``'s annotations that are readings of their
    character. A match has a bracket second, so it is tried only before the brackets
    (:func:`cjkfix._scan.finditer_at`: the same matches); ``finditer`` tried it at every
    Han character (8 ms per 1.7 MB of CJK text)."""
    found = []
    for m in finditer_at(ANNOTATION_RE.compiled(), text, "(（", 1):
        reading = m.group("reading")
        if readings.is_reading(m.group("han"), reading):
            found.append(Annotation(m.start(), m.end(), m.group("han"), reading, _style(reading)))
    return found


def fix(text: str, config: Config) -> list[Edit]:
    accepted = _annotations(text)
    if not accepted:
        return []
    shape = Shape(text, tuple(accepted))
    kept = deliberate(shape)
    corroborated = any(a.style != "toneless" for a in accepted if a not in kept)
    distinct = len({a.han for a in accepted if a not in kept})

    edits: list[Edit] = []
    for i, a in enumerate(accepted):
        if a in kept:
            continue
        reading = a.reading
        weak = a.style == "toneless" and (len(reading) < 2 or not reading.islower())
        if weak and not corroborated:
            continue
        in_run = (i > 0 and accepted[i - 1].end == a.start) or (
            i + 1 < len(accepted) and accepted[i + 1].start == a.end
        )
        if in_run and config.keep_ruby_runs:
            continue
        han = a.han
        edits.append(
            Edit(
                start=a.start + len(han),
                end=a.end,
                after="",
                reason=f"leaked ruby: {reading!r} is a reading of {han} ({a.style})",
                confidence=0.7 if weak else _CONFIDENT[a.style],
                evidence={
                    "char": han,
                    "annotation": reading,
                    "style": a.style,
                    "readings": sorted(readings.readings(han)),
                    "in_run": in_run,
                    "distinct_annotated": distinct,
                    "kept_as_deliberate": sorted(set(kept.values())),
                },
            )
        )
    return edits


FIXER = register(
    Fixer(
        "ruby",
        gate=gate,
        fix=fix,
        gate_pattern=_GATE_RE.pattern,
        gate_chars="(（",
        gate_is_faster=True,
    )
)
