"""The repair of units, in this process or in a pool of processes with ordered results."""

from __future__ import annotations

import collections
import dataclasses
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Generic, NamedTuple, TypeVar

from cjkfix.config import FIXER_NAMES, Config
from cjkfix.pipeline import run
from cjkfix.registry import fixers
from cjkfix.script import mixed_script_findings
from cjkfix.steps import Finding, Step

__all__ = ["Done", "Pool", "repair_units"]

#: Units are repaired in batches of about this many characters: output follows input
#: closely (damaged text repairs at tens of microseconds a character), and a batch is
#: worth sending to a worker process.
BATCH_CHARS = 1 << 16


class Done(NamedTuple):
    """A unit's repair: its text (the same object when nothing changed; ``None`` from a
    worker process when nothing changed, to save sending it back), the steps, and (with
    ``warnings``) the detection-only findings."""

    text: str | None
    steps: list[Step]
    warnings: list[Finding]


def warnings_for(unit: str, config: Config) -> list[Finding]:
    """What ``--check`` lists as warnings: the findings of :func:`cjkfix.detect` that
    ``repair`` leaves alone (:func:`cjkfix.pipeline.detect_only`), except that the
    fixers' detectors look at each line their gate passes rather than at the whole
    paragraph: the mojibake detector's full search over a long paragraph with one stray
    gate match made ``--check`` five times slower than a repair. The script findings
    (which need the paragraph's dominant script) look at the whole paragraph."""
    if unit.isascii():
        return []
    findings: list[Finding] = []
    registry = fixers()
    for name in FIXER_NAMES:
        fixer = registry[name]
        if not config.enabled(name) or fixer.detect is None or not fixer.gate(unit):
            continue
        start = 0
        for line in unit.split("\n"):
            if fixer.gate(line):
                findings.extend(
                    dataclasses.replace(f, start=f.start + start, end=f.end + start)
                    for f in fixer.detect(line, config)
                )
            start += len(line) + 1
    findings.extend(mixed_script_findings(unit))
    findings.sort(key=lambda f: (f.start, f.end, f.family))
    return findings


def repair_units(units: list[str], config: Config, warnings: bool) -> list[Done]:
    """Each unit as :func:`cjkfix.repair_and_explain` repairs it (the API's own code path)."""
    done: list[Done] = []
    for unit in units:
        fixed, steps = run(unit, config)
        done.append(Done(fixed, steps, warnings_for(unit, config) if warnings else []))
    return done


_WORKER: list[tuple[Config, bool]] = []


def _start_worker(config: Config, warnings: bool) -> None:
    # Ctrl-C reaches the whole process group: the main process stops the job and
    # cleans up; the workers must not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.append((config, warnings))


def _work(units: list[str]) -> list[Done]:
    config, warnings = _WORKER[0]
    # a unit that comes back unchanged (most) is not sent back
    return [
        d._replace(text=None) if d.text is unit else d
        for d, unit in zip(repair_units(units, config, warnings), units, strict=True)
    ]


T = TypeVar("T")


class Batch:
    """Units to repair together."""

    __slots__ = ("units",)

    def __init__(self, units: list[str]) -> None:
        self.units = units


class Pool(Generic[T]):
    """Repairs the batches in a stream of items, in order, with at most ``depth``
    batches under way (so memory stays bounded); other items pass through in place."""

    def __init__(self, jobs: int, config: Config, warnings: bool) -> None:
        self.config = config
        self.warnings = warnings
        self.jobs = jobs
        # (a fresh Config: the one here carries its compiled plan, a cache not worth
        # pickling)
        fresh = Config(**{f: getattr(config, f) for f in Config.option_names()})
        self.executor: Executor | None = (
            ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(fresh, warnings))
            if jobs > 1
            else None
        )
        self.depth = 2 * jobs

    def map(self, items: Iterable[Batch | T]) -> Iterator[tuple[Batch, list[Done]] | T]:
        if self.executor is None:
            for item in items:
                if isinstance(item, Batch):
                    yield item, repair_units(item.units, self.config, self.warnings)
                else:
                    yield item
            return
        queue: collections.deque[tuple[Batch, Future[list[Done]]] | T] = collections.deque()
        running = 0
        for item in items:
            if isinstance(item, Batch):
                queue.append((item, self.executor.submit(_work, item.units)))
                running += 1
            else:
                queue.append(item)
            while queue and (running >= self.depth or not isinstance(queue[0], tuple)):
                head = queue.popleft()
                if isinstance(head, tuple):
                    running -= 1
                    yield head[0], head[1].result()
                else:
                    yield head
        while queue:
            head = queue.popleft()
            yield (head[0], head[1].result()) if isinstance(head, tuple) else head

    def close(self, cancel: bool = False) -> None:
        if self.executor is not None:
            # (cancel: the batches not started are dropped, and the few under way, which
            # the workers finish as they ignore Ctrl-C, are waited for: a pool left to
            # shut down during the interpreter's exit can meet its workers' pipes closed
            # and print "Exception ignored ... Bad file descriptor" after the message)
            self.executor.shutdown(wait=True, cancel_futures=cancel)


def batches(units: Iterable[str], size: int = BATCH_CHARS) -> Iterator[Batch]:
    """Units grouped into batches of about ``size`` characters."""
    batch: list[str] = []
    chars = 0
    for unit in units:
        batch.append(unit)
        chars += len(unit)
        if chars >= size:
            yield Batch(batch)
            batch, chars = [], 0
    if batch:
        yield Batch(batch)
