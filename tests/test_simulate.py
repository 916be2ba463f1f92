"""Tests for the mojibake generator of :mod:`cjkfix.simulate`: what each decoder behaviour does.

The expectations are computed here from Python's own codecs, step by step, never by
calling the generator a second time.
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjkfix import codecs as cc
from cjkfix import simulate, singlebyte
from cjkfix.simulate import (
    CHAINS,
    DECODERS,
    LANG_OF,
    ON_STRICT,
    corrupt,
    decode_wrongly,
    is_lossless,
)

SENTENCES: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "cases" / "sentences.json").read_text(encoding="utf-8")
)
ALL_SENTENCES = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed") for s in SENTENCES[lang]]
# Whole sentences rarely survive a strict multi-byte chain; their 2- and 3-character
# windows often do.
FRAGMENTS = sorted(
    {s[i : i + k] for s in ALL_SENTENCES for k in (2, 3) for i in range(len(s) - k + 1)} - {""}
)
FRAGMENTS = [f for f in FRAGMENTS if not f.isascii()]

# The Python codec behind each encoding name of the chains: Big5 and Shift_JIS as
# written by Windows are cp950 and cp932.
PYTHON_CODEC = {
    "utf-8": "utf-8",
    "gbk": "gbk",
    "big5": "cp950",
    "shift_jis": "cp932",
    "euc-jp": "euc_jp",
    "euc-kr": "euc_kr",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
}

# The chains of Python codecs; the others read through cjkfix.singlebyte's tables
# (tests/test_singlebyte.py).
CODEC_CHAINS = [name for name, steps in CHAINS.items() if all(w in PYTHON_CODEC for _o, w in steps)]
SINGLE_STEP = [name for name in CODEC_CHAINS if len(CHAINS[name]) == 1]
# Legacy bytes read as UTF-8: a strict decode fails on nearly every text (and where it
# does not, the chain through UTF-8 and back may give the text itself), so only their
# lossy behaviours are simulated.
LEGACY_AS_UTF8 = [name for name, steps in CHAINS.items() if steps[0][1] == "utf-8"]
# Text read wrongly and written back the same way: strict decoders give the text itself.
ROUND_TRIPS = [
    name for name, steps in CHAINS.items() if len(steps) == 2 and steps[1] == steps[0][::-1]
]
WRONG_CODECS = sorted({wrong for name in CODEC_CHAINS for _, wrong in CHAINS[name]})


def _encodable(text: str, chain: str) -> bool:
    try:
        text.encode(PYTHON_CODEC[CHAINS[chain][0][0]])
    except UnicodeEncodeError:
        return False
    return True


def _python_decode(text: str, chain: str, errors: str) -> str:
    """One-step ``chain`` applied with Python's codecs and ``errors``."""
    ((original, wrong),) = CHAINS[chain]
    return text.encode(PYTHON_CODEC[original]).decode(PYTHON_CODEC[wrong], errors)


def _undo(broken: str, chain: str) -> str | None:
    """``broken`` re-encoded and decoded back step by step, last step first."""
    text = broken
    try:
        for original, wrong in reversed(CHAINS[chain]):
            text = text.encode(PYTHON_CODEC[wrong]).decode(PYTHON_CODEC[original])
    except UnicodeError:
        return None
    return text


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def test_public_tables() -> None:
    assert DECODERS[:5] == ("strict", "replace", "qmark", "whatwg", "drop")
    assert DECODERS[5:] == ("eat", "pua-dropped", "folded")  # (rows that list them only)
    assert len(CODEC_CHAINS) == 30
    assert "utf-8>shift_jis>shift_jis>utf-8" in ROUND_TRIPS
    for name, steps in CHAINS.items():
        # The name spells the steps: "a>b" or "a>b>c>d".
        assert name.split(">") == [enc for step in steps for enc in step]
        for original, wrong in steps:
            assert original in PYTHON_CODEC
            assert wrong in PYTHON_CODEC or wrong in singlebyte.READERS
    originals = {steps[0][0] for steps in CHAINS.values()}
    assert set(LANG_OF) <= originals
    assert LANG_OF["gbk"] == ("zh-Hans",) and LANG_OF["euc-kr"] == ("ko",)


