"""UTF-8 read as a double-byte codec by a decoder that lost what it could not read
(:mod:`cjkfix.mojibake.utf8_lost`): every reading of the bytes it shows searched whole,
a character kept where the bytes and the model pin it down, U+FFFD where they do not.

The sentences are the project's own (tests/cases/sentences.json); the corruptions come
from :mod:`cjkfix.simulate`.
"""

from __future__ import annotations

import pytest

from casefiles import load_cases
from cjkfix import repair
from cjkfix.mojibake import utf8_lines, utf8_lost
from cjkfix.simulate import corrupt

SENTENCES = load_cases("sentences.json")


def _kept(out: str, original: str) -> bool:
    return len(out) == len(original) and all(
        a == b or a == "\ufffd" for a, b in zip(out, original, strict=True)
    )


def _invented(out: str, original: str, broken: str) -> bool:
    return any(ch not in original and ch not in broken and ch != "\ufffd" for ch in out)


def _outcomes(chain: str, behaviour: str) -> tuple[int, int, int]:
    """(kept or exact, invented, total) over every sentence the chain damages."""
    kept = invented = total = 0
    for lang in ("zh-Hans", "zh-Hant", "ja", "ko"):
        for sentence in SENTENCES.get(lang, []):
            broken = corrupt(sentence, chain, behaviour)
            if broken is None or broken == sentence:
                continue
            out = repair(broken)
            total += 1
            kept += _kept(out, sentence)
            invented += _invented(out, sentence, broken)
    return kept, invented, total


@pytest.mark.parametrize(("chain", "share"), [("utf-8>big5", 0.2), ("utf-8>euc-kr", 0.3)])
def test_a_whatwg_decoders_losses_are_read_as_its_widths(chain: str, share: float) -> None:
    """A WHATWG decoder shows one U+FFFD for a lead and its bad trail, and for a byte
    that is no lead alone (Big5's 80); Python's, one per byte. A line shows only U+FFFD:
    it is read both ways, the likelier path kept (WHATWG's with
    :data:`~cjkfix.mojibake.utf8_lost.WHATWG_PRIOR` a U+FFFD). Measured (kept of 120):
    utf-8>big5 33, utf-8>euc-kr 43, utf-8>euc-jp 22, utf-8>gbk 120 (without the prior
    26, 35, 13 and 120); read as Python's alone, 9, 5, 4 and 112 (the U+FFFD counts were
    wrong: two bytes read as one)."""
    kept, invented, total = _outcomes(chain, "whatwg")
    assert total >= 100
    assert kept >= share * total
    assert invented <= 1


def test_a_whatwg_marker_before_a_byte_beyond_ascii_is_a_lead_and_its_trail() -> None:
    """The options of a U+FFFD under WHATWG's big5 before a character beyond ASCII: one
    byte only where it is no lead (80, FF), else a lead and the byte after it."""
    tokens = utf8_lost._tokens("\ufffd銝", "big5", "whatwg")
    assert tokens is not None
    one, two = tokens[0]
    assert one.data == (frozenset({0x80, 0xFF}),)
    assert 0x80 not in two.data[0] and 0xA4 in two.data[0]  # type: ignore[operator]
    assert utf8_lost._behaviours("\ufffd銝", "big5") == ("replace", "whatwg")
    assert utf8_lost._behaviours("\ufffdê", "cp1252") == ("replace",)


def test_an_eating_decoders_marks_are_read_as_lost_bytes() -> None:
    """UTF-8 read as cp932 by a Windows decoder that writes ``・`` for a bad lead and the
    byte it ate along (the ``eat`` behaviour of the chain table's ``utf-8>shift_jis``
    row): each mark is a lead and an eaten byte, an ASCII one a character lost of its
    own. Measured (kept of 120): 104, none invented; before the lattice read the marks,
    32, with 13 invented (``・`` read as its own bytes ``81 45``: ``必要`` as ``心E``)."""
    kept, invented, total = _outcomes("utf-8>shift_jis", "eat")
    assert total >= 100
    assert kept >= 0.8 * total
    assert invented == 0


def test_an_eating_decoders_mark_tells_its_behaviour() -> None:
    """``・`` is cp932's mark for what its Windows decoder ate; read through another
    codec, or beside U+FFFD or ``?``, it is a character, and the run shows another
    behaviour."""
    assert utf8_lost.behaviour_of("譛ｪ謖・ｮ夊", "shift_jis") == "eat"
    assert utf8_lost.behaviour_of("譛ｪ謖・ｮ夊", "gbk") == "drop"
    assert utf8_lost.behaviour_of("譛ｪ謖・ｮ\ufffd夊", "shift_jis") == "replace"
    options = utf8_lost._eat_options("cp932")
    leads = options[0].data[0]
    assert isinstance(leads, frozenset) and 0x81 in leads and 0x85 in leads
    assert 0xA1 not in leads  # (a half-width katakana alone: never a bad lead)
    eaten = {x for o in options for x in o.data[1]}  # type: ignore[union-attr]
    # (a space or a "<" after a lead is eaten; a line end or a control never is a
    # character of the line's text)
    assert 0x20 in eaten and 0x3C in eaten and not any(x < 0x20 for x in eaten)


