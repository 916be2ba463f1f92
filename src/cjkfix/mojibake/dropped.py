"""Double-byte text read with another double-byte codec by a decoder that drops what it
cannot read (Python's ``errors="ignore"``, many log viewers): the bytes it dropped put
back, where the language model pins them down.

The wrong decoder drops one byte where it cannot pair it with the next one (a lead whose
pair it has no character for, a byte it has no character for at all) and goes on from
the next byte. So a dropped byte sits just before a character it shows (or at the end),
and it leaves no trace but what follows out of step: GBK ``个人觉得`` (``B8 F6 C8 CB BE
F5 B5 C3``) read as Big5 loses ``C8`` and shows ``跺侗黤繳``, whose bytes read as GBK are
``个司醯煤``.

Every way of reading the shown bytes as the original codec, with a byte put back or not
at each place one may have been dropped, is a path in a lattice; the model's bigrams pick
the likeliest (a beam over byte positions, each keeping its best paths per last
character). Each character of the best path is shown only where the share of all paths
that take it (forward-backward over the same states, scores tempered as in
:mod:`cjkfix.singlebyte_lattice`) is at least
:attr:`~cjkfix.mojibake.policy.Policy.slot_posterior`; else it is U+FFFD. The lattice is
built only where the plain reading goes wrong, and puts bytes back only near there.

    >>> text, lost, put_back, judged = read("跺侗黤繳僉砩ㄛ俋夤鬖璨ㄛ", "gbk", "big5")
    >>> judged  # C8 put back before 侗's CB (人), FA after 僉's C2 (满)
    '个人觉得很满意，外观靓丽，'
    >>> text  # (满 is likely, not sure: 很 then 意 fit other characters too)
    '个人觉得很�意，外观靓丽，'
"""

from __future__ import annotations

import bisect
import functools
import itertools
import unicodedata
from typing import NamedTuple

from cjkfix import codecs as cc
from cjkfix._lazyre import LazyRegex
from cjkfix.beam import BeamLattice
from cjkfix.mojibake.lossy import _cp932_variants
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.tables import _ENCODING_LANG, _LEGACY_PY
from cjkfix.mojibake.verdict import _model

__all__ = ["drop_options", "read"]

#: Cost (natural log) of each byte put back.
PUT_BACK_COST = 1.0
#: Paths kept per lattice state.
BEAM = 6
#: Characters a byte put back in one place may make, the likeliest alone.
PATHS = 16


@functools.cache
def drop_options(wrong: str, following: bytes) -> tuple[int, ...]:
    """The bytes the ``wrong`` Python codec, ignoring what it cannot decode, drops
    without a trace before ``following`` (the bytes of the next character it shows, or
    nothing at the end): a lead it cannot pair with the next byte, a byte it has no
    character for.

        >>> 0xC8 in drop_options("cp950", "侗".encode("cp950"))  # C8 CB: no Big5 pair
        True
        >>> 0xB8 in drop_options("cp950", "侗".encode("cp950"))  # B8 CB: 蔣
        False
    """
    shown = following.decode(wrong, "ignore")
    return tuple(
        x for x in range(0x80, 0x100) if (bytes((x,)) + following).decode(wrong, "ignore") == shown
    )


@functools.cache
def _pair(decoder: str, lead: int, trail: int) -> str:
    """The character ``lead trail`` is in ``decoder``, or "" where it is none."""
    try:
        ch = bytes((lead, trail)).decode(decoder)
    except UnicodeDecodeError:
        return ""
    return ch if len(ch) == 1 else ""


@functools.cache
def _single(decoder: str, byte: int) -> str:
    """The character the non-ASCII ``byte`` alone is in ``decoder``, or ""."""
    try:
        ch = bytes((byte,)).decode(decoder)
    except UnicodeDecodeError:
        return ""
    # (not a control or private-use character a codec keeps a byte's place with)
    return ch if len(ch) == 1 and unicodedata.category(ch) not in ("Cc", "Co", "Cn") else ""


class _Step(NamedTuple):
    char: str
    start: int  # byte position the character starts at
    put: int  # the byte put back, or -1
    lead: bool  # (when put) the byte put back is the character's first


