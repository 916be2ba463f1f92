"""The ``cjkfix`` command: repair files or standard input, streaming.

Each input is read, repaired and written one paragraph at a time (see
:mod:`cjkfix.cli.io`), so memory stays bounded and output starts at once. Each file is
its own output: standard output (one after the other, as ``cat`` does), ``-o FILE`` for
one input, ``-o DIR`` or ``--in-place`` for any number; files are replaced atomically.

Exit codes: 0 success (with ``--check``: nothing ``repair`` would change); 1 ``--check``
found something to change (or, with ``--strict``, something that looks broken); 2 bad
usage or an input or output error (the message names the file and where); 130
interrupted. Output is always UTF-8.
"""

from __future__ import annotations

import argparse
import codecs
import dataclasses
import functools
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from types import FrameType
from typing import BinaryIO, TextIO

from cjkfix import __version__
from cjkfix.cli.io import (
    AtomicFile,
    DeviceFile,
    InputError,
    Source,
    encoding_error,
    find_files,
    is_binary,
    read_units,
)
from cjkfix.cli.report import Positions, Reporter, diff_header, diff_hunks
from cjkfix.cli.work import NOT_AUTO, Batch, Done, Pool, batches
from cjkfix.config import FIXER_NAMES, Config
from cjkfix.pipeline import run
from cjkfix.script import AutoEvidence

__all__ = ["main"]

