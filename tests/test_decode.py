"""cjkfix.decode, detect_encoding and repair_file: bytes and files to repaired text."""

from __future__ import annotations

import codecs
import dataclasses
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cjkfix
from casefiles import load_cases
from cjkfix.decode import Decoded, DecodeError, decode, detect_encoding, repair_file

SENTENCES = load_cases("sentences.json")
LEGACY = [
    ("zh-Hans", "gbk"),
    ("zh-Hans", "gb18030"),
    ("zh-Hant", "big5"),
    ("ja", "shift_jis"),
    ("ja", "euc_jp"),
    ("ko", "euc_kr"),
]
LATIN = [
    "Le café de la place ouvre à sept heures, même le dimanche.",
    "¿Dónde está la estación de autobuses más cercana?",
    "Die Straße vor unserem Haus wird nächste Woche gesperrt.",
    "Não se esqueça de levar o guarda-chuva, vai chover à tarde.",
]


def _sentences(lang: str, codec: str) -> list[str]:
    out = []
    for s in SENTENCES[lang]:
        try:
            s.encode(codec)
        except UnicodeEncodeError:
            continue
        out.append(s)
    return out


# ------------------------------------------------------------------ BOM and UTF-8


def test_utf8_bom_is_stripped() -> None:
    d = decode(codecs.BOM_UTF8 + "今天天气很好".encode())
    assert d == Decoded("今天天气很好", "utf-8-sig", 1.0, False)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_boms_decide_and_are_stripped(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text = "오늘 날씨가 좋네요 ok"
    d = decode(bom + text.encode(codec))
    assert (d.text, d.encoding, d.confidence) == (text, "utf-16", 1.0)


def test_a_bom_wins_over_what_the_bytes_look_like() -> None:
    # ASCII after a UTF-16 LE BOM: read as UTF-16, not as UTF-8 with junk in front
    assert decode(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le")).text == "ab"


def test_strict_utf8_first() -> None:
    # valid UTF-8 that GBK also reads (as mojibake): UTF-8 decides
    data = "你好".encode()
    assert data.decode("gbk")  # the trap: it decodes
    assert decode(data) == Decoded("你好", "utf-8", 0.99, False)


def test_ascii_and_empty() -> None:
    assert decode(b"plain text") == Decoded("plain text", "utf-8", 1.0, False)
    assert decode(b"") == Decoded("", "utf-8", 1.0, False)
    assert decode(bytearray(b"ok")).text == "ok"  # type: ignore[arg-type]
    assert decode(memoryview(b"ok")).text == "ok"  # type: ignore[arg-type]


def test_clean_utf8_comes_back_unchanged() -> None:
    for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed"):
        for s in SENTENCES[lang]:
            d = decode(s.encode())
            assert (d.text, d.repaired) == (s, False)


# ------------------------------------------------------------------ the detector


@pytest.mark.parametrize(("lang", "codec"), LEGACY)
def test_each_cjk_codec_sentence_by_sentence(lang: str, codec: str) -> None:
    sentences = _sentences(lang, codec)
    assert len(sentences) >= 15
    for s in sentences:
        d = decode(s.encode(codec))
        assert d.text == s, (codec, s, d)
        assert s.encode(codec).decode(d.encoding) == s
        assert not d.repaired


@pytest.mark.parametrize(("lang", "codec"), LEGACY)
def test_each_cjk_codec_on_a_longer_text(lang: str, codec: str) -> None:
    text = "\n".join(_sentences(lang, codec))
    d = decode(text.encode(codec))
    assert d.text == text
    assert d.confidence > 0.9


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "ja", "ko", "mixed"])
def test_utf16_without_bom(lang: str, codec: str) -> None:
    text = "\n".join(SENTENCES[lang][:5])
    d = decode(text.encode(codec))
    assert (d.text, d.encoding) == (text, codec)


def test_cp1252() -> None:
    for s in LATIN:
        d = decode(s.encode("cp1252"))
        assert (d.text, d.encoding) == (s, "cp1252")


