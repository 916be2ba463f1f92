"""UTF-16 read as latin-1 or cp1252 (cjkfix.utf16): clean text is left alone and the
gate stays quiet on it; where cp1252 dropped a byte, no character is invented."""

from __future__ import annotations

import pytest

import cjkfix
from cjkfix import mojibake
from cjkfix.simulate import corrupt

#: Clean text made of the characters UTF-16 through latin-1 or cp1252 shows: Latin-1
#: words, cp1252 punctuation, hex, base64, digits beside Latin-1 letters.
CLEAN = [
    "déjà vu……——",
    "Québécois, été, déjà vu",
    "crème brûlée de Paris",
    "“Quoted” — dash… ‘single’ • bullet ™ €100 ‰",
    "0x4E2D 0x6587 4e2d6587 e6 96 87 30 c6 30 b9",
    "5Lit5paH5a2X56ymJeS4reaWhw==",
    "SGVsbG8gd29ybGQh/+0wMDA=",
    "±0.5 µm, ½ cup, ¼ inch, 90° angle",
    "naïve café, coöperate, façade",
    "Ñandú, año, señor, pequeño",
    "Æ0 Ø0 Å0 ß0 þ0",
]


@pytest.mark.parametrize("clean", CLEAN)
def test_clean_latin_text_unchanged_and_gate_quiet(clean: str) -> None:
    assert cjkfix.repair(clean) == clean
    assert cjkfix.repair(f"中文 {clean} 日本語") == f"中文 {clean} 日本語"
    assert not mojibake.gate(clean)


@pytest.mark.parametrize(
    "clean",
    [
        "À0É0Ü0 Ø0Æ0",  # (three units of katakana's shape, then a space: no turn)
        "résumé_été_2024.pdf",
        "Œuvre complète, Šibenik, Žižek, Ÿvette",
        "«Élan» — l’été… “Ça va?”",
        "ÀÉÎÕÜ àéîõü ÇçÑñ",
    ],
)
def test_clean_latin_text_unchanged(clean: str) -> None:
    """Clean text the gate may pass (for other rows) that no reading changes."""
    assert cjkfix.repair(clean) == clean


#: Sentences whose UTF-16 holds bytes cp1252 does not have (81 8D 8F 90 9D): with the
#: behaviour ``drop`` the alignment turns where one was dropped.
DROPPED = [
    "输出文件名包含小明的文件名",  # 输 8F93: a context space beside the orphan 93
    "我要一本書。",  # 要 8981
    "我们很重视您提的宝贵意见，同时做了相应的调查。",  # 宝贵: two bytes dropped side by side
    "定位符號尺寸必須是升序的",  # 序 5E8F at the end
    "比较运算符对应的形符。",
    "書き込みが、根柢のバイナリバッファに即座に渡される",
    "自信이 바이크를 탄다",
]


@pytest.mark.parametrize("chain", ["utf-16-le>cp1252", "utf-16-be>cp1252"])
@pytest.mark.parametrize("sentence", DROPPED)
def test_dropped_bytes_invent_nothing(chain: str, sentence: str) -> None:
    broken = corrupt(sentence, chain, "drop")
    assert broken is not None
    inside = (f"很难。 {broken} 中国", f"很难。 {sentence} 中国")
    for case, expected in ((broken, sentence), inside):
        out = cjkfix.repair(case)
        invented = {ch for ch in out if ch not in case and ch not in expected}
        assert invented <= {"\ufffd"}, (case, out)


@pytest.mark.parametrize(
    ("chain", "sentence"),
    [
        ("utf-16-le>latin-1", "最赞的是房间够大。。写字台的布局很好。"),  # 房 is 3F 62: ``?b``
        ("utf-16-le>cp1252", "テスト結果です"),
        ("utf-16-be>cp1252", "テスト結果です"),
    ],
)
def test_lossless_sentences_read_whole(chain: str, sentence: str) -> None:
    broken = corrupt(sentence, chain, "strict")
    assert broken is not None
    assert cjkfix.repair(broken) == sentence


def test_context_question_mark_is_kept() -> None:
    """A ``?`` beside a region may stand for a lost byte (qmark), but at the region's
    edge it is the text's own: the question stays a question."""
    broken = corrupt("레이블 텍스트", "utf-16-le>cp1252", "strict")
    assert broken is not None
    case = f"있습니까? {broken} 로그인 이름:"
    assert cjkfix.repair(case) == "있습니까? 레이블 텍스트 로그인 이름:"


