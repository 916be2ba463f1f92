"""UTF-8 read as a legacy codec: a run's bytes parsed as UTF-8, cut where they cannot be,
lost bytes restored, each span judged (and a double mojibake searched again).
"""

from __future__ import annotations

import copy
import itertools
from typing import TYPE_CHECKING

from cjkfix import codecs as cc
from cjkfix.mojibake.context import _Call

if TYPE_CHECKING:
    from cjkfix.mojibake.engine import SpanRepair
from cjkfix.mojibake.gate import gate
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.restore import _restore, folded_only
from cjkfix.mojibake.rules import applies
from cjkfix.mojibake.tables import LOSSY_CODECS
from cjkfix.mojibake.tokens import (
    _WIDE,
    FOLDED_QUOTES,
    HOLE,
    _pair_holes,
    _read_units,
    _tokens,
    _Unit,
    lone_leads,
)
from cjkfix.mojibake.verdict import _Candidate, _explained, _judge, _known_chars, _model, _nonascii


def _utf8_spans(
    run: str,
    codec: str,
    depth: int,
    outside: tuple[str, str] = ("", ""),
    call: _Call | None = None,
) -> list[_Candidate]:
    """Candidate repairs for utf-8 decoded as ``codec`` inside ``run``; ``outside``: the
    characters before and after the run.

    A U+FFFD stands for one byte (Python's decoders) or, before a non-ASCII character,
    often for two (WHATWG decoders consume a bad pair whose second byte is not ASCII):
    both readings are tried and the one that explains more of the run is kept."""
    fast = _whole_run(run, codec)
    if fast is not None:
        return [fast]
    got = _tokens(run, codec)
    if got is None:
        return []
    tokens, owner = got
    out = _utf8_spans_of(run, codec, depth, outside, tokens, owner, call)
    if codec == "cp1252" and any(_end_quote(tokens, k) for k in range(len(tokens))):
        # An ASCII quote ending a character's bytes (``ìš"`` was ``ìš”``, 요) or a real
        # quote after a character that lost its last byte (``ê³"``, 고 with A0 lost):
        # both readings, the one that explains more kept (on a tie the folded quote:
        # one normaliser, where the other reading needs a lost byte and a real quote;
        # and where the run shows a folded quote between high bytes, the folded reading
        # unless the other restores two more: a byte put back from cp1252's undefined
        # five can only guess among them, ``åº"`` is 库 and not 序).
        other = _utf8_spans_of(run, codec, depth, outside, tokens, owner, call, fold_end=True)
        shown = any(_mid_quote(tokens, k) for k in range(len(tokens)))
        if _explained(other) + (2 if shown else 0) >= _explained(out):
            out = other
    if codec != "cp1252" and HOLE in tokens:
        wide = _pair_holes(run, tokens, owner)
        if wide is not None:
            other = _utf8_spans_of(run, codec, depth, outside, *wide, call)
            if _explained(other) > _explained(out):
                out = other
    return out


def _end_quote(tokens: list[int], k: int) -> bool:
    """Is ``tokens[k]`` an ASCII quote after a high byte and before no high byte?"""
    return (
        tokens[k] in FOLDED_QUOTES
        and k > 0
        and tokens[k - 1] >= 0x80
        and (k + 1 == len(tokens) or tokens[k + 1] < 0x80)
    )


def _mid_quote(tokens: list[int], k: int) -> bool:
    """Is ``tokens[k]`` an ASCII quote between two high bytes?"""
    return (
        tokens[k] in FOLDED_QUOTES
        and 0 < k < len(tokens) - 1
        and tokens[k - 1] >= 0x80
        and tokens[k + 1] >= 0x80
    )


def _whole_run(run: str, codec: str) -> _Candidate | None:
    """The common case at C speed: the whole run is ``codec``'s view of valid UTF-8, with
    nothing lost, and the model clearly prefers the decoded text. Anything less clear
    (a partial span, a loss, a short run, a double mojibake) is left to the byte-by-byte
    parse, which reaches the same answer here, only slower."""
    if codec == "cp1252" or "?" in run or "\ufffd" in run:
        return None
    try:
        after = run.encode(cc.WRONG_CODECS[codec][0]).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    wide = len(_WIDE.findall(after))
    if wide < POLICY.structured_chars or after == run:
        return None
    known = _known_chars()
    if sum(1 for ch in after if ch in known) * 2 < wide:
        return None
    ok, _weak, gain, b, a, lang = _judge(run, after, 0, wide)
    if not ok or a < POLICY.min_fluency:
        return None
    return _Candidate(0, len(run), after, ["utf-8", codec], gain, b, a, lang)


