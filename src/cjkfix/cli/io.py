"""Inputs read as a stream of units, outputs written atomically, files found.

The CLI repairs a text one *unit* at a time: as many whole paragraphs as fit in
:data:`UNIT_LIMIT` (262,144) characters, cut after a blank line; a paragraph longer than
that is cut after a line end (a line longer than that, at the limit). A text no longer
than the limit is one unit, so it comes out exactly as :func:`cjkfix.repair` makes it;
a longer one is repaired unit by unit, with memory bounded whatever the input. The cuts
depend only on the text, never on how it was read, so the output does not depend on
block sizes or ``--jobs``.

No fixer's repair crosses a line end: mojibake runs are runs of non-ASCII characters,
narrowing and script conversion work within a line, ruby annotations and loss markers
hold no line end. What a unit cannot see is the evidence of the rest of a longer text (a
mojibake chain repaired in another unit, the ruby fixer's unambiguous annotation
elsewhere); ``--to auto`` reads the text twice to decide on the whole of it. See the
README, "Command line".
"""

from __future__ import annotations

import codecs
import contextlib
import fnmatch
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO, TextIO

__all__ = [
    "AtomicFile",
    "DeviceFile",
    "InputError",
    "Source",
    "encoding_error",
    "find_files",
    "read_units",
    "split_units",
]

#: Units are at most this long (characters): a text no longer is one unit, repaired
#: exactly as ``repair`` repairs it; short enough that the fixers' working memory on one
#: unit stays small (with units of 1M characters a 300 MB file peaked at 218 MB RSS).
UNIT_LIMIT = 1 << 18
#: Bytes read at a time.
READ_SIZE = 1 << 16
#: Bytes ``--encoding auto`` looks at to guess the encoding (from the first that is not
#: ASCII).
SAMPLE_SIZE = 1 << 16
#: Bytes looked at for a NUL byte before a file found by ``--recursive`` is taken for text.
BINARY_PROBE = 8192

_SURROGATE = re.compile("[\ud800-\udfff]")
#: Directories ``--recursive`` never enters.
_VCS_DIRS = frozenset({".git", ".hg", ".svn"})


class InputError(Exception):
    """An input that cannot be read as text; the message names it and where."""


class Source:
    """One input: a file, or standard input (``path`` is ``"-"``)."""

    def __init__(self, path: str, root: str | None = None) -> None:
        self.path = path
        #: the directory argument it was found under (``--recursive``), if any
        self.root = root
        #: the codec it was read with, once reading has started (``--encoding auto``
        #: decides then)
        self.encoding: str | None = None

    @property
    def name(self) -> str:
        return "<stdin>" if self.path == "-" else self.path

    @property
    def is_stdin(self) -> bool:
        return self.path == "-"

    def size(self) -> int | None:
        if self.is_stdin:
            return None
        try:
            return os.path.getsize(self.path)
        except OSError:
            return None

    def open(self) -> BinaryIO:
        if self.is_stdin:
            if sys.stdin is None:
                raise InputError("<stdin>: standard input is closed")
            return sys.stdin.buffer
        if os.path.isdir(self.path):
            raise InputError(f"{self.path}: is a directory (use --recursive)")
        try:
            return open(self.path, "rb")
        except FileNotFoundError:
            raise InputError(f"{self.path}: no such file") from None
        except PermissionError:
            raise InputError(f"{self.path}: permission denied") from None
        except OSError as e:
            raise InputError(f"{self.path}: {e.strerror or e}") from None


def encoding_error(name: str) -> str | None:
    """Why ``name`` cannot be an input encoding, or ``None`` if it can."""
    if name == "auto":
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return f"unknown encoding {name!r}"
    # base64, hex, rot13, zlib, ...: codecs from bytes to bytes or str to str
    if not getattr(info, "_is_text_encoding", True):
        return f"{name!r} is not a text encoding (it does not turn bytes into text)"
    return None


def _sample(raw: BinaryIO, head: bytes) -> tuple[bytes, bool]:
    """``head`` and what ``raw`` gives after it, up to :data:`SAMPLE_SIZE` bytes or more
    (a pipe gives less than asked); and whether the input ended."""
    parts = [head]
    size = len(head)
    while size < SAMPLE_SIZE:
        more = raw.read(READ_SIZE)
        if not more:
            return b"".join(parts), True
        parts.append(more)
        size += len(more)
    return b"".join(parts), False


