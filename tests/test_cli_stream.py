"""The CLI reads a text as a stream of units (paragraphs): the cuts, the decoding, and
that streaming gives what the API gives."""

from __future__ import annotations

import contextlib
import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cjkfix
from casefiles import load_cases
from cjkfix.cli.io import InputError, read_units, split_units
from cjkfix.simulate import CHAINS, corrupt, narrow_gbk

SENTENCES = {k: v for k, v in load_cases("sentences.json").items() if not k.startswith("_")}


class Trickle(io.RawIOBase):
    """A binary stream that hands out its bytes in pieces of random sizes (a pipe)."""

    def __init__(self, data: bytes, seed: int) -> None:
        self.data, self.pos, self.rng = data, 0, random.Random(seed)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = self.rng.randint(1, 4096)
        piece = self.data[self.pos : self.pos + n]
        self.pos += len(piece)
        return piece


def units_of(text: str, seed: int, limit: int = 1 << 20, encoding: str = "utf-8") -> list[str]:
    stream = Trickle(text.encode(encoding), seed)
    return list(read_units(stream, "t", encoding, limit=limit))  # type: ignore[arg-type]


def test_a_text_up_to_the_limit_is_one_unit() -> None:
    assert split_units("a\nb\n\nc\r\n\r\nd", final=True) == (["a\nb\n\nc\r\n\r\nd"], "")


def test_units_are_whole_paragraphs_up_to_the_limit() -> None:
    text = "p1\n\np2\n\np3\r\n\r\np4\n"
    assert split_units(text, final=True, limit=9) == (["p1\n\np2\n\n", "p3\r\n\r\np4\n"], "")
    assert split_units(text, final=True, limit=8) == (["p1\n\np2\n\n", "p3\r\n\r\n", "p4\n"], "")


def test_a_long_paragraph_is_cut_at_line_ends_then_at_the_limit() -> None:
    assert split_units("aa\nbb\ncc\n", final=True, limit=6) == (["aa\nbb\n", "cc\n"], "")
    assert split_units("abcdefgh", final=True, limit=3) == (["abc", "def", "gh"], "")
    # no cut is made before the text shows it must be: the rest waits for more
    assert split_units("aa\nbb", final=False, limit=6) == ([], "aa\nbb")


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab中\n\r "), max_size=300),
    seed=st.integers(0, 1000),
    limit=st.sampled_from([4, 17, 1 << 20]),
)
def test_units_do_not_depend_on_how_the_bytes_arrive(text: str, seed: int, limit: int) -> None:
    units = units_of(text, seed, limit)
    assert "".join(units) == text
    assert units == split_units(text, final=True, limit=limit)[0]


def _damaged_paragraph(rng: random.Random, sentences: list[str]) -> str:
    lines = []
    for s in sentences:
        r = rng.random()
        if r < 0.6:
            chain = rng.choice(list(CHAINS))
            s = corrupt(s, chain, rng.choice(["strict", "replace", "qmark", "whatwg"])) or s
        elif r < 0.8:
            with contextlib.suppress(UnicodeEncodeError):  # (a character GBK lacks)
                s = narrow_gbk(s)
        elif r < 0.9 and s:
            s = s[0] + "(zhàn)" + s[1:]
        lines.append(s)
    return "\n".join(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), lang=st.sampled_from(sorted(SENTENCES)))
def test_streaming_equals_the_api_on_the_whole_text(seed: int, lang: str) -> None:
    """Damage anywhere, read in pieces of random sizes: a text up to the unit limit comes
    out of the CLI's reader and repair exactly as ``repair(whole_text)``."""
    rng = random.Random(seed)
    pool = SENTENCES[lang]
    paragraphs = [
        _damaged_paragraph(rng, [rng.choice(pool) for _ in range(rng.randint(1, 3))])
        for _ in range(rng.randint(1, 6))
    ]
    text = "\n\n".join(paragraphs) + rng.choice(["", "\n", "\n\n"])
    units = units_of(text, seed)
    assert len(units) == 1
    assert "".join(cjkfix.repair(u) for u in units) == cjkfix.repair(text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), lang=st.sampled_from(sorted(SENTENCES)))
def test_longer_texts_are_repaired_in_whole_paragraphs(seed: int, lang: str) -> None:
    """Past the limit (small here), units are whole paragraphs: with the damage in one
    paragraph, the result is still ``repair(whole_text)``."""
    rng = random.Random(seed)
    pool = SENTENCES[lang]
    paragraphs = [
        "\n".join(rng.choice(pool) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(2, 8))
    ]
    k = rng.randrange(len(paragraphs))
    paragraphs[k] = _damaged_paragraph(rng, paragraphs[k].split("\n"))
    text = "\n\n".join(paragraphs) + "\n"
    limit = max(len(p) for p in paragraphs) + 2 + rng.randint(0, 200)
    units = units_of(text, seed, limit)
    assert all(u.endswith("\n\n") for u in units[:-1])
    assert "".join(cjkfix.repair(u) for u in units) == cjkfix.repair(text)


def test_undecodable_byte_is_named_with_its_offset_past_the_first_block() -> None:
    data = ("中文\n\n" * 20_000).encode("gbk") + b"\xff\xfe"
    with pytest.raises(InputError, match=f"not gbk: byte 0xFF at offset {len(data) - 2}"):
        list(read_units(Trickle(data, 1), "f.txt", "gbk"))  # type: ignore[arg-type]
    # a character cut off at the end of the input
    with pytest.raises(InputError, match="byte 0xE4 at offset 6 \\(unexpected end of data\\)"):
        list(read_units(io.BytesIO("中文".encode() + b"\xe4\xb8"), "f.txt"))


def test_lone_surrogates_are_an_input_error_with_their_position() -> None:
    data = b"ok\n\nline +2AA-"  # UTF-7 can encode a lone surrogate (U+D800)
    with pytest.raises(InputError, match="lone surrogate U\\+D800 at line 3, column 6"):
        list(read_units(io.BytesIO(data), "f.txt", "utf-7"))
