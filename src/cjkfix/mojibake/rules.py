"""Special cases of the engine, each a named rule with one question to answer.

A rule is a small pure function registered by name (:data:`RULES`), with the stage
that asks it and a docstring saying which symptom it handles and why; the engine asks
through :func:`applies`. Each has its own unit tests (``tests/test_mojibake_rules.py``).

    >>> RULES["fits_codec"].stage, RULES["fits_codec"].symptom
    ('pairs', 'Could ``text`` have been written in ``original`` in the first place?')
    >>> applies("fits_codec", "ｱﾓ灸旁明", "shift_jis", "ja")  # half-width kana: no Shift_JIS
    False
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from cjkfix import codecs as cc
from cjkfix import western
from cjkfix._lazyre import LazyRegex
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.tokens import _WIDE, _tokens, _Unit
from cjkfix.mojibake.verdict import _JAMO, _Candidate, _cjk_char, _model, _nonascii

__all__ = ["RULES", "Rule", "applies"]

F = TypeVar("F", bound=Callable[..., bool])


@dataclass(frozen=True)
class Rule:
    """A named special case: ``check(...)`` answers its question."""

    name: str
    #: The module that asks it: ``utf8``, ``legacy``, ``pairs``, ``search`` or ``engine``.
    stage: str
    check: Callable[..., bool]

    @property
    def symptom(self) -> str:
        """The first line of the rule's docstring."""
        return (self.check.__doc__ or "").strip().split("\n")[0]


_REGISTRY: dict[str, Rule] = {}
#: Every rule by name (filled as this module is imported, read-only after).
RULES = MappingProxyType(_REGISTRY)


def rule(name: str, stage: str) -> Callable[[F], F]:
    """Register the decorated function as the rule ``name``, asked by ``stage``."""

    def register(fn: F) -> F:
        if name in _REGISTRY:
            raise ValueError(f"rule {name!r} registered twice")
        _REGISTRY[name] = Rule(name, stage, fn)
        return fn

    return register


def applies(name: str, *args: Any) -> bool:
    """Ask the rule ``name`` (a ``KeyError`` names an unknown rule)."""
    return _REGISTRY[name].check(*args)


@rule("heavy_loss", "utf8")
def heavy_loss(before: str, group: list[_Unit]) -> bool:
    """Did the wrong decoder lose bytes all over this span (UTF-8 read as Big5 or EUC-KR
    loses one in most characters), while the bytes it kept still line up as UTF-8, and
    does what the span shows beside the marks read as no text? Two characters or more
    that read as text (at least :attr:`~Policy.lone_garbled`: ``ラ`` and ``の`` between
    U+FFFD in a Japanese line, found by Hypothesis, where 步骤 was restored from their
    bytes) are clean text with characters lost, which keeps them."""
    marks = before.count("\ufffd") + before.count("?")
    partial = sum(1 for u in group if u.kind == "lost" and any(b >= 0 for b in u.pattern))
    if marks < POLICY.heavy_lost or partial < POLICY.heavy_partial:
        return False
    shown = "".join(ch for ch in before if ch >= "\x80" and ch != "\ufffd")
    return len(shown) < 2 or _model().score(shown)[1] < POLICY.lone_garbled


@rule("salvaged", "utf8")
def salvaged(group: list[_Unit], restored: int) -> bool:
    """Is a heavily damaged span worth repairing though many characters stay lost?

    The damage is evident (U+FFFD throughout), the surviving bytes line up as UTF-8, and
    the characters recovered (decoded whole, or restored where the model was sure) read
    as text: then the span becomes those characters and one U+FFFD per lost character,
    which is closer to the truth than the wrong codec's characters."""
    recovered = "".join(u.text for u in group if u.kind in ("good", "restored"))
    if len(recovered) < POLICY.salvage_recovered:
        return False
    return bool(_model().score(recovered)[1] >= POLICY.min_fluency)


