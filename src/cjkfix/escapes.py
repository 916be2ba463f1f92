"""Escape leaks: CJK text left as escapes by a writer that meant to output characters.

Each kind of leak is a named rule (:data:`RULES`), a regex for the escapes and a decoder:

* ``json_utf8_bytes``: ``\\u00e4\\u00b8\\u00ad``, a JSON writer fed mojibake wrote each
  UTF-8 *byte* as a code point; the bytes are put back together (``中``). (Legacy bytes,
  GBK read as latin-1 and escaped, are read as below for byte escapes.)
* ``json_in_prose``: ``你\\u54cb形容``, a literal ``\\uXXXX`` of a CJK character standing
  in running CJK text (a CMS escaped what its legacy charset could not hold). An escaped
  backslash (``\\\\u54cb``) is a JSON string's own text: left alone.
* ``html_reference``: ``&#x4F60;&#x597D;`` (``你好``), numeric character references of
  CJK characters; ``html_reference_lost_amp``: the same with the ``&`` lost
  (``定价#xff1a;100`` -> ``定价：100``).
* ``percent_in_prose``: ``变成%E6%96%B0%E5%BB%BA``, URL percent-escapes of a file name
  pasted into prose.
* ``hex_bytes``: ``<C9><BE><B3><FD>``, bytes as ``less`` shows them (``删除``).
* ``iso2022_without_esc``: ``$B$$$D$b(B``, an ISO-2022-JP body whose ESC bytes were
  stripped (``いつも``).
* ``mime_encoded_word``: ``=?gb2312?B?1eLKx7rcu7W1xA==?=`` (``这是很坏的``), a mail header's
  RFC 2047 encoded words left undecoded (by a tracker, a list archive, a log); the
  charset is declared, read as its superset (GB2312 as GB18030, Big5 as cp950, Shift_JIS
  as cp932, EUC-KR as cp949); a closing ``=`` may be lost. Words side by side are one
  text (a character may be split between two); decoded only to text with CJK in it, and
  not inside code spans (a page explaining the syntax).

The escapes are written back as the characters themselves, never as other escapes: the
real leaks stand in prose, where a reader wants ``哋``, and inside a JSON string the
character is as valid as its escape.

What stays: escapes inside URLs (``/%EA%B8%B0/``, ``?q=%E4%B8%AD``) and code spans
(```\\u4e2d```), an escape of a character that is not CJK (``#fff;`` in CSS, an issue
``#12;``, ``\\u00e9``), a correct ``\\u4e2d`` in a JSON string or program (not touching CJK
prose), and percent-escapes that do not touch CJK text (an English bug report quoting
``%EA%B8%B0``). Byte escapes must decode strictly, to CJK text; when the codec is not
UTF-8, the character model must prefer one codec's reading by a clear margin.

    >>> from cjkfix import repair
    >>> repair("定价#xff1a;100 元")
    '定价：100 元'
    >>> repair('"\\\\u00e4\\\\u00b8\\\\u00ad\\\\u00e6\\\\u0096\\\\u0087"')
    '"中文"'
    >>> repair("color: #fff; 见 https://example.com/%E4%B8%AD")
    'color: #fff; 见 https://example.com/%E4%B8%AD'
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Iterator

from cjkfix._lazyre import LazyRegex
from cjkfix._scan import positions
from cjkfix.config import Config
from cjkfix.registry import Fixer, register
from cjkfix.steps import Edit

__all__ = ["FIXER", "RULES", "EscapeRule", "decode_bytes", "fix", "gate"]


def _is_cjk(ch: str) -> bool:
    """Han, kana, Hangul, CJK punctuation and full-width forms: what a CJK writer's
    escapes stand for (a Latin letter's escape may be deliberate)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x2FDF
        or 0x3000 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7A3
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF01 <= o <= 0xFFEF
        or 0x1100 <= o <= 0x11FF
        or 0x20000 <= o <= 0x3134F
    )


def _all_cjk(text: str) -> bool:
    return bool(text) and all(_is_cjk(c) or c in " \n" for c in text) and any(map(_is_cjk, text))


