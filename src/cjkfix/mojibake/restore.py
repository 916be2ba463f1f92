"""Lost bytes: the characters that fit a UTF-8 pattern with unknown bytes, and the vote
that restores one only where the model is sure (else one U+FFFD stands for it).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator

from cjkfix import codecs as cc
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.tokens import FOLDED_QUOTES, _Unit
from cjkfix.mojibake.verdict import _model

# Sentence-final punctuation is likelier at the end of a run or before a space.
_FINAL = "。！？」』）：…"


# ... and a line hardly ends on a comma; after a question particle comes a question mark.
_NOT_FINAL = "，、"


_QUESTION_PARTICLES = "吗嗎呢麼么"


_NOT_INITIAL = "、，。：；！？）」』】〉》"


_SIBLING = {"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}


def _candidates(
    pattern: list[int],
    hole_bytes: tuple[int, ...] | None,
    fits: dict[int, tuple[int, ...]] | None = None,
    pairs: tuple[tuple[str, int, int], ...] = (),
) -> list[str]:
    """The characters that fit (see :func:`_enumerate`); a shared list, not to be changed."""
    return _enumerate(
        tuple(pattern), hole_bytes, tuple(sorted(fits.items())) if fits else None, pairs
    )


@functools.lru_cache(maxsize=20_000)
def _enumerate(
    pattern: tuple[int, ...],
    hole_bytes: tuple[int, ...] | None,
    fit_items: tuple[tuple[int, tuple[int, ...]], ...] | None = None,
    pairs: tuple[tuple[str, int, int], ...] = (),
) -> list[str]:
    """Characters that fit a UTF-8 byte pattern with unknown bytes.

    ``hole_bytes`` limits every unknown byte (cp1252's undefined bytes); ``fits`` sets
    the bytes the unknown byte at a pattern index can be (those the wrong decoder rejects
    there, or the curly quotes a folded ASCII quote stands for: not ``hole_bytes``);
    ``pairs`` (codec, i, j): the decoder rejected byte i when byte j (also unknown) came
    next.
    """
    fits = dict(fit_items) if fit_items else None
    options: list[tuple[int, ...]] = []
    length = len(pattern)
    for pos, b in enumerate(pattern):
        if b >= 0:
            options.append((b,))
            continue
        if pos == 0:
            if length == 2:
                allowed = range(0xC2, 0xE0)
            elif length == 3:
                allowed = range(0xE0, 0xF0)
            else:
                allowed = range(0xF0, 0xF5)
        else:
            allowed = range(0x80, 0xC0)
        if fits is not None and pos in fits:
            opts = tuple(x for x in allowed if x in fits[pos])
        else:
            opts = tuple(x for x in allowed if hole_bytes is None or x in hole_bytes)
        options.append(opts)
    total = math.prod(len(o) for o in options)
    if total == 0 or total > POLICY.max_candidates:
        return []
    out: list[str] = []
    if total <= _PRODUCT_MAX:
        known = _model().known_chars()  # (not jamo: a lost character is rarely one)
        for combo in itertools.product(*options):
            if pairs and not all(cc.lost_byte_fits(c, combo[i], combo[j]) for c, i, j in pairs):
                continue
            try:
                ch = bytes(combo).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if ch in known:
                out.append(ch)
    else:
        # (the same characters, in the same order, from the known ones with these bytes)
        tests = [(pos, frozenset(options[pos])) for pos in range(1, length)]
        for data in _known_fitting(options):
            if all(data[pos] in o for pos, o in tests) and (
                not pairs or all(cc.lost_byte_fits(c, data[i], data[j]) for c, i, j in pairs)
            ):
                out.append(data.decode("utf-8"))
    if len(out) > POLICY.max_scored:
        # Only the most frequent can win a posterior vote among this many anyway.
        out.sort(key=_peak)
        del out[POLICY.max_scored :]
    return out


@functools.lru_cache(maxsize=65536)
def _peak(ch: str) -> float:
    """Minus ``ch``'s log-probability in the language that likes it best (a sort key)."""
    model = _model()
    return -float(model.best_char_logprob(ch))


#: A pattern of at most this many byte strings is read byte string by byte string;
#: beyond, the known characters with its known bytes are tested.
_PRODUCT_MAX = 256


def _known_fitting(options: list[tuple[int, ...]]) -> Iterator[bytes]:
    """The UTF-8 of the known characters of this length whose bytes at the places with
    one option are those, by the first of them that narrows most, in byte order (the
    order of :func:`itertools.product` over ``options``)."""
    n = len(options)
    by_lead, by_at = _known_index()
    fixed = [pos for pos in range(1, n) if len(options[pos]) == 1]
    for lead in options[0]:
        if fixed:
            pos = fixed[0]
            yield from by_at.get((n, lead, pos, options[pos][0]), ())
        else:
            yield from by_lead.get((n, lead), ())


@functools.cache
def _known_index() -> tuple[
    dict[tuple[int, int], list[bytes]], dict[tuple[int, int, int, int], list[bytes]]
]:
    """The UTF-8 of the known characters by length and lead byte, and by length, lead
    byte and one continuation byte's place and value; each list in byte order."""
    by_lead: dict[tuple[int, int], list[bytes]] = {}
    by_at: dict[tuple[int, int, int, int], list[bytes]] = {}
    known = _model().known_chars()
    for data in sorted(ch.encode("utf-8") for ch in known if not "\ud800" <= ch <= "\udfff"):
        n = len(data)
        by_lead.setdefault((n, data[0]), []).append(data)
        for pos in range(1, n):
            by_at.setdefault((n, data[0], pos, data[pos]), []).append(data)
    return by_lead, by_at


def _fitting(
    pattern: list[int], single: list[tuple[int, int]], tokens: list[int], codec: str
) -> list[str]:
    """Characters that fit ``pattern`` whose single lost bytes ``codec`` rejects there."""
    if not single:
        return _candidates(pattern, None)
    where = {t: pos for pos, t in single}
    pairs = tuple((codec, pos, where[t + 1]) for pos, t in single if t + 1 in where)
    return _candidates(pattern, None, _fits(single, tokens, codec), pairs)


def _fits(
    single: list[tuple[int, int]], tokens: list[int], codec: str
) -> dict[int, tuple[int, ...]]:
    """For each single lost byte: the bytes ``codec``'s decoder would reject there."""
    out: dict[int, tuple[int, ...]] = {}
    for pos, t in single:
        following = tokens[t + 1] if t + 1 < len(tokens) else -1
        following = following if following >= 0 else -1
        out[pos] = _rejected(codec, following)
    return out


@functools.lru_cache(maxsize=4096)
def _rejected(codec: str, following: int) -> tuple[int, ...]:
    """The high bytes ``codec``'s decoder rejects before ``following`` (-1: unknown)."""
    return tuple(b for b in range(0x80, 0x100) if cc.lost_byte_fits(codec, b, following))


def _folded(single: list[tuple[int, int]], tokens: list[int]) -> dict[int, tuple[int, ...]] | None:
    """The unknown bytes that are folded quotes, with the bytes each can be (see
    :func:`cjkfix.mojibake.tokens._parse_utf8`)."""
    out = {pos: FOLDED_QUOTES[tokens[t]] for pos, t in single if tokens[t] in FOLDED_QUOTES}
    return out or None


def folded_only(u: _Unit, tokens: list[int]) -> bool:
    """Is every unknown byte of ``u`` a curly quote folded to ASCII? Such a character is
    as well formed as one decoded whole (``é"®``: E9, 93 or 94, AE): the model only picks
    between the two quotes, it guesses no lost byte."""
    if u.kind != "lost" or u.alts or not u.pattern:
        return False
    unknown = [i for i, b in enumerate(u.pattern) if b < 0]
    folded = _folded(u.single, tokens) or {}
    return bool(unknown) and all(i in folded for i in unknown)


def _unknowns(u: _Unit) -> int:
    return sum(1 for b in u.pattern if b < 0)


#: A character this much likelier (nats) in one Chinese script than in the other is
#: written in that script only (``须`` -7.7 in zh-Hans, -20.3 in zh-Hant).
_SCRIPT_MARGIN = 5.0


def _script_shown(units: list[_Unit], outside: tuple[str, str], lang: str, sibling: str) -> bool:
    """Do the characters known in a span (or just around it) show it is written in
    ``lang``'s script, not its ``sibling``'s: one of them is that script's alone?"""
    known = "".join(u.text for u in units if u.kind != "lost") + outside[0][-1:] + outside[1][:1]
    return script_shown(known, lang, sibling)


def script_shown(known: str, lang: str, sibling: str) -> bool:
    """Is one of the characters ``known`` ``lang``'s script's alone, not ``sibling``'s?"""
    model = _model()
    return any(
        model.char_logprob(ch, lang) - model.char_logprob(ch, sibling) > _SCRIPT_MARGIN
        for ch in set(known)
        if model.is_cjk(ch)
    )


def _vote(
    cands: list[str],
    values: list[float],
    final: bool,
    posterior: float,
    left: str = "",
    initial: bool = False,
) -> str | None:
    """The candidate with the highest score, if its posterior is high enough.

    ``final``: the lost character ends a line or comes before a space, where the model
    (word lists, no punctuation) needs to be told how sentences end; ``initial``: it
    starts one, where no comma, full stop or closing bracket does."""
    if initial:
        values = [
            v - (POLICY.not_final_penalty if c in _NOT_INITIAL else 0.0)
            for c, v in zip(cands, values, strict=True)
        ]
    if final:
        question = left in _QUESTION_PARTICLES if left else False
        values = [
            v
            + (POLICY.final_bonus if c in _FINAL else 0.0)
            - (POLICY.not_final_penalty if c in _NOT_FINAL else 0.0)
            + (POLICY.question_bonus if question and c == "？" else 0.0)
            for c, v in zip(cands, values, strict=True)
        ]
    best = max(values)
    if _is_mark(cands[values.index(best)]):
        posterior = min(posterior, POLICY.mark_posterior)
    floor = best - POLICY.negligible
    limit = 1.0 / posterior
    z = 0.0
    for v in values:
        if v > floor:
            z += math.exp(v - best)
            if z > limit:
                return None  # (no need to add up the rest)
    return cands[values.index(best)]


def _is_mark(ch: str) -> bool:
    """Is ``ch`` a punctuation mark (CJK or full-width)?"""
    return unicodedata.category(ch)[0] == "P"


#: Closing brackets and their openers: a closer is likely only after its opener. (The
#: CJK brackets, which share a lead with ``、`` and ``。``; not the full-width
#: parentheses, which share one with ``：！？`` that the model tells apart poorly.)
_CLOSERS = {"」": "「", "』": "『", "】": "【", "〉": "〈", "》": "《"}


_OPENERS = {v: k for k, v in _CLOSERS.items()}


@functools.cache
def _bracket_forms() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Each CJK opener, with its forms and its closer's: as written, and as UTF-8 read
    through cp1252 once and twice shows them (a single-byte reader fixes a character's
    form; a double-byte one pairs its last byte with the next character's)."""
    out = []
    for closer, opener in _CLOSERS.items():
        forms = []
        for ch in (opener, closer):
            shown = [ch]
            for _ in range(2):
                try:
                    shown.append(shown[-1].encode("utf-8").decode("cp1252"))
                except UnicodeDecodeError:
                    break  # (an undefined byte: no form of its own)
            forms.append(tuple(shown))
        out.append((opener, forms[0], forms[1]))
    return tuple(out)


@functools.cache
def _bracket_regex() -> re.Pattern[str]:
    forms = {f for _o, opens, closes in _bracket_forms() for f in (*opens, *closes)}
    return re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))