@rule("lone_is_suspect", "utf8")
def lone_is_suspect(before: str, shows_cp1252: bool = False) -> bool:
    """May ``before``, which decodes to lost characters only, be mojibake at all?

    With a U+FFFD or "?" in it, yes. Without one, the loss is a silently dropped byte,
    and a common character (``頁`` is GBK ``ED 93``, a UTF-8 lead and one continuation
    byte) is far likelier to be itself: only rare characters qualify (``銆`` for ``。``);
    or, in a text that shows cp1252's own characters (``shows_cp1252``: its decoder was
    cp1252), UTF-8 characters each short of their last bytes (``ê°ê°``, 각각 with 81
    dropped twice; ``ã¨``, と: no accented text is made of such pairs alone). (Latin-1 with its C1
    bytes lost leaves the same shapes, but any continuation byte 80-9F may be gone
    there, not cp1252's five: its lines are the single-byte rows'.)
    """
    if "\ufffd" in before or "?" in before:
        return True
    if shows_cp1252:
        from cjkfix.singlebyte_evidence import utf8_cut_short

        if utf8_cut_short(before, 1):
            return True
    model = _model()
    return all(model.best_char_logprob(ch) <= POLICY.lone_rare for ch in before if ord(ch) > 0x7F)


@rule("sjis_may_have_dropped", "legacy")
def sjis_may_have_dropped(readings: dict[str, tuple[str, int, int, str]]) -> bool:
    """Is Shift_JIS the likeliest reading of a run (or the only one that fails)? Only
    then are dropped bytes looked for (GBK read as cp1252 is no Shift_JIS, however
    broken its Shift_JIS reading looks)."""
    sjis = readings.get("shift_jis")
    if sjis is None:
        return not any(
            _model().score(text)[1] >= POLICY.min_fluency for text, *_ in readings.values()
        )
    if not _japanese(sjis[0]) and _SPACE_TRAIL.search(sjis[0]) is None:
        return False
    scores: dict[str, float] = {enc: _model().score(r[0])[1] for enc, r in readings.items()}
    mine = scores["shift_jis"]
    return mine >= POLICY.low_fluency and mine == max(scores.values())


#: Full-width kana, and half-width katakana (which Japanese text has few of, and other
#: mojibake read as Shift_JIS has many of: ``Ã`` is ``ﾃ``).
_FULL_KANA = LazyRegex("[\u3041-\u30fa]")


def _japanese(text: str) -> bool:
    """Does a Shift_JIS reading look like Japanese with some bytes dropped: kana in
    every few characters, and half-width katakana only here and there?"""
    kana = len(_FULL_KANA.findall(text))
    return kana * 6 >= len(text) and len(_HALF_WIDTH_KANA.findall(text)) * 8 <= len(text)


@rule("dropped_evidence", "search")
def dropped_evidence(run: str, following: str = "") -> bool:
    """Does ``run``, read as Shift_JIS through cp1252, show that a decoder dropped bytes:
    bytes that cannot be Shift_JIS, a lone byte read as half-width katakana (the trail
    of a dropped lead), ``[`` after a katakana (``ー``), or a sentence that ends in ``B``
    or ``H`` after a hiragana (``。``, ``？``)? Only in a run that reads as Japanese;
    or ``@`` between two CJK characters (the ideographic space, ``81 40``), in any run.
    Runs of a text with such evidence are read with dropped bytes put back; ASCII
    letters alone are no evidence (``ボタンBを`` is good text). ``following``: the
    character after the run."""
    got = _tokens(run, "cp1252")
    if got is None or any(t < 0 or t in cc.UNDEFINED_BYTES["cp1252"] for t in got[0]):
        return False
    text = bytes(got[0]).decode(cc.ORIGINAL_DECODERS["shift_jis"], "replace")
    if _SPACE_TRAIL.search(text) is not None:
        return True
    if not _japanese(text):
        return False
    return (
        "\ufffd" in text
        or _HALF_WIDTH_KANA.search(text) is not None
        or "\x80" in text
        or _LOST_BAR.search(text) is not None
        or ("\u3041" <= text[-2:-1] <= "\u3093" and text[-1:] in "BH" and not following.strip())
    )


#: ``@`` between two CJK characters: the trail of the ideographic space (81 40), its
#: lead dropped (``大学@社会``, ``保@育@論``; an address's ``@`` stands beside ASCII).
_SPACE_TRAIL = LazyRegex("(?<=[\u3041-\u30ff\u4e00-\u9fff])@(?=[\u3041-\u30ff\u4e00-\u9fff])")


