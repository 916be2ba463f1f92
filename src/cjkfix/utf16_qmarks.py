"""A unit of :mod:`cjkfix.utf16` that lost a byte to the reader: cp1252 has no
character for 81, 8D, 8F, 90 and 9D, which a decoder writes as U+FFFD or ``?`` (a
``?`` may also be the byte 3F itself). Each unit those bytes make is a candidate; the
model weighs them between the unit's neighbours, and a unit whose likeliest candidate
is not sure (:data:`cjkfix.singlebyte_lattice.SURE`) stays U+FFFD: ``?b`` (3F 62) is
房, and the 81, 8D, 8F, 90 and 9D its ``?`` could also be make 抁, 抍, 抏, 抐, 抝;
``x\ufffd`` is 選 (78 90), not 腸 (78 81) or 赸, 轸, 鵸.

    >>> restore("大床", "?b", "，", True, "zh-Hans")
    '房'
    >>> restore("", "x\ufffd", "択", True, "ja")
    '選'
"""

from __future__ import annotations

import math

from cjkfix import model
from cjkfix.beam import TEMPERATURE
from cjkfix.singlebyte_lattice import SURE

__all__ = ["restore"]

#: The bytes cp1252 has no character for (a decoder writes U+FFFD or ``?``).
LOST_BYTES: tuple[int, ...] = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
#: What a ``?`` may be: 3F itself, or a byte lost to it.
QMARK_BYTES: tuple[int, ...] = (0x3F, *LOST_BYTES)


def restore(left: str, pair: str, right: str, little: bool, lang: str) -> str:
    """The character the unit shown as ``pair`` (two characters, one or both ``?`` or
    U+FFFD, the other a byte as latin-1 or cp1252 shows it) is, between ``left`` and
    ``right`` (its neighbours, or ""), or U+FFFD where the model is not sure."""
    from cjkfix.utf16_lines import bytes_of

    table = bytes_of()
    options = [
        QMARK_BYTES if ch == "?" else LOST_BYTES if ch == "\ufffd" else (table.get(ch, -1),)
        for ch in pair
    ]
    if any(b < 0 for opts in options for b in opts):
        return "\ufffd"
    cands: list[str] = []
    for a in options[0]:
        for b in options[1]:
            u = a | b << 8 if little else a << 8 | b
            if u >= 0x100 and not 0xD800 <= u <= 0xDFFF:
                cands.append(chr(u))
    if not cands:
        return "\ufffd"
    values = [v / TEMPERATURE for v in model.candidate_scores(left, cands, right, lang)]
    top = max(values)
    weights = [math.exp(v - top) for v in values]
    best = max(range(len(cands)), key=values.__getitem__)
    return cands[best] if weights[best] / math.fsum(weights) >= SURE else "\ufffd"
