"""The rows of :mod:`cjkfix.singlebyte`: chains found in the wild (issue 10), repaired by
one mechanism, never touching clean text in any script and never making CJK of text
that was not CJK."""

from __future__ import annotations

import re
import unicodedata

import ftfy
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import cjkfix
from casefiles import load_cases
from cjkfix import model, singlebyte
from cjkfix.simulate import CHAINS, corrupt, decode_wrongly
from cjkfix.singlebyte_evidence import thai_words

CASES = load_cases("singlebyte.json")
SENTENCES = load_cases("sentences.json")
ROW_CHAINS = [name for name in CHAINS if name in singlebyte.ROWS]
LOSSLESS_ROWS = [name for name in ROW_CHAINS if not singlebyte.table(singlebyte.ROWS[name])[1]]
#: The languages each original codec of a row is sampled in (UTF-8: every language).
LANGS_OF = {
    "shift_jis": ["ja"],
    "gbk": ["zh-Hans"],
    "euc-kr": ["ko"],
    "utf-8": ["zh-Hans", "zh-Hant", "ja", "ko"],
}


def kept(out: str, expected: str) -> bool:
    """Equal, except that each U+FFFD stands for one to three lost characters."""
    pattern = "".join(".{1,3}?" if ch == "\ufffd" else re.escape(ch) for ch in out)
    return re.fullmatch(pattern, expected, re.S) is not None


def test_every_row_is_a_chain_of_the_simulator() -> None:
    assert set(ROW_CHAINS) == set(singlebyte.ROWS)
    for name in ROW_CHAINS:
        ((_original, reader),) = CHAINS[name]
        assert singlebyte.table(singlebyte.READERS[reader]) == singlebyte.table(
            singlebyte.ROWS[name]
        )


def test_tables_are_the_python_codecs() -> None:
    chars, lost = singlebyte.table(singlebyte.ROWS["utf-8>cp874+cp1252"])
    assert chars["Œ"] == (0x8C,) and chars["๋"] == (0xEB,)
    assert 0x81 in lost and 0xDB in lost and 0x8C not in lost
    chars, lost = singlebyte.table(singlebyte.ROWS["utf-8>iso-8859-2+cp1252"])
    assert chars["Š"] == (0x8A, 0xA9)  # (cp1252's 8A and Latin-2's A9: the same letter)
    chars, lost = singlebyte.table(singlebyte.ROWS["utf-8>latin-1-c1-lost"])
    assert chars[" "] == (0x20, 0xA0) and set(range(0x80, 0xA0)) | {0xAD} == set(lost)
    assert singlebyte.table(singlebyte.ROWS["shift_jis>cp437"])[1] == ()


@pytest.mark.parametrize("case", CASES["real"], ids=lambda c: c["source"][-24:])
def test_real_cases(case: dict[str, str]) -> None:
    out = cjkfix.repair(case["broken"])
    if case["status"] == "xfail":
        pytest.xfail(case["note"])
    if case["status"] == "exact":
        assert out == case["expected"]
    else:
        assert out != case["broken"] and kept(out, case["expected"]), out
    assert cjkfix.repair(out) == out


@pytest.mark.parametrize("case", CASES["real"], ids=lambda c: c["source"][-24:])
def test_real_cases_never_invent(case: dict[str, str]) -> None:
    out = cjkfix.repair(case["broken"])
    extra = set(out) - set(case["expected"]) - set(case["broken"])
    assert not any(unicodedata.category(ch)[0] in "LN" for ch in extra), extra


@pytest.mark.parametrize("case", CASES["simulated"], ids=lambda c: c["row"])
def test_simulated_examples(case: dict[str, str]) -> None:
    """The example repaired; where it stands ``inside`` clean text, that text unchanged."""
    assert corrupt(case["expected"], case["row"], case.get("decoder", "strict")) == case["broken"]
    around = case.get("inside", "{}")
    out = cjkfix.repair(around.format(case["broken"]))
    assert kept(out, around.format(case["expected"])), out


