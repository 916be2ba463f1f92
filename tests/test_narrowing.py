from __future__ import annotations

import pytest

import cjkfix
from casefiles import load_cases
from cjkfix.simulate import annotate_straddle, narrow_gbk

CASES = load_cases("narrowing.json")


@pytest.mark.parametrize("case", CASES["repair"], ids=lambda c: c["note"])
def test_repairs(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["out"]


@pytest.mark.parametrize("case", CASES["keep"], ids=lambda c: c["note"])
def test_keeps(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["in"]


def test_simulator_reproduces_the_seed_damage() -> None:
    assert narrow_gbk("開源和閉源模型。”這一表態") == "開源和閉源模型?!边@一表態"
    assert annotate_straddle("能夠對這個問題", "夠", "(qū)") == "能夠?qū)?@個問題"


@pytest.mark.parametrize(
    "clean",
    [
        "他在會上說:“我們會繼續開源。”這一表態引起關注",
        "發言人強調:“公司沒有改變立場。”這一說法",
        "她說:“我們會盡快處理。”這個問題很快解決了",
    ],
)
def test_simulated_narrowing_is_inverted(clean: str) -> None:
    damaged = narrow_gbk(clean)
    assert damaged != clean
    assert cjkfix.repair(damaged) == clean


def test_other_annotated_pairs_are_inverted() -> None:
    # 們 is 82 83 and 的 is B5 C4: the straddling pair 83 B5 is 兊 (duì).
    clean = "學生們的研究"
    damaged = annotate_straddle(clean, "們", "(duì)")
    assert damaged != clean
    assert cjkfix.repair(damaged) == clean


def test_explanation_names_the_mechanism() -> None:
    fixed, steps = cjkfix.repair_and_explain("模型?!边@一表態")
    assert fixed == "模型。”這一表態"
    (step,) = steps
    assert step.fixer == "narrowing"
    assert (step.before, step.after) == ("?!边@", "。”這")
    assert step.evidence["mechanism"] == "full-width narrowing"
