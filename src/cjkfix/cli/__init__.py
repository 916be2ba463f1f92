"""The ``cjkfix`` command: repair files or standard input, streaming.

Each input is read, repaired and written one paragraph at a time (see
:mod:`cjkfix.cli.io`), so memory stays bounded and output starts at once. Each file is
its own output: standard output (one after the other, as ``cat`` does), ``-o FILE`` for
one input, ``-o DIR`` or ``--in-place`` for any number; files are replaced atomically.

The package: :mod:`~cjkfix.cli.io` (reading units, atomic writes, finding files),
:mod:`~cjkfix.cli.work` (repairing units, here or in a process pool),
:mod:`~cjkfix.cli.job` (one input's way from units to output and reports),
:mod:`~cjkfix.cli.report` (positions, ``--explain``/``--check`` lines, diffs).

Exit codes: 0 success (with ``--check``: nothing ``repair`` would change); 1 ``--check``
found something to change (or, with ``--strict``, something that looks broken); 2 bad
usage or an input or output error (the message names the file and where); 130
interrupted. Output is always UTF-8.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import BinaryIO

from cjkfix import __version__
from cjkfix.cli.io import Source, encoding_error, find_files, is_binary
from cjkfix.cli.job import End, Failed, Job, Progress, Start, items
from cjkfix.cli.report import Reporter
from cjkfix.cli.work import Pool
from cjkfix.config import FIXER_NAMES, Config
from cjkfix.pipeline import run

__all__ = ["main"]

EXIT_OK, EXIT_FOUND, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


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
        help="the input's encoding (default utf-8), e.g. gbk, big5, shift_jis; auto: "
        "cjkfix.decode's guess from the first 64 KB that are not all ASCII (named on stderr "
        "unless UTF-8). Output is UTF-8",
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
        help="replace each input file that repair changes (atomically, keeping its mode); "
        "a file read in another encoding than UTF-8 is rewritten as UTF-8",
    )
    out.add_argument(
        "--backup",
        metavar="SUFFIX",
        help="with --in-place: keep the old file as FILE+SUFFIX (only files that change)",
    )
    out.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what would change instead of the text; write nothing "
        "(exit 0)",
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
            before = len(sources)
            for found in find_files(path, args.include, args.exclude):
                if _ascii_compatible(args.encoding) and is_binary(found):
                    sys.stderr.write(
                        f"cjkfix: warning: {found}: binary (a NUL byte in its first 8 KB), "
                        "skipped\n"
                    )
                    continue
                sources.append(Source(found, root=path))
            if len(sources) == before:
                sys.stderr.write(f"cjkfix: warning: {path}: no files to repair under it\n")
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
        for s in sources:
            if not os.path.isfile(s.path):
                raise _Usage(f"{s.path}: not a regular file, cannot be replaced in place")
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
    progress = Progress(
        None if None in sizes else sum(s or 0 for s in sizes), args.progress, sys.stderr
    )
    jobs = args.jobs or os.cpu_count() or 1
    pool: Pool[Start | End | Failed] = Pool(jobs, config, warnings=args.check)
    status = EXIT_OK
    job: Job | None = None
    failed = False
    try:
        for item in pool.map(items(sources, args, progress)):
            if isinstance(item, Start):
                failed = False
                try:
                    target = None if targets is None else targets[item.source.path]
                    text_out = None if (args.check or args.diff or targets) else stdout
                    job = Job(item.source, args, target, text_out, reporter, diff)
                except OSError as e:
                    _error(f"{e.filename or item.source.name}: {e.strerror or e}")
                    status, failed, job = EXIT_ERROR, True, None
            elif isinstance(item, Failed):
                if job is not None:
                    job.abandon()
                job = None
                _error(item.message)
                status = EXIT_ERROR
                if targets is None and not (args.check or args.diff):
                    break  # to standard output: what was written stays, nothing more is
            elif isinstance(item, End):
                if job is not None:
                    try:
                        job.finish()
                    except OSError as e:
                        job.abandon()
                        _error(f"{job.target or job.name}: {e.strerror or e}")
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
                    if not job.writes_file:
                        _error(f"standard output: {e.strerror or e}")
                        pool.close(cancel=True)
                        return EXIT_ERROR
                    job.abandon()
                    _error(f"{job.target}: {e.strerror or e}")
                    status, failed, job = EXIT_ERROR, True, None
    except BaseException:
        if job is not None:
            job.abandon()
        pool.close(cancel=True)
        raise
    pool.close()
    progress.close()
    return status