@pytest.mark.parametrize("line", CASES["negatives"])
def test_negatives_unchanged(line: str) -> None:
    assert cjkfix.repair(line) == line


@pytest.mark.parametrize("chain", LOSSLESS_ROWS)
def test_lossless_rows_repair_sentences(chain: str) -> None:
    """Whole sentences and spans inside clean text, through a lossless row."""
    original = CHAINS[chain][0][0]
    langs = LANGS_OF[original]
    pool = [s for lang in langs for s in SENTENCES[lang]]
    done = failed = 0
    for k, s in enumerate(pool):
        broken = corrupt(s, chain, "strict")
        if broken is None or broken == s:
            continue
        case, expected = (broken, s) if k % 2 else (f"Datei: {broken} (ok)", f"Datei: {s} (ok)")
        done += 1
        failed += cjkfix.repair(case) != expected
    assert done >= 20
    # (measured: none of 30 for Shift_JIS and GBK, one or two for EUC-KR, where a
    # Shift_JIS reading of a short run can read better)
    assert failed <= done // 10


@pytest.mark.parametrize("chain", [c for c in ROW_CHAINS if c not in LOSSLESS_ROWS])
def test_lossy_rows_keep_or_mark(chain: str) -> None:
    """UTF-8 through a row that loses bytes: repaired exactly or with U+FFFD where
    characters were lost, a wrong character rarely."""
    pool = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko") for s in SENTENCES[lang]]
    done = good = wrong = 0
    for s in pool:
        broken = corrupt(s, chain, "drop")
        if broken is None or broken == s:
            continue
        out = cjkfix.repair(broken)
        done += 1
        good += out == s or kept(out, s)
        wrong += any(ch not in s and ch not in broken and ch != "\ufffd" for ch in out)
    assert done >= 40
    assert wrong <= done // 20, (wrong, done)
    assert good >= done // 2, (good, done)


# Clean words of scripts whose bytes the rows' tables show as letters.
WORDS = {
    "thai": ["ภาษาไทย", "ที่นี่", "การ์ตูน", "ก๋วยเตี๋ยว", "ศักดิ์ศรี", "ใช้ได้", "ไม่", "เป็น", "ครับ"],
    "greek": ["Ελληνικά", "κείμενο", "γλώσσα", "αβγ", "Κόσμε", "πσ", "ΓΦΘΩ"],
    "cyrillic": ["Русский", "текст", "съешь", "ещё", "мягких", "булок"],
    "latin": ["café", "naïve", "Müßiggang", "été", "à", "Ångström", "Øresund", "œuvre", "ÉÉ"],
    "arabic": ["العربية", "لغة", "جميلة", "مرحبا"],
    "vietnamese": ["Tiếng", "Việt", "Người", "đã", "đến", "dấu"],
    "symbols": ["±", "°C", "½", "µm", "²", "≥", "√", "█▓▒░", "╔═╗"],
}


@settings(max_examples=300, deadline=None)
@example(["√", "±"], "")
# (found by Hypothesis: each Thai run read as UTF-8 through cp874 with bytes lost and
# put back, ``な���な��頷���蠷����``; now well-formed Thai is no evidence on its own)
@example(["ใช้ได้", "ใช้ได้", "ที่นี่", "ที่นี่"], " ")
# (found by Hypothesis: each "é " read as UTF-8 E9, a space taken for A0 and a C1 byte
# lost, counted as a character with two bytes seen, four of them a line "read whole")
@example(["café", "café", "café", "café", "ÉÉ"], " ")
@given(
    st.sampled_from(sorted(WORDS)).flatmap(
        lambda script: st.lists(st.sampled_from(WORDS[script]), min_size=1, max_size=8)
    ),
    st.sampled_from([" ", "", ", ", "\n", "_"]),
)
def test_clean_words_of_every_script_are_unchanged(words: list[str], sep: str) -> None:
    text = sep.join(words)
    # (symbols side by side can spell UTF-8 through another codec exactly: ``√±`` is
    # ñ read as Mac Roman, and ftfy repairs it too; such a pair is no clean negative)
    assume(not (set(words) <= set(WORDS["symbols"]) and ftfy.fix_encoding(text) != text))
    assert cjkfix.repair(text) == text


