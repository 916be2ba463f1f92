"""Context: a weak run read as its paragraph's established chain and language.

A paragraph is usually broken one way (issues 9 and 10). Once strong runs (repairs on
their own evidence) establish that it is one legacy encoding read as Latin-1/cp1252, in
one language, a run left over in a line with such a strong run is read that way too, by
the paragraph's one reader: a decoder that reads "as UTF-8, else Latin-1" where the
paragraph shows its UTF-8 side (``Ȩ`` is EUC-KR ``C8 A8``, 홈: alone no evidence of
anything), else a page's cp1252 whose soft hyphens were lost in copy and paste (``¼`` is
EUC-KR ``BC AD``, 서, its trail byte gone). A reading is taken where it reads as the
paragraph's language, in that language's characters, clearly better than the run (the
test a weak candidate of a chain found elsewhere passes), or where it reads whole as
punctuation, one mark per pair of bytes (``¡¢`` is 、, ``¨C`` is –: the model, trained on
word lists, cannot judge a mark). Only the established chain is
tried, so a run of another chain never gains from the context; only runs that no
candidate covers, so a run is never worse than alone.

    >>> from cjkfix import repair
    >>> repair("Ȩ > °Ç¼³½Ç¹« > °Ç¼³ ±â¼úÀÎ")
    '홈 > 건설실무 > 건설 기술인'
    >>> repair("Ȩ > home")  # alone, no evidence
    'Ȩ > home'
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator

from cjkfix import codecs as cc
from cjkfix import fallback, singlebyte
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.select import _Intervals
from cjkfix.mojibake.tables import _SINGLE_BYTE
from cjkfix.mojibake.verdict import _JAMO, Verdict, _Candidate, _judge, _model

__all__ = ["in_context", "page_row"]

#: Bytes a page's reader shows as nothing: the soft hyphen, lost in copy and paste (a
#: browser shows it only where it breaks a line). No other byte is lost: the reader is
#: Latin-1, its C1 controls shown as such.
_HIDDEN = ((0xAD, 0xAD),)


@functools.cache
def page_row(original: str) -> singlebyte.Row:
    """``original``'s bytes read as Latin-1 in a page, soft hyphens hidden: a row of
    :mod:`cjkfix.singlebyte`, read by its lattice (a soft hyphen lost where the
    original codec needs a byte, restored only where the model is sure).

        >>> row = page_row("euc-kr")
        >>> "".join(singlebyte.shown(row, b) or "" for b in "도서".encode("cp949"))
        'µµ¼'
    """
    return singlebyte.Row(
        f"{original}>latin-1-shy-lost",
        cc.ORIGINAL_DECODERS[original],
        "latin-1",
        c1="cp1252",
        invisible=_HIDDEN,
        ascii_inside=True,
    )


def _established(
    found: tuple[_Candidate, ...], least: int = POLICY.context_runs
) -> tuple[str, str] | None:
    """(original encoding, language) of the paragraph: legacy bytes read as Latin-1 or
    cp1252 in one language, by at least ``least`` strong runs that cover
    :attr:`~Policy.context_share` of what the strong runs cover; else None."""
    weight: dict[tuple[str, str], int] = {}
    runs: dict[tuple[str, str], int] = {}
    total = 0
    for c in found:
        if not c.strict:
            continue
        total += c.end - c.start
        if len(c.chain) == 2 and c.chain[0] in cc.LEGACY and c.chain[1] in _SINGLE_BYTE:
            key = (c.chain[0], c.lang)
            weight[key] = weight.get(key, 0) + c.end - c.start
            runs[key] = runs.get(key, 0) + 1
    if not weight:
        return None
    best = max(weight, key=weight.__getitem__)
    if runs[best] < least or weight[best] < POLICY.context_share * total:
        return None
    return best


def _left(text: str, taken: _Intervals) -> Iterator[tuple[int, int]]:
    """The pieces of Latin-1 and fallback runs that no candidate covers."""
    for m in fallback.RUN.finditer(text):
        start = m.start()
        for i in range(m.start(), m.end() + 1):
            if i < m.end() and taken.free(i, i + 1):
                continue
            if i > start and any(ord(ch) > 0x7F for ch in text[start:i]):
                yield start, i
            start = i + 1


def _readings(run: str, original: str, utf8_side: bool) -> Iterator[tuple[str, int]]:
    """(text, characters restored) for each reading of ``run`` as ``original`` by the
    paragraph's reader: "UTF-8, else Latin-1" where the paragraph shows its UTF-8 side
    (``utf8_side``), else a page's cp1252, soft hyphens hidden (no character left lost,
    and no byte but a soft hyphen lost: the reading, shown again, is the run)."""
    if utf8_side:
        for enc, after in fallback.readings(run, alone=False):
            if enc == original:
                yield after, 0
        return
    row = page_row(original)
    got = singlebyte.repair_run(run, row)
    if got is not None and (got.solid >= 1 or got.marks >= 1) and not got.unsure:
        shown = [singlebyte.shown(row, b) for b in got.text.encode(row.original)]
        if None not in shown and "".join(ch or "" for ch in shown) == run:
            yield got.text, got.restored


def _reads_as(after: str, lang: str) -> bool:
    """Is ``after`` CJK text (its non-ASCII characters CJK, or compatibility jamo)?"""
    model = _model()
    wide = [ch for ch in after if ord(ch) > 0x7F]
    return bool(wide) and all(ch in _JAMO or model.is_cjk(ch) for ch in wide)


def _marks(after: str) -> bool:
    """Is ``after`` punctuation alone (``–``, ``“``), around ASCII spaces?"""
    wide = after.strip()
    return bool(wide) and all(
        ord(ch) > 0x7F and unicodedata.category(ch).startswith("P") for ch in wide
    )


def _weak_ok(v: Verdict, lang: str) -> bool:
    """Does the verdict ``v`` pass the weak test, in the paragraph's language?"""
    return v.lang == lang and (
        v.ok or (v.gain >= POLICY.relaxed_min_gain and v.score_after >= POLICY.low_fluency)
    )


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isascii() and ch.isalpha())