def open_brackets(before: str) -> str:
    """The CJK openers that ``before`` (the line before a span) leaves open, as written
    or as UTF-8 read through cp1252 shows them: context for a lost bracket in the span
    (``ã€Œwordlistã€``: the ``」`` lost its 8D, and the ``「`` is another run's).

        >>> open_brackets("選擇「工具 - "), open_brackets("ã€Œwordlist"), open_brackets("「」")
        ('「', '「', '')
    """
    if not before or _bracket_regex().search(before) is None:
        return ""
    return "".join(
        opener
        for opener, opens, closes in _bracket_forms()
        if sum(map(before.count, opens)) > sum(map(before.count, closes))
    )


def _paired(
    values: list[float], cands: list[str], units: list[_Unit], k: int, opened: str = ""
) -> list[float]:
    """A lost closing bracket (``」``, E3 80 8D, one cp1252 undefined byte away from ``、``)
    is likely where its opener is still open in the span before it (or ``opened`` before
    the span, :func:`open_brackets`), unlikely elsewhere; a lost opening bracket (``【``,
    E3 80 90), where its closer follows."""
    if not any(c in _CLOSERS or c in _OPENERS for c in cands):
        return values
    # (brackets pair within a sentence: a window keeps this linear in the run)
    lo, hi = max(0, k - POLICY.pair_window), k + 1 + POLICY.pair_window
    before = (opened if lo == 0 else "") + "".join(u.text for u in units[lo:k] if u.kind != "lost")
    after = "".join(u.text for u in units[k + 1 : hi] if u.kind != "lost")
    # (only what is known: a lost character before or after may be the partner)
    whole_before = lo == 0 and all(u.kind != "lost" for u in units[:k])
    whole_after = hi >= len(units) and all(u.kind != "lost" for u in units[k + 1 :])
    out = []
    for c, v in zip(cands, values, strict=True):
        opener = _CLOSERS.get(c)
        closer = _OPENERS.get(c)
        if opener is not None:
            if before.count(opener) > before.count(c):
                v += POLICY.paired_bonus
            elif whole_before:
                v -= POLICY.unpaired_penalty
        elif closer is not None:
            if after.count(closer) > after.count(c):
                v += POLICY.paired_bonus
            elif whole_after:
                v -= POLICY.unpaired_penalty
        out.append(v)
    return out


