"""Legacy CJK bytes read as UTF-8 with U+FFFD (:mod:`cjkfix.replacement`).

What is asserted: the real cases come back *kept* (equal to the original except that each
U+FFFD stands for one to three lost characters) and never with an invented character;
simulated damage likewise where the fixer acts; clean text in any script, with U+FFFD
sprinkled in or not, comes back unchanged; a second repair changes nothing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cjkfix
from cjkfix import replacement_lattice as rl
from cjkfix.simulate import corrupt

HERE = Path(__file__).parent
CASES = json.loads((HERE / "cases" / "replacement.json").read_text(encoding="utf-8"))["cases"]
SENTENCES: dict[str, list[str]] = json.loads(
    (HERE / "cases" / "sentences.json").read_text(encoding="utf-8")
)
FFFD = "\ufffd"


def kept(out: str, expected: str) -> bool:
    """``out`` is ``expected`` but for U+FFFD, each standing for 1-3 lost characters
    (the definition of ../shared/tools/score_realworld.py)."""
    if FFFD not in out:
        return out == expected
    pattern = "".join(".{1,3}?" if ch == FFFD else re.escape(ch) for ch in out)
    return re.fullmatch(pattern, expected, re.S) is not None


def invented(out: str, expected: str, broken: str) -> set[str]:
    extra = set(out) - set(expected) - set(broken)
    return {ch for ch in extra if unicodedata.category(ch)[0] in "LN"}


@pytest.mark.parametrize("case", CASES, ids=[c["source"].split("/")[-3] for c in CASES])
def test_real_cases_are_kept(case: dict[str, str]) -> None:
    out = cjkfix.repair(case["broken"])
    assert kept(out, case["expected"]), out
    assert not invented(out, case["expected"], case["broken"])
    assert cjkfix.repair(out) == out


@pytest.mark.parametrize("case", CASES, ids=[c["source"].split("/")[-3] for c in CASES])
def test_simulator_reproduces_the_real_cases(case: dict[str, str]) -> None:
    made = corrupt(case["expected"], case["row"], "replace")
    assert made is not None
    difference = case.get("difference")
    if difference is None:
        assert made == case["broken"]
    elif difference == "withheld last byte":
        assert made == case["broken"] + FFFD
    elif difference == "private-use character dropped":
        assert re.sub("[\ue000-\uf8ff]", "", made) == case["broken"]
    else:
        assert difference == "last line only"
        last = case["expected"].rsplit("\n", 1)[1]
        assert corrupt(last, case["row"], "replace") == case["broken"].rsplit("\n", 1)[1]


def test_the_junk_letters_go() -> None:
    broken = "\ufffd\u04b2\ufffd\ufffd\ufffd\u05b8\ufffd\ufffd\ufffd\ufffd\u0123\ufffd\u9863"
    out = cjkfix.repair(broken)
    # 找不到指定的模块。: 指 and 模 are whole in the bytes, and the lattice is sure
    # enough of where the characters start to give them back (U+FFFD for them too
    # before full-width letters weighed below full-width signs); 。 is
    assert out == "\ufffd" * 3 + "指" + "\ufffd" * 2 + "模\ufffd。"
    assert kept(out, "找不到指定的模块。")
    steps = cjkfix.repair_and_explain("returns \ufffd\u03f4\ufffd").steps
    assert [s.fixer for s in steps] == ["replacement"]
    assert steps[0].evidence["chain"] == ["euc-kr", "utf-8"]
    assert steps[0].evidence["lost_characters"] == 2


def test_kunjinkao_follow_up() -> None:
    # 无法打开源文件 -> GBK -> UTF-8 with U+FFFD -> UTF-8 read as GBK
    out = cjkfix.repair("锟睫凤拷锟斤拷源锟侥硷拷")
    assert set(out) <= {"\ufffd", "源"} and kept(out, "无法打开源文件")
    assert kept(cjkfix.repair("锟揭诧拷锟斤拷指锟斤拷锟斤拷模锟介。"), "找不到指定的模块。")
    # the loss markers fixer still reads plain markers, and leaves the poem alone
    assert cjkfix.repair("文件名：锟斤拷锟斤拷.txt") == "文件名：\ufffd\ufffd.txt"
    poem = "再说锟斤拷与锘之前,还是先回顾那首打油诗\n手持两把锟斤拷,\n口中疾呼烫烫烫。"
    assert cjkfix.repair(poem) == poem


def test_a_kun_run_is_read_back_from_before_its_first_marker_where_that_is_damage() -> None:
    """然后有蚊子，管客房部要蚊香，告知没有~ through gbk>utf-8>utf-8>gbk (WHATWG's
    decoder; a corpus line): the run starts with 然, C8 BB, which is also the UTF-8 of
    ``Ȼ``, the first character of the U+FFFD text. Read from its first marker, 然 stood
    as it was and read as junk (鐒), the run was not read, and the loss markers fixer
    left the line half repaired (然���锟接ｏ拷…). Clean text before a marker whose bytes
    are UTF-8 too (说, ``˵``) stays as it is: there the run read from the marker leaves
    no junk."""
    broken = "然锟斤拷锟斤拷锟斤拷锟接ｏ拷锟杰客凤拷锟斤拷要锟斤拷锟姐，锟斤拷知没锟斤拷~"
    out = cjkfix.repair(broken)
    assert "锟" not in out
    assert kept(out, "然后有蚊子，管客房部要蚊香，告知没有~")
    for clean in ("网上说锟斤拷是什么意思", "说锟斤拷", "他说锟斤拷是乱码"):
        assert cjkfix.repair(clean) == clean


# benchmarks/golden.py's simulated rows that a second repair changed (corpus lines
# through gbk>utf-8>utf-8>gbk with Python's replace): (input, the one repair).
SECOND_CALL = [
    # 列出 rclone 远程目录的数据：锟叫筹拷 is read (two characters lost). A second call
    # read the first call's two U+FFFD as raw decoder output, on the evidence of the run
    # after 远, then left unread, and made one of them. (That run now reads: its 远,
    # whose GBK bytes are UTF-8 too, read as junk where it stood, so the run is read
    # back from before it.)
    (
        "锟叫筹拷 rclone 远锟斤拷目录锟斤拷锟斤拷锟捷ｏ拷",
        "\ufffd\ufffd rclone 远\ufffd目录\ufffd\ufffd\ufffd\ufffd",
    ),
    # 如果要强制 Python 在释放时删除某些内容，请使用 atexit 模块运行一个函数，强制删除这些
    # 内容。 The replacement fixer cannot read the paragraph whole (模... reads no text);
    # with the U+FFFD the loss markers fixer makes of the markers beside 锟, it reads
    # 时删 某些 使 back. A second call did that; the first one now goes on until no stage
    # changes anything. (在释放 is three U+FFFD: a later pass read the fixer's own three
    # as lost bytes again, and made two of them.) 模 and 一 are read back now (the run
    # before 模 reads as junk where it stands, see replacement_kun.fix); the run after
    # 一 reads one lost character short (12 U+FFFD for 13 characters).
    (
        "锟斤拷锟揭\ufffd强锟斤拷 Python 锟斤拷锟酵凤拷时删锟斤拷某些锟斤拷锟捷ｏ拷"
        "锟斤拷使锟斤拷 atexit 模锟斤拷锟斤拷锟斤拷一锟斤拷锟斤拷锟斤拷"
        "锟斤拷强锟斤拷删锟斤拷锟斤拷些锟斤拷锟捷★拷",
        "\ufffd锟揭\ufffd强锟斤拷 Python \ufffd\ufffd\ufffd时删\ufffd某些\ufffd\ufffd\ufffd\ufffd使"
        "\ufffd atexit 模" + "\ufffd" * 3 + "一" + "\ufffd" * 12,
    ),
]


@pytest.mark.parametrize(("broken", "once"), SECOND_CALL)
def test_one_repair_reaches_the_fixed_point(broken: str, once: str) -> None:
    out = cjkfix.repair(broken)
    assert out == once
    assert cjkfix.repair(out) == out
    assert cjkfix.repair("说明：" + broken + " (ok)") == "说明：" + once + " (ok)"
    steps = cjkfix.repair_and_explain(broken).steps
    assert cjkfix.apply_plan(broken, steps) == out


NEGATIVES = [
    "我们\ufffd的",
    "我们\ufffd\ufffd的朋友",
    "Ελληνικά \ufffd κείμενο",
    "κα\ufffdι τη\ufffd\ufffdς γλώ\ufffdσσα",
    "Привет, ми\ufffdр! Как дела\ufffd\ufffd",
    "שלום \ufffdעולם\ufffd",
    "مرحبا \ufffdبالعالم\ufffd\ufffd",
    "caf\ufffd cr\ufffdme br\ufffdl\ufffde, r\ufffdsum\ufffd",
    "\ufffd\ufffd\ufffd\ufffd abc \ufffd\ufffd",
    "def f(x):\n    return x + '\ufffd\ufffd'  # \ufffd",
    "â€œlossy decodingâ€\ufffd",
    "\u2800 âš ï¸\ufffd As pessoas",
    "手持两把锟斤拷，口中疾呼烫烫烫。",
    "今日は\ufffd\ufffdいい天気",
    "오늘 날씨가 \ufffd 좋네요",
    # clean corpus lines with U+FFFD inserted that an earlier version changed
    "영화중 보디가드랑 영웅 재\ufffd밌는 영화♥~\ufffd♥",
    "由 \ufffd\ufffdŁukasz Langa 撰\ufffd寫 PEP 與實作。",
    "💄\ufffd\ufffd 修复 Steps 横向连接线在\ufffd Chrome 中显示模糊的问题。",
    "嗯……凍檸\ufffd茶\ufffd吖唔該。",
    # not this chain: Japanese UTF-8 read as cp874 with lost bytes (Thai letters between
    # U+FFFD are three-byte sequences), which the mojibake fixer reads; an earlier
    # version made 喙鈥犩箘… of it
    "ใ�“ใ�ฎๅ•�้กŒใ�ฏๆ˜Žๆ—ฅใ‚‚ใ�†ไธ€ๅบฆ่ฉฑใ�—ๅ�ˆใ�„ใ�พใ�—ใ‚‡ใ�†ใ€‚",
    # not this chain either: UTF-8 read as ISO-8859-2 (cp1252 for 80-9F) with a byte
    # lost; an earlier version read 赂膰艣藛膰 (GBK of those letters' UTF-8) from it
    "3.3. ĺ†…ć\xa0¸ćśˆć\ufffdŻ",
    "3.ć—\xa0é™\ufffdç˝‘ĺ\ufffdĄçš„äżĄĺ\ufffdˇĺžˆç¨łĺŽšďźŒćťĄć„\ufffd",
    # UTF-8 text (a corpus line) with half its characters lost, one U+FFFD each: common
    # characters beside U+FFFD; an earlier version read the θ as GBK's 胃 (CE B8)
    "「y boper %theta x」\ufffd\ufffd小写\ufffd\ufffd字\ufffd θ"
    + "\ufffd" * 6
    + "一个「y、\ufffd\ufffd",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_clean_text_is_left_alone(text: str) -> None:
    assert cjkfix.repair(text, replacement=True) == cjkfix.repair(text, replacement=False)
    assert cjkfix.repair_and_explain(text).steps == [] or all(
        s.fixer != "replacement" for s in cjkfix.repair_and_explain(text).steps
    )


def test_gate_is_cheap_and_off_on_clean_text() -> None:
    from cjkfix.replacement import gate

    assert not gate("今天天气很好")
    assert gate("\ufffd") and gate("锟")


def test_lattice_alignment_and_posteriors() -> None:
    a = rl.align(rl.tokens("\ufffd\u03b2\u0258"), "gbk", "zh-Hans", after=None)
    assert a is not None
    # D3 CE B2 C9 98 (E5 withheld): 游 loses its lead byte, 采 is whole, 樺 its trail
    assert [c.char for c in a.chars] == [None, "采", None]
    assert a.chars[1].posterior > 0.9
    # not at the end of the text, no byte can have been withheld: another cut
    b = rl.align(rl.tokens("\ufffd\u03b2\u0258"), "gbk", "zh-Hans", after=0x20)
    assert b is None or "采" not in [c.char for c in b.chars]


CLEAN = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed") for s in SENTENCES[lang]]
OTHER_SCRIPTS = [
    "Η γλώσσα είναι ζωντανή",
    "Съешь же ещё этих мягких французских булок",
    "The quick brown fox jumps over the lazy dog",
    "Ça a été très compliqué, même pénible",
    "مرحبا بالعالم",
    "שלום עולם",
    "Türkçe karakterler: ğüşıöç",
    "print(f'{x!r}') # 注释",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CLEAN + OTHER_SCRIPTS),
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=2),
)
def test_sparse_fffd_in_clean_text_is_left_alone(text: str, positions: list[int]) -> None:
    for p in sorted(positions, reverse=True):
        i = p % (len(text) + 1)
        text = text[:i] + FFFD + text[i:]
    assert cjkfix.repair(text, replacement=True) == cjkfix.repair(text, replacement=False)


ROWS = {
    "gbk>utf-8": "zh-Hans",
    "big5>utf-8": "zh-Hant",
    "shift_jis>utf-8": "ja",
    "euc-kr>utf-8": "ko",
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(ROWS)), st.data())
def test_simulated_damage_is_kept_never_invented(row: str, data: st.DataObject) -> None:
    sentence = data.draw(st.sampled_from(SENTENCES[ROWS[row]]))
    broken = corrupt(sentence, row, "replace")
    if broken is None or broken == sentence:
        return
    out = cjkfix.repair(broken)
    assert cjkfix.repair(out) == out
    if out != broken and FFFD not in out:
        assert out == sentence
    # where the fixer acted, no character is invented (a wrong codec vote can make a
    # line unreadable, but it may not put a plausible wrong letter there)
    assert not invented(out, sentence, broken) or out == broken


def test_simulated_damage_mostly_kept() -> None:
    total = good = 0
    for row, lang in ROWS.items():
        for sentence in SENTENCES[lang][:12]:
            broken = corrupt(sentence, row, "replace")
            if broken is None or broken == sentence:
                continue
            total += 1
            good += kept(cjkfix.repair(broken), sentence)
    assert good >= 0.75 * total


def test_characters_read_here_and_there_are_judged_together() -> None:
    """Korean UTF-8 read by a WHATWG Big5 decoder: U+FFFD everywhere and a few Han
    characters between them. Read as GBK shown by a UTF-8 decoder, each stretch gives one
    or two characters, too few to judge alone (``楹嗘``, ``绌``, ``璜``...); together
    they are no text, so the paragraph is not read that way."""
    from cjkfix import replacement
    from cjkfix.simulate import corrupt

    korean = (
        "파이썬이 홈을 찾을 수 없고 레지스트리 값이 없으면 (고정된(frozen) .exe, "
        "아주 이상한 설치 설정), 일부 기본 (하지만 상대) 경로를 얻게 됩니다."
    )
    broken = corrupt(korean, "utf-8>big5", "whatwg")
    assert broken is not None
    assert replacement.read(broken).edits == []


@pytest.mark.parametrize(
    "sentence",
    ["主要用于汇编 gcc 的输出以供 ld 使用。", "使用 LibreOffice 筛选器来转换 Excel 文件。"],
)
def test_a_decoder_that_writes_question_marks(sentence: str) -> None:
    """GBK read as UTF-8 by a decoder that writes "?" for each byte it cannot read: the
    same chain as with U+FFFD, each "?" of a stretch that shows the damage read as a
    lost byte; what survives whole and is pinned down comes back, the rest is U+FFFD."""
    from cjkfix.simulate import corrupt

    broken = corrupt(sentence, "gbk>utf-8", "qmark")
    assert broken is not None and "?" in broken
    out, steps = cjkfix.repair_and_explain(broken)
    assert out != broken and "?" not in out
    assert steps and all(s.evidence.get("marker") == "?" for s in steps)
    assert all(ch in sentence or ch == "\ufffd" or ch.isascii() for ch in out), out


@pytest.mark.parametrize(
    "text",
    [
        "Что? Как дела? Где ты?",
        "¿Qué? ¿Cómo estás?",
        "Τι κάνεις? Πού είσαι?",
        "מה? למה? איפה?",
        "ما هذا? لماذا?",
        "你好?这是什么???",
        "Ωμέγα?Ψ?Χ?",
    ],
)
def test_question_marks_in_clean_text_are_kept(text: str) -> None:
    assert cjkfix.repair(text) == text


def _lines_alone_and_together(lines: list[str]) -> tuple[list[str], list[str]]:
    alone = [cjkfix.repair(line) for line in lines]
    together = cjkfix.repair("\n".join(lines)).split("\n")
    return alone, together


def test_each_line_of_its_own_codec_reads_as_alone() -> None:
    """A paragraph of a GBK line and a Big5 line, both read as UTF-8 with U+FFFD: the
    codec vote is the paragraph's, but a line whose own stretches vote for another codec
    is read with it (each codec cannot cut the other's stretches: the paragraph's vote
    found none, and read neither)."""
    gbk = corrupt("检测到一个或多个错误，请检查配置文件。", "gbk>utf-8", "replace")
    big5 = corrupt("找不到指定的模組，請重新安裝程式。", "big5>utf-8", "replace")
    assert gbk is not None and big5 is not None
    alone, together = _lines_alone_and_together([gbk, big5])
    assert alone != [gbk, big5]
    assert together == alone


def test_a_line_that_reads_as_no_text_leaves_the_others_read() -> None:
    """A line whose characters read whole are no text (UTF-8 read as Big5 with U+FFFD,
    read as GBK shown by a UTF-8 decoder) leaves its own stretches as they are; it does
    not stop the GBK line beside it from being read as it is alone."""
    lines = [
        corrupt("检测到一个或多个错误，请检查配置文件。", "gbk>utf-8", "replace") or "",
        corrupt(SENTENCES["zh-Hans"][8], "utf-8>big5", "whatwg") or "",
    ]
    from cjkfix import replacement

    alone = replacement.read(lines[0]).edits
    together = replacement.read("\n".join(lines)).edits
    assert alone
    assert [e for e in together if e.end <= len(lines[0])] == alone


def test_a_paragraph_of_lines_of_four_codecs_reads_each_as_alone() -> None:
    """Lines of GBK, Big5, Shift_JIS and EUC-KR text read as UTF-8 (with U+FFFD or "?"),
    shuffled into one paragraph: each line comes back as it does alone (no codec cuts
    every line, so the paragraph's vote found none and none was read; a line of one
    codec read with another's made 夥 of Korean), and a repair's U+FFFD are not read
    again, two as one, on the unit's next round. A line may come back otherwise inside
    the paragraph (its codec's posterior is the paragraph's there) but never worse: a
    line that alone is the original with U+FFFD for lost characters is so inside."""
    import random

    rows = (("zh-Hans", "gbk"), ("zh-Hant", "big5"), ("ja", "shift_jis"), ("ko", "euc-kr"))
    pairs = [
        (broken, sentence)
        for lang, enc in rows
        for sentence in SENTENCES[lang][:8]
        for behaviour in ("replace", "qmark")
        if (broken := corrupt(sentence, f"{enc}>utf-8", behaviour)) not in (None, sentence)
    ]
    random.Random(1).shuffle(pairs)
    lines = [broken for broken, _sentence in pairs]
    alone, together = _lines_alone_and_together(lines)
    assert sum(a != b for a, b in zip(alone, lines, strict=True)) >= len(lines) // 2
    for a, t, (_broken, sentence) in zip(alone, together, pairs, strict=True):
        assert _near(t, sentence) or not _near(a, sentence), (a, t)
    assert sum(a == t for a, t in zip(alone, together, strict=True)) >= len(lines) - 2


def _near(out: str, original: str) -> bool:
    """``out`` is ``original`` with some characters U+FFFD, one each."""
    return len(out) == len(original) and all(
        a in (b, FFFD) for a, b in zip(out, original, strict=True)
    )


def test_a_line_of_utf8_with_characters_lost_is_no_legacy_line() -> None:
    """Beside a GBK line read as UTF-8 with U+FFFD, a UTF-8 line with characters lost
    (common characters beside U+FFFD) keeps its U+FFFD, one per lost character, and its
    θ: the GBK line's codec does not read them (an earlier version made 胃 of θ and one
    U+FFFD of two)."""
    gbk = corrupt("检测到一个或多个错误，请检查配置文件。", "gbk>utf-8", "replace")
    assert gbk is not None
    holed = (
        "输入\ufffd\ufffd插入\ufffd定\ufffd\ufffd\ufffd\ufffd令\ufffd θ\ufffd\ufffd\ufffd\ufffd一个"
    )
    alone, together = _lines_alone_and_together([gbk, holed])
    assert alone == [alone[0], holed] and alone[0] != gbk
    assert together == alone


def test_a_stretchs_junk_letter_is_weighed_against_words_on_its_own_line() -> None:
    """``锟侥碉拷`` reads back as U+FFFD and ``ĵ`` (UTF-8 text written as GBK, read as
    UTF-8): junk beside U+FFFD unless ĵ belongs to a Latin word. The words were looked
    for in the whole paragraph, and a line of Shift_JIS shown by cp850 (``âwâbâ_é­ôÃ``)
    made it one: the run was left in the paragraph, read alone. Now each line is
    looked at on its own, as alone."""
    kun = corrupt(
        "在设备 b 的第 1 个分区内创建一个 F2FS 文件系统（sdb1）：", "gbk>utf-8>utf-8>gbk", "replace"
    )
    sjis = corrupt("ヘッダを読み込めません", "shift_jis>cp850", "strict")
    assert kun is not None and sjis is not None and "锟侥碉拷" in kun
    alone, together = _lines_alone_and_together([sjis, kun])
    assert "锟" not in alone[1]
    assert together == alone


def test_a_line_beside_a_kun_run_reads_as_alone() -> None:
    """A paragraph that holds ``锟`` is read through the 锟斤拷 variant, which keeps a
    run's reading only where it leaves no junk letter. It judged every reading of the
    paragraph so, and a GBK line read as UTF-8 beside a line ending in ``锟斤拷`` (UTF-8
    read as GBK twice) lost its repair; a reading of no 锟 run is judged as alone."""
    kun = corrupt(
        "どちらのアプローチが適切かは、アプリケーションに依存します。",
        "utf-8>gbk>utf-8>gbk",
        "replace",
    )
    gbk = corrupt(
        "用调侃通俗的手法写明朝历史，既普及了历史，又让读者享受了阅读的快感。",
        "gbk>utf-8",
        "whatwg",
    )
    assert kun is not None and gbk is not None and kun.endswith("锟斤拷")
    alone, together = _lines_alone_and_together([gbk, kun])
    assert alone[0] != gbk
    assert together == alone


@pytest.mark.parametrize(
    ("context", "damaged", "codec"),
    [
        (
            "これらの二つの変数は、対話モードのときだけ定義されています。",
            "その他のオプション",
            "shift_jis",
        ),
        ("지정된 파일 기술자의 플래그를 가져옵니다.", "그룹 관리자 정의", "euc-kr"),
    ],
)
def test_legacy_damage_beside_clean_japanese_or_korean_is_read(
    context: str, damaged: str, codec: str
) -> None:
    """Kana or Hangul on a line kept its legacy damage from being read (UTF-8 read as
    EUC-KR or Shift_JIS shows them beside U+FFFD: the mojibake fixer's). Only a run
    with U+FFFD that shows them, all of whose characters a double-byte codec has, is
    that now: clean Japanese or Korean text beside the damage is not."""
    broken = corrupt(damaged, f"{codec}>utf-8", "replace")
    assert broken is not None and FFFD in broken
    out = cjkfix.repair(f"{context} {broken}")
    assert out.startswith(f"{context} ")
    rest = out[len(context) + 1 :]
    assert rest != broken and len(rest) == len(damaged)
    assert all(a in (b, FFFD) for a, b in zip(rest, damaged, strict=True))


def test_utf8_read_as_euc_kr_with_losses_is_not_read_as_legacy_bytes() -> None:
    """UTF-8 read as EUC-KR with U+FFFD shows Hangul beside U+FFFD, every character of
    it EUC-KR's: not legacy bytes read as UTF-8, so this fixer leaves it."""
    from cjkfix import replacement

    broken = corrupt("收到了无效的颜色数据，请检查配置文件。", "utf-8>euc-kr", "replace")
    assert broken is not None and FFFD in broken
    assert any("\uac00" <= ch <= "\ud7a3" for ch in broken)
    assert replacement.read(broken).edits == []


def test_a_line_of_utf8_through_a_single_byte_table_is_the_mojibake_fixers() -> None:
    """``ă\\ufffd¨`` is と (E3 81 A8) read through ISO-8859-2 with cp1252's 80-9F, its
    middle byte lost; the same line shows ``ă‚‰`` (ら) whole through that table. This
    fixer read the stretch as four lost characters of GBK; now the line is the mojibake
    fixer's, which restores と."""
    tail = "__repr__ ă\ufffd¨ __str__ ă\ufffd‹ă‚‰č¨ˆçŽ—"
    for context in ("计算数值的字符串表示 ", "speed でサンプリングレートを設定します ", ""):
        out = cjkfix.repair(context + tail)
        assert out.startswith(context + "__repr__ と __str__ から計算"), out


def test_the_paragraphs_codec_leaves_a_line_another_chain_reads_alone() -> None:
    """A line of UTF-8 read as Big5 with U+FFFD shows nothing but U+FFFD, rare Han and
    ASCII, like a legacy line all of whose characters were lost; beside a line of GBK
    (or Shift_JIS) read as UTF-8 it was read with that codec, nine U+FFFD where alone it
    is four characters lost (the mojibake fixer's reading)."""
    big5 = corrupt("直接运行 SQL 命令", "utf-8>big5", "replace")
    assert big5 is not None and FFFD in big5
    for other in (
        corrupt("检测到一个或多个错误，请检查配置文件。", "gbk>utf-8", "replace"),
        corrupt("特定のユーザが所有するプロセスを表示する", "shift_jis>utf-8", "replace"),
    ):
        assert other is not None
        alone, together = _lines_alone_and_together([other, big5])
        assert alone[1] != big5 and together == alone


def test_the_paragraphs_codec_leaves_a_line_of_an_eating_decoder() -> None:
    """``不�E需要`` (UTF-8 through Shift_JIS's eating decoder and back) shows a run of
    U+FFFD and ASCII; beside an EUC-KR line read as UTF-8 it was read with that codec,
    and the mojibake fixer no longer read the line's ``、E`` (。)."""
    eat = corrupt(
        "现在已不再需要使用 codecs 模块中可感知编码格式的流。",
        "utf-8>shift_jis>shift_jis>utf-8",
        "eat",
    )
    damaged = corrupt("ㅋㅋㅋㅋ재밌ㅁ음 특히결혼식", "euc-kr>utf-8", "replace")
    assert eat is not None and damaged is not None
    korean = (
        f"로컬 Maildir에서 이메일을 색인하고 검색. {damaged} 움직이는 커서로 문자들을 선택하려면"
    )
    alone, together = _lines_alone_and_together([korean, eat])
    assert alone[0] != korean and alone[1] != eat
    assert together == alone


def test_the_fixers_own_fffd_are_not_read_again_on_a_later_pass() -> None:
    """A ``锟斤拷`` line that the loss markers fixer turns into U+FFFD makes the pipeline
    pass over the paragraph again; the replacement fixer read its own U+FFFD of the
    EUC-KR line beside it as lost bytes, and made two of each four."""
    damaged = corrupt("아따맘마 너무 재미있었어요 ㅠㅜ", "euc-kr>utf-8", "qmark")
    assert damaged is not None
    line = f"고전이라 불릴 자격이 있는 영화 {damaged} 지정된 파일 기술자의 플래그를 가져옵니다."
    # (Korean text around the damage, as the accuracy benchmark's documents had it)
    kun = "锟斤拷" * 4 + "锟侥粗革拷锟斤拷锟揭诧拷锟斤拷锟斤拷锟揭恢憋拷" + "锟斤拷" * 6
    alone, together = _lines_alone_and_together([kun, line])
    assert alone[1] != line
    assert together[1] == alone[1]


def test_lattice_reads_lost_bytes_of_another_decoders_rules() -> None:
    """A token may be one lost byte drawn from a set (``rl.lost_byte``): Big5 read as GBK
    by a decoder that writes "?" for a byte it rejects, ``狦琌?蠓s`` for 果是更新 (更 is
    A7 F3: GBK rejected A7 before F3 and read F3 B7 as 蠓). The lattice cuts the bytes
    back into step: 更 keeps its lost lead (no character), 新 is read whole."""
    from cjkfix.mojibake.lossy import _rejected_leads

    choices = frozenset(_rejected_leads("gbk", 0xF3))
    assert 0xA7 in choices and 0x41 not in choices
    toks: list[rl.Token] = [
        "狦".encode("gbk"),
        "琌".encode("gbk"),
        rl.lost_byte(choices),
        "蠓".encode("gbk"),
        b"s",
    ]
    a = rl.align(toks, "big5", "zh-Hant", after=0x20)
    assert a is not None
    assert [c.char for c in a.chars] == ["果", "是", None, "新"]
    assert a.chars[3].posterior > 0.99
    # (the set's name is the set: the same bytes, the same name)
    assert rl.lost_byte(choices) == rl.lost_byte(frozenset(sorted(choices)))


def test_a_paragraph_reads_each_distinct_stretch_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A log repeats its lines: a paragraph of the same damaged line aligns each
    distinct stretch once (per codec), not once a line, and every line reads as alone."""
    line = corrupt("找不到指定的模块，请检查安装目录是否存在。", "gbk>utf-8", "replace")
    assert line is not None and "\ufffd" in line
    calls: list[int] = []
    real = rl.align

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rl, "align", counting)
    alone = cjkfix.repair(line)
    once = len(calls)
    assert alone != line and once > 0
    calls.clear()
    many = cjkfix.repair("\n".join([line] * 40))
    assert many.split("\n") == [alone] * 40
    assert len(calls) <= 2 * once