def _read(
    run: str, original: str, lang: str, utf8_side: bool, marks_only: bool = False
) -> _Candidate | None:
    """The best reading of ``run`` as ``original`` that reads as ``lang``, in that
    language's characters, no ASCII letter made, and clearly better than the run (the
    weak test)."""
    best: _Candidate | None = None
    for after, restored in _readings(run, original, utf8_side):
        if _letters(after) > _letters(run):
            continue
        v = _judge(run, after, 0)
        if _marks(after):
            # (punctuation alone: the model, trained on word lists, cannot judge it; the
            # paragraph's chain reads it whole, one mark for each pair of bytes)
            if restored or 2 * len(after.strip()) != len(run.strip()):
                continue
        elif marks_only or not _reads_as(after, lang) or not _weak_ok(v, lang):
            continue
        if best is None or v.gain > best.gain:
            c = _Candidate(
                0,
                len(run),
                after,
                [original, "cp1252"],
                v.gain,
                v.score_before,
                v.score_after,
                v.lang,
                restored,
                0,
                strict=False,
            )
            best = c
    return best


def in_context(text: str, found: tuple[_Candidate, ...]) -> list[_Candidate]:
    """Readings of the runs ``found`` leaves, where the paragraph ``text`` has an
    established chain and language (see the module docstring); weak candidates."""
    established = _established(found)
    # (a mark, two bytes read as one punctuation mark, asks less: one strong run)
    marks_only = established is None
    if marks_only:
        established = _established(found, 1)
    if established is None:
        return []
    original, lang = established
    taken = _Intervals()
    for c in found:
        taken.add(c.start, c.end)
    # One reader per paragraph: a soft hyphen still shown says no copy and paste lost
    # them, and a character of the UTF-8 side says the decoder fell back to Latin-1.
    utf8_side = fallback.shown_in(text)
    if not utf8_side and "\xad" in text:
        return []
    # (and only in a line where the chain has a strong run: a line without one may be
    # clean text, ``ı`` in Turkish, beside the mojibake)
    lines = {
        text.rfind("\n", 0, c.start) + 1
        for c in found
        if c.strict and c.chain[0] == original and c.lang == lang
    }
    extra: list[_Candidate] = []
    for start, end in _left(text, taken):
        if text.rfind("\n", 0, start) + 1 not in lines:
            continue
        if (
            "\x40" <= text[end : end + 1] <= "\x7e"
            and not text[end + 1 : end + 2].isalnum()
            and taken.free(end, end + 1)
        ):
            end += 1  # (a trail byte in ASCII ending the run: ``¨C`` is GBK A8 43, ``–``)
        if text[start - 1 : start].isalpha() or text[end : end + 1].isalpha():
            continue  # (a letter beside it: part of a word)
        got = _read(text[start:end], original, lang, utf8_side, marks_only)
        if got is not None:
            got.start, got.end = start, end
            extra.append(got)
    return extra
