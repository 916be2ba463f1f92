"""Make the corruptions cjkfix repairs, with known ground truth: for tests and benchmarks.

Two families are simulated. The GBK narrowing damage of the real sites
(:func:`narrow_gbk`, :func:`annotate_straddle`):

>>> narrow_gbk("源模型。”這一")
'源模型?!边@一'
>>> annotate_straddle("能夠對這個", "夠", "(qū)")
'能夠?qū)?@個'

And mojibake, text decoded with the wrong codec (:func:`corrupt`). A chain (a key of
:data:`CHAINS`) is a list of (original encoding, wrong codec) steps; a decoder behaviour
(one of :data:`DECODERS`) says what the wrong decoder does with bytes it cannot map:

* ``strict``: the chain must be lossless (``None`` when it is not). Lossless means no
  step raised an error; re-encoding gives the bytes back except where the codecs are not
  one-to-one: cp950 encodes ``¥`` with the code of ``￥``, and cp932 decodes its duplicate
  codes (IBM extensions ``FA``-``FC``, NEC rows) to characters it encodes elsewhere;
* ``replace``: Python's ``errors="replace"``;
* ``qmark``: Windows/PHP style, ``?`` wherever ``replace`` gives U+FFFD;
* ``whatwg``: a WHATWG-style decoder: a bad pair whose second byte is not ASCII is
  consumed whole (one U+FFFD for two bytes), a byte that is no lead (Big5's 80 and FF)
  is one U+FFFD alone, GBK is read as GB18030 (its user areas map to private-use
  characters, a lone 80 is the euro sign), windows-1252's five undefined bytes become
  C1 controls;
* ``drop``: bad bytes silently dropped;
* ``eat``: a Windows decoder: a bad lead byte takes the byte after it along, ASCII or
  not, and the pair becomes the codec's default character (``・`` for cp932, ``?``
  elsewhere: :attr:`cjkfix.codecs.Codec.default_char`), so an ASCII character after
  the damage disappears. Only the chains whose rows list it have it (elsewhere a
  chain gives what ``strict`` gives);
* ``pua-dropped``: Windows' GBK decoder (cp936) as a page that strips private-use
  characters shows it: a bad lead takes the byte after it along (``?``, as ``eat``),
  ``80`` alone is the euro sign, a pair of the user-defined areas (``AA A1``-``AF FE``,
  ``F8 A1``-``FE FE``, ``A1 40``-``A7 A0``) is a private-use character, and that is
  dropped (``鑷姩`` for 自动, ``E8 87 AA E5 8A A8``: ``AA E5`` is gone). Only the
  chains whose rows list it;
* ``folded``: strict, then the curly quotes ``“”‘’`` folded to ASCII ``"`` and ``'`` (a
  text normaliser after the decoder: cp1252 shows the UTF-8 continuation bytes 91-94
  as curly quotes). Only the chains whose rows list it.

>>> corrupt("你好世界", "utf-8>gbk", "strict")
'浣犲ソ涓栫晫'
>>> corrupt("中文", "gbk>latin-1", "strict")
'ÖÐÎÄ'
>>> corrupt("中文", "utf-8>gbk", "strict") is None  # "中" ends in a byte GBK cannot pair
True
>>> corrupt("中文", "utf-8>gbk", "qmark")
'涓?鏂?'
>>> corrupt("起動</span>", "utf-8>shift_jis", "eat")
'襍ｷ蜍・/span>'
>>> corrupt("起動</span>", "utf-8>shift_jis>shift_jis>utf-8", "eat")
'起勁E/span>'
>>> is_lossless("你好世界", "utf-8>gbk")
True
"""

from __future__ import annotations

import re

from cjkfix import singlebyte
from cjkfix.codecs import CHAINS as _CHAIN_ROWS
from cjkfix.codecs import CODEC as _CODEC
from cjkfix.codecs import CODECS as _CODEC_ROWS
from cjkfix.simulate_pages import damage_page, decode_page, fold_page, ruby_page

__all__ = [
    "CHAINS",
    "DECODERS",
    "LANG_OF",
    "ON_STRICT",
    "annotate_straddle",
    "corrupt",
    "damage_page",
    "decode_gbk_like_site",
    "decode_page",
    "decode_wrongly",
    "fold_page",
    "is_lossless",
    "narrow_gbk",
    "narrow_gbk_bytes",
    "ruby_page",
]