#: Legacy codecs a byte escape may hold, tried when the bytes are not UTF-8.
_LEGACY = ("gbk", "big5", "shift_jis", "euc_kr", "euc_jp")
#: The chosen reading's mean log-probability per character (cjkfix.model) must reach
#: this and beat every other codec's by the margin: one right codec reads as words,
#: the others as a scatter of rare characters (``删除不必要的`` -4.9, Big5 -14.5).
_FLUENT = -8.5
_MARGIN = 3.0


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """The text and codec of escaped bytes, or ``None`` when no codec reads them as CJK.

    >>> decode_bytes(bytes.fromhex("e4b8ade69687"))
    ('中文', 'utf-8')
    >>> decode_bytes(bytes.fromhex("c9beb3fd"))
    ('删除', 'gbk')
    >>> decode_bytes(b"\\xe9") is None
    True
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Random bytes are almost never valid multi-byte UTF-8.
        return (text, "utf-8") if _all_cjk(text) else None
    from cjkfix import model

    scored = []
    for codec in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # One legacy character from two bytes is too little to tell a codec by.
        if len(text) >= 2 and _all_cjk(text):
            scored.append((model.score(text)[1], codec, text))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < _FLUENT:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _MARGIN:
        return None
    return scored[0][2], scored[0][1]


@dataclasses.dataclass(frozen=True)
class EscapeRule:
    """One kind of escape leak: where it is (``pattern``), what it stands for
    (``decode``: the characters and the evidence, or ``None`` to leave it), and whether
    it must touch CJK prose to count (``in_prose``) unless ``alone`` or more escapes
    stand in a row (``0``: never). Every match starts with the character ``lead``."""

    name: str
    lead: str
    pattern: LazyRegex
    decode: Callable[[re.Match[str]], tuple[str, dict[str, object]] | None]
    in_prose: bool
    confidence: float
    alone: int = 0
    #: Also inside code spans (```...```)? (Rules that must touch CJK prose never are.)
    in_code: bool = True


def _json_escape(m: re.Match[str]) -> tuple[str, dict[str, object]] | None:
    import json  # (here: ``import cjkfix`` imports this module)

    try:
        text = json.loads(f'"{m.group()}"')
    except ValueError:
        return None
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text) or not _all_cjk(text):
        return None  # a lone surrogate, or not CJK
    return text, {"escapes": m.group().count("\\u")}


def _html_reference(m: re.Match[str]) -> tuple[str, dict[str, object]] | None:
    chars = []
    for ref in re.findall(r"#([xX][0-9a-fA-F]{1,6}|[0-9]{1,7});", m.group()):
        code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
        if code > 0x10FFFF:
            return None
        chars.append(chr(code))
    text = "".join(chars)
    if not _all_cjk(text):
        return None
    return text, {"references": len(chars), "ampersand_lost": not m.group().startswith("&")}


_PUNCTUATION = "\u3001\u3002\u300a-\u3011\uff01-\uff5e"


def _lost_amp_reference(m: re.Match[str]) -> tuple[str, dict[str, object]] | None:
    """Without its ``&`` a reference looks like an issue number or a colour, so each
    character must be CJK punctuation or one a CJK text would use (``#12345;`` is
    U+3039, a Suzhou numeral: no)."""
    found = _html_reference(m)
    if found is None:
        return None
    from cjkfix import model

    for c in found[0]:
        if re.match(f"[{_PUNCTUATION}]", c):
            continue
        if not model.is_cjk(c) or model.best_char_logprob(c) < _COMMON:
            return None
    return found


#: A character this likely (log-probability, cjkfix.model) in one of the languages is
#: one a writer uses; rarer ones behind a lost ``&`` are more likely a number.
_COMMON = -13.0


def _byte_escapes(hex_re: str) -> Callable[[re.Match[str]], tuple[str, dict[str, object]] | None]:
    def decode(m: re.Match[str]) -> tuple[str, dict[str, object]] | None:
        data = bytes(int(h, 16) for h in re.findall(hex_re, m.group()))
        found = decode_bytes(data)
        if found is None:
            return None
        return found[0], {"codec": found[1], "bytes": data.hex(" ")}

    return decode


def _iso2022(m: re.Match[str]) -> tuple[str, dict[str, object]] | None:
    body = "\x1b" + m.group()[:-2] + "\x1b" + m.group()[-2:]
    try:
        text = body.encode("ascii").decode("iso2022_jp")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None
    # Japanese prose has kana; a stray ``$B$C(B`` in a shell script is one character.
    if len(text) < 2 or not _all_cjk(text) or not re.search("[\u3041-\u30ff]", text):
        return None
    return text, {"codec": "iso2022_jp", "esc_restored": 2}


#: Declared charsets read as the codec that holds everything written under the name.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "shift_jis": "cp932"}
_SUPERSET.update({"euc_kr": "cp949", "euc_jp": "euc_jis_2004"})
_WORD = LazyRegex(r"=\?([A-Za-z0-9_.:-]{1,40})\?([BbQq])\?([^?\s]*)\?=?")


def _mime_words(m: re.Match[str]) -> tuple[str, dict[str, object]] | None:
    import base64
    import binascii
    import codecs

    pieces: list[tuple[str, bytes]] = []  # (codec, bytes), words of one codec joined
    for charset, kind, body in _WORD.findall(m.group()):
        try:
            name = codecs.lookup(charset.split("*")[0]).name
        except LookupError:
            return None
        name = _SUPERSET.get(name.replace("-", "_"), name)
        if kind in "Bb":
            try:
                data = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
            except (binascii.Error, ValueError):
                return None
        else:
            raw = body.replace("_", " ")
            data = re.sub("=([0-9A-Fa-f]{2})", lambda h: chr(int(h.group(1), 16)), raw).encode(
                "latin-1"
            )
        if pieces and pieces[-1][0] == name:
            pieces[-1] = (name, pieces[-1][1] + data)
        else:
            pieces.append((name, data))
    try:
        text = "".join(data.decode(name) for name, data in pieces)
    except (UnicodeDecodeError, LookupError):
        return None
    if not any(_is_cjk(c) for c in text) or any(c < " " and c not in "\t" for c in text):
        return None  # (a word of Latin text, or binary: not this library's to decode)
    return text, {"charsets": [name for name, _ in pieces], "words": len(_WORD.findall(m.group()))}


_HEX = "[0-9a-fA-F]"
RULES: tuple[EscapeRule, ...] = (
    EscapeRule(
        "json_utf8_bytes",
        "\\",
        LazyRegex(rf"(?<!\\)(?:\\u00[89a-fA-F]{_HEX}){{2,}}"),
        _byte_escapes(r"\\u00([0-9a-fA-F]{2})"),
        in_prose=False,
        confidence=0.97,
    ),
    EscapeRule(
        "json_in_prose",
        "\\",
        LazyRegex(rf"(?<!\\)(?:\\u(?!00){_HEX}{{4}})+"),
        _json_escape,
        in_prose=True,
        confidence=0.9,
    ),
    EscapeRule(
        "html_reference",
        "&",
        # A lone reference may be quoted on purpose (``写作&#x4F60;``); a run of them
        # is a serialised string.
        LazyRegex(rf"(?:&#(?:[xX]{_HEX}{{2,6}}|[0-9]{{2,7}});)+"),
        _html_reference,
        in_prose=True,
        confidence=0.95,
        alone=2,
    ),
    EscapeRule(
        # The ``&`` lost: only touching CJK prose (``#12;`` is an issue number).
        "html_reference_lost_amp",
        "#",
        LazyRegex(rf"(?<![&A-Za-z0-9_#])(?:#(?:[xX]{_HEX}{{2,6}}|[0-9]{{4,7}});)+"),
        _lost_amp_reference,
        in_prose=True,
        confidence=0.9,
    ),
    EscapeRule(
        "percent_in_prose",
        "%",
        LazyRegex(rf"(?:%[89a-fA-F]{_HEX}){{2,}}"),
        _byte_escapes(rf"%({_HEX}{{2}})"),
        in_prose=True,
        confidence=0.9,
    ),
    EscapeRule(
        "hex_bytes",
        "<",
        LazyRegex(r"(?:<[89A-F][0-9A-F]>){2,}"),
        _byte_escapes(r"<([0-9A-F]{2})>"),
        in_prose=False,
        confidence=0.85,
    ),
    EscapeRule(
        "iso2022_without_esc",
        "$",
        # ESC $ B (or the older ESC $ @) ... ESC ( B / ESC ( J, with the ESC bytes gone;
        # the body is pairs of bytes 0x21-0x7E, matched pair by pair.
        # A bounded body (a mail line holds at most a few dozen characters) keeps the
        # scan linear on text full of ``$B``.
        LazyRegex(r"\$[@B](?:[\x21-\x7e]{2}){1,200}?\([BJ]"),
        _iso2022,
        in_prose=False,
        confidence=0.9,
    ),
    EscapeRule(
        "mime_encoded_word",
        "=",
        # one or more words, side by side or folded onto the next line
        LazyRegex(_WORD.pattern + r"(?:(?:[ \t]*\r?\n)?[ \t]*" + _WORD.pattern + ")*"),
        _mime_words,
        in_prose=False,
        confidence=0.95,
        in_code=False,
    ),
)

# (a lookahead on the characters every rule starts with lets the scan skip ahead at C
# speed: the bare alternation tried every rule at every position, 50 ms per 1.7 MB)
_GATE = LazyRegex("(?=[\\\\&#%<$=])(?:" + "|".join(f"(?:{r.pattern.pattern})" for r in RULES) + ")")
# A URL or a path around the escape: the ASCII token it stands in holds a scheme or
# ``www.``, or the escape follows one of ``/?=&`` or is followed by ``/`` or ``&``.
_URLISH = LazyRegex(r"://|www\.")
_TOKEN_TAIL = LazyRegex("[!-~]*$")
_TOKEN_HEAD = LazyRegex("[!-~]*")
_CODE_SPAN = LazyRegex(r"`[^`\n]*`")


_LEAD = LazyRegex(r"[\\&#%<$=]")
_ANY = LazyRegex("|".join(f"(?:{r.pattern.pattern})" for r in RULES))


#: ``_LEAD``'s characters.
_LEAD_CHARS = "\\&#%<$="


def _leads(text: str) -> list[int]:
    """Where an escape may start: the positions of ``_LEAD``'s characters (the starts of
    ``_LEAD.finditer(text)``), shared by the rules; found a character at a time
    (:func:`cjkfix._scan.positions`: a few hundred in 128 Ki characters of prose, where
    the regex scan cost 0.4 ms per 128 Ki characters stepping through the rest)."""
    return positions(text, _LEAD_CHARS)


def _finditer(
    pattern: re.Pattern[str], text: str, leads: list[int] | None = None, lead: str = ""
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a rule: every escape starts with one of the
    characters of ``_LEAD`` (``lead`` for one rule), so the pattern is tried only there
    (a scan that tries a pattern at every position costs milliseconds per megabyte,
    seven rules over)."""
    end = 0
    for pos in _leads(text) if leads is None else leads:
        if pos < end or (lead and text[pos] != lead):
            continue
        m = pattern.match(text, pos)
        if m is not None and m.end() > pos:
            yield m
            end = m.end()