#: ``[`` after a katakana: the trail of ``ー`` (81 5B), its lead dropped.
_LOST_BAR = LazyRegex("[\u30a1-\u30f6]\\[")


@rule("all_hangul", "legacy")
def all_hangul(text: str, run: str = "") -> bool:
    """Is an EUC-KR reading Hangul syllables (and ASCII) throughout, each made of two
    Latin-1 characters? Rare syllables (``깬``, ``훅``) score low, but every pair of
    Latin-1 characters decoding to a Hangul syllable is structure: the reading becomes a
    weak candidate. Not where the ``run`` read holds an ASCII letter: that is a trail
    byte only cp949's extension has (``°C`` is 캜, ``µm`` 탆), and a sign before a
    letter is far likelier a unit than one of its rarely used syllables."""
    return (
        any("\uac00" <= ch <= "\ud7a3" for ch in text)
        and all("\uac00" <= ch <= "\ud7a3" or ch.isascii() for ch in text)
        and not any(ch.isascii() and ch.isalpha() for ch in run)
    )


@rule("fluent_throughout", "pairs")
def fluent_throughout(text: str, lang: str) -> bool:
    """Does a legacy-pair reading read well in every piece, not only on average? A byte
    dropped without a trace throws the rest of a run out of step, and a fluent start
    must not carry the garbage after it. Windows at every offset are read as well, to a
    lower bar: garbage across the border of two pieces is not averaged away by the good
    half of each, and a rare word that spans two pieces (``嘎吱嘎吱``) still passes."""
    model = _model()
    chars = [ch for ch in text if ord(ch) > 0x7F and ch != "\ufffd"]
    for k in range(0, len(chars) - POLICY.fluent_piece + 1):
        piece = "".join(chars[k : k + POLICY.fluent_piece])
        value = model.text_logprob(piece, lang) / POLICY.fluent_piece
        if value < POLICY.fluent_window_min or (
            k % POLICY.fluent_piece == 0 and value < POLICY.fluent_piece_min
        ):
            return False
    return True


_HALF_WIDTH_KANA = LazyRegex("[\uff61-\uff9f]")


_KANA = LazyRegex("[\u3040-\u30ff\uff61-\uff9f]")


@rule("fits_codec", "pairs")
def fits_codec(text: str, original: str, lang: str | None) -> bool:
    """Could ``text`` have been written in ``original`` in the first place?

    Shift_JIS text is Japanese, and modern Japanese hardly uses half-width katakana;
    GBK and Big5 text is Chinese. Without this, GBK misalignment damage in a Chinese page
    (``?!庇媱澯柧?``) "decodes" as Shift_JIS into ``ｱﾓ灸旁明``.
    """
    if original == "shift_jis":
        return lang in ("ja", None) and not _HALF_WIDTH_KANA.search(text)
    if lang is None or lang == "ja":
        # too short to tell, or Han the model finds likelier in Japanese (``設定``): at
        # least no kana (``月`` is ``る`` as Big5)
        return not _KANA.search(text)
    return lang in ("zh-Hans", "zh-Hant")


_HAN = LazyRegex("[\u4e00-\u9fff]")
#: Half-width katakana (and the ASCII between them): a run Shift_JIS text may be made of.
_HALF_WIDTH_RUN = LazyRegex("[\uff61-\uff9f][\uff61-\uff9f\x20-\x7e]*")


#: Half-width kana that take the voiced mark ``ﾞ`` (ｳ, ｶ-ﾄ, ﾊ-ﾎ) and the semi-voiced
#: ``ﾟ`` (ﾊ-ﾎ); the small kana and the long-vowel mark, which follow a kana.
_TAKES_VOICED = frozenset("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ")
_TAKES_SEMI = frozenset("ﾊﾋﾌﾍﾎ")
_FOLLOWERS = frozenset("ｧｨｩｪｫｬｭｮｯｰ")
#: What each small kana follows in Japanese spelling: ｬｭｮ an i-row kana (or ﾃ, ﾌ, a
#: voiced one: ｼﾞｬ, ﾃｭ), ｧｨｩｪｫ a u-row kana and a few others (ｳｨ, ﾌｧ, ﾃｨ, ｼｪ, ﾁｪ).
_SMALL_AFTER = {
    **dict.fromkeys("ｬｭｮ", frozenset("ｷｼﾁﾆﾋﾐﾘﾃﾌﾞﾟ")),
    **dict.fromkeys("ｧｨｩｪｫ", frozenset("ｲｳｸﾂﾃﾄﾌｼﾁｽﾞ")),
}


