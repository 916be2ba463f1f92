"""Lost bytes of legacy pairs: the bytes each character may have come from under the wrong
codec, and readings with each U+FFFD as a rejected byte (Python) or a lost pair (WHATWG).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from cjkfix import codecs as cc
from cjkfix.mojibake.legacy import _decode_with_lost, _legacy_decode
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.tables import _LEGACY_PY
from cjkfix.mojibake.tokens import HOLE
from cjkfix.mojibake.verdict import _nonascii


@functools.lru_cache(maxsize=4096)
def _rejected_leads(wrong: str, following: int) -> tuple[int, ...]:
    """The bytes ``wrong``'s decoder rejects before ``following`` (-1: unknown)."""
    return tuple(b for b in range(0x81, 0xFF) if cc.lost_byte_fits(wrong, b, following))


def _encode_wrong(ch: str, wrong: str) -> bytes | None:
    """The bytes ``wrong``'s decoder read as ``ch``. A WHATWG GBK (gb18030) decoder
    reads the user-defined rows (where Big5 has its punctuation and many common
    characters) as private-use characters, which Python's GBK codec cannot encode."""
    try:
        return ch.encode(_LEGACY_PY[wrong])
    except UnicodeEncodeError:
        if "\ue000" <= ch <= "\uf8ff":
            for view in cc.LEGACY_PAIR_VIEWS[wrong][1:]:
                data = ch.encode(view)
                if len(data) == 2:
                    return data
        return None


def _lossy_encodings(run: str, wrong: str) -> Iterator[list[bytes | None]]:
    """Per character of ``run`` (U+FFFD: None), the bytes it may have come from under
    ``wrong``: as :func:`_legacy_encodings`, for runs with lost bytes (fewer
    combinations: each is read byte by byte)."""
    pieces: list[bytes | None] = []
    for ch in run:
        if ch == "\ufffd":
            pieces.append(None)
            continue
        piece = _encode_wrong(ch, wrong)
        if piece is None:
            return
        pieces.append(piece)
    yield pieces
    if wrong == "shift_jis":
        yield from _cp932_variants(run, pieces, POLICY.max_dual_lossy)


def _cp932_variants(
    run: str, pieces: list[bytes | None], most: int
) -> Iterator[list[bytes | None]]:
    """``pieces`` (the bytes of each character of ``run``, as Python encodes it with
    cp932) with the other form of characters cp932 decodes from two places (NEC and IBM
    rows): every combination for up to ``most`` such characters, else all of them."""
    forms = cc.cp932_forms()
    dual = [i for i, ch in enumerate(run) if ch in forms]
    if not dual:
        return
    # the first form Python does not produce, for each such character
    other = {i: next(f for f in forms[run[i]] if f != pieces[i]) for i in dual}
    if len(dual) > most:
        yield [other.get(i, p) for i, p in enumerate(pieces)]
        return
    for mask in range(1, 1 << len(dual)):
        flip = {i for bit, i in enumerate(dual) if mask >> bit & 1}
        yield [other[i] if i in flip else p for i, p in enumerate(pieces)]


def _lossy_readings(
    run: str, pieces: list[bytes | None], original: str, wrong: str, closed: bool = False
) -> Iterator[tuple[str, int]]:
    decoder = cc.ORIGINAL_DECODERS[original]
    tokens: list[int] = []
    for piece in pieces:
        if piece is None:
            tokens.append(HOLE)
        else:
            tokens.extend(piece)
    per_hole: dict[int, tuple[int, ...]] = {}
    for h, t in enumerate(tokens):
        if t == HOLE:
            following = tokens[h + 1] if h + 1 < len(tokens) and tokens[h + 1] >= 0 else -1
            per_hole[h] = _rejected_leads(wrong, following)
    if len(per_hole) <= POLICY.legacy_max_filled:
        got = _legacy_decode(tokens, original, (), per_hole, closed=closed)
        if got is not None and got[1] * 2 <= _nonascii(got[0]):
            yield got[0], got[1]
    else:
        read = _lattice_reading(pieces, original, wrong, closed)
        if read is not None and read[1] * 2 <= _nonascii(read[0]):
            yield read
    # WHATWG decoders consume a bad pair whole when its second byte is not ASCII: such a
    # U+FFFD is a whole character lost (the caller keeps the reading that reads better)
    pairs: list[int] = []
    lost: set[int] = set()
    for ci, piece in enumerate(pieces):
        if piece is None and ci + 1 < len(run) and ord(run[ci + 1]) > 0x7F:
            # two placeholders: one character, or the end of one and the start of the next
            lost.update((len(pairs), len(pairs) + 1))
            pairs.extend((0x81, 0x81))
        elif piece is None:
            lost.add(len(pairs))
            pairs.append(0x81)
        else:
            pairs.extend(piece)
    text = _decode_with_lost(pairs, lost, decoder)
    if text.count("\ufffd") * 2 <= _nonascii(text):
        yield text, text.count("\ufffd")


def _lattice_reading(
    pieces: list[bytes | None], original: str, wrong: str, closed: bool
) -> tuple[str, int] | None:
    """``pieces`` read with each hole as one byte ``wrong``'s decoder rejected before the
    next one, the bytes cut into characters of ``original`` by the byte lattice
    (:func:`cjkfix.replacement_lattice.align`, every cut weighed at once): a character
    whose bytes all survived where the lattice is sure of it, else one U+FFFD (a
    character with a lost byte is never guessed). (text, characters lost), or None where
    the lattice has no table for ``original`` or no cut reads the bytes. For runs with
    more holes than :func:`_legacy_decode` fills one by one."""
    from cjkfix import replacement_lattice as rl

    if original not in rl.CODECS:
        return None
    toks: list[rl.Token] = []
    for i, piece in enumerate(pieces):
        if piece is not None:
            toks.append(piece)
            continue
        following = pieces[i + 1] if i + 1 < len(pieces) else None
        choices = _rejected_leads(wrong, following[0] if following else -1)
        toks.append(rl.lost_byte(frozenset(choices)))
    # (closed: nothing after the run can be the trail of a lead it ends with)
    got = rl.align(toks, original, rl.LANG[original], after=0x20 if closed else None)
    if got is None:
        return None
    out: list[str] = []
    for c in got.chars:
        sure = c.lead == "" or c.posterior >= POLICY.lattice_posterior
        out.append(c.char if c.char is not None and sure else "\ufffd")
    text = "".join(out)
    return text, text.count("\ufffd")