THAI = [chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn"]


@settings(max_examples=300, deadline=None)
@example("ใกกใกก")  # (found by Hypothesis: ``㡡㡡``, UTF-8 through cp874 with bytes put back)
@given(st.text(alphabet=st.sampled_from([*THAI, " "]), min_size=1, max_size=40))
def test_any_thai_text_is_unchanged(text: str) -> None:
    """cp874's A1-FB are Thai letters: Thai text must never look like mojibake."""
    assert cjkfix.repair(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["zh-Hans", "zh-Hant", "ja", "ko", "mixed"]).flatmap(
        lambda lang: st.sampled_from(SENTENCES[lang])
    )
)
def test_clean_cjk_sentences_are_unchanged(sentence: str) -> None:
    assert cjkfix.repair(sentence) == sentence


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(set(WORDS) - {"symbols"})).flatmap(
        lambda script: st.lists(st.sampled_from(WORDS[script]), min_size=1, max_size=6)
    ),
    st.sampled_from(sorted(singlebyte.ROWS)),
    st.sampled_from(["strict", "drop", "replace"]),
)
def test_other_scripts_through_a_row_never_become_cjk(
    words: list[str], name: str, behaviour: str
) -> None:
    text = " ".join(words)
    original, reader = singlebyte.ROWS[name].original, name.split(">", 1)[1]
    try:
        data = text.encode(original)
    except UnicodeEncodeError:
        return
    broken = decode_wrongly(data, reader, behaviour)
    if broken is None:
        return
    # (the rows' own repairs: the CJK engine's legacy readings of such text are its own)
    for edit in singlebyte.edits(broken, [(0, len(broken))]):
        assert not any(model.is_cjk(ch) for ch in edit.after), (broken, edit)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(LOSSLESS_ROWS).flatmap(
        lambda chain: st.tuples(
            st.just(chain),
            st.sampled_from([s for lang in LANGS_OF[CHAINS[chain][0][0]] for s in SENTENCES[lang]]),
        )
    )
)
def test_lossless_row_output_never_invents(chain_sentence: tuple[str, str]) -> None:
    """Through a lossless row, every character of the repair is in the original or the
    input (a run left as it is, never a third text made of other characters)."""
    chain, sentence = chain_sentence
    broken = corrupt(sentence, chain, "strict")
    if broken is None:
        return
    out = cjkfix.repair(broken)
    assert all(ch in sentence or ch in broken for ch in out), out


#: The rows of a DOS code page (zip entry names, OEM consoles).
DOS_ROWS = [name for name in ROW_CHAINS if singlebyte.ROWS[name].reader in ("cp437", "cp850")]
NAMES = {
    "shift_jis": "見積書_最終版.xlsx",
    "gbk": "测试报告.txt",
    "euc-kr": "한국어 보고서.txt",
    "utf-8": "會議記錄_最終版.docx",
}
DRAWINGS = [
    "{0}\n├─ {0}\n└─ {0}",
    "┌──────┬────┐\n│ {0} │ 12 │\n├──────┼────┤\n└──────┴────┘",
    "╔══╗ {0} ╠══╣ {0} ╚══╝",
    "{0} ├─ {0} └─┘ {0} ╟─╢ {0}",
]


@pytest.mark.parametrize("chain", DOS_ROWS)
@pytest.mark.parametrize("drawing", DRAWINGS)
def test_box_drawing_beside_file_names_stays(chain: str, drawing: str) -> None:
    """File names of a DOS row in a listing drawn with box drawing: the names are
    repaired, the drawing stays (``├─`` is EUC-KR ``쳐``, ``╔══╗`` GBK ``赏突``)."""
    name = NAMES[CHAINS[chain][0][0]]
    broken = corrupt(name, chain, "strict")
    assert broken is not None
    assert cjkfix.repair(drawing.format(broken)) == drawing.format(name)