def _restore(
    units: list[_Unit],
    lang: str,
    codec: str,
    tokens: list[int],
    outside: tuple[str, str] = ("", ""),
    posterior: float | None = None,
    budget: list[int] | None = None,
) -> tuple[int, int]:
    """Fill lost units in place where the model is sure; returns (restored, lost).

    ``outside``: the characters just before and after the span in the text, for context
    (the one before after the brackets its line leaves open, :func:`open_brackets`).
    Two sweeps: the second sees the characters the first restored next to each loss.
    """
    model = _model()
    if posterior is None:
        posterior = POLICY.restore_posterior_for(lang)
    hole_bytes = cc.UNDEFINED_BYTES.get(codec)
    if codec == "cp1252":
        # (a no-break space, A0, is lost too: turned into a space and trimmed, or
        # dropped by a copy and paste; ``ê³"`` was 고 before a quote)
        hole_bytes = (*cc.UNDEFINED_BYTES[codec], 0xA0)
    todo: list[tuple[int, list[str]]] = []
    for k, u in enumerate(units):
        if u.kind != "lost":
            continue
        if u.unpinned:
            todo.append((k, []))  # (no candidates: see _Unit.unpinned)
            continue
        cands: list[str] = []
        if u.pattern and u.alts:
            for pattern, single in [(u.pattern, u.single), *u.alts]:
                if hole_bytes is None:
                    more = _fitting(pattern, single, tokens, codec)
                else:
                    more = _candidates(pattern, hole_bytes, _folded(single, tokens))
                cands.extend(c for c in more if c not in cands)
        elif u.pattern:
            if hole_bytes is None and u.single:
                cands = _fitting(u.pattern, u.single, tokens, codec)
            if not cands:
                cands = _candidates(u.pattern, hole_bytes, _folded(u.single, tokens))
        todo.append((k, cands))

    def neighbour(k: int) -> str:
        if k < 0:
            return outside[0][-1:]
        if k >= len(units):
            return outside[1][:1]
        u = units[k]
        return "" if u.kind == "lost" else u.text[:1]

    if budget is None:  # (called outside a text's search: a budget of its own)
        budget = [POLICY.restore_budget_base]
    lost_at = {k for k, _ in todo}

    def beside_restored(k: int) -> bool:
        return any(j in lost_at and units[j].kind == "restored" for j in (k - 1, k + 1))

    cand_of = dict(todo)
    # (the lost units whose every unknown byte is a folded quote: their readings are all
    # there are, one of two curly quotes each)
    folds = {k: cands for k, cands in todo if folded_only(units[k], tokens)}
    sibling = _SIBLING.get(lang)
    if sibling and _script_shown(units, outside, lang, sibling):
        sibling = None
    for sweep in range(2):
        for k, cands in todo:
            if sweep and not beside_restored(k):
                continue  # the second sweep changes nothing without new context
            u = units[k]
            u.kind, u.text = "lost", "\ufffd"
            if not cands or budget[0] <= 0:
                continue
            budget[0] -= 1
            left, right = neighbour(k - 1), neighbour(k + 1)
            final = not right or right.isspace()
            initial = k == 0 and not outside[0][-1:].strip()
            chain = _lost_chain(units, k, folds)
            if chain is not None:
                # (lost neighbours of few readings each, weighed by all their readings:
                # ``ä»"åº"`` is 仓库, each quote one of two; the chain's ends are the
                # context, a lost neighbour no line end)
                values, left, right = _chain_values(chain, k, cand_of, neighbour, lang)
                final = k == chain[-1] and (not right or right.isspace())
                initial = initial and k == chain[0]
            else:
                values = model.candidate_scores(left, cands, right, lang)
            if sibling:
                # The known characters do not tell Simplified from Traditional: each
                # candidate as likely as in the script that likes it better (a
                # Traditional character is no less likely for a span scored as
                # Simplified: ``設`` against ``言``).
                # (a chain weighed the same way in both: its values are of the whole
                # chain, not of one character between two known ones)
                if chain is not None:
                    other = _chain_values(chain, k, cand_of, neighbour, sibling)[0]
                else:
                    other = model.candidate_scores(left, cands, right, sibling)
                values = [max(a, b) for a, b in zip(values, other, strict=True)]
            if any(c in _CLOSERS or c in _OPENERS for c in cands):
                values = _paired(values, cands, units, k, outside[0][:-1])
            # two or more unknown bytes in one character: far more candidates, so
            # the best must be surer
            need = max(posterior, POLICY.many_unknown_posterior) if _unknowns(u) >= 2 else posterior
            if not left.strip() and not right.strip():
                # (no known character on either side: the model has only how frequent
                # each candidate is, ``최��주`` for 최고였죠 with 죠 lost)
                need = max(need, POLICY.no_context_posterior)
            choice = _vote(cands, values, final, need, left, initial)
            if choice is not None:
                u.kind, u.text = "restored", choice
    restored = sum(1 for k, _ in todo if units[k].kind == "restored")
    return restored, len(todo) - restored