# The encoding names of the chains and the Python codecs that implement them: Big5 and
# Shift_JIS as written in practice are Microsoft's cp950 and cp932.
_PYTHON_CODEC: dict[str, str] = {
    "utf-8": "utf-8",
    "gbk": "gbk",
    "big5": "cp950",
    "shift_jis": "cp932",
    "euc-jp": "euc_jp",
    "euc-kr": "euc_kr",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
    **{c.name: c.writer for c in _CODEC_ROWS if c.kind == "utf-16"},
}

#: Mojibake chains by name: each step encodes the text in the first encoding and decodes
#: the bytes with the second (the rows of :data:`cjkfix.codecs.CHAINS`, in their order).
CHAINS: dict[str, tuple[tuple[str, str], ...]] = {c.name: c.steps for c in _CHAIN_ROWS}

#: The language a legacy original encoding is sampled in (its main language; the engine
#: knows GBK writes Traditional Chinese too). UTF-8 suits all of them.
LANG_OF: dict[str, tuple[str, ...]] = {
    c.name: c.languages[:1] for c in _CODEC_ROWS if c.kind == "double-byte"
}

#: The decoder behaviours, see the module docstring.
DECODERS: tuple[str, ...] = (
    "strict",
    "replace",
    "qmark",
    "whatwg",
    "drop",
    "eat",
    "pua-dropped",
    "folded",
)

#: Behaviours that fail where ``strict`` fails (they work on what it decodes).
ON_STRICT: frozenset[str] = frozenset({"strict", "folded"})

_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_PUA = re.compile("[\ue000-\uf8ff]")

# The behaviours each chain's row says occur in it.
_BEHAVIOURS: dict[str, tuple[str, ...]] = {c.name: c.behaviours for c in _CHAIN_ROWS}

# windows-1252 leaves these bytes undefined; a WHATWG decoder maps them to the C1
# controls of the same value where Python's codec refuses them.
_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _whatwg_single_byte(data: bytes, codec: str) -> str:
    if codec == "latin-1":
        return data.decode("latin-1")
    return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in data)


def _whatwg_multibyte(data: bytes, codec: str, eat: bool = False, pua: bool = False) -> str:
    """WHATWG's decoder; ``eat``: a Windows decoder; ``pua``: one that reads GBK's
    user-defined areas and ``80`` as Windows does (see :data:`DECODERS`)."""
    # WHATWG's gbk decoder is GB18030's, which also maps GBK's user-defined areas.
    name = "gb18030" if codec == "gbk" and (pua or not eat) else _PYTHON_CODEC[codec]
    bad = _CODEC[codec].default_char if eat else "\ufffd"
    out: list[str] = []
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        try:
            out.append(bytes((b,)).decode(name))
            i += 1
            continue
        except UnicodeDecodeError:
            pass
        if (pua or not eat) and b == 0x80 and name == "gb18030":
            out.append("\u20ac")  # (WHATWG's gb18030 decoder: 80 alone is the euro sign)
            i += 1
            continue
        if i + 1 >= n or (not eat and not _CODEC[codec].is_lead(b)):
            # (at the end; or, WHATWG's, a byte that is no lead: 80 or FF in Big5)
            out.append(bad)
            i += 1
            continue
        try:
            out.append(data[i : i + 2].decode(name))
            i += 2
            continue
        except UnicodeDecodeError:
            pass
        # An ASCII byte after a bad lead is given back to the stream ("prepended" in
        # WHATWG's words), or eaten by a Windows decoder; any other byte is lost with
        # the lead.
        out.append(bad)
        i += 1 if data[i + 1] < 0x80 and not eat else 2
    return "".join(out)