def test_a_unit_that_lost_a_byte_is_weighed_or_left_lost() -> None:
    """这 is D9 8F in UTF-16LE; cp1252 has no 8F (nor 81, 8D, 90, 9D), which a decoder
    writes U+FFFD or ``?``: the unit is one of 臙 跙 这 郙 鷙, and 这 before 家 is
    sure. 要 (89 81) between 我 and 一 is not: U+FFFD."""
    for behaviour in ("replace", "qmark"):
        broken = corrupt("这家酒店我以后是绝对不会去了", "utf-16-le>cp1252", behaviour)
        assert broken is not None and broken[:2] in ("Ù\ufffd", "Ù?")
        assert cjkfix.repair(f"解密 {broken} 2。") == "解密 这家酒店我以后是绝对不会去了 2。"
        broken = corrupt("我要一本書。", "utf-16-le>cp1252", behaviour)
        assert broken is not None
        assert cjkfix.repair(broken) == "我\ufffd一本書。"


@pytest.mark.parametrize("chain", ["utf-16-le>cp1252", "utf-16-be>cp1252"])
@pytest.mark.parametrize("behaviour", ["replace", "qmark"])
@pytest.mark.parametrize("sentence", DROPPED)
def test_lost_bytes_are_restored_or_marked_never_invented(
    chain: str, behaviour: str, sentence: str
) -> None:
    broken = corrupt(sentence, chain, behaviour)
    assert broken is not None
    out = cjkfix.repair(broken)
    assert {ch for ch in out if ch not in broken and ch not in sentence} <= {"\ufffd"}


@pytest.mark.parametrize("chain", ["utf-16-le>latin-1", "utf-16-le>cp1252", "utf-16-be>cp1252"])
@pytest.mark.parametrize(
    "sentence",
    [
        "기본적으로 트랩은 꺼져 있습니다.",
        "服务态度冷淡，好象不会笑。",
        "float 클래스가 설정되면 예외를 발생시킵니다.",
    ],
)
def test_a_utf16_line_beside_another_chains_line_reads_as_alone(chain: str, sentence: str) -> None:
    """A line of UTF-16 read as an 8-bit codec beside a line of UTF-8 read as cp1252:
    both are bytes 00-FF, so they made one region, read as UTF-16 across the line break
    (the cp1252 line lost, the break taken for a byte). Each line reads as it does alone,
    and the text keeps its lines."""
    other = corrupt("安装一个或多个用空格分隔的软件包：", "utf-8>cp1252", "strict")
    line = corrupt(sentence, chain, "strict")
    assert other is not None and line is not None and "\n" not in line
    for parts in ([other, line], [line, other]):
        out = cjkfix.repair("\n".join(parts))
        assert out.split("\n") == [cjkfix.repair(p) for p in parts]
    assert cjkfix.repair(line) == sentence


@pytest.mark.parametrize("chain", ["utf-16-le>latin-1", "utf-16-le>cp1252", "utf-16-be>cp1252"])
@pytest.mark.parametrize("other", ["\ufffd 다음 줄", "??? 下一行", "\ufffd\ufffd abc"])
def test_a_utf16_line_keeps_its_line_break_beside_a_short_line(chain: str, other: str) -> None:
    """A short line of U+FFFD or "?" beside a line of UTF-16 read as an 8-bit codec: the
    whole region read as UTF-16 took the line break for a byte of a unit with a lost
    byte (``\n\ufffd``) or of a rare character (``c\n`` is 挊, ``\n?`` is 㼊). Such a
    reading is taken only where it reads more text than the lines read alone."""
    line = corrupt("특정 Docker 이미지 다운로드:", chain, "strict")
    assert line is not None and "\n" not in line
    for parts in ([line, other], [other, line]):
        out = cjkfix.repair("\n".join(parts))
        assert out.split("\n") == [cjkfix.repair(p) for p in parts]


@pytest.mark.parametrize("chain", ["utf-16-le>latin-1", "utf-16-le>cp1252", "utf-16-be>cp1252"])
@pytest.mark.parametrize("other_chain", ["utf-8>iso-8859-2+cp1252", "utf-8>cp874+cp1252"])
def test_a_line_ending_in_bytes_00_ff_beside_a_utf16_line_reads_as_alone(
    chain: str, other_chain: str
) -> None:
    """A line of UTF-8 read through a sloppy codec ends in characters latin-1 shows too
    (``ă€‚`` is 。, its ``€‚`` bytes 80 82): they begin the UTF-16 line's region, which
    other readings were kept off whole, so the line lost its last character
    (``心碎�€‚``). A region's first line that began before it and that no UTF-16 run
    reads is the other line's; so is its last."""
    other = corrupt("一切欲望无奈心碎。", other_chain, "strict")
    line = corrupt("様子を視覚的に表します", chain, "strict")
    assert other is not None and line is not None and "\n" not in line
    assert cjkfix.repair(other) == "一切欲望无奈心碎。"
    for parts in ([other, line], [line, other]):
        out = cjkfix.repair("\n".join(parts))
        assert out.split("\n") == [cjkfix.repair(p) for p in parts]


