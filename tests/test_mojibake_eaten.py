"""Bytes a decoder ate (issue #10): a Windows decoder takes the byte after a bad lead
along, so an ASCII character after the damage disappears (tests/cases/eaten.json;
:mod:`cjkfix.mojibake.eaten`)."""

from __future__ import annotations

import itertools
import re

import pytest

from casefiles import load_cases
from cjkfix import codecs as cc
from cjkfix import repair
from cjkfix.simulate import CHAINS, DECODERS, corrupt, decode_wrongly

CASES = load_cases("eaten.json")
SENTENCES = load_cases("sentences.json")
ROUND_TRIP = "utf-8>shift_jis>shift_jis>utf-8"


def _kept(out: str, original: str) -> bool:
    """Equal but for U+FFFD, each standing for one to three characters (as
    benchmarks/realworld.py counts it)."""
    pattern = "".join(".{1,3}?" if ch == "\ufffd" else re.escape(ch) for ch in out)
    return re.fullmatch(pattern, original, re.S) is not None


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: repr(c["broken"])[:40])
def test_the_simulator_gives_the_broken_text(case: dict[str, str]) -> None:
    steps = CHAINS[case["chain"]]
    if len(steps) == 1:
        ((original, wrong),) = steps
        data = case["original"].encode(cc.CODEC[original].writer)
        assert decode_wrongly(data, wrong, case["decoder"]) == case["broken"]
    else:
        assert corrupt(case["original"], case["chain"], case["decoder"]) == case["broken"]


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: repr(c["broken"])[:40])
def test_eaten_bytes_are_read_back(case: dict[str, str]) -> None:
    out = repair(case["broken"])
    assert out == case["expected"]
    assert _kept(out, case["original"])
    assert repair(out) == out


@pytest.mark.parametrize("clean", CASES["must_not_change"])
def test_clean_text_is_left(clean: str) -> None:
    assert repair(clean) == clean


def test_the_rows() -> None:
    assert "eat" in DECODERS
    assert cc.CODEC["shift_jis"].default_char == "・" and cc.CODEC["gbk"].default_char == "?"
    assert CHAINS[ROUND_TRIP] == (("utf-8", "shift_jis"), ("shift_jis", "utf-8"))
    # a chain without the behaviour gives what strict gives; the round trip is then
    # the text itself
    assert corrupt("起動</span>", "utf-8>gbk", "eat") == corrupt(
        "起動</span>", "utf-8>gbk", "strict"
    )
    assert corrupt("日本 ok", ROUND_TRIP, "strict") == "日本 ok"
    assert corrupt("起動</span>", ROUND_TRIP, "strict") is None  # (a bad pair)


def test_the_decoder_eats_ascii_after_a_bad_lead() -> None:
    assert decode_wrongly(b"\x95<b", "shift_jis", "eat") == "・b"
    assert decode_wrongly(b"\x95<b", "shift_jis", "whatwg") == "\ufffd<b"
    assert decode_wrongly(b"\xb8\x1b[0m", "gbk", "eat") == "?[0m"  # (mj2-031's damage)
    assert decode_wrongly(b"\x95", "shift_jis", "eat") == "・"


def test_round_trip_damage_is_kept_and_invents_nothing() -> None:
    """The sentences through the round trip, an ASCII character put in a third or half of
    the way: a repair brings in no character that is in neither the original nor the
    broken text, and keeps most (measured: 390 of 720, none invented)."""
    originals = [
        sentence[: len(sentence) // part] + ascii_char + sentence[len(sentence) // part :]
        for lang in ("zh-Hans", "zh-Hant", "ja")
        for sentence in SENTENCES[lang]
        for part, ascii_char in itertools.product((3, 2), "<\n) ")
    ]
    kept, total = _round_trips(originals)
    assert total > 600 and kept * 2 > total


def test_a_line_of_thousands_of_places_is_not_quadratic() -> None:
    # Each place was scored with its whole line in four languages: 20,000 characters
    # took a minute. A guard against a hang, not a speed target.
    import time

    start = time.perf_counter()
    out = repair("起勁E" * 20_000)
    assert time.perf_counter() - start < 30
    assert len(out) <= 60_000


def test_round_trip_lines_with_lost_bytes_are_read_whole() -> None:
    """The round trip's last decoder replaced what it could not read (U+FFFD beside the
    marks): the line is read whole through the lattice, each ``E`` after a character
    ending in 81 or after a U+FFFD read as itself or as a lead and the byte it ate
    (:mod:`cjkfix.mojibake.utf8_back`). Measured (kept of 120 sentences): 81, none
    invented; 45 when the marks were read one by one (:mod:`cjkfix.mojibake.eaten`)."""
    originals = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko") for s in SENTENCES.get(lang, [])]
    kept, total = _round_trips(originals)
    assert total >= 100 and kept >= 0.6 * total


def _round_trips(originals: list[str]) -> tuple[int, int]:
    """Each of ``originals`` through the round trip and repaired: (kept, total) of those
    it damages; none may come back with a character in neither it nor the broken text."""
    total = kept = 0
    for original in originals:
        broken = corrupt(original, ROUND_TRIP, "eat")
        if broken is None or broken == original:
            continue
        out = repair(broken)
        total += 1
        kept += _kept(out, original)
        invented = {ch for ch in out if ch not in original and ch not in broken and ch != "\ufffd"}
        assert not invented, (original, broken, out)
    return kept, total


def test_the_marks_are_read_both_ways_in_one_token() -> None:
    """``栁E``: 栁 (E6 A0 81) and E, or E6 A0, a lead and the byte it ate: one token (the
    character before it an empty one, so that a stretch starts where 栁 does)."""
    from cjkfix.mojibake import utf8_back, utf8_lost

    assert utf8_back.mark_of("shift_jis") == b"\x81\x45"
    assert utf8_back.mark_of("gbk") is None  # (its default character is "?")
    tokens = utf8_lost._tokens("栁E", "utf-8", "replace")
    assert tokens is not None
    read = utf8_back.read_marks(tokens, "栁E", "shift_jis")
    assert read[0] == [utf8_lost.Option((), 0.0)]
    datas = [o.data for o in read[1]]
    assert (0xE6, 0xA0, 0x81, 0x45) in datas
    leads = [d[2] for d in datas if d[:2] == (0xE6, 0xA0) and isinstance(d[2], frozenset)]
    assert leads and all(0x81 in m and 0x85 in m for m in leads)  # type: ignore[operator]
