"""Other scripts: mojibake of Latin, Greek, Cyrillic or Turkish text is repaired as ftfy
repairs it, never turned into CJK, and clean text in those scripts is never touched
(issue 9: ``Î•Î»Î»Î·Î½Î¹ÎºÎ¬`` became ``螘位位畏谓喂魏维``)."""

from __future__ import annotations

import ftfy
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cjkfix

# Clean words the developers wrote, in scripts whose UTF-8 bytes single-byte codecs turn
# into what legacy CJK text read as latin-1 also looks like.
WORDS = [
    "Ελληνικά",
    "κείμενο",
    "Русский",
    "текст",
    "Büyükşehir",
    "İstanbul",
    "Hırsızı",
    "Příliš",
    "žluťoučký",
    "kůň",
    "Người",
    "đã",
    "Tiếng",
    "Việt",
    "Zażółć",
    "gęślą",
    "Árvíztűrő",
    "tükörfúrógép",
    "Știință",
    "România",
    "café",
    "naïve",
    "Straße",
    "Ångström",
    "façade",
    "señor",
    "São",
    "Paulo",
    "œuvre",
    "Æsir",
    "Øresund",
    "ภาษาไทย",
    "العربية",
    "עברית",
    "“quoted”",
    "—",
    "…",
    "№",
    "±",
    "°C",
    "½",
    "€",
    "£",
    "©",
]

CJK = set(range(0x3040, 0x30FF)) | set(range(0x4E00, 0x9FFF)) | set(range(0xAC00, 0xD7A3))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.sampled_from([" ", ", ", "\n"]))
def test_clean_text_in_other_scripts_is_unchanged(words: list[str], sep: str) -> None:
    text = sep.join(words)
    assert cjkfix.repair(text) == text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    st.sampled_from(["cp1252", "latin-1", "cp1251", "cp1253", "cp437", "mac_roman"]),
)
# (Hypothesis found it in CI: ``—Ç–µ–`` read as Shift_JIS through cp1252 gains in total
# only by having fewer characters, and was taken at -9.5 nats a character)
@example(["текст", "gęślą", "gęślą", "gęślą"], "mac_roman")
def test_their_mojibake_is_repaired_as_ftfy_does_and_never_becomes_cjk(
    words: list[str], codec: str
) -> None:
    text = " ".join(words)
    try:
        broken = text.encode("utf-8").decode(codec)
    except UnicodeDecodeError:
        return  # (the codec leaves some byte undefined)
    out = cjkfix.repair(broken)
    assert not any(ord(ch) in CJK for ch in out)
    if ftfy.fix_encoding(broken) == text:
        assert out == text


def test_a_reading_that_makes_private_use_characters_is_not_taken() -> None:
    # ftfy reads ``ďź‰`` through sloppy windows-1250 as EF 9F 89, U+F7C9 (private use):
    # bytes that decode as UTF-8 by chance make no text. (It is the fullwidth ``）`` of
    # UTF-8 read through ISO-8859-2 with cp1252 for 80-9F, which alone is no evidence.)
    for text in ("ďź‰ďźš", "ďź‰", "abc ďź‰ def"):
        assert ftfy.fix_encoding(text) != text
        assert cjkfix.repair(text) == text