EXIT_OK, EXIT_FOUND, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
#: ``--progress auto`` shows progress for inputs of at least this many bytes.
_PROGRESS_FROM = 1 << 20


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cjkfix",
        description="Repair broken Chinese, Japanese and Korean text "
        "(leaked ruby readings, GBK byte damage, mojibake).",
        epilog="Exit codes: 0 ok; 1 --check found something to repair; 2 usage, input or "
        "output error; 130 interrupted.",
    )
    p.add_argument(
        "files",
        nargs="*",
        metavar="PATH",
        help="input files, or directories with --recursive (default: stdin; - is stdin)",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        default="utf-8",
        help="the input's encoding (default utf-8), e.g. gbk, big5, shift_jis; auto: UTF-8 "
        "if its first 64 KB are, else a guess from them (named on stderr). Output is UTF-8",
    )
    out = p.add_argument_group("output (default: standard output)")
    out.add_argument(
        "-o",
        "--output",
        metavar="FILE|DIR",
        help="write to FILE (one input), or into the existing directory DIR (one file per "
        "input, same name; under --recursive, same relative path); replaced atomically",
    )
    out.add_argument(
        "-i",
        "--in-place",
        action="store_true",
        help="replace each input file that repair changes (atomically, keeping its mode)",
    )
    out.add_argument(
        "--backup",
        metavar="SUFFIX",
        help="with --in-place: keep the old file as FILE+SUFFIX (only files that change)",
    )
    out.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what would change instead of the text; write nothing",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--explain", action="store_true", help="print every step to stderr")
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list what repair would change (FILE:LINE:COL) and exit 1 if "
        "anything would; what looks broken but is left alone is listed as a warning",
    )
    p.add_argument("--strict", action="store_true", help="with --check: warnings fail (exit 1) too")
    p.add_argument("--json", action="store_true", help="with --explain or --check: JSON lines")
    walk = p.add_argument_group("directories")
    walk.add_argument(
        "-r", "--recursive", action="store_true", help="repair the files under directories"
    )
    walk.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="with --recursive: only files whose name or relative path matches GLOB "
        "(repeatable; default: all files)",
    )
    walk.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="with --recursive: skip files and directories matching GLOB (repeatable)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="repair in N processes (0: one per CPU); output order is kept",
    )
    fixers = p.add_argument_group("what to repair (the options of cjkfix.repair)")
    # One mapping of options: every Config field is a flag, so CLI and API never drift.
    for field in dataclasses.fields(Config):
        flag = field.name.replace("_", "-")
        if field.type not in (bool, "bool"):
            fixers.add_argument(
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
        fixers.add_argument(
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


class _Progress:
    """Bytes read out of the inputs' total size, on stderr, at most 5 times a second."""

    def __init__(self, total: int | None, mode: str, stream: TextIO) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.name = ""
        self.shown = 0.0
        self.enabled = mode == "always" or (
            mode == "auto" and (total or 0) >= _PROGRESS_FROM and stream.isatty()
        )

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and now - self.shown >= 0.2:
            self.shown = now
            self._show()

    def _show(self) -> None:
        if self.total:
            pct = min(100, 100 * self.done // self.total)
            self.stream.write(f"\rcjkfix: {self.name}: {pct:3d}% of {self.total:,} bytes")
        else:
            self.stream.write(f"\rcjkfix: {self.name}: {self.done:,} bytes")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._show()
            self.stream.write("\n")


# Items of the stream the pool passes through in order, between the batches of units.
@dataclasses.dataclass
class _Start:
    source: Source


@dataclasses.dataclass
class _End:
    source: Source


@dataclasses.dataclass
class _Failed:
    source: Source
    message: str


class _Usage(Exception):
    """A usage error found after parsing (exit 2, nothing done)."""


def _error(message: str) -> None:
    sys.stderr.write(f"cjkfix: error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    def terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # cleans up like Ctrl-C: no half-written file is left

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``cjkfix big.txt | head``): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("\ncjkfix: interrupted\n")
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check_usage(args: argparse.Namespace) -> None:
    if args.json and not (args.explain or args.check):
        raise _Usage("--json needs --explain or --check")
    if args.strict and not args.check:
        raise _Usage("--strict needs --check")
    if args.backup is not None and not args.in_place:
        raise _Usage("--backup needs --in-place")
    if (args.include or args.exclude) and not args.recursive:
        raise _Usage("--include and --exclude need --recursive")
    if args.in_place and args.output:
        raise _Usage("--in-place and -o: choose one")
    if args.diff and (args.in_place or args.output):
        raise _Usage("--diff writes nothing: it takes neither --in-place nor -o")
    if args.check and (args.in_place or args.output or args.diff):
        raise _Usage("--check writes nothing: it takes none of --in-place, -o, --diff")
    if args.jobs < 0:
        raise _Usage("--jobs takes a number of processes, 0 for one per CPU")
    message = encoding_error(args.encoding)
    if message is not None:
        raise _Usage(message)


def _sources(args: argparse.Namespace) -> list[Source]:
    """The inputs, directories expanded; a missing path or a directory without
    --recursive is an error before anything is read."""
    sources: list[Source] = []
    for path in args.files or ["-"]:
        if path == "-":
            sources.append(Source(path))
        elif os.path.isdir(path):
            if not args.recursive:
                raise _Usage(f"{path}: is a directory (use --recursive)")
            for found in find_files(path, args.include, args.exclude):
                if _ascii_compatible(args.encoding) and is_binary(found):
                    sys.stderr.write(
                        f"cjkfix: warning: {found}: binary (a NUL byte in its first 8 KB), "
                        "skipped\n"
                    )
                    continue
                sources.append(Source(found, root=path))
        elif not os.path.exists(path):
            raise _Usage(f"{path}: no such file")
        else:
            sources.append(Source(path))
    return sources


def _ascii_compatible(encoding: str) -> bool:
    # UTF-16 and UTF-32 text is full of NUL bytes; auto reads only ASCII-based encodings
    if encoding == "auto":
        return True
    try:
        return "a\n".encode(encoding) == b"a\n"
    except (LookupError, UnicodeError):
        return False


def _targets(args: argparse.Namespace, sources: list[Source]) -> dict[str, str] | None:
    """Where each source's output goes (``None``: standard output)."""
    if args.in_place:
        if any(s.is_stdin for s in sources):
            raise _Usage("--in-place needs files, not standard input")
        # through a symbolic link to the file itself, so the link stays a link
        return {s.path: os.path.realpath(s.path) for s in sources}
    if not args.output:
        return None
    if os.path.isdir(args.output):
        targets: dict[str, str] = {}
        for s in sources:
            if s.is_stdin:
                raise _Usage("-o DIR needs files, not standard input")
            rel = os.path.relpath(s.path, s.root) if s.root else os.path.basename(s.path)
            target = os.path.join(args.output, rel)
            if target in targets.values():
                raise _Usage(f"-o {args.output}: two inputs would both be written to {target}")
            targets[s.path] = target
        return targets
    if len(sources) != 1:
        raise _Usage(
            f"-o {args.output}: one output file for {len(sources)} inputs; use --in-place, "
            "or -o DIR (an existing directory) for one output file each"
        )
    # through a symbolic link to the file itself, so the link stays a link
    return {sources[0].path: os.path.realpath(args.output)}


class _Job:
    """One input's output and reports while its units come back repaired."""

    def __init__(
        self,
        source: Source,
        args: argparse.Namespace,
        target: str | None,
        stdout: BinaryIO | None,
        reporter: Reporter | None,
        diff: Reporter | None,
    ) -> None:
        self.source, self.args, self.reporter, self.diff = source, args, reporter, diff
        self.name = source.name
        self.line = self.line_after = 1
        self.changed = False
        self.found = self.warned = 0
        self.diffed = False
        self.stdout = stdout
        self.file: AtomicFile | DeviceFile | None = None
        if target is not None:
            if args.output and os.path.isdir(args.output):
                # (-o DIR under --recursive: the tree below DIR as below the input)
                os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
            if os.path.exists(target) and not os.path.isfile(target):
                # /dev/null, /dev/stdout, a named pipe: written to, never renamed over
                self.file = DeviceFile(target)
            else:
                self.file = AtomicFile(target, source.path if args.in_place else None)

    def take(self, units: list[str], done: list[Done]) -> None:
        args = self.args
        for unit, (text, steps, warnings) in zip(units, done, strict=True):
            fixed = unit if text is None else text
            changed = fixed != unit
            self.changed = self.changed or changed
            if self.file is not None:
                self.file.write(fixed.encode("utf-8"))
            elif self.stdout is not None:
                self.stdout.write(fixed.encode("utf-8"))
            if self.reporter is not None and (steps or warnings):
                where = Positions(unit, self.line)
                for s in steps:
                    line, col = where.at(s.input_start)
                    if args.check:
                        self.found += 1
                        self.reporter.change(self.name, line, col, s)
                    else:
                        self.reporter.step(self.name, line, col, s)
                for w in warnings:
                    self.warned += 1
                    line, col = where.at(w.start)
                    self.reporter.warning(self.name, line, col, w)
            if self.diff is not None and changed:
                if not self.diffed:
                    self.diff.raw(diff_header(self.name))
                    self.diffed = True
                for hunk in diff_hunks(unit, fixed, self.line, self.line_after):
                    self.diff.raw(hunk)
            self.line += unit.count("\n")
            if args.diff:
                self.line_after += fixed.count("\n")
        for out in (self.reporter, self.diff):
            if out is not None:
                out.stream.flush()

    def finish(self) -> None:
        if self.file is not None:
            # (output is UTF-8: a file read in another encoding changes even when its
            # text does not)
            encoding = self.source.encoding or "utf-8"
            if self.args.in_place and not self.changed and codecs.lookup(encoding).name == "utf-8":
                self.file.discard()  # unchanged: the file (and its mtime) stays as it is
            else:
                self.file.commit(self.source.path + self.args.backup if self.args.backup else None)
        elif self.stdout is not None:
            self.stdout.flush()

    def abandon(self) -> None:
        if self.file is not None:
            self.file.discard()


def _items(
    sources: list[Source], args: argparse.Namespace, config: Config, progress: _Progress
) -> Iterator[Batch | _Start | _End | _Failed]:
    for source in sources:
        yield _Start(source)
        progress.name = source.name
        spool: BinaryIO | None = None
        try:
            auto: str | None = NOT_AUTO
            if config.to == "auto":
                if source.is_stdin:
                    # read twice: standard input is kept in a temporary file
                    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed below)
                    shutil.copyfileobj(source.open(), spool)
                auto = _document_script(source, spool, args, config)
            raw = _open(source, spool)
            try:
                units = read_units(
                    raw,
                    source.name,
                    args.encoding,
                    notes=sys.stderr,
                    on_bytes=progress.advance,
                    on_encoding=functools.partial(setattr, source, "encoding"),
                )
                yield from batches(units, auto)
            finally:
                if not source.is_stdin:
                    raw.close()
        except InputError as e:
            yield _Failed(source, str(e))
            continue
        except OSError as e:  # (a read that fails half way: a disk error, a vanished mount)
            yield _Failed(source, f"{source.name}: {e.strerror or e}")
            continue
        finally:
            if spool is not None:
                spool.close()
        yield _End(source)


def _open(source: Source, spool: BinaryIO | None) -> BinaryIO:
    if spool is None:
        return source.open()
    spool.seek(0)
    return spool


def _document_script(
    source: Source, spool: BinaryIO | None, args: argparse.Namespace, config: Config
) -> str | None:
    """What ``--to auto`` resolves to on the whole repaired input (a first pass):
    ``repair(text, to="auto")`` decides on the whole text, so the CLI does too."""
    evidence = AutoEvidence()
    plain = dataclasses.replace(config, to=None)
    raw = _open(source, spool)
    try:
        for unit in read_units(raw, source.name, args.encoding):
            evidence.add(run(unit, plain).text)
    finally:
        if spool is None and not source.is_stdin:
            raw.close()
    return evidence.config()


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        _check_usage(args)
        config = Config(**{f.name: getattr(args, f.name) for f in dataclasses.fields(Config)})
        if config.to is not None:
            run("", config)  # validates the target name before any input is read
        sources = _sources(args)
        targets = _targets(args, sources)
    except (_Usage, TypeError, ValueError) as e:
        _error(str(e))
        return EXIT_ERROR

    stdout: BinaryIO | None = None
    if targets is None or args.check or args.diff:
        if sys.stdout is None:
            _error("standard output is closed")
            return EXIT_ERROR
        stdout = sys.stdout.buffer
    reporter: Reporter | None = None  # steps (--explain) or findings (--check)
    diff: Reporter | None = None
    if args.check and stdout is not None:
        reporter = Reporter(stdout, args.json)
    elif args.explain:
        reporter = Reporter(sys.stderr.buffer, args.json)
    if args.diff and stdout is not None:
        diff = Reporter(stdout, False)

    sizes = [s.size() for s in sources]
    progress = _Progress(
        None if None in sizes else sum(s or 0 for s in sizes), args.progress, sys.stderr
    )
    jobs = args.jobs or os.cpu_count() or 1
    pool: Pool[_Start | _End | _Failed] = Pool(jobs, config, warnings=args.check)
    status = EXIT_OK
    job: _Job | None = None
    failed = False
    try:
        for item in pool.map(_items(sources, args, config, progress)):
            if isinstance(item, _Start):
                failed = False
                try:
                    target = None if targets is None else targets[item.source.path]
                    text_out = None if (args.check or args.diff or targets) else stdout
                    job = _Job(item.source, args, target, text_out, reporter, diff)
                except OSError as e:
                    _error(f"{e.filename or item.source.name}: {e.strerror or e}")
                    status, failed, job = EXIT_ERROR, True, None
            elif isinstance(item, _Failed):
                if job is not None:
                    job.abandon()
                job = None
                _error(item.message)
                status = EXIT_ERROR
                if targets is None and not (args.check or args.diff):
                    break  # to standard output: what was written stays, nothing more is
            elif isinstance(item, _End):
                if job is not None:
                    try:
                        job.finish()
                    except OSError as e:
                        job.abandon()
                        _error(f"{job.file.target if job.file else job.name}: {e.strerror or e}")
                        status = EXIT_ERROR
                    else:
                        if job.found or (args.strict and job.warned):
                            status = max(status, EXIT_FOUND)
                job = None
            elif job is not None and not failed:
                batch, done = item
                try:
                    job.take(batch.units, done)
                except OSError as e:
                    if isinstance(e, BrokenPipeError):
                        raise
                    if job.file is None:
                        _error(f"standard output: {e.strerror or e}")
                        pool.close(cancel=True)
                        return EXIT_ERROR
                    job.abandon()
                    _error(f"{job.file.target}: {e.strerror or e}")
                    status, failed, job = EXIT_ERROR, True, None
    except BaseException:
        if job is not None:
            job.abandon()
        pool.close(cancel=True)
        raise
    pool.close()
    progress.close()
    return status