def _utf8_spans_of(
    run: str,
    codec: str,
    depth: int,
    outside: tuple[str, str],
    tokens: list[int],
    owner: list[int],
    call: _Call | None = None,
    fold_end: bool = False,
) -> list[_Candidate]:
    budget = call.budget if call is not None else None
    # (a lead alone is a character that lost its continuation bytes only where the run
    # shows the wrong codec's own characters for bytes 80-9F: a latin-1 line whose C1
    # bytes were removed has none, and lost any continuation byte of 80-9F, not only
    # cp1252's five undefined ones)
    alone = lone_leads(codec) and any(0x80 <= t <= 0x9F for t in tokens)
    units = _read_units(
        tokens,
        folded=codec == "cp1252",
        fold_end=fold_end,
        lone_leads=alone,
        eats=_eats_with_qmark(codec),
    )
    out: list[_Candidate] = []
    group: list[_Unit] = []

    def starts_char(t: int) -> bool:
        return t == 0 or owner[t - 1] != owner[t]

    def ends_char(t: int) -> bool:
        return t == len(owner) or owner[t] != owner[t - 1]

    def flush() -> None:
        g = group[:]
        group.clear()
        while g and (
            not starts_char(g[0].t0)
            or (g[0].kind == "ascii" and (len(g) == 1 or starts_char(g[1].t0)))
        ):
            g.pop(0)
        while g and (
            not ends_char(g[-1].t1)
            or (g[-1].kind == "ascii" and g[-1].text != "?" and starts_char(g[-1].t0))
        ):
            g.pop()
        if not g:
            return
        c0, c1 = owner[g[0].t0], owner[g[-1].t1 - 1] + 1
        context = (
            run[c0 - 1] if c0 > 0 else outside[0],
            run[c1] if c1 < len(run) else outside[1],
        )
        if call is None or budget is None:
            out.extend(read(g, c0, c1, context))
            return
        if not _may_read(g, codec, run[c0:c1]):
            return  # (read would return at once: no key made for it)
        # The same group is read again and again: in the second reading of a run (its
        # U+FFFD as pairs, or its quotes folded at the end), which differs from the
        # first only near a few U+FFFD, and wherever a text repeats a word. What a
        # group reads as is a function of its characters, their neighbours, its units
        # and the tokens under it (from its first token to the one after its last:
        # the restorer looks one past a lost byte), the codec, the depth and whether
        # the text shows cp1252 (offsets relative to the group); and of the budget of
        # restorations only where it runs out. So a reading is kept with the budget it
        # used where the budget never ran out, and taken again only where at least
        # that much is left (it is then used up the same: its restorations alone use
        # budget, each the same again).
        base = g[0].t0
        key = (
            codec,
            depth,
            call.shows_cp1252,
            run[c0:c1],
            context,
            tuple(tokens[base : g[-1].t1 + 1]),
            _shape(g, base),
        )
        kept = call.groups.get(key)
        if kept is not None and budget[0] >= kept[0]:
            budget[0] -= kept[0]
            for c in kept[1]:
                c = copy.copy(c)
                c.start += c0
                c.end += c0
                out.append(c)
            return
        left, searches = budget[0], call.searches
        made = read(g, c0, c1, context)
        out.extend(made)
        # (not a group read by searching it as a double mojibake: that search takes
        # readings the call has already made from its memo, without the budget they
        # used, so that reading it again may use less than it did the first time)
        if budget[0] > 0 and call.searches == searches:
            moved = [copy.copy(c) for c in made]
            for c in moved:
                c.start -= c0
                c.end -= c0
            call.groups[key] = (left - budget[0], moved)

    def read(g: list[_Unit], c0: int, c1: int, context: tuple[str, str]) -> list[_Candidate]:
        """The candidates (none or one) of the group ``g``, ``run[c0:c1]``."""
        made: list[_Candidate] = []
        known_chars = _known_chars()
        good = [u.text for u in g if u.kind == "good"]
        lone = not good and _lone(g)
        salvage = codec != "cp1252" and applies("heavy_loss", run[c0:c1], g)
        if not good and not lone and not salvage:
            return made
        plausible = sum(1 for ch in good if ch in known_chars)
        if plausible == 0 and applies("drawn", good):
            plausible = len(good)  # (a row of box drawing: the model cannot judge it)
        shows_cp1252 = call is not None and call.shows_cp1252
        # (a character whose only unknown byte is a curly quote cp1252 showed and a
        # normaliser folded to ASCII lost nothing: ``ì¤'`` is 중, where the text shows
        # cp1252's own characters)
        folded = shows_cp1252 and all(folded_only(u, tokens) for u in g)
        if (
            lone
            and not salvage
            and not folded
            and not applies("lone_is_suspect", run[c0:c1], shows_cp1252)
        ):
            return made
        if good and (plausible == 0 or plausible * 2 < len(good)):
            # Not CJK: maybe the middle layer of a double mojibake (Ã¤Â¸Â­ -> ä¸­ -> 中).
            middle = _middle(g, codec) if depth == 0 and len(good) >= 3 else None
            if middle is not None and gate(middle):
                inner = _repair_span(middle, depth=1, call=call)
                if inner is not None:
                    before = run[c0:c1]
                    ok2, weak2, gain2, b2, a2, lang2 = _judge(before, inner.after, inner.lost)
                    if (
                        not (ok2 or weak2)
                        and not inner.restored
                        and all(
                            ch == "\ufffd" or ch in known_chars
                            for ch in inner.after
                            if not ch.isascii()
                        )
                    ):
                        # (characters lost in the middle layer, ``Ã«Â°ï¿½``, 및 with a
                        # byte lost, or ``Ã¥â€”Ã©â„¢Ã§Å¡â€ž``, 受限的 with 8F and 90
                        # dropped: the rest read whole, none restored, each lost one
                        # U+FFFD, a weak candidate, taken where the chain is found
                        # elsewhere)
                        ok2, weak2 = False, True
                    if ok2 or weak2:
                        made.append(
                            _Candidate(
                                c0,
                                c1,
                                inner.after,
                                ["utf-8", codec, *inner.chain],
                                gain2,
                                b2,
                                a2,
                                lang2,
                                inner.restored,
                                inner.lost,
                                ok2,
                            )
                        )
            return made
        before = run[c0:c1]
        known = "".join(u.text for u in g if u.kind == "good")
        lang = _model().score(known)[0]
        # with more characters lost than decoded whole, or lost characters alone, the
        # model has too little context to guess from: only near-certain restorations
        posterior = (
            POLICY.salvage_posterior if lone or (salvage and 2 * len(good) < len(g)) else None
        )
        if codec in LOSSY_CODECS:
            posterior = POLICY.lossy_posterior
        folds = [u for u in g if folded_only(u, tokens)]
        restored, lost = _restore(g, lang, codec, tokens, context, posterior, budget)
        after = "".join(u.text for u in g)
        # (a character whose only unknown byte was a folded quote is well formed too)
        unfolded = sum(1 for u in folds if u.kind == "restored")
        structured = (
            0 if lost or restored > unfolded else unfolded + sum(1 for u in g if u.kind == "good")
        )
        ok, weak, gain, b, a, lang = _judge(before, after, lost, structured)
        if salvage and posterior is not None:
            ok = weak = applies("salvaged", g, restored)
            if ok:
                _, _, gain, b, a, lang = _judge(before, after, 0)
        elif salvage and not ok:
            # Restore again, only where the model is very sure: with bytes lost all over,
            # neighbours are often lost too, and a guess from frequency alone is no repair.
            first = (restored, lost, after)
            restored, lost = _restore(
                g, lang, codec, tokens, context, POLICY.salvage_posterior, budget
            )
            if applies("salvaged", g, restored):
                after = "".join(u.text for u in g)
                ok = weak = True
                _, _, gain, b, a, lang = _judge(before, after, 0)
            else:
                restored, lost, after = first  # (the units no longer match: not used)
        elif lone:
            ok = False
            # (a lost character shows as up to as many characters as its bytes the
            # wrong codec reads one at a time: three under cp1252, ``ê°?``; two under
            # a double-byte codec; the wider allowance only for U+FFFD alone, nothing
            # restored on frequency)
            shown = 3 if codec == "cp1252" and not restored else 2
            weak = len(before) <= shown * len(after) + 1 and after != before
            if not weak and restored and codec == "cp1252":
                # (restored on frequency, it is held to the narrower allowance: where it
                # fails that, its characters are U+FFFD, each lost, ``ìƒ�ì�˜`` for 생의)
                for u in g:
                    if u.kind == "restored":
                        u.kind, u.text = "lost", "\ufffd"
                lost, restored = lost + restored, 0
                after = "".join(u.text for u in g)
                weak = len(before) <= 3 * len(after) + 1 and after != before
                _ok, _weak, gain, b, a, lang = _judge(before, after, lost)
            if lost:
                # nothing restored: one U+FFFD per lost character, for a known chain only
                weak = weak and _nonascii(before) >= 1
        if depth > 0 and lost and not restored and not (ok or weak) and plausible == len(good):
            # (the middle layer of a double mojibake: the outer layer's structure is
            # the evidence, and a reading mostly of lost characters, each U+FFFD, the
            # rest known characters read whole, is its reading: weak, for the outer
            # layer to take where the chain is found elsewhere; not with a character
            # restored, which the model guessed with too little around it: 식 as 신)
            weak = True
        chain = ["utf-8", codec]
        if (
            depth == 0
            and lost == 0
            and restored == 0
            and structured >= 3
            and a < POLICY.min_fluency
            and gate(after)
        ):
            inner = _repair_span(after, depth=1, call=call)
            if inner is not None:
                ok2, _, gain2, _, a2, lang2 = _judge(before, inner.after, inner.lost)
                if ok2 and a2 > a:
                    after, ok, gain, a, lang = inner.after, True, gain2, a2, lang2
                    chain = chain + inner.chain
                    restored, lost = inner.restored, inner.lost
        if ok or weak:
            made.append(_Candidate(c0, c1, after, chain, gain, b, a, lang, restored, lost, ok))
        return made

    for u in units:
        if isinstance(u, int):  # (a bad unit)
            if group:
                flush()
        else:
            group.append(u)
    if group:
        flush()
    return out


