"""The pipeline: gate first, then each enabled fixer in order, then script conversion.

Every stage returns edits against its own input; the pipeline turns them into
replayable :class:`~cjkfix.steps.Step` objects and maps every span back to the
caller's input.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

# Importing the fixer modules registers them; each keeps its heavy data lazy.
from cjkfix import escapes, loss_markers, mojibake, narrowing, replacement, ruby  # noqa: F401
from cjkfix._lazyre import LazyRegex
from cjkfix._scan import contains_any
from cjkfix.config import DEFAULT, FIXER_NAMES, Config
from cjkfix.pipeline_final import _moved, _not_rereading
from cjkfix.registry import Fixer, fixers
from cjkfix.steps import Edit, Finding, Step, splice

__all__ = [
    "MAX_UNIT",
    "Repair",
    "cut_point",
    "detect_only",
    "detect_text",
    "needs_work",
    "run",
    "run_needed",
    "units",
]


class Repair(NamedTuple):
    """What :func:`cjkfix.repair_and_explain` returns: the text and the steps that made it."""

    text: str
    steps: list[Step]


class _StageMap:
    """Maps positions in a stage's output back to its input."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        self.out_starts: list[int] = []
        self.regions: list[tuple[int, int, int, int]] = []  # out_start, out_end, in_start, in_end
        delta = 0
        for e in edits:
            out_start = e.start + delta
            out_end = out_start + len(e.after)
            self.out_starts.append(out_start)
            self.regions.append((out_start, out_end, e.start, e.end))
            delta += len(e.after) - (e.end - e.start)

    def back(self, pos: int, *, is_end: bool) -> int:
        i = bisect.bisect_right(self.out_starts, pos) - 1
        if i < 0:
            return pos
        out_start, out_end, in_start, in_end = self.regions[i]
        if pos >= out_end and (pos > out_start or not is_end):
            return in_end + (pos - out_end)
        if pos == out_start:
            # A span that ends where a replaced region starts takes none of it.
            return in_start
        return in_end if is_end else in_start


class _Gate(NamedTuple):
    """One enabled gate as :func:`needs_work` tries it on a long text (a short one, a
    line, takes the pattern of each gate whose characters it holds: see ``_Plan``)."""

    few: str | None  # its characters, if few: ``in`` tests at memory speed first
    pattern: re.Pattern[str]  # the gate's regex
    # Faster than the pattern on a long text and the same answer: the words it is an
    # alternation of (substrings), or the fixer's own gate (``Fixer.gate_is_faster``).
    faster: tuple[str, ...] | Callable[[str], bool] | None


class _Plan(NamedTuple):
    """What a set of enabled fixers runs: worked out once, see :func:`_plan_for`."""

    enabled: tuple[str, ...]
    # A character class of which some character is in every text any enabled gate
    # passes (one C-speed scan clears most clean text), or None if a gate has no such set.
    prefilter: re.Pattern[str] | None
    # The enabled gates as regexes, each after a test of its characters (a few
    # characters: ``in`` tests; more: a class), or None if a gate is not a regex. (One
    # regex of all the gates tries every branch at every position: three times slower.)
    gates: tuple[_Gate, ...] | None
    # The enabled fixers whose gate can pass pure-ASCII text.
    ascii_fixers: tuple[str, ...] = ()
    # With ``gates``: each gate character, the gates (bits, in ``gates``' order) whose
    # characters it is one of. A short text's characters of the prefilter's class, found
    # in one C call, tell which gates can pass it at all: one regex for most lines
    # instead of one per gate (a line of CJK text: 1 us against 4).
    char_gates: Mapping[str, int] | None = None


#: Gate characters tested with ``in`` (one C-speed scan each), up to this many.
_FEW_CHARS = 8


def _gate(chars: str, pattern: str, fixer: Fixer) -> _Gate:
    few = "".join(sorted(set(chars)))
    return _Gate(
        few if len(few) <= _FEW_CHARS else None,
        re.compile(pattern),
        _gate_words(pattern) or (fixer.gate if fixer.gate_is_faster else None),
    )