#: A CJK character and an ASCII letter alone after it, before another CJK character
#: (:func:`stray_trail`; the legacy pairs blank each match).
STRAY_TRAIL = LazyRegex("[\u2e80-\U0002ffff][A-Za-z](?=[\u2e80-\U0002ffff])")
#: The same at the end of a run that nothing can follow as a trail byte (a space, the
#: end of the text): the letter ends no ASCII word (``的JSON`` is not closed after ``J``).
STRAY_TRAIL_END = LazyRegex("[\u2e80-\U0002ffff][A-Za-z]$")


@rule("stray_trail", "pairs")
def stray_trail(after: str, closed: bool = False) -> bool:
    """Does a legacy pair's reading leave an ASCII letter alone between two CJK
    characters? A decoder that drops a byte it cannot map leaves no mark, and the pair
    before it goes out of step: Big5 對她 (B9 EF A6 6F) read as Shift_JIS lost EF, and
    reads back as 髡 (B9 A6) and the trail ``o`` (6F) alone. The character before the
    letter is then not pinned down by the bytes (nor is the one whose trail the letter
    was). (Clean text has such a letter too, ``到U盘``: its repair then loses two
    characters to U+FFFD rather than invent one elsewhere.) Or, where the run is
    ``closed`` (what follows it can be no trail byte), alone at its end: Big5 保守的。
    read as GBK lost the leads A6 and A1, ``玂u骸C``, and 守的 read ``滿C``.

        >>> stray_trail("我沒有髡o失望"), stray_trail("我沒有對她失望")
        (True, False)
        >>> stray_trail("都是滿C", closed=True), stray_trail("的J", closed=False)
        (True, False)
    """
    return STRAY_TRAIL.search(after) is not None or (
        closed and STRAY_TRAIL_END.search(after) is not None
    )


def blank_strays(after: str, closed: bool) -> tuple[str, int]:
    """``after`` with each stray trail (:func:`stray_trail`) and the character before it
    as two U+FFFD, and how many there were."""
    after, strays = STRAY_TRAIL.subn("\ufffd\ufffd", after)
    if closed:
        after, more = STRAY_TRAIL_END.subn("\ufffd\ufffd", after)
        strays += more
    return after, strays


#: Half-width katakana standing alone between full-width characters (kana, kanji,
#: full-width punctuation): in a Shift_JIS reading of a decoder that dropped bytes, the
#: trail bytes (A1-DF) of characters whose lead was dropped (``Å¬`` is 最小 without its
#: leads 8D and 8F, read as ``ﾅｬ``). A word of them (``ﾃﾞｰﾀ``) is longer and marked:
#: one or two characters without a mark.
STRAY_KANA = LazyRegex(
    "(?<=[\u3000-\u30ff\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e\ufffd])"
    "[\uff66-\uff9d]{1,2}"
    "(?=[\u3000-\u30ff\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e\ufffd])"
)