def _lost_chain(units: list[_Unit], k: int, cand_of: dict[int, list[str]]) -> list[int] | None:
    """The lost units of ``cand_of`` next to one another around ``k`` (``k`` among them),
    each of at most :attr:`Policy.chain_candidates` readings, where there are two or
    more; else None."""
    limit = POLICY.chain_candidates

    def small(j: int) -> bool:
        cands = cand_of.get(j)
        return cands is not None and 0 < len(cands) <= limit and units[j].kind == "lost"

    if not small(k):
        return None
    lo = hi = k
    while small(lo - 1):
        lo -= 1
    while small(hi + 1):
        hi += 1
    return list(range(lo, hi + 1)) if hi > lo else None


def _chain_values(
    chain: list[int],
    k: int,
    cand_of: dict[int, list[str]],
    neighbour: Callable[[int], str],
    lang: str,
) -> tuple[list[float], str, str]:
    """Each reading of unit ``k`` weighed with every reading of the lost units of
    ``chain`` beside it (summed, forward and backward over the chain, each step a pair
    of the model), between the known characters at its ends; and those two."""
    from cjkfix.beam import logsumexp

    model = _model()
    solo, pair = model._tables(lang)
    get = pair.get
    cands = [cand_of[j] for j in chain]
    left, right = neighbour(chain[0] - 1), neighbour(chain[-1] + 1)
    forward = [[get(left + c, solo[c]) for c in cands[0]]]
    for i in range(1, len(chain)):
        prev, here = cands[i - 1], cands[i]
        forward.append(
            [
                logsumexp([a + get(p + c, solo[c]) for a, p in zip(forward[-1], prev, strict=True)])
                for c in here
            ]
        )
    last = cands[-1]
    backward = [[get(c + right, solo[right]) if right else 0.0 for c in last]]
    for i in range(len(chain) - 2, -1, -1):
        here, nxt = cands[i], cands[i + 1]
        backward.insert(
            0,
            [
                logsumexp([get(c + n, solo[n]) + b for n, b in zip(nxt, backward[0], strict=True)])
                for c in here
            ],
        )
    i = chain.index(k)
    return [f + b for f, b in zip(forward[i], backward[i], strict=True)], left, right