def test_detect_encoding_on_a_prefix_cut_inside_a_character() -> None:
    data = "\n".join(SENTENCES["ja"]).encode("shift_jis")
    for cut in (101, 102, 1001, 1002):
        name, confidence = detect_encoding(data[:cut])
        assert name == "shift_jis"
        assert 0.9 < confidence <= 1.0


def test_detect_encoding_looks_at_a_bounded_sample() -> None:
    # 2 MB: valid GBK for 64 kB, then a byte GBK cannot read; the sample decides
    data = "\n".join(SENTENCES["zh-Hans"]).encode("gbk") * 1200
    assert len(data) > 1_000_000
    assert detect_encoding(data + b"\xff") == detect_encoding(data[: 64 * 1024])


def test_a_long_ascii_start_does_not_decide() -> None:
    # 100 kB of ASCII, then GBK: the detector looks at the first line that is not ASCII
    text = "x = 1\n" * 20_000 + "\n".join(SENTENCES["zh-Hans"])
    data = text.encode("gbk")
    assert data[: 64 * 1024].isascii()
    assert decode(data) == Decoded(text, "gbk", 1.0, False)
    assert "".join(repair_file(io.BytesIO(data), chunk_size=999)) == text


def test_a_wider_codec_of_the_family_reads_what_the_sample_did_not_show() -> None:
    # 64 kB that GBK reads, then a character only GB18030 has
    text = "\n".join(SENTENCES["zh-Hans"]) * 100 + "\n表情😀"
    data = text.encode("gb18030")
    assert detect_encoding(data) == ("gbk", 1.0)
    assert decode(data) == Decoded(text, "gb18030", 1.0, False)
    assert "".join(repair_file(io.BytesIO(data), chunk_size=4096)) == text


def test_undecodable_everywhere_falls_back_to_latin1_and_loses_nothing() -> None:
    data = bytes(range(256)) * 3
    d = decode(data)
    assert d.encoding == "latin-1"
    assert d.confidence == 0.0
    assert d.text.encode("latin-1") == data


def test_a_wrong_guess_between_cjk_codecs_is_repaired() -> None:
    # Shift_JIS bytes read as GBK are mojibake that repair undoes
    s = "今日はいい天気ですね。"
    wrong = s.encode("shift_jis").decode("gbk")
    assert wrong != s
    d = decode(s.encode("shift_jis"), encoding="gbk")
    assert d == Decoded(s, "gbk", 1.0, True)


def test_decode_repairs() -> None:
    d = decode("發(fā)展".encode())
    assert d == Decoded("發展", "utf-8", 0.99, True)


def test_decoded_is_frozen() -> None:
    d = decode(b"x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.text = "y"  # type: ignore[misc]


# ------------------------------------------------------------------ errors


def test_str_input_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"cjkfix\.repair"):
        decode("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="bytes"):
        decode(None)  # type: ignore[arg-type]


def test_repair_of_bytes_points_to_decode() -> None:
    with pytest.raises(TypeError, match=r"cjkfix\.decode\(data\)") as info:
        cjkfix.repair(b"\xc4\xe3\xba\xc3")  # type: ignore[arg-type]
    assert "None" not in str(info.value)
    assert "charset_normalizer" not in str(info.value)


def test_unknown_encoding_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="no-such-codec"):
        decode(b"x", encoding="no-such-codec")
    with pytest.raises(LookupError, match="no-such-codec"):
        repair_file(io.BytesIO(b"x"), encoding="no-such-codec")


@pytest.mark.parametrize("name", ["base64", "rot13", "hex", "zlib", "uu", "bz2"])
def test_non_text_codecs_are_rejected(name: str) -> None:
    with pytest.raises(LookupError, match="not a text encoding"):
        decode(b"aGVsbG8=", encoding=name)
    with pytest.raises(LookupError, match="not a text encoding"):
        repair_file(io.BytesIO(b"x"), encoding=name)


