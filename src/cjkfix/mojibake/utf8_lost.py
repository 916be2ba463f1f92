"""UTF-8 read as a double-byte codec by a decoder that lost what it could not read: every
reading of the bytes it shows, a lattice searched whole.

A decoder that cannot read a byte shows U+FFFD for it (Python's ``errors="replace"``),
``?`` (Windows, PHP), U+FFFD for a bad pair whose second byte is not ASCII (WHATWG), or
nothing (``errors="ignore"``). The bytes it did read are known: each character it shows
is its bytes in the wrong codec. So the original is a UTF-8 byte string of known bytes
and unknown ones, where the markers say how many bytes are unknown (one for U+FFFD, one
or two under WHATWG; ``?`` a literal or one byte; up to :data:`MAX_DROPPED` before any
character where nothing shows; a Windows decoder's mark, cp932's ``・``, a bad lead and
the byte it ate along, an ASCII one a character lost of its own: :func:`_eat_options`),
and which (a byte the wrong decoder would have read is not one it lost:
:func:`_rejected`).

Every way of parsing that as UTF-8 is a path (:mod:`cjkfix.mojibake.utf8_lattice`);
the language model's bigrams weigh each (a character with unknown bytes weighs the
share of the model's characters its known bytes allow: a generative model of the bytes,
so no path is favoured for leaving more unknown). The best path gives the characters;
each keeps its place where the share of all paths through it (forward-backward) is at
least :attr:`~Policy.slot_posterior`. A row of characters with unknown bytes is restored
together, between the characters read whole beside it, each where the model is sure of
it (:func:`~cjkfix.mojibake.utf8_lattice._restore`), U+FFFD otherwise. So a reading
invents nothing the bytes and the model do not pin down.

The lines of a text that such a reading may take are found by
:mod:`cjkfix.mojibake.utf8_lines`.

    >>> read("杩欐槸涓�涓�闂�棰�", "gbk").text  # 这是一个问题: 一个问题 lost a byte each
    '这是��问�'
    >>> read("鎴戜滑鐨勫競鍦哄緢澶�", "gbk").text  # 我们的市场很大: 大 at the edge
    '我们的市场很�'
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

from cjkfix import codecs as cc
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.utf8_lattice import (
    _HIGH,
    Byte,
    Mask,
    Option,
    Step,
    _known,
    _Lattice,
    _restore,
)

__all__ = ["Reading", "behaviour_of", "read", "sections"]

#: Bytes a dropping decoder may have lost in one place (before one character it shows).
MAX_DROPPED = 3
#: Cost (natural log) of each byte put back where a dropping decoder showed nothing.
DROP_COST = 1.5
#: Cost of the less likely width of a marker (one byte or two).
WIDTH_COST = 0.7
#: Comparing a run's best path read as Python's decoder would show losses (a U+FFFD a
#: byte) and as WHATWG's (a lead and its bad trail), each U+FFFD is worth this much
#: (natural log) to WHATWG's: the model favours the reading that loses fewer bytes by
#: about 0.4 a U+FFFD where WHATWG's decoder made the run, and Python's by 0.6 to 7
#: where it did (measured on UTF-8 read as Big5, EUC-KR, EUC-JP, GBK and Shift_JIS,
#: 80 lines of each: 0.6 tells nine in ten apart).
WHATWG_PRIOR = 0.6
#: Runs longer than this (characters shown) are not read.
MAX_RUN = 400


@dataclasses.dataclass(frozen=True, slots=True)
class Reading:
    """A run read through the lattice: ``text`` (U+FFFD where not sure), how many
    characters are lost (U+FFFD) and restored (an unknown byte pinned down), and the
    best path's characters as the model chose them (``judged``)."""

    text: str
    lost: int
    restored: int
    judged: str


def behaviour_of(run: str, wrong: str | None = None) -> str:
    """What the decoder did with bytes it could not read, as the run shows it (the
    ``eat`` behaviour: where ``wrong``'s Windows decoder writes a character of its own
    for a bad lead and the byte it ate, :data:`cjkfix.codecs.EAT_MARKS`, and the run
    shows it)."""
    if "\ufffd" in run:
        return "replace"
    if "?" in run:
        return "qmark"
    mark = cc.EAT_MARKS.get(wrong or "")
    if mark and mark in run:
        return "eat"
    return "drop"


#: Cost of reading an eating decoder's mark as the character it is (cp932's ``・``,
#: ``81 45``: a UTF-8 character ending in ``81`` before an ``E``, rare beside the marks).
EAT_LITERAL_COST = 2.0
#: The ASCII bytes an eating decoder may have eaten (printable: a line's text).
_PRINTABLE = frozenset(range(0x20, 0x7F))


