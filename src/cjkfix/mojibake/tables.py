"""The engine's views of the codec and chain rows (:data:`cjkfix.codecs.CODECS`,
:data:`cjkfix.codecs.CHAINS`): every map here is derived from the rows.

Three codec -> language maps used to be kept by hand, and they differ on purpose; all
now come from one field, ``Codec.languages`` (main language first):

* ``_WRITES`` (every language written in it: GBK writes Simplified *and* Traditional
  Chinese) decides which chain a reading counts as native for;
* ``_ENCODING_LANG`` (the language a legacy decode is scored in) names only codecs that
  write one language; GBK text is scored in whichever script the model reads in it;
* ``_COMMON_LANG`` (whose frequent characters the legacy-pair gate looks for) and
  ``simulate.LANG_OF`` (what simulate samples) take the main language only.
"""

from __future__ import annotations

from cjkfix import codecs as cc

_DOUBLE = tuple(c for c in cc.CODECS if c.kind == "double-byte")

#: Wrong codecs of chains with the ``lossy_posterior`` override (UTF-8 read as Big5,
#: EUC-JP or EUC-KR: only a near-certain lost character is restored).
LOSSY_CODECS = frozenset(
    c.wrong for c in cc.CHAINS if c.original == "utf-8" and "lossy_posterior" in c.overrides
)

#: (original, wrong) pairs of double-byte codecs, in the order they are tried.
_LEGACY_PAIRS = cc.LEGACY_PAIRS

_PY_CODECS = cc.GATE_CODECS

_ENCODING_LANG = {c.name: c.languages[0] for c in _DOUBLE if len(c.languages) == 1}

#: Legacy pairs: the Python codec each double-byte encoding is read and written with.
_LEGACY_PY = cc.LEGACY_PAIR_CODECS

#: The language whose most frequent characters, mis-decoded, the gate looks for.
_COMMON_LANG = {c.name: c.languages[0] for c in _DOUBLE if c.pair_views}

#: The wrong codecs UTF-8 is read through, in the order the engine tries them (a codec
#: that explains nearly a whole run stops the others, so the order matters). It is not
#: the rows' order (Shift_JIS comes before Big5 here): kept as tuned.
_DOUBLE_BYTE = ("gbk", "shift_jis", "big5", "euc-kr", "euc-jp")

#: The languages each legacy encoding writes (UTF-8 writes all of them).
_WRITES: dict[str, tuple[str, ...]] = {c.name: c.languages for c in _DOUBLE}

_SINGLE_BYTE = frozenset(c.name for c in cc.CODECS if c.kind == "single-byte")
