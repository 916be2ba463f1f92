"""Keyword options behave exactly like the Config they stand for, however often they repeat.

Options are cached (one Config and one gate plan per set of options), so these tests pin
the behaviour the caches must not change: the same results as an explicit Config, and
the same errors on every call, not only the first.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest

import cjkfix
from cjkfix import Config
from cjkfix.config import FIXER_NAMES

_TEXTS = [
    "開源AI戰(zhàn)略。模型?!边@一表態",
    "你(nǐ)好(hǎo)，浣犲ソ涓栫晫锟斤拷",
    "今天天气很好，我们去公园散步吧。",
    "戰(zhàn)略",
]

_FIXER_SETS: list[dict[str, Any]] = [
    dict(zip(FIXER_NAMES, values, strict=True))
    for values in itertools.product([True, False], repeat=len(FIXER_NAMES))
]


@pytest.mark.parametrize("fixers", _FIXER_SETS, ids=lambda o: ",".join(k for k in o if o[k]))
def test_options_give_the_results_of_the_same_config(fixers: dict[str, Any]) -> None:
    config = Config(**fixers)
    for text in _TEXTS:
        expected = cjkfix.repair_and_explain(text, config=config)
        for _ in range(2):  # the second call is served from the caches
            assert cjkfix.repair_and_explain(text, **fixers) == expected
            assert cjkfix.repair(text, **fixers) == expected.text
            assert cjkfix.detect(text, **fixers) == cjkfix.detect(text, config=config)


def test_options_on_top_of_a_config_override_it() -> None:
    base = Config(ruby=False, keep_ruby_runs=True)
    for _ in range(2):
        assert cjkfix.repair("戰(zhàn)略", config=base) == "戰(zhàn)略"
        assert cjkfix.repair("戰(zhàn)略", config=base, ruby=True) == "戰略"
        assert cjkfix.repair("你(nǐ)好(hǎo)", config=base, ruby=True) == "你(nǐ)好(hǎo)"
        assert cjkfix.repair("你(nǐ)好(hǎo)", keep_ruby_runs=False) == "你好"


def test_to_as_option_equals_to_in_config() -> None:
    for _ in range(2):
        assert cjkfix.repair("戰(zhàn)略", to="zh-Hans") == "战略"
        assert cjkfix.repair("戰(zhàn)略", to="zh-Hans") == cjkfix.repair(
            "戰(zhàn)略", config=Config(to="zh-Hans")
        )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ruby": 1}, "True or False"),  # 1 == True as a cache key: must still be refused
        ({"ruby": 0.0}, "True or False"),
        ({"ruby": "no"}, "True or False"),
        ({"rubyy": False}, "valid options are"),
        ({"to": ["s2t"]}, "must be a str or None"),  # unhashable: cannot be a cache key
        ({"to": 5}, "must be a str or None"),
        ({"ruby": [True]}, "True or False"),
        ({"rubyy": [True]}, "valid options are"),
    ],
)
def test_bad_options_raise_on_every_call(options: dict[str, Any], message: str) -> None:
    cjkfix.repair("戰(zhàn)略", ruby=True)  # a valid equal key may already be cached
    for _ in range(2):
        with pytest.raises(TypeError, match=message):
            cjkfix.repair("戰(zhàn)略", **options)


def test_options_from_many_threads_agree() -> None:
    text = "開源AI戰(zhàn)略。模型?!边@一表態"
    off: dict[str, dict[str, Any]] = {name: {name: False} for name in FIXER_NAMES}
    expected = {name: cjkfix.repair(text, config=Config(**off[name])) for name in FIXER_NAMES}
    errors: list[str] = []

    def work(name: str) -> None:
        for _ in range(200):
            got = cjkfix.repair(text, **off[name])
            if got != expected[name]:
                errors.append(f"{name}: {got!r}")

    threads = [threading.Thread(target=work, args=(name,)) for name in FIXER_NAMES * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