#: Texts shorter than this are short for :func:`needs_work` (a line: one C call finds
#: its gate characters; a class scan steps through a long text at about 2.5 ns a
#: character, where ``in`` tests and the faster gates skip ahead at memory speed).
_SHORT = 256


def _gate_words(pattern: str) -> tuple[str, ...] | None:
    """A gate as its strings when it is an alternation of plain strings (``锟斤拷|烫烫烫``):
    a regex matches such a text exactly where one of them is a substring, and
    :func:`~cjkfix._scan.contains_any` finds one several times faster than the regex
    scan (1.7 ms per 1.7 MB of CJK text, where the characters alone are common: ``烫``
    is a word)."""
    words = pattern.split("|")
    if all(word and re.escape(word) == word for word in words):
        return tuple(words)
    return None


def _gate_rank(pattern: str) -> int:
    """The order :func:`needs_work` tries the gates in: ``in`` tests, then regexes that
    start with a character class (the scan skips to one of its characters at C speed),
    then the rest (one that starts with a lookahead tries every position: the escapes
    gate takes 4 ms per 1.7 MB of CJK text). The first gate that passes decides, so the
    order changes the time only; most CJK text passes one of the cheap gates early."""
    if _gate_words(pattern) is not None:
        return 0
    return 1 if pattern.startswith("[") else 2


@functools.cache
def _plan_for(enabled: tuple[str, ...]) -> _Plan:
    # Planning sorts and escapes thousands of gate characters (about 3 ms); there are
    # at most 2**len(FIXER_NAMES) plans, so each is made once per process. The fixers
    # register at import, before any call can reach here.
    registry = fixers()
    chars = [registry[name].chars() for name in enabled]
    patterns = [registry[name].pattern() for name in enabled]
    gates: tuple[_Gate, ...] | None = None
    char_gates: dict[str, int] | None = None
    if enabled and all(c and p is not None for c, p in zip(chars, patterns, strict=True)):
        # (within a rank, the gates of few characters first: a long text that one of
        # them passes, ``(`` of a ruby annotation in CJK text, is then not scanned with
        # the mojibake gate's thousands of characters before; one that none passes is
        # scanned by them all in any order)
        ordered = sorted(
            zip(enabled, chars, patterns, strict=True),
            key=lambda ncp: (_gate_rank(ncp[2] or ""), len(set(ncp[1])) > _FEW_CHARS),
        )
        gates = tuple(_gate(c, p or "", registry[name]) for name, c, p in ordered)
        char_gates = {}
        for i, (_name, c, _p) in enumerate(ordered):
            for ch in set(c):
                char_gates[ch] = char_gates.get(ch, 0) | 1 << i
    return _Plan(
        enabled,
        re.compile(f"[{re.escape(''.join(sorted(set(''.join(chars)))))}]")
        if enabled and all(chars)
        else None,
        gates,
        tuple(name for name in enabled if registry[name].ascii_text),
        char_gates,
    )


def _plan(config: Config) -> _Plan:
    # A call without options (most calls) skips hashing the Config (a microsecond, a
    # fifth of the time a clean line takes), and the tuple of fixer names too.
    if config is DEFAULT:
        return _default_plan()
    return _plan_keyed(config)


@functools.cache
def _default_plan() -> _Plan:
    # (a cache of no arguments: its look-up hashes nothing, where _plan_for's hashed the
    # six fixer names on every call, 0.2 us of a clean line's 1.5)
    return _plan_for(FIXER_NAMES)


@functools.lru_cache(maxsize=256)
def _plan_keyed(config: Config) -> _Plan:
    # Keyed by the (frozen, hashable) Config so that a call with options costs one
    # cache look-up; lru_cache is thread-safe and holds no per-call state.
    return _plan_for(tuple(name for name in FIXER_NAMES if config.enabled(name)))


def _enabled(config: Config) -> tuple[str, ...]:
    return _plan(config).enabled