def gate(text: str) -> bool:
    # Every escape holds one of these; most text (ASCII text too) holds none of them.
    if not any(c in text for c in "\\%#$<="):
        return False
    return next(_finditer(_ANY.compiled(), text), None) is not None


def _touches_cjk(text: str, start: int, end: int) -> bool:
    return (start > 0 and _is_cjk(text[start - 1])) or (end < len(text) and _is_cjk(text[end]))


def _in_url(text: str, start: int, end: int, *, strict: bool) -> bool:
    """Whether the escape stands in a URL or a path. ``strict`` (for percent-escapes,
    which are URL syntax) also counts any ``/?=&#`` earlier in the same ASCII token."""
    if (start > 0 and text[start - 1] in "/?=&#") or (end < len(text) and text[end] in "/&"):
        return True
    # The ASCII token around the escape, looked at within a bounded window.
    before = _TOKEN_TAIL.search(text, max(0, start - 256), start)
    after = _TOKEN_HEAD.match(text, end, min(len(text), end + 256))
    left = before.group() if before else ""
    right = after.group() if after else ""
    if strict and re.search("[/?=&#]", left):
        return True
    return _URLISH.search(left + " " + right) is not None


def _escapes(rule: EscapeRule, m: re.Match[str]) -> int:
    return m.group().count(";") if rule.name.startswith("html") else 1


