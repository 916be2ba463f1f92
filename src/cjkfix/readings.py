"""Per-character Mandarin readings, for recognising leaked ruby annotations.

The readings come from pypinyin's own per-character table (``pinyin_dict.json``), read
directly: importing pypinyin itself costs about 0.3 s and is never needed here. The table
loads on first use. Readings are compared in a *toneless key* form, so tone sandhi
(``一`` read ``yí``, ``你好`` read ``ní hǎo``) and neutral tones still match:

    >>> key("Zhàn"), key("lu:e4"), key("lve"), key("ㄓㄢˋ"), key("ㄌㄩㄝˋ")
    ('zhan', 'lue', 'lue', 'zhan', 'lue')
    >>> is_reading("戰", "zhan4"), is_reading("件", "a")
    (True, False)
"""

from __future__ import annotations

import functools
import importlib.util
import os
import unicodedata

from cjkfix._lazyre import LazyRegex

__all__ = ["is_reading", "key", "primary", "readings"]

# Combining marks that carry pinyin tones (macron, acute, caron, grave) or ê's circumflex.
_TONE_MARKS = dict.fromkeys(map(ord, "\u0304\u0301\u030c\u0300\u0302"))

_ZHUYIN_INITIALS = {
    "ㄅ": "b", "ㄆ": "p", "ㄇ": "m", "ㄈ": "f", "ㄉ": "d", "ㄊ": "t", "ㄋ": "n", "ㄌ": "l",
    "ㄍ": "g", "ㄎ": "k", "ㄏ": "h", "ㄐ": "j", "ㄑ": "q", "ㄒ": "x", "ㄓ": "zh", "ㄔ": "ch",
    "ㄕ": "sh", "ㄖ": "r", "ㄗ": "z", "ㄘ": "c", "ㄙ": "s",
}  # fmt: skip
_ZHUYIN_FINALS = {
    "ㄚ": "a", "ㄛ": "o", "ㄜ": "e", "ㄝ": "e", "ㄞ": "ai", "ㄟ": "ei", "ㄠ": "ao", "ㄡ": "ou",
    "ㄢ": "an", "ㄣ": "en", "ㄤ": "ang", "ㄥ": "eng", "ㄦ": "er", "": "",
}  # fmt: skip
# Finals after the medials ㄧ (i), ㄨ (u), ㄩ (ü), written as after an initial.
_MEDIAL_FINALS = {
    "ㄧ": {"": "i", "ㄚ": "ia", "ㄛ": "io", "ㄝ": "ie", "ㄞ": "iai", "ㄠ": "iao", "ㄡ": "iu",
          "ㄢ": "ian", "ㄣ": "in", "ㄤ": "iang", "ㄥ": "ing"},
    "ㄨ": {"": "u", "ㄚ": "ua", "ㄛ": "uo", "ㄞ": "uai", "ㄟ": "ui", "ㄢ": "uan", "ㄣ": "un",
          "ㄤ": "uang", "ㄥ": "ong"},
    "ㄩ": {"": "ü", "ㄝ": "üe", "ㄢ": "üan", "ㄣ": "ün", "ㄥ": "iong"},
}  # fmt: skip
# The same finals standing alone, spelled with y/w.
_ZERO_INITIAL = {
    "i": "yi", "ia": "ya", "io": "yo", "ie": "ye", "iai": "yai", "iao": "yao", "iu": "you",
    "ian": "yan", "in": "yin", "iang": "yang", "ing": "ying", "u": "wu", "ua": "wa", "uo": "wo",
    "uai": "wai", "ui": "wei", "uan": "wan", "un": "wen", "uang": "wang", "ong": "weng",
    "ü": "yu", "üe": "yue", "üan": "yuan", "ün": "yun", "iong": "yong",
}  # fmt: skip
_ZHUYIN_TONES = "ˊˇˋ˙"
_ZHUYIN_RE = LazyRegex(
    r"([ㄅ-ㄙ]?)([ㄧㄨㄩ]?)([ㄚㄛㄜㄝㄞㄟㄠㄡㄢㄣㄤㄥㄦ]?)ㄦ?$"  # optional erhua ㄦ at the end
)


def _zhuyin_to_pinyin(zhuyin: str) -> str | None:
    bare = "".join(c for c in zhuyin if c not in _ZHUYIN_TONES)
    m = _ZHUYIN_RE.match(bare)
    if not m or not bare:
        return None
    initial_z, medial, final_z = m.groups()
    initial = _ZHUYIN_INITIALS.get(initial_z, "")
    if medial:
        final = _MEDIAL_FINALS[medial].get(final_z)
        if final is None:
            return None
    else:
        final = _ZHUYIN_FINALS[final_z]
    if not final:
        # zh ch sh r z c s stand alone with the "empty rhyme", written -i in pinyin.
        return initial + "i" if initial in ("zh", "ch", "sh", "r", "z", "c", "s") else None
    if not initial:
        return _ZERO_INITIAL.get(final, final)
    return initial + final


def key(syllable: str) -> str:
    """A comparable form of one syllable: lower case, toneless, ``ü`` folded into ``u``."""
    if (syllable and "\u3105" <= syllable[-1] <= "\u312f") or any(
        c in _ZHUYIN_TONES for c in syllable
    ):
        pinyin = _zhuyin_to_pinyin(syllable)
        if pinyin is None:
            return ""
        syllable = pinyin
    s = unicodedata.normalize("NFD", syllable.lower()).translate(_TONE_MARKS)
    s = unicodedata.normalize("NFC", s).rstrip("12345")
    # ü, v and u: are one vowel; plain u stands for it too (ASCII-only sites write
    # "lue"), and pinyin itself writes it u after j, q, x, y: fold them all into u.
    s = s.replace("u:", "u").replace("v", "u").replace("ü", "u")
    s = s.replace("ḿ", "m").replace("ǹ", "n").replace("ń", "n").replace("ň", "n")
    return s


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        # (the path finders' caches are refreshed without a lock: a thread importing
        # something else at this moment can make a first look miss; look once more)
        importlib.invalidate_caches()
        spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cjkfix needs pypinyin's readings table: pip install pypinyin")
    path = os.path.join(next(iter(spec.submodule_search_locations)), "pinyin_dict.json")
    import json  # (here: ``import cjkfix`` imports this module, not the table)

    with open(path, encoding="utf-8") as f:
        raw: dict[str, str] = json.load(f)
    return raw


@functools.lru_cache(maxsize=65536)
def readings(char: str) -> frozenset[str]:
    """The toneless keys of every reading pypinyin lists for ``char``."""
    entry = _table().get(str(ord(char)), "")
    return frozenset(key(r) for r in entry.split(",") if r)


@functools.lru_cache(maxsize=65536)
def primary(char: str) -> str:
    """The toneless key of the reading pypinyin lists first for ``char`` (its usual one).

    >>> primary("行"), primary("說")
    ('xing', 'shuo')
    """
    entry = _table().get(str(ord(char)), "")
    return key(entry.split(",")[0]) if entry else ""


def is_reading(char: str, annotation: str) -> bool:
    """Whether ``annotation`` (pinyin in any spelling, or zhuyin) is a reading of ``char``.

    Erhua (``huār`` for ``花``) counts as the plain reading.
    """
    k = key(annotation)
    if not k:
        return False
    known = readings(char)
    if k in known:
        return True
    return k.endswith("r") and k != "er" and k[:-1] in known