# Chains whose codecs are not one-to-one, so a strict corruption can still lose the text:
# see test_strict_codec_quirks.
# (EUC-JP writes ¥ as the ASCII backslash byte; cp932 decodes IBM rows FA-FC, where a
# Big5 trail FA-FC and the next lead fall, to kanji it encodes elsewhere)
NOT_ONE_TO_ONE = {"big5>latin-1", "gbk>shift_jis", "big5>shift_jis", "euc-jp>latin-1"}


@pytest.mark.parametrize("chain", ROUND_TRIPS)
def test_a_round_trip_with_strict_decoders_changes_nothing(chain: str) -> None:
    for sentence in ALL_SENTENCES + FRAGMENTS:
        assert corrupt(sentence, chain, "strict") in (None, sentence)


# Chains that never keep Japanese whole: Big5 has no character for Shift_JIS's leads
# 81-A0 (every kana and most kanji).
NEVER_LOSSLESS = {"shift_jis>big5"}


@pytest.mark.parametrize("chain", sorted(NEVER_LOSSLESS))
def test_never_lossless(chain: str) -> None:
    assert all(corrupt(s, chain, "strict") is None for s in ALL_SENTENCES + FRAGMENTS)


@pytest.mark.parametrize(
    "chain",
    [
        c
        for c in CODEC_CHAINS
        if c not in LEGACY_AS_UTF8 and c not in ROUND_TRIPS and c not in NEVER_LOSSLESS
    ],
)
def test_strict_round_trips_by_hand(chain: str) -> None:
    """Undoing the steps with Python's codecs, last step first, gives the text back."""
    done = 0
    failures: list[str] = []
    for sentence in ALL_SENTENCES + FRAGMENTS:
        broken = corrupt(sentence, chain, "strict")
        if broken is None:
            continue
        assert broken != sentence
        assert is_lossless(sentence, chain)
        if _undo(broken, chain) == sentence:
            done += 1
        else:
            failures.append(sentence)
    # The rarest, "utf-8>gbk>utf-8>gbk", keeps 32 fragments whole.
    assert done >= 20
    if chain in NOT_ONE_TO_ONE:
        assert 0 < len(failures) <= done // 20
    else:
        assert failures == []


def test_strict_codec_quirks() -> None:
    """``strict`` promises no decoding error, not a byte round trip (see the docstring)."""
    # cp950 encodes U+00A5 best-fit as A2 44, the code of U+FFE5.
    assert corrupt("¥1", "big5>latin-1", "strict") == "¢D1"
    assert "¢D1".encode("latin-1").decode("cp950") == "￥1"
    # "利。" in GBK is C0 FB A1 A3; cp932 reads FB A1 as an IBM extension and encodes that
    # character with its NEC-selected duplicate code EE 85.
    assert corrupt("利。", "gbk>shift_jis", "strict") == "ﾀ蠇｣"
    assert "ﾀ蠇｣".encode("cp932") == b"\xc0\xee\x85\xa3" != "利。".encode("gbk")


@pytest.mark.parametrize("chain", CODEC_CHAINS)
def test_strict_is_none_exactly_when_bytes_are_lost(chain: str) -> None:
    for sentence in ALL_SENTENCES + FRAGMENTS:
        if not _encodable(sentence, chain):
            assert corrupt(sentence, chain, "strict") is None
            assert corrupt(sentence, chain, "replace") is None
            continue
        lossless = is_lossless(sentence, chain)
        if len(CHAINS[chain]) == 1:
            replaced = _python_decode(sentence, chain, "replace")
            assert lossless == ("\ufffd" not in replaced)


@pytest.mark.parametrize("chain", SINGLE_STEP)
def test_replace_marks_where_python_does(chain: str) -> None:
    for sentence in ALL_SENTENCES:
        if not _encodable(sentence, chain):
            continue
        expected = _python_decode(sentence, chain, "replace")
        out = corrupt(sentence, chain, "replace")
        assert out is not None
        assert [i for i, ch in enumerate(out) if ch == "\ufffd"] == [
            i for i, ch in enumerate(expected) if ch == "\ufffd"
        ]
        assert out == expected


