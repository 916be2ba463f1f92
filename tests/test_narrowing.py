from __future__ import annotations

import difflib
import doctest
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import cjkfix
from casefiles import load_cases
from cjkfix import readings
from cjkfix.simulate import annotate_straddle, damage_page, narrow_gbk

CASES = load_cases("narrowing.json")


@pytest.mark.parametrize("case", CASES["repair"], ids=lambda c: c["note"])
def test_repairs(case: dict[str, str]) -> None:
    assert cjkfix.repair(case["in"]) == case["out"]


@pytest.mark.parametrize("case", CASES["keep"], ids=lambda c: c["note"])
def test_keeps(case: dict[str, str]) -> None:
    """Not narrowing damage: left as it is, or (a case with its ``original``: mojibake
    another fixer reads) never read as narrowing damage, nothing invented."""
    out, steps = cjkfix.repair_and_explain(case["in"])
    original = case.get("original")
    if original is None:
        assert out == case["in"]
        return
    assert all(s.fixer != "narrowing" for s in steps)
    assert all(ch in original or ch in case["in"] or ch == "\ufffd" for ch in out)


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


# The forward process of the shared pages (cjkfix.simulate.damage_page) reproduces them.

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "pinyin.jsonl"
_LEAK = re.compile(r"([^\x00-\x7f])?\(([a-zA-Z\u00c0-\u024f\u1e3f:]{1,8})\)")
_LOOSE = re.compile(r"\?([a-z\u00c0-\u024f]{1,6})\)")


def _page_readings(broken: str, expected: str) -> dict[str, str]:
    """The page's annotated characters, from its leaks: a reading right after its own
    character, then (for readings left over, ``?zhèn)``) the characters of ``expected``
    or pairs straddling two of them with that reading, each kept only when the
    simulation with it is closer to ``broken``."""
    found: dict[str, str] = {}
    loose: set[str] = set()
    for m in _LEAK.finditer(broken):
        ch, reading = m.group(1), m.group(2)
        if ch and readings.is_reading(ch, reading):
            found.setdefault(ch, reading)
        else:
            loose.add(reading)
    loose.update(_LOOSE.findall(broken))
    data = expected.encode("gbk")
    chars = set(expected)
    for i in range(len(data) - 1):
        pair = data[i : i + 2].decode("gbk", "replace")
        if len(pair) == 1 and pair != "\ufffd":
            chars.add(pair)
    candidates = sorted(
        (ch, r) for ch in chars - set(found) for r in loose if readings.is_reading(ch, r)
    )

    def distance(mapping: dict[str, str]) -> float:
        out = damage_page(expected, mapping)
        return 1 - difflib.SequenceMatcher(None, out, broken, autojunk=False).ratio()

    best = distance(found)
    for ch, reading in candidates:
        trial = {**found, ch: reading}
        cost = distance(trial)
        if cost < best:
            found, best = trial, cost
    return found


# What the hand-restored ``expected`` of a record leaves out of the page it quotes.
_PAGE_EDITS = {"pl2-008": ("全面跨越。\n", "全面跨越。</span>\n")}


def _damaged_records() -> list[dict[str, str]]:
    if not _SHARED.exists():
        return []
    rows = [json.loads(line) for line in _SHARED.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("byte_damage")]


@pytest.mark.skipif(not _SHARED.exists(), reason="needs the shared real-world set")
@pytest.mark.parametrize("record", _damaged_records(), ids=lambda r: r["id"])
def test_simulator_reproduces_the_shared_pages(record: dict[str, str]) -> None:
    expected = record["expected"]
    if record["id"] in _PAGE_EDITS:
        expected = expected.replace(*_PAGE_EDITS[record["id"]])
    found = _page_readings(record["broken"], expected)
    assert damage_page(expected, found) == record["broken"]


@pytest.mark.parametrize("case", CASES["pages"], ids=lambda c: c["expected"][:8])
def test_simulator_reproduces_page_excerpts(case: dict[str, Any]) -> None:
    assert damage_page(case["expected"], case["readings"]) == case["broken"]


def test_simulator_examples() -> None:
    from cjkfix import simulate_pages

    result = doctest.testmod(simulate_pages)
    assert result.attempted > 0 and result.failed == 0


# The inverse: the real pages' damage comes back exact, or with U+FFFD where the bytes
# and the model leave a character open, and never with an invented character.


def _invented(out: str, expected: str, broken: str) -> set[str]:
    extra = set(out) - set(expected) - set(broken)
    return {ch for ch in extra if unicodedata.category(ch)[0] in "LN"}


def _kept(out: str, expected: str) -> bool:
    pattern = "".join(".{1,3}?" if ch == "\ufffd" else re.escape(ch) for ch in out)
    return re.fullmatch(pattern, expected, re.S) is not None


@pytest.mark.parametrize("case", CASES["pages"], ids=lambda c: c["expected"][:8])
def test_page_excerpts_are_repaired_or_kept_never_invented(case: dict[str, Any]) -> None:
    out = cjkfix.repair(case["broken"])
    assert not _invented(out, case["expected"], case["broken"])
    # (The excerpts lack the rest of their page, whose vocabulary is evidence too.)
    assert _kept(out, case["expected"])