def _guess(name: str, sample: bytes, final: bool, notes: TextIO | None) -> str:
    """The codec ``--encoding auto`` reads with: :func:`cjkfix.decode.detect_encoding`'s
    guess, widened to the widest codec of its family that reads the sample the same
    (GB18030 for GBK: a file read from its start only may hold a GB18030 character
    later); named on stderr unless it is UTF-8."""
    from cjkfix.decode import _widest, detect_encoding

    guess, confidence = detect_encoding(sample)
    codec = _widest(sample, guess, final)
    if notes is not None and codecs.lookup(codec).name != "utf-8":
        notes.write(f"cjkfix: {name}: read as {codec} (guessed, confidence {confidence:.2f})\n")
    return codec


def _decode_error(name: str, encoding: str, e: UnicodeDecodeError, offset: int) -> InputError:
    label = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    data = e.object
    byte = (
        f"byte 0x{data[e.start]:02X} at offset {offset}"
        if e.start < len(data)
        else (f"truncated character at offset {offset}")
    )
    return InputError(
        f"{name}: not {label}: {byte} ({e.reason}); "
        "give its encoding with --encoding NAME (e.g. gbk), or --encoding auto"
    )


def _decoded(
    raw: BinaryIO,
    name: str,
    encoding: str,
    notes: TextIO | None,
    on_bytes: Callable[[int], None] | None,
    on_encoding: Callable[[str], None] | None,
) -> Iterator[str]:
    """The text of ``raw`` in pieces, decoded incrementally."""
    fed = 0
    data = raw.read(READ_SIZE)
    if encoding == "auto":
        data, ended = _sample(raw, data)
        # ASCII (without NUL) reads the same in every candidate but UTF-16: the guess is
        # made on the first sample that is not
        while not ended and data.isascii() and 0 not in data:
            if on_bytes is not None:
                on_bytes(len(data))
            fed += len(data)
            yield data.decode("ascii")
            data, ended = _sample(raw, b"")
        encoding = _guess(name, data[:SAMPLE_SIZE], ended and len(data) <= SAMPLE_SIZE, notes)
    if on_encoding is not None:
        on_encoding(encoding)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    while True:
        final = not data
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(data, final)
        except UnicodeDecodeError as e:
            raise _decode_error(name, encoding, e, fed - pending + e.start) from None
        fed += len(data)
        if on_bytes is not None and data:
            on_bytes(len(data))
        if text:
            yield text
        if final:
            return
        data = raw.read(READ_SIZE)


def split_units(buf: str, final: bool, limit: int = UNIT_LIMIT) -> tuple[list[str], str]:
    """The complete units at the start of ``buf``, and the rest (all of it if ``final``).

    A unit is the longest stretch of at most ``limit`` characters that ends after a blank
    line; failing that, after a line end; failing that, ``limit`` characters. What is left
    at the end, if no longer, is the last unit. A unit is cut only once ``buf`` holds more
    than ``limit`` characters past its start (or all the text), so the cuts do not depend
    on how the text arrives:

    >>> split_units("a\\n\\nb\\n\\ncc", final=True, limit=7)
    (['a\\n\\nb\\n\\n', 'cc'], '')
    >>> split_units("aa\\nbb\\ncc", final=True, limit=7)
    (['aa\\nbb\\n', 'cc'], '')
    >>> split_units("a\\n\\nb", final=False, limit=7)
    ([], 'a\\n\\nb')
    """
    units: list[str] = []
    pos = 0
    n = len(buf)
    while n - pos > limit:
        end = pos + limit
        blank, crlf = buf.rfind("\n\n", pos, end), buf.rfind("\n\r\n", pos, end)
        cut = max(blank + 2 if blank >= 0 else 0, crlf + 3 if crlf >= 0 else 0)
        if cut <= pos:
            cut = buf.rfind("\n", pos, end) + 1
            if cut <= pos:
                cut = end  # one line longer than the limit
        units.append(buf[pos:cut])
        pos = cut
    rest = buf[pos:]
    if final and rest:
        units.append(rest)
        rest = ""
    return units, rest