def test_a_run_read_on_the_paragraphs_evidence_keeps_its_codec() -> None:
    """In a paragraph of EUC-KR through cp850, a run that EUC-KR does not read well enough
    (``╚³``, 힙) is left, not read as GBK (赛) where GBK reads it better."""
    korean = "힙 덤프(jmap에서 생성)를 분석하고, HTTP를 통해 포트 7000에서 보기:"
    broken = corrupt(korean, "euc-kr>cp850", "strict")
    assert broken is not None
    out = cjkfix.repair(broken)
    assert all(ch in korean or ch in broken for ch in out), out
    assert out.endswith(korean[1:]), out


def test_a_run_glued_to_cp1252_mojibake_is_not_a_rows() -> None:
    # UTF-8 read as cp1252 with its curly quotes folded (simulate's "folded"): the C1-lost
    # row read ``ä»`` (before ``Ž``) as a character with a C1 byte lost, took the line,
    # and a second round read its U+FFFD as Shift_JIS (少初水準).
    middle = "从仓库和 AUR 中安装一个新的软件包："
    folded = corrupt(middle, "utf-8>cp1252", "folded")
    assert folded is not None and "Ž" in folded
    original = f"表 1.3. 重要目录的用途列表 {middle} 从当前项目中移除一个依赖项："
    broken = original.replace(middle, folded)
    out = cjkfix.repair(broken)
    invented = set(out) - set(original) - set(broken) - {"\ufffd"}
    assert not invented, out


def test_a_double_utf8_remnant_is_no_legacy_run() -> None:
    # UTF-8 read as cp1252 twice, a decoder dropping the 8F of 및 (EB B0 8F): ``Ã«Â°`` is
    # left after the engine reads the Korean around it, and the cp1252 characters went
    # with those runs; cp850's GBK reads it ``钱而``. Two layers of UTF-8 say otherwise.
    from cjkfix.singlebyte_evidence import utf8_twice_cut_short

    assert utf8_twice_cut_short("Ã«Â°")
    assert not utf8_twice_cut_short("ë°") and not utf8_twice_cut_short("Ã©")
    out = cjkfix.repair("격자 맞춤 여부 Ã«Â° 방법 등")
    assert "钱" not in out and "而" not in out, out


def test_a_line_beside_another_codecs_line_reads_as_alone() -> None:
    # One paragraph, two zip entry names' codecs through cp437: each line as it is alone
    # (the paragraph's first row had taken the Korean runs its GBK reads weakly:
    # 墨府胶付狼 for 카리스마의).
    korean = "터프한 카리스마의 결정체..."
    chinese = "今天天气很好，我们去公园散步吧。"
    a = corrupt(korean, "euc-kr>cp437", "strict")
    b = corrupt(chinese, "gbk>cp437", "strict")
    assert a is not None and b is not None
    assert cjkfix.repair(a) == korean and cjkfix.repair(b) == chinese
    assert cjkfix.repair(f"{a}\n{b}") == f"{korean}\n{chinese}"


def test_a_line_beside_another_rows_line_reads_as_alone() -> None:
    # One paragraph, two rows of one codec (UTF-8): a line read as latin-1 with its C1
    # bytes lost beside one read through ISO-8859-2. The paragraph's first row had its
    # weak runs taken in the other line too, where that line's own row reads strongly.
    a = corrupt(
        "使用瀏覽按鈕可預覽上一筆或下一筆資料記錄的資訊。", "utf-8>latin-1-c1-lost", "strict"
    )
    b = corrupt("安装一个或多个用空格分隔的软件包", "utf-8>iso-8859-2+cp1252", "strict")
    assert a is not None and b is not None
    for parts in ([a, b], [b, a]):
        assert cjkfix.repair("\n".join(parts)).split("\n") == [cjkfix.repair(p) for p in parts]