def _middle(g: list[_Unit], codec: str) -> str | None:
    """The group as the middle layer of a double mojibake: each character it decodes,
    and each it lost as the one character ``codec`` shows that its known bytes and the
    bytes ``codec`` has none for (the ones a decoder dropped or replaced) make (the
    middle layer is text that codec made: ``â€`` with 9D dropped is ``”``, the only
    character of E2 80 81/8D/8F/90/9D that cp1252 shows), else U+FFFD (a byte of the
    layer below lost: its reading has one unknown byte there); None where a lost
    character has no such byte (any byte of a holey pattern may be anything)."""
    undefined = cc.UNDEFINED_BYTES.get(codec)
    out: list[str] = []
    for u in g:
        if u.kind != "lost":
            out.append(u.text)
            continue
        if not undefined:
            return None
        shown = {
            ch
            for pattern in (u.pattern, *(a for a, _s in u.alts))
            for ch in _completions(tuple(pattern), undefined)
            if cc.encode_char(ch, codec) is not None
        }
        out.append(shown.pop() if len(shown) == 1 else "\ufffd")
    return "".join(out)


def _completions(pattern: tuple[int, ...], fill: tuple[int, ...]) -> list[str]:
    """The characters ``pattern`` (bytes, -1 unknown) makes as UTF-8 with each unknown
    byte one of ``fill``."""
    out: list[str] = []
    for combo in itertools.product(fill, repeat=pattern.count(-1)):
        it = iter(combo)
        data = bytes(b if b >= 0 else next(it) for b in pattern)
        try:
            ch = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(ch) == 1:
            out.append(ch)
    return out


