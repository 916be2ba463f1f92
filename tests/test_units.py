"""A text is repaired paragraph by paragraph: the whole equals its paragraphs repaired
one at a time, whatever else the document holds (issue 9: a Korean paragraph beside a
Chinese one came out as Chinese garbage)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cjkfix
from cjkfix import pipeline
from cjkfix.pipeline import MAX_UNIT, cut_point, units
from cjkfix.simulate import CHAINS, DECODERS, corrupt

HERE = Path(__file__).parent
SENTENCES = json.loads((HERE / "cases" / "sentences.json").read_text(encoding="utf-8"))
LINES = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed") for s in SENTENCES[lang]]


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    line = draw(st.sampled_from(LINES))
    chain = draw(st.sampled_from([None, *CHAINS]))
    if chain is None:
        return line
    broken = corrupt(line, chain, draw(st.sampled_from(DECODERS)))
    return broken if broken is not None else line


SEPARATORS = st.sampled_from(["\n\n", "\n \n", "\r\n\r\n", "\n\n\n", "\n\t\n\n"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(paragraphs(), SEPARATORS), min_size=2, max_size=5))
# (found by Hypothesis: a second pass reads a U+FFFD the first wrote, with the bytes a
# decoder ate beside it)
@example(
    [("今天天气很好，我们去公园散步吧。", "\n\n"), ("春天侁E��E��花園裡皁E��都開亁E��E", "\n\n")]
)
# (found by Hypothesis: a paragraph just short enough to be searched whole, and with
# its blank line after it long enough to be looked at in windows first)
@example(
    [
        ("今天天气很好，我们去公园散步吧。", "\n\n"),
        (
            "鏀撮附濮? 姣点倢婢? 闉庡嫵榫? 闉??闈?? 闉佹粚妫? "
            "闉氭??鏌庨洰姗冨妧 闆??姣??鏃?鍗娿偧 闋冣晣濯归浖?.",
            "\n \n",
        ),
    ]
)
def test_whole_equals_paragraph_by_paragraph(parts: list[tuple[str, str]]) -> None:
    text = "".join(p + sep for p, sep in parts)
    alone = "".join(cjkfix.repair(p) + sep for p, sep in parts)
    whole = cjkfix.repair_and_explain(text)
    assert whole.text == alone
    assert cjkfix.apply_plan(text, whole.steps) == whole.text
    for k, step in enumerate(whole.steps):
        if text[step.input_start : step.input_end] != step.before:
            # A step of a later pass that changes what an earlier step wrote: its input
            # span covers that step's (``before`` is the text as it was then).
            assert any(
                step.input_start <= e.input_start and e.input_end <= step.input_end
                for e in whole.steps[:k]
            )


def test_the_issue_example() -> None:
    chinese = "½ñÌìÌìÆøºÜºÃ£¬ÎÒÃÇÈ¥¹«Ô°É¢²½°É¡£"  # gbk read as latin-1
    korean = "ÀÌ ¹®Á¦´Â ³»ÀÏ ´Ù½Ã ÀÌ¾ß±âÇÕ½Ã´Ù."  # euc-kr read as latin-1
    assert cjkfix.repair(chinese + "\n\n" + korean) == (
        "今天天气很好，我们去公园散步吧。\n\n이 문제는 내일 다시 이야기합시다."
    )


def test_units_cover_the_text() -> None:
    text = "a\n\nb\n \nc\n" + "x" * (MAX_UNIT + 10) + "\nyy"
    spans = list(units(text))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(end - start <= MAX_UNIT for start, end in spans)
    assert [text[s:e] for s, e in spans][:3] == ["a\n\n", "b\n \n", "c\n"]


def test_a_later_round_maps_its_spans_back_to_the_input() -> None:
    # A span that ends where an earlier round's replacement starts takes none of it; one
    # that starts where it ends begins after it (the CI's Hypothesis example: a second
    # round's step reported the first round's span as its own).
    from cjkfix.pipeline import _StageMap
    from cjkfix.steps import Edit

    stage = _StageMap([Edit(4, 11, "abcd", reason="r", confidence=0.9)])
    assert stage.back(4, is_end=True) == 4
    assert stage.back(4, is_end=False) == 4
    assert stage.back(6, is_end=True) == 11
    assert stage.back(6, is_end=False) == 4
    assert stage.back(8, is_end=False) == 11
    assert stage.back(9, is_end=True) == 12
    assert stage.back(2, is_end=True) == 2


def test_a_line_longer_than_a_unit_is_cut_between_characters_views(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A 150,000-character line of ``ï¿½`` (U+FFFD's UTF-8 read as cp1252, common in
    # scraped dumps) was cut at the 131,072nd character, inside a ``ï¿½``: the rest of
    # the line came back as it was, and a second repair (other cuts) changed it.
    monkeypatch.setattr(pipeline, "MAX_UNIT", 100)
    text = "ï¿½" * 50
    assert [text[a:b] for a, b in units(text)] == ["ï¿½" * 33, "ï¿½" * 17]
    assert cjkfix.repair(text) == "\ufffd" * 50
    assert cjkfix.repair(cjkfix.repair(text)) == cjkfix.repair(text)


def test_a_second_repair_cuts_a_long_line_where_the_first_did(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``½`` and 50,000 ``ï¿½``: the first unit, a run too long to read, was left; the
    # second came back as U+FFFD. A second repair cut before the first unit's last
    # ``ï¿½`` (the last C2-F4 character before the limit), which then went with the
    # second unit and was read. Now it cuts before the first unit's own U+FFFD.
    monkeypatch.setattr(pipeline, "MAX_UNIT", 3000)
    text = "½" + "ï¿½" * 1500
    once = cjkfix.repair(text)
    assert once != text
    assert cjkfix.repair(once) == once
    # (the same with CJK a repair leaves: a long line of UTF-8 read as cp1252)
    text = "½" + "ä¸­æ–‡" * 500
    once = cjkfix.repair(text)
    assert cjkfix.repair(once) == once


def test_a_long_line_is_cut_after_white_space_then_after_ascii() -> None:
    assert cut_point("ab cd" + "中" * 10, 0, 12) == 3
    assert cut_point("ab?中中" + "中" * 10, 0, 12) == 2
    assert cut_point("中" * 20, 0, 12) == 11
    assert cut_point("ïï¿" * 5, 0, 12) == 10
    assert cut_point("\ufffd" * 20, 0, 12) == 11
    assert cut_point("中\nab cd", 0, 6) == 2
