"""Legacy CJK text read as UTF-8 with U+FFFD, and its ``锟斤拷`` follow-up.

Windows tools print in the console code page (GBK, Big5, Shift_JIS, EUC-KR); a UTF-8
terminal, log viewer or web panel reads it with ``errors="replace"``. Most byte pairs are
not UTF-8 and become U+FFFD; pairs that happen to be valid UTF-8 survive as unrelated
letters (``Ҳ``, ``ϥ``, ``Ż``, even ``汾``), ASCII trail bytes as ASCII. Most bytes are
gone, so the repair restores only what the surviving bytes pin down and writes one
U+FFFD per lost character, so that the junk letters go and the count of U+FFFD says how
many characters were lost (see :mod:`cjkfix.replacement_lattice` for the byte lattice).

A *stretch* is a run of U+FFFD and non-ASCII characters (and ASCII letters right after
them, which may be trail bytes). Only dense damage is read: a stretch with U+FFFD and
junk letters that stand alone between them (never a run of four letters: that is a word),
not a word of a script the paragraph is written in. Each line's stretches vote for a
codec, as they would alone (a paragraph may hold lines of GBK and of Big5); a line of the
paragraph's codec takes its posterior where that is surer; then the other stretches of a
line read so are read with its codec too (one reading a line), and runs of U+FFFD alone
on a line of no evidence with the paragraph's codec, unless the mojibake fixer reads that
line alone. A line whose reading is no text is left as it is, and does not stop the
others. Lines of other chains are left to the mojibake fixer: Hangul or kana beside
U+FFFD in a run a double-byte codec shows whole (UTF-8 read as EUC-KR or Shift_JIS), two
characters of UTF-8 whole through a single-byte table (``ă‚‰``), UTF-8 text with
characters lost. The U+FFFD this fixer writes each stand for one character, and a later
pass of the pipeline does not read them again (:data:`cjkfix.pipeline_final._COUNTED`).
A character whose bytes all survived comes back only when it is a CJK character or CJK
punctuation and the lattice is at least :data:`POSTERIOR` sure of it.

A decoder that writes "?" for each byte it cannot read (Windows, PHP) makes the same
chain with "?" for U+FFFD: those "?" are read as U+FFFD would be where the stretches show
the damage by themselves (:func:`_qmark_edits`), never a run of "?" alone.

The ``锟斤拷`` variant is the same U+FFFD text written as UTF-8 and read as GBK
(``锟睫凤拷锟斤拷源锟侥硷拷``, 无法打开源文件): such a run is read back as UTF-8 first
(:mod:`cjkfix.replacement_kun`).

    >>> from cjkfix import repair
    >>> repair("returns \ufffd\u03f4\ufffd")
    'returns \ufffd\ufffd'
    >>> repair("\ufffd\u04b2\ufffd\ufffd\ufffd\u05b8\ufffd\ufffd\ufffd\ufffd\u0123\ufffd\u9863")
    '\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd。'
    >>> repair("Ελληνικά \ufffd κείμενο, 我们\ufffd的")
    'Ελληνικά \ufffd κείμενο, 我们\ufffd的'
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from cjkfix._lazyre import LazyRegex
from cjkfix.config import Config
from cjkfix.registry import Fixer, register
from cjkfix.replacement_stretches import (
    _FFFD,
    _evidence,
    _foreign_lines,
    _Lines,
    _one_byte_lines,
    _only_runs,
    _per_line,
    _secondary,
    _Stretch,
    _stretches,
)
from cjkfix.steps import Edit

if TYPE_CHECKING:
    from cjkfix.replacement_lattice import Alignment

__all__ = ["FIXER", "POSTERIOR", "Reading", "fix", "gate", "read"]

#: How sure the lattice (and the codec vote) must be of a character whose bytes all
#: survived before it comes back.
POSTERIOR = 0.99
#: How many characters of evidence the codec vote reads.
VOTE_TOKENS = 80

#: U+FFFD, ``锟``, or a "?" beside a letter a UTF-8 decoder makes of a legacy pair (U+0080
#: to U+07FF): a decoder that writes "?" for each byte it cannot read (Windows, PHP).
#: (Written to start at the marker: the scan skips to it at C speed.)
_QMARK = "\\?(?:(?<=[\u0080-\u07ff]\\?)|[\u0080-\u07ff])"
_GATE = LazyRegex(f"\ufffd|锟|{_QMARK}")
_QMARK_GATE = LazyRegex(_QMARK)
#: A paragraph read with its "?" as lost bytes holds at least this many of them in the
#: stretches that show the damage.
QMARK_MIN = 3


def gate(text: str) -> bool:
    return _FFFD in text or "锟" in text or ("?" in text and _QMARK_GATE.search(text) is not None)


def _restorable(ch: str) -> bool:
    from cjkfix import model

    o = ord(ch)
    return model.is_cjk(ch) or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFFEF


class _Read(NamedTuple):
    after: str
    restored: int
    lost: int


#: The alignments of one paragraph's stretches, by (stretch text, codec, byte after),
#: each full or only its evidence (a full one serves both: its ``logz`` is the same).
_Memo = dict[tuple[str, str, "int | None"], tuple[bool, "Alignment | None"]]


def _align(
    text: str, s: _Stretch, codec: str, memo: _Memo, *, evidence_only: bool = False
) -> Alignment | None:
    """The lattice's alignment of stretch ``s`` through ``codec``, worked out once per
    paragraph for each distinct stretch (a log repeats its lines: each is read once)."""
    from cjkfix import replacement_lattice as rl

    # (only white space after the stretch counts as the end of the text: a unit ends with
    # its blank lines, and a stream that withheld a last byte stopped at a line end)
    at_end = _AT_END.match(text, s.end) is not None
    following = None if at_end else text[s.end]
    after = following.encode("utf-8", "surrogatepass")[0] if following is not None else None
    shown = text[s.start : s.end]
    key = (shown, codec, after)
    kept = memo.get(key)
    if kept is not None and (kept[0] or evidence_only):
        return kept[1]
    got = rl.align(
        rl.tokens(shown), codec, rl.LANG[codec], after=after, evidence_only=evidence_only
    )
    memo[key] = (not evidence_only, got)
    return got


def _read(a: Alignment, p_codec: float) -> _Read:
    out: list[str] = []
    restored = lost = 0
    for c in a.chars:
        if c.char is not None and c.char.isascii() and c.lead == "":
            out.append(c.char)
        elif c.char is not None and _restorable(c.char) and c.posterior * p_codec >= POSTERIOR:
            out.append(c.char)
            restored += 1
        else:
            out.append(_FFFD)
            lost += 1
    return _Read("".join(out), restored, lost)


#: The characters a repair reads whole must reach this average log-probability (clean
#: text reads about -6 to -8; GBK read out of its own text, -11 and below).
MIN_FLUENCY = -10.0


def _fluent(after: str) -> bool:
    """Do the characters read whole in ``after`` (two or more) read as text?"""
    from cjkfix import model

    read = "".join(ch for ch in after if ord(ch) > 0x7F and ch != _FFFD)
    return len(read) < 2 or model.score(read)[1] >= MIN_FLUENCY


_AT_END = LazyRegex(r"\s*\Z")


class Reading(NamedTuple):
    """The edits for one paragraph, and which of them read runs of U+FFFD alone."""

    edits: list[Edit]
    #: The starts of the edits that read a run of U+FFFD alone (:func:`_secondary`):
    #: each stands only on the paragraph's evidence, so only beside an evidence edit
    #: that is kept (see :mod:`cjkfix.replacement_kun`).
    secondary: frozenset[int] = frozenset()


_NOTHING = Reading([])


def _repair(text: str) -> list[Edit]:
    """Edits for the stretches of one paragraph (see the module docstring)."""
    return read(text).edits


def read(text: str) -> Reading:
    """:func:`_repair` with the edits that read runs of U+FFFD alone marked."""
    from cjkfix import replacement_lattice as rl

    stretches = _stretches(text)
    if not stretches:
        return _NOTHING
    memo: _Memo = {}
    # (Hangul or kana beside U+FFFD, in a run every character of which a double-byte
    # codec has: UTF-8 read as EUC-KR or Shift_JIS leaves them so; the mojibake fixer's.
    # Left alone for safety, line by line, so that a Korean line does not stop the
    # repair of a Chinese one beside it; clean Korean or Japanese text beside the damage
    # does not stop it either. So are lines of UTF-8 text with characters lost, common
    # characters beside U+FFFD.)
    lines = _Lines(text)
    line_of = lines.of
    # (what each line shows beside its stretches: a word a junk letter may belong to is
    # looked for on the stretch's own line, as alone; a paragraph's other line of
    # another chain's mojibake, ``âwâbâ_é\xadôÃ``, made a GBK line's ``ĵ`` a word's)
    outside, holed = _per_line(text, stretches, lines)
    foreign = (
        _foreign_lines(text, stretches, lines) | _one_byte_lines(text, stretches, lines) | holed
    )
    stretches = [s for i, s in enumerate(stretches) if i not in foreign]
    evidence = [s for s in stretches if _evidence(text, s, outside[line_of(s.start)])]
    if not evidence:
        return _NOTHING
    # The vote reads each line's evidence up to VOTE_TOKENS characters (enough to tell
    # the codecs apart; the lattice costs grow with the text), then only the chosen
    # codec reads the rest. Every line votes: a line of another codec is read as alone.
    voters: list[_Stretch] = []
    budgets: dict[int, int] = {}
    for s in sorted(evidence, key=lambda s: s.start - s.end):
        line = line_of(s.start)
        budget = budgets.get(line, VOTE_TOKENS)
        if budget <= 0:
            continue
        voters.append(s)
        budgets[line] = budget - (s.end - s.start)
    if "锟" in text:
        # a 锟 run that could not be read back: its U+FFFD are not this chain's
        evidence = [s for s in evidence if "锟" not in text[s.start : s.end]]
        stretches = [s for s in stretches if "锟" not in text[s.start : s.end]]
        if not evidence:
            return _NOTHING
    cuts = {
        codec: [_align(text, s, codec, memo, evidence_only=True) for s in voters]
        for codec in rl.CODECS
    }
    # A stretch no codec can cut is left alone; a codec that cannot cut one the others
    # can is out of the vote.
    readable = [i for i in range(len(voters)) if any(cuts[c][i] for c in rl.CODECS)]
    if not readable:
        return _NOTHING
    votes = {
        codec: math.fsum(-math.inf if a[i] is None else a[i].logz for i in readable)  # type: ignore[union-attr]
        for codec, a in cuts.items()
    }
    top = max(votes, key=votes.__getitem__)
    # (None: no codec cuts every stretch, lines of different codecs: each line's own
    # vote, below)
    best = top if votes[top] > -math.inf else None
    p_codec = _share(votes, top) if best is not None else 0.0
    # Each line is read with the codec its own stretches vote for (a Big5 line in a
    # paragraph of GBK ones, as it is read alone), with the paragraph's posterior where
    # that is the paragraph's codec too: the paragraph helps a line of the same codec,
    # and never reads one worse than it reads alone. A line whose stretches no codec
    # cuts is left as it is.
    own: dict[int, tuple[str, float] | None] = {}
    voted: dict[int, list[int]] = {}
    for i in readable:
        voted.setdefault(line_of(voters[i].start), []).append(i)
    for line, mine in voted.items():
        v = {
            codec: math.fsum(-math.inf if a[i] is None else a[i].logz for i in mine)  # type: ignore[union-attr]
            for codec, a in cuts.items()
        }
        b = max(v, key=v.__getitem__)
        if v[b] == -math.inf:
            own[line] = None
        elif b == best:
            own[line] = (b, max(p_codec, _share(v, b)))
        else:
            own[line] = (b, _share(v, b))
    for s in evidence:
        own.setdefault(line_of(s.start), None)  # (evidence no codec could cut)
    if not any(own.values()):
        return _NOTHING
    edits: list[Edit] = []
    failed: set[int] = set()  # (lines whose reading is no text: left as they are)
    incomplete: set[int] = set()  # (lines with a stretch their codec cannot cut)
    for s in evidence:
        line = line_of(s.start)
        chosen = own[line]
        if chosen is None:
            continue  # (a line no codec cuts)
        codec, p = chosen
        a = _align(text, s, codec, memo)
        if a is None:
            incomplete.add(line)
            continue
        r = _read(a, p)
        if not _fluent(r.after):
            # the characters read whole are no text (``茅鈩莽藵`` from ``é™�ç˝``:
            # UTF-8 read through a single-byte codec with a byte lost, not legacy bytes)
            failed.add(line)
        edits.append(_edit(s, r, codec, p))
    _drop_failed(edits, failed, line_of)
    # Runs of U+FFFD alone, on a line whose damage is now known; on a line with no
    # evidence of its own and nothing else beyond ASCII and text, with the paragraph's
    # codec, where its lines agree on one and a line of it was read (not where only
    # lines left as they are vote: on the unit's next round, they would read a repair's
    # own U+FFFD again, two as one), counted but with no character restored (the line's
    # codec is the paragraph's guess: EUC-KR's ``���丮��`` beside GBK lines made 府).
    read_with = {e.evidence["chain"][0] for e in edits}
    shared = None if best is None or incomplete or best not in read_with else (best, p_codec)
    # (membership in sets: a long line holds tens of thousands of stretches, and a test
    # against the list of evidence made the paragraph quadratic)
    taken = set(evidence)
    runs = [s for s in stretches if s not in taken and _secondary(text, s)]
    plain = _only_runs(text, runs, lines) if shared is not None else set()
    # (the lines that only the paragraph's codec would read which the mojibake fixer
    # reads alone: ``��湔�亥��銵� SQL ��賭誘`` is UTF-8 read as Big5, ``不�E需要`` UTF-8
    # through Shift_JIS's eating decoder and back)
    junky = _mojibake_lines(
        text, [s for s in runs if line_of(s.start) in plain and line_of(s.start) not in own], lines
    )
    # (and a stretch that shows no damage by itself on a line its evidence was read on:
    # one reading for the line, applied to every stretch it explains; ``Ÿ����`` of 타원의
    # beside EUC-KR stretches, left as junk, made the line half repaired)
    taken.update(runs)
    runs += [s for s in stretches if s not in taken and own.get(line_of(s.start)) is not None]
    runs.sort(key=lambda s: s.start)
    secondary: set[int] = set()
    for s in runs:
        line = line_of(s.start)
        # (the paragraph's codec reads a line of no evidence only where the line alone
        # is not another chain's: it would make the line worse than alone)
        chosen = own.get(line, shared if line in plain and line not in junky else None)
        if chosen is None or line in incomplete or line in failed:
            continue
        codec, p = chosen
        a = _align(text, s, codec, memo)
        if a is not None:
            r = _read(a, p if line in own else 0.0)
            if r.after != text[s.start : s.end]:
                edits.append(_edit(s, r, codec, p))
                secondary.add(s.start)
    _drop_failed(edits, failed, line_of)
    secondary = {start for start in secondary if line_of(start) not in failed}
    edits.sort(key=lambda e: e.start)
    return Reading(edits, frozenset(secondary))


def _mojibake_lines(text: str, runs: list[_Stretch], lines: _Lines) -> set[int]:
    """The lines of ``runs`` that the mojibake fixer repairs alone."""
    from cjkfix.config import DEFAULT
    from cjkfix.mojibake.engine import fix as mojibake_fix

    out: set[int] = set()
    for line in lines.grouped(runs):
        start, end = lines.bounds(line)
        if mojibake_fix(text[start:end], DEFAULT):
            out.add(line)
    return out


def _drop_failed(edits: list[Edit], failed: set[int], line_of: Callable[[int], int]) -> None:
    """Drop (in place) the edits of lines in ``failed`` and of lines whose characters
    read whole are, all together, no text (one character read whole here and there,
    each too short to judge alone, ``楹嗘`` ``绌`` ``璜`` from Korean UTF-8 read as
    Big5); add the latter to ``failed``."""
    by_line: dict[int, list[Edit]] = {}
    for e in edits:
        by_line.setdefault(line_of(e.start), []).append(e)
    for line, got in by_line.items():
        if not _fluent("".join(e.after for e in got)):
            failed.add(line)
    edits[:] = [e for e in edits if line_of(e.start) not in failed]


def _share(votes: dict[str, float], codec: str) -> float:
    """The posterior of ``codec`` among the codecs' votes (log weights)."""
    top = votes[codec]
    return 1.0 / math.fsum(math.exp(v - top) for v in votes.values() if v > -math.inf)


