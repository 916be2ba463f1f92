"""Codec helpers for the mojibake engine: byte-exact re-encoding of wrongly decoded text.

Each *wrong* codec (the one the bytes were mistakenly decoded with) has an encoder that
maps one character back to the bytes it came from, tolerating what real decoders emit:

* ``gbk``: GBK, GB18030 and WHATWG gbk (which maps the user-defined area to private use);
* ``big5``: Big5, cp950 and Big5-HKSCS;
* ``shift_jis``: Shift_JIS and cp932 (including cp932's private-use and C1 mappings);
* ``euc-jp``, ``euc-kr`` (with cp949/UHC);
* ``cp1252``: "sloppy" windows-1252: latin-1 for U+0000-U+00FF (WHATWG maps the five
  undefined bytes to C1 controls), cp1252 for the rest.

    >>> encode_char("浣", "gbk"), encode_char("ｓ", "shift_jis"), encode_char("\\x81", "cp1252")
    (b'\\xe4\\xbd', b'\\x82\\x93', b'\\x81')
    >>> encode_char("😀", "gbk") is None
    True
"""

from __future__ import annotations

import functools

__all__ = [
    "GATE_CODECS",
    "LEGACY",
    "LEGACY_PAIR_CODECS",
    "LEGACY_PAIR_VIEWS",
    "ORIGINAL_DECODERS",
    "UNDEFINED_BYTES",
    "WRONG_CODECS",
    "cp932_forms",
    "decode_as",
    "encode_char",
    "lost_byte_fits",
]

#: Wrong codecs, in the order the engine tries them, each with the Python codecs that
#: re-encode its output (first that succeeds wins).
WRONG_CODECS: dict[str, tuple[str, ...]] = {
    "gbk": ("gbk", "gb18030"),
    "big5": ("cp950", "big5hkscs", "big5"),
    "shift_jis": ("cp932", "shift_jis"),
    "euc-kr": ("cp949", "euc_kr"),
    "euc-jp": ("euc_jp",),
    "cp1252": (),
}

#: Double-byte legacy encodings that are an *original* encoding in a chain.
LEGACY: tuple[str, ...] = ("gbk", "big5", "shift_jis", "euc-kr", "euc-jp")

#: Python decoders for original encodings (most permissive superset first).
ORIGINAL_DECODERS: dict[str, str] = {
    "utf-8": "utf-8",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc-kr": "cp949",
    "euc-jp": "euc_jp",
}

#: Bytes a wrong codec cannot decode at all: what a U+FFFD from that codec can stand for.
UNDEFINED_BYTES: dict[str, tuple[int, ...]] = {
    "cp1252": (0x81, 0x8D, 0x8F, 0x90, 0x9D),
}

#: The Python codecs whose view of bytes the mojibake gate's classes are built from, and
#: the one each legacy double-byte encoding is read and written with in legacy pairs
#: (shared by the engine and ``tools/build_mojibake_gate.py``).
GATE_CODECS: dict[str, tuple[str, ...]] = {
    "gbk": ("gbk", "gb18030"),
    "big5": ("big5", "cp950"),
    "shift_jis": ("shift_jis", "cp932"),
    "euc-kr": ("euc_kr", "cp949"),
    "euc-jp": ("euc_jp",),
}
LEGACY_PAIR_CODECS: dict[str, str] = {"gbk": "gbk", "big5": "cp950", "shift_jis": "cp932"}
#: How a wrong codec of a legacy pair may show bytes: a WHATWG GBK decoder (GB18030's)
#: also reads GBK's user-defined rows, as private-use characters.
LEGACY_PAIR_VIEWS: dict[str, tuple[str, ...]] = {
    "gbk": ("gbk", "gb18030"),
    "big5": ("cp950",),
    "shift_jis": ("cp932",),
}

