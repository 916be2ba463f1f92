"""The mojibake engine's named rules (``cjkfix.mojibake.rules``), one at a time: for each,
a case where it applies and one where it does not; and the codec and chain rows the
engine's tables are derived from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cjkfix import codecs as cc
from cjkfix import detect, repair
from cjkfix.mojibake import tables
from cjkfix.mojibake.rules import RULES, applies
from cjkfix.mojibake.rules_engine import decoder_cover
from cjkfix.mojibake.tokens import _parse_utf8, _tokens, _Unit
from cjkfix.mojibake.verdict import _Candidate
from cjkfix.simulate import CHAINS, DECODERS, corrupt

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cjkfix" / "mojibake"


def cand(start: int, end: int, after: str, chain: list[str]) -> _Candidate:
    return _Candidate(start, end, after, chain, 5.0, -14.0, -7.0, "zh-Hans")


def units(run: str, codec: str) -> list[_Unit]:
    got = _tokens(run, codec)
    assert got is not None
    return _parse_utf8(got[0])


# --------------------------------------------------------------------------- the registry


def test_every_rule_the_engine_asks_is_registered_and_every_rule_is_asked() -> None:
    asked: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        asked.update(re.findall(r'applies\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    assert asked == set(RULES)


def test_each_rule_says_what_it_handles_and_where_it_is_asked() -> None:
    for name, rule in RULES.items():
        assert rule.name == name
        assert rule.symptom, name
        assert rule.stage in {"utf8", "legacy", "pairs", "search", "engine"}


def test_an_unknown_rule_is_an_error() -> None:
    with pytest.raises(KeyError):
        applies("no_such_rule", "x")


# --------------------------------------------------------------------------- UTF-8 spans


def test_lone_is_suspect() -> None:
    assert applies("lone_is_suspect", "銆")  # rare: 。 missing its last byte
    assert applies("lone_is_suspect", "銆?")  # a lost byte shown
    assert not applies("lone_is_suspect", "頁")  # common: itself, not a dropped byte


def test_heavy_loss() -> None:
    broken = corrupt("你好世界，今天天气很好", "utf-8>big5", "replace")
    assert broken is not None
    assert applies("heavy_loss", broken, units(broken, "big5"))
    assert not applies("heavy_loss", "浣犲ソ", units("浣犲ソ", "gbk"))


def test_salvaged() -> None:
    kept = [_Unit("good", "你", 0, 3), _Unit("lost", "\ufffd", 3, 6, [-1, -1, 0x80])]
    assert applies("salvaged", [*kept, _Unit("good", "好", 6, 9)], 0)
    # one character recovered is too little to read as text
    assert not applies("salvaged", kept, 0)


def test_may_hide_utf8() -> None:
    assert applies("may_hide_utf8", "浣犲ソ涓栫晫", "gbk")
    assert not applies("may_hide_utf8", "今天天气很好", "gbk")  # clean text: no UTF-8 in it


# --------------------------------------------------------------------------- legacy readings


def test_utf8_junk() -> None:
    assert applies("utf8_junk", "ï¿½ï¿½")  # two U+FFFD encoded twice
    assert not applies("utf8_junk", "ÖÐÎÄ×Ö·û")  # GBK read as latin-1: no UTF-8


def test_all_hangul() -> None:
    assert applies("all_hangul", "소리엘 사랑")
    assert not applies("all_hangul", "소리엘 中")
    assert not applies("all_hangul", "abc")


def test_sjis_may_have_dropped() -> None:
    japanese = {
        "shift_jis": ("テストですよろしくお願いします", 0, 0, ""),
        "gbk": ("儘僗僩偱偡", 0, 0, ""),
    }
    assert applies("sjis_may_have_dropped", japanese)
    # a fluent GBK reading, a Shift_JIS reading of half-width katakana: no Shift_JIS
    chinese = {"shift_jis": ("ﾃｽﾄﾃｽﾄ", 0, 0, ""), "gbk": ("中文字符测试", 0, 0, "")}
    assert not applies("sjis_may_have_dropped", chinese)


def test_dropped_evidence() -> None:
    dropped = corrupt("テストです。よろしくお願いします。", "shift_jis>cp1252", "drop")
    assert dropped is not None and applies("dropped_evidence", dropped)  # 。 left "B"
    kept = corrupt("ボタンを押してください", "shift_jis>cp1252", "strict")
    assert kept is not None and not applies("dropped_evidence", kept)


# --------------------------------------------------------------------------- legacy pairs


def test_fits_codec() -> None:
    assert applies("fits_codec", "こんにちは", "shift_jis", "ja")
    assert not applies("fits_codec", "ｱﾓ灸旁明", "shift_jis", "ja")  # half-width katakana
    assert applies("fits_codec", "中", "big5", None)
    assert not applies("fits_codec", "る", "big5", None)  # kana is no Big5 text


def test_fluent_throughout() -> None:
    assert applies("fluent_throughout", "今天天气很好我们去公园", "zh-Hans")
    assert not applies("fluent_throughout", "今天天气鍙嶅鏂扮増", "zh-Hans")
    # (GBK read as Big5 with a dropped byte: 出租车绕了半天才找到 out of step after 出租车;
    # the pieces 今天天气 很好出租 车屏税胩 觳耪业健 pass, the window 税胩觳耪 does not)
    assert not applies("fluent_throughout", "今天天气很好出租车屏税胩觳耪业健", "zh-Hans")
    # (a rare word across two pieces, 嘎吱嘎吱, is no garbage)
    text = "模具不精细，放硬盘位置的塑料盖一直嘎吱嘎吱响。"
    assert applies("fluent_throughout", text, "zh-Hans")


# --------------------------------------------------------------------------- choosing


def test_foreign_short() -> None:
    text = "这是一个测试縺用的句子"
    i = text.index("縺用")
    assert applies("foreign_short", text, cand(i, i + 2, "しp", ["utf-8", "gbk"]))
    assert not applies("foreign_short", "これは縺吶テスト", cand(3, 5, "しい", ["utf-8", "gbk"]))
    assert not applies("foreign_short", text, cand(i, i + 2, "中文字", ["utf-8", "gbk"]))


def test_utf8_explains() -> None:
    turkish = "HÄ±rsÄ±zÄ±"
    assert applies("utf8_explains", turkish, cand(0, len(turkish), "x", ["gbk", "latin-1"]))
    chinese = "ÖÐÎÄ×Ö·û"
    assert not applies("utf8_explains", chinese, cand(0, 8, "中文字符", ["gbk", "latin-1"]))
    # a UTF-8 reading is not "explained" away by itself
    assert not applies("utf8_explains", turkish, cand(0, 9, "Hırsızı", ["utf-8", "cp1252"]))


def test_rare_in_lossy() -> None:
    # a reading of a lossy span that brings in a character outside every language's
    # statistics (鼽): read out of step, not text
    assert applies("rare_in_lossy", "\u6485\ufffd", cand(0, 2, "鼽選", ["utf-8", "gbk"]))
    # the same reading without a loss is another rule's business
    assert not applies("rare_in_lossy", "\u6485\u6486", cand(0, 2, "鼽選", ["utf-8", "gbk"]))
    # common characters read from a lossy span
    assert not applies(
        "rare_in_lossy", "\u6d63\ufffd", cand(0, 2, "\u4f60\ufffd", ["utf-8", "gbk"])
    )


def test_another_decoder() -> None:
    # Korean read as GBK in three runs; one run in between read as GBK shown by Big5
    korean = [
        cand(0, 4, "타이머", ["utf-8", "gbk"]),
        cand(5, 8, "觊蒜是", ["gbk", "big5"]),
        cand(9, 15, "시그널이", ["utf-8", "gbk"]),
        cand(16, 19, "발생", ["utf-8", "gbk"]),
    ]
    assert applies("another_decoder", korean[1], *decoder_cover(korean))
    assert not any(applies("another_decoder", c, *decoder_cover(korean)) for c in korean[::2])
    # one run of each: no decoder is established
    assert not applies("another_decoder", korean[1], *decoder_cover(korean[:2]))
    # runs of two decoders that cover about as much: none is dropped
    even = [*korean[:2], cand(20, 25, "发生了", ["gbk", "big5"])]
    assert not applies("another_decoder", korean[1], *decoder_cover(even))
    # a single-byte decoder is not a double-byte decoder's rival
    latin = cand(20, 24, "中文", ["gbk", "latin-1"])
    assert not applies("another_decoder", latin, *decoder_cover([*korean, latin]))


def test_still_mojibake() -> None:
    # 使用信用卡 read as GBK twice: a reading of the outer layer alone is the inner layer
    inner = "浣跨敤淇＄敤鍗\ufffd"
    outer = "娴ｈ法鏁ゆ穱锛勬暏閸楋拷"
    assert applies("still_mojibake", outer, cand(0, len(outer), inner, ["utf-8", "gbk"]))
    assert not applies("still_mojibake", outer, cand(0, len(outer), "使用信用卡", ["utf-8", "gbk"]))
    # rare characters read right hold no UTF-8 in GBK
    numerals = "壹貳參肆伍陸柒捌玖零"
    assert not applies(
        "still_mojibake", "澹硅渤鍙冭倖浼嶉櫢鏌掓崒鐜栭浂", cand(0, 15, numerals, ["utf-8", "gbk"])
    )
    # box drawing read whole is no CJK mojibake
    assert not applies("still_mojibake", "鈹佲攣鈹佲攣", cand(0, 6, "━━━━", ["utf-8", "gbk"]))


def test_a_line_is_read_through_one_decoder() -> None:
    """The rule in the engine: the run between Korean read as GBK, which GBK shown by
    Big5 reads as Chinese, is read through GBK (with the bytes it dropped) or left."""
    out = repair("韮鞚措ǜ 膦呺岆 鞁滉犯雱愳澊 氚滌儩")
    assert out.startswith("타이머 ") and out.endswith(" 시그널이 발생")
    assert "觊" not in out


def test_only_signs() -> None:
    assert applies("only_signs", "±±±±±±")  # not 北北北
    assert applies("only_signs", "±±±±°C")  # not 控控蚓
    assert applies("only_signs", "±°C²±")
    assert not applies("only_signs", "¹þ¹þ¹þ¹þ")  # 哈哈哈哈 as latin-1
    assert not applies("only_signs", "¤¤¤å")  # 中文, Big5 as latin-1
    assert not applies("only_signs", "¤¤¤¤")  # いい, EUC-JP as latin-1


def test_evident() -> None:
    assert applies("evident", "ÖÐ", cand(0, 2, "中", ["gbk", "latin-1"]))
    assert not applies("evident", "甯波", cand(0, 2, "팔g", ["shift_jis", "gbk"]))  # ASCII appears
    assert not applies("evident", "é", cand(0, 1, "x", ["gbk", "latin-1"]))  # one character
    # nothing read beyond ASCII (found by Hypothesis: clean punctuation was reported)
    nothing = cand(0, 6, "\ufffd??\ufffd", ["shift_jis", "cp1252"])
    assert not applies("evident", "“????“", nothing)
    assert detect("“????“") == []
    # one character repeated is typing (found by Hypothesis: reported as EUC-KR)
    typed = cand(0, 6, "뱭뱭뱭", ["euc-kr", "cp1252"])
    assert not applies("evident", "““““““", typed)
    assert detect("““““““") == [] and detect("““@““““") == []
    assert applies("evident", "¤»¤»", cand(0, 4, "ㅋㅋ", ["euc-kr", "cp1252"]))


# --------------------------------------------------------------------------- the rows


def test_simulate_chains_are_the_chain_rows_in_order() -> None:
    assert list(CHAINS) == [c.name for c in cc.CHAINS]
    assert all(CHAINS[c.name] == c.steps for c in cc.CHAINS)


def test_a_chain_without_a_behaviour_gives_what_strict_gives() -> None:
    text = "中文字符，測試。"
    for chain in cc.CHAINS:
        strict = corrupt(text, chain.name, "strict")
        for behaviour in DECODERS:
            if behaviour not in chain.behaviours and strict is not None:
                assert corrupt(text, chain.name, behaviour) == strict, (chain.name, behaviour)


def test_lossy_chains_are_those_whose_trail_bytes_miss_utf8_continuations() -> None:
    # UTF-8 continuation bytes 80-BF that the wrong codec takes for no trail are lost
    by_structure = {
        c.name
        for c in cc.CODECS
        if c.kind == "double-byte" and not all(c.is_trail(b) for b in range(0x80, 0xC0))
    }
    assert tables.LOSSY_CODECS == by_structure == {"big5", "euc-jp", "euc-kr"}


def test_byte_structure_matches_the_python_codec() -> None:
    for codec in cc.CODECS:
        if codec.kind != "double-byte":
            continue
        for lead in range(0x81, 0x100):
            for trail in (0x41, 0x80, 0xA1, 0xC0):
                try:
                    out = bytes([lead, trail]).decode(codec.writer)
                except UnicodeDecodeError:
                    continue
                if len(out) == 1 and ord(out) > 0x7F and not 0xFF61 <= ord(out) <= 0xFF9F:
                    # a two-byte character: its bytes are a lead and a trail
                    assert codec.is_lead(lead) and codec.is_trail(trail), (codec.name, lead, trail)


def test_the_engine_orders_utf8_wrong_codecs_over_exactly_the_chain_rows() -> None:
    utf8_double = {
        c.wrong for c in cc.CHAINS if c.steps == (("utf-8", c.wrong),) and c.wrong in cc.LEGACY
    }
    assert sorted(tables._DOUBLE_BYTE) == sorted(utf8_double)


def test_language_maps_come_from_one_field() -> None:
    assert tables._WRITES["gbk"] == ("zh-Hans", "zh-Hant")
    assert "gbk" not in tables._ENCODING_LANG  # two languages: the model decides
    assert tables._COMMON_LANG == {"gbk": "zh-Hans", "big5": "zh-Hant", "shift_jis": "ja"}


def test_alphabetic_words() -> None:
    assert applies("alphabetic_words", "Привет мир")  # Cyrillic words: no legacy pair
    assert not applies("alphabetic_words", "笢恅")  # GBK read as Big5: Han


def test_glued_weak() -> None:
    weak = _Candidate(0, 1, "가", ["euc-kr", "cp1252"], 0.1, -10.0, -9.0, "ko", 0, 0, False)
    assert applies("glued_weak", "Ångström", 0, 1, weak)  # the word's own letter
    assert not applies("glued_weak", "x Å y", 2, 3, weak)  # not glued to a word
    strict = _Candidate(0, 1, "가", ["euc-kr", "cp1252"], 5.0, -10.0, -9.0, "ko")
    assert not applies("glued_weak", "Ångström", 0, 1, strict)


def test_nothing_read() -> None:
    lost = cand(0, 4, "\ufffd" * 4, ["shift_jis", "cp1252"])
    assert applies("nothing_read", "\xa0@\xa0\x91", lost)
    # a loss the text shows, a character read, UTF-8's own structure: not this rule's
    assert not applies("nothing_read", "\ufffd@\xa0\x91", lost)
    # ... but where what it shows beside its losses reads as text, nothing read is none
    # (``——`` between two characters lost: text, not two Shift_JIS characters)
    two = cand(0, 4, "\ufffd\ufffd", ["shift_jis", "cp1252"])
    assert applies("nothing_read", "\ufffd——\ufffd", two)
    assert repair("结果\ufffd——\ufffd的") == "结果\ufffd——\ufffd的"
    assert not applies("nothing_read", "\xa0@\xa0\x91", cand(0, 4, "\ufffd字", ["gbk", "cp1252"]))
    assert not applies("nothing_read", "ê°ê°", cand(0, 4, "\ufffd\ufffd", ["utf-8", "cp1252"]))
    # found by Hypothesis: the U+FFFD were read again as another decoder's losses
    text = "ó\x8e\ua9db\xa0@\xa0\x91"
    assert repair(repair(text)) == repair(text)
    # the ASCII left as it was is nothing read either (and a second call read each
    # U+FFFD with the letter after it as one lost character: found by Hypothesis)
    ascii_left = cand(0, 8, "\ufffdD\ufffdJ\ufffd@\ufffd\ufffd", ["shift_jis", "cp1252"])
    assert applies("nothing_read", "\x80D\xa0Jï@\x80´", ascii_left)
    assert not applies(
        "nothing_read", "\x80D\xa0Jï@\x80´", cand(0, 8, "\ufffdD字", ["gbk", "cp1252"])
    )
    text = "\x80D\xa0Jï@\x80´"
    assert repair(repair(text)) == repair(text)
    # one character read, five lost: little read (found by Hypothesis as well)
    little = cand(0, 10, "端\ufffdD\ufffdJ\ufffd@\ufffd\ufffd", ["shift_jis", "cp1252"])
    assert applies("nothing_read", "\x92[\x80D\xa0Jï@¸\x82", little)
    text = "\x92[\x80D\xa0Jï@¸\x82"
    assert repair(repair(text)) == repair(text)


def test_ftfy_confirms() -> None:
    star = _Candidate(0, 3, "★", ["utf-8", "cp1252"], 0.1, -10.0, -10.0, "zh-Hans", 0, 0, False)
    assert applies("ftfy_confirms", "â˜…", star)
    # Han characters are the model's to judge, not ftfy's
    han = _Candidate(0, 3, "中", ["utf-8", "cp1252"], 0.1, -10.0, -10.0, "zh-Hans", 0, 0, False)
    assert not applies("ftfy_confirms", "ä¸­", han)


def test_a_lead_alone_before_the_next_lead_lost_its_continuation_bytes() -> None:
    """cp1252's undefined bytes are all continuation bytes: ``å`` (E5) right before
    ``ã`` (E3) is a character that lost both (名 is E5 90 8D); a lost unit, not a cut."""
    from cjkfix.mojibake.tokens import lone_leads

    assert lone_leads("cp1252") and not lone_leads("gbk")
    tokens, _owner = _tokens("åˆ¥åã€‚", "cp1252") or ([], [])
    kinds = [u.kind for u in _parse_utf8(tokens, lone_leads=True)]
    assert kinds == ["good", "lost", "good"]
    assert "bad" in [u.kind for u in _parse_utf8(tokens)]


def test_leftover_counts_a_lead_left_alone_between_cjk_characters() -> None:
    from cjkfix import western

    assert western.leftover("一個別å。") == 1
    assert western.leftover("一個別å??。") == 1
    assert western.leftover("一個別\ufffd。") == 0
    # (not beside Latin letters, nor a sign between CJK words)
    assert western.leftover("café 咖啡") == 0
    assert western.leftover("长×宽") == 0


def test_all_hangul_needs_pairs_of_latin1_characters() -> None:
    # (``°C`` is cp949's 캜 only through an ASCII trail byte: a unit, not a syllable)
    assert not applies("all_hangul", "캜", "°C")
    assert applies("all_hangul", "소리엘", "¼Ò¸®¿¤")


def test_a_cp932_character_of_two_forms_takes_the_one_utf8_fits() -> None:
    """``∵`` is cp932's ``81 E6`` and ``87 9A``: inside ``謖∵怏`` (持有, ``E6 8C 81 E6 9C
    89`` read as Shift_JIS) only ``81 E6`` fits; ``87 9A`` would end 持 as 指 and leave
    ``9A`` alone. Elsewhere the usual form stays."""
    tokens, _owner = _tokens("謖∵怏", "shift_jis") or ([], [])
    assert bytes(tokens).decode("utf-8") == "持有"
    assert [u.text for u in _parse_utf8(tokens)] == ["持", "有"]
    assert _tokens("∵", "shift_jis") == ([0x87, 0x9A], [0, 0])


def test_a_gb18030_euro_sign_takes_the_form_utf8_fits() -> None:
    """``€`` is ``80`` to cp936 and WHATWG's GBK decoder and ``A2 E3`` to GB18030. In
    ``銈€偗`` (アク, ``E3 82 A2 | E3 82 AF`` read as GB18030) ``80`` would end ア as
    ``む`` and leave ``偗``'s ``82`` with nothing to continue; only ``A2 E3`` fits. A
    euro sign alone keeps the usual form."""
    tokens, _owner = _tokens("銈€偗銈汇偣", "gbk") or ([], [])
    assert bytes(tokens).decode("utf-8") == "アクセス"
    shown = "アクセス".encode().decode("gb18030")
    assert repair("インターネット" + shown) == "インターネットアクセス"
    assert _tokens("€", "gbk") == ([0x80], [0])


def test_an_at_sign_between_cjk_characters_is_a_dropped_ideographic_space() -> None:
    # (81 40 with its lead dropped; an address's "@" stands beside ASCII)
    assert applies("dropped_evidence", "•Û@ˆç@˜_")
    assert not applies("dropped_evidence", "info@example.com")


def test_lone_is_suspect_utf8_cut_short_in_a_cp1252_text() -> None:
    # (각각 with 81 dropped twice; only where the text shows cp1252's own characters:
    # Latin-1 with its C1 bytes lost leaves the same shapes)
    assert applies("lone_is_suspect", "ê°ê°", True)
    assert not applies("lone_is_suspect", "ê°ê°", False)
    # (one is enough: ``ã¨`` between spaces is と with 81 dropped; the reading is a weak
    # candidate, taken only where the chain is repaired elsewhere in the text)
    assert applies("lone_is_suspect", "ã¨", True)
    assert not applies("lone_is_suspect", "ã¨", False)
    assert not applies("lone_is_suspect", "é", True)  # (a two-byte lead: French, itself)


# --------------------------------------------------------------------------- katakana_word


def test_a_half_width_katakana_word_alone_is_the_texts_own() -> None:
    # (common words of the development corpus's Japanese, written half-width; GBK
    # read as Shift_JIS had made 棉袄 of ﾃﾞｰﾀ and 话兽按装 of ｻｰﾊﾞｰｴﾗｰ)
    for word in ("ﾃﾞｰﾀ", "ﾈｯﾄﾜｰｸ", "ｻｰﾊﾞｰｴﾗｰ", "ﾁｬﾝｸﾃﾞｰﾀ", "ｼｮｰ", "ﾍﾟｰｼﾞ"):
        assert applies("katakana_word", word), word
    # marks where Japanese never writes them, or no mark at all: no such evidence
    for run in (
        "ｰﾃﾞ",
        "ｱﾞｲ",
        "ｶﾟ",
        "ｯｰ",
        "ｧｨ",
        "ｶﾀｶﾅ",
        "ﾃﾞ1",
        "ｳ]ｩw",
        "ﾃｻﾓﾐﾓﾐﾐｧｵﾄｵﾘﾖｷ",
        "ﾆﾁﾄｻｳｬﾁﾁ",
        "ｵﾄｹｫﾔｿ",
    ):
        assert not applies("katakana_word", run), run


# --------------------------------------------------------------------------- stray_trail


def test_a_letter_left_alone_between_cjk_characters_is_a_stray_trail() -> None:
    assert applies("stray_trail", "我沒有髡o失望")
    # a letter at the end or beside ASCII, or none: a pair reading as it should
    for after in ("我沒有對她失望", "設定w", "版本 v2 發佈", "A股"):
        assert not applies("stray_trail", after), after


def test_a_letter_ending_a_closed_run_is_a_stray_trail() -> None:
    # (a run nothing can follow as a trail byte: the letter ends no ASCII word)
    assert applies("stray_trail", "設定w", True)
    assert not applies("stray_trail", "設定w", False)  # (``設定wizard``)
    assert not applies("stray_trail", "版本 v", True)  # (a space before it: a word)
    # Big5 保守的。 read as GBK, the leads A6 (of 守) and A1 (of 。) dropped: ``玂u骸C``;
    # 守的 read ``滿C``. The letter and the character before it are lost, not guessed.
    out = repair("璣瓣Hj砰W弧常琌玂u骸C")  # (英國人大體上說都是保守的。)
    assert out.startswith("英國") and "滿" not in out and "C" not in out, out


def test_a_run_of_u_fffd_cut_inside_a_character_is_read_but_for_the_cut_piece() -> None:
    # (a text cut inside the bytes of a U+FFFD read as cp1252, ``½ï¿½ï¿½``: the stray
    # ``½`` stays, the whole U+FFFD after it are read, as ftfy reads the run without it)
    from cjkfix import repair
    from cjkfix.mojibake.legacy import _utf8_whole

    assert _utf8_whole([0xBD, 0xEF, 0xBF, 0xBD]) == (1, 4)
    assert _utf8_whole([0xEF, 0xBF, 0xBD, 0xEF, 0xBF]) == (0, 3)
    assert _utf8_whole([0xE2, 0x86, 0x92]) == (0, 3)
    assert repair("½ï¿½ï¿½ï¿½") == "½\ufffd\ufffd\ufffd"
    assert repair("abc ½ï¿½ï¿½") == "abc ½\ufffd\ufffd"
    assert repair("½ ok") == "½ ok"


@pytest.mark.parametrize("other", ["ファイル名、関数名、行数のみ表示します。", "語ろ語 轟 襷 :"])
def test_the_text_around_a_run_is_on_its_own_line(other: str) -> None:
    """Big5 read as Shift_JIS is half-width katakana read as Han; kana in the text
    around it makes such a run weak (the katakana of a Japanese text). Kana on the line
    before or after is another record's: the run reads alike alone and beside it."""
    sentence = "你星期天幾點起床？幾點睡覺？"
    line = corrupt(sentence, "big5>shift_jis", "strict")
    assert line is not None and repair(line) == sentence
    assert repair(other + "\n" + line) == repair(other) + "\n" + sentence
    assert repair(line + "\n" + other) == sentence + "\n" + repair(other)
