"""The ``cjkfix`` command: repair files or standard input.

Exit codes: 0 success (with ``--check``: nothing to repair); 1 ``--check`` found something
to repair; 2 bad usage or unreadable input (missing file, a directory, bytes that are not
in the input encoding, UTF-8 unless ``--encoding`` says otherwise): nothing is written
then. Output is always UTF-8.
"""

from __future__ import annotations

import argparse
import codecs
import dataclasses
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from cjkfix import __version__
from cjkfix.config import FIXER_NAMES, Config
from cjkfix.pipeline import detect_text, run

__all__ = ["main"]

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
#: Texts are processed in chunks of about this many characters, cut at line ends, so
#: memory stays flat and a progress line can be shown on long jobs.
_CHUNK = 1 << 16
_PROGRESS_FROM = 1 << 20


class InputError(Exception):
    """An input that cannot be read as text; the message names it and where."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cjkfix",
        description="Repair broken Chinese, Japanese and Korean text "
        "(leaked ruby readings, GBK byte damage, mojibake).",
        epilog="Exit codes: 0 ok; 1 --check found something to repair; 2 usage or input error.",
    )
    p.add_argument(
        "files", nargs="*", metavar="FILE", help="input files (default: stdin; - is stdin)"
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        default="utf-8",
        help="the input's encoding (default utf-8), e.g. gbk, big5, shift_jis; auto: UTF-8 "
        "if it is, else charset-normalizer's guess (named on stderr). Output is UTF-8",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--explain", action="store_true", help="print every step to stderr")
    mode.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list what would change (FILE:LINE:COL) and exit 1 if anything would",
    )
    p.add_argument("--json", action="store_true", help="with --explain or --check: JSON lines")
    # One mapping of options: every Config field is a flag, so CLI and API never drift.
    for field in dataclasses.fields(Config):
        flag = field.name.replace("_", "-")
        if field.type not in (bool, "bool"):
            p.add_argument(
                f"--{flag}",
                dest=field.name,
                metavar="NAME",
                default=field.default,
                help="convert the script: s2t, t2s, zh-Hans, zh-Hant, auto, ...",
            )
            continue
        # A boolean that is on by default gets --no-NAME, one that is off gets --NAME.
        on = field.default is True
        what = f"the {field.name} fixer" if field.name in FIXER_NAMES else field.name
        p.add_argument(
            f"--no-{flag}" if on else f"--{flag}",
            dest=field.name,
            action="store_false" if on else "store_true",
            default=field.default,
            help=f"switch {what} {'off' if on else 'on'}",
        )
    p.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress on stderr (auto: on a terminal, for inputs over 1 MB)",
    )
    p.add_argument("--version", action="version", version=f"cjkfix {__version__}")
    return p


def _read(path: str, encoding: str = "utf-8", notes: TextIO | None = None) -> str:
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            if os.path.isdir(path):
                raise InputError(f"{name}: is a directory")
            with open(path, "rb") as f:
                data = f.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as e:
        raise InputError(f"{name}: {e.strerror or e}") from None
    if encoding == "auto":
        return _guess(name, data, notes)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        label = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
        raise InputError(
            f"{name}: not {label}: byte 0x{data[e.start]:02X} at offset {e.start} ({e.reason}); "
            "give its encoding with --encoding NAME (e.g. gbk), or --encoding auto"
        ) from None
    return text


def _guess(name: str, data: bytes, notes: TextIO | None) -> str:
    """UTF-8 if the bytes are; else charset-normalizer's best guess."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: encoding not recognised; give it with --encoding NAME")
    if notes is not None:
        notes.write(f"cjkfix: {name}: read as {best.encoding} (guessed)\n")
    return str(best)


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of ``text`` ending at line ends, with their offsets."""
    start = 0
    while start < len(text):
        end = start + _CHUNK
        if end < len(text):
            nl = text.find("\n", end)
            end = len(text) if nl < 0 else nl + 1
        else:
            end = len(text)
        yield start, text[start:end]
        start = end


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


class _Progress:
    def __init__(self, total: int, mode: str, stream: TextIO) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.enabled = mode == "always" or (
            mode == "auto" and total >= _PROGRESS_FROM and stream.isatty()
        )

    def advance(self, n: int, name: str) -> None:
        self.done += n
        if self.enabled:
            pct = 100 * self.done // max(self.total, 1)
            self.stream.write(f"\rcjkfix: {name}: {pct:3d}% of {self.total:,} characters")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``cjkfix big.txt | head``): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("\ncjkfix: interrupted\n")
        return 130


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    err = sys.stderr
    try:
        config = Config(**{f.name: getattr(args, f.name) for f in dataclasses.fields(Config)})
        if config.to is not None:
            run("", config)  # validates the target name before any input is read
    except (TypeError, ValueError) as e:
        err.write(f"cjkfix: error: {e}\n")
        return EXIT_ERROR

    if args.encoding != "auto":
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            err.write(f"cjkfix: error: unknown encoding {args.encoding!r}\n")
            return EXIT_ERROR
    paths = args.files or ["-"]
    try:
        texts = [(p, _read(p, args.encoding, err)) for p in paths]
    except InputError as e:
        err.write(f"cjkfix: error: {e}\n")
        return EXIT_ERROR

    progress = _Progress(sum(len(t) for _, t in texts), args.progress, err)
    outputs: list[str] = []
    found = 0
    for path, text in texts:
        name = "<stdin>" if path == "-" else path
        pieces: list[str] = []
        for offset, chunk in _chunks(text):
            if args.check:
                for f in detect_text(chunk, config):
                    found += 1
                    line, col = _line_col(text, offset + f.start)
                    _report(
                        sys.stdout,
                        args.json,
                        name,
                        line,
                        col,
                        f.to_dict(),
                        f"{f.family}: {f.message} ({f.text!r} -> {f.suggestion!r}, "
                        f"confidence {f.confidence:.2f})",
                    )
            else:
                fixed, steps = run(chunk, config)
                pieces.append(fixed)
                if args.explain:
                    for s in steps:
                        line, col = _line_col(text, offset + s.input_start)
                        _report(
                            err,
                            args.json,
                            name,
                            line,
                            col,
                            s.to_dict(),
                            f"{s.fixer}: {s.before!r} -> {s.after!r}: {s.reason}",
                        )
            progress.advance(len(chunk), name)
        outputs.append("".join(pieces))
    progress.close()

    if args.check:
        return EXIT_FOUND if found else EXIT_OK
    result = "".join(outputs)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                out.write(result)
        except OSError as e:
            err.write(f"cjkfix: error: {args.output}: {e.strerror or e}\n")
            return EXIT_ERROR
    else:
        sys.stdout.buffer.write(result.encode("utf-8", "surrogatepass"))
        sys.stdout.flush()
    return EXIT_OK


def _report(
    stream: TextIO,
    as_json: bool,
    name: str,
    line: int,
    col: int,
    data: dict[str, object],
    text: str,
) -> None:
    if as_json:
        stream.write(
            json.dumps(
                {"file": name, "line": line, "column": col, **data}, ensure_ascii=False, default=str
            )
            + "\n"
        )
    else:
        stream.write(f"{name}:{line}:{col}: {text}\n")