def decode_wrongly(data: bytes, codec: str, behaviour: str) -> str | None:
    """Decode ``data`` with ``codec`` (an encoding name of :data:`CHAINS`) as a decoder
    with ``behaviour`` (one of :data:`DECODERS`) would; ``None`` when ``strict`` fails.
    An unknown codec or behaviour raises :class:`ValueError`.

    A GBK lead byte ``81`` before a byte that cannot be its trail: Python replaces each
    byte, a WHATWG decoder loses the pair in one U+FFFD unless the second byte is ASCII.

    >>> decode_wrongly(b"\\x81\\xffA", "gbk", "replace")
    '\ufffd\ufffdA'
    >>> decode_wrongly(b"\\x81\\xffA", "gbk", "whatwg")
    '\ufffdA'
    >>> decode_wrongly(b"\\x81,A", "gbk", "whatwg")
    '\ufffd,A'
    >>> decode_wrongly(b"\\x81,A", "gbk", "strict") is None
    True
    """
    _check_behaviour(behaviour)
    if codec in singlebyte.READERS:
        return _read_table(data, singlebyte.READERS[codec], behaviour)
    name = _PYTHON_CODEC.get(codec)
    if name is None:
        valid = ", ".join([*_PYTHON_CODEC, *singlebyte.READERS])
        raise ValueError(f"unknown codec {codec!r}; valid codecs: {valid}")
    if behaviour in ("strict", "folded"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            return None
        return text.translate(_FOLD) if behaviour == "folded" else text
    if behaviour == "replace":
        return data.decode(name, "replace")
    if behaviour == "qmark":
        return data.decode(name, "replace").replace("\ufffd", "?")
    if behaviour == "drop":
        return data.decode(name, "ignore")
    if behaviour == "eat" and codec in _CODEC and _CODEC[codec].kind == "double-byte":
        return _whatwg_multibyte(data, codec, eat=True)
    if behaviour == "pua-dropped":
        if codec != "gbk":
            raise ValueError(f"the pua-dropped decoder reads GBK only, not {codec!r}")
        return _PUA.sub("", _whatwg_multibyte(data, codec, eat=True, pua=True))
    if behaviour == "eat":
        return data.decode(name, "replace").replace("\ufffd", _CODEC[codec].default_char)
    if codec == "utf-8":
        # WHATWG's UTF-8 decoder replaces maximal subparts, as Python's does
        return data.decode("utf-8", "replace")
    if codec in ("cp1252", "latin-1"):
        return _whatwg_single_byte(data, codec)
    return _whatwg_multibyte(data, codec)


def _read_table(data: bytes, row: singlebyte.Row, behaviour: str) -> str | None:
    """``data`` through ``row``'s table (:func:`cjkfix.singlebyte.shown`): a byte it has
    no character for fails ``strict``, is dropped by ``drop``, is U+FFFD (``?`` for
    ``qmark``) otherwise; a byte it shows as nothing (a C1 control, a soft hyphen) is
    lost whatever the decoder; a reader that renders HTML shows a run of spaces as one.

    >>> _read_table("대".encode("utf-8"), singlebyte.READERS["cp874+cp1252"], "strict")
    '๋Œ€'
    """
    out: list[str] = []
    for b in data:
        ch = singlebyte.shown(row, b)
        if ch is None:
            if behaviour == "strict":
                return None
            if behaviour != "drop":
                out.append("?" if behaviour == "qmark" else "\ufffd")
            continue
        out.append(ch)
    text = "".join(out)
    return re.sub("  +", " ", text) if row.collapse else text


def _check_behaviour(behaviour: str) -> None:
    if behaviour not in DECODERS:
        raise ValueError(
            f"unknown decoder behaviour {behaviour!r}; valid behaviours: {', '.join(DECODERS)}"
        )


def corrupt(text: str, chain: str, behaviour: str) -> str | None:
    """``text`` through ``chain`` with decoders of ``behaviour``.

    ``None`` when that is impossible: ``text`` cannot be encoded in a step's original
    encoding, or ``behaviour`` is ``strict`` and a step loses bytes. An unknown chain
    or behaviour raises :class:`ValueError` naming the valid ones.

    >>> corrupt("测试", "utf-8>cp1252>utf-8>cp1252", "strict")
    'Ã¦Âµâ€¹Ã¨Â¯â€¢'
    """
    steps = CHAINS.get(chain)
    if steps is None:
        raise ValueError(f"unknown chain {chain!r}; valid chains: {', '.join(CHAINS)}")
    _check_behaviour(behaviour)
    if behaviour not in _BEHAVIOURS[chain]:
        behaviour = "strict"
    for original, wrong in steps:
        try:
            data = text.encode(_PYTHON_CODEC[original])
        except UnicodeEncodeError:
            return None
        out = decode_wrongly(data, wrong, behaviour)
        if out is None:
            return None
        text = out
    return text


def is_lossless(text: str, chain: str) -> bool:
    """Whether ``chain`` with strict decoders keeps every byte of ``text``.

    >>> is_lossless("中文", "utf-8>gbk"), is_lossless("中文", "gbk>latin-1")
    (False, True)
    """
    return corrupt(text, chain, "strict") is not None


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
