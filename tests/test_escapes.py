"""Escape leaks: the case file, each rule on its own, and clean text with escapes inserted."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cjkfix
from casefiles import load_cases
from cjkfix import escapes
from cjkfix.config import Config

CASES = load_cases("escapes.json")
SENTENCES = load_cases("sentences.json")


def _rules_used(text: str) -> set[str]:
    return {str(e.evidence["rule"]) for e in escapes.fix(text, Config())}


@pytest.mark.parametrize("case", CASES["repair"], ids=lambda c: c["note"])
def test_repairs(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["out"]
    assert case["rule"] in _rules_used(case["in"])


@pytest.mark.parametrize("case", CASES["keep"], ids=lambda c: c["note"])
def test_keeps(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["in"]
    assert escapes.fix(case["in"], Config()) == []


@pytest.mark.parametrize("case", CASES["known_failures"], ids=lambda c: c["note"])
@pytest.mark.xfail(strict=True, reason="known failure, see the case note")
def test_known_failures(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["out"]


def test_rule_names_are_unique() -> None:
    names = [r.name for r in escapes.RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("text", "rule", "after"),
    [
        ("\\u00e4\\u00b8\\u00ad", "json_utf8_bytes", "中"),
        ("好\\u54cb", "json_in_prose", "好哋"),
        ("&#20320;&#22909;", "html_reference", "你好"),
        ("说#x3002;", "html_reference_lost_amp", "说。"),
        ("叫%E4%B8%AD", "percent_in_prose", "叫中"),
        ("<D6><D0><CE><C4>", "hex_bytes", "中文"),
        ("$B$3$s$K$A$O(B", "iso2022_without_esc", "こんにちは"),
    ],
)
def test_each_rule(text: str, rule: str, after: str) -> None:
    (edit,) = escapes.fix(text, Config())
    assert edit.evidence["rule"] == rule
    assert text[: edit.start] + edit.after + text[edit.end :] == after


@pytest.mark.parametrize(
    "text",
    [
        "\\u4e2d",  # not touching CJK prose
        "#x3002; 说",  # lost & but separated by a space
        "%E4%B8%AD is 中",
        "`叫%E4%B8%AD`",  # in a code span
        "/%E4%B8%AD/中",  # a path
        "&#20320; you",  # one complete reference outside CJK prose
    ],
)
def test_context_keeps(text: str) -> None:
    assert escapes.fix(text, Config()) == []


def test_decode_bytes_needs_a_clear_codec() -> None:
    assert escapes.decode_bytes(bytes.fromhex("c9beb3fd")) == ("删除", "gbk")
    assert escapes.decode_bytes(b"\xc0\xb4") is None  # one character tells no codec
    assert escapes.decode_bytes("é".encode()) is None  # valid UTF-8, not CJK


def test_pure_ascii_text_reaches_the_fixer() -> None:
    assert cjkfix.repair("$B$3$s$K$A$O(B") == "こんにちは"
    assert cjkfix.repair("plain ASCII # text; 100%") == "plain ASCII # text; 100%"


def test_switch_off_and_explain() -> None:
    assert cjkfix.repair("定价#xff1a;100", escapes=False) == "定价#xff1a;100"
    fixed, steps = cjkfix.repair_and_explain("定价#xff1a;100")
    assert fixed == "定价：100"
    (step,) = steps
    assert (step.fixer, step.before, step.after) == ("escapes", "#xff1a;", "：")
    assert step.evidence["ampersand_lost"] is True
    assert cjkfix.apply_plan("定价#xff1a;100", steps) == fixed


_CLEAN = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko") for s in SENTENCES[lang]]
# Fragments a clean text may hold that look like escapes: none is a leak.
_NOISE = st.sampled_from(
    [
        "#",
        ";",
        "#1;",
        "#fff;",
        "#12;",
        "\\u",
        "\\n",
        "\\u00e9",
        "%",
        "%20",
        "100%",
        " https://example.com/%E4%B8%AD ",
        " www.example.cn/?q=%E6%96%87 ",
        "/%E4%B8%AD",
        "&amp;",
        " <br> ",
        "`\\u4e2d`",
        "$",
        "(B",
    ]
)
# Random runs of escape characters: these may happen to form a true escape leak.
_RANDOM = st.text(alphabet="#;\\u%&x0123456789abcdefABCDEF", min_size=1, max_size=10)
# What a true leak is, independently of the fixer: an escape syntax standing for CJK.
_TRUE_ESCAPE = re.compile(
    r"(?:\\u[0-9a-fA-F]{4})+|(?:&?#(?:[xX][0-9a-fA-F]+|[0-9]+);)+|(?:%[0-9a-fA-F]{2})+"
)


def _insert(sentence: str, inserts: list[tuple[int, str]]) -> str:
    """``sentence`` with each fragment put in at a position of the sentence (never
    inside another fragment: a URL cut by `` <br> `` leaves a bare percent-escape
    touching the prose, which is a leak)."""
    at: dict[int, list[str]] = {}
    for pos, frag in inserts:
        at.setdefault(pos % (len(sentence) + 1), []).append(frag)
    return "".join(
        "".join(at.get(i, ())) + (sentence[i] if i < len(sentence) else "")
        for i in range(len(sentence) + 1)
    )


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_CLEAN), st.lists(st.tuples(st.integers(0, 200), _NOISE), max_size=6))
def test_clean_text_with_escape_like_noise_is_unchanged(
    sentence: str, inserts: list[tuple[int, str]]
) -> None:
    text = _insert(sentence, inserts)
    assert escapes.fix(text, Config()) == []
    assert cjkfix.repair(text) == text


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_CLEAN), st.lists(st.tuples(st.integers(0, 200), _RANDOM), max_size=4))
def test_only_true_escape_leaks_change(sentence: str, inserts: list[tuple[int, str]]) -> None:
    text = _insert(sentence, inserts)
    for edit in escapes.fix(text, Config()):
        before = text[edit.start : edit.end]
        assert _TRUE_ESCAPE.fullmatch(before), before
        assert all(escapes._is_cjk(c) for c in edit.after)


@pytest.mark.parametrize("unit", ["中\\u4e2d", "中#x4e2d;", "$B", "$B$$", "a%E4%B8%AD", "<C3>中"])
def test_pathological_repeats_finish_quickly(unit: str) -> None:
    import time

    text = unit * (100_000 // len(unit))
    start = time.perf_counter()
    escapes.fix(text, Config())
    # Generous: quadratic work would take minutes here.
    assert time.perf_counter() - start < 20