def needs_work(text: str, config: Config) -> bool:
    """The cheap gate: ``False`` proves that :func:`run` would change nothing."""
    if config.to is not None:
        return True
    if not text:
        return False  # (nothing for any gate to pass, or any fixer to change)
    plan = _default_plan() if config is DEFAULT else _plan_keyed(config)  # (_plan, inline)
    if text.isascii():
        registry = fixers()
        return any(registry[name].gate(text) for name in plan.ascii_fixers)
    if not plan.enabled:
        return False
    if plan.gates is not None and plan.char_gates is not None and len(text) < _SHORT:
        # (the gates' characters in the text, then only the gates they belong to; the
        # prefilter's class is their union, so no character of it means no gate)
        assert plan.prefilter is not None  # (gates: every gate has characters)
        char_gates = plan.char_gates
        which = 0
        for ch in plan.prefilter.findall(text):
            which |= char_gates[ch]
        for gate in plan.gates:
            if not which:
                return False
            if which & 1 and gate.pattern.search(text) is not None:
                return True
            which >>= 1
        return False
    if plan.prefilter is not None and plan.prefilter.search(text) is None:
        return False
    if plan.gates is not None:
        for gate in plan.gates:
            faster = gate.faster
            if isinstance(faster, tuple):
                # (words: found from their first characters, no test of those first)
                if contains_any(text, faster):
                    return True
                continue
            if gate.few is not None and not any(ch in text for ch in gate.few):
                continue
            # (many characters: the pattern's own scan skips to them)
            if faster is None:
                if gate.pattern.search(text) is not None:
                    return True
            elif faster(text):
                return True
        return False
    registry = fixers()
    return any(registry[name].gate(text) for name in plan.enabled)


def _checked(text: str, edits: Sequence[Edit], fixer: str) -> list[Edit]:
    if not edits:
        return []
    kept: list[Edit] = []
    last_end = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if not (last_end <= e.start <= e.end <= len(text)):
            raise AssertionError(f"fixer {fixer!r} proposed overlapping or out-of-range edits")
        if text[e.start : e.end] != e.after:
            kept.append(e)
        last_end = e.end
    return kept


def _stages(config: Config) -> list[tuple[str, Fixer | None]]:
    registry = fixers()
    stages: list[tuple[str, Fixer | None]] = [
        (name, registry[name]) for name in FIXER_NAMES if config.enabled(name)
    ]
    if config.to is not None:
        stages.append(("convert", None))
    return stages


def _rounds(config: Config) -> tuple[tuple[str, Fixer | None, int], ...]:
    """Each stage's rounds in order: (name, fixer, round), made once per configuration
    (a clean paragraph that passes a gate goes through them all)."""
    return _default_rounds() if config is DEFAULT else _keyed_rounds(config)


def _rounds_of(config: Config) -> tuple[tuple[str, Fixer | None, int], ...]:
    return tuple(
        (name, fixer, round_)
        for name, fixer in _stages(config)
        for round_ in range(fixer.rounds if fixer is not None else 1)
    )


@functools.cache
def _default_rounds() -> tuple[tuple[str, Fixer | None, int], ...]:
    return _rounds_of(DEFAULT)


@functools.lru_cache(maxsize=256)
def _keyed_rounds(config: Config) -> tuple[tuple[str, Fixer | None, int], ...]:
    return _rounds_of(config)


def _convert_edits(text: str, config: Config) -> list[Edit]:
    from cjkfix.script import edits_for

    return edits_for(text, config.to or "")


#: Paragraphs: a blank line (or one of only white space) ends one.
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n(?:[ \t\r\f\v]*\n)*")
#: A paragraph longer than this is cut after its last line end before each such mark
#: (a line that long where :func:`cut_point` says): every unit is repaired on its own.
#: The fixers' working memory grows with the unit (about 120 bytes a character): the CLI, which
#: streams in these units, peaked at 225 MB RSS on a 300 MB file of one long paragraph
#: with 1 MiB units, at 119 MB with 128 Ki.
MAX_UNIT = 1 << 17


def units(text: str) -> Iterator[tuple[int, int]]:
    """The spans cjkfix repairs one at a time: paragraphs (each with the blank lines
    after it), long ones cut at line ends. A repair never looks past its unit, so a text
    repaired whole equals its units repaired one by one (what a stream can do)."""
    start = 0
    for m in _BLANK.finditer(text):
        yield from _cut(text, start, m.end())
        start = m.end()
    if start < len(text):
        yield from _cut(text, start, len(text))


