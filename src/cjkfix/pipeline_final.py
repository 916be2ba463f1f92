"""What the pipeline remembers of the U+FFFD that stages wrote for good, so that no other
stage reads them as damage of its own (see :func:`cjkfix.pipeline._pass`)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from cjkfix.steps import Edit

#: The stages whose U+FFFD another stage may read as part of its damage: the loss
#: markers fixer turns a ``锟斤拷`` into the U+FFFD it stands for, which the replacement
#: fixer then reads with the rest of its run.
_REREAD = frozenset({"loss_markers"})
#: The stages whose U+FFFD each stand for one character already counted, which the stage
#: itself does not read again either: the replacement fixer reads a run of U+FFFD as
#: lost bytes, one to three a character, and on a later pass (after the loss markers
#: fixer changed another line of the unit) read its own ``����`` for 아따맘마 as two.
_COUNTED = frozenset({"replacement"})


def _not_rereading(edits: list[Edit], final: list[tuple[int, str]], name: str) -> list[Edit]:
    """``edits`` (of the stage ``name``) but those that would take a U+FFFD another
    stage wrote for a lost character (``final``: offsets and writers) as damage of their
    own: in a later pass the narrowing fixer read the mojibake fixer's U+FFFD as lost
    GBK bytes and filled them with invented characters. What a repair wrote as lost
    stays lost to the other stages' damage models; its own stage may still read it with
    what the pass revealed around it (a place where a decoder ate a byte, left as
    ``\ufffdE``, once the rest of its run is read), unless its U+FFFD are counted
    characters (:data:`_COUNTED`)."""
    if not final or not edits:
        return edits
    offsets = [p for p, writer in final if writer != name or name in _COUNTED]
    if not offsets:
        return edits
    return [
        e
        for e in edits
        if bisect.bisect_left(offsets, e.start) == bisect.bisect_left(offsets, e.end)
    ]


def _moved(final: list[tuple[int, str]], edits: Sequence[Edit], name: str) -> list[tuple[int, str]]:
    """The markers of ``final`` after the stage ``name`` applied ``edits``: those an
    edit replaced go, the others move, and the U+FFFD the edits wrote are added (unless
    the stage's are for others to read: :data:`_REREAD`)."""
    out: list[tuple[int, str]] = []
    delta = i = 0
    for e in edits:
        while i < len(final) and final[i][0] < e.start:
            out.append((final[i][0] + delta, final[i][1]))
            i += 1
        while i < len(final) and final[i][0] < e.end:
            i += 1
        if name not in _REREAD:
            out.extend(
                (e.start + delta + k, name) for k, ch in enumerate(e.after) if ch == "\ufffd"
            )
        delta += len(e.after) - (e.end - e.start)
    out.extend((p + delta, writer) for p, writer in final[i:])
    return out
