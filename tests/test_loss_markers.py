"""Tests for the loss markers fixer."""

from __future__ import annotations

import pytest

import cjkfix
from casefiles import load_cases
from cjkfix import loss_markers
from cjkfix.config import Config

CASES = load_cases("loss_markers.json")


@pytest.mark.parametrize("case", CASES["keep"], ids=lambda c: c["note"])
def test_marker_as_a_word_stays(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["in"]


@pytest.mark.parametrize("case", CASES["repair"], ids=lambda c: c["note"])
def test_marker_in_damage_becomes_fffd(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["out"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("手持两把锟斤拷，", None),
        ("“锟斤拷”\ufffd", None),  # quoted: the marker is named, even beside U+FFFD
        ("\ufffd锟斤拷", "U+FFFD or a lost byte beside it"),
        ("锟斤拷锟", "U+FFFD or a lost byte beside it"),
        ("锟斤拷", "nothing but markers"),
        ("乱码：锟斤拷锟斤拷", None),  # the text talks about encodings
        ("我们锟斤拷锟斤拷的", "a run of markers (several characters lost in a row)"),
        ("a锟斤拷", "glued to a file name or word"),
        ("鏂囦欢锟斤拷", loss_markers.MOJIBAKE_BESIDE),
    ],
)
def test_damaged(text: str, why: str | None) -> None:
    m = loss_markers._KUNJINKAO.search(text)
    assert m is not None
    assert loss_markers.damaged(text, m.start(), m.end()) == why


def test_marker_beside_mojibake_is_left_to_the_mojibake_fixer() -> None:
    # UTF-8 read as GBK with a lost character: the mojibake fixer repairs the run with
    # the marker in it; turning the marker into U+FFFD first would break the chain.
    assert loss_markers.fix("鏂囦欢锟斤拷", Config()) == []
    assert [e.after for e in loss_markers.fix("鏂囦欢锟斤拷", Config(mojibake=False))] == ["\ufffd"]


def test_kunjinkao_becomes_fffd() -> None:
    assert cjkfix.repair("文件：锟斤拷锟斤拷.txt") == "文件：\ufffd\ufffd.txt"
    fixed, steps = cjkfix.repair_and_explain("锟斤拷")
    assert fixed == "\ufffd"
    assert steps[0].fixer == "loss_markers"
    assert steps[0].evidence["chain"] == ["utf-8", "gbk"]


@pytest.mark.parametrize(
    "text", ["烫烫的汤", "屯屯", "锟斤", "烫手山芋", "屯门", "烫烫烫", "屯屯屯"]
)
def test_real_words_unchanged(text: str) -> None:
    assert cjkfix.repair(text) == text


def test_detect_fill_bytes() -> None:
    findings = [
        f for f in cjkfix.detect("缓冲区：烫烫烫烫烫烫烫烫烫烫") if f.family == "loss_markers"
    ]
    assert len(findings) == 1
    assert findings[0].start == 4 and findings[0].end == 14
    assert findings[0].confidence > 0.9
    short = [f for f in cjkfix.detect("烫烫烫") if f.family == "loss_markers"]
    assert short and short[0].confidence < 0.7


def test_detect_fffd_runs() -> None:
    findings = [f for f in cjkfix.detect("abc\ufffd\ufffddef") if f.family == "loss_markers"]
    assert [(f.start, f.end) for f in findings] == [(3, 5)]


def test_detect_kunjinkao() -> None:
    findings = cjkfix.detect("x锟斤拷y")
    assert any(f.family == "loss_markers" and f.suggestion == "\ufffd" for f in findings)


def test_switch_off() -> None:
    assert cjkfix.repair("锟斤拷", loss_markers=False, mojibake=False) == "锟斤拷"