#: Python decoders whose errors="replace" output a wrong codec's U+FFFD may come from.
REPLACE_DECODERS: dict[str, tuple[str, ...]] = {
    "gbk": ("gbk", "gb18030"),
    "big5": ("big5", "cp950", "big5hkscs"),
    "shift_jis": ("shift_jis", "cp932"),
    "euc-kr": ("euc_kr", "cp949"),
    "euc-jp": ("euc_jp",),
}

@functools.lru_cache(maxsize=65_536)
def lost_byte_fits(codec: str, byte: int, following: int) -> bool:
    """Could a Python ``codec`` decoder (errors="replace") have replaced ``byte`` by one
    U+FFFD when ``following`` (-1: unknown or end) came next?

        >>> lost_byte_fits("gbk", 0x80, 0x82), lost_byte_fits("gbk", 0xE4, 0xBD)
        (True, False)
    """
    result = False
    for name in REPLACE_DECODERS.get(codec, ()):
        try:
            bytes([byte]).decode(name)
            continue  # a single-byte character: no U+FFFD
        except UnicodeDecodeError:
            pass
        if following < 0:
            result = True
            break
        try:
            out = bytes([byte, following]).decode(name)
        except UnicodeDecodeError:
            result = True
            break
        if len(out) != 1:
            result = True
            break
    return result

_CP1252_HIGH = {
    bytes([b]).decode("cp1252"): bytes([b])
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


@functools.lru_cache(maxsize=200_000)
def encode_char(ch: str, codec: str) -> bytes | None:
    """The bytes ``ch`` came from when the text was wrongly decoded as ``codec``."""
    result: bytes | None = None
    if codec == "cp1252":
        o = ord(ch)
        result = bytes([o]) if o < 0x100 else _CP1252_HIGH.get(ch)
    elif ch == "\ufffd" or "\ud800" <= ch <= "\udfff":
        result = None
    elif ch == "\u20ac" and codec == "gbk":
        result = b"\x80"  # cp936 and WHATWG gbk decode a lone 0x80 as the euro sign
    elif codec == "shift_jis" and ch in _sjis_utf8_forms():
        result = _sjis_utf8_forms()[ch]
    else:
        for name in WRONG_CODECS[codec]:
            try:
                encoded = ch.encode(name)
            except UnicodeEncodeError:
                continue
            if len(encoded) <= 2:  # GB18030's four-byte forms never come from UTF-8 bytes
                result = encoded
                break
    return result


@functools.lru_cache(maxsize=1)
def cp932_forms() -> dict[str, tuple[bytes, ...]]:
    """Characters cp932 decodes from more than one byte pair (NEC row 13 and the NEC
    selected IBM rows ED-EE against the IBM rows FA-FC and JIS row 2): every form."""
    forms: dict[str, list[bytes]] = {}
    for lead in (*range(0x81, 0xA0), *range(0xE0, 0xFD)):
        for trail in range(0x40, 0xFD):
            pair = bytes([lead, trail])
            try:
                ch = pair.decode("cp932")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                forms.setdefault(ch, []).append(pair)
    return {ch: tuple(v) for ch, v in forms.items() if len(v) > 1}


@functools.lru_cache(maxsize=1)
def _sjis_utf8_forms() -> dict[str, bytes]:
    """Of those, the form text that was UTF-8 came from, where Python re-encodes another:
    the pair whose second byte is a UTF-8 continuation byte (``≡`` is ``87 91`` and
    ``81 DF``; ``E5 87 91`` is ``凑``, while ``DF`` would start a two-byte character)."""
    out: dict[str, bytes] = {}
    for ch, pairs in cp932_forms().items():
        default = ch.encode("cp932")
        if 0x80 <= default[1] <= 0xBF:
            continue
        better = [p for p in pairs if 0x80 <= p[1] <= 0xBF]
        if better:
            out[ch] = better[0]
    return out


def decode_as(data: bytes, encoding: str) -> str:
    """Decode ``data`` as an original ``encoding`` (utf-8 or a LEGACY name), replacing errors."""
    return data.decode(ORIGINAL_DECODERS[encoding], "replace")