@functools.cache
def _eat_options(decoder: str) -> tuple[Option, ...]:
    """What an eating ``decoder``'s mark stands for: a byte it cannot read alone (a lead)
    and a byte after it that it cannot pair with it, eaten along: a byte beyond ASCII, or
    an ASCII one (a character of its own, lost). One mask for every such lead: which of
    them it was is the model's to weigh with the characters each makes, not the mark's
    (masks by lead would each pin down the character the lead ends)."""
    leads: set[int] = set()
    eaten: set[int] = set()
    for lead in range(0x80, 0x100):
        try:
            bytes((lead,)).decode(decoder)
            continue
        except UnicodeDecodeError:
            pass
        leads.add(lead)
        for x in range(0x100):
            try:
                bytes((lead, x)).decode(decoder)
            except UnicodeDecodeError:
                eaten.add(x)
    mask = frozenset(leads)
    high = frozenset(x for x in eaten if x >= 0x80)
    ascii_ = frozenset(x for x in eaten if x in _PRINTABLE)
    return tuple(Option((mask, x), 0.0) for x in (high, ascii_) if x)


@functools.cache
def _eat_last(decoder: str) -> Option:
    """An eating ``decoder``'s mark at the end of the bytes: a lead alone."""
    return Option((_eat_options(decoder)[0].data[0],), 0.0)


def _bytes_end(run: str, k: int) -> bool:
    """May the bytes a decoder read have ended with the mark at ``run[k]`` (a lead alone,
    nothing after it to eat)? Where only white space follows it on its line: at the end
    of the run, or of the line's text (a line reads the same alone and in a document)."""
    return not run[k + 1 :].strip()


@functools.cache
def _leads(wrong: str) -> Mask:
    """The lead bytes of double-byte ``wrong`` (its row of :data:`cjkfix.codecs.CODECS`)."""
    codec = cc.CODEC[wrong]
    return frozenset(b for b in range(0x80, 0x100) if codec.is_lead(b))


@functools.lru_cache(maxsize=8192)
def _rejected(wrong: str, behaviour: str, following: bytes) -> Mask:
    """The bytes ``wrong`` shows as one marker (or nothing, dropping) before
    ``following`` (the next character's bytes, empty at the end)."""
    errors = "ignore" if behaviour == "drop" else "replace"
    shown = following.decode(wrong, errors)
    want = shown if behaviour == "drop" else "\ufffd" + shown
    got = frozenset(
        x for x in range(0x80, 0x100) if (bytes((x,)) + following).decode(wrong, errors) == want
    )
    return got


#: A character the wrong codec cannot have shown (clean text beside the damage).
_NONE = b""


#: Cost of a pair of GBK's user-defined areas put back where Windows' decoder made it a
#: private-use character that was dropped (``pua-dropped``): two bytes, as
#: :data:`DROP_COST` each.
PUA_COST = 2 * DROP_COST
#: A run that shows ``?`` is read as Windows' decoder with private-use characters
#: dropped (each ``?`` a lead and the byte it ate) rather than a decoder that wrote
#: ``?`` for a byte only where that path is likelier by this share of the other's
#: log-likelihood: lines of it read 6-50% likelier so (a real one, vcpkg's with 自动 and
#: 安装 cut, 16%), lines of UTF-8 read as GBK by ``?`` decoders, once or twice, up to
#: 3.2% (more ways to read each ``?``).
PUA_SHARE = 0.05
#: GBK's user-defined areas as (leads, trails): ``AA``-``AF`` and ``F8``-``FE`` before
#: ``A1``-``FE``, ``A1``-``A7`` before ``40``-``A0`` (not ``7F``).
_PUA_PAIRS: tuple[tuple[Mask, Mask], ...] = (
    (frozenset([*range(0xAA, 0xB0), *range(0xF8, 0xFF)]), frozenset(range(0xA1, 0xFF))),
    (frozenset(range(0xA1, 0xA8)), frozenset(b for b in range(0x40, 0xA1) if b != 0x7F)),
)


def _pua_slot() -> list[Option]:
    """Nothing, or a pair of GBK's user-defined areas, dropped before a character."""
    return [Option((), 0.0), *(Option(pair, PUA_COST) for pair in _PUA_PAIRS)]


