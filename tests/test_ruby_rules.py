"""Deliberate readings stay: each rule of ``ruby.RULES`` on its own, then the case file."""

from __future__ import annotations

import pytest

import cjkfix
from casefiles import load_cases
from cjkfix import ruby

CASES = load_cases("ruby_deliberate.json")


def _rule(name: str) -> ruby.Rule:
    (rule,) = [r for r in ruby.RULES if r.name == name]
    return rule


def _shape(text: str) -> ruby.Shape:
    return ruby.Shape(text, tuple(ruby._annotations(text)))


def _applies(name: str, text: str) -> list[bool]:
    shape = _shape(text)
    return [_rule(name).applies(a, shape) for a in shape.annotations]


def test_rule_names_are_unique() -> None:
    names = [r.name for r in ruby.RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日本語の「大(dai)」は音読みです。", [True]),
        ("韓(han)國의 수도", [True]),
        ("粵語「嘅(ge3)」係助詞", [True]),  # 嘅 is written Cantonese only
        ("開源AI戰(zhàn)略", [False]),
        # A mark only pinyin writes: a Mandarin reading leaked into Cantonese text.
        ("佢哋食(shí)咗飯未", [False]),
        ("日本語の漢字(zì)です", [False]),
    ],
)
def test_other_language(text: str, expected: list[bool]) -> None:
    assert _applies("other_language", text) == expected


def test_other_language_cantonese_by_jyutping() -> None:
    # 食(sik6) is not a pinyin reading, but its shape marks the text as Cantonese.
    assert _applies("other_language", "食(sik6)飯(faan6)，飲茶(cha4)") == [True]


def test_foreign_romanisation() -> None:
    assert _applies("foreign_romanisation", "大(dai), 三(san), 京(kyō), 東(tō)") == [True, True]
    assert _applies("foreign_romanisation", "大(dà)家, 京(kyō)") == [False]
    # Capitalised Hepburn counts too.
    assert _applies("foreign_romanisation", "京(Kyōto), 阪(Ōsaka), 三(san)") == [True]
    # English glosses are not romanisations.
    assert _applies("foreign_romanisation", "製表符（tab）轉為空格（space）：將(jiang)") == [False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. 重(chóng)\n- 读音", [True]),
        ("【长(cháng)】形容词", [True]),
        ("(1) 行(háng)：行业", [True]),
        ("还(huán) 动词", [True]),
        ("發(fā)布時間", [False]),  # runs on into the next character
        ("以(yǐ) JSON 格式輸出", [False]),  # a sentence, not a definition
        ("1.市場利(lì)率", [False]),  # not the first character of the entry
        ("他的重(zhòng)量", [False]),
    ],
)
def test_headword(text: str, expected: list[bool]) -> None:
    assert _applies("headword", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("念“重(chóng)”", [True]),
        ("「行(háng)」字", [True]),
        ("‘和(hè)’", [True]),
        ("“迷惑術(shù)”", [False]),  # a quoted word, not a quoted character
        ("“重(chóng)」", [False]),
    ],
)
def test_quoted_character(text: str, expected: list[bool]) -> None:
    assert _applies("quoted_character", text) == expected


def test_reading_talk() -> None:
    assert _applies("reading_talk", "这里读作说(shuì)。") == [True]
    assert _applies("reading_talk", "应念朝(zhāo)") == [True]
    assert _applies("reading_talk", "我們說(shuō)話") == [False]
    assert _applies("reading_talk", "我會永遠掛念她(tā)。") == [False]  # 掛念: miss


def test_polyphone_contrast() -> None:
    drill = "他的行(xíng)为很好。\n我在银行(háng)工作。"
    assert _applies("polyphone_contrast", drill) == [True, True]
    listing = "“的”有三个读音：的(de)、的(dí)、的(dì)。"
    assert _applies("polyphone_contrast", listing) == [True, True, True]
    # One fixed reading on every line is the dictionary's, not a drill.
    assert _applies("polyphone_contrast", "韻律優(yōu)美。\n其韻律優(yōu)美") == [False, False]
    # Only the contrasted character is taught.
    assert _applies("polyphone_contrast", "行(xíng)走\n银行(háng)\n發(fā)") == [True, True, False]


def test_taught_character() -> None:
    assert _applies("taught_character", "“重”字的读音。重(zhòng)量") == [True]
    assert _applies("taught_character", "“重量”很重(zhòng)") == [False]  # a quoted word


def test_marked_reading() -> None:
    assert _applies("marked_reading", "不亦说(yuè)乎") == [True]
    assert _applies("marked_reading", "開發(fā)") == [False]
    assert _applies("marked_reading", "一朵花(huār)") == [False]  # erhua of the usual one


def test_marked_reading_gives_way_in_a_bulk_leak() -> None:
    text = "開(kāi)發(fā)時(shí)間很長(cháng),規(guī)劃和運(yùn)營(yíng)"
    assert ruby.deliberate(_shape(text)) == {}
    assert set(ruby.deliberate(_shape("時間很長(cháng)")).values()) == {"marked_reading"}


def test_rare_character() -> None:
    assert _applies("rare_character", "而不慍(ㄩㄣˋ)") == [True]
    assert _applies("rare_character", "開發(fā)") == [False]


def test_bulk_leak_overrides_position() -> None:
    # Six distinct characters leak in prose; the quoted 發 has the reading the site
    # gives 發 in prose, so it is the site's annotation too.
    text = "查“發(fā)”字。開(kāi)發(fā)時(shí)間很長(zhǎng),規(guī)劃和運(yùn)營(yíng)"
    kept = ruby.deliberate(_shape(text))
    assert kept == {}
    # With few leaks, the quoted character is deliberate.
    assert set(ruby.deliberate(_shape("查“發(fā)”字。開(kāi)發(fā)")).values()) == {
        "quoted_character"
    }


def test_steps_say_what_was_kept() -> None:
    _, steps = cjkfix.repair_and_explain("念“重(chóng)”。開(kāi)發(fā)")
    assert [s.before for s in steps] == ["(kāi)", "(fā)"]
    assert steps[0].evidence["kept_as_deliberate"] == ["quoted_character"]


@pytest.mark.parametrize("case", CASES["keep"], ids=lambda c: c["note"])
def test_deliberate_readings_stay(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["in"]
    kept = ruby.deliberate(_shape(case["in"]))
    if case["rule"] != "none":
        assert case["rule"] in kept.values()


@pytest.mark.parametrize("case", CASES["repair"], ids=lambda c: c["note"])
def test_leaks_still_repaired(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["out"]
