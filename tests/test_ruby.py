from __future__ import annotations

import pytest

import cjkfix
from casefiles import load_cases

CASES = load_cases("ruby.json")


@pytest.mark.parametrize("case", CASES["repair"], ids=lambda c: c["note"])
def test_repairs(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["out"]


@pytest.mark.parametrize("case", CASES["keep"], ids=lambda c: c["note"])
def test_keeps(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["in"]
    assert cjkfix.detect(case["in"]) == []


@pytest.mark.parametrize("case", CASES["keep_runs"], ids=lambda c: c["note"])
def test_keep_ruby_runs(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"], keep_ruby_runs=True) == case["out"]


def test_fixer_can_be_switched_off() -> None:
    assert cjkfix.repair("戰(zhàn)略", ruby=False) == "戰(zhàn)略"


def test_single_letter_removed_when_corroborated() -> None:
    # "(a)" after 啊 alone could be an enumeration; next to a tone-marked leak it is a reading.
    assert cjkfix.repair("好啊(a)，戰(zhàn)略") == "好啊，戰略"


def test_explanation_names_the_reading() -> None:
    fixed, steps = cjkfix.repair_and_explain("開發(fā)閉源")
    assert fixed == "開發閉源"
    (step,) = steps
    assert (step.fixer, step.before, step.after) == ("ruby", "(fā)", "")
    assert step.evidence["char"] == "發"
    assert "fa" in step.evidence["readings"]