@pytest.mark.parametrize(
    ("before", "sentence", "chain", "decoder"),
    [
        # (a line ending in 。 of UTF-8 through a sloppy codec, ``€‚``: the UTF-16 line's
        # first unit was ``‚`` and the line break, 舊)
        (
            "一切欲望无奈心碎。",
            "기약 분수로 나타낼 때 Fraction의 분자.",
            "utf-16-be>cp1252",
            "replace",
        ),
        (
            "一切欲望无奈心碎。",
            "条件を設定します: 値が J14 より小さい場合",
            "utf-16-be>cp1252",
            "whatwg",
        ),
    ],
)
def test_a_utf16_reading_never_joins_a_line_to_the_one_before(
    before: str, sentence: str, chain: str, decoder: str
) -> None:
    """A run that begins one byte before a line break (the last byte of another text's
    line and the break, read as a character) joined two lines; it begins after the
    break, and the text keeps its lines (a unit that begins with the break, ``\\nN``, 上
    in UTF-16LE, is a character of the text: see the lossless cases)."""
    other = corrupt(before, "utf-8>iso-8859-2+cp1252", "strict")
    line = corrupt(sentence, chain, decoder)
    assert other is not None and line is not None and "\n" not in line
    out = cjkfix.repair(other + "\n" + line)
    assert out.split("\n") == [cjkfix.repair(other), cjkfix.repair(line)]


@pytest.mark.parametrize(
    "sentence", ["对两个值执行忽略正负号的数字比较。", "列出 XML 篩選的測試結果。"]
)
def test_a_question_mark_beside_another_decoders_losses_invents_nothing(sentence: str) -> None:
    """A line of UTF-16 read as cp1252 with ``?`` for what the reader could not map,
    after a line of another decoder's U+FFFD: the region runs across both, and the
    U+FFFD made every ``?`` a byte 3F (``正㼟号``, a character invented where the line
    alone has U+FFFD). Whether a ``?`` may be a lost byte is a question for its line."""
    line = corrupt(sentence, "utf-16-be>cp1252", "qmark")
    other = corrupt("朋友定的说是房间可以", "gbk>utf-8", "replace")
    assert line is not None and other is not None and "?" in line and "\ufffd" in other
    alone = cjkfix.repair(line)
    assert alone != line and all(ch in sentence for ch in alone.replace("\ufffd", ""))
    assert cjkfix.repair(other + "\n" + line).split("\n") == [cjkfix.repair(other), alone]


@pytest.mark.parametrize("chain", ["utf-16-le>latin-1", "utf-16-le>cp1252"])
@pytest.mark.parametrize("after", ["0 で始まる", "0 个文件"])
def test_a_utf16_reading_never_joins_a_line_to_the_one_after(chain: str, after: str) -> None:
    """A UTF-16LE line ending in ``:`` (3A 00) before a line that begins with ``0``: the
    line break and the ``0`` read as one unit, 《 (U+300A), and the lines came back as
    one. A character of a line break and another line's byte is no more text read."""
    line = corrupt("一致するファイルを検索する:", chain, "replace")
    assert line is not None and "\n" not in line
    out = cjkfix.repair(line + "\n" + after)
    assert out.split("\n") == [cjkfix.repair(line), cjkfix.repair(after)]
    alone = cjkfix.repair(line)  # (致 is F4 81: cp1252 has no 81, so it is lost)
    assert len(alone) == 14 and all(
        a in (b, "\ufffd") for a, b in zip(alone, "一致するファイルを検索する:", strict=True)
    )


