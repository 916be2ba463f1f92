"""Tests for the loss markers fixer."""

from __future__ import annotations

import pytest

import cjkfix


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
