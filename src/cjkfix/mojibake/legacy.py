"""Legacy double-byte text (GBK, Big5, Shift_JIS, EUC-KR, EUC-JP) read as cp1252/latin-1:
each legacy reading of a run, with the holes a decoder left filled where the model
clearly prefers one byte, and the bytes a dropping decoder lost put back.
"""

from __future__ import annotations

import codecs
import math

from cjkfix import codecs as cc
from cjkfix import western
from cjkfix.mojibake.context import _Call
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.rules import STRAY_KANA, _ftfy_candidate, applies
from cjkfix.mojibake.tables import _ENCODING_LANG
from cjkfix.mojibake.tokens import _NOTHING, _SLOT, _TWO, HOLE, QMARK, _bytes, _tokens
from cjkfix.mojibake.utf8 import _utf8_spans
from cjkfix.mojibake.verdict import _Candidate, _Judge, _model


def _legacy_spans(
    run: str,
    depth: int,
    outside: tuple[str, str] = ("", ""),
    dropping: bool = False,
    call: _Call | None = None,
) -> list[_Candidate]:
    """Candidates for gbk/big5/shift_jis/euc-kr (or utf-8) read as cp1252/latin-1.

    ``dropping``: also look for bytes a decoder that ignores what it cannot map dropped
    (Shift_JIS runs only; see :func:`_dropped_slots`)."""
    got = _tokens(run, "cp1252")
    if got is None:
        return []
    tokens, _owner = got
    out: list[_Candidate] = []
    undefined = cc.UNDEFINED_BYTES["cp1252"]
    mine = (
        _utf8_spans(run, "cp1252", depth, outside)
        if call is None
        else call.run_readings(_utf8_spans, run, "cp1252", depth, outside)
    )
    # A run that is UTF-8 through and through (a strict candidate over all of it, with
    # little lost) is not also a legacy encoding: those decodes are skipped.
    utf8_whole = any(
        c.strict and c.start == 0 and c.end == len(run) and c.lost * 4 <= len(c.after) for c in mine
    ) or (
        # (valid UTF-8 under a single-byte codec that ftfy takes for mojibake, long or
        # standing for U+FFFD: ``ï¿½ï¿½`` is two U+FFFD encoded twice; a short one such
        # as ``Îª``, 为 in GBK, is left to the paragraph's vote in :func:`fix`)
        applies("utf8_junk", run)
    )
    readings: dict[str, tuple[str, int, int, str]] = {}
    for enc in () if utf8_whole else cc.LEGACY:
        pieces = _legacy_decode(tokens, enc, undefined)
        if pieces is not None:
            readings[enc] = pieces
    if dropping and not utf8_whole and applies("sjis_may_have_dropped", readings):
        slots = _dropped_slots(tokens)
        pieces = _legacy_decode(tokens, "shift_jis", undefined, dropped=slots) if slots else None
        if pieces is not None:
            readings["shift_jis"] = pieces
    if "shift_jis" in readings:
        # (a trail byte whose lead was dropped and not put back reads as half-width
        # katakana among the full-width text: that character is lost)
        text, _lost, put_back, judged = readings["shift_jis"]
        text = STRAY_KANA.sub(lambda m: "\ufffd" * len(m.group()), text)
        readings["shift_jis"] = (text, text.count("\ufffd"), put_back, judged)
    judge = _Judge(run)
    for enc, (after, lost, put_back, judged) in readings.items():
        ok, weak, gain, b, a, lang = judge(judged, judged.count("\ufffd"))
        if not (ok or weak) and enc == "euc-kr" and lost == 0 and applies("all_hangul", after, run):
            # Rare syllables (``깬``, ``훅``) score low, but every pair of Latin-1
            # characters decoding to a Hangul syllable is structure: a weak candidate,
            # taken only where the same chain is repaired elsewhere in the text.
            weak = True
        if ok or weak:
            out.append(
                _Candidate(
                    0, len(run), after, [enc, "cp1252"], gain, b, a, lang, put_back, lost, ok
                )
            )
    for c in mine:
        if applies("ftfy_confirms", run, c):
            c.strict = True
    out.extend(mine)
    if not mine and all(t >= 0 for t in tokens):
        # Symbols only (``â†’`` for ``→``): the model cannot judge them, but ftfy can;
        # its answer counts only when it is exactly this run's bytes read as UTF-8 (but
        # for the pieces of a character cut off at its ends: ``½ï¿½ï¿½``, a text cut
        # inside a U+FFFD's bytes, where the stray ``½`` stays as it is).
        lo, hi = _utf8_whole(tokens)
        try:
            decoded = bytes(tokens[lo:hi]).decode("utf-8")
        except UnicodeDecodeError:
            decoded = ""
        if (
            any(ord(ch) > 0x7FF for ch in decoded)
            and not any(ch.isalpha() for ch in decoded)  # letters: the model's to judge
            and _ftfy_candidate(run[lo:hi]) == decoded
        ):
            ok, weak, gain, b, a, lang = judge(decoded, 0)
            out.append(_Candidate(lo, hi, decoded, ["utf-8", "cp1252"], gain, b, a, lang, 0, 0))
    if mine and all(c.start == 0 and c.end == len(run) for c in mine):
        # UTF-8 structure confirmed: let ftfy have its say on this span only, and keep its
        # answer if the model likes it better than ours.
        fixed = _ftfy_candidate(run)
        if fixed is not None and fixed != mine[0].after:
            ok, weak, gain, b, a, lang = judge(fixed, fixed.count("\ufffd"))
            # (and only where it leaves no more mojibake than ours: ``別å。`` scores
            # above ``別�。``, but its ``å`` is a character that lost its bytes)
            if (
                ok
                and a > mine[0].after_score + 0.5
                and western.leftover(fixed) <= western.leftover(mine[0].after)
                and not western.shows_lost(fixed, mine[0].after)
            ):
                out.append(
                    _Candidate(
                        0, len(run), fixed, ["utf-8", "cp1252 (ftfy)"], gain + 0.01, b, a, lang
                    )
                )
    return out


