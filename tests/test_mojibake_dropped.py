"""Double-byte text read with another double-byte codec by a decoder that drops what it
cannot read (:mod:`cjkfix.mojibake.dropped`): the bytes put back where the model pins
them down, U+FFFD where it does not, never a character made of bytes out of step.

The sentences are the project's own (tests/cases/sentences.json); the corruptions come
from :mod:`cjkfix.simulate` (Python's ``errors="ignore"``).
"""

from __future__ import annotations

import pytest

from casefiles import load_cases
from cjkfix import repair
from cjkfix.mojibake import dropped
from cjkfix.simulate import LANG_OF, corrupt

SENTENCES = load_cases("sentences.json")


def _kept(out: str, original: str) -> bool:
    return len(out) == len(original) and all(
        a == b or a == "\ufffd" for a, b in zip(out, original, strict=True)
    )


def _outcomes(chain: str) -> tuple[int, int, int]:
    """(kept, invented, total) over the sentences a dropping decoder damages."""
    kept = invented = total = 0
    for lang in LANG_OF[chain.split(">")[0]]:
        for sentence in SENTENCES.get(lang, []):
            broken = corrupt(sentence, chain, "drop")
            if broken is None or broken == corrupt(sentence, chain, "strict"):
                continue  # (nothing dropped)
            out = repair(broken)
            total += 1
            kept += _kept(out, sentence)
            invented += any(
                ch not in sentence and ch not in broken and ch != "\ufffd" for ch in out
            )
    return kept, invented, total


@pytest.mark.parametrize("chain", ["gbk>big5", "gbk>shift_jis", "big5>shift_jis"])
def test_dropped_bytes_are_put_back(chain: str) -> None:
    """Measured: kept 9 of 12, 19 of 19, 7 of 7, none invented (before the lattice: kept
    0, 0 and 2; invented 6, 6 and 3: the text after a dropped byte read out of step)."""
    kept, invented, total = _outcomes(chain)
    assert total >= 5
    assert kept * 4 >= total * 3
    assert invented == 0


@pytest.mark.parametrize("chain", ["big5>gbk", "shift_jis>big5"])
def test_dense_drops_hardly_invent(chain: str) -> None:
    """Where the wrong decoder drops most bytes (Big5 rejects Shift_JIS's leads 81-A0),
    little can be put back, and hardly anything is invented (measured: 1 of 30 and 0 of
    30; before the lattice, 3 and 0)."""
    _, invented, total = _outcomes(chain)
    assert total >= 5
    assert invented * 15 <= total


def test_drop_options_are_what_the_decoder_drops() -> None:
    """A byte is a place's option exactly where Python's decoder, ignoring errors, shows
    the same text with it as without it."""
    following = "侗".encode("cp950")
    options = set(dropped.drop_options("cp950", following))
    for x in range(0x80, 0x100):
        same = (bytes((x,)) + following).decode("cp950", "ignore") == "侗"
        assert (x in options) == same
    assert 0xC8 in options  # C8 CB is no Big5 pair: GBK's 人 lost its lead
    assert dropped.drop_options("cp950", b"") == tuple(  # (at the end, any lead alone)
        x for x in range(0x80, 0x100) if bytes((x,)).decode("cp950", "ignore") == ""
    )


def test_a_reading_out_of_script_is_none() -> None:
    """UTF-8 read as Big5 is no GBK text with bytes dropped, though the lattice finds a
    path: it is made of full-width letters and Cyrillic (``ｈу句更濂界``)."""
    assert dropped.read("閫敺銝憟賜", "gbk", "big5") is None


def test_clean_text_of_the_wrong_codec_is_no_reading() -> None:
    """Text that reads as it is (nothing out of step) puts no byte back."""
    assert dropped.read("我們上星期天看了一場電影", "gbk", "big5") is None


def test_a_run_broken_before_its_first_reading_is_read_as_dropped_bytes() -> None:
    """UTF-8 read by Windows' GBK decoder on a page that dropped its private-use
    characters (``pua-dropped``), with no bad lead, so no ``?``: ``の`` and ``は`` each
    lost a pair of GBK's user-defined area, and the run's first characters are out of
    step before what reads as UTF-8 (``明日銇│験``). The line is read again as a
    dropping decoder's, the pairs put back where they may have been dropped: the lost
    characters are U+FFFD, the rest exact (``銇│`` was left as it was)."""
    sentence = "明日の試験の準備はできましたか？"
    broken = corrupt(sentence, "utf-8>gbk", "pua-dropped")
    assert broken is not None and "?" not in broken
    out = repair(broken)
    assert _kept(out, sentence), out
    assert out.count("\ufffd") <= 2
