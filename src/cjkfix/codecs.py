"""The codec and chain rows, and codec helpers: byte-exact re-encoding of wrongly decoded text.

:data:`CODECS` holds one frozen :class:`Codec` row per encoding (kind, the Python codecs
that write, read and re-encode it, its byte structure, undefined bytes, languages);
:data:`CHAINS` one :class:`Chain` row per mojibake chain (its steps, the decoder
behaviours that occur, named policy overrides). The engine (``cjkfix.mojibake.tables``),
the gate generator (``tools/build_mojibake_gate.py``) and :mod:`cjkfix.simulate` derive
their maps from these rows; the dicts below are such views.

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

import codecs as _codecs
import functools
from dataclasses import dataclass

__all__ = [
    "CHAINS",
    "CODEC",
    "CODECS",
    "CP1252_OWN",
    "EAT_MARKS",
    "GATE_CODECS",
    "LEGACY",
    "LEGACY_PAIRS",
    "LEGACY_PAIR_CODECS",
    "LEGACY_PAIR_VIEWS",
    "ORIGINAL_DECODERS",
    "UNDEFINED_BYTES",
    "WRONG_CODECS",
    "Chain",
    "Codec",
    "char_forms",
    "cp932_forms",
    "decode_as",
    "encode_char",
    "lost_byte_fits",
]

Ranges = tuple[tuple[int, int], ...]
#: windows-1252 leaves these bytes undefined.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)


@dataclass(frozen=True)
class Codec:
    """One encoding as every stage sees it: the engine, the gate generator, simulate.

    The dicts below (``WRONG_CODECS``, ``ORIGINAL_DECODERS``...) are views of these rows.
    """

    #: The name chains use (``"gbk"``, ``"shift_jis"``).
    name: str
    #: ``"utf-8"``, ``"double-byte"``, ``"single-byte"`` or ``"utf-16"``.
    kind: str
    #: The Python codec that writes text in this encoding (simulate; legacy pairs): Big5
    #: and Shift_JIS as written in practice are Microsoft's cp950 and cp932.
    writer: str
    #: The Python decoder for an original in this encoding (most permissive superset),
    #: ``None`` where the engine never reads an original in it.
    decoder: str | None = None
    #: The Python codecs that give back the bytes a decoder showed as characters (first
    #: that succeeds wins); ``None`` where the engine does not take it for a wrong codec.
    reencoders: tuple[str, ...] | None = None
    #: The Python codecs whose view of bytes the gate's classes are built from.
    views: tuple[str, ...] = ()
    #: Python decoders whose errors="replace" output a U+FFFD of this codec may come from.
    replace_decoders: tuple[str, ...] = ()
    #: How a wrong codec of a legacy pair may show bytes (empty: in no legacy pair).
    pair_views: tuple[str, ...] = ()
    #: Byte structure: lead bytes and trail bytes of a multi-byte character (inclusive).
    leads: Ranges = ()
    trails: Ranges = ()
    #: Bytes the codec cannot decode at all: what its U+FFFD may stand for.
    undefined: tuple[int, ...] = ()
    #: The languages written in it, the main one first (empty: every language).
    languages: tuple[str, ...] = ()
    #: What a Windows decoder writes for a bad sequence (the ``eat`` behaviour of
    #: :data:`cjkfix.simulate.DECODERS`): ``・`` for cp932, ``?`` elsewhere.
    default_char: str = "?"

    def is_lead(self, byte: int) -> bool:
        return any(lo <= byte <= hi for lo, hi in self.leads)

    def is_trail(self, byte: int) -> bool:
        return any(lo <= byte <= hi for lo, hi in self.trails)


#: Every codec, double-byte ones in the order the engine tries them as originals.
CODECS: tuple[Codec, ...] = (
    Codec(
        "gbk",
        "double-byte",
        writer="gbk",
        decoder="gb18030",
        reencoders=("gbk", "gb18030"),
        views=("gbk", "gb18030"),
        replace_decoders=("gbk", "gb18030"),
        # a WHATWG GBK decoder (GB18030's) also reads GBK's user-defined rows, as
        # private-use characters
        pair_views=("gbk", "gb18030"),
        leads=((0x81, 0xFE),),
        trails=((0x40, 0x7E), (0x80, 0xFE)),
        languages=("zh-Hans", "zh-Hant"),
    ),
    Codec(
        "big5",
        "double-byte",
        writer="cp950",
        decoder="big5hkscs",
        reencoders=("cp950", "big5hkscs", "big5"),
        views=("big5", "cp950"),
        replace_decoders=("big5", "cp950", "big5hkscs"),
        pair_views=("cp950",),
        leads=((0x81, 0xFE),),
        trails=((0x40, 0x7E), (0xA1, 0xFE)),
        languages=("zh-Hant",),
    ),
    Codec(
        "shift_jis",
        "double-byte",
        writer="cp932",
        decoder="cp932",
        reencoders=("cp932", "shift_jis"),
        views=("shift_jis", "cp932"),
        replace_decoders=("shift_jis", "cp932"),
        pair_views=("cp932",),
        leads=((0x81, 0x9F), (0xE0, 0xFC)),
        trails=((0x40, 0x7E), (0x80, 0xFC)),
        languages=("ja",),
        default_char="\u30fb",
    ),
    Codec(
        "euc-kr",
        "double-byte",
        writer="euc_kr",
        decoder="cp949",
        reencoders=("cp949", "euc_kr"),
        views=("euc_kr", "cp949"),
        replace_decoders=("euc_kr", "cp949"),
        leads=((0xA1, 0xFE),),
        trails=((0xA1, 0xFE),),
        languages=("ko",),
    ),
    Codec(
        "euc-jp",
        "double-byte",
        writer="euc_jp",
        decoder="euc_jp",
        reencoders=("euc_jp",),
        views=("euc_jp",),
        replace_decoders=("euc_jp",),
        leads=((0x8E, 0x8F), (0xA1, 0xFE)),
        trails=((0xA1, 0xFE),),
        languages=("ja",),
    ),
    # "sloppy" windows-1252: latin-1 for U+0000-U+00FF, cp1252 for the rest (encode_char)
    Codec("cp1252", "single-byte", writer="cp1252", reencoders=(), undefined=_CP1252_UNDEFINED),
    Codec("latin-1", "single-byte", writer="latin-1"),
    Codec(
        "utf-8",
        "utf-8",
        writer="utf-8",
        decoder="utf-8",
        leads=((0xC2, 0xF4),),
        trails=((0x80, 0xBF),),
        default_char="\ufffd",
    ),
    # UTF-16 as an original read through an 8-bit codec (Windows "Unicode" files): read
    # back by the rows of cjkfix.singlebyte, never tried by the engine
    Codec("utf-16-le", "utf-16", writer="utf-16-le"),
    Codec("utf-16-be", "utf-16", writer="utf-16-be"),
)
CODEC: dict[str, Codec] = {c.name: c for c in CODECS}

#: Wrong codecs, in the order the engine tries them, each with the Python codecs that
#: re-encode its output (first that succeeds wins).
WRONG_CODECS: dict[str, tuple[str, ...]] = {
    c.name: c.reencoders for c in CODECS if c.reencoders is not None
}

#: Double-byte legacy encodings that are an *original* encoding in a chain.
LEGACY: tuple[str, ...] = tuple(c.name for c in CODECS if c.kind == "double-byte")

#: Python decoders for original encodings (most permissive superset first).
ORIGINAL_DECODERS: dict[str, str] = {c.name: c.decoder for c in CODECS if c.decoder is not None}

#: Bytes a wrong codec cannot decode at all: what a U+FFFD from that codec can stand for.
UNDEFINED_BYTES: dict[str, tuple[int, ...]] = {c.name: c.undefined for c in CODECS if c.undefined}
#: The characters cp1252 makes of bytes 80-9F (Latin-1 shows C1 controls there, and no
#: DOS code page has them): text that shows one was read as cp1252.
CP1252_OWN: str = "".join(
    ch for ch in bytes(range(0x80, 0xA0)).decode("cp1252", "ignore") if ord(ch) > 0xFF
)

#: The Python codecs whose view of bytes the mojibake gate's classes are built from, and
#: the one each legacy double-byte encoding is read and written with in legacy pairs
#: (shared by the engine and ``tools/build_mojibake_gate.py``).
GATE_CODECS: dict[str, tuple[str, ...]] = {c.name: c.views for c in CODECS if c.views}
LEGACY_PAIR_CODECS: dict[str, str] = {c.name: c.writer for c in CODECS if c.pair_views}
#: How a wrong codec of a legacy pair may show bytes.
LEGACY_PAIR_VIEWS: dict[str, tuple[str, ...]] = {
    c.name: c.pair_views for c in CODECS if c.pair_views
}

#: Python decoders whose errors="replace" output a wrong codec's U+FFFD may come from.
REPLACE_DECODERS: dict[str, tuple[str, ...]] = {
    c.name: c.replace_decoders for c in CODECS if c.replace_decoders
}


@dataclass(frozen=True)
class Chain:
    """A mojibake chain: each step encodes the text in its first encoding and decodes the
    bytes with the second."""

    #: The name simulate, the benchmarks and the tests use (``"utf-8>gbk"``).
    name: str
    steps: tuple[tuple[str, str], ...]
    #: The decoder behaviours (see :data:`cjkfix.simulate.DECODERS`) that give different
    #: text: a wrong codec that decodes every byte (latin-1) has only ``strict``.
    behaviours: tuple[str, ...] = ("strict", "replace", "qmark", "whatwg", "drop")
    #: Named policy overrides (fields of the engine's ``Policy``) for this chain:
    #: ``lossy_posterior``, UTF-8 read as Big5, EUC-JP or EUC-KR loses a byte in most
    #: characters (their trail bytes start at A1, UTF-8's continuation bytes end at BF),
    #: so only a near-certain lost character is restored.
    overrides: tuple[str, ...] = ()

    @property
    def original(self) -> str:
        return self.steps[0][0]

    @property
    def wrong(self) -> str:
        return self.steps[-1][1]


def _chain(
    name: str, *, overrides: tuple[str, ...] = (), behaviours: tuple[str, ...] | None = None
) -> Chain:
    parts = name.split(">")
    steps = tuple((parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2))
    if behaviours is None:
        behaviours = ("strict",) if parts[-1] == "latin-1" else Chain.behaviours
    return Chain(name, steps, behaviours, overrides)


_LOSSY = ("lossy_posterior",)
#: Every chain, in the order simulate and the benchmarks sample them.
CHAINS: tuple[Chain, ...] = (
    # (Windows' decoder on a page that dropped private-use characters: ``鑷姩`` for 自动)
    _chain("utf-8>gbk", behaviours=(*Chain.behaviours, "pua-dropped")),
    _chain("utf-8>big5", overrides=_LOSSY),
    # (a Windows decoder eats the ASCII byte after a bad lead: ``蜍・/span>``)
    _chain("utf-8>shift_jis", behaviours=(*Chain.behaviours, "eat")),
    _chain("utf-8>euc-jp", overrides=_LOSSY),
    _chain("utf-8>euc-kr", overrides=_LOSSY),
    _chain("utf-8>cp1252", behaviours=(*Chain.behaviours, "folded")),
    _chain("gbk>latin-1"),
    _chain("big5>latin-1"),
    _chain("shift_jis>latin-1"),
    _chain("euc-kr>latin-1"),
    _chain("euc-jp>latin-1"),
    _chain("gbk>cp1252"),
    _chain("shift_jis>cp1252"),
    _chain("gbk>big5"),
    _chain("big5>gbk"),
    _chain("shift_jis>gbk"),
    _chain("gbk>shift_jis"),
    # (Japanese games and tools on Chinese text, and back: Big5's leads A1-DF are
    # half-width katakana in Shift_JIS, its trails 40-7E ASCII)
    _chain("big5>shift_jis"),
    _chain("shift_jis>big5"),
    _chain("utf-8>gbk>utf-8>gbk"),
    _chain("utf-8>cp1252>utf-8>cp1252"),
    # The chains found in the wild that read through the tables of cjkfix.singlebyte (its
    # rows' reader names): hybrid single-byte decoders, bytes shown as nothing.
    _chain("utf-8>cp874+cp1252"),
    _chain("utf-8>tis-620"),
    _chain("utf-8>iso-8859-2+cp1252"),
    _chain("utf-8>latin-1-c1-lost"),
    _chain("utf-8>cp437"),
    _chain("utf-8>cp850"),
    _chain("shift_jis>cp437"),
    _chain("gbk>cp437"),
    _chain("euc-kr>cp437"),
    _chain("shift_jis>cp850"),
    _chain("gbk>cp850"),
    _chain("euc-kr>cp850"),
    # UTF-16 (Windows "Unicode" text, registry exports) read as an 8-bit codec by a
    # program (NUL bytes kept as U+0000), or displayed and copied (NUL and C1 bytes
    # gone: Æ0¹0È0P}g for テスト結果: no row, no reading is certain); cjkfix.utf16 reads them
    _chain("utf-16-le>latin-1"),
    _chain("utf-16-le>cp1252"),
    _chain("utf-16-be>cp1252"),
    # Windows console output (a legacy code page) read by a UTF-8 terminal or log viewer;
    # always lossy, so only their lossy behaviours occur; the last is that U+FFFD text
    # written as UTF-8 and read as GBK (锟斤拷). Repaired by cjkfix.replacement.
    _chain("gbk>utf-8"),
    _chain("big5>utf-8"),
    _chain("shift_jis>utf-8"),
    _chain("euc-kr>utf-8"),
    _chain("gbk>utf-8>utf-8>gbk"),
    # UTF-8 read as cp932 by a Windows decoder and written back: the text is UTF-8 again
    # but for each bad lead and the ASCII byte it ate, now ``・`` (81 45): ``起動</`` is
    # ``起勁E/``. Without the eating decoder the round trip changes nothing.
    _chain("utf-8>shift_jis>shift_jis>utf-8", behaviours=("strict", "eat")),
)

#: Legacy pairs: double-byte text read with another double-byte codec, (original, wrong).
LEGACY_PAIRS: tuple[tuple[str, str], ...] = tuple(
    c.steps[0]
    for c in CHAINS
    if len(c.steps) == 1 and all(n in CODEC and CODEC[n].kind == "double-byte" for n in c.steps[0])
)

#: UTF-8 read by a double-byte codec's Windows decoder that eats the byte after a bad
#: lead (a chain row with the ``eat`` behaviour): the wrong codec and the default
#: character it writes for the pair, where that is a character of its own (``・`` of
#: cp932; a ``?`` is the ``qmark`` behaviour's marker already).
EAT_MARKS: dict[str, str] = {
    c.steps[0][1]: CODEC[c.steps[0][1]].default_char
    for c in CHAINS
    if "eat" in c.behaviours
    and len(c.steps) == 1
    and c.steps[0][0] == "utf-8"
    and CODEC[c.steps[0][1]].kind == "double-byte"
    and CODEC[c.steps[0][1]].default_char not in ("?", "\ufffd")
}


@functools.cache
def shows_trail_alone(original: str, wrong: str) -> bool:
    """Does ``wrong`` read some lead bytes of ``original`` as characters of one byte, so
    that the trail after such a lead shows as ASCII on its own (Shift_JIS reads Big5's
    leads A1-DF as half-width katakana: ``ｳ]ｩw`` is 設定)? Where it does not (GBK and
    Big5 read each other's leads as leads), no pair of theirs leaves an ASCII trail alone.

        >>> shows_trail_alone("big5", "shift_jis"), shows_trail_alone("gbk", "big5")
        (True, False)
    """
    reader = LEGACY_PAIR_CODECS.get(wrong, wrong)
    for lead in range(0x81, 0x100):
        if not CODEC[original].is_lead(lead):
            continue
        try:
            bytes((lead,)).decode(reader)
        except UnicodeDecodeError:
            continue
        return True
    return False


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
    bytes([b]).decode("cp1252"): bytes([b]) for b in range(0x80, 0xA0) if b not in _CP1252_UNDEFINED
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


@functools.lru_cache(maxsize=8)
def char_forms(codec: str) -> dict[str, tuple[bytes, ...]]:
    """Characters that ``codec``'s decoders (:data:`WRONG_CODECS`) read from more than
    one byte string, with every form (the one :func:`encode_char` gives first): cp932's
    NEC and IBM rows for ``shift_jis``; for ``gbk``, the euro sign (``80`` in cp936 and
    WHATWG's decoder, ``A2 E3`` in GB18030); for ``big5``, the rows cp950, Big5-HKSCS and
    Big5 place differently (``╭`` is ``A2 7E`` and ``F9 FA``). Empty for the others."""
    if codec == "shift_jis":
        return cp932_forms()
    names = WRONG_CODECS.get(codec, ())
    if codec == "cp1252" or not names:
        return {}
    forms: dict[str, set[bytes]] = {}
    # (each name's decoder looked up once, not once a pair: half the time of a table
    # built on a text's first run, some 0.05 s a codec)
    decoders = [_codecs.lookup(name).decode for name in names]
    for lead in range(0x80, 0x100):
        for decode in decoders:
            for trail in range(0x40, 0x100):
                pair = bytes((lead, trail))
                try:
                    ch = decode(pair)[0]
                except UnicodeDecodeError:
                    continue
                if len(ch) == 1:
                    forms.setdefault(ch, set()).add(pair)
    if codec == "gbk":
        forms.setdefault("\u20ac", set()).add(b"\x80")
    out: dict[str, tuple[bytes, ...]] = {}
    for ch, found in forms.items():
        if len(found) < 2:
            continue
        default = encode_char(ch, codec)
        out[ch] = tuple(sorted(found, key=lambda f: (f != default, f)))
    return out


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
