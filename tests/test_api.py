from __future__ import annotations

import dataclasses

import pytest

import cjkfix
from cjkfix import Config


def test_clean_text_is_returned_as_is() -> None:
    text = "近日,《紐約時報》報道稱,Meta新成立的超級智能實驗室(Superintelligence Lab)正在討論。"
    assert cjkfix.repair(text) is text
    assert cjkfix.repair_and_explain(text) == (text, [])


def test_gate_loads_no_table_on_clean_text() -> None:
    from cjkfix import readings

    readings._table.cache_clear()
    cjkfix.repair("一段乾淨的中文，沒有任何問題。日本語もです。한국어도요.")
    assert readings._table.cache_info().currsize == 0


@pytest.mark.parametrize("bad", [b"\xe6\x88\xb0", bytearray(b"x"), 42, None, ["戰"]])
def test_non_str_input_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="takes text"):
        cjkfix.repair(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cjkfix.detect(bad)  # type: ignore[arg-type]


def test_bytes_error_says_how_to_decode() -> None:
    with pytest.raises(TypeError, match=r"decode\('utf-8'\)"):
        cjkfix.repair(b"abc")  # type: ignore[arg-type]


def test_unknown_option_names_valid_ones() -> None:
    with pytest.raises(TypeError, match="ruby") as e:
        cjkfix.repair("x", rubyy=False)
    assert "rubyy" in str(e.value)


def test_option_values_are_checked() -> None:
    with pytest.raises(TypeError, match="True or False"):
        cjkfix.repair("x", ruby="no")


def test_config_is_immutable_and_fields_are_keywords() -> None:
    config = Config(ruby=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.ruby = True  # type: ignore[misc]
    assert cjkfix.repair("戰(zhàn)略", config=config) == "戰(zhàn)略"
    assert cjkfix.repair("戰(zhàn)略", config=config, ruby=True) == "戰略"


def test_every_fixer_can_be_switched_off() -> None:
    damaged = "開源AI戰(zhàn)略。模型?!边@一表態"
    assert cjkfix.repair(damaged, ruby=False, narrowing=False) == damaged
    assert cjkfix.repair(damaged, ruby=False) == "開源AI戰(zhàn)略。模型。”這一表態"
    assert cjkfix.repair(damaged, narrowing=False) == "開源AI戰略。模型?!边@一表態"


def test_steps_map_to_input_positions_across_fixers() -> None:
    text = "戰(zhàn)略:模型?!边@一表態"
    fixed, steps = cjkfix.repair_and_explain(text)
    assert fixed == "戰略:模型。”這一表態"
    assert [s.fixer for s in steps] == ["narrowing", "ruby"]
    for s in steps:
        assert text[s.input_start : s.input_end] == s.before
    assert cjkfix.apply_plan(text, steps) == fixed


def test_apply_plan_refuses_a_different_text() -> None:
    _, steps = cjkfix.repair_and_explain("戰(zhàn)略")
    with pytest.raises(ValueError, match="expects"):
        cjkfix.apply_plan("略(lüè)戰", steps)


@pytest.mark.parametrize(
    "text",
    ["", "\x00", "\ud800戰(zhàn)", "\ue000\uf8ff", "?" * 10000, "?!" * 5000, "戰(" * 5000],
)
def test_odd_input_does_not_crash(text: str) -> None:
    fixed = cjkfix.repair(text)
    assert isinstance(fixed, str)
    assert cjkfix.repair(fixed) == fixed


@pytest.mark.parametrize(
    "unit", ["?好", "\ufffd好", "?!边@一", "戰(zhàn)", "模型?!边", "ï¿½ï¿½ abc ", "ÖÐÎÄ "]
)
def test_pathological_repeats_finish_quickly(unit: str) -> None:
    import time

    text = unit * (200_000 // len(unit))
    start = time.perf_counter()
    fixed = cjkfix.repair(text)
    # Generous: a hang or quadratic work would take minutes here.
    assert time.perf_counter() - start < 20
    assert len(fixed) <= len(text)


def test_lone_surrogates_pass_through_every_entry_point() -> None:
    # (a lone surrogate is invalid Unicode but a valid str: text decoded with
    # "surrogateescape" or built by hand carries them, and they must not crash anything)
    text = "中\ud800国的体验\udfff后"
    assert cjkfix.repair(text) == text
    assert cjkfix.convert(text, "s2t") == "中\ud800國的體驗\udfff後"
    assert cjkfix.repair(text, to="zh-Hant") == "中\ud800國的體驗\udfff後"
    assert isinstance(cjkfix.detect(text), list)
    assert isinstance(cjkfix.detect("蠅浣\ufffd３中語鍙ä.日\ud800Ð锛"), list)


def test_import_loads_no_lattice_and_compiles_no_large_pattern() -> None:
    """``import cjkfix`` stays cheap (issue 9: at most 50 ms, measured by
    benchmarks/throughput.py): the single-byte rows' lattices and the replacement
    lattice load on first need, and the patterns over large Unicode ranges compile on
    first use."""
    import subprocess
    import sys

    code = (
        "import sys, cjkfix\n"
        "from cjkfix import escapes, pipeline\n"
        "lazy = ('cjkfix.western', 'cjkfix.singlebyte', 'cjkfix.singlebyte_lattice',\n"
        "        'cjkfix.replacement_lattice')\n"
        "loaded = [m for m in lazy if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "assert all(p._compiled is None for p, _after in pipeline._CUTS)\n"
        "assert escapes._ANY._compiled is None\n"
        "assert cjkfix.repair('這一消息引發了業界的廣泛關注。') is not None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
