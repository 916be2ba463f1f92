"""Context: a weak run read as its paragraph's established chain and language (issues 9
and 10), and never a run worse than alone (:mod:`cjkfix.mojibake.paragraph`)."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

import cjkfix
from cjkfix import singlebyte
from cjkfix.config import Config
from cjkfix.mojibake import engine, paragraph

HERE = Path(__file__).parent
REAL = {
    c["source"]: c
    for c in json.loads((HERE / "cases" / "real_world_mojibake.json").read_text("utf-8"))["cases"]
}
BOOKSHOP = REAL["https://cconma.com/product/PKKOR9791194635031"]
BREADCRUMB = REAL["http://tkmna.co.kr/consbiz/engineer.php?pid=2"]


def test_the_page_reader_reproduces_the_real_case() -> None:
    # (the damage modelled forward: EUC-KR bytes shown as Latin-1, the soft hyphen that
    # is the trail byte of 서 lost in copy and paste)
    row = paragraph.page_row("euc-kr")
    data = BOOKSHOP["expected"].encode(row.original)
    assert "".join(singlebyte.shown(row, b) or "" for b in data) == BOOKSHOP["broken"]


def test_strong_runs_establish_the_chain_for_a_weak_one() -> None:
    assert cjkfix.repair(BOOKSHOP["broken"]) == BOOKSHOP["expected"]
    assert cjkfix.repair(BREADCRUMB["broken"]) == BREADCRUMB["expected"]


def test_punctuation_alone_is_read_in_context() -> None:
    # A run that is one mark under the paragraph's chain (GBK ``A1 A2`` is 、, ``A8 43``
    # is –: its trail byte is an ASCII letter): the model cannot judge a mark, the
    # chain reads it whole. Written here after the shape of mj2-073 in the shared set.
    assert cjkfix.repair("ÕâÊÇºÜ»µµÄ ¡¢ ÖÐÎÄ×Ö·û") == "这是很坏的 、 中文字符"
    assert cjkfix.repair("ÕâÊÇºÜ»µµÄ ¨C ÖÐÎÄ×Ö·û") == "这是很坏的 – 中文字符"
    # (a mark asks one strong run in its line, not two)
    assert cjkfix.repair("Description: ÕâÊÇºÜ»µµÄMinus ¨C Blabla") == (
        "Description: 这是很坏的Minus – Blabla"
    )
    # (the letter is a word's first: no trail byte; and no established chain, no mark)
    assert cjkfix.repair("ÕâÊÇºÜ»µµÄ ¨Cat ÖÐÎÄ×Ö·û").startswith("这是很坏的 ¨Cat")
    assert cjkfix.repair("Café ¨C Blabla") == "Café ¨C Blabla"


def test_a_weak_run_alone_is_left() -> None:
    for text in ("¤ýµµ¼Á¤º¸ ISBN : 1194635032", "Ȩ > Home", "Ȩ"):
        assert cjkfix.repair(text) == text


def test_a_clean_line_beside_the_mojibake_is_left() -> None:
    text = "ÀúÀÚ : ÀåÁ¤ÈÆ\nÃâÆÇ»ç : ´À·ç\nı Ȩ Ǽ"
    assert cjkfix.repair(text) == "저자 : 장정훈\n출판사 : 느루\nı Ȩ Ǽ"


def test_another_chain_never_gains() -> None:
    # (a paragraph of GBK read as Latin-1: the EUC-KR run is no GBK, and stays)
    out = cjkfix.repair("ÖÐÎÄ×Ö·û ¹ØÓÚºì¾ü ¤ýµµ¼Á¤º¸")
    assert out == "中文字符 关于红军 ¤ýµµ¼Á¤º¸"


def test_one_reader_per_paragraph() -> None:
    # A soft hyphen still shown: no copy and paste lost one, so none is put back.
    text = "¤ýµµ¼Á¤º¸ ÀúÀÚ : ÀåÁ¤ÈÆ (co\xadop)"
    assert cjkfix.repair(text).startswith("¤ýµµ¼Á¤º¸ 저자 : 장정훈")
    # A character of a UTF-8 side: the decoder fell back to Latin-1; the page reader's
    # lost soft hyphen is not read.
    text = "¤ýµµ¼Á¤º¸ ÀúÀÚ : ÀåÁ¤ÈÆ Ȩ"
    assert cjkfix.repair(text) == "¤ýµµ¼Á¤º¸ 저자 : 장정훈 홈"


STRONG = [
    BOOKSHOP["broken"],
    BREADCRUMB["broken"],
    "ÀúÀÚ : ÀåÁ¤ÈÆ\nÃâÆÇ»ç : ´À·ç",
    "ÖÐÎÄ×Ö·û ¹ØÓÚºì¾ü×÷Õ½µÄ",
]
# Clean words of Latin scripts, signs, and letters that are the UTF-8 side of legacy
# bytes (``Ȩ``), beside the paragraph's mojibake.
WORDS = [
    "café",
    "Łódź",
    "Straße",
    "½",
    "°C",
    "±",
    "©",
    "µm",
    "Ȩ",
    "Ǽ",
    "α",
    "ß",
    "¿Qué?",
    "Ô",
    "«»",
    "—",
]


def _edits(text: str) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.after) for e in engine.fix(text, Config())}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(STRONG), st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))
def test_context_only_adds_and_never_to_a_clean_line(strong: str, words: list[str]) -> None:
    text = strong + "\n" + " ".join(words)
    with_context = _edits(text)
    with mock.patch.object(paragraph, "in_context", lambda text, found: []):
        alone = _edits(text)
    # (no reading made alone changes; what context adds is in the mojibake's lines)
    assert alone <= with_context
    assert all(s < len(strong) for s, _e, _after in with_context - alone)


def test_a_line_of_another_chain_keeps_its_own_chain_in_a_paragraph() -> None:
    """A line of EUC-JP read as Latin-1 among lines of EUC-KR read as Latin-1, one
    paragraph: the paragraph's dominant chain (EUC-KR, most of the text) read the line's
    short runs too, ``¥³¥Ô¡¼`` as ``ⅣΥ【`` in place of コピー. A line whose own runs are
    repaired on their own evidence is decided by them first (the nearest evidence), and
    reads as it does alone."""
    from cjkfix.simulate import corrupt

    ja = corrupt(
        "テキストをクリップボードにコピーします (編集 → コピー)。", "euc-jp>latin-1", "strict"
    )
    ko: list[str] = []
    for s in (
        "모든 선행 공백이 첫 번째 줄에서 제거됩니다.",
        "복합 문자 레이아웃을 사용하는 단락의 쓰기 방향을 설정합니다.",
        "이 기능은 복합 문자 레이아웃 기능이 활성화된 경우에만 사용할 수 있습니다.",
    ):
        broken = corrupt(s, "euc-kr>latin-1", "strict")
        assert broken is not None
        ko.append(broken)
    assert ja is not None
    lines = [ko[0], ko[1], ja, ko[2]]
    out = cjkfix.repair("\n".join(lines)).split("\n")
    assert out[2] == cjkfix.repair(ja) == "テキストをクリップボードにコピーします (編集 → コピー)。"
    assert out == [cjkfix.repair(line) for line in lines]


def test_a_line_weighs_its_own_utf8_reading_against_its_own_legacy_runs() -> None:
    """``Îª`` is valid UTF-8 read as latin-1 (Ϊ) and GBK read as latin-1 (为). In a line
    of GBK read as cp1252 it is 为, as alone; a paragraph vote that also counted other
    lines' UTF-8 read as cp1252 left ``ÎªÖµ`` in the GBK line. A Turkish
    line beside the GBK one stays Turkish."""
    from cjkfix.simulate import corrupt

    gbk = corrupt("然后替换 list[1] 为值 0 ，最后打印借用的引用。", "gbk>cp1252", "strict")
    utf8 = [
        corrupt("定義顯示已變更的記錄。", "utf-8>cp1252", "strict"),
        corrupt("按一下這裡以開啟設定。", "utf-8>cp1252", "strict"),
    ]
    assert gbk is not None and "ÎªÖµ" in gbk and None not in utf8
    lines = [gbk, *utf8, "HÄ±rsÄ±zÄ±"]  # type: ignore[list-item]
    out = cjkfix.repair("\n".join(lines)).split("\n")
    assert out[0] == "然后替换 list[1] 为值 0 ，最后打印借用的引用。"
    assert out == [cjkfix.repair(line) for line in lines]
    assert out[-1] == "Hırsızı"


def test_a_weak_reading_of_the_same_chain_never_stands_against_the_lines_own() -> None:
    """Alone, a Korean line of UTF-8 read as EUC-KR with ``?`` is read whole by the
    lattice (its characters lost). Beside a Chinese line of the same chain, a run of
    it (``媛?``) was read weakly, because the paragraph showed the chain, and that
    reading kept the line's own from being taken: the line came back half read."""
    from cjkfix.simulate import corrupt

    line = corrupt(
        "이때 박정철 개 멋있었는데..장나라는 진짜 엽기녀지만 귀여웟음ㅋㅋㅋ",
        "utf-8>euc-kr",
        "qmark",
    )
    other = corrupt("有早餐,随便对付一下应该是没有问题的", "utf-8>euc-kr", "qmark")
    assert line is not None and other is not None
    alone = cjkfix.repair(line)
    assert alone != line and set(alone) <= set(" .ㅋ\ufffd")
    assert cjkfix.repair(other + "\n" + line).split("\n")[1] == alone