def _edit(s: _Stretch, r: _Read, codec: str, p_codec: float) -> Edit:
    from cjkfix import replacement_lattice as rl

    return Edit(
        s.start,
        s.end,
        r.after,
        reason=f"{codec} bytes read as utf-8 with U+FFFD: {r.restored} character(s) "
        f"restored, {r.lost} lost (one U+FFFD each)",
        confidence=round(p_codec, 3),
        evidence={
            "chain": [codec, "utf-8"],
            "language": rl.LANG[codec],
            "restored": r.restored,
            "lost_characters": r.lost,
            "codec_posterior": round(p_codec, 3),
        },
    )


def fix(text: str, config: Config) -> list[Edit]:
    if "锟" not in text:
        edits = _repair(text)
    else:
        from cjkfix import replacement_kun

        edits = replacement_kun.fix(text)
    if "?" in text and _QMARK_GATE.search(text) is not None:
        edits = sorted(edits + _qmark_edits(text, edits), key=lambda e: e.start)
    return edits


def _qmark_edits(text: str, taken: list[Edit]) -> list[Edit]:
    """The same chain where the decoder wrote "?" for each byte it could not read: each
    "?" is read as a U+FFFD would be, in the stretches that show the damage by
    themselves (junk letters alone between the markers, :func:`_evidence`), where they
    hold at least :data:`QMARK_MIN` of them in all; never a run of "?" alone, which may
    be a real question mark, nor a stretch that another edit already reads.

        >>> fix("??Ҫ???ڻ?? gcc ??????Թ? ld ʹ?á?", Config())[0].after
        '\ufffd要\ufffd\ufffd\ufffd\ufffd'
    """
    reading = read(text.replace("?", _FFFD))
    # (in text order, not overlapping: a bisection per edit finds the one it could meet)
    taken = sorted(taken, key=lambda t: t.start)
    ends = [t.end for t in taken]
    out: list[Edit] = []
    for e in reading.edits:
        before = text[e.start : e.end]
        if e.start in reading.secondary or "?" not in before or _FFFD in before:
            continue
        k = bisect.bisect_right(ends, e.start)
        if k < len(taken) and taken[k].start < e.end:
            continue
        out.append(
            dataclasses.replace(
                e,
                reason=e.reason.replace("with U+FFFD", 'with "?"'),
                evidence={**e.evidence, "marker": "?"},
            )
        )
    if sum(text.count("?", e.start, e.end) for e in out) < QMARK_MIN:
        return []
    return out


FIXER = register(
    Fixer(
        "replacement",
        gate=gate,
        fix=fix,
        gate_pattern=_GATE.pattern,
        gate_chars="\ufffd锟?",
    )
)
