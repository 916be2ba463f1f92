"""One input's way through the CLI: read as units, repaired (by a :class:`Pool`),
written and reported on, in order."""

from __future__ import annotations

import argparse
import bisect
import codecs
import dataclasses
import functools
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from cjkfix.cli.io import AtomicFile, DeviceFile, InputError, Source, read_units
from cjkfix.cli.report import Positions, Reporter, diff_header, diff_hunks
from cjkfix.cli.work import Batch, Done, batches
from cjkfix.steps import Finding, Step

__all__ = ["End", "Failed", "Job", "Progress", "Start", "items"]

#: ``--progress auto`` shows progress for inputs of at least this many bytes.
_PROGRESS_FROM = 1 << 20


class Progress:
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
class Start:
    source: Source


@dataclasses.dataclass
class End:
    source: Source


@dataclasses.dataclass
class Failed:
    source: Source
    message: str


class Job:
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
        self.target = target
        self.file: AtomicFile | DeviceFile | None = None
        #: --in-place: the bytes of the unchanged units not written yet (a UTF-8 file that
        #: repair leaves as it is is never copied; at the first change they are copied
        #: from the file)
        self.unwritten = 0
        if target is not None:
            if args.output and os.path.isdir(args.output):
                # (-o DIR under --recursive: the tree below DIR as below the input)
                os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
            if os.path.exists(target) and not os.path.isfile(target):
                # /dev/null, /dev/stdout, a named pipe: written to, never renamed over
                self.file = DeviceFile(target)
            elif not args.in_place:
                self.file = AtomicFile(target)

    @property
    def writes_file(self) -> bool:
        return self.target is not None

    def _same_bytes(self) -> bool:
        """Are the input's bytes its text in UTF-8 (so unchanged text is unchanged bytes)?"""
        return codecs.lookup(self.source.encoding or "utf-8").name == "utf-8"

    def _write_file(self, data: bytes, changed: bool) -> None:
        if self.file is None:
            assert self.target is not None  # (--in-place)
            if not changed and self._same_bytes():
                self.unwritten += len(data)
                return
            self.file = AtomicFile(self.target, self.source.path)
            if self.unwritten:
                with open(self.source.path, "rb") as old:
                    _copy(old, self.file, self.unwritten)
        self.file.write(data)

    def take(self, units: list[str], done: list[Done]) -> None:
        args = self.args
        for unit, (text, steps, warnings) in zip(units, done, strict=True):
            fixed = unit if text is None else text
            changed = fixed != unit
            self.changed = self.changed or changed
            if self.target is not None:
                self._write_file(fixed.encode("utf-8"), changed)
            elif self.stdout is not None:
                self.stdout.write(fixed.encode("utf-8"))
            if self.reporter is not None and (steps or warnings):
                self._report(unit, steps, warnings)
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

    def _report(self, unit: str, steps: list[Step], warnings: list[Finding]) -> None:
        assert self.reporter is not None
        where = Positions(unit, self.line)
        if not self.args.check:
            for s in steps:  # (in the order they were applied: the plan)
                line, col = where.at(s.input_start)
                self.reporter.step(self.name, line, col, s)
            return
        # findings in text order; a warning inside what repair changes is left out (the
        # mixed script of mojibake, the U+FFFD a repair restores)
        changed = _Spans((s.input_start, s.input_end) for s in steps)
        kept = [w for w in warnings if not changed.touch(w.start, w.end)]
        reports: list[tuple[int, int, Step | Finding]] = [(s.input_start, 0, s) for s in steps]
        reports.extend((w.start, 1, w) for w in kept)
        reports.sort(key=lambda r: (r[0], r[1]))
        for start, _, r in reports:
            line, col = where.at(start)
            if isinstance(r, Step):
                self.found += 1
                self.reporter.change(self.name, line, col, r)
            else:
                self.warned += 1
                self.reporter.warning(self.name, line, col, r)

    def finish(self) -> None:
        if self.file is not None:
            self.file.commit(self.source.path + self.args.backup if self.args.backup else None)
        elif self.stdout is not None:
            self.stdout.flush()

    def abandon(self) -> None:
        if self.file is not None:
            self.file.discard()


def items(
    sources: list[Source], args: argparse.Namespace, progress: Progress
) -> Iterator[Batch | Start | End | Failed]:
    for source in sources:
        yield Start(source)
        progress.name = source.name
        try:
            raw = source.open()
            try:
                units = read_units(
                    raw,
                    source.name,
                    args.encoding,
                    notes=sys.stderr,
                    on_bytes=progress.advance,
                    on_encoding=functools.partial(setattr, source, "encoding"),
                )
                yield from batches(units)
            finally:
                if not source.is_stdin:
                    raw.close()
        except InputError as e:
            yield Failed(source, str(e))
            continue
        except OSError as e:  # (a read that fails half way: a disk error, a vanished mount)
            yield Failed(source, f"{source.name}: {e.strerror or e}")
            continue
        yield End(source)


class _Spans:
    """Spans of a text, to ask which a span overlaps (in logarithmic time)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.spans = merged

    def touch(self, start: int, end: int) -> bool:
        """Does ``start:end`` overlap a span (or start where an empty one is)?"""
        i = bisect.bisect_left(self.starts, max(end, start + 1)) - 1
        if i < 0:
            return False
        a, b = self.spans[i]
        return b > start or a == start


def _copy(source: BinaryIO, out: AtomicFile | DeviceFile, size: int) -> None:
    while size > 0:
        block = source.read(min(size, 1 << 20))
        if not block:
            raise OSError(f"{source.name}: changed while it was being repaired")
        out.write(block)
        size -= len(block)
