"""Legacy CJK bytes read by a UTF-8 decoder that falls back to Latin-1.

Many scripts decode "as UTF-8, else as Latin-1", byte by byte: a GBK or EUC-KR pair that
happens to be valid UTF-8 comes out as one character (``ʾ`` for GBK ``CA BE``, 示;
``Ŭ`` for EUC-KR ``C5 AC``, 클; ``¡`` for ``C2 A1``), every other byte as its Latin-1
character. A run of such text mixes Latin-1 characters with characters from
U+0100-U+2FFF; each Latin-1 character may be one byte or a UTF-8 pair, so the bytes are
found by a small beam search: what decodes as the legacy encoding and reads best.

    >>> from cjkfix.fallback import readings
    >>> dict(readings("Ŭ·¡½º"))["euc-kr"]
    '클래스'
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from cjkfix import codecs as cc
from cjkfix._lazyre import LazyRegex

__all__ = ["BEAM", "MAX_RUN", "RUN", "readings", "runs", "shown_in"]

#: Partial readings kept at each character.
BEAM = 6
#: Longer runs are not searched (the work grows with the square of the length).
MAX_RUN = 120

_LATIN = "\xa0-\xff"
_WIDE = "\u0100-\u2fff"
# (the cp1252 characters of that range come from one byte, not from a UTF-8 pair)
_CP1252 = "ŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™"

#: A run that may come from such a decoder: Latin-1 and wider characters (and the ASCII
#: trail bytes of double-byte characters between them), with at least one wider
#: character and two Latin-1 ones (checked by :func:`readings`).
RUN = LazyRegex(f"[{_LATIN}{_WIDE}](?:[\\x40-\\x7e]?[{_LATIN}{_WIDE}])*")

_LANG = {"gbk": "zh-Hans", "big5": "zh-Hant", "shift_jis": "ja", "euc-kr": "ko", "euc-jp": "ja"}


def _options(ch: str) -> tuple[bytes, ...] | None:
    o = ord(ch)
    if o < 0x80:
        return (bytes([o]),)
    if o <= 0xFF:
        return (bytes([o]), ch.encode("utf-8"))
    if ch in _CP1252:
        return (ch.encode("cp1252"),)
    if o <= 0x2FFF:
        return (ch.encode("utf-8"),)
    return None


def _wide(run: str, latin: int = 2) -> bool:
    """At least one character only the UTF-8 side of the decoder makes, and ``latin``
    Latin-1 ones."""
    seen = sum(1 for ch in run if "\xa0" <= ch <= "\xff")
    return seen >= latin and any(ord(ch) > 0xFF and ch not in _CP1252 for ch in run)


def readings(run: str, alone: bool = True) -> Iterator[tuple[str, str]]:
    """(legacy encoding, text) for each legacy encoding whose bytes the fallback decoder
    would have shown as ``run``; the likeliest bytes where a character may be either.
    ``alone``: the run must show the decoder by itself (a character of the UTF-8 side,
    and two Latin-1 ones); else a character of the UTF-8 side is enough (``Ȩ``, where
    the paragraph shows the legacy encoding).

        >>> list(readings("Ȩ")), dict(readings("Ȩ", alone=False))["euc-kr"]
        ([], '홈')
    """
    if len(run) > MAX_RUN or not _wide(run, 2 if alone else 0):
        return
    options = [_options(ch) for ch in run]
    if any(o is None for o in options):
        return
    from cjkfix import model

    # (alone, bytes that are all the run's own UTF-8 show no fallback: a decoder that
    # drops what is not UTF-8 leaves the same, with bytes gone anywhere between its
    # pairs, so the pairs are read out of step as often as not)
    whole = run.encode("utf-8")
    for enc in cc.LEGACY:
        decoder = cc.ORIGINAL_DECODERS[enc]
        lang = _LANG[enc]
        beam: list[tuple[float, bytes]] = [(0.0, b"")]
        for opts in options:
            grown: list[tuple[float, bytes]] = []
            for _score, data in beam:
                for opt in opts or ():
                    candidate = data + opt
                    try:
                        text = codecs.getincrementaldecoder(decoder)().decode(candidate)
                    except UnicodeDecodeError:
                        continue
                    grown.append((model.text_logprob(text, lang), candidate))
            if not grown:
                break
            grown.sort(key=lambda t: -t[0])
            beam = grown[:BEAM]
        else:
            for _score, data in beam:
                try:
                    text = data.decode(decoder)
                except UnicodeDecodeError:
                    continue
                if not alone or data != whole:
                    yield enc, text
                break


def runs(text: str) -> Iterator[tuple[int, int]]:
    """The runs of ``text`` worth a look (see :data:`RUN`)."""
    for m in RUN.finditer(text):
        if _wide(m.group()):
            yield m.start(), m.end()


def shown_in(text: str) -> bool:
    """Does ``text`` show the decoder: a run with a character only its UTF-8 side makes?

    >>> shown_in("Ȩ > °Ç¼³"), shown_in("¤ýµµ¼Á¤º¸ – ÀúÀÚ")
    (True, False)
    """
    return any(_wide(m.group(), 0) for m in RUN.finditer(text))
