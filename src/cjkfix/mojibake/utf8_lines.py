"""The lines of a text read whole as UTF-8 shown by a double-byte codec that lost what it
could not read (:mod:`cjkfix.mojibake.utf8_lost`): which lines, through which codecs,
and which stretches of them are taken.

A line is read where it shows a decoder's losses (U+FFFD, ``?``) and the engine's gate
finds mojibake in it, through the (at most :data:`MAX_CODECS`) codecs whose bytes hold
the most characters of UTF-8 the model knows; or where the engine found UTF-8 through a
codec in it and left some of it, as a decoder that dropped bytes would have shown it. A
stretch is taken where at least :data:`MIN_WHOLE` characters read whole, all CJK, and
they read fluently. Where no codec's bytes hold that many (UTF-8 read as EUC-JP with
U+FFFD loses most pairs), a stretch that shows mostly a decoder's marks and reads with
one character whole is taken as that many lost characters, each U+FFFD
(:func:`_lone`): the count of characters is what such a line still tells. Where no
codec's bytes hold even one (UTF-8 read as EUC-KR), the line is read so through the
codecs that show all its characters, and taken where one alone reads it. Either way,
only where what the stretch shows beside the marks reads as no text (:func:`_garbled`;
a cheap bound, :func:`_may_garble`, spares the lattice a line of common characters).

A line read as UTF-8 through a codec twice, each time with losses (a chain table row such
as ``utf-8>gbk>utf-8>gbk``), reads as mojibake through the first layer: that reading,
its lost characters U+FFFD, is read again, and taken where the second reading explains
all of it (:func:`_twice`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Collection, Mapping

from cjkfix import codecs as cc
from cjkfix._lazyre import LazyRegex
from cjkfix._scan import positions
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.utf8_lattice import _known
from cjkfix.mojibake.utf8_lost import MAX_RUN, Reading, _cjk_only, behaviour_of, sections

__all__ = ["all_lost", "line_readings", "marker"]


#: A line read whole through the lattice with more characters lost than it shows whole
#: is taken where at least this many characters read whole (UTF-8's structure, which
#: text of the wrong codec seldom has, is the evidence), and they read fluently.
MIN_WHOLE = 2


def line_readings(
    text: str, dropping: Mapping[int, Collection[str]] | None = None
) -> list[tuple[int, int, tuple[str, ...], Reading]]:
    """The stretches of each line of ``text`` that shows a decoder's losses (U+FFFD,
    ``?``) and mojibake (the engine's gate) that read as UTF-8 through a double-byte
    codec (:func:`sections`; each with at least :data:`MIN_WHOLE` characters read whole,
    all CJK, fluent), or, where none does, through it twice (:func:`_twice`, where the
    chain table has the row): (start, end, chain, reading), of the chain that explains
    most of the line. ``dropping``: other lines (by where they start) and the codecs to
    read them through as a decoder that dropped bytes would have shown them (where the
    engine found UTF-8 read through that codec and left some of the line unexplained)."""
    from cjkfix.mojibake.gate import gate
    from cjkfix.mojibake.tables import _DOUBLE_BYTE

    out: list[tuple[int, int, tuple[str, ...], Reading]] = []
    marked: list[int] = []  # (the lines with a marker, by where they start)
    line_end = -1
    # (the marks found with ``str.find``, :func:`~cjkfix._scan.positions`, where a scan
    # of the class stepped through every character: 0.3 ms per 128 Ki characters)
    for p in positions(text, _MARKS):
        if p >= line_end:
            marked.append(text.rfind("\n", 0, p) + 1)
            end = text.find("\n", p)
            line_end = len(text) if end < 0 else end
    for start in sorted({*marked, *(dropping or ())}):
        end = text.find("\n", start)
        line = text[start : len(text) if end < 0 else end]
        if len(line) > MAX_RUN:
            continue
        if _MARKER.search(line) is not None and gate(line):
            behaviour = None
            # (an eating decoder's mark alone is a loss of that decoder only)
            lossy = "\ufffd" in line or "?" in line
            counts = {
                codec: _whole(line, codec)
                for codec in _DOUBLE_BYTE
                if lossy or (codec in cc.EAT_MARKS and cc.EAT_MARKS[codec] in line)
            }
            ranked = sorted(counts, key=lambda c: -counts[c])
            tried = [c for c in ranked if counts[c] >= MIN_WHOLE][:MAX_CODECS]
            # (where no codec's bytes hold two characters, a line of a decoder's losses
            # is read through those whose bytes hold one, and kept as lost characters:
            # see :func:`_lone`; each, for the line's clean text may hold one by chance
            # through another codec: ``无奈...马上给电话`` as GBK)
            lone = not tried
            proof = True  # (a lone line's codec holds a character of UTF-8 whole)
            # (where the line's clean text makes a codec's count, and the stretches read
            # through it read as no text, they are read as :func:`_lone` ones still)
            fallback = [c for c in ranked if counts[c] >= 1]
            if lone:
                tried = fallback
                shown = _shown(line)
                if tried and not _may_garble(shown):
                    tried = []  # (no stretch of it would be taken: see :func:`_lone`)
                elif not tried:
                    # (where none holds one, a line whose stretches of a decoder's marks
                    # show characters that read as no text, through the codecs that
                    # show them all: the line's clean text aside)
                    proof = False
                    beside = _marked_shown(line)
                    tried = _showing(beside) if _garbled(beside) else []
        elif dropping and start in dropping:
            behaviour = "drop"
            lone = False
            proof = True
            fallback = []
            tried = [c for c in _DOUBLE_BYTE if c in dropping[start]][:MAX_CODECS]
        else:
            continue
        best = _best(
            line, behaviour, [*_back_readers(line), *_readers(tried, lone, proof)], not proof
        )
        if best is None and not lone and fallback and _may_garble(_shown(line)):
            best = _best(line, behaviour, _readers(fallback, True))
        if best is not None:
            out += [(start + s, start + e, best[1], r) for s, e, r in best[2]]
    return out


#: Reads a line (given the decoder's behaviour, None: as the line shows it) into its
#: stretches, each with its reading.
_LineReader = Callable[[str, "str | None"], list[tuple[int, int, Reading]]]


def _best(
    line: str,
    behaviour: str | None,
    readers: list[tuple[tuple[str, ...], _LineReader]],
    alone: bool = False,
) -> tuple[float, tuple[str, ...], list[tuple[int, int, Reading]]] | None:
    """The chain whose reader explains most of ``line`` (characters read, less twice
    those lost), with its value and stretches; a line read through one layer is not
    read through two. ``alone``: only where one chain's reader takes anything (no
    character read whole tells the codecs apart: where two read the line, its count
    of characters is not known)."""
    best: tuple[float, tuple[str, ...], list[tuple[int, int, Reading]]] | None = None
    for chain, read_line in readers:
        if best is not None and len(chain) > 2:
            break
        taken = [
            (s, e, r)
            for s, e, r in read_line(line, behaviour)
            if _cjk_only(r.text) and (behaviour or _MARKER.search(line, s, e) is not None)
        ]
        if not taken:
            continue
        value = sum(e - s - 2 * r.lost + r.restored for s, e, r in taken)
        if alone and best is not None:
            return None
        if best is None or value > best[0]:
            best = (value, chain, taken)
    return best


def _readers(
    codecs: list[str], lone: bool = False, proof: bool = True
) -> list[tuple[tuple[str, ...], _LineReader]]:
    """The chains a line is read through, each with its reader: UTF-8 through each
    codec, then through each codec twice where the chain table has that row (``lone``:
    no codec's bytes hold :data:`MIN_WHOLE` characters, :func:`_lone`; ``proof``: the
    codec's bytes hold one)."""
    once: list[tuple[tuple[str, ...], _LineReader]] = [
        (
            ("utf-8", c),
            functools.partial(_lone, c, proof=proof) if lone else functools.partial(_once, c),
        )
        for c in codecs
    ]
    if lone:
        return once
    twice = [
        (("utf-8", c, "utf-8", c), functools.partial(_twice, c))
        for c in codecs
        if c in _twice_rows()
    ]
    return [*once, *twice]


def _back_readers(line: str) -> list[tuple[tuple[str, ...], _LineReader]]:
    """The chains of UTF-8 read by an eating decoder and written back that ``line``
    shows the mark of (:mod:`cjkfix.mojibake.utf8_back`), each with its reader."""
    from cjkfix.mojibake import eaten

    return [
        (("utf-8", s.wrong, s.wrong, "utf-8"), functools.partial(_back, s.wrong))
        for s in eaten._shapes()
        if eaten._mark_regex(s).search(line) is not None
    ]


def _back(inner: str, line: str, behaviour: str | None) -> list[tuple[int, int, Reading]]:
    return sections(line, "utf-8", behaviour, accept=_acceptable, eaten=inner)


def _once(codec: str, line: str, behaviour: str | None) -> list[tuple[int, int, Reading]]:
    return sections(line, codec, behaviour, accept=_acceptable)


def _shown(text: str) -> str:
    """The characters ``text`` shows beyond ASCII but a decoder's marks."""
    shown: str = _UNSHOWN.sub("", text)
    return shown


def _marked_shown(line: str) -> str:
    """The characters :func:`_shown` of the stretches of ``line`` that hold a decoder's
    mark (each a run of characters beyond ASCII and ``?``): what the line's clean text
    beside them does not show."""
    return "".join(_shown(m.group()) for m in _STRETCH.finditer(line) if _MARKER.search(m.group()))


def _showing(shown: str) -> list[str]:
    """The double-byte codecs that show every character of ``shown`` (Hangul: EUC-KR
    only; kanji come from most of them): the line is read through each, and taken
    where one alone reads it (:func:`_best`: which codec's bytes a line shows, and so
    its count of characters, is not known where two do)."""
    from cjkfix.mojibake.tables import _DOUBLE_BYTE

    chars = set(shown)
    able = [c for c in _DOUBLE_BYTE if all(cc.encode_char(ch, c) is not None for ch in chars)]
    return able


def _garbled(shown: str) -> bool:
    """Do the characters a stretch shows beyond ASCII and a decoder's marks
    (:func:`_shown`) read as no text (at least two, less fluent than
    :attr:`~Policy.lone_garbled`): what a codec makes of UTF-8's bytes, not clean text
    with lost characters in it (``水严``)?"""
    from cjkfix import model

    return len(shown) >= 2 and model.score(shown)[1] < POLICY.lone_garbled


def _may_garble(shown: str) -> bool:
    """Could a stretch of a line that shows ``shown`` (:func:`_shown`) be garbled
    (:func:`_garbled`)? Not where, in some language, each character of ``shown`` weighs
    at least :attr:`~Policy.lone_garbled` alone and after the one before it: every
    stretch's average is then at least that. A cheap test before the lattice (a line of
    common characters and U+FFFD, junk, is never read as lost characters)."""
    from cjkfix import model

    if len(shown) < 2:
        return False
    floor = POLICY.lone_garbled
    for lang in model.LANGS:
        solo, pair = model._tables(lang)
        if min(map(solo.__getitem__, shown)) >= floor and all(
            pair.get(a + b, solo[b]) >= floor for a, b in itertools.pairwise(shown)
        ):
            return False
    return True


def _lone(
    codec: str, line: str, behaviour: str | None, proof: bool = True
) -> list[tuple[int, int, Reading]]:
    """The stretches of ``line`` that read as UTF-8 through ``codec`` with a character
    whole (where the codec's bytes hold one: ``proof``) and none restored, that character too
    U+FFFD: one character is no proof that the bytes were cut into characters right
    (where they were, the stretch keeps its count of characters, each lost; UTF-8 read
    as EUC-JP with U+FFFD seldom shows two whole). Each stretch shows mostly a decoder's
    marks (:data:`LONE_MARKS`), and what it shows beside them reads as no text
    (:func:`_garbled`): clean text with characters lost keeps them."""
    from cjkfix.mojibake.gate import gate

    out = []
    accept = _lone_acceptable if proof else _lone_read
    for s, e, r in sections(line, codec, behaviour, accept=accept, restore=False):
        if not _mostly_marks(line[s:e]) or not gate(line[s:e]):
            continue  # (a stretch of text with a lost character here and there)
        if not _garbled(_shown(line[s:e])):
            continue  # (clean text with lost characters: ``フ��ルが�初�保存``)
        if _ascii(r.text) != _ascii(line[s:e].replace("?", "")):
            continue  # (a character read from bytes the stretch shows beyond ASCII)
        text = "".join(ch if ch.isascii() else "\ufffd" for ch in r.text)
        out.append((s, e, Reading(text, text.count("\ufffd"), 0, r.judged)))
    return out


def _mostly_marks(text: str) -> bool:
    """Does ``text`` show at least :data:`LONE_MARKS` of a decoder's marks, and are they
    at least :data:`LONE_SHARE` of what it shows beyond ASCII?"""
    shown = [ch for ch in text if not ch.isascii() or ch == "?"]
    marks = sum(1 for ch in shown if _MARKER.match(ch))
    return marks >= LONE_MARKS and marks >= len(shown) * LONE_SHARE


def _ascii(text: str) -> str:
    return "".join(ch for ch in text if ch.isascii())


def all_lost(text: str) -> bool:
    """Is ``text`` ASCII and U+FFFD only (a stretch read with no character whole)?"""
    return all(ch.isascii() or ch == "\ufffd" for ch in text)


@functools.cache
def _twice_rows() -> frozenset[str]:
    """The double-byte codecs the chain table reads UTF-8 through twice."""
    from cjkfix.mojibake.tables import _DOUBLE_BYTE

    return frozenset(
        c.steps[0][1]
        for c in cc.CHAINS
        if len(c.steps) == 2
        and c.steps[0] == c.steps[1]
        and c.steps[0][0] == "utf-8"
        and c.steps[0][1] in _DOUBLE_BYTE
    )


def _twice(codec: str, line: str, behaviour: str | None) -> list[tuple[int, int, Reading]]:
    """The stretches of ``line`` that read as UTF-8 through ``codec`` twice: the outer
    layer's stretches (read whole as UTF-8, its lost characters U+FFFD: the model has no
    say in text that is itself mojibake), each read again, where the inner readings
    leave nothing of it beyond ASCII and U+FFFD. Where the line shows a decoder that
    writes ``?``, the inner layer's ``?`` (in the stretch, and those just after it) are
    its lost bytes too, beside the outer layer's losses shown as U+FFFD."""
    out: list[tuple[int, int, Reading]] = []
    structured = functools.partial(_structured, codec)
    # (a decoder that writes "?" shows them inside the line; a "?" that only ends it may
    # be the text's own question mark)
    shown = behaviour or behaviour_of(line.rstrip("? "), codec)
    for s, e, outer in sections(line, codec, behaviour, accept=structured, restore=False):
        mid = outer.text
        if shown == "qmark":
            # (the "?" after the stretch that the outer layer leaves as it shows them are
            # the inner decoder's: the lost bytes of the stretch's last character)
            k = e
            while k < len(line) and line[k] == "?":
                k += 1
            mid, e = mid + line[e:k], k
        inner_behaviour = "qmark" if shown == "qmark" else behaviour or behaviour_of(mid, codec)
        inner = sections(mid, codec, inner_behaviour, accept=_acceptable)
        if not inner:
            continue
        gaps = [mid[a:b] for a, b in _gaps(inner, len(mid))]
        if any(_known(ch) for gap in gaps for ch in gap):
            continue  # (the inner layer is not read throughout)
        text = "".join(
            itertools.chain.from_iterable(zip(gaps, [r.text for *_x, r in inner], strict=False))
        )
        text += gaps[-1]
        out.append(
            (s, e, Reading(text, text.count("\ufffd"), sum(r.restored for *_x, r in inner), text))
        )
    return out


def _gaps(spans: list[tuple[int, int, Reading]], size: int) -> list[tuple[int, int]]:
    """What ``spans`` (in order) leave of ``range(size)``."""
    out, last = [], 0
    for a, b, _r in spans:
        out.append((last, a))
        last = b
    out.append((last, size))
    return out


def _structured(codec: str, r: Reading) -> bool:
    """Does a reading show UTF-8's structure (:data:`MIN_WHOLE` characters read whole),
    in characters ``codec`` shows (its characters of every kind: the outer layer of
    UTF-8 read twice is the text that codec made, mojibake with its symbols and
    bopomofo, ``鎮ㄧ‘瀹``, not text in any language)?"""
    whole = sum(1 for ch in r.text if _known(ch))
    return whole >= MIN_WHOLE and all(
        not _known(ch) or cc.encode_char(ch, codec) is not None for ch in r.text
    )


#: What a decoder that lost bytes shows for them (U+FFFD, ``?``, an eating decoder's
#: mark: :data:`cjkfix.codecs.EAT_MARKS`). A stretch with none is no stretch of this
#: reader's: it reads as UTF-8 with nothing lost (the engine's plain readings), or a
#: decoder dropped its bytes, or its losses are a repair's U+FFFD beside it.
_MARKS = "".join(sorted({"\ufffd", "?", *cc.EAT_MARKS.values()}))
_MARKER = LazyRegex(f"[{_MARKS}]")


#: A stretch of characters beyond ASCII and ``?`` (:func:`_marked_shown`).
_STRETCH = LazyRegex("[^\x00-\x3e\x40-\x7f]+")


#: What :func:`_shown` leaves out: ASCII and a decoder's marks.
_UNSHOWN = LazyRegex("[\x00-\x7f\ufffd" + "".join(sorted(set(cc.EAT_MARKS.values()))) + "]+")


def marker(text: str) -> bool:
    """Does ``text`` show a decoder's losses anywhere (:data:`_MARKER`)?"""
    # (a character at a time, at memory speed: a scan of the class steps through every
    # character, 0.3 ms per 128 Ki characters of CJK text)
    return any(ch in text for ch in _MARKS)


@functools.cache
def _utf8_char() -> re.Pattern[bytes]:
    """Three bytes that are a character of UTF-8 (not all of them: a cheap first test)."""
    return re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}")