def read(run: str, original: str, wrong: str) -> tuple[str, int, int, str] | None:
    """``run`` read as ``original`` with the bytes a dropping ``wrong`` decoder lost put
    back (see the module docstring): (text, characters lost, bytes put back, the text as
    judged, each character as the model chose it), or None where the run shows a trace
    of a decoder that kept what it could not read (U+FFFD, "?"), is too long, or no byte
    put back clearly wins."""
    if "\ufffd" in run or "?" in run or len(run) > POLICY.max_run:
        return None
    py = _LEGACY_PY.get(wrong, wrong)
    try:
        pieces = [ch.encode(py) for ch in run]
    except UnicodeEncodeError:
        return None
    decoder = cc.ORIGINAL_DECODERS[original]
    model = _model()
    found: tuple[float, _Lattice, list[_Step], bytes] | None = None
    variants = [pieces]
    if wrong == "shift_jis":
        # (cp932 reads some characters from two places, NEC and IBM rows, both pairs:
        # each form is tried, as for the other readings of a run)
        # (as many as the readings of a run with lost bytes try)
        variants += [
            [p or b"" for p in v] for v in _cp932_variants(run, list(pieces), POLICY.max_dual_lossy)
        ]
    lang = _ENCODING_LANG.get(original, "zh-Hans")
    wrong_at = [_wrong_at(b"".join(v), decoder, lang) for v in variants]
    if any(w is not None and not w for w in wrong_at):
        return None  # (a form of the run reads in step throughout)
    chosen = [(v, w) for v, w in zip(variants, wrong_at, strict=True) if w][:_MAX_LATTICES]
    for variant, near in chosen:
        got = _best(variant, py, decoder, original, near)
        if got is not None and (found is None or got[0] > found[0]):
            found = got
    if found is None:
        return None
    _score, lattice, path, data = found
    if not any(s.put >= 0 for s in path):
        return None
    plain = data.decode(decoder, "replace")
    lang = lattice.lang
    judged = "".join(s.char for s in path)
    put_back = sum(s.put >= 0 for s in path)
    gain = model.text_logprob(judged, lang) - model.text_logprob(plain, lang)
    if gain < POLICY.slot_gain * put_back:
        return None
    sure = lattice.marginals()
    shown = "".join(s.char if sure.get(s, 0.0) >= POLICY.slot_posterior else "\ufffd" for s in path)
    lost = shown.count("\ufffd")
    if not _in_script(shown, original) or lost * 2 > sum(ch >= "\x80" for ch in shown):
        return None  # (what it is sure of is no text of the original, or is too little)
    return shown, lost, put_back, judged


#: Punctuation that CJK text writes (CJK symbols, full-width forms that are no letter or
#: digit, general punctuation such as curly quotes and dashes).
_PUNCTUATION = LazyRegex(
    "[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2010-\u206f]"
)
#: Kana (and the prolonged sound mark): Japanese.
_KANA = LazyRegex("[\u3040-\u30ff\uff66-\uff9f]")


def _in_script(text: str, original: str) -> bool:
    """Is every non-ASCII character of ``text`` CJK or CJK punctuation, and kana only
    where the original codec is Japanese? A reading that bytes put back make out of
    full-width letters, Cyrillic or kana in Chinese (``ｄ互驿国``) is no reading."""
    model = _model()
    if original not in ("shift_jis", "euc-jp") and _KANA.search(text):
        return False
    return all(
        ch < "\x80" or ch == "\ufffd" or model.is_cjk(ch) or _PUNCTUATION.fullmatch(ch) is not None
        for ch in text
    )


#: A window of :attr:`~Policy.fluent_piece` characters that scores at least this per
#: character reads in step. Lossless readings score -4 to -7 per character; text out of
#: step by a byte, -10 to -12 (``个司醯煤苈意``).
IN_STEP = -9.0


#: Bytes are put back only this near (in bytes) to where the plain reading goes wrong.
RADIUS = 10