def _tokens(run: str, wrong: str, behaviour: str, clean: bool = False) -> list[list[Option]] | None:
    """Each shown character as the options of what it stands for, a drop slot before
    each where the decoder drops (and one at the end). A character the wrong codec has
    no bytes for makes it None, or where ``clean`` (a line read with its clean text),
    a token with no options."""
    encoders = cc.WRONG_CODECS.get(wrong) or (wrong,)
    # (Windows' GBK decoder, as a page that dropped its private-use characters showed
    # it, eats as others do, with ``?``)
    pua = behaviour == "pua-dropped"
    mark = cc.EAT_MARKS.get(wrong) if behaviour == "eat" else "?" if pua else None
    # (characters the wrong codec's decoders read from more than one byte string: each
    # is an option, ``€`` 80 or A2 E3 under GBK, cp932's NEC and IBM rows)
    forms = cc.char_forms(wrong) if wrong in cc.CODEC else {}
    pieces: list[bytes | None] = []
    for ch in run:
        if ch == "\ufffd" or (ch == "?" and behaviour == "qmark") or ch == mark:
            pieces.append(None)
            continue
        piece = _encode(ch, encoders)
        if piece is None and not clean:
            return None
        pieces.append(_NONE if piece is None else piece)
    out: list[list[Option]] = []
    for k, (ch, piece) in enumerate(zip(run, pieces, strict=True)):
        # (the next character's bytes: None for a marker, whose bytes are unknown)
        following = pieces[k + 1] if k + 1 < len(pieces) else b""
        if behaviour == "drop":
            out.append(_drop_slot(encoders, piece or b""))
        elif pua:
            out.append(_pua_slot())
        if piece is not None:
            alts = forms.get(ch)
            if alts:
                out.append([Option(tuple(f), 0.0) for f in alts])
            else:
                out.append([Option(tuple(piece), 0.0)] if piece else [])
            continue
        if ch == mark:
            # (a bad lead and the byte it ate, or the mark as the character it is)
            literal = _encode(ch, encoders) or b""
            opts = [*_eat_options(encoders[0]), Option(tuple(literal), EAT_LITERAL_COST)]
            if _bytes_end(run, k):
                opts.append(_eat_last(encoders[0]))  # (a lead alone)
            out.append(opts)
            continue
        one = _HIGH
        if following is not None:
            # (any of the codec's decoders: cp949 pairs what euc_kr rejects)
            one = frozenset().union(*(_rejected(d, behaviour, following) for d in encoders))
        # One byte (Python's decoders), or a bad pair whose second byte is no ASCII as
        # one marker (WHATWG's, Windows'): the other reading costs a little.
        two_first = behaviour == "whatwg"
        first: Mask = _HIGH
        if two_first and wrong in cc.CODEC:
            # (WHATWG's decoder reads a lead and the byte after it as one: a bad byte
            # alone is no lead, or a lead before an ASCII byte it gives back, which is
            # shown; a bad pair starts with a lead)
            first = _leads(wrong)
            if following is None or following[:1] >= b"\x80":
                one = one - first
        opts = [Option((one,), WIDTH_COST if two_first else 0.0)] if one else []
        opts.append(Option((first, _HIGH), 0.0 if two_first else WIDTH_COST))
        if ch == "?":
            opts.append(Option((0x3F,), 0.0, literal=True))
        out.append(opts)
    if behaviour == "drop":
        out.append(_drop_slot(encoders, b""))
    elif pua:
        out.append(_pua_slot())
    return out


@functools.lru_cache(maxsize=8192)
def _encode(ch: str, encoders: tuple[str, ...]) -> bytes | None:
    """The bytes a wrong codec read as ``ch``: the first of its encoders that has it."""
    for name in encoders:
        try:
            return ch.encode(name)
        except UnicodeEncodeError:
            continue
    return None


def _drop_slot(encoders: tuple[str, ...], piece: bytes) -> list[Option]:
    """Nothing, or up to :data:`MAX_DROPPED` bytes, dropped before ``piece``."""
    from cjkfix.mojibake.dropped import drop_options  # (it imports this package's readers)

    last = frozenset().union(*(drop_options(d, piece) for d in encoders)) if piece else _HIGH
    opts = [Option((), 0.0)]
    if last:
        data: tuple[Byte, ...] = (last,)
        opts.append(Option(data, DROP_COST))
        for n in range(2, MAX_DROPPED + 1):
            data = (_HIGH, *data)
            opts.append(Option(data, DROP_COST * n))
    return opts


def read(
    run: str, wrong: str, behaviour: str | None = None, lang: str | None = None
) -> Reading | None:
    """``run``, UTF-8 shown by ``wrong`` with its losses (``behaviour``: as the run
    shows it where None), read whole through the lattice in ``lang`` (the model's guess
    from what reads whole where None); None where no path reads it."""
    got = _search(run, wrong, behaviour, lang, clean=False)
    if got is None:
        return None
    path, sure, lang, _lattice = got
    return _reading(path, 0, len(path), sure, lang)


