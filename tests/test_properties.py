"""Properties of repair on generated text built from real words."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

import cjkfix
from cjkfix import readings, ruby
from cjkfix.simulate import narrow_gbk

# Real words (Traditional and Simplified), punctuation, ASCII and legitimate parentheses.
WORDS = [
    "我們",
    "計劃",
    "繼續",
    "發布",
    "領先",
    "開源",
    "模型",
    "公司",
    "表示",
    "這一",
    "消息",
    "引發",
    "業界",
    "關注",
    "人工智能",
    "戰略",
    "轉向",
    "廣泛",
    "討論",
    "內部",
    "測試",
    "表現",
    "預期",
    "未來",
    "訓練",
    "閉源",
    "商業",
    "壓力",
    "尋找",
    "盈利",
    "途徑",
    "技術",
    "進步",
    "生態",
    "繁榮",
    "我们",
    "计划",
    "继续",
    "发布",
    "领先",
    "模型",
    "公司",
    "表示",
    "这一",
    "消息",
    "引发",
    "关注",
    "人工智能",
    "战略",
    "软件",
    "文件",
    "目录",
    "用户",
    "设置",
    "问题",
    "研究",
    "学生",
    "时间",
    "过得",
    "很快",
    "东京",
    "日本語",
    "テキスト",
    "한국어",
    "문장",
]
PIECES = [
    *WORDS,
    "，",
    "。",
    "、",
    "“",
    "”",
    "「",
    "」",
    "：",
    ",",
    ".",
    " ",
    "AI",
    "Meta",
    "2025",
    "(AGI)",
    "(Superintelligence Lab)",
    "(a)",
    "(1)",
    "（例如 jq）",
    # Informal clean text puts ASCII "?" and "!" among Han characters, the very shapes
    # the GBK narrowing damage leaves: they must not be mistaken for it.
    "?",
    "!",
    "???",
    "?!?",
    "?!",
    "?.",
    "@",
    "~",
]
HAN_WORDS = [w for w in WORDS if all("\u4e00" <= c <= "\u9fff" for c in w)]
# The damaged pages are Traditional text served as GBK, like the seed article.
TRADITIONAL_WORDS = WORDS[: WORDS.index("我们")]

clean_texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(clean_texts)
def test_clean_text_is_unchanged(text: str) -> None:
    assert cjkfix.repair(text) == text
    # The generator mixes Simplified and Traditional words on purpose: only that is reported.
    assert {f.family for f in cjkfix.detect(text)} <= {"mixed_script"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | clean_texts)
# benchmarks/golden.py, simulated rows 9038 and 9052 (a corpus line through
# gbk>utf-8>utf-8>gbk, replace): the replacement fixer read its own U+FFFD again beside
# a 锟 run it could not read; the loss markers fixer's U+FFFD let the replacement fixer
# read a run it could not read whole (see tests/test_replacement.py).
@example("锟叫筹拷 rclone 远锟斤拷目录锟斤拷锟斤拷锟捷ｏ拷")
@example(
    "锟斤拷锟揭\ufffd强锟斤拷 Python 锟斤拷锟酵凤拷时删锟斤拷某些锟斤拷锟捷ｏ拷"
    "锟斤拷使锟斤拷 atexit 模锟斤拷锟斤拷锟斤拷一锟斤拷锟斤拷锟斤拷"
    "锟斤拷强锟斤拷删锟斤拷锟斤拷些锟斤拷锟捷★拷"
)
def test_repair_is_idempotent(text: str) -> None:
    once = cjkfix.repair(text)
    assert cjkfix.repair(once) == once


def _first_reading(char: str) -> str | None:
    entry = readings._table().get(str(ord(char)))
    return entry.split(",")[0] if entry else None


@settings(max_examples=200, deadline=None)
@given(clean_texts, st.data())
def test_inserted_readings_are_removed(text: str, data: st.DataObject) -> None:
    positions = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff" and _first_reading(c)]
    chosen = data.draw(
        st.sets(st.sampled_from(positions), max_size=6) if positions else st.just(set())
    )
    style = data.draw(st.sampled_from(["marks", "number", "zhuyin-free full-width"]))
    annotated = []
    for i, c in enumerate(text):
        annotated.append(c)
        if i in chosen:
            reading = _first_reading(c)
            assert reading is not None
            if style == "number":
                reading = readings.key(reading) + "4"
            annotated.append(f"（{reading}）" if style.endswith("full-width") else f"({reading})")
    broken = "".join(annotated)
    # Readings in a shape of deliberate reading (a headword, a quoted character, a rare
    # character, Japanese or Korean text...) stay; every other one is removed.
    shape = ruby.Shape(broken, tuple(ruby._annotations(broken)))
    kept = ruby.deliberate(shape)
    expected = broken
    for a in sorted(shape.annotations, key=lambda a: -a.start):
        if a not in kept:
            expected = expected[: a.start + len(a.han)] + expected[a.end :]
    assert expected == text or kept
    assert cjkfix.repair(broken) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(TRADITIONAL_WORDS), min_size=1, max_size=5).map("".join),
    st.lists(st.sampled_from(TRADITIONAL_WORDS), min_size=1, max_size=5).map("".join),
)
def test_narrowing_repair_is_never_worse(before: str, after: str) -> None:
    # A closed quotation, as on the damaged pages: "。”" is A1A3 A1B1 in GBK, and the
    # pass that narrowed full-width punctuation matched the straddling pair A3 A1.
    clean = f"他說:“{before}。”{after},然後"
    damaged = narrow_gbk(clean)
    assert damaged != clean
    fixed = cjkfix.repair(damaged)
    # Exact inversion is not always possible: when the decoder dropped several bytes
    # in a row the model has to guess (see test_narrowing.py for the exact cases);
    # but a repair never takes the text further from the original.
    assert _distance(fixed, clean) <= _distance(damaged, clean)


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _sentences() -> list[str]:
    from casefiles import load_cases

    cases = load_cases("sentences.json")
    return [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed") for s in cases.get(lang, [])]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_sentences()), st.data())
def test_clean_text_with_characters_lost_keeps_what_it_shows(
    sentence: str, data: st.DataObject
) -> None:
    """A sentence with many of its characters lost as U+FFFD (a page that lost them, or
    a lossy repair's output) keeps every character it still shows: what it shows beside
    the marks reads as text, so no stretch of it is read as lost characters."""
    wide = [i for i, ch in enumerate(sentence) if not ch.isascii()]
    lost = data.draw(st.sets(st.sampled_from(wide), min_size=len(wide) // 3)) if wide else set()
    text = "".join("\ufffd" if i in lost else ch for i, ch in enumerate(sentence))
    out = cjkfix.repair(text)
    assert len(out) == len(text)
    assert all(a == b for a, b in zip(out, text, strict=True) if b != "\ufffd")