@pytest.mark.parametrize(
    ("sentence", "chain", "behaviour", "head"),
    [
        # (選 is 78 90 in UTF-16LE: x and the U+FFFD of cp1252's undefined 90)
        (
            "選択した 3D オブジェクトに対するカメラ関係のオプションを指定します。",
            "utf-16-le>cp1252",
            "replace",
            "x\ufffd",
        ),
        # (自 is 81 EA in UTF-16BE: 81 dropped, ê left, one byte of the unit)
        ("自動的にインストールされたパッケージの一覧を表示する", "utf-16-be>cp1252", "drop", "ê"),
    ],
)
def test_a_first_unit_that_lost_a_byte_reads_as_alone_beside_a_line_of_losses(
    sentence: str, chain: str, behaviour: str, head: str
) -> None:
    """A UTF-16 line whose first unit lost a byte, beside a line of another chain's
    U+FFFD (one region of bytes 00-FF across the line break): the whole region's reading
    began a unit later and left ``x\\ufffd`` (or ``ê``) as it was. It read no more text
    than the lines did (a one-byte unit put the count of the lines' characters one
    character out: the last counted as holding the line break), so the lines' reading,
    which takes more of the region, is the one."""
    line = corrupt(sentence, chain, behaviour)
    assert line is not None and line.startswith(head)
    for other in (
        corrupt("영화는 잘만든 것 같은데 재미가 없음", "utf-8>euc-jp", "replace"),
        corrupt("找不到指定的模組，請重新安裝程式。", "big5>utf-8", "replace"),
    ):
        assert other is not None
        alone = cjkfix.repair(line)
        # (選 is restored, 78 and one of 81 8D 8F 90 9D; 自, 81 EA with 81 dropped, not)
        assert alone[1:] == sentence[1:] and alone[0] in (sentence[0], "\ufffd")
        for parts in ([other, line], [line, other]):
            out = cjkfix.repair("\n".join(parts))
            assert out.split("\n") == [cjkfix.repair(p) for p in parts]


def test_a_region_read_whole_never_joins_two_lines_of_other_texts() -> None:
    """A line that ends in bytes UTF-16 can read (``t^:`` is 瑞 and half a unit) above a
    UTF-16 line: the whole region read one more character than its lines did, and took
    the line break for a byte (``:\\n`` read as 㨊), two lines made one. A reading that
    joins lines by a unit of no text is never the region's; its lines read as alone."""
    line = corrupt("グループ化 を選択します。", "utf-16-be>cp1252", "whatwg")
    assert line is not None
    for other in ("t@CL [u]ser (x) 錠t^:", "设置 t^:"):
        for parts in ([other, line], [line, other]):
            out = cjkfix.repair("\n".join(parts))
            assert out.split("\n") == [cjkfix.repair(p) for p in parts]
    assert cjkfix.repair(line) == "グループ化 を選択します。"


@pytest.mark.parametrize(
    ("sentence", "chain", "behaviour", "want"),
    [
        # (《 is 30 0A in UTF-16BE: a unit of the text's own that holds a 0A byte)
        ("以《论语》而论，自五四之后就已经是被终结的经典。", "utf-16-be>cp1252", "whatwg", None),
        # (脊 is 0A 81 in UTF-16LE; cp1252 has no 81: ``\n?``, a unit read as U+FFFD)
        (
            "佢見香港冇得讀脊醫，所以過咗美國讀。",
            "utf-16-le>cp1252",
            "qmark",
            "佢見香港冇得讀\ufffd醫，所以\ufffd咗美國讀。",
        ),
    ],
)
def test_a_unit_of_the_texts_own_that_holds_0a_is_read_whole(
    sentence: str, chain: str, behaviour: str, want: str | None
) -> None:
    """The bytes of a UTF-16 text may hold 0A inside a character: its line is read
    whole, the line break a byte of the character (a join of two lines is refused only
    where the unit is surely no text: a rare character or a sign)."""
    broken = corrupt(sentence, chain, behaviour)
    assert broken is not None and "\n" in broken
    assert cjkfix.repair(broken) == (want or sentence)


@pytest.mark.parametrize("chain", ["utf-16-be>cp1252", "utf-16-le>cp1252"])
@pytest.mark.parametrize(
    "sentence",
    [
        "프로젝트의 모든 종속성을 지정된 디렉터리에 공급합니다.",
        "青色の線は、マウスを使ってドラッグすることができます。",
    ],
)
def test_a_line_after_another_texts_line_reads_as_alone(chain: str, sentence: str) -> None:
    """UTF-16 read as cp1252 with its undefined bytes dropped, after a line of another
    chain's mojibake that ends in a Latin-1 letter (``Ü``): the region of bytes 00-FF
    runs across the line break, and the unit ``Ü\\n`` (a low surrogate) was taken for a
    turn of the alignment before the UTF-16 line, which then began with a U+FFFD. A
    line break with no NUL byte beside it is the reader's, not UTF-16's (0A 00): no run
    or turn crosses it, and the line comes back as it does alone."""
    before = corrupt("编辑器的活动：", "utf-8>cp437", "strict")
    line = corrupt(sentence, chain, "drop")
    assert before is not None and before.endswith("Ü") and line is not None
    alone = cjkfix.repair(line)
    assert alone != line
    assert cjkfix.repair(f"{before}\n{line}").split("\n")[1] == alone