def sections(
    run: str,
    wrong: str,
    behaviour: str | None = None,
    lang: str | None = None,
    accept: Callable[[Reading], bool] | None = None,
    restore: bool = True,
    eaten: str | None = None,
) -> list[tuple[int, int, Reading]]:
    """The stretches of ``run`` (a line, clean text and damage) that read best as UTF-8
    shown by ``wrong``, each with its reading (its lost characters restored where the
    model is sure, if ``restore``); the rest is clean text (each character
    as it is, weighed by the model; entering a stretch costs :data:`SWITCH_COST`).
    ``accept``: a test of a stretch's reading before its lost characters are restored
    (the costly part), which a stretch must pass. ``eaten``: the run is UTF-8 read by
    ``eaten``'s eating decoder, written back and read as UTF-8 (``wrong``): its marks
    are read too (:mod:`cjkfix.mojibake.utf8_back`)."""
    got = _search(run, wrong, behaviour, lang, clean=True, posteriors=False, eaten=eaten)
    if got is None:
        return []
    path, _none, lang, lattice = got
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(path):
        if path[k].clean:
            k += 1
            continue
        j = k
        while j < len(path) and not path[j].clean:
            j += 1
        a, b = k, j
        at = lattice.shown_at
        # (ASCII at its edges is clean text either way; and a stretch ends where a
        # character shown does, on one read beyond ASCII: not on a lost character that
        # took the lead of a clean one, ``價`` 83 72, and showed its trail as ``r``)
        while a < b and (path[a].char < "\x80" or path[a].start not in at):
            a += 1
        while b > a and (path[b - 1].char < "\x80" or path[b - 1].end not in at):
            b -= 1
        # (first as the best path reads it: the posteriors, which cost as much again,
        # only where a stretch may be taken)
        if a < b and (accept is None or accept(_reading(path, a, b, None, lang, False))):
            spans.append((a, b))
        k = j
    if not spans:
        return []
    # (read back as UTF-8, a character read whole is the character shown: clean text
    # and a stretch read through the marks give it alike, and split its posterior)
    sure = lattice.marginals() if eaten is None else None
    out: list[tuple[int, int, Reading]] = []
    for a, b in spans:
        if accept is None or accept(_reading(path, a, b, sure, lang, False)):
            start, end = lattice.shown_at[path[a].start], lattice.shown_at[path[b - 1].end]
            out.append((start, end, _reading(path, a, b, sure, lang, restore)))
    return out


def _search(
    run: str,
    wrong: str,
    behaviour: str | None,
    lang: str | None,
    clean: bool,
    posteriors: bool = True,
    eaten: str | None = None,
) -> tuple[list[Step], dict[Step, float] | None, str, _Lattice] | None:
    if len(run) > MAX_RUN:
        return None
    found: tuple[float, list[Step], _Lattice] | None = None
    if not behaviour:
        tries = _behaviours(run, wrong)
    else:
        tries = _drop_behaviours(wrong) if behaviour == "drop" else (behaviour,)
    for tried in tries:
        tokens = _tokens(run, wrong, tried, clean)
        if tokens is None:
            return None
        if eaten is not None:
            from cjkfix.mojibake.utf8_back import read_marks

            tokens = read_marks(tokens, run, eaten)
        if lang is None:
            lang = _guess_lang(run, wrong)
        lattice = _Lattice(
            tokens, lang, run if clean else None, slots=tried in ("drop", "pua-dropped")
        )
        got = lattice.best()
        if got is None:
            continue
        score = got[0] + (WHATWG_PRIOR * run.count("\ufffd") if tried == "whatwg" else 0.0)
        if (
            tried == "pua-dropped"
            and found is not None
            and score - found[0] < PUA_SHARE * abs(found[0])
        ):
            continue  # (no better than the ``?`` decoder's reading, tried first)
        if found is None or score > found[0]:
            found = (score, got[1], lattice)
    if found is None or lang is None:
        return None
    _score, path, lattice = found
    return path, lattice.marginals() if posteriors else None, lang, lattice


@functools.cache
def _drop_behaviours(wrong: str) -> tuple[str, ...]:
    """The decoders that drop bytes UTF-8 read as ``wrong`` may have been through: one
    that drops what it cannot read, and where the chain table's row lists it, Windows'
    GBK decoder on a page that dropped its private-use characters (which leaves no mark
    either where no lead was bad: ``鍖呯鍚嶄笉`` is 包签名不, ``AD BE`` gone)."""
    row = next((c for c in cc.CHAINS if c.name == f"utf-8>{wrong}"), None)
    pua = row is not None and "pua-dropped" in row.behaviours
    return ("drop", "pua-dropped") if pua else ("drop",)