@pytest.mark.parametrize("chain", ["utf-8>big5", "utf-8>euc-kr", "utf-8>euc-jp"])
@pytest.mark.parametrize(("behaviour", "share"), [("replace", 0.5), ("qmark", 0.2)])
def test_lossy_lines_are_read_whole(chain: str, behaviour: str, share: float) -> None:
    """Most characters are lost here (the wrong codec rejects most UTF-8 pairs); what
    its structure and the model pin down is kept, one U+FFFD for each character lost.
    Measured (kept of 120): 80, 73 and 61 with U+FFFD, 39, 26 and 33 with "?" (82, 74,
    62, 39, 27, 33 with lost characters restored at posterior 0.9, not 0.93); before
    the lattice 67, 60 and 41, and 0, 1 and 0 ("?" stayed as it was). At most two
    invented characters each."""
    kept, invented, total = _outcomes(chain, behaviour)
    assert total >= 100
    assert kept >= share * total
    assert invented <= 2


@pytest.mark.parametrize("chain", ["utf-8>gbk", "utf-8>shift_jis"])
def test_lines_a_dropping_decoder_left_are_read_whole(chain: str) -> None:
    """A decoder that drops what it cannot read shows no loss; where the engine found
    the chain in a line and left some of it, the line is read through the lattice with
    the dropped bytes as unknowns. Measured (kept of 120): 100 and 98, invented 0 and 3;
    before, 49 and 74, invented 1 and 6 (``安鍏ㄣ`` for 安全。 left half-repaired)."""
    kept, invented, total = _outcomes(chain, "drop")
    assert total >= 100
    assert kept >= 0.75 * total
    assert invented <= 4
    assert repair("4銆佽溅搴撲笉鑳界洿鎺ヤ笂鎴块棿锛岃侀氳繃澶у爞锛佷笉鏂逛究浣嗗畨鍏ㄣ") == (
        "4、车库不能直接上房间，�通过大堂！不方便但安全�"
    )


@pytest.mark.parametrize(
    ("behaviour", "share"), [("replace", 0.8), ("whatwg", 0.8), ("qmark", 0.75)]
)
def test_lines_read_as_utf8_twice_are_read_through_both_layers(
    behaviour: str, share: float
) -> None:
    """UTF-8 read as GBK, written as UTF-8 and read as GBK again, each time losing what
    GBK rejects: the outer layer read whole is mojibake (no model judges it), so it is
    read again through the lattice, and taken where that reads the whole of it. The
    outer layer is any text GBK shows (``鎮ㄧ‘瀹``: bopomofo and symbols among the Han).
    Measured (kept of 120): 111, 117 and 101, none invented (``qmark``: 31 while the
    inner layer read its "?" as the text's own, see the test below); with the outer
    layer held to CJK characters, 48, 47 and 13 (2, 3 and 0 invented); before the second
    reading, 4, 24 and 2 (most lines stayed as they were)."""
    kept, invented, total = _outcomes("utf-8>gbk>utf-8>gbk", behaviour)
    assert total >= 100
    assert kept >= share * total
    assert invented <= 1


def test_a_decoder_that_writes_question_marks_wrote_them_in_both_layers() -> None:
    """UTF-8 read as GBK by a decoder that writes "?" for what it cannot read, twice. The
    outer layer read whole shows its own losses as U+FFFD; its "?" are the inner
    decoder's, lost bytes too (read as the text's own "?", the inner layer was left
    unread). The "?" after the outer stretch are the inner layer's as well: the last
    bytes of its last character (here 。). A "?" that only ends a line is no such
    evidence: it may be the text's question mark."""
    original = "调用对话框，您可以在其中输入额外的设置。"
    broken = corrupt(original, "utf-8>gbk>utf-8>gbk", "qmark")
    assert broken is not None and broken.endswith("?")
    out = repair(broken)
    assert _kept(out, original)
    assert out.count("\ufffd") <= 4
    # (a decoder that dropped what it could not read: the "?" is the sentence's own,
    # and stays, not read as the lost bytes of the syllable before it, 했어�)
    question = corrupt("내일 시험 준비는 다 했어요?", "utf-8>gbk>utf-8>gbk", "drop")
    assert question is not None and question.endswith("?")
    assert repair(question).endswith("?")