def _wrong_at(data: bytes, decoder: str, lang: str) -> list[int] | None:
    """The byte offsets of the characters where ``data`` read as ``decoder`` goes wrong
    (in a window out of step, :data:`IN_STEP`; a stray, :func:`_stray`; U+FFFD, bytes it
    cannot read), sorted; empty where it reads in step throughout (nothing was lost: the
    plain readings have it). None where most of it is out of step both as it is and one
    byte on (where a dropped byte turned it): another codec's bytes. The lattice, which
    costs far more than a reading, is built only where a dropped byte can be what went
    wrong, and puts bytes back only near it."""
    wide = [(at, ch) for at, ch in _chars(data, decoder) if ch >= "\x80"]
    bad: set[int] = {at for at, ch in wide if ch == "\ufffd"}
    known = [(at, ch) for at, ch in wide if ch != "\ufffd"]
    flags = _in_step([ch for _at, ch in known], lang)
    size = len(known) - len(flags) + 1
    for k, ok in enumerate(flags):
        if not ok:
            bad.update(at for at, _ch in known[k : k + size])
    bad.update(_stray(known, lang))
    if not bad:
        return []
    share = sum(flags) / len(flags) if flags else 0.0
    if share < 0.5:
        shifted = data[1:].decode(decoder, "replace")
        if share + _in_step_share(shifted, lang) < 0.5:
            return None
    return sorted(bad)


def _chars(data: bytes, decoder: str) -> list[tuple[int, str]]:
    """(byte offset, character) of ``data`` read as double-byte ``decoder``, a byte it
    cannot read as U+FFFD."""
    out: list[tuple[int, str]] = []
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            out.append((i, chr(b)))
            i += 1
            continue
        ch = _pair(decoder, b, data[i + 1]) if i + 1 < n else ""
        if ch:
            out.append((i, ch))
            i += 2
            continue
        out.append((i, _single(decoder, b) or "\ufffd"))
        i += 1
    return out


#: A character the model knows no pair for with either neighbour is a stray where it
#: is rarer than this alone (``啡夏`` in ``请啡夏的``: 确认您 out of step between two
#: dropped bytes; a short stretch that windows average away).
STRAY = -10.0


def _stray(known: list[tuple[int, str]], lang: str) -> list[int]:
    """The offsets of the rare characters with no known pair on either side."""
    from cjkfix import model

    solo, pair = model._tables(lang)
    out: list[int] = []
    for i, (at, ch) in enumerate(known):
        if solo[ch] >= STRAY:
            continue
        if (i == 0 or known[i - 1][1] + ch not in pair) and (
            i + 1 == len(known) or ch + known[i + 1][1] not in pair
        ):
            out.append(at)
    return out


def _in_step_share(text: str, lang: str) -> float:
    """The share of windows of ``text``'s non-ASCII characters (U+FFFD, bytes the
    decoder cannot read, left out) that read in step (:func:`_in_step`)."""
    flags = _in_step([ch for ch in text if ch >= "\x80" and ch != "\ufffd"], lang)
    return sum(flags) / len(flags) if flags else 0.0


def _in_step(chars: list[str], lang: str) -> list[bool]:
    """For each window of :attr:`~Policy.fluent_piece` of ``chars`` (one, shorter, where
    there are fewer), whether it reads in step: at least :data:`IN_STEP` per character,
    each character scored once after the one before it."""
    from cjkfix import model

    if not chars:
        return []
    solo, pair = model._tables(lang)
    values = [solo[chars[0]]]
    values += [pair.get(a + b, solo[b]) for a, b in itertools.pairwise(chars)]
    size = min(POLICY.fluent_piece, len(values))
    return [sum(values[k : k + size]) >= IN_STEP * size for k in range(len(values) - size + 1)]


#: Forms of a run (cp932's characters with two forms) read through the lattice.
_MAX_LATTICES = 4