def read_units(
    raw: BinaryIO,
    name: str,
    encoding: str = "utf-8",
    *,
    notes: TextIO | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_encoding: Callable[[str], None] | None = None,
    limit: int = UNIT_LIMIT,
) -> Iterator[str]:
    """The units of the text in ``raw`` (see the module docstring), as they are read.

    Raises :class:`InputError` for bytes that are not in ``encoding`` (naming the byte
    offset) and for lone surrogates (which UTF-7 and UTF-16 can encode, but which are
    not text and cannot be written as UTF-8), when it reaches them.
    """
    buf = ""
    line = 1  # line number at the start of buf
    for piece in _decoded(raw, name, encoding, notes, on_bytes, on_encoding):
        m = _SURROGATE.search(piece)
        if m is not None:
            where = buf + piece[: m.start()]
            at_line = line + where.count("\n")
            col = len(where) - (where.rfind("\n") + 1) + 1
            raise InputError(
                f"{name}: a lone surrogate U+{ord(m.group()):04X} at line {at_line}, "
                f"column {col}: not text, and not writable as UTF-8"
            )
        buf += piece
        if len(buf) > limit:
            units, buf = split_units(buf, False, limit)
            for unit in units:
                line += unit.count("\n")
                yield unit
    units, _ = split_units(buf, True, limit)
    yield from units


def is_binary(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return b"\0" in f.read(BINARY_PROBE)
    except OSError:
        return False  # (reading it will fail with a message naming it)


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    base = os.path.basename(rel)
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(base, p) for p in patterns)


def find_files(root: str, include: Sequence[str], exclude: Sequence[str]) -> Iterator[str]:
    """Files under ``root`` in sorted order: those whose name or path relative to
    ``root`` matches an ``include`` glob (all files if there is none) and no ``exclude``
    glob; an excluded directory is not entered, nor are ``.git``, ``.hg`` and ``.svn``."""
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in _VCS_DIRS and not _matches(os.path.join(rel_dir, d), exclude)
        )
        for f in sorted(filenames):
            rel = os.path.join(rel_dir, f)
            if include and not _matches(rel, include):
                continue
            if _matches(rel, exclude):
                continue
            yield os.path.join(dirpath, f)


class AtomicFile:
    """A file replaced all at once: written to a temporary file beside ``target``,
    flushed to disk, then renamed over it. Until :meth:`commit`, ``target`` is
    untouched; on any error (or ``KeyboardInterrupt``) the temporary file is removed::

        with AtomicFile("out.txt") as out:
            out.write(b"...")
            out.commit()

    The new file gets the mode bits of ``mode_from`` (the input, for ``--in-place``),
    else those of the file it replaces, else the usual ones for a new file.
    """

    def __init__(self, target: str, mode_from: str | None = None) -> None:
        self.target = target
        self.mode_from = mode_from
        directory = os.path.dirname(os.path.abspath(target))
        self._tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in commit/discard)
            dir=directory,
            prefix=f".{os.path.basename(target)}.",
            suffix=".cjkfix-tmp",
            delete=False,
        )
        self.tmp_path = self._tmp.name
        self.done = False

    def write(self, data: bytes) -> None:
        self._tmp.write(data)

    def commit(self, backup: str | None = None) -> None:
        """Put the new file in place; first copy the old one to ``backup`` if given."""
        self._tmp.flush()
        os.fsync(self._tmp.fileno())
        self._tmp.close()
        source = self.mode_from or (self.target if os.path.exists(self.target) else None)
        if source is not None:
            shutil.copymode(source, self.tmp_path)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp_path, 0o666 & ~umask)
        if backup is not None and os.path.exists(self.target):
            # (the backup too is complete or absent: copied beside it, then renamed)
            partial = f"{backup}.cjkfix-tmp"
            try:
                shutil.copy2(self.target, partial)
                os.replace(partial, backup)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(partial)
        os.replace(self.tmp_path, self.target)
        self.done = True

    def discard(self) -> None:
        if not self.done:
            self.done = True
            try:
                # (closing flushes: after a failed write, it fails again)
                with contextlib.suppress(OSError):
                    self._tmp.close()
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.tmp_path)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


class DeviceFile:
    """An output that is not a regular file (``/dev/null``, a named pipe): written
    directly, as there is nothing to replace atomically (and renaming over a device would
    replace the device)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._f = open(target, "wb")  # noqa: SIM115 (closed in commit/discard)

    def write(self, data: bytes) -> None:
        self._f.write(data)

    def commit(self, backup: str | None = None) -> None:
        self._f.close()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self._f.close()