def _whole(line: str, wrong: str) -> int:
    """How many characters of UTF-8 (three bytes each, as CJK text has them) that the
    model knows the bytes ``wrong`` shows in ``line`` hold (a cheap first test)."""
    from cjkfix import model

    encoders = cc.WRONG_CODECS.get(wrong) or (wrong,)
    # (at C speed: a character the codec lacks, U+FFFD among them, as "?", which no
    # character of UTF-8 holds)
    data = line.encode(encoders[0], "replace")
    known = model.known_chars()
    return sum(
        1 for m in _utf8_char().finditer(data) if m.group().decode("utf-8", "replace") in known
    )


#: The lattice reads a line through at most this many codecs, those whose bytes hold
#: the most characters of UTF-8 (:func:`_whole`).
MAX_CODECS = 2


#: A stretch read with one character whole (:func:`_lone`) shows at least this many
#: of a decoder's marks, and they are at least this share of what it shows beyond ASCII
#: (clean text with a lost character, ``アーキテク�ャが``, reads so too).
LONE_MARKS = 3
LONE_SHARE = 0.4


def _lone_read(r: Reading) -> bool:
    """Does a stretch read with none restored, all CJK (see :func:`_lone`)?"""
    return not r.restored and _cjk_only(r.text)


def _lone_acceptable(r: Reading) -> bool:
    """Does a stretch read with a character whole, none restored, all CJK (see
    :func:`_lone`)?"""
    return not r.restored and _cjk_only(r.text) and any(_known(ch) for ch in r.text)


def _acceptable(r: Reading) -> bool:
    """Is a stretch's reading evidence of its own: characters read whole (UTF-8's
    structure, which text of the wrong codec seldom has), all CJK, fluent?"""
    from cjkfix import model

    whole = sum(1 for ch in r.text if _known(ch)) - r.restored
    if whole < MIN_WHOLE or not _cjk_only(r.text):
        return False
    return model.score(r.text.replace("\ufffd", ""))[1] >= POLICY.min_fluency