def test_marks_beside_a_lost_character_are_read_where_the_row_is_found() -> None:
    # ``ďź‰ďźš`` after ``4200``: ``）`` read whole and ``：`` of two readings (its 9A is
    # cp1252's ``š`` and ISO-8859-2's B9 alike: ：or Ｙ, the model sure of ：); alone no
    # evidence, but the line's row reads it, not the run left as it was (half a line
    # repaired).
    broken = corrupt("（默认 4200）：", "utf-8>iso-8859-2+cp1252", "strict")
    assert broken is not None and broken.endswith("4200ďź‰ďźš")
    assert cjkfix.repair(broken) == "（默认 4200）："
    assert cjkfix.repair("ďź‰ďźš") == "ďź‰ďźš"  # (alone: no evidence of the row)


def _bound_inputs() -> list[str]:
    """Texts with runs of every row: the cases, the sentences through every row (every
    decoder), and junk (U+FFFD with letters of the tables)."""
    texts = [c["broken"] for c in CASES["real"] + CASES["simulated"]]
    texts += [line for line in CASES["negatives"] if isinstance(line, str)]
    for name in ROW_CHAINS:
        for lang in ("zh-Hans", "zh-Hant", "ja", "ko"):
            for s in SENTENCES[lang][:8]:
                for decoder in ("strict", "replace", "drop"):
                    got = corrupt(s, name, decoder)
                    if got:
                        texts.append(got)
    texts += ["\ufffd" * 9 + "ðÃ¤¸­\ufffd\ufffd", "ì\ufffd\ufffd\ufffd ๋\ufffdŒ€\ufffd \ufffd±°"]
    return texts


def test_bound_never_refuses_a_counted_reading() -> None:
    """Where the lattice reads a run with a character that counts (``solid`` or
    ``marks``), :func:`cjkfix.singlebyte_bound.may_count` lets it through: the bound
    only spares the lattice runs no accepted reading can come from."""
    from cjkfix.singlebyte_bound import may_count

    checked = 0
    for text in _bound_inputs():
        for row in singlebyte.ROWS.values():
            for a, b in singlebyte.runs(text, row):
                run = text[a:b]
                for cut in (run[:-1], run):
                    reading = singlebyte.repair_run(cut, row) if cut else None
                    if reading is not None and reading.solid + reading.marks >= 1:
                        checked += 1
                        assert may_count(cut, row), (cut, row.name)
    assert checked > 100


def test_cjk_ranges_are_is_cjk() -> None:
    """The bound finds CJK leads from the model's ranges: they are :func:`is_cjk`."""
    assert [
        o
        for o in range(0x110000)
        if model.is_cjk(chr(o)) != any(a <= o <= b for a, b in model.CJK_RANGES)
    ] == []


def test_residual_class_is_cjk_char_negated() -> None:
    # (the regex class that counts what the rows leave: neither ASCII, CJK nor U+FFFD)
    from cjkfix.singlebyte_evidence import RESIDUAL, cjk_char

    for c in range(0x30000):
        ch = chr(c)
        want = not ch.isascii() and ch != "\ufffd" and not cjk_char(ch)
        assert (RESIDUAL.match(ch) is not None) == want, hex(c)


@pytest.mark.parametrize("chain", ["gbk>latin-1", "euc-kr>latin-1", "big5>latin-1"])
def test_refused_runs_have_no_accepted_reading(chain: str) -> None:
    # singlebyte_bound.refused skips the lattice for a run of a row of UTF-8: only where
    # the lattice's reading, if any, is one no paragraph accepts
    from cjkfix.singlebyte_bound import refused

    lang = {"gbk": "zh-Hans", "euc-kr": "ko", "big5": "zh-Hant"}[chain.split(">")[0]]
    tried = 0
    for sentence in SENTENCES[lang][:10]:
        line = corrupt(sentence, chain, "strict")
        if line is None:
            continue
        for row in singlebyte.ROWS.values():
            if row.original != "utf-8":
                continue
            for a, b in singlebyte.runs(line, row):
                run = line[a:b]
                if refused(run, row):
                    tried += 1
                    reading = singlebyte.repair_run(run, row)
                    assert reading is None or not singlebyte.accept(reading, seen=True), run
    assert tried


