"""The seed article (examples/meta-behemoth.txt) is repaired end to end, and nothing else."""

from __future__ import annotations

import re

import cjkfix
from casefiles import EXAMPLES

# Independent of the fixer: any parenthesised run of lower-case tone-marked pinyin
# right after a Han character is a leak in this article.
_LEAK = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def test_seed_is_repaired_exactly(seed_text: str) -> None:
    expected = _LEAK.sub("", seed_text)
    expected = expected.replace("模型?!边@一", "模型。”這一").replace("開源?!?/p>", "開源。”</p>")
    assert expected != seed_text
    assert cjkfix.repair(seed_text) == expected


def test_seed_has_no_annotation_left(seed_text: str) -> None:
    fixed = cjkfix.repair(seed_text)
    assert not _LEAK.search(fixed)
    assert "源模型。”這一" in fixed and "不會開源。”" in fixed
    assert "?/p>" not in fixed


def test_detect_reports_the_mixed_script(seed_text: str) -> None:
    # The article is Traditional but keeps Simplified 并 and 后 from an incomplete conversion.
    mixed = {f.text for f in cjkfix.detect(seed_text) if f.family == "mixed_script"}
    assert "并" in "".join(mixed) and "后" in "".join(mixed)


def test_seed_steps_replay(seed_text: str) -> None:
    fixed, steps = cjkfix.repair_and_explain(seed_text)
    assert cjkfix.apply_plan(seed_text, steps) == fixed
    assert {s.fixer for s in steps} == {"ruby", "narrowing"}
    for s in steps:
        assert seed_text[s.input_start : s.input_end] == s.before


def test_detect_matches_repair(seed_text: str) -> None:
    findings = [f for f in cjkfix.detect(seed_text) if f.family != "mixed_script"]
    _, steps = cjkfix.repair_and_explain(seed_text)
    assert [(f.start, f.end) for f in findings] == sorted(
        (s.input_start, s.input_end) for s in steps
    )
    assert seed_text == (EXAMPLES / "meta-behemoth.txt").read_text(encoding="utf-8")