def fix(text: str, config: Config) -> list[Edit]:
    code = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(text)]
    code_starts = [s for s, _ in code]
    covered = bytearray(len(text))  # 1 where an earlier rule's edit stands
    edits: list[Edit] = []
    # (each rule tried at its own lead's places only: the same places, in order, as
    # all leads filtered by ``rule.lead`` in _finditer)
    by_lead = {ch: positions(text, ch) for ch in _LEAD_CHARS}
    for rule in RULES:
        leads = by_lead[rule.lead] if rule.lead in by_lead else _leads(text)
        for m in _finditer(rule.pattern.compiled(), text, leads, rule.lead):
            start, end = m.span()
            if covered.find(1, start, end) != -1:
                continue
            if rule.in_prose and not (rule.alone and _escapes(rule, m) >= rule.alone):
                if not _touches_cjk(text, start, end):
                    continue
                i = bisect.bisect_right(code_starts, start) - 1
                if i >= 0 and end <= code[i][1]:
                    continue  # inside a code span
            if not rule.in_code:
                i = bisect.bisect_right(code_starts, start) - 1
                if i >= 0 and end <= code[i][1]:
                    continue  # inside a code span
            if _in_url(text, start, end, strict=rule.name == "percent_in_prose"):
                continue
            decoded = rule.decode(m)
            if decoded is None:
                continue
            after, evidence = decoded
            covered[start:end] = b"\x01" * (end - start)
            edits.append(
                Edit(
                    start,
                    end,
                    after,
                    reason=f"escape leak ({rule.name}): {m.group()[:40]!r} stands for {after!r}",
                    confidence=rule.confidence,
                    evidence={"rule": rule.name, **evidence},
                )
            )
    edits.sort(key=lambda e: e.start)
    return edits


FIXER = register(
    Fixer(
        "escapes",
        gate=gate,
        fix=fix,
        gate_pattern=_GATE.pattern,
        gate_chars="\\%#$<=",
        ascii_text=True,
        # gate() answers as _GATE.search: no rule matches an empty string, and each
        # starts with its lead (``&#`` holds a ``#``), so a match of _GATE is a match of
        # _ANY at a lead; found from the leads, not by trying _GATE at every position
        # (4 ms per 1.7 MB of CJK text, against 0.2)
        gate_is_faster=True,
    )
)
