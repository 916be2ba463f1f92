"""A cheap bound on what the lattice of :mod:`cjkfix.singlebyte_lattice` can read in a
run: could any path make a character that a reading counts (``solid`` or ``marks``)?

Every reading a paragraph accepts counts one (:func:`cjkfix.singlebyte.accept`), so a
run where none is possible is not read at all. On junk (stretches of U+FFFD, whose lost
bytes make characters of the row's codec but no CJK ones) the lattice's work, every lost
byte a choice and every language tried, made a megabyte cost a minute; the bound looks
at each character's bytes once (at C speed where no character of the run can begin a
counted one) and never says no where the lattice's best path would count one: it is
taken over every character the lattice could follow, pruned or not.
"""

from __future__ import annotations

import functools

from cjkfix.singlebyte_bytes import _char, char_lengths
from cjkfix.singlebyte_lattice import (
    MAX_RUN,
    Row,
    _reach,
    _specs,
    _tokens,
    is_mark,
    specs_where,
    table,
)

__all__ = ["may_count", "refused", "starters"]


@functools.lru_cache(maxsize=8192)
def _counts_at(row: Row, window: tuple[tuple[int, ...], ...]) -> bool:
    """Can a character that starts at ``window`` count for a reading as the lattice
    counts it (:func:`~cjkfix.singlebyte_lattice.repair_run`): CJK with two tokens or
    more (``solid``), or a mark of two tokens or more, no byte lost, each token one byte
    (``marks``)?"""
    from cjkfix import model

    lengths = char_lengths(row.original)
    # (a mark: every byte seen, one per token, so one byte string to try)
    first = window[0]
    n = lengths[first[0]] if len(first) == 1 else 0
    if 2 <= n <= len(window) and all(len(window[j]) == 1 for j in range(n)):
        data = bytes(window[j][0] for j in range(n))
        ch = _char(data, row.original)
        if 0x20 not in data[1:] and ch is not None and is_mark(ch):
            return True
    if row.original == "utf-8":
        # (CJK: only from leads and beginnings that some CJK character has; the
        # lattice's own list, grown from every printable beginning, is far longer)
        window = (tuple(b for b in first if _cjk_block(bytes((b,)))), *window[1:])
        specs = specs_where(row, window, _cjk_block)
    else:
        specs = _specs(row, window)
    return any(used >= 2 and model.is_cjk(text[0]) for used, text, _lost, _cost in specs)


@functools.lru_cache(maxsize=4096)
def _cjk_block(prefix: bytes) -> bool:
    """Does a CJK character (:data:`cjkfix.model.CJK_RANGES`) start with the UTF-8 bytes
    ``prefix`` (a lead, maybe with continuation bytes)?"""
    from cjkfix import model

    n = char_lengths("utf-8")[prefix[0]]
    if n < 2:
        return False
    cp = prefix[0] & (0x7F >> n)
    for b in prefix[1:]:
        cp = (cp << 6) | (b & 0x3F)
    rest = 6 * (n - len(prefix))
    lo, hi = cp << rest, ((cp + 1) << rest) - 1
    return any(a <= hi and lo <= b for a, b in model.CJK_RANGES)


def may_count(run: str, row: Row) -> bool:
    """Could the lattice (:func:`~cjkfix.singlebyte_lattice.repair_run`) read ``run``
    with a ``solid`` character or a ``marks`` one? Every reading a paragraph accepts has
    one (:func:`cjkfix.singlebyte.accept`); a run with none possible (U+FFFD alone, whose
    lost bytes make no CJK character in the row's codec) need not go through the
    lattice. A bound over every character the lattice could take (runs longer than
    :data:`~cjkfix.singlebyte_lattice.MAX_RUN` it does not read)."""
    if len(run) > MAX_RUN:
        return False
    begin = starters(row)
    if begin is not None and begin.isdisjoint(run):
        return False  # (no character of the run can begin one: at C speed)
    tokens = _tokens(run, row)
    if tokens is None:
        return False
    return any(
        _counts_at(row, tuple(tokens[i : i + _reach(row, tokens[i])]))
        for i in range(len(tokens))
        if begin is None or run[i] in begin
    )


def refused(run: str, row: Row) -> bool:
    """Is every reading of ``run`` through a row of UTF-8 refused by
    :func:`cjkfix.singlebyte.accept` (or is there none)? So where a byte can neither
    begin nor continue a character (C0, C1, F5-FF; a continuation byte first), and where
    a lead is followed by all its continuation bytes, seen: the lattice's every path
    reads that character (a path that put a lost byte in instead would have to begin a
    character with a continuation byte), as it is, sure, and a reading with a character
    that is neither CJK nor a mark is refused. GBK or EUC-KR text read as latin-1 has
    such bytes in most runs, and the lattice, where every C1 byte may have been lost,
    took long to find no reading. Found in one pass over the run's bytes, before it."""
    if row.original != "utf-8":
        return False
    tokens = _tokens(run, row)
    if tokens is None:
        return True  # (the lattice reads no run with a character the table lacks)
    lengths = char_lengths("utf-8")
    n = len(tokens)
    for i, token in enumerate(tokens):
        if len(token) != 1:
            continue
        b = token[0]
        size = lengths[b]
        if size == 0:
            if i == 0 or not 0x80 <= b <= 0xBF:
                return True
            continue
        if size == 1 or i + size > n:
            continue
        data = _BYTES[b]
        for j in range(i + 1, i + size):
            follow = tokens[j]
            if len(follow) != 1 or not 0x80 <= follow[0] <= 0xBF:
                break
            data += _BYTES[follow[0]]
        else:
            if not _forced_ok(data):
                return True
    return False


_BYTES = tuple(bytes((b,)) for b in range(256))


@functools.lru_cache(maxsize=8192)
def _forced_ok(data: bytes) -> bool:
    """Is the UTF-8 character ``data`` (all its bytes seen) one that a reading the
    paragraph accepts may hold: printable, and CJK, a mark or U+FFFD?"""
    from cjkfix.singlebyte_evidence import cjk_char

    ch = _char(data, "utf-8")
    return ch is not None and (ch == "\ufffd" or cjk_char(ch) or is_mark(ch))


@functools.cache
def _cjk_leads(codec: str) -> frozenset[int]:
    """Bytes that may lead a CJK character (:func:`cjkfix.model.is_cjk`) of ``codec``:
    in UTF-8, from :data:`cjkfix.model.CJK_RANGES`; in a legacy codec, every lead."""
    if codec == "utf-8":
        return frozenset(b for b in range(0xC0, 0x100) if _cjk_block(bytes((b,))))
    lengths = char_lengths(codec)
    return frozenset(b for b in range(256) if lengths[b] > 1)


@functools.cache
def starters(row: Row) -> frozenset[str] | None:
    """The characters of a run at which a character :func:`_counts_at` counts may begin
    (one of their bytes leads a CJK character, or their one byte leads a mark); None
    where any may (a lost lead byte may come before any of them)."""
    chars, lost = table(row)
    lengths = char_lengths(row.original)
    if row.original != "utf-8" and any(lengths[b] > 1 for b in lost if b != 0x20):
        return None
    leads = _cjk_leads(row.original)
    tokens = dict(chars)
    tokens["\ufffd"] = lost
    tokens["?"] = tuple(sorted({*lost, 0x3F}))
    return frozenset(
        ch
        for ch, bs in tokens.items()
        if any(b in leads for b in bs) or (len(bs) == 1 and lengths[bs[0]] > 1)
    )