_EXACT_EXCERPTS = [
    "動權交給學生",
    "雜,下一步",
    "快完成從液相",
    "。據國家統計局",
    "果和優質蛋白",
    "的勝負。",
    "素復雜性",
    "人和您聯系",
    "是一致的。",
]


@pytest.mark.parametrize("prefix", _EXACT_EXCERPTS)
def test_page_excerpts_exact(prefix: str) -> None:
    (case,) = [c for c in CASES["pages"] if c["expected"].startswith(prefix)]
    assert cjkfix.repair(case["broken"]) == case["expected"]


@pytest.mark.parametrize(
    "text",
    [
        *(c["broken"] for c in CASES["pages"]),
        damage_page(
            "他們還年輕,但他們有經驗。", {"他": "tā", "經": "jīng", "麄": "cū", "們": "men"}
        ),
        damage_page("請權衡其利弊。", {"渾": "hún"}),
        "模型?!边@一表態",
        "拿这本书做什么???",
        "中文\ufffd字?!好?a bcd",
    ],
)
def test_a_second_repair_finds_nothing_more(text: str) -> None:
    once = cjkfix.repair(text)
    assert cjkfix.repair(once) == once


@pytest.mark.parametrize("unit", ["?!好?a bcd ", '"你好嗎?今天天氣如何?",', "中文\ufffd字"])
def test_one_long_line_is_linear(unit: str) -> None:
    import time

    text = unit * (1_000_000 // len(unit))  # one line of a megabyte, no ">" in it
    start = time.perf_counter()
    cjkfix.repair(text)
    # Generous (the target is 5 s/MB): a quadratic scan takes minutes here.
    assert time.perf_counter() - start < 60


def test_fixer_examples() -> None:
    from cjkfix import narrowing

    result = doctest.testmod(narrowing)
    assert result.attempted > 0 and result.failed == 0


# Where the bytes leave two readings of a run (a pair the decoder dropped here or there),
# a character only one of them writes is not written: every place for the hidden pair
# that the search finds about as likely is a rival. Damaged lines made by
# benchmarks/damage.py (seed 1) from lines of the development corpus; with only the
# likeliest place tried, the first came back as 我受不了四��。 and the second with 咒, 瘦.
@pytest.mark.parametrize(
    ("damaged", "original"),
    [
        ("我受不?huàn)怂囊暰?。", "我受不了他的視線。"),
        (
            "如果多个?xiàn)碇渫ü实钡氖葑侄谓?xíng)了链接,则查询结果可(kě)以包含来自多个?xiàn)淼氖荨?",
            "如果多个表之间通过适当的数据字段进行了链接,则查询结果可以包含来自多个表的数据。",
        ),
    ],
)
def test_a_hidden_pair_placed_two_ways_invents_nothing(damaged: str, original: str) -> None:
    out = cjkfix.repair(damaged)
    assert out != damaged
    assert not set(out) - set(original) - set(damaged) - {"\ufffd"}


def test_half_a_clause_lost_is_no_narrowing_damage() -> None:
    """What a lossy mojibake repair leaves (UTF-8 read as Shift_JIS with "?": 你畀人嚇到
    手揗腳震咁嘅，冇嘢下嘛？), seen by a second call: half of the repair narrowing would
    make is lost (``模��畀。�``), a reading on plausibility alone. It is left, so one
    call reaches the fixed point."""
    once = "你畀人嚇到手揗腳\ufffd咁\ufffd，\ufffd嘢下嘛\ufffd 我做咗咁多都係贏唔到佢嘅歡心。"
    assert cjkfix.repair(once) == once


def test_a_run_of_marks_alone_is_repaired_beside_damage_on_its_line() -> None:
    """``?!!?`` is ``。。。`` one byte out of step (A1 A3 A1 A3 A1 A3, both straddling
    ``A3 A1`` folded to ``!``), and also what clean text writes: alone it stays (see the
    ``keep`` cases). On a line whose other damage shows itself (``边@`` falls into place
    as ``”這``), the same pass made both, and both are repaired; a line break apart,
    the marks stay as they are (each line is judged on its own damage). (The pass folded
    the page's ``，`` to ``,``; a text that keeps its ``，`` was never narrowed: see the
    ``keep`` cases.)"""
    marks = "好歹也給臨時安排一個吧?!!?"
    assert cjkfix.repair(marks) == marks
    line = "開源和閉源模型?!边@一表態," + marks
    assert cjkfix.repair(line) == "開源和閉源模型。”這一表態,好歹也給臨時安排一個吧。。。"
    assert cjkfix.repair(line.replace(",", "，")) == line.replace(",", "，")
    lines = "開源和閉源模型?!边@一表態\n" + marks
    assert cjkfix.repair(lines) == "開源和閉源模型。”這一表態\n" + marks
