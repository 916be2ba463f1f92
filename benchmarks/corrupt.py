"""Corruption generator: make mojibake with known ground truth (benchmarks and tests).

A chain is a list of (original encoding, wrong codec) steps; a decoder behaviour says
what the wrong decoder does with bytes it cannot map:

* ``strict``: the chain must be lossless (``None`` when it is not);
* ``replace``: Python's ``errors="replace"`` (one U+FFFD per bad byte);
* ``qmark``: Windows/PHP style, ``?`` for each bad byte;
* ``whatwg``: a WHATWG-style decoder: a bad pair whose second byte is not ASCII is
  consumed whole (one U+FFFD for two bytes); windows-1252's undefined bytes become C1
  controls;
* ``drop``: bad bytes silently dropped.
"""

from __future__ import annotations

PY = {
    "utf-8": "utf-8",
    "gbk": "gbk",
    "big5": "cp950",
    "shift_jis": "cp932",
    "euc-jp": "euc_jp",
    "euc-kr": "euc_kr",
    "cp1252": "cp1252",
    "latin-1": "latin-1",
}

CHAINS: dict[str, list[tuple[str, str]]] = {
    "utf-8>gbk": [("utf-8", "gbk")],
    "utf-8>big5": [("utf-8", "big5")],
    "utf-8>shift_jis": [("utf-8", "shift_jis")],
    "utf-8>euc-jp": [("utf-8", "euc-jp")],
    "utf-8>euc-kr": [("utf-8", "euc-kr")],
    "utf-8>cp1252": [("utf-8", "cp1252")],
    "gbk>latin-1": [("gbk", "latin-1")],
    "big5>latin-1": [("big5", "latin-1")],
    "shift_jis>latin-1": [("shift_jis", "latin-1")],
    "euc-kr>latin-1": [("euc-kr", "latin-1")],
    "gbk>cp1252": [("gbk", "cp1252")],
    "shift_jis>cp1252": [("shift_jis", "cp1252")],
    "gbk>big5": [("gbk", "big5")],
    "big5>gbk": [("big5", "gbk")],
    "shift_jis>gbk": [("shift_jis", "gbk")],
    "gbk>shift_jis": [("gbk", "shift_jis")],
    "utf-8>gbk>utf-8>gbk": [("utf-8", "gbk"), ("utf-8", "gbk")],
    "utf-8>cp1252>utf-8>cp1252": [("utf-8", "cp1252"), ("utf-8", "cp1252")],
}

#: Which original encoding suits which language.
LANG_OF = {"gbk": ("zh-Hans",), "big5": ("zh-Hant",), "shift_jis": ("ja",), "euc-kr": ("ko",)}

DECODERS = ("strict", "replace", "qmark", "whatwg", "drop")


def _whatwg(data: bytes, codec: str) -> str:
    if codec in ("cp1252", "latin-1"):
        return (
            "".join(
                bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
                for b in data
            )
            if codec == "cp1252"
            else data.decode("latin-1")
        )
    name = "gb18030" if codec == "gbk" else PY[codec]  # WHATWG gbk maps the user areas
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
            out.append(bytes([b]).decode(name))
            i += 1
            continue
        except UnicodeDecodeError:
            pass
        if i + 1 < n:
            try:
                out.append(data[i : i + 2].decode(name))
                i += 2
                continue
            except UnicodeDecodeError:
                pass
            out.append("\ufffd")
            i += 1 if data[i + 1] < 0x80 else 2
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def decode(data: bytes, codec: str, behaviour: str) -> str | None:
    name = PY[codec]
    if behaviour == "strict":
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            return None
    if behaviour == "replace":
        return data.decode(name, "replace")
    if behaviour == "qmark":
        return data.decode(name, "replace").replace("\ufffd", "?")
    if behaviour == "drop":
        return data.decode(name, "ignore")
    if behaviour == "whatwg":
        return _whatwg(data, codec)
    raise ValueError(behaviour)


def corrupt(text: str, chain: str, behaviour: str) -> str | None:
    """``text`` through ``chain``; None if impossible (unencodable, or lossy under strict)."""
    for original, wrong in CHAINS[chain]:
        try:
            data = text.encode(PY[original])
        except UnicodeEncodeError:
            return None
        out = decode(data, wrong, behaviour)
        if out is None:
            return None
        text = out
    return text


def is_lossless(text: str, chain: str) -> bool:
    return corrupt(text, chain, "strict") is not None