def _lone(g: list[_Unit]) -> bool:
    """Is the group lost characters alone (``銆\ufffd``: "。" missing its last byte)?
    Then it is only a weak candidate: repaired when the same chain is found elsewhere
    in the text."""
    return all(u.kind == "lost" and sum(b >= 0 for b in u.pattern) >= 2 for u in g)


def _may_read(g: list[_Unit], codec: str, before: str) -> bool:
    """Does a group have what a reading needs (a character decoded whole, lost
    characters alone, or the loss all over of the rule ``heavy_loss``)? The first test
    of ``read`` in :func:`_utf8_spans_of`, made before the group's key is."""
    if any(u.kind == "good" for u in g) or _lone(g):
        return True
    return codec != "cp1252" and applies("heavy_loss", before, g)


def _shape(g: list[_Unit], base: int) -> tuple[object, ...]:
    """The units of a group as a key: token offsets relative to its first token (a unit
    with no pattern, most of them, as four values: no key of seven is equal to it)."""
    return tuple(
        (u.kind, u.text, u.t0 - base, u.t1 - base)
        if not (u.pattern or u.single or u.alts)
        else (
            u.kind,
            u.text,
            u.t0 - base,
            u.t1 - base,
            tuple(u.pattern),
            tuple((p, t - base) for p, t in u.single),
            tuple((tuple(a), tuple((p, t - base) for p, t in s)) for a, s in u.alts),
        )
        for u in g
    )


def _repair_span(text: str, depth: int, call: _Call | None) -> SpanRepair | None:
    """The inner layer of a double mojibake, searched by the engine (which calls this
    module: imported on use)."""
    from cjkfix.mojibake.engine import repair_span

    if call is not None:
        call.searches += 1
    return repair_span(text, depth=depth, call=call)


def _eats_with_qmark(codec: str) -> bool:
    """Does ``codec``'s Windows decoder write ``?`` for a bad lead and the byte it ate
    (a double-byte codec but Shift_JIS, whose decoder writes ``・``)?"""
    row = cc.CODEC.get(codec)
    return row is not None and row.kind == "double-byte" and row.default_char == "?"
