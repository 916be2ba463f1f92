"""The rules the engine asks of its readings once they are made (stage ``engine``):
which to keep, which to drop, which to report. Registered in
:data:`cjkfix.mojibake.rules.RULES` like every rule, each with its own tests
(``tests/test_mojibake_rules.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

from cjkfix import western
from cjkfix.mojibake.gate import gate
from cjkfix.mojibake.policy import POLICY
from cjkfix.mojibake.rules import rule
from cjkfix.mojibake.verdict import _Candidate, _model, _nonascii

__all__ = ["decoder_cover"]


@rule("utf8_explains", "engine")
def utf8_explains(text: str, c: _Candidate) -> bool:
    """Is ``c`` a legacy reading of a span whose bytes under a single-byte codec are
    valid UTF-8 (at least one multi-byte character) that ftfy takes for mojibake?"""
    if c.chain[0] == "utf-8" or c.chain[-1] not in ("latin-1", "cp1252"):
        return False
    return western.ftfy_reads(text[c.start : c.end])


@rule("rare_in_lossy", "engine")
def rare_in_lossy(before: str, c: _Candidate) -> bool:
    """Does a reading of a span with lost bytes bring in a character the model has hardly
    seen in any language? With bytes lost, the bytes after a loss may be read out of
    step, and what comes out is a rare character (``饩`` in ``再茸≌饩频`` for ``再入住这酒店``): the
    reading is not trusted. Rare characters already in the span, and spans without a
    loss, are not this rule's business."""
    if not c.lost and not c.restored and "\ufffd" not in before and "?" not in before:
        return False
    model = _model()
    return any(
        ord(ch) > 0x7F and ch != "\ufffd" and model.best_char_logprob(ch) < POLICY.lossy_rare
        for ch in set(c.after) - set(before)
    )


@rule("another_decoder", "engine")
def another_decoder(c: _Candidate, cover: Mapping[str, int], runs: Mapping[str, int]) -> bool:
    """Is ``c`` read through another double-byte decoder than the one that read its
    line (``cover`` and ``runs``: how many characters the line's readings through each
    double-byte codec cover, and how many readings there are)? One decoder showed a
    line: where at least :attr:`~Policy.decoder_runs` readings through one double-byte
    codec cover :attr:`~Policy.decoder_share` times what readings through any other
    cover, a reading through another (``膦呺岆`` as GBK read as Big5, ``觊蒜是``, between
    Korean read as GBK) is a coincidence of bytes, not a repair."""
    wrong = c.chain[-1]
    if wrong not in cover:
        return False
    top = max(cover, key=lambda w: (cover[w], w))
    if top == wrong or runs[top] < POLICY.decoder_runs:
        return False
    return all(cover[top] >= POLICY.decoder_share * v for w, v in cover.items() if w != top)


def decoder_cover(line: list[_Candidate]) -> tuple[dict[str, int], dict[str, int]]:
    """What the readings of a line through each double-byte codec cover (characters),
    and how many there are: what :func:`another_decoder` is asked with."""
    from cjkfix.mojibake.tables import _DOUBLE_BYTE

    cover: dict[str, int] = {}
    runs: dict[str, int] = {}
    for other in line:
        w = other.chain[-1]
        if w in _DOUBLE_BYTE:
            cover[w] = cover.get(w, 0) + other.end - other.start
            runs[w] = runs.get(w, 0) + 1
    return cover, runs


@rule("still_mojibake", "engine")
def still_mojibake(before: str, c: _Candidate) -> bool:
    """Is ``c``'s reading itself UTF-8 shown by the same double-byte codec, where the
    span is mojibake too? Then it undid one layer of a chain applied twice and left the
    other (``闆斤拷`` read once as UTF-8 through GBK is ``靸來``, Korean read through
    GBK): a layer of damage swapped for another, no repair. The test: a run of the
    reading that the gate takes for mojibake, in CJK characters, whose bytes in that
    codec hold two or more characters of UTF-8 the model knows (rare characters read
    right, ``壹貳參肆``, hold none)."""
    from cjkfix.mojibake.gate import _runs_regex, has_mojibake_run
    from cjkfix.mojibake.tables import _DOUBLE_BYTE
    from cjkfix.mojibake.utf8_lines import MIN_WHOLE, _whole

    wrong = c.chain[-1]
    if wrong not in _DOUBLE_BYTE or not has_mojibake_run(before):
        return False
    model = _model()
    return any(
        any(model.is_cjk(ch) for ch in m.group()) and _whole(m.group(), wrong) >= MIN_WHOLE
        for m in _runs_regex().finditer(c.after)
    )


@rule("only_signs", "engine")
def only_signs(before: str) -> bool:
    """Is the span only Latin-1's everyday signs and ASCII (``±±±±°C``, ``±°C²±``)? Then,
    unless another span of the paragraph shows mojibake, it is a measurement or a row of
    signs: GBK or Big5 read byte by byte gives such spans (``B1 B1`` is 北 in GBK, 控 in
    Big5), but so does clean text. Inside Korean mojibake ``±×`` is 그 (EUC-KR)."""
    from cjkfix import singlebyte

    return singlebyte.signs_only(before)


@rule("evident", "engine")
def evident(before: str, c: _Candidate) -> bool:
    """Is a weak candidate worth reporting? Only a span of two or more non-ASCII
    characters that passes the gate on its own (a run of what mojibake is made of, not
    one rare character), whose reading reads a character beyond ASCII (not just U+FFFD
    and the span's own ASCII: ``“????“`` read as Shift_JIS through cp1252 gives
    ``�??�``, found by Hypothesis in clean text) and makes no ASCII appear (``甯波``
    read as Shift_JIS bytes gives ``팔g``: a clean word, not mojibake). Not a span of
    one character repeated: that is typing (``““““““``, read as EUC-KR through cp1252,
    ``뱭뱭뱭``, and with ASCII among them, ``““@““““``: found by Hypothesis in clean
    text)."""
    after = c.after
    if _nonascii(before) < 2 or not gate(before):
        return False
    if len({ch for ch in before if ch >= "\x80"}) == 1:
        return False
    if _nonascii(after) == after.count("\ufffd"):
        return False
    return len(after) - _nonascii(after) <= len(before) - _nonascii(before)