@pytest.mark.parametrize("chain", CODEC_CHAINS)
def test_qmark_is_replace_with_question_marks(chain: str) -> None:
    marked = 0
    for sentence in ALL_SENTENCES:
        replaced = corrupt(sentence, chain, "replace")
        qmarked = corrupt(sentence, chain, "qmark")
        if qmarked is None:
            assert replaced is None
            continue
        assert "\ufffd" not in qmarked
        if len(CHAINS[chain]) == 1:
            # Same length, and a '?' wherever Python's codec put U+FFFD.
            assert replaced is not None and len(qmarked) == len(replaced)
            for q, r in zip(qmarked, replaced, strict=True):
                assert q == r or (r == "\ufffd" and q == "?")
            marked += replaced.count("\ufffd")
    if chain in ("utf-8>gbk", "utf-8>big5", "utf-8>shift_jis", "utf-8>euc-kr"):
        assert marked > 0


@pytest.mark.parametrize("chain", CODEC_CHAINS)
def test_drop_is_a_subsequence(chain: str) -> None:
    for sentence in ALL_SENTENCES:
        dropped = corrupt(sentence, chain, "drop")
        if dropped is None:
            continue
        assert "\ufffd" not in dropped
        if len(CHAINS[chain]) == 1:
            replaced = _python_decode(sentence, chain, "replace")
            assert _is_subsequence(dropped, replaced)
            assert dropped == replaced.replace("\ufffd", "")


def test_whatwg_consumes_a_bad_pair_with_non_ascii_second_byte() -> None:
    # 81 is a GBK lead byte; FF can never be a trail.
    assert decode_wrongly(b"\x81\xffA", "gbk", "replace") == "\ufffd\ufffdA"
    assert decode_wrongly(b"\x81\xffA", "gbk", "whatwg") == "\ufffdA"
    # An ASCII byte after a bad lead survives.
    assert decode_wrongly(b"\x81,A", "gbk", "whatwg") == "\ufffd,A"
    # In text: "文" is E6 96 87 in UTF-8; cp950 reads E6 (with the AD before it) as a
    # character, then the bad pair 96 87 as one U+FFFD where Python gives two.
    assert corrupt("中文", "utf-8>big5", "replace") == "銝剜\ufffd\ufffd"
    assert corrupt("中文", "utf-8>big5", "whatwg") == "銝剜\ufffd"


def test_whatwg_reads_a_byte_that_is_no_lead_alone() -> None:
    # The Encoding Standard's Big5 decoder: 80 and FF are no lead, an error each alone,
    # and the next byte starts afresh (A4 40 is 一). Its gb18030 decoder reads 80 as €.
    assert decode_wrongly(b"\x80\xa4\x40", "big5", "whatwg") == "\ufffd一"
    assert decode_wrongly(b"\xff\xa4\x40", "big5", "whatwg") == "\ufffd一"
    assert decode_wrongly(b"\x80\xd2\xbb", "gbk", "whatwg") == "€一"
    # (a Windows decoder eats the byte after any byte it cannot read)
    assert decode_wrongly(b"\x80\xa4\x40", "big5", "eat") == "?@"


def test_whatwg_gbk_is_gb18030_and_cp1252_keeps_c1() -> None:
    # AA A1 is in GBK's first user-defined area: Python's gbk refuses it, GB18030 maps it
    # to the private-use area.
    assert decode_wrongly(b"\xaa\xa1", "gbk", "replace") == "\ufffd\ufffd"
    assert decode_wrongly(b"\xaa\xa1", "gbk", "whatwg") == "\ue000"
    assert decode_wrongly(b"\x81\x8d\x80A", "cp1252", "replace") == "\ufffd\ufffd€A"
    assert decode_wrongly(b"\x81\x8d\x80A", "cp1252", "whatwg") == "\x81\x8d€A"
    assert decode_wrongly(bytes(range(256)), "latin-1", "whatwg") == bytes(range(256)).decode(
        "latin-1"
    )
    # Shift_JIS half-width katakana are single bytes.
    assert decode_wrongly(b"\xb1\xdf", "shift_jis", "whatwg") == "ｱﾟ"