def _best(
    pieces: list[bytes], py: str, decoder: str, original: str, near: list[int]
) -> tuple[float, _Lattice, list[_Step], bytes] | None:
    """The best path through the lattice of ``pieces`` (the bytes of each character the
    run shows), with its score, the lattice and the bytes; bytes are put back only
    within :data:`RADIUS` bytes of the offsets ``near``, where the plain reading goes
    wrong (where it reads in step, nothing was dropped before it)."""
    slots: dict[int, tuple[int, ...]] = {}
    alone: set[int] = set()  # where the run shows an ASCII character (not a trail byte)
    at = 0
    for piece in (*pieces, b""):
        options = drop_options(py, piece)
        k = bisect.bisect_left(near, at - RADIUS)
        if options and k < len(near) and near[k] <= at + RADIUS:
            slots[at] = options
        if len(piece) == 1 and piece[0] < 0x80:
            alone.add(at)
        at += len(piece)
    if not slots or len(slots) > POLICY.max_slots:
        return None
    data = b"".join(pieces)
    lang = _ENCODING_LANG.get(original) or _model().score(data.decode(decoder, "replace"))[0]
    lattice = _Lattice(data, slots, alone, decoder, lang)
    got = lattice.best()
    if got is None:
        return None
    return got[0], lattice, got[1], data


#: A lattice node: (byte position, whether a byte put back there ended the character
#: before it).
_Node = tuple[int, bool]


class _Lattice(BeamLattice[_Node, _Step]):
    """Every reading of ``data`` as ``decoder`` with a byte put back or not at each of
    ``slots``: the best path (max) and each step's posterior (sums), over the same
    states, each node keeping its :data:`BEAM` best last characters
    (:class:`cjkfix.beam.BeamLattice`)."""

    start = (0, False)
    beam = BEAM

    def __init__(
        self,
        data: bytes,
        slots: dict[int, tuple[int, ...]],
        alone: set[int],
        decoder: str,
        lang: str,
    ) -> None:
        from cjkfix import model

        self.data, self.slots, self.alone, self.decoder = data, slots, alone, decoder
        self.lang = lang
        self.solo, self.pair = model._tables(lang)
        self.n = len(data)
        self.edges: dict[_Node, list[tuple[_Node, _Step, float]]] = {}
        self.lasts: dict[_Node, list[str]] = {}  # each node's best last characters
        self.finals = ((self.n, False), (self.n, True))
        self._order = [(p, used) for p in range(self.n) for used in (False, True)]

    def moves(self, node: _Node) -> list[tuple[_Node, _Step, float]]:
        got = self.edges.get(node)
        if got is not None:
            return got
        p, used = node
        data, slots, decoder = self.data, self.slots, self.decoder
        b = data[p]
        edges: list[tuple[_Node, _Step]] = []
        if b < 0x80:
            if p in self.alone:
                edges.append(((p + 1, False), _Step(chr(b), p, -1, False)))
        else:
            one = _single(decoder, b)  # (Shift_JIS's half-width katakana)
            if one:
                edges.append(((p + 1, False), _Step(one, p, -1, False)))
            if p + 1 < self.n:
                ch = _pair(decoder, b, data[p + 1])
                if ch:
                    edges.append(((p + 2, False), _Step(ch, p, -1, False)))
            # a byte put back after this one: its trail
            made = [(ch, x) for x in slots.get(p + 1, ()) if (ch := _pair(decoder, b, x))]
            edges += [((p + 1, True), _Step(ch, p, x, False)) for ch, x in self._likeliest(made)]
        if not used:
            # a byte put back before this one: its lead
            made = [(ch, x) for x in slots.get(p, ()) if (ch := _pair(decoder, x, b))]
            edges += [((p + 1, False), _Step(ch, p, x, True)) for ch, x in self._likeliest(made)]
        self.edges[node] = moves = [(target, step, 0.0) for target, step in edges]
        return moves

    def _likeliest(self, got: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The :data:`PATHS` likeliest characters alone of those a byte put back makes
        (the rest weigh little in any path or posterior, and cost the most)."""
        if len(got) <= PATHS:
            return got
        solo = self.solo
        return sorted(got, key=lambda cx: -solo[cx[0]])[:PATHS]

    def weight(self, key: str, step: _Step, extra: float) -> float:
        value = self.pair.get(key[-1:] + step.char, self.solo[step.char])
        return value - PUT_BACK_COST if step.put >= 0 else value

    def key(self, step: _Step) -> str:
        return step.char

    def nodes(self) -> list[_Node]:
        return self._order