def test_a_turn_at_a_lines_end_keeps_to_its_line() -> None:
    """The same at a line's end: 进 lost a byte (DB 8F, cp1252 has no 8F), and the
    alignment turned before 。; the stretch after the turn (an orphan and a unit: two
    U+FFFD) ends at the line break, not at the next line's ``(``: one U+FFFD fewer."""
    line = corrupt("柏杨耗心力的佳作，只是书的质量一般，盼能改进。", "utf-16-le>cp1252", "drop")
    assert line is not None
    alone = cjkfix.repair(line)
    assert alone.endswith("改\ufffd\ufffd")
    assert cjkfix.repair(f"{line}\n(注)").split("\n")[0] == alone


def test_kana_read_at_both_alignments_is_no_rival_of_the_longer_reading() -> None:
    """リンクとして挿入 in UTF-16-BE read as cp1252 inside Japanese text: kana are 30 xx,
    so big-endian from the first byte and little-endian from the next read the same
    units (リンクとし) until 挿入. That reading is part of this one, not a rival that
    leaves the span uncertain."""
    before, span, after = "エイリアスです。 ", "リンクとして挿入", " interleave は正の数値"
    broken = before + span.encode("utf-16-be").decode("cp1252") + after
    assert "0ê0ó0¯0h0W0fc?Qe" in broken
    assert cjkfix.repair(broken) == before + span + after
    # (not kana of printable bytes as evidence of their own: counted beside one unit
    # that shows a byte beyond ASCII, they read ``v1.0.0 résumé`` as UTF-16 (``.0`` is
    # 〮), and made runs of junk at other alignments that left a paragraph read whole
    # otherwise than alone, below; 番号に続く空白 in UTF-16-LE, ``ju÷Sk0š}O0zz}v``, two
    # such units among seven, stays as it is)
    for clean in ("k0O0 a0 ok0 test", "Größe k0O0g0 über", "v1.0.0 résumé 日本語です。"):
        assert cjkfix.repair(clean) == clean
    parts = [
        "今天天气很好，我们去公园散步吧。\n\n",
        "¡O<ho0¥\x001\x00,\x009\x008\x000\x00\x08ÿ\x0ez¼\tÿg0Y0\x020",
        "\r\n\r\n",
    ]
    alone = cjkfix.repair(parts[0]) + cjkfix.repair(parts[1]) + parts[2]
    assert cjkfix.repair("".join(parts)) == alone


def test_a_spans_neighbouring_punctuation_and_spaces_are_the_texts_own() -> None:
    """我幾乎釣到了魚。 in UTF-16-LE read as cp1252 between clean text. Before it, ``… ``:
    the ellipsis (cp1252 85) is the text's own, not a byte of a unit that turns the
    alignment (the span was left as it was). After it, `` ”``: a space and a quote
    make the unit 94 20, 鐠, a character no language has seen; the space is the text's
    own, and the quote stays (it was read as 鐠: an invented character)."""
    span = "我幾乎釣到了魚。".encode("utf-16-le").decode("cp1252")
    assert cjkfix.repair(f"因為地產市道低迷呢… {span} 莎莉在車站遇見了哈利。") == (
        "因為地產市道低迷呢… 我幾乎釣到了魚。 莎莉在車站遇見了哈利。"
    )
    out = cjkfix.repair(f"他说“ {span} ”")
    assert out == "他说“ 我幾乎釣到了魚。 ”"


def test_a_character_guessed_for_a_lost_byte_never_joins_a_line_to_the_one_before() -> None:
    """The line before ends in bytes a WHATWG decoder lost (``\\x80\\ufffd``): read with
    the line break as one UTF-16 region, its last unit, a lost byte and 80, was read as
    肝, a guess that counted as text read and joined the two lines."""
    other = corrupt(
        "替朋友买的，这个的设计很方便，外观不落俗套，主要性价比值的了。",
        "utf-8>shift_jis",
        "whatwg",
    )
    line = corrupt("複素数の引数 (偏角) を返します。", "utf-16-le>latin-1", "strict")
    assert other is not None and line is not None and "\n" not in other + line
    assert other.endswith("\x80\ufffd")
    out = cjkfix.repair(other + "\n" + line)
    assert out.split("\n") == [cjkfix.repair(other), cjkfix.repair(line)]
    assert out.split("\n")[1] == "複素数の引数 (偏角) を返します。"
