"""Make the corruptions cjkfix repairs, with known ground truth: for tests and benchmarks.

>>> narrow_gbk("源模型。”這一")
'源模型?!边@一'
>>> annotate_straddle("能夠對這個", "夠", "(qū)")
'能夠?qū)?@個'
"""

from __future__ import annotations

__all__ = ["annotate_straddle", "decode_gbk_like_site", "narrow_gbk", "narrow_gbk_bytes"]


def _narrowed(trail: int, letters: bool) -> bool:
    if not 0xA1 <= trail <= 0xFE:
        return False
    return letters or not (0xC1 <= trail <= 0xDA or 0xE1 <= trail <= 0xFA)


def narrow_gbk_bytes(data: bytes, *, letters: bool = False) -> bytes:
    """A byte-level full-width to ASCII pass: ``A3 xx`` becomes the byte ``xx - 0x80``.

    It scans bytes, not characters, so it also matches a pair that straddles two
    characters: that is the damage. The real sites narrowed punctuation and digits
    only (the seed article keeps ``模型``, ``C4A3 D0CD``, whose straddling pair
    ``A3 D0`` is a full-width ``Ｐ``); ``letters=True`` narrows letters too.
    """
    out = bytearray()
    i = 0
    while i < len(data):
        if data[i] == 0xA3 and i + 1 < len(data) and _narrowed(data[i + 1], letters):
            out.append(data[i + 1] - 0x80)
            i += 2
        else:
            out.append(data[i])
            i += 1
    return bytes(out)


def decode_gbk_like_site(data: bytes, *, swallow: bool = False, mark: str = "?") -> str:
    """Decode GBK the way the damaged sites did.

    A lead byte followed by a byte that cannot be a trail gives ``mark``; the ASCII byte
    after it is kept (or, with ``swallow``, lost with it). A well-formed pair that GBK does
    not assign gives one ``mark`` for both bytes.
    """
    out: list[str] = []
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        if i + 1 >= len(data) or b == 0x80 or b == 0xFF:
            out.append(mark)
            i += 1
            continue
        t = data[i + 1]
        if 0x40 <= t <= 0xFE and t != 0x7F:
            try:
                out.append(bytes((b, t)).decode("gbk"))
            except UnicodeDecodeError:
                out.append(mark)
            i += 2
        else:
            out.append(mark)
            i += 2 if swallow else 1
    return "".join(out)


def narrow_gbk(text: str, *, swallow: bool = False, letters: bool = False) -> str:
    """``text`` as a page that ran :func:`narrow_gbk_bytes` over its GBK bytes shows it."""
    damaged = narrow_gbk_bytes(text.encode("gbk"), letters=letters)
    return decode_gbk_like_site(damaged, swallow=swallow)


def annotate_straddle(text: str, after: str, annotation: str) -> str:
    """Insert ``annotation`` between the two bytes of the character following ``after``.

    That is what an annotator did when the pair (trail of ``after``, lead of the next
    character) happened to be a character it annotates. The decoder lost the orphaned
    lead byte together with the ``(`` after it.
    """
    i = text.index(after) + len(after)
    head = text[:i].encode("gbk")
    tail = text[i:].encode("gbk")
    damaged = head + tail[:1] + annotation.encode("gbk") + tail[1:]
    return decode_gbk_like_site(damaged, swallow=True)