def _utf8_whole(tokens: list[int]) -> tuple[int, int]:
    """The stretch of ``tokens`` (bytes, one a character of a cp1252 run) without the
    continuation bytes it starts with (at most three: a character cut off before the
    run) and without a character it ends short of (a lead and fewer continuation bytes
    than it needs)."""
    lo = 0
    while lo < min(3, len(tokens)) and 0x80 <= tokens[lo] <= 0xBF:
        lo += 1
    hi = len(tokens)
    for k in range(len(tokens) - 1, max(lo, len(tokens) - 4) - 1, -1):
        b = tokens[k]
        need = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        if need:
            if len(tokens) - k < need:
                hi = k
            break
        if not 0x80 <= b <= 0xBF:
            break
    return lo, hi


def _dropped_slots(tokens: list[int]) -> frozenset[int]:
    """Where a Shift_JIS byte cp1252 cannot map (``81``, the lead of ``、。ー「」``, and a
    few kanji leads and katakana trails) may have been dropped by a decoder that ignores
    what it cannot map: before a byte that ends up alone (an ASCII byte, a half-width
    katakana, a byte Shift_JIS has no character for), around a lead whose trail may be a
    lead itself (or is missing), and inside ``ゼ`` (``83 5B``: ``ー`` lost its lead).

    Only where the run shows no trace of those bytes (no U+FFFD, "?" or C1 control): a
    decoder that kept them did not drop any.
    """
    undefined = cc.UNDEFINED_BYTES["cp1252"]
    if any(t < 0 or t in undefined for t in tokens):
        return frozenset()
    sjis = cc.CODEC["shift_jis"]
    slots: set[int] = set()
    alone: set[int] = set()  # (of those, the bytes that cannot be read otherwise)
    i, n = 0, len(tokens)
    while i < n:
        b = tokens[i]
        if sjis.is_lead(b):
            t = tokens[i + 1] if i + 1 < n else -1
            if sjis.is_lead(t) or not sjis.is_trail(t):
                # a trail that may be a lead, or no trail at all: this byte may be the
                # trail of a dropped lead, or the lead of a dropped trail
                slots.update((i, i + 1) if i else (i + 1,))
            elif b == 0x83 and t == 0x5B:
                slots.add(i + 1)  # ``ゼ``, or a katakana whose trail went with the lead of ``ー``
            i += 2
            continue
        if b >= 0x80 or (i > 0 and 0x40 <= b <= 0x7E):
            slots.add(i)  # a high byte that is no lead, or an ASCII trail byte: alone
            alone.add(i)
        i += 1
    slots.discard(n)
    # (many: not a run that lost a few bytes, but one that is no Shift_JIS; or a run of
    # kanji, half of whose trail bytes may be leads: then only the bytes left alone)
    most = min(POLICY.max_slots, max(8, n // 2))
    if len(slots) <= most:
        return frozenset(slots)
    return frozenset(alone) if len(alone) <= most // 2 else frozenset()


def _legacy_decode(
    tokens: list[int],
    enc: str,
    undefined: tuple[int, ...],
    per_hole: dict[int, tuple[int, ...]] | None = None,
    dropped: frozenset[int] = frozenset(),
    closed: bool = False,
) -> tuple[str, int, int, str] | None:
    """Decode cp1252-recovered bytes as legacy ``enc``; returns (text, lost characters,
    bytes put back where a decoder dropped them, the text as judged).

    A byte the model prefers for a hole or a slot, but not at the posterior that pins it
    down, is judged as the model's choice (the reading stands or falls with what fits
    there best) and shown lost: its character is U+FFFD in the text.

    A U+FFFD stands for one of cp1252's undefined bytes, a "?" for one of those or for
    itself: each is tried in turn, keeping what decodes and what the model likes best.
    ``per_hole``: the bytes each hole may be instead (a double-byte wrong codec rejected
    that byte before the next): many, so the best must also clearly win, else the
    character stays lost. ``dropped``: indices of ``tokens`` before which a decoder that
    drops what it cannot map may have dropped one undefined byte; one is put back only
    where it clearly wins, else nothing is (nothing is known to be lost there).
    ``closed`` (with ``per_hole``): no trail byte follows the run; a reading that leaves
    a lead alone at its end (a byte chosen for a hole set it out of step) is none.
    """
    decoder = cc.ORIGINAL_DECODERS[enc]
    if dropped:
        tokens = [
            t for i, tok in enumerate(tokens) for t in ((_SLOT, tok) if i in dropped else (tok,))
        ]
    holes = [i for i, t in enumerate(tokens) if t in (HOLE, QMARK, _SLOT)]
    current = [t if t >= 0 else _NOTHING if t == _SLOT else 0x3F for t in tokens]
    if not holes:
        try:
            decoded = bytes(current).decode(decoder)
        except UnicodeDecodeError:
            return None
        return decoded, 0, 0, decoded
    if sum(1 for h in holes if tokens[h] != _SLOT) > 32:
        return None
    model = _model()
    # (Big5 is Traditional Chinese, Shift_JIS Japanese, EUC-KR Korean; GBK text may be
    # either script)
    lang = _ENCODING_LANG.get(enc) or model.score(_bytes(current).decode(decoder, "replace"))[0]
    slot_options: tuple[int, ...] = (_NOTHING, *undefined)
    if enc == "shift_jis":
        # a dropped trail next to the dropped lead of ``、。ー``
        slot_options += tuple(_TWO | u << 8 | 0x81 for u in undefined)
    # Units of choice: a hole, a slot, or two slots around one byte (a byte may have lost
    # the byte before it, the one after it, or both: one choice, not two greedy ones).
    units: list[tuple[int, ...]] = []
    for h in holes:
        if units and tokens[h] == _SLOT and units[-1] == (h - 2,) and tokens[h - 2] == _SLOT:
            units[-1] = (h - 2, h)
        else:
            units.append((h,))
    unresolved: list[int] = []
    unsure: set[int] = set()  # holes and slots whose best byte is not pinned down
    seen: set[int] = set()
    # (where every unit is a slot and the first sweep put nothing back, the second would
    # see what the first saw at each slot and choose the same: it is not made)
    only_slots = per_hole is None and all(tokens[unit[0]] == _SLOT for unit in units)
    start = list(current) if only_slots else None
    # (a second sweep sees the choices made after each hole)
    for k, unit in enumerate(units + units):
        if k == len(units) and current == start:
            break
        h = unit[0]
        if h in unresolved:
            continue
        seen.add(h)
        # (a lossy pair's holes not filled, or not yet, are lost characters, read as the
        # final reading reads them: each option is scored in the same step as that one)
        lost_now = (
            {x for x in holes if x != h and (x not in seen or x in unresolved)}
            if per_hole is not None
            else None
        )
        slot = tokens[h] == _SLOT
        options: list[tuple[int, ...]]
        if len(unit) == 2:
            options = [(_NOTHING, _NOTHING)]
            options += [(o, _NOTHING) for o in slot_options[1:]]
            options += [(_NOTHING, o) for o in slot_options[1:]]
            options += [(a, b) for a in undefined for b in undefined]
        elif slot:
            options = [(o,) for o in slot_options]
        else:
            options = [
                (b,)
                for b in (per_hole or {}).get(h, undefined)
                + ((0x3F,) if tokens[h] == QMARK else ())
            ]
        best: tuple[float, tuple[int, ...]] | None = None
        scores: list[float] = []
        # Only the characters near the hole differ between the options: those few are
        # scored (the decoded prefix is the same for all; its length is counted once).
        cut = max(0, h - 4)
        # (the options differ in one byte: the run is read once up to it, and each
        # option only until the decoder is back in step with an earlier reading)
        reads = _OneByteReads(current, lost_now, decoder, h, cut) if lost_now is not None else None
        if reads is not None:
            prefix = reads.prefix
        else:
            prefix = codecs.getincrementaldecoder(decoder)("replace").decode(_bytes(current[:cut]))
        lo = max(0, len(prefix) - 1)
        tried: list[tuple[tuple[int, ...], str]] = []
        for option in options:
            for p, b in zip(unit, option, strict=True):
                current[p] = b
            if reads is not None and len(unit) == 1:
                text = reads.read(current)
            elif lost_now is not None:
                text = _decode_with_lost(current, lost_now, decoder)
            else:
                # (later holes may still be unresolved: where the bytes do not decode,
                # this one is judged locally; where they do, "replace" reads the same)
                text = _bytes(current).decode(decoder, "replace")
            if text.count("\ufffd") <= len(holes):
                tried.append((option, text))
        if lost_now is not None and tried:
            # (the wrong decoder read every byte but the holes: an option that leaves
            # more bytes the original cannot decode than another is not what was there)
            fewest = min(text.count("\ufffd") for _o, text in tried)
            tried = [(o, text) for o, text in tried if text.count("\ufffd") == fewest]
        for option, text in tried:
            # totals: the options differ in length
            sc = model.text_logprob(text[lo : lo + POLICY.legacy_window], lang)
            scores.append(sc)
            if best is None or sc > best[0]:
                best = (sc, option)
        unsure.difference_update(unit)
        if best is not None and not slot:
            # (a hole of a few bytes is taken at the model's temperature; one of a pair's
            # many bytes as the model has it, see Policy.fill_temperature)
            t = POLICY.fill_temperature if per_hole is None else 1.0
            z = sum(math.exp((v - best[0]) / t) for v in scores if v > best[0] - POLICY.negligible)
            if 1.0 / z < POLICY.salvage_posterior:
                if per_hole is not None:
                    best = None
                else:
                    unsure.add(h)
        if slot and best is not None and scores and best[0] - scores[0] < POLICY.slot_margin:
            best = None  # (``scores[0]``: nothing put back) not clearly better
        if slot and best is not None and _unsure_fill(tried, scores, best):
            unsure.update(p for p, b in zip(unit, best[1], strict=True) if b != _NOTHING)
        if slot:
            for p, b in zip(unit, best[1] if best else options[0], strict=True):
                current[p] = b
        elif best is None:
            current[h] = 0x3F
            if h not in unresolved:
                unresolved.append(h)
        else:
            current[h] = best[1][0]
    filled = [h for h in holes if tokens[h] == _SLOT and current[h] != _NOTHING]
    if filled:
        # Each byte put back is a guess; together they must make the run clearly better
        # than it reads with nothing put back (a decoder that dropped bytes dropped many).
        plain = [_NOTHING if tokens[h] == _SLOT else b for h, b in enumerate(current)]
        gain = model.text_logprob(
            _bytes(current).decode(decoder, "replace"), lang
        ) - model.text_logprob(_bytes(plain).decode(decoder, "replace"), lang)
        if gain < POLICY.slot_gain * len(filled):
            current, filled = plain, []
    if per_hole is not None:
        text, cut = _read_with_lost(current, set(unresolved), decoder)
        lost = text.count("\ufffd")
        return (text, lost, 0, text) if lost <= len(holes) and not (cut and closed) else None
    for h in unresolved:
        current[h] = 0xFF  # undecodable on purpose: becomes one U+FFFD
    judged = _bytes(current).decode(decoder, "replace")
    unsure = {h for h in unsure if current[h] != _NOTHING}
    text = _decode_with_lost(*_expand(current, unsure), decoder) if unsure else judged
    lost = text.count("\ufffd")
    if lost > len(holes):
        return None
    return text, lost, len(filled), judged


def _unsure_fill(
    tried: list[tuple[tuple[int, ...], str]],
    scores: list[float],
    best: tuple[float, tuple[int, ...]],
) -> bool:
    """Is the byte (or bytes) put back in a slot not pinned down: another fill that puts
    a byte back scores close enough that the best has less than
    :attr:`~cjkfix.mojibake.policy.Policy.slot_posterior` among them?"""
    if all(b == _NOTHING for b in best[1]):
        return False
    z = sum(
        math.exp(sc - best[0])
        for (option, _text), sc in zip(tried, scores, strict=True)
        if any(b != _NOTHING for b in option) and sc > best[0] - POLICY.negligible
    )
    return 1.0 / z < POLICY.slot_posterior


def _expand(current: list[int], lost: set[int]) -> tuple[list[int], set[int]]:
    """``current`` as plain bytes (nothing put back: left out; two bytes: both), and the
    indices of ``lost`` (positions of ``current``) in that list: the first byte of each."""
    data: list[int] = []
    where: set[int] = set()
    for i, b in enumerate(current):
        if b == _NOTHING:
            continue
        if i in lost:
            where.add(len(data))
        if b > _TWO:
            data += ((b >> 8) & 0xFF, b & 0xFF)
        else:
            data.append(b)
    return data, where


class _OneByteReads:
    """:func:`_decode_with_lost` of ``data`` with ``lost``, for values of ``data`` that
    differ only at ``h`` (the options for one hole), at the cost of the bytes near ``h``:
    the read up to ``h`` does not depend on it and is made once; past ``h``, wherever
    the decoder is as fresh as a new one at a position where the first full read was
    too, the rest reads as it did there (the same bytes, the same lost positions). On a
    long run read once for each of many options, reading it all each time was most of
    the time of a lossy pair's search."""

    def __init__(self, data: list[int], lost: set[int], decoder: str, h: int, cut: int) -> None:
        self.lost = lost
        self.decoder = decoder
        self.h = h
        self.new = codecs.getincrementaldecoder(decoder)  # (looked up once)
        self.fresh = self.new("replace").getstate()
        dec = self.new("replace")
        out: list[str] = []
        i = 0
        # ``prefix``: :func:`_decode_with_lost` of ``data[:cut]`` (``cut`` <= ``h``), met
        # on the way: the same steps, then what the decoder holds flushed
        prefix: str | None = None
        while i < h:
            if prefix is None and i >= cut:
                prefix = self._flushed(out, dec)
            i, dec = _step(data, lost, decoder, i, dec, out)
        self.prefix = self._flushed(out, dec) if prefix is None else prefix
        self.start = i
        self.head = "".join(out)
        self.state = dec.getstate()
        # the first full read: its pieces, and where (past h) the decoder was fresh
        self.pieces: list[str] = []
        self.marks: dict[int, int] = {}
        self.tails: dict[int, str] = {}

    def _flushed(self, out: list[str], dec: codecs.IncrementalDecoder) -> str:
        """What was read so far, the end of the data reached (``dec`` left as it is)."""
        end = self.new("replace")
        end.setstate(dec.getstate())
        return "".join(out) + end.decode(b"", final=True)

    def read(self, data: list[int]) -> str:
        dec = self.new("replace")
        dec.setstate(self.state)
        out = [self.head]
        i, h, n = self.start, self.h, len(data)
        lost, fresh, marks = self.lost, self.fresh, self.marks
        first = not self.pieces
        while i < n:
            if i > h and dec.getstate() == fresh:
                if first:
                    marks[i] = len(out)
                elif i in marks:
                    tail = self.tails.get(i)
                    if tail is None:
                        tail = self.tails[i] = "".join(self.pieces[marks[i] :])
                    out.append(tail)
                    return "".join(out)
            # (a step of _step, written out: this loop runs once an option)
            if i in lost:
                pending = dec.getstate()[0]
                out.append("\ufffd")
                i += 1 if pending else 2
                dec = self.new("replace")
            else:
                out.append(dec.decode(bytes((data[i],))))
                i += 1
        out.append(dec.decode(b"", final=True))
        if first:
            self.pieces = out
        return "".join(out)


def _step(
    data: list[int],
    lost: set[int],
    decoder: str,
    i: int,
    dec: codecs.IncrementalDecoder,
    out: list[str],
) -> tuple[int, codecs.IncrementalDecoder]:
    """One step of :func:`_read_with_lost`: the position and decoder after ``data[i]``."""
    if i in lost:
        pending = dec.getstate()[0]
        out.append("\ufffd")
        # the lost byte was a trail if a lead waits for it, else a lead with its trail
        return i + (1 if pending else 2), codecs.getincrementaldecoder(decoder)("replace")
    out.append(dec.decode(bytes([data[i]])))
    return i + 1, dec


def _decode_with_lost(data: list[int], lost: set[int], decoder: str) -> str:
    """Decode double-byte ``data`` whose bytes at ``lost`` are unknown: the character
    each belongs to (with the lead before it, or the trail after it) is one U+FFFD."""
    return _read_with_lost(data, lost, decoder)[0]


def _read_with_lost(data: list[int], lost: set[int], decoder: str) -> tuple[str, bool]:
    """:func:`_decode_with_lost`, and whether a known lead byte is left at the end
    without its trail (a character cut in two: no reading of a whole run)."""
    out: list[str] = []
    dec = codecs.getincrementaldecoder(decoder)("replace")
    i = 0
    n = len(data)
    while i < n:
        if i in lost:
            pending = dec.getstate()[0]
            dec = codecs.getincrementaldecoder(decoder)("replace")
            out.append("\ufffd")
            # the lost byte was a trail if a lead waits for it, else a lead with its trail
            i += 1 if pending else 2
            continue
        out.append(dec.decode(bytes([data[i]])))
        i += 1
    cut = bool(dec.getstate()[0])
    out.append(dec.decode(b"", final=True))
    return "".join(out), cut
