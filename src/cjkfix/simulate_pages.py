"""The byte damage of the GBK pages with leaked pinyin, simulated exactly.

Each page was Traditional Chinese in GBK. A byte-level pass ran over the bytes, at every
offset, not character by character, and a lenient decoder read the result:

1. **Full-width folding**: ``A3 xx`` for ``！，？：；（）`` and the full-width digits became
   the ASCII byte ``xx - 0x80``, also where the pair straddles two characters (``。可`` is
   ``A1 A3 | BF C9``: the straddling ``A3 BF`` became ``?``).
2. **Ruby insertion**: after every occurrence of an annotated character's GBK code,
   ``(reading)`` went in, also where the code straddles two characters (``兼備`` is
   ``BC E6 | 82 E4``: ``E6 82`` is ``鎮``, so ``(zhèn)`` went between the bytes of ``備``).
3. **A lenient decoder**: an orphaned lead byte (one followed by a byte that cannot be a
   trail) became ``?`` and swallowed the byte after it, unless that byte was one of the
   folded sentence marks ``!?,:;)`` (the seed's ``?!边@``); a pair that decodes to a
   private-use or unassigned cell was dropped from the text.

    >>> damage_page("能夠對這個", {"驅": "qū"})  # A6 DF, a private-use pair, dropped
    '能夠?qū)@個'
    >>> damage_page("模型。”這一")
    '模型?!边@一'
    >>> damage_page("訪談調查", {"調": "diào", "務": "wù"})
    '訪談?wù){(diào)查'
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FOLDED", "KEPT_AFTER_ORPHAN", "damage_page", "decode_page", "fold_page", "ruby_page"]

#: The full-width characters (GBK row ``A3``) the pages folded to ASCII.
FOLDED = "！，？：；（）"
_FOLD_TRAILS = frozenset(ch.encode("gbk")[1] for ch in FOLDED)
#: The lead bytes whose trail ``A3`` a straddling fold matched (see :func:`fold_page`).
_FOLD_AFTER = frozenset({0xA1})

#: ASCII bytes an orphaned lead byte leaves in the text; every other byte after one (the
#: ``(`` of an annotation, the ``<`` of a tag, a digit) went with it. Measured on the
#: shared pages: no record shows an orphan followed by any other byte kept.
KEPT_AFTER_ORPHAN = frozenset(b"!?,:;)")

_PRIVATE_USE = ("\ue000", "\uf8ff")


def fold_page(text: str) -> bytes:
    """Step 1: the GBK bytes of ``text`` with ``A3 xx`` folded to ``xx - 0x80``.

    An ``A3 xx`` in step (a full-width mark itself) folds, and so does one straddling
    two characters where the ``A3`` is the trail of a row-``A1`` mark (``。`` is
    ``A1 A3``). Straddling ``A3``s after a Han lead stayed: the pages keep ``海空``
    (``BA A3 | BF D5``) and ``常、`` (``B3 A3 | A1 A2``) intact.
    """
    out = bytearray()
    for ch in text:
        code = ch.encode("gbk")
        if len(code) == 2 and code[0] == 0xA3 and code[1] in _FOLD_TRAILS:
            code = bytes((code[1] - 0x80,))
        out += code
    data = bytes(out)
    folded = bytearray()
    i = 0
    while i < len(data):
        if (
            data[i] == 0xA3
            and i
            and data[i - 1] in _FOLD_AFTER
            and i + 1 < len(data)
            and data[i + 1] in _FOLD_TRAILS
        ):
            folded.append(data[i + 1] - 0x80)
            i += 2
        else:
            folded.append(data[i])
            i += 1
    return bytes(folded)


def ruby_page(data: bytes, readings: Mapping[str, str]) -> bytes:
    """Step 2: ``(reading)`` after every occurrence of an annotated character's code."""
    codes: dict[bytes, bytes] = {}
    for ch, reading in readings.items():
        code = ch.encode("gbk")
        codes[code] = f"({reading})".encode("gbk")
    inserts: list[tuple[int, bytes]] = []
    for i in range(len(data)):
        for n in (1, 2):
            code = data[i : i + n]
            if len(code) == n and code in codes:
                inserts.append((i + n, codes[code]))
    out = bytearray()
    last = 0
    for pos, text in sorted(inserts, key=lambda t: t[0]):
        out += data[last:pos] + text
        last = pos
    out += data[last:]
    return bytes(out)


def decode_page(data: bytes, mark: str = "?") -> str:
    """Step 3: the lenient decoder of the pages."""
    out: list[str] = []
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        t = data[i + 1] if i + 1 < n else -1
        if b in (0x80, 0xFF) or t < 0 or t in (0x7F, 0xFF):
            out.append(mark)
            i += 1
            continue
        if t < 0x40:
            out.append(mark)
            i += 1 if t in KEPT_AFTER_ORPHAN else 2
            continue
        try:
            ch = bytes((b, t)).decode("gbk")
        except UnicodeDecodeError:
            ch = ""  # an unassigned cell: dropped
        if len(ch) == 1 and _PRIVATE_USE[0] <= ch <= _PRIVATE_USE[1]:
            ch = ""
        elif len(ch) == 1 and "\uff01" <= ch <= "\uff5e":
            ch = chr(ord(ch) - 0xFEE0)  # the pages show full-width forms as ASCII
        out.append(ch)
        i += 2
    return "".join(out)


def damage_page(text: str, readings: Mapping[str, str] | None = None) -> str:
    """``text`` as the pages show it: folded, annotated at every offset, decoded leniently.

    ``readings`` maps each annotated character to its reading (``{"戰": "zhàn"}``).
    """
    data = fold_page(text)
    if readings:
        data = ruby_page(data, readings)
    return decode_page(data)
