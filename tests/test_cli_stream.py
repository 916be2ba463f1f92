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
from cjkfix import pipeline
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


def units_of(text: str, seed: int, limit: int | None = None, encoding: str = "utf-8") -> list[str]:
    stream = Trickle(text.encode(encoding), seed)
    return list(read_units(stream, "t", encoding, limit=limit))  # type: ignore[arg-type]


def api_units(text: str, limit: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as m:
        m.setattr(pipeline, "MAX_UNIT", limit)
        return [text[a:b] for a, b in pipeline.units(text)]


def test_units_are_the_pipelines(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "p1\n\np2\n \n\t\np3\r\n\r\n  p4\nlong line here\n"
    assert split_units(text) == api_units(text, 1 << 20, monkeypatch)
    assert split_units(text) == ["p1\n\n", "p2\n \n\t\n", "p3\r\n\r\n", "  p4\nlong line here\n"]
    assert split_units(text, 8) == api_units(text, 8, monkeypatch)


def test_a_long_paragraph_is_cut_at_line_ends_then_at_the_limit() -> None:
    assert split_units("aa\nbb\ncc\n", 6) == ["aa\nbb\n", "cc\n"]
    assert split_units("abcdefgh", 3) == ["abc", "def", "gh"]


@settings(max_examples=300, deadline=None)
@given(
    # (and the characters a long line is cut at: pipeline.cut_point)
    text=st.text(alphabet=st.sampled_from("ab中\n\r \t?ï¿½"), max_size=300),
    seed=st.integers(0, 1000),
    limit=st.sampled_from([1, 2, 3, 5, 17, 1 << 20]),
)
def test_units_match_the_pipeline_however_the_bytes_arrive(
    text: str, seed: int, limit: int
) -> None:
    units = units_of(text, seed, limit)
    assert "".join(units) == text
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pipeline, "MAX_UNIT", limit)
        assert units == [text[a:b] for a, b in pipeline.units(text)]


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
    """Damage anywhere, read in pieces of random sizes: the CLI's units repaired one by
    one are exactly ``repair(whole_text)``."""
    rng = random.Random(seed)
    pool = SENTENCES[lang]
    paragraphs = [
        _damaged_paragraph(rng, [rng.choice(pool) for _ in range(rng.randint(1, 3))])
        for _ in range(rng.randint(1, 6))
    ]
    text = rng.choice(["\n\n", "\n \n", "\r\n\r\n"]).join(paragraphs) + rng.choice(
        ["", "\n", "\n\n"]
    )
    units = units_of(text, seed)
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
