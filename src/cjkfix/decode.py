"""Bytes and files: decode with the encodings cjkfix knows, then repair.

    >>> from cjkfix.decode import decode
    >>> d = decode("今天天气很好，我们去公园散步吧。".encode("gbk"))
    >>> d.text, d.encoding
    ('今天天气很好，我们去公园散步吧。', 'gbk')
    >>> decode(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9").text
    'café'

The order: a BOM (stripped) decides; else strict UTF-8; else the detector below; then
:func:`cjkfix.repair` runs on the text, so that a wrong guess between two CJK codecs
(Big5 read as GBK) is itself mojibake that the repair may undo.

The detector knows only the encodings cjkfix repairs: each *family* (GBK/GB18030,
Big5/cp950/Big5-HKSCS, Shift_JIS/cp932, EUC-JP, EUC-KR/cp949, UTF-16 LE and BE,
cp1252) is read strictly, narrowest codec first, allowing a character cut at the end of
the sample; the readings that survive are scored with cjkfix's character model
(:mod:`cjkfix.model`) over the same bytes, and the likeliest wins. Latin-1 is the last
resort: it reads any bytes, without losing one.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from cjkfix._lazyre import LazyRegex

__all__ = ["DecodeError", "Decoded", "decode", "detect_encoding", "repair_file", "widest_codec"]

#: The detector looks at this many bytes at most: a strict read of each candidate ...
SAMPLE_BYTES = 64 * 1024
#: ... and scores each survivor's reading of this many bytes with the character model.
SCORE_BYTES = 4096

#: Candidate families in order of preference (the first of equal scores wins), each with
#: its Python codecs, narrowest first: a reading takes the first that decodes strictly.
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("gbk", "gb18030"),
    ("big5", "cp950", "big5hkscs"),
    ("shift_jis", "cp932"),
    ("euc_jp",),
    ("euc_kr", "cp949"),
    ("utf-16-le",),
    ("utf-16-be",),
    ("cp1252",),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: The model has no Latin statistics and gives every ASCII letter -6 (natural log); as
#: letters of a Western language they are nearer -3. Without this, ASCII text read as
#: UTF-16 (two letters as one common ideograph) would beat its own reading.
_ASCII_LETTER_GAIN = 3.0
#: A Latin-1 letter or sign beside an ASCII letter (``é`` in ``café``, ``¿`` in ``¿que``)
#: in a cp1252 reading gets this value instead of the model's rare-character value; CJK
#: bytes read as cp1252 give runs of such letters, which keep the model's value.
_LATIN_LETTER = -5.0
#: A CJK reading of Latin text turns an accented letter and the ASCII letter after it
#: into one ideograph or syllable inside a Latin word (``r閟umé``): each costs this much
#: more (CJK text has ``在Python中``, rarely a character with letters on both sides).
_ISOLATED_PENALTY = 8.0
_LATIN_SIGNS = frozenset("¡¿«»ºª°")

_ASCII_LETTERS = re.compile("[A-Za-z]")
_is_latin_letter = _ASCII_LETTERS.fullmatch
_NON_ASCII = re.compile("[^\x00-\x7f]")
_SUSPECT = LazyRegex("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")
_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n(?:[^\S\n]*\n)*")


class Readable(Protocol):
    """A file object: binary (``read`` gives bytes) or text (str)."""

    def read(self, size: int = -1, /) -> Any: ...


@dataclass(frozen=True)
class Decoded:
    """What :func:`decode` returns.

    ``text`` is the decoded and repaired text; ``encoding`` a Python codec name such that
    ``data.decode(encoding)`` is the text before repair (``utf-8-sig`` and ``utf-16``
    when a BOM decided); ``confidence`` (0 to 1) how sure the detector is (1.0 for a BOM
    or an encoding given by the caller); ``repaired`` whether :func:`cjkfix.repair`
    changed anything.
    """

    text: str
    encoding: str
    confidence: float
    repaired: bool


class DecodeError(UnicodeDecodeError):
    """Bytes the chosen encoding cannot decode; ``offset`` is their position in the whole
    input (``start`` and ``end`` are relative to ``object``, as for any
    :class:`UnicodeDecodeError`)."""

    def __init__(
        self, encoding: str, data: bytes, start: int, end: int, reason: str, offset: int
    ) -> None:
        super().__init__(encoding, data, start, end, reason)
        self.offset = offset

    def __str__(self) -> str:
        bad = self.object[self.start : self.end]
        return (
            f"cannot decode {bad!r} at byte offset {self.offset} as {self.encoding}: "
            f"{self.reason} (give the right encoding, or decode with errors='replace' "
            "yourself to accept U+FFFD)"
        )

    def __reduce__(self) -> Any:
        args = (self.encoding, self.object, self.start, self.end, self.reason, self.offset)
        return (type(self), args)


def _text_codec(name: str) -> str:
    """The canonical name of a text codec; LookupError for anything else."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise LookupError(f"unknown encoding: {name!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(
            f"{name!r} is not a text encoding (it maps bytes to bytes or str to str); "
            "use codecs.decode() for it"
        )
    return info.name


def _strict(data: bytes, name: str, final: bool) -> str | None:
    """``data`` decoded strictly (an incomplete last character allowed unless ``final``),
    or None."""
    try:
        if final:
            return data.decode(name)
        return codecs.getincrementaldecoder(name)().decode(data, False)
    except UnicodeDecodeError:
        return None


def _score(text: str, latin: bool) -> float:
    """Log-likelihood of ``text`` under the character model (best language), with the
    corrections for Latin text, which the model does not cover."""
    from cjkfix import model

    if not text:
        return 0.0
    lang, avg = model.score(text)
    total = avg * len(text) + _ASCII_LETTER_GAIN * len(_ASCII_LETTERS.findall(text))
    padded = f" {text} "
    for m in _NON_ASCII.finditer(text):
        ch = m.group()
        left, right = padded[m.start()], padded[m.end() + 1]
        if latin:
            if (ch in _LATIN_SIGNS or ("\u00c0" <= ch <= "\u00ff" and ch.isalpha())) and (
                _is_latin_letter(left) or _is_latin_letter(right)
            ):
                total += _LATIN_LETTER - model.char_logprob(ch, lang)
        elif model.is_cjk(ch) and _is_latin_letter(left) and _is_latin_letter(right):
            total -= _ISOLATED_PENALTY
    return total


def _readings(sample: bytes, final: bool) -> list[tuple[str, str]]:
    """(codec, text) for each family that reads ``sample`` strictly, in FAMILIES order."""
    out: list[tuple[str, str]] = []
    for family in FAMILIES:
        if family[0].startswith("utf-16") and len(sample) < 2:
            continue
        for name in family:
            text = _strict(sample, name, final)
            if text is not None:
                out.append((name, text))
                break
    return out


def _ranked(sample: bytes, final: bool, utf8: str | None) -> list[tuple[str, float]]:
    """Candidate codecs for ``sample`` (no BOM; ``utf8`` its UTF-8 reading, if it has
    one), best first, with confidence."""
    readings = _readings(sample, final)
    if utf8 is not None:
        readings.insert(0, ("utf-8", utf8))
    if not readings:
        return [("latin-1", 0.0)]
    head = sample[:SCORE_BYTES]
    scores: list[tuple[float, int, str]] = []
    seen: set[str] = set()
    for order, (name, text) in enumerate(readings):
        if text in seen:
            continue  # (ASCII reads the same in most: one hypothesis, the first codec)
        seen.add(text)
        part = text if len(head) == len(sample) else _strict(head, name, False)
        if part is not None:  # (always: a prefix of a strict read reads)
            scores.append((_score(part, name == "cp1252"), -order, name))
    scores.sort(reverse=True)
    best = scores[0][0]
    norm = sum(math.exp(max(s - best, -700.0)) for s, _o, _n in scores)
    return [(name, round(math.exp(s - best) / norm, 3)) for s, _o, name in scores]


def _plain(text: str) -> bool:
    """Is a strict UTF-8 reading free of what text rarely holds (controls other than
    white space, private use, unassigned code points)? Then it decides; otherwise it is
    one candidate among the others (UTF-16 kana can be ASCII, GBK can be valid UTF-8)."""
    if _SUSPECT.search(text):
        return False
    return text.isascii() or all(
        unicodedata.category(ch) != "Cn" for ch in set(text) if not ch.isascii()
    )


def detect_encoding(sample: bytes) -> tuple[str, float]:
    """The likeliest encoding of ``sample`` (the start of a text: its last character may
    be cut) among those cjkfix knows, and a confidence from 0 to 1.

        >>> detect_encoding("漢字のテキスト、文字化けの修復。".encode("shift_jis"))
        ('shift_jis', 1.0)
        >>> detect_encoding(b"plain ascii")
        ('utf-8', 1.0)
    """
    return _detect(_check_bytes(sample, "detect_encoding")[:SAMPLE_BYTES], final=False)[0]


def _detect(sample: bytes, final: bool, start: bool = True) -> list[tuple[str, float]]:
    """Candidates for ``sample``, best first; ``start``: the sample is the data's start
    (where a BOM counts)."""
    bom = next((name for b, name in _BOMS if sample.startswith(b)), None) if start else None
    if bom is not None:
        return [(bom, 1.0)]
    if not sample:
        return [("utf-8", 1.0)]
    utf8 = _strict(sample, "utf-8", final)
    if utf8 is not None and _plain(utf8):
        return [("utf-8", 1.0 if sample.isascii() else 0.99)]
    return _ranked(sample, final, utf8)


def _check_bytes(data: object, func: str) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    hint = " (it is already text: use cjkfix.repair)" if isinstance(data, str) else ""
    raise TypeError(f"{func}() takes bytes, not {type(data).__name__}{hint}")


def _decode_error(e: UnicodeDecodeError, offset: int) -> DecodeError:
    return DecodeError(e.encoding, e.object, e.start, e.end, e.reason, offset + e.start)


def _drop_bom(text: str, name: str) -> str:
    return text[1:] if name.startswith("utf") and text.startswith("\ufeff") else text


def decode(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Decode ``data`` and repair the text; see the module's docstring for the order.

    ``encoding`` (any Python text codec) skips the detection; bytes it cannot decode
    raise :class:`DecodeError` (a :class:`UnicodeDecodeError`) naming their offset.

        >>> decode("오늘 날씨가 좋네요".encode("euc-kr"))
        Decoded(text='오늘 날씨가 좋네요', encoding='euc_kr', confidence=1.0, repaired=False)
    """
    import cjkfix

    text, name, confidence = _decode_only(_check_bytes(data, "decode"), encoding)
    fixed = cjkfix.repair(text)
    return Decoded(fixed, name, confidence, fixed != text)


def _decode_only(data: bytes, encoding: str | None = None) -> tuple[str, str, float]:
    """:func:`decode` without the repair: (text, codec, confidence)."""
    if encoding is not None:
        name = _text_codec(encoding)
        try:
            return _drop_bom(data.decode(name), name), name, 1.0
        except UnicodeDecodeError as e:
            raise _decode_error(e, 0) from None
    start = _sample_start(data)
    sample = data[start : start + SAMPLE_BYTES]
    final = start + len(sample) == len(data)
    name, confidence = _detect(sample, final, start == 0)[0]
    error: UnicodeDecodeError | None = None
    for codec in _family(name):
        try:
            return data.decode(codec), name if error is None else codec, confidence
        except UnicodeDecodeError as e:
            # the sample read well, the rest does not: a wider codec of the family (a
            # GB18030 character after 64 kB of GBK), else the error
            error = e
    assert error is not None
    raise _decode_error(error, 0) from None


_HIGH = re.compile(rb"[\x80-\xff]")


def _sample_start(data: bytes) -> int:
    """Where the detector's sample starts: at 0, or, when the first ``SAMPLE_BYTES`` are
    ASCII without NUL (the same in every candidate but UTF-16), at the line of the first
    byte that is not ASCII."""
    if len(data) <= SAMPLE_BYTES or not data[:SAMPLE_BYTES].isascii() or 0 in data[:SAMPLE_BYTES]:
        return 0
    m = _HIGH.search(data)
    return 0 if m is None else data.rfind(b"\n", 0, m.start()) + 1


def _family(name: str) -> tuple[str, ...]:
    """``name`` and the wider codecs of its family, narrowest first."""
    for family in FAMILIES:
        if name in family:
            return family[family.index(name) :]
    return (name,)


def widest_codec(sample: bytes, name: str, final: bool) -> str:
    """The widest codec of ``name``'s family that reads ``sample`` as ``name`` does: what
    a file is decoded with when only its start was looked at."""
    text = _strict(sample, name, final)
    for wider in reversed(_family(name)[1:]):
        if _strict(sample, wider, final) == text:
            return wider
    return name


# ---------------------------------------------------------------------------- files

#: Bytes (or characters, for a text file) asked of the file per read.
CHUNK_SIZE = 64 * 1024
#: Text repaired as one piece, at most: a file this long or shorter comes out exactly as
#: ``repair(whole_text)``; a longer one is repaired in blocks cut at blank lines.
BLOCK_CHARS = 1 << 20


def repair_file(
    path_or_file: str | os.PathLike[str] | Readable,
    *,
    encoding: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    block_chars: int = BLOCK_CHARS,
    **options: Any,
) -> Iterator[str]:
    """Yield the repaired text of a file, paragraph by paragraph, in bounded memory.

    ``path_or_file`` is a path, a binary file object (decoded with ``encoding``, or the
    encoding :func:`detect_encoding` finds in its first 64 kB) or a text file object
    (``encoding`` must then be None). ``"".join(repair_file(f))`` is
    ``repair(text)`` for any file up to ``block_chars`` characters; a longer text is
    repaired in blocks of at most that size, cut after a blank line (else after a line
    end, else after white space). ``options`` are :func:`cjkfix.repair`'s. Bytes that do
    not decode raise :class:`DecodeError` with their offset in the file.

        >>> import io
        >>> list(repair_file(io.BytesIO("發(fā)展\\n\\n好".encode("utf-8"))))
        ['發展\\n\\n', '好']
    """
    if chunk_size < 1 or block_chars < 1:
        raise ValueError("chunk_size and block_chars must be positive")
    if encoding is not None:
        encoding = _text_codec(encoding)
    if isinstance(path_or_file, (bytes, bytearray, memoryview)):
        raise TypeError("repair_file() takes a path or a file object: for bytes, use cjkfix.decode")
    if isinstance(path_or_file, (str, os.PathLike)):
        return _from_path(path_or_file, encoding, chunk_size, block_chars, options)
    if not hasattr(path_or_file, "read"):
        raise TypeError(
            f"repair_file() takes a path or a file object, not {type(path_or_file).__name__}"
        )
    return _blocks(_chunks(path_or_file, encoding, chunk_size), block_chars, options)


def _from_path(
    path: Any, encoding: str | None, chunk_size: int, block_chars: int, options: dict[str, Any]
) -> Iterator[str]:
    with open(path, "rb") as f:
        yield from _blocks(_chunks(f, encoding, chunk_size), block_chars, options)


def _chunks(f: Readable, encoding: str | None, chunk_size: int) -> Iterator[str]:
    """The decoded text of ``f``, in pieces."""
    first = f.read(chunk_size)
    if isinstance(first, str):
        if encoding is not None:
            raise ValueError("encoding applies to binary files; this file object gives text")
        chunk: str = first
        while chunk:
            yield chunk
            chunk = f.read(chunk_size)
        return
    if not isinstance(first, (bytes, bytearray)):
        raise TypeError(f"the file's read() gave {type(first).__name__}, not bytes or str")
    head, eof = _read_at_least(f, bytes(first), chunk_size)
    fed = 0
    if encoding is not None:
        name = encoding
    else:
        # ASCII (without NUL) reads the same in every candidate but UTF-16: detect on
        # the first sample that is not
        while not eof and head.isascii() and 0 not in head:
            yield head.decode("ascii")
            fed += len(head)
            head, eof = _read_at_least(f, b"", chunk_size)
        sample = head[:SAMPLE_BYTES]
        final = eof and len(sample) == len(head)
        name = widest_codec(sample, _detect(sample, final, fed == 0)[0][0], final)
    decoder = codecs.getincrementaldecoder(name)()
    data = head
    started = fed > 0
    while True:
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(data, eof)
        except UnicodeDecodeError as e:
            raise _decode_error(e, fed - len(pending)) from None
        fed += len(data)
        if not started and text:
            text = _drop_bom(text, name)
            started = True
        if text:
            yield text
        if eof:
            return
        data = f.read(chunk_size)
        eof = not data


def _read_at_least(f: Readable, head: bytes, chunk_size: int) -> tuple[bytes, bool]:
    """``head`` and what ``f`` gives after it, up to ``SAMPLE_BYTES`` or more; and whether
    the file ended."""
    parts = [head]
    size = len(head)
    eof = False
    while size < SAMPLE_BYTES:
        more = f.read(chunk_size)
        if not more:
            eof = True
            break
        parts.append(more)
        size += len(more)
    return b"".join(parts), eof


def _cut(buffer: str, limit: int) -> int:
    """Where to cut a block of at most ``limit`` characters off ``buffer``."""
    window = buffer[:limit]
    ends = [m.end() for m in _PARAGRAPH_END.finditer(window)]
    if ends:
        return ends[-1]
    i = window.rfind("\n")
    if i >= 0:
        return i + 1
    for j in range(len(window) - 1, 0, -1):
        if window[j].isspace():
            return j + 1
    return limit


def _blocks(pieces: Iterator[str], block_chars: int, options: dict[str, Any]) -> Iterator[str]:
    import cjkfix

    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size < block_chars:
            continue
        text = "".join(buffer)
        while len(text) >= block_chars:
            cut = _cut(text, block_chars)
            yield from _paragraphs(cjkfix.repair(text[:cut], **options))
            text = text[cut:]
        buffer = [text]
        size = len(text)
    text = "".join(buffer)
    if text:
        yield from _paragraphs(cjkfix.repair(text, **options))


def _paragraphs(text: str) -> Iterator[str]:
    """``text`` in pieces that each end after a blank line (the last may not)."""
    start = 0
    for m in _PARAGRAPH_END.finditer(text):
        yield text[start : m.end()]
        start = m.end()
    if start < len(text):
        yield text[start:]