def _behaviours(run: str, wrong: str) -> tuple[str, ...]:
    """The decoder behaviours a run may show (:func:`behaviour_of`): U+FFFD is one byte
    to Python's decoders and, before a byte beyond ASCII, a lead and its bad trail to
    WHATWG's (a double-byte wrong codec): both are read, and the likelier path kept."""
    shown = behaviour_of(run, wrong)
    if shown == "replace" and wrong in cc.CODEC and cc.CODEC[wrong].kind == "double-byte":
        return ("replace", "whatwg")
    if shown == "qmark" and wrong == "gbk" and _broken_between_marks(run):
        return ("qmark", "pua-dropped")
    return (shown,)


def _broken_between_marks(run: str) -> bool:
    """Do the GBK bytes ``run`` shows break UTF-8's structure away from its ``?`` (a
    character cut short before another begins)? Where a decoder wrote ``?`` for bytes and
    dropped nothing, each stretch between them is UTF-8 but for a character cut at its
    ends; a Windows decoder's dropped pairs cut one inside (see :data:`PUA_SHARE`)."""
    for piece in run.split("?"):
        data = piece.encode("gbk", "replace").lstrip(bytes(range(0x80, 0xC0)))
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.end < len(data) or e.reason != "unexpected end of data":
                return True
    return False


def _reading(
    path: list[Step],
    k0: int,
    k1: int,
    sure: dict[Step, float] | None,
    lang: str,
    restore: bool = True,
) -> Reading:
    """The reading of ``path[k0:k1]`` (steps read as UTF-8): characters the lattice is
    not sure of (``sure``: each step's posterior; None: the path as it is), and lost ones
    the model does not pin down (all, where not ``restore``), as U+FFFD."""
    from cjkfix.mojibake.restore import _SIBLING, script_shown

    chars = [s.char for s in path]
    out: list[str] = []
    restored = 0
    # (where the characters read whole do not tell Simplified from Traditional, a lost
    # character must be the same, and sure, in both: ``設`` is not ``言``)
    sibling = _SIBLING.get(lang) if restore else None
    if sibling and script_shown("".join(chars[k0:k1]), lang, sibling):
        sibling = None
    k = k0
    while k < k1:
        s = path[k]
        ch = s.char
        if ch == "\ufffd" and s.pattern and not _eaten(s):
            # (a row of lost characters restored together, between the characters on
            # either side: a space or a lost byte is no evidence; an ASCII character
            # a decoder ate along is lost, never restored)
            j = k
            while j < k1 and path[j].char == "\ufffd" and path[j].pattern and not _eaten(path[j]):
                j += 1
            left = chars[k - 1] if k > 0 else ""
            right = chars[j] if j < len(chars) else ""
            got = _restore(path[k:j], left, right, lang) if restore else ["\ufffd"] * (j - k)
            if sibling:
                other = _restore(path[k:j], left, right, sibling)
                got = [a if a == b else "\ufffd" for a, b in zip(got, other, strict=True)]
            restored += sum(c != "\ufffd" for c in got)
            out += got
            k = j
            continue
        if ch >= "\x80" and sure is not None and sure.get(s, 0.0) < POLICY.slot_posterior:
            ch = "\ufffd"
        out.append(ch)
        k += 1
    text = "".join(out)
    return Reading(text, text.count("\ufffd"), restored, "".join(chars[k0:k1]))


def _eaten(step: Step) -> bool:
    """Is ``step`` an ASCII character an eating decoder ate along with a bad lead?"""
    first = step.pattern[0]
    return len(step.pattern) == 1 and not isinstance(first, int) and max(first) < 0x80


def _cjk_only(text: str) -> bool:
    """Is every character beyond ASCII that a reading shows CJK (kana, Hangul) or CJK
    punctuation? UTF-8 of CJK text has no Latin, Greek or Cyrillic letter in it."""
    from cjkfix import model
    from cjkfix.mojibake.dropped import _PUNCTUATION

    return all(
        not _known(ch) or model.is_cjk(ch) or _PUNCTUATION.fullmatch(ch) is not None for ch in text
    )


def _guess_lang(run: str, wrong: str) -> str:
    """The language of what the run's bytes read as UTF-8 where they can."""
    from cjkfix import model

    encoders = cc.WRONG_CODECS.get(wrong) or (wrong,)
    data = b"".join(_encode(ch, encoders) or b"?" for ch in run)
    return model.score(data.decode("utf-8", "ignore"))[0]