def test_undecodable_bytes_name_their_offset() -> None:
    with pytest.raises(DecodeError) as info:
        decode(b"abc\xffdef", encoding="utf-8")
    assert isinstance(info.value, UnicodeDecodeError)
    assert info.value.offset == 3
    assert "offset 3" in str(info.value)


def test_repair_file_names_the_offset_of_bad_bytes_far_into_the_file() -> None:
    good = "\n".join(SENTENCES["zh-Hans"]).encode("gbk")
    data = good * 80 + b"\x80\x80" + good  # 0x80 0x80 is not GBK
    offset = len(good) * 80
    assert offset > 64 * 1024
    for encoding in ("gbk", None):  # given, and detected on the first 64 kB
        with pytest.raises(DecodeError) as info:
            list(repair_file(io.BytesIO(data), encoding=encoding, chunk_size=1000))
        assert info.value.offset == offset, encoding
        assert f"offset {offset}" in str(info.value)


def test_repair_file_bad_bytes_split_across_reads() -> None:
    data = "好".encode() * 10 + b"\xe5\xa5" + b"x"  # a cut character, then ASCII
    for chunk in (1, 2, 3, 7):
        with pytest.raises(DecodeError) as info:
            list(repair_file(io.BytesIO(data), encoding="utf-8", chunk_size=chunk))
        assert info.value.offset == 30


def test_repair_file_truncated_last_character() -> None:
    data = "好".encode() * 10 + b"\xe5\xa5"
    with pytest.raises(DecodeError) as info:
        list(repair_file(io.BytesIO(data), encoding="utf-8"))
    assert info.value.offset == 30


# ------------------------------------------------------------------ repair_file

TEXT = "開源AI戰(zhàn)略\n\n今天天气很好。\n第二行\n\n\n浣犲ソ锛屼笘鐣屻€?\n\nend"