@pytest.mark.parametrize(
    ("run", "thai"),
    [
        ("ใช้ได้ ใช้ได้ ที่นี่ ที่นี่", True),
        ("กรุงเทพมหานคร", True),
        ("น้ำ", True),
        ("ํ•œ๊ตญ์–ด", False),  # 한국어 through cp874: a mark with no consonant, cp1252 signs
        ("ไธญๆ–‡", False),  # 中文 through cp874
        ("ๆ", False),
    ],
)
def test_thai_words(run: str, thai: bool) -> None:
    assert thai_words(run) is thai


# UTF-8 read as cp874 by a reader that shows a no-break space as a space and drops the
# bytes it has no character for: 을 (EC 9D 84) then a space shows as 선 (EC 84 A0)
# does, a space read as a no-break space inside a character. Both readings leave a
# choice (a lost byte, or a space that was A0), and they cost the same: the model
# decides, and where it is not sure the character is U+FFFD, never 선 (the space may
# go with it: which reading took it is not known either). The third line has no such
# choice to make wrongly (두 is EB 91 90, with 90 dropped).
@pytest.mark.parametrize(
    "sentence",
    [
        "업그레이드 작업을 진행하세요.",
        "정보를 포함하는 도움말 메시지를 담은 문자열을 반환합니다.",
        "기차가 두 시간 늦어서 승객들이 모두 걱정했습니다.",
    ],
)
def test_a_space_read_as_a_no_break_space_is_a_choice(sentence: str) -> None:
    broken = corrupt(sentence, "utf-8>cp874+cp1252", "drop")
    out = cjkfix.repair(broken)
    assert out != broken
    assert "선" not in out
    assert not set(out) - set(sentence) - {"\ufffd"}


def test_a_no_break_space_before_a_real_space_is_free() -> None:
    # 章 is E7 AB A0: its A0 shows as a space, and a real space follows it. The run ends
    # at that first space; what comes after the run (a space) is looked at too, so the
    # no-break space costs nothing and 章 is read for sure.
    broken = corrupt("第 9 章 系统技巧", "utf-8>cp874+cp1252", "strict")
    assert broken == "็ฌฌ 9 ็ซ  ็ณป็ปŸๆŠ€ๅทง"
    assert cjkfix.repair(broken) == "第 9 章 系统技巧"


def test_a_lost_character_beside_a_guessed_one_is_weighed_after_its_readings() -> None:
    """UTF-8 read as Thai with cp1252's C1 glyphs, U+FFFD for the bytes neither has: in
    不同 both characters lost a byte. 同 alone, with no neighbour read for sure, was
    not sure; weighed after every reading of 不's bytes (不 the likeliest), it is. 不
    (E4 B8 and one of the five bytes shown as U+FFFD: 丁 丏 丐 不 丝) is not sure next
    to 同 unread, but over all the run's paths it is (cjkfix.singlebyte_search)."""
    from cjkfix.simulate import corrupt

    sentence = "同时订的两套房间，入住时间不同，最后拿到的房间也不同，"
    broken = corrupt(sentence, "utf-8>cp874+cp1252", "replace")
    assert broken is not None
    out = cjkfix.repair(broken)
    assert len(out) == len(sentence)
    assert all(a == b or a == "\ufffd" for a, b in zip(out, sentence, strict=True))
    assert out.count("不同，") == 2


@pytest.mark.parametrize("behaviour", ["qmark", "replace"])
def test_a_tis620_line_beside_a_cp874_line_is_read_as_alone(behaviour: str) -> None:
    """UTF-8 read as TIS-620 (its C1 bytes shown as nothing) in a paragraph with a line
    read as cp874+cp1252: that row is found in the paragraph, but a line that shows none
    of its 80-9F characters while it reads several characters of UTF-8 is not its (it
    could put back only its five undefined bytes: 좋 came back as 좁, an invented
    character); the line comes back as it does alone."""
    tis = corrupt("오늘은 날씨가 정말 좋네요.", "utf-8>tis-620", "strict")
    other = corrupt(SENTENCES["ja"][1], "utf-8>cp874+cp1252", behaviour)
    assert tis is not None and other is not None
    together = cjkfix.repair(f"{other}\n{tis}").split("\n")
    assert together == [cjkfix.repair(other), cjkfix.repair(tis)]
    assert "좁" not in together[1]


