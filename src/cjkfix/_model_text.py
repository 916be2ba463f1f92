"""Read the character model's text table (``data/charmodel.txt.gz``) into its values.

The text table is what ``tools/build_model.py`` writes from the word lists: per language,
unigram and within-word bigram statistics as whole tenths of a nat. :mod:`cjkfix.model`
does not read it at run time: ``tools/build_model_cache.py`` reads it with
:func:`tables` once and pickles the result (``data/charmodel.pickle.gz``), which loads
at C speed (parsing the text and interpolating every pair took most of the model's
first load, about 115 ms). ``tests/test_model.py`` checks that the pickle holds exactly
what :func:`tables` makes of the text table, float for float.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import math
import operator
import os

from cjkfix.model import _LAMBDA

__all__ = ["PATH", "digest", "tables"]

_LOG_LAM = math.log(_LAMBDA)
_LOG_REST = math.log(1 - _LAMBDA)

#: The text table shipped with the package.
PATH = os.path.join(os.path.dirname(__file__), "data", "charmodel.txt.gz")

Tables = dict[str, tuple[dict[str, float], dict[str, float]]]


def digest(path: str = PATH) -> str:
    """The sha256 of the text table file (the pickle records the one it was made from)."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tables(path: str = PATH) -> Tables:
    """Per language: the unigram table (``log P(ch)``) and the interpolated value of
    every stored pair of two known characters (see :func:`_pair_values`)."""
    with open(path, "rb") as f:
        raw = f.read()
    lines = gzip.decompress(raw).decode("utf-8").split("\n")
    lang = ""
    chars = ""
    joined = ""
    pairs: list[str] = []
    tenths: dict[str, dict[str, int]] = {}
    bigrams: dict[str, tuple[list[str], str, list[int]]] = {}
    uni: dict[str, dict[str, float]] = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        if key == "lang":
            lang = value
        elif key == "uni":
            chars = value
        elif key == "univ":
            ints = list(map(int, value.split(" ")))
            tenths[lang] = dict(zip(chars, ints, strict=True))
            uni[lang] = dict(zip(chars, [-v / 10 for v in ints], strict=True))
        elif key == "bi":
            joined = value
            pairs = list(map(operator.add, value[0::2], value[1::2]))
        elif key == "biv":
            # kept as tenths of a nat (ints) until the interpolation, below
            bigrams[lang] = (pairs, joined, list(map(int, value.split(" "))))
    return {
        name: (table, _pair_values(*bigrams.get(name, ([], "", [])), tenths[name]))
        for name, table in uni.items()
    }


def _interpolate(q: int, u: float) -> float:
    """``log(lam * e^b + (1 - lam) * e^u)`` for a bigram of ``q`` tenths, computed stably."""
    b = _LOG_LAM - 0.1 * q
    r = u + _LOG_REST
    if b >= r:
        return b + math.log1p(math.exp(r - b))
    return r + math.log1p(math.exp(b - r))


def _pair_values(
    pairs: list[str], joined: str, qs: list[int], tenths: dict[str, int]
) -> dict[str, float]:
    """The interpolated value of every stored pair of two known characters.

    ``joined`` is ``"".join(pairs)``. Both statistics are whole tenths of a nat, so there
    are few distinct (bigram, unigram) combinations: each is interpolated once.
    """
    if not set(joined).issubset(tenths):
        # (not in the shipped table) a pair with a character outside the unigram list
        # is never used: no bigram across an unknown character
        keep = [i for i, p in enumerate(pairs) if p[0] in tenths and p[1] in tenths]
        pairs = [pairs[i] for i in keep]
        qs = [qs[i] for i in keep]
        joined = "".join(pairs)
    if not pairs:
        return {}
    ts = list(map(tenths.__getitem__, joined[1::2]))
    # (q, t) as one int, without building a tuple per pair
    low = min(ts)
    width = max(ts) - low + 1
    codes = list(map(operator.add, map(operator.mul, qs, itertools.repeat(width)), ts))
    memo: dict[int, float] = {}
    for code in set(codes):
        q, r = divmod(code - low, width)
        memo[code] = _interpolate(q, -(r + low) / 10)
    return dict(zip(pairs, map(memo.__getitem__, codes), strict=True))