def test_whatwg_utf8_in_cp1252_loses_nothing() -> None:
    for sentence in ALL_SENTENCES:
        out = corrupt(sentence, "utf-8>cp1252", "whatwg")
        assert out is not None and "\ufffd" not in out
        back = bytes(
            ord(ch) if ch in "\x81\x8d\x8f\x90\x9d" else ch.encode("cp1252")[0] for ch in out
        )
        assert back.decode("utf-8") == sentence


def test_double_chain_applies_both_steps() -> None:
    once = corrupt("测试", "utf-8>cp1252", "strict")
    assert once == "æµ‹è¯•"
    assert corrupt("测试", "utf-8>cp1252>utf-8>cp1252", "strict") == once.encode().decode("cp1252")


def test_unknown_chain_raises() -> None:
    with pytest.raises(ValueError, match=r"unknown chain 'utf-8>koi8-r'.*utf-8>gbk.*gbk>latin-1"):
        corrupt("中文", "utf-8>koi8-r", "strict")
    with pytest.raises(ValueError, match="unknown chain"):
        is_lossless("中文", "nope")


@pytest.mark.parametrize("text", ["中文", "😀"])  # "😀" cannot be encoded in GBK
def test_unknown_behaviour_raises(text: str) -> None:
    with pytest.raises(ValueError, match=r"unknown decoder behaviour 'ignore'.*strict.*whatwg"):
        corrupt(text, "gbk>latin-1", "ignore")


def test_decode_wrongly_unknown_codec_raises() -> None:
    with pytest.raises(ValueError, match=r"unknown codec 'cp949'.*euc-kr"):
        decode_wrongly(b"abc", "cp949", "replace")
    with pytest.raises(ValueError, match="unknown decoder behaviour"):
        decode_wrongly(b"abc", "gbk", "Strict")


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=30),
    st.sampled_from(CODEC_CHAINS),
    st.sampled_from([d for d in DECODERS if d != "strict"]),
)
def test_lossy_behaviours_only_fail_on_unencodable_text(
    text: str, chain: str, behaviour: str
) -> None:
    if behaviour not in cc.CHAINS[[c.name for c in cc.CHAINS].index(chain)].behaviours:
        # (a behaviour the chain's row does not list gives what strict gives)
        assert corrupt(text, chain, behaviour) == corrupt(text, chain, "strict")
        return
    out = corrupt(text, chain, behaviour)
    if behaviour in ON_STRICT:
        # (folded quotes work on what strict decodes: they fail where it fails)
        assert (out is None) == (corrupt(text, chain, "strict") is None)
        return
    if len(CHAINS[chain]) == 1:
        assert (out is None) == (not _encodable(text, chain))
    if out is not None and behaviour in ("qmark", "drop") and "\ufffd" not in text:
        assert "\ufffd" not in out


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40), st.sampled_from(WRONG_CODECS))
def test_whatwg_decodes_any_bytes_keeping_ascii(data: bytes, codec: str) -> None:
    out = decode_wrongly(data, codec, "whatwg")
    assert out is not None
    if data.isascii():
        assert out == data.decode("ascii")
    # Never more characters than bytes.
    assert len(out) <= len(data)


def test_doctests() -> None:
    result = doctest.testmod(simulate)
    assert result.failed == 0
    assert result.attempted >= 10


def test_folded_quotes_are_strict_then_ascii_quotes() -> None:
    # cp1252 shows the continuation bytes 91-94 as curly quotes; a normaliser after the
    # decoder makes them ASCII. Only the chains whose rows list it have it.
    assert corrupt("我们", "utf-8>cp1252", "folded") == "æˆ'ä»¬"
    assert corrupt("我们", "utf-8>cp1252", "strict") == "æˆ‘ä»¬"
    assert corrupt("我们", "utf-8>gbk", "folded") == corrupt("我们", "utf-8>gbk", "strict")
    assert corrupt("数据", "utf-8>cp1252", "folded") is None  # (8D: strict fails)