def test_repair_file_on_a_path(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    pieces = list(repair_file(path))
    assert "".join(pieces) == cjkfix.repair(TEXT)
    assert pieces[0] == "開源AI戰略\n\n"
    assert list(repair_file(str(path), encoding="gb18030")) == pieces


def test_repair_file_on_a_binary_file_object() -> None:
    pieces = list(repair_file(io.BytesIO(TEXT.encode("utf-8")), chunk_size=5))
    assert pieces == [
        "開源AI戰略\n\n",
        "今天天气很好。\n第二行\n\n\n",
        "你好，世界。\n\n",
        "end",
    ]


def test_repair_file_on_a_text_file_object() -> None:
    pieces = list(repair_file(io.StringIO(TEXT), chunk_size=3))
    assert "".join(pieces) == cjkfix.repair(TEXT)
    with pytest.raises(ValueError, match="binary"):
        list(repair_file(io.StringIO(TEXT), encoding="utf-8"))


def test_repair_file_strips_a_bom_and_passes_options() -> None:
    data = codecs.BOM_UTF8 + "發(fā)展".encode()
    assert list(repair_file(io.BytesIO(data))) == ["發展"]
    assert list(repair_file(io.BytesIO(data), ruby=False)) == ["發(fā)展"]
    assert list(repair_file(io.BytesIO(b""))) == []


def test_repair_file_rejects_what_is_not_a_file() -> None:
    with pytest.raises(TypeError, match="path or a file object"):
        repair_file(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"cjkfix\.decode"):
        repair_file(b"data")  # type: ignore[arg-type]


def test_module_examples() -> None:
    import doctest
    import importlib

    # (the package's attribute ``cjkfix.decode`` is the function; the module is here)
    module = importlib.import_module("cjkfix.decode")
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_repair_file_cuts_a_long_paragraph_at_line_ends() -> None:
    lines = [f"{i} 今天天气很好。" for i in range(50)]
    text = "\n".join(lines)
    pieces = list(repair_file(io.StringIO(text), block_chars=100))
    assert "".join(pieces) == text
    assert all(len(p) <= 100 and (p.endswith("\n") or p == pieces[-1]) for p in pieces)


def test_repair_file_cuts_a_line_without_line_ends_at_white_space_else_anywhere() -> None:
    spaced = " ".join(["今天天气很好。"] * 60)
    pieces = list(repair_file(io.StringIO(spaced), block_chars=50))
    assert "".join(pieces) == spaced
    assert all(p.endswith(" ") for p in pieces[:-1])
    solid = "今天天气很好。" * 60
    assert "".join(repair_file(io.StringIO(solid), block_chars=50)) == solid


@pytest.mark.parametrize(("lang", "codec"), [*LEGACY, ("ko", "utf-16-be"), ("ja", "utf-8")])
def test_repair_file_agrees_with_decode(lang: str, codec: str) -> None:
    text = "\n\n".join(_sentences(lang, codec))
    if codec.startswith("utf"):  # a ruby leak to repair (the legacy codecs lack ā)
        text += "\n\n發(fā)展"
    data = text.encode(codec)
    assert "".join(repair_file(io.BytesIO(data), chunk_size=10)) == decode(data).text


class _Endless(io.RawIOBase):
    """A binary file of ``size`` bytes of paragraphs, made on demand; counts what is read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.given = 0
        self.unit = "今天天气很好，我们去公园散步吧。\n\n".encode()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.given if n < 0 else min(n, self.size - self.given)
        start = self.given % len(self.unit)
        out = (self.unit * (n // len(self.unit) + 2))[start : start + n]
        self.given += n
        return out


def test_repair_file_reads_in_bounded_chunks() -> None:
    f = _Endless(5_000_000)
    pieces = repair_file(f, chunk_size=4096, block_chars=100_000)
    assert next(pieces) == "今天天气很好，我们去公园散步吧。\n\n"
    # a block of 100,000 characters (3 bytes each) and the 64 kB detection sample
    assert f.given < 400_000
    count = 1
    for piece in pieces:
        count += 1
        assert len(piece) == 18
    assert count * len(f.unit) == 5_000_000 // len(f.unit) * len(f.unit)


def test_repair_file_equals_repair_of_the_whole() -> None:
    cases = load_cases("ruby.json")["repair"][:20]
    text = "\n\n".join(c["in"] for c in cases)
    expected = cjkfix.repair(text)
    assert expected != text
    for block in (60, 200, 1 << 20):
        got = "".join(repair_file(io.BytesIO(text.encode()), chunk_size=7, block_chars=block))
        assert got == expected


_PARAGRAPHS = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed") for s in SENTENCES[lang]]
_PARAGRAPHS += [c["in"] for c in load_cases("ruby.json")["repair"][:10]]
_PARAGRAPHS += [
    c["broken"]
    for c in load_cases("mojibake.json")["cases"]
    if c["decoder"] == "strict" and c["chain"] == "utf-8>gbk"
][:10]
_LONGEST = max(len(p) for p in _PARAGRAPHS)


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(st.sampled_from(_PARAGRAPHS), min_size=1, max_size=12),
    separators=st.lists(st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\r\n\r\n"]), min_size=12),
    chunk_size=st.integers(1, 64),
    extra=st.integers(8, 400),
    codec=st.sampled_from(["utf-8", "gb18030", "utf-16-le"]),
    trailing=st.booleans(),
)
def test_repair_file_property(
    paragraphs: list[str],
    separators: list[str],
    chunk_size: int,
    extra: int,
    codec: str,
    trailing: bool,
) -> None:
    text = "".join(p + sep for p, sep in zip(paragraphs, separators, strict=False))
    if not trailing:
        text = text.rstrip()
    data = text.encode(codec)
    # blocks hold at least one paragraph and its separator: cut only at blank lines
    got = repair_file(
        io.BytesIO(data), encoding=codec, chunk_size=chunk_size, block_chars=_LONGEST + extra
    )
    assert "".join(got) == cjkfix.repair(text)
