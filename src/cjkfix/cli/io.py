"""Inputs read as a stream of units, outputs written atomically, files found.

The CLI repairs a text one *unit* at a time, the units :func:`cjkfix.pipeline.units`
cuts a whole text into: paragraphs (each with the blank lines after it), a paragraph
longer than :data:`cjkfix.pipeline.MAX_UNIT` characters cut after a line end (a line
that long where :func:`cjkfix.pipeline.cut_point` says). ``repair`` itself repairs
unit by unit, so the CLI's output is ``repair(whole_text)`` while memory
stays bounded. :class:`Splitter` makes the same cuts on text that arrives piece by
piece, as soon as what has arrived decides them: they do not depend on block sizes or
``--jobs``.
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

from cjkfix import pipeline

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
    from cjkfix.decode import detect_encoding, widest_codec

    guess, confidence = detect_encoding(sample)
    codec = widest_codec(sample, guess, final)
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


#: A maximal run of white space holding a line end: where it holds two or more, a
#: paragraph ends after its last line end (:data:`cjkfix.pipeline.units`' blank lines).
_RUN = re.compile(r"[ \t\r\f\v]*\n[ \t\r\f\v\n]*")
_PARAGRAPH_END = re.compile(r"[ \t\r\f\v]*\n[ \t\r\f\v]*\n[ \t\r\f\v\n]*")


class Splitter:
    """Cuts a text given piece by piece into :func:`cjkfix.pipeline.units`' units: the
    same cuts as on the whole text, as soon as the text read so far decides them.

        >>> s = Splitter(limit=8)
        >>> s.feed("ab\\n\\ncd\\n \\n"), s.feed("\\nef"), s.finish()
        (['ab\\n\\n'], ['cd\\n \\n\\n'], ['ef'])
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = pipeline.MAX_UNIT if limit is None else limit
        self.buf = ""
        self.scan = 0  # buf[:scan] holds no paragraph end (runs before it are complete)
        self.carry = 0  # line ends in the white space just before buf (a cut inside a run)

    def feed(self, piece: str) -> list[str]:
        self.buf += piece
        return self._split(final=False)

    def finish(self) -> list[str]:
        units = self._split(final=True)
        if self.buf:
            units.append(self.buf)
            self.buf = ""
        return units

    def _end(self, final: bool) -> tuple[int | None, int]:
        """The paragraph end in buf if the text so far decides it (else None), and a
        lower bound of where it is."""
        buf = self.buf
        if self.carry and self.scan == 0:
            # a white-space run that began before a cut: its line ends count together
            m = _RUN.match(buf)
            if m is not None:
                group = m.group()
                complete = final or m.end() < len(buf)
                if group.count("\n") + self.carry >= 2:
                    end = group.rfind("\n") + 1
                    return (end, end) if complete else (None, end)
                if not complete:
                    return None, len(buf)
                self.scan = m.end()
        # (one C-speed search: a loop over every line end cost seconds on 300 MB)
        m = _PARAGRAPH_END.search(buf, self.scan)
        if m is not None:
            end = m.start() + m.group().rfind("\n") + 1
            return (end, end) if final or m.end() < len(buf) else (None, end)
        if final:
            return len(buf), len(buf)
        # (a run the text read so far ends with may still become a paragraph end)
        self.scan = max(self.scan, len(buf.rstrip(" \t\r\f\v\n")))
        return None, len(buf)

    def _split(self, final: bool) -> list[str]:
        units: list[str] = []
        while self.buf:
            end, bound = self._end(final)
            while bound > self.limit:  # (the paragraph is longer: cut it, at a line end first)
                cut = pipeline.cut_point(self.buf, 0, self.limit)
                units.append(self._take(cut))
                if end is not None:
                    end -= cut
                bound -= cut
            if end is None:
                break
            if end == 0:
                break
            units.append(self._take(end))
        return units

    def _take(self, n: int) -> str:
        unit, self.buf = self.buf[:n], self.buf[n:]
        self.scan = 0
        body = unit.rstrip(" \t\r\f\v\n")  # (in C: a regex search for the tail is not)
        lines = unit.count("\n", len(body))
        self.carry = lines + self.carry if not body else lines
        return unit


def split_units(text: str, limit: int | None = None) -> list[str]:
    """The units of a whole ``text``, as :class:`Splitter` cuts it (for tests)."""
    s = Splitter(limit)
    return s.feed(text) + s.finish()


def read_units(
    raw: BinaryIO,
    name: str,
    encoding: str = "utf-8",
    *,
    notes: TextIO | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_encoding: Callable[[str], None] | None = None,
    limit: int | None = None,
) -> Iterator[str]:
    """The units of the text in ``raw`` (see the module docstring), as they are read.

    Raises :class:`InputError` for bytes that are not in ``encoding`` (naming the byte
    offset) and for lone surrogates (which UTF-7 can encode, but which are not text and
    cannot be written as UTF-8), when it reaches them.
    """
    splitter = Splitter(limit)
    line = 1  # line number at the start of the splitter's buffer
    for piece in _decoded(raw, name, encoding, notes, on_bytes, on_encoding):
        m = _SURROGATE.search(piece)
        if m is not None:
            where = splitter.buf + piece[: m.start()]
            at_line = line + where.count("\n")
            col = len(where) - (where.rfind("\n") + 1) + 1
            raise InputError(
                f"{name}: a lone surrogate U+{ord(m.group()):04X} at line {at_line}, "
                f"column {col}: not text, and not writable as UTF-8"
            )
        for unit in splitter.feed(piece):
            line += unit.count("\n")
            yield unit
    yield from splitter.finish()


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
