"""The ``锟斤拷`` variant of :mod:`cjkfix.replacement`: U+FFFD text written as UTF-8 and
read as GBK (``锟睫凤拷锟斤拷源锟侥硷拷``, 无法打开源文件).

Each run around ``锟`` is read back as the U+FFFD text it was (its GBK bytes decoded as
UTF-8), the paragraph is repaired as :mod:`cjkfix.replacement` repairs it, and a run's
reading is kept only where that repair leaves no junk letter in it.

A run of U+FFFD alone is read again (its count of lost characters) only on the evidence
of the paragraph's damaged stretches, so only when the reading of such a stretch is
kept: where every evidence stretch lies in a run whose reading is thrown away, the
paragraph's damage is not known after all. (Without this rule, a second repair read
the U+FFFD the first one wrote, ``锟叫筹拷`` -> ``\ufffd\ufffd`` for 列出, as raw decoder
output beside a 锟 run it could not read, and made one U+FFFD of them.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from cjkfix._lazyre import LazyRegex
from cjkfix.replacement import _repair, read
from cjkfix.replacement_stretches import _FFFD, _kind
from cjkfix.steps import Edit

__all__ = ["fix"]

# A run around 锟: ASCII inside it may have been read as a GBK trail byte (絊 is the BD
# of a U+FFFD with an S); a U+FFFD inside it (a pair GBK has no character for) cuts it,
# unless it is the BD of a U+FFFD cut off at the end (锟\ufffd).
_KUN_RUN = LazyRegex("(?:[^\\s\ufffd]|(?<=锟)\ufffd)*锟(?:[^\\s\ufffd]|(?<=锟)\ufffd)*")


def _gbk_bytes(run: str) -> list[bytes] | None:
    out: list[bytes] = []
    for ch in run:
        if ch == _FFFD:
            # a byte the GBK reader could not pair: the BD of a U+FFFD (EF BF BD)
            if not out or out[-1] != b"\xef\xbf":
                return None
            out.append(b"\xbd")
            continue
        try:
            out.append(ch.encode("gbk"))
        except UnicodeEncodeError:
            return None
    return out


def _unkun(run: str, reach: bool = False) -> tuple[int, int, str] | None:
    """The U+FFFD text a ``锟`` run was read from: (start, end in ``run``, text).
    ``reach``: from as far before its first marker as it reads."""
    pieces = _gbk_bytes(run)
    if pieces is None:
        return None
    first = run.index("锟")
    last = run.rindex("锟")
    # from the first marker (text before it whose GBK bytes happen to be UTF-8 too, 说
    # is CB B5 or ˵, stays as it is; see :func:`fix` for ``reach``) to as far as the
    # run reads (Ϊ read as GBK is 为: such a character is part of the run)
    for i in range(first + 1) if reach else range(first, -1, -1):
        for j in range(len(run), last, -1):
            try:
                t1 = b"".join(pieces[i:j]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if _FFFD in t1:
                return i, j, t1
    return None


def fix(text: str) -> list[Edit]:
    """The replacement fixer's edits for a text that holds ``锟``.

    Each run is read from its first marker; where the repair of the U+FFFD text takes
    characters before a run's first marker as damage too (``然锟斤拷``: 然 is C8 BB, the
    ``Ȼ`` of GBK bytes read as UTF-8, and left as it is it reads as junk), the run is
    read again from as far before its first marker as its bytes decode. Clean text
    before a marker (``说锟斤拷``) is not taken so, and stays as it is."""
    out, reach = _fix(text, frozenset())
    if reach:
        out, _reach = _fix(text, reach)
    return out


def _fix(text: str, reach: frozenset[int]) -> tuple[list[Edit], frozenset[int]]:
    """:func:`fix`, the runs that start at ``reach`` read from as far before their first
    marker as they read; and the runs whose text before the first marker the repair
    took as damage (read from the marker)."""
    # Read 锟 runs back as the U+FFFD text they were, repair that, and keep a run's
    # reading only where the repair leaves no junk letter in it.
    work: list[str] = []
    runs: list[tuple[int, int, int, int]] = []  # original start, end; work start, end
    before: list[tuple[int, int, int]] = []  # a run's start; its text before 锟 in work
    pos = 0
    wpos = 0
    for m in _KUN_RUN.finditer(text):
        got = _unkun(m.group(), m.start() in reach)
        if got is None:
            continue
        i, j, t1 = got
        a, b = m.start() + i, m.start() + j
        work.append(text[pos:a])
        wpos += a - pos
        if i and m.start() not in reach:
            before.append((m.start(), wpos - i, wpos))
        work.append(t1)
        runs.append((a, b, wpos, wpos + len(t1)))
        wpos += len(t1)
        pos = b
    if not runs:
        return _repair(text), frozenset()
    work.append(text[pos:])
    w = "".join(work)
    reading = read(w)
    edits = reading.edits
    taken = frozenset(
        start for start, lo, hi in before if any(e.start < hi and e.end > lo for e in edits)
    )

    def back(p: int) -> int:
        delta = 0
        for _a, b, wa, wb in runs:
            if p <= wa:
                break
            if p < wb:
                return b
            delta = b - wb
        return p + delta

    # group the run spans and edits (in work coordinates) that overlap
    spans = sorted(
        [(wa, wb, None) for _a, _b, wa, wb in runs] + [(e.start, e.end, e) for e in edits],
        key=lambda x: (x[0], x[1]),
    )
    out: list[Edit] = []
    alone: list[Edit] = []  # kept groups that only read runs of U+FFFD alone
    group: list[tuple[int, int, Edit | None]] = []
    for span in [*spans, (len(w) + 1, len(w) + 1, None)]:
        if group and span[0] >= max(g[1] for g in group):
            kept = _group_edit(w, group, back)
            if all(g[2] is None or g[2].start in reading.secondary for g in group):
                alone.extend(kept)
            else:
                out.extend(kept)
            group = []
        group.append(span)
    if out:
        # (an evidence reading is kept: the runs of U+FFFD alone are read on it)
        out = sorted([*out, *alone], key=lambda e: e.start)
    return [e for e in out if e.start < len(text)], taken


def _group_edit(
    w: str, group: list[tuple[int, int, Edit | None]], back: Callable[[int], int]
) -> list[Edit]:
    start = min(g[0] for g in group)
    end = max(g[1] for g in group)
    pieces: list[str] = []
    pos = start
    chosen: list[Edit] = []
    for _a, _b, e in sorted((g for g in group if g[2] is not None), key=lambda g: g[0]):
        assert e is not None
        pieces.append(w[pos : e.start])
        pieces.append(e.after)
        pos = e.end
        chosen.append(e)
    pieces.append(w[pos:end])
    after = "".join(pieces)
    if chosen and all(g[2] is not None for g in group):
        # (no 锟 run here: the stretches of a line of plain U+FFFD damage beside the
        # runs, read as they are alone, junk left or not)
        return [dataclasses.replace(e, start=back(e.start), end=back(e.end)) for e in chosen]
    if not chosen or any(_kind(ch) == "J" for ch in after):
        # junk left, or nothing but U+FFFD: the run stays as it was (the loss markers
        # fixer reads plain 锟斤拷)
        return []
    ev = dict(chosen[0].evidence)
    ev["chain"] = [*ev["chain"], "utf-8", "gbk"]
    return [
        Edit(
            back(start),
            back(end),
            after,
            reason="U+FFFD text written as utf-8 and read as gbk (锟斤拷), " + chosen[0].reason,
            confidence=chosen[0].confidence,
            evidence=ev,
        )
    ]