def test_lost_characters_are_pinned_down_only_with_evidence() -> None:
    """这是一个问题 through GBK with U+FFFD: 一个问题 each lost its last byte. 问 is pinned
    down (这 shows the script); 一个 is not sure enough (一下, 一些 fit the bytes too),
    nor is 题, with a neighbour read whole on one side only. Alone, 一个问题 shows no
    script: 问 and 問 fit its bytes alike, and a lost character must be the same in both
    Chinese scripts, so none is restored."""
    got = utf8_lost.read("杩欐槸涓�涓�闂�棰�", "gbk")
    assert got is not None
    assert got.text == "这是��问�"
    assert (got.lost, got.restored) == (3, 1)
    alone = utf8_lost.read("涓�涓�闂�棰�", "gbk")
    assert alone is not None
    assert alone.text == "����"


def test_lost_neighbours_are_restored_together() -> None:
    """그는 매일 아침 일곱 시에 ... through Shift_JIS with U+FFFD: each syllable lost its
    lead byte, and none has a neighbour read whole; together (그는, 곱 시에) the model is
    sure."""
    broken = corrupt("그는 매일 아침 일곱 시에 일어나서 운동을 한다", "utf-8>shift_jis", "replace")
    assert broken is not None
    got = utf8_lost.read(broken, "shift_jis")
    assert got is not None
    assert got.text.startswith("그는 매")
    assert "곱 시에" in got.text


def test_a_line_reads_its_damage_and_keeps_its_clean_text() -> None:
    """A stretch of UTF-8 shown by Big5 with U+FFFD, inside clean Simplified Chinese
    that Big5 cannot encode: only the stretch is read, one U+FFFD per lost character."""
    damaged = corrupt("要撤消最后一个「自动更正」操作。", "utf-8>big5", "replace")
    assert damaged is not None
    line = "列出所有正在运行的进程： " + damaged + " 用于制作数学动画的视频"
    ((start, end, chain, got),) = utf8_lines.line_readings(line)
    assert chain == ("utf-8", "big5")
    assert line[:start] == "列出所有正在运行的进程： "
    assert line[end:] == " 用于制作数学动画的视频"
    assert _kept(got.text, "要撤消最后一个「自动更正」操作。")
    assert "个" in got.text


@pytest.mark.parametrize("behaviour", ["replace", "qmark"])
def test_a_line_of_losses_with_one_character_whole_keeps_its_count(behaviour: str) -> None:
    """程序的许可协议 (and 显示当前的 ARP 表：) through EUC-JP: no codec's bytes hold two
    characters of UTF-8 whole, one reads whole; each character is U+FFFD, in place
    (the one read whole too: one character is no proof of the cut), the ASCII kept."""
    for original in ("程序的许可协议", "显示当前的 ARP 表："):
        broken = corrupt(original, "utf-8>euc-jp", behaviour)
        assert broken is not None
        out = repair(broken)
        assert out != broken
        assert _kept(out, original)
        assert set(out) <= set(" ARP\ufffd")


@pytest.mark.parametrize("behaviour", ["replace", "whatwg"])
def test_hangul_of_no_character_whole_reads_as_its_count_of_lost_characters(
    behaviour: str,
) -> None:
    """早餐：相对比较单调。 through EUC-KR: no codec's bytes hold a character of UTF-8
    whole, and only EUC-KR shows the Hangul and hanja it made (``멨``, ``竊``), which
    read as no text: the line is its count of lost characters, not mojibake left."""
    original = "早餐：相对比较单调。"
    broken = corrupt(original, "utf-8>euc-kr", behaviour)
    assert broken is not None
    assert max(utf8_lines._whole(broken, c) for c in ("gbk", "big5", "euc-kr", "euc-jp")) == 0
    out = repair(broken)
    assert _kept(out, original)
    assert set(out) == {"\ufffd"}


def test_characters_that_read_as_text_are_no_line_of_losses() -> None:
    """Clean text with most of its characters lost (a lossy repair's output, or a page
    that lost them) keeps what it shows: ``水严`` and ``ルが`` read as text, so no
    stretch of the line is read as lost characters (each would be U+FFFD)."""
    for text in ("6�����水严��", "フ��ルが�初�保存��た��と���作成者�表示�れま��"):
        shown = utf8_lines._shown(text)
        assert not utf8_lines._garbled(shown)
        assert repair(text) == text
    assert utf8_lines._garbled(utf8_lines._shown("��⑶��竊���멨�방��渦����瘟����"))


def test_a_line_of_common_characters_is_not_searched_for_lost_ones() -> None:
    """The cheap test before the lattice: a line whose characters all weigh as common
    text in some language (junk of U+FFFD and common Han) has no garbled stretch, and
    one with rare characters may."""
    assert not utf8_lines._may_garble(utf8_lines._shown("�他���大个 是��的"))
    assert utf8_lines._may_garble(utf8_lines._shown("蝻箏?????閬??????唳?桀"))