def _cut(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_UNIT:
        cut = cut_point(text, start, start + MAX_UNIT)
        yield start, cut
        start = cut
    yield start, end


#: Where a line with no line end in a unit's reach is cut, in order of preference
#: (pattern, cut after the match): after its last white space; after its last ASCII
#: character but ``?`` (a character's bytes as a wrong codec shows them hold no ASCII
#: byte; ``?`` may stand for one); before the last character that is a UTF-8 lead byte
#: as Latin-1 and cp1252 show it (C2-F4, where such a view of a character starts:
#: ``ï¿½ï¿½...`` is cut between two ``ï¿½``, not inside one, which left both units a
#: character they could not read, and a second repair with other cuts more to do), or
#: before the last character no single-byte codec shows, Han, kana, Hangul or U+FFFD:
#: what a repair of such views leaves, so that a second repair cuts where the first
#: did (``½`` and 50,000 ``ï¿½``: the first unit, too long a run to read, was left, the
#: second read; a second repair cut before the first unit's last ``ï¿½`` and read it).
_CUTS = (
    (LazyRegex(r"[^\S\n]"), True),
    (LazyRegex("[\x00-\x3e\x40-\x7f]"), True),
    (LazyRegex("[\xc2-\xf4\u3041-\u30ff\u3400-\u9fff\uac00-\ud7a3\ufffd]"), False),
)


def cut_point(text: str, start: int, stop: int) -> int:
    """Where a unit that starts at ``start`` and may reach ``stop`` ends (a cut in
    ``(start, stop]``): after its last line end, else as :data:`_CUTS` says, else at
    ``stop``. One function for the pipeline and the CLI's streaming splitter, which
    must cut alike (:class:`cjkfix.cli.io.Splitter`)."""
    cut = text.rfind("\n", start, stop) + 1
    if cut > start:
        return cut
    back = text[start:stop][::-1]  # (searched backwards from the limit, at C speed)
    for pattern, after in _CUTS:
        m = pattern.compiled().search(back)
        if m is not None:
            cut = stop - m.start() if after else stop - m.start() - 1
            if cut > start:
                return cut
    return stop


def run(text: str, config: Config) -> Repair:
    """Repair ``text`` under ``config``, unit by unit (see :func:`units`); the one code
    path behind every public function."""
    if not needs_work(text, config):
        return Repair(text, [])
    return run_needed(text, config)


def run_needed(text: str, config: Config) -> Repair:
    """:func:`run` for a text that :func:`needs_work` has passed (:func:`cjkfix.repair`
    asks the gate itself, and returns clean text without making a :class:`Repair`:
    a third of the time a clean line takes)."""
    spans = list(units(text))
    if len(spans) == 1:  # one unit, the text itself: its gate has just passed
        return _run_unit(text, config)
    pieces: list[str] = []
    steps: list[Step] = []
    done = 0  # length of the repaired units before this one
    for start, end in spans:
        unit = text[start:end]
        # (each step made where it goes in the whole text: made again, moved, a unit of
        # thousands of repairs cost as much again)
        fixed, unit_steps = (
            _run_unit(unit, config, (done, start)) if needs_work(unit, config) else (unit, [])
        )
        steps.extend(unit_steps)
        pieces.append(fixed)
        done += len(fixed)
    if not steps:
        return Repair(text, [])
    return Repair("".join(pieces), steps)


#: How many times at most the pipeline goes through its stages (see :func:`_run_unit`).
MAX_PASSES = 4


def _run_unit(text: str, config: Config, at: tuple[int, int] = (0, 0)) -> Repair:
    """Run the stages over one unit until none changes the text (a fixed point, so that
    repairing is idempotent), at most :data:`MAX_PASSES` times; ``at``: where the unit's
    steps go in the whole text (the length of the repaired units before it, and where it
    starts in the input).

    A stage may leave a text that a stage before it reads differently: the loss markers
    fixer turns a ``锟斤拷`` that the replacement fixer could not read into U+FFFD, and
    with that U+FFFD the replacement fixer can read the rest of the run. A second call
    of :func:`cjkfix.repair` made that change; now the first does. A further pass runs
    only after one that changed the text, and skips each stage that has already left
    this very text as it is (its edits would be the same: none), so text that one pass
    repairs for good costs a second look by the stages before the last change only.
    """
    steps: list[Step] = []
    maps: list[_StageMap] = []  # one per change: len(maps) numbers the text's versions
    unchanged: dict[str, int] = {}  # stage -> the version it last left as it was
    final: list[tuple[int, str]] = []  # the U+FFFD stages wrote for good, and which
    kept: dict[str, dict[str, Any]] = {}  # what fixers keep over the passes (Fixer.fix_in)
    for _ in range(MAX_PASSES):
        changes = len(maps)
        text = _pass(text, config, steps, maps, unchanged, final, kept, at)
        if len(maps) == changes:
            break
    return Repair(text, steps)


def _pass(
    text: str,
    config: Config,
    steps: list[Step],
    maps: list[_StageMap],
    unchanged: dict[str, int],
    final: list[tuple[int, str]],
    kept: dict[str, dict[str, Any]],
    at: tuple[int, int],
) -> str:
    """One pass through the stages: the text they leave; ``steps`` and ``maps`` grow by
    each change, ``unchanged`` records the stages that changed nothing, ``final`` holds
    the offsets of the U+FFFD that stages wrote for good (see :func:`_not_rereading`),
    ``kept`` what each fixer keeps over the passes on this unit (:meth:`Fixer.fix_in`);
    ``at``: see :func:`_run_unit`."""
    out_at, in_at = at
    changed = False  # did the fixer's previous round change something?
    for name, fixer, round_ in _rounds(config):
        if round_ and not changed:
            # A further round only after one that changed something (after one that
            # changed nothing, the text is the same and so would be its edits).
            continue
        changed = False
        if unchanged.get(name) == len(maps):
            continue
        if fixer is None:
            edits = _convert_edits(text, config)
        else:
            edits = fixer.fix_in(text, config, kept) if fixer.gate_in(text, kept) else []
        edits = _not_rereading(_checked(text, edits, name), final, name)
        if not edits:
            unchanged[name] = len(maps)
            continue
        changed = True
        delta = 0
        for e in edits:
            in_start, in_end = e.start, e.end
            for m in reversed(maps):
                in_start = m.back(in_start, is_end=False)
                in_end = m.back(in_end, is_end=True)
            before = text[e.start : e.end]
            steps.append(
                Step(
                    fixer=name,
                    start=e.start + delta + out_at,
                    end=e.end + delta + out_at,
                    before=before,
                    after=e.after,
                    reason=e.reason,
                    confidence=e.confidence,
                    input_start=in_start + in_at,
                    input_end=in_end + in_at,
                    evidence=e.evidence,
                )
            )
            delta += len(e.after) - len(before)
        text = splice(text, edits)
        maps.append(_StageMap(edits))
        final[:] = _moved(final, edits, name)
    return text


def detect_text(text: str, config: Config) -> list[Finding]:
    """Findings for everything :func:`run` would change, plus detection-only reports."""
    findings = [step.as_finding() for step in run(text, config).steps]
    findings.extend(detect_only(text, config))
    findings.sort(key=lambda f: (f.start, f.end, f.family))
    return findings


def detect_only(text: str, config: Config) -> list[Finding]:
    """The detection-only reports of :func:`detect_text`: what looks broken but that
    :func:`run` would leave as it is (mixed script, loss markers, short mojibake)."""
    findings: list[Finding] = []
    if not text.isascii():
        registry = fixers()
        for name in _enabled(config):
            fixer = registry[name]
            if fixer.detect is not None and fixer.gate(text):
                findings.extend(fixer.detect(text, config))
        from cjkfix.script import mixed_script_findings

        findings.extend(mixed_script_findings(text))
    findings.sort(key=lambda f: (f.start, f.end, f.family))
    return findings