@pytest.mark.parametrize(
    "sentence", ["新问题追踪：简述", "強制刪除唯讀檔案：", "安装一个或多个用空格分隔的软件包："]
)
def test_a_full_width_colon_is_told_from_a_full_width_letter(sentence: str) -> None:
    """： is EF BC 9A; ISO-8859-2 with cp1252's 80-9F shows 9A as š, which is also
    ISO-8859-2's B9: EF BC B9 is Ｙ. A full-width letter is far rarer in CJK text than
    the colon (../shared/corpus: about e^-11 a character against e^-5.5), which the
    model's class values now say (they weighed every full-width form alike: U+FFFD)."""
    broken = corrupt(sentence, "utf-8>iso-8859-2+cp1252", "strict")
    assert broken is not None and "ďźš" in broken
    assert cjkfix.repair(broken) == sentence


@pytest.mark.parametrize(
    ("sentence", "repaired"),
    [
        ("从官方仓库和 AUR 检索包：", "从官方仓库和 AUR 检索包："),
        # (亮 is E4 BA AE or 于 E4 BA 8E beside 度: not sure either way, so U+FFFD)
        ("增加 42 个大步的亮度（默认 4200）：", "增加 42 个大步的\ufffd度（默认 4200）："),
    ],
)
def test_two_characters_the_table_shows_twice_pin_each_other_down(
    sentence: str, repaired: str
) -> None:
    """UTF-8 read as ISO-8859-2 with cp1252's 80-9F: ``Ž`` is AE and 8E, ``ž`` BE and
    9E, ``Š`` A9 and 8A. In 从官方 (``äťŽĺŽ˜``) and 增加 (``ĺ˘žĺŠ\\xa0``) each of the two
    characters has two readings, and neither is sure next to the other unread (从 or 仮,
    官 or 厘); over all the run's paths (forward-backward) they pin each other down.
    Before, the first of each pair came back as U+FFFD."""
    broken = corrupt(sentence, "utf-8>iso-8859-2+cp1252", "strict")
    assert broken is not None and broken != sentence
    assert cjkfix.repair(broken) == repaired


SENTENCE_DRINK = "我的朋友全都喝得酩酊大醉，我只好開車把他們送回家。"


def test_a_frequent_word_does_not_vouch_for_a_lost_byte() -> None:
    """喝 is E5 96 9D; cp1252 has no 9D, and a decoder that drops it shows ``ĺ–``: E5 96
    and a lost byte, or E5, a lost byte and 96 (取 is E5 8F 96). Over all the run's paths
    取得 is likelier than 喝得, but a lost byte is read only where the model is sure
    next to the neighbours read for sure: it stays U+FFFD, never 取."""
    broken = corrupt(SENTENCE_DRINK, "utf-8>iso-8859-2+cp1252", "drop")
    assert broken is not None and "ĺ–ĺž—" in broken
    out = cjkfix.repair(broken)
    assert "取" not in out
    assert out.startswith("我的朋友全都\ufffd得")


def test_a_sure_character_keeps_the_space_collapsed_into_its_no_break_space() -> None:
    """UTF-8 read as TIS-620: 고 is EA B3 A0, its A0 shown as a space, and the real space
    after it collapsed into that one (``ê³ 2009``). Whether the space is there is a
    reading of its own: where 고 is sure but its space is not, 고 is not read without
    the space (``고2009``) (a court-decision page, ../shared/realworld mj2-025)."""
    sentence = "서울행정법원 2010.07.15 선고 2009구합45402 판결"
    broken = corrupt(sentence, "utf-8>tis-620", "strict")
    assert broken is not None and " 2009" in broken
    out = cjkfix.repair(broken)
    assert out != broken
    assert " 2009구" in out