@pytest.mark.parametrize(
    "text",
    [
        "%B: 前�モジュールとアーキテク�ャが一致し�せん",
        "これは�ディスク�シーク機能が�上した結果です。",
        "引数のリストの中に�る数値データの個数を返します。",
    ],
)
def test_clean_text_with_losses_here_and_there_is_no_line_of_losses(text: str) -> None:
    """Japanese with a character lost here and there (a lossy repair's output) reads
    with one character of UTF-8 whole through EUC-JP or Shift_JIS: too few marks."""
    assert utf8_lines.line_readings(text) == []
    assert repair(text) == text


def test_korean_through_big5_keeps_every_character_in_place() -> None:
    """그는 매일 아침 일곱 시에 일어나서 운동을 한다, through Big5 with U+FFFD: the
    syllables UTF-8 shows whole are read, one U+FFFD stands for each lost one."""
    original = "그는 매일 아침 일곱 시에 일어나서 운동을 한다"
    broken = corrupt(original, "utf-8>big5", "replace")
    assert broken is not None
    out = repair(broken)
    assert _kept(out, original)
    assert sum(ch != "\ufffd" and ch != " " for ch in out) >= 3


def test_a_guess_from_one_side_is_no_repair() -> None:
    """A lost character between spaces or at an edge is U+FFFD: the model would weigh it
    by its frequency alone (좀 became 종, 고급 became 고기)."""
    reading = utf8_lost.read(corrupt("건 좀 뻔한", "utf-8>gbk", "qmark") or "", "gbk")
    assert reading is not None
    assert "종" not in reading.text


@pytest.mark.parametrize(
    "text",
    [
        "這是一個測試�文字，請勿刪除。",  # Big5 text with a byte lost: no UTF-8 in it
        "我们的�市场很大",
        "그는 � 매일",
        "价格：100元？真的吗？",
        "這是?測試",
        "日本語のテキスト�です",
        "你好吗?我很好?谢谢!",
    ],
)
def test_clean_text_with_a_loss_is_no_line_reading(text: str) -> None:
    assert repair(text) == text


def test_a_reading_with_latin_letters_is_no_line_reading() -> None:
    """UTF-8 of CJK text has no Latin, Greek or Cyrillic letter: a reading with one
    (``ɑ``, ``Ӕ``: two-byte characters made of a lost lead) is no reading of a line."""
    assert not utf8_lost._cjk_only("��ɑ��ӔC")
    assert utf8_lost._cjk_only("要�个，「」")


@pytest.mark.parametrize(("behaviour", "share"), [("drop", 0.8), ("qmark", 0.9)])
def test_utf8_read_as_cp1252_twice_with_losses_reads_its_middle_layer(
    behaviour: str, share: float
) -> None:
    """The middle layer of UTF-8 read as cp1252 twice, where the outer decoder lost
    bytes, is text cp1252 made: a character it lost is the one cp1252 shows of those its
    bytes allow, else U+FFFD (``mojibake.utf8._middle``). Measured (kept of 120): 110
    and 118, 2 invented each (108 before a middle layer of mostly lost characters, none
    restored, was read; 72 and 114, 3 and 2, before the middle layer)."""
    kept, invented, total = _outcomes("utf-8>cp1252>utf-8>cp1252", behaviour)
    assert total >= 100
    assert kept >= share * total
    assert invented <= 2


def test_a_last_character_cut_short_by_a_dropping_decoder_is_lost_not_left() -> None:
    """UTF-8 read as GBK by a decoder that drops what it cannot read: the line's last
    character (。, E3 80 82) loses the bytes that pair into nothing, and what is left
    shows as ``銆``, or beside the character before it as ``瑁呫`` (装 E8 A3 85, then E3).
    After a reading of the same chain on the line, such a tail is read: its whole
    characters, and one U+FFFD for the character cut short (the line was left half
    repaired, ``动浣溿``). Alone, or after clean text, it stays: nothing shows the chain."""
    for original, cut in (
        (
            "对于目录来说，每个对应权限允许下列动作。",
            "对于目录来说，每个对应权限允许下列动作\ufffd",
        ),
        ("官网上的XP驱动也比较好装。", "官网上的XP驱动也比较好装\ufffd"),
    ):
        broken = corrupt(original, "utf-8>gbk", "drop")
        assert broken is not None and broken[-1] in "溿呫"
        assert repair(broken) == cut
    for clean in ("中文銆", "你好世界銆", "好的 銆", "瑁呫"):
        assert repair(clean) == clean
    # (a common character right after a reading is the text's own, though its bytes
    # are a lead and a continuation byte too: 於 is E1 B6)
    from cjkfix.mojibake import tails

    assert tails._tail("銆", "gbk") == "\ufffd"
    assert tails._tail("骞俱", "gbk") == "幾\ufffd"
    assert tails._tail("於", "gbk") is None
