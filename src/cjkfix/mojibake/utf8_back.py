"""UTF-8 read by a Windows decoder that ate a byte after each bad lead, then written back
as UTF-8 and read as UTF-8 again (a chain row ``utf-8>X>X>utf-8`` with the ``eat``
behaviour): the line lattice's tokens (:mod:`cjkfix.mojibake.utf8_lost`) with the
decoder's marks read.

The decoder wrote its default character (cp932's ``・``) for a bad lead and the byte it
ate; written back, that is ``81 45``. Read as UTF-8, the ``81`` ends the character
before it or is lost in a U+FFFD with the bytes around it, and the ``45`` shows as
``E``. So an ``E`` after a character whose last byte is ``81``, or after a U+FFFD, is
either itself or, with that ``81``, a lead and the byte it ate (an ASCII one a
character lost of its own): one token of both readings, the character before it an
empty one, so that a stretch read through them starts and ends where the characters
shown do. :mod:`cjkfix.mojibake.eaten` reads the places one by one where the line lost
nothing else; a line that also shows U+FFFD is read whole here.
"""

from __future__ import annotations

import functools

from cjkfix import codecs as cc
from cjkfix.mojibake.utf8_lattice import Option

__all__ = ["mark_of", "read_marks"]


@functools.cache
def mark_of(inner: str) -> bytes | None:
    """The bytes ``inner``'s eating decoder's mark is written back as (``81 45``), where
    the first is a UTF-8 continuation byte and the second ASCII; else None."""
    codec = cc.CODEC.get(inner)
    if codec is None:
        return None
    mark = codec.default_char.encode(codec.writer, "replace")
    if len(mark) == 2 and 0x80 <= mark[0] <= 0xBF and mark[1] < 0x80:
        return mark
    return None


def read_marks(tokens: list[list[Option]], run: str, inner: str) -> list[list[Option]]:
    """``tokens`` (one per character of ``run``, read as UTF-8 with U+FFFD for bytes it
    could not read) with each place the mark's ASCII byte may be the mark read both
    ways (see the module docstring)."""
    from cjkfix.mojibake.utf8_lost import EAT_LITERAL_COST, _bytes_end, _eat_last, _eat_options

    mark = mark_of(inner)
    if mark is None:
        return tokens
    decoder = (cc.WRONG_CODECS.get(inner) or (inner,))[0]
    eats = _eat_options(decoder)
    shown = chr(mark[1])
    out = list(tokens)
    for k in range(1, len(run)):
        if run[k] != shown or len(out[k - 1]) == 0 or out[k - 1] == [Option((), 0.0)]:
            continue
        joint: list[Option] = []
        for o in out[k - 1]:
            if not o.data:
                continue
            joint.append(Option((*o.data, mark[1]), o.cost + EAT_LITERAL_COST))
            last = o.data[-1]
            if last == mark[0] or (isinstance(last, frozenset) and mark[0] in last):
                ends = [*eats, _eat_last(decoder)] if _bytes_end(run, k) else eats
                joint += [Option((*o.data[:-1], *e.data), o.cost) for e in ends]
        if len(joint) > len(out[k - 1]):
            out[k - 1] = [Option((), 0.0)]
            out[k] = joint
    return out