@rule("katakana_word", "search")
def katakana_word(run: str) -> bool:
    """Is ``run`` a word of half-width katakana as Japanese writes one: each ``ﾞ`` after
    a kana that takes it, each ``ﾟ`` after ﾊ-ﾎ, ``ｰ`` and ``ｯ`` after a kana, the other
    small kana after one they are spelt with, and these marks at least one in five
    characters (``ﾃﾞｰﾀ``, ``ﾈｯﾄﾜｰｸ``)? Legacy bytes read as Shift_JIS make half-width
    katakana too, but rarely a run that keeps these rules
    (``ﾃﾞｰﾀ`` is GBK 棉袄): alone, such a run is the text's own.

        >>> katakana_word("ﾃﾞｰﾀ"), katakana_word("ｻｰﾊﾞｰｴﾗｰ"), katakana_word("ｰﾃﾞ")
        (True, True, False)
        >>> katakana_word("ｱﾞｲ"), katakana_word("ｶﾀｶﾅ")
        (False, False)
    """
    marked = 0
    prev = ""
    for ch in run:
        if not "\uff66" <= ch <= "\uff9f":
            return False
        if ch == "ﾞ" or ch == "ﾟ":
            if prev not in (_TAKES_VOICED if ch == "ﾞ" else _TAKES_SEMI):
                return False
            marked += 1
        elif ch in _FOLLOWERS:
            if not prev or (prev in _FOLLOWERS and ch != "ｰ") or (prev == "ｯ" and ch == "ｰ"):
                return False
            if ch in _SMALL_AFTER and prev not in _SMALL_AFTER[ch]:
                return False  # (``ｳｬ``, ``ｹｫ``: no Japanese spelling)
            marked += 1
        prev = ch
    # (one mark in a long run is chance: ``ﾃｻﾓﾐﾓﾐﾐｧｵﾄｵﾘﾖｷ`` is GBK 没有有效的地址)
    return marked >= max(1, len(run) // 5)


@rule("foreign_short", "search")
def foreign_short(text: str, c: _Candidate) -> bool:
    """Is ``c`` a repair of a few characters that brings kana into text around it that
    has Han characters but no kana (``縺用`` read as ``しp`` in a Chinese sentence), or
    one that ends in a letter glued to the CJK text after it (``縺外を`` read as
    ``おOを``)? A lone Japanese word inside Chinese text, or a Latin letter between
    kana and kanji, is rarer than a rare character. And the mirror, at any length: a
    run of half-width katakana read as Han without kana in text around it that has kana
    (``ﾃﾞｰﾀ`` read as GBK ``棉袄``, ``ﾈｯﾄﾜｰｸ`` as ``券能案`` in a Japanese sentence:
    the katakana of text that was written in Shift_JIS), or that is a katakana word on
    its own (:func:`katakana_word`)."""
    # (the text around it on its own line: the line before or after may be another
    # record, and the run must read alike alone and in a document)
    # (both searches bounded by the context: no scan of a long line)
    first = max(0, c.start - POLICY.short_context)
    last = c.end + POLICY.short_context
    before_break = text.rfind("\n", first, c.start)
    after_break = text.find("\n", c.end, last)
    if before_break >= 0:
        first = before_break + 1
    if after_break >= 0:
        last = after_break
    around = text[first : c.start] + text[c.end : last]
    if (
        _HALF_WIDTH_RUN.fullmatch(text, c.start, c.end)
        and not _FULL_KANA.search(c.after)
        and (_FULL_KANA.search(around) or applies("katakana_word", text[c.start : c.end]))
    ):
        return True
    if _nonascii(c.after) >= POLICY.short or not _FULL_KANA.search(c.after):
        return False
    following = text[c.end : c.end + 1]
    if c.after[-1:].isascii() and c.after[-1:].isalpha() and _cjk_char(following):
        return True
    return _HAN.search(around) is not None and not _FULL_KANA.search(around)


@rule("may_hide_utf8", "search")
def may_hide_utf8(run: str, codec: str) -> bool:
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
    return wide >= POLICY.may_hide_wide or likely * POLICY.may_hide_share >= len(run)


@rule("utf8_junk", "legacy")
def utf8_junk(run: str) -> bool:
    """Is a cp1252 run valid UTF-8 under a single-byte codec that ftfy takes for
    mojibake, long or standing for U+FFFD (``ï¿½ï¿½`` is two U+FFFD encoded twice)?
    Then it is not also decoded as each legacy CJK encoding."""
    reading = western.utf8_reading(run, western.LATIN)
    if reading is None or ("\ufffd" not in reading and len(run) < POLICY.utf8_run_skips_legacy):
        return False
    return western.ftfy_reads(run)


@rule("drawn", "utf8")
def drawn(good: list[str]) -> bool:
    """Are the characters decoded whole a row of box drawing and block elements (three
    or more, ``━━━━``)? The model has no statistics for them, but clean CJK text does not
    fall into three whole UTF-8 characters of one such block in a row."""
    return len(good) >= POLICY.drawn_min and all("\u2500" <= ch <= "\u259f" for ch in good)


@rule("alphabetic_words", "pairs")
def alphabetic_words(run: str) -> bool:
    """Is ``run`` mostly letters of the alphabets below U+2000 (Greek, Cyrillic, Latin
    words)? Then it is no legacy pair's mojibake, which is Han, kana and symbols."""
    return sum(1 for ch in run if ch < "\u2000" and ch.isalpha()) * 2 > len(run)


@rule("glued_weak", "search")
def glued_weak(text: str, start: int, end: int, c: _Candidate) -> bool:
    """Is ``c``, a weak reading of the cp1252 run ``text[start:end]``, glued to a word
    (a letter right before or after the run) and not very fluent? A short run inside a
    Latin word (``Ångström``) is the word's own letters: only a very common result (a
    Korean particle after an English word) may stay a weak candidate."""
    glued = text[start - 1 : start].isalpha() or text[end : end + 1].isalpha()
    return glued and not c.strict and c.after_score < POLICY.glued_min_fluency


@rule("nothing_read", "search")
def nothing_read(before: str, c: _Candidate) -> bool:
    """Does ``c``, a reading of legacy bytes, lose more of ``before``'s characters
    beyond ASCII than it reads (U+FFFD, the ASCII left as it was) where ``before`` shows
    no loss (no U+FFFD, no "?")?

    Little read and nothing marked lost leaves only the span's structure as evidence:
    four characters of junk (``\xa0@\xa0\x91`` as Shift_JIS through cp1252) fit it,
    and a second call would read those U+FFFD as another decoder's losses (so too
    ``\x80D\xa0Jï@\x80´``, read ``�D�J�@��``, and ``\x92[\x80D\xa0Jï@¸\x82``, read
    ``端�D�J�@��``: a second call read each U+FFFD and the letter after it as one lost
    character, found by Hypothesis). UTF-8's own structure, a lead and its continuation
    bytes, is stronger: not asked of it.

    Where ``before`` shows a loss, a reading with no character read at all is none
    where what ``before`` shows beside its marks (two characters at least) reads as
    text: ``——`` between two U+FFFD (two Shift_JIS characters lost, through cp1252) is
    text that lost the characters around it."""
    if c.chain[0] == "utf-8":
        return False
    lost = c.after.count("\ufffd")
    if "\ufffd" in before or "?" in before:
        # (lazily: the line lattice's modules load only where a span shows a loss)
        from cjkfix.mojibake.utf8_lines import _garbled

        shown = "".join(ch for ch in before if ch >= "\x80" and ch != "\ufffd")
        # (one character shown tells nothing: ``\ufffd¨`` is → that lost its 81)
        return len(shown) >= 2 and lost == _nonascii(c.after) and not _garbled(shown)
    return lost > _nonascii(c.after) - lost


@rule("ftfy_confirms", "legacy")
def ftfy_confirms(run: str, c: _Candidate) -> bool:
    """Is ``c``, a weak UTF-8-through-cp1252 reading of symbols or compatibility jamo
    (``ã…‹`` for ``ㅋ``) with nothing lost, exactly what ftfy reads the span as? Such
    short readings score no better than their mojibake (Han characters are the model's
    to judge); UTF-8 read as cp1252 is ftfy's home ground, and when its own heuristics
    reach the very same text, that is the evidence the model lacks."""
    return (
        not c.strict
        and c.lost == 0
        and c.restored == 0
        and all(ch in _JAMO or not ch.isalpha() for ch in c.after)
        and _ftfy_candidate(run[c.start : c.end]) == c.after
    )


@functools.lru_cache(maxsize=4096)
def _ftfy_candidate(run: str) -> str | None:
    """What ``ftfy.fix_encoding`` makes of ``run``, if it changes it."""
    try:
        import ftfy
    except ImportError:  # pragma: no cover - ftfy is a dependency
        return None
    try:
        fixed = ftfy.fix_encoding(run)
    except Exception:  # pragma: no cover - defensive: never let ftfy break repair
        return None
    return fixed if fixed != run else None


# The engine's own rules (asked once its readings are made) live in their own module;
# importing it registers them.
from cjkfix.mojibake import rules_engine as _rules_engine  # noqa: E402, F401
