"""Loss markers: the traces that lost bytes leave in text.

* ``锟斤拷``: two U+FFFD written as UTF-8 (``EF BF BD EF BF BD``) and read as GBK. It
  stands for one character that was already lost; inside damaged text :func:`cjkfix.repair`
  turns each ``锟斤拷`` back into the one U+FFFD it stands for.
* ``烫烫烫`` / ``屯屯屯``: uninitialised MSVC stack (``0xCC``) or heap (``0xCD``) memory
  read as GBK. ``烫`` and ``屯`` are real words, so only runs of three or more are reported
  (with more confidence the longer the run); they are never changed.
* runs of U+FFFD: reported, never changed.

``锟斤拷`` is also a word: pages that explain it, and the programmers' joke poem
(``手持两把锟斤拷，口中疾呼烫烫烫``), use it as one. So a run is replaced only with evidence
that it stands in damaged text (:func:`damaged`): U+FFFD, a stray ``锟`` or mojibake right
beside it, a run of two or more markers, a marker glued to a file
name or Latin word, or a text that is nothing but markers; never when it is quoted or the text talks
about encodings.

    >>> from cjkfix import repair
    >>> repair("文件名：锟斤拷锟斤拷.txt")
    '文件名：��.txt'
    >>> repair("手持两把锟斤拷，口中疾呼烫烫烫。")
    '手持两把锟斤拷，口中疾呼烫烫烫。'
    >>> repair("烫烫的汤")
    '烫烫的汤'
"""

from __future__ import annotations

import re

from cjkfix._lazyre import LazyRegex
from cjkfix._scan import contains_any
from cjkfix.config import Config
from cjkfix.registry import Fixer, fixers, register
from cjkfix.steps import Edit, Finding

__all__ = ["FIXER", "damaged", "detect", "fix", "gate"]

_KUNJINKAO = LazyRegex("(?:锟斤拷)+")
_GATE_WORDS = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯")
_GATE = LazyRegex("|".join(_GATE_WORDS))
_FILL = LazyRegex("烫{3,}|屯{3,}")
_FFFD = LazyRegex("\ufffd+")


def gate(text: str) -> bool:
    # ``_GATE.search(text) is not None``, a substring test at a time (a text holds a
    # match of the alternation exactly where it holds one of the words): see cjkfix._scan.
    return contains_any(text, _GATE_WORDS)


# Text that talks about mojibake: a marker there is the subject of a sentence.
_DISCUSSION = LazyRegex(
    r"乱码|亂碼|编码|編碼|字符集|字元|打油诗|打油詩|由来|由來|GBK|UTF-?8|Unicode|EFBFBD|0xEF",
    re.IGNORECASE,
)
_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'", "`": "`", "《": "》"}
# What a marker's neighbourhood holds in damaged text: U+FFFD, a lone piece of a
# marker (an odd number of lost bytes: ``锟`` is no word, unlike ``斤`` and ``拷``).
# Not ``?``: with full-width punctuation folded, ``什么是锟斤拷?`` is a clean question.
_LOSS_NEAR = LazyRegex("[\ufffd锟]")
MOJIBAKE_BESIDE = "mojibake beside it"
_WORD_GLUE = LazyRegex("[A-Za-z0-9_.\\/-]")


def damaged(
    text: str,
    start: int,
    end: int,
    *,
    discussed: bool | None = None,
    alone: bool | None = None,
) -> str | None:
    """Why the ``锟斤拷`` run at ``text[start:end]`` stands in damaged text, or ``None``
    when it may be a word. ``discussed`` (the text talks about encodings) and ``alone``
    (the text is nothing but markers) are worked out once per text by :func:`fix`.

    >>> damaged("手持两把锟斤拷，", 4, 7) is None
    True
    >>> damaged("下载文件锟斤拷\ufffd", 4, 7)
    'U+FFFD or a lost byte beside it'
    """
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before in _QUOTES and after == _QUOTES[before]:
        return None
    if _LOSS_NEAR.match(before) or _LOSS_NEAR.match(after):
        return "U+FFFD or a lost byte beside it"
    if _mojibake_beside(text, start, end):
        return MOJIBAKE_BESIDE
    if discussed is None:
        discussed = _DISCUSSION.search(text) is not None
    if discussed:
        return None
    if alone is None:
        alone = _KUNJINKAO.fullmatch(text.strip()) is not None
    if alone:
        return "nothing but markers"
    if end - start >= 6:
        return "a run of markers (several characters lost in a row)"
    if _WORD_GLUE.match(before) or _WORD_GLUE.match(after):
        return "glued to a file name or word"
    return None


def _mojibake_beside(text: str, start: int, end: int) -> bool:
    mojibake = fixers().get("mojibake")
    if mojibake is None:
        return False
    near = (text[max(0, start - 6) : start], text[end : end + 6])
    return any(mojibake.gate(side.replace("锟斤拷", "")) for side in near)


def fix(text: str, config: Config) -> list[Edit]:
    edits: list[Edit] = []
    discussed = _DISCUSSION.search(text) is not None
    alone = _KUNJINKAO.fullmatch(text.strip()) is not None
    for m in _KUNJINKAO.finditer(text):
        why = damaged(text, m.start(), m.end(), discussed=discussed, alone=alone)
        if why is None or (why == MOJIBAKE_BESIDE and config.mojibake):
            # Beside mojibake the marker is part of that chain: the mojibake fixer
            # repairs the run with it (turning it into U+FFFD first would break the chain).
            continue
        n = len(m.group()) // 3
        edits.append(
            Edit(
                m.start(),
                m.end(),
                "\ufffd" * n,
                reason="loss marker: U+FFFD U+FFFD as utf-8 decoded as gbk (锟斤拷)",
                confidence=0.99,
                evidence={
                    "chain": ["utf-8", "gbk"],
                    "markers": n,
                    "lost_characters": n,
                    "damaged": why,
                },
            )
        )
    return edits


def detect(text: str, config: Config) -> list[Finding]:
    findings: list[Finding] = []
    for m in _FILL.finditer(text):
        n = len(m.group())
        which = "0xCC (uninitialised stack)" if m.group()[0] == "烫" else "0xCD (heap)"
        message = f"MSVC fill bytes {which} read as gbk: uninitialised memory, nothing to restore"
        findings.append(_finding(m, min(0.95, 0.3 + 0.1 * n), message))
    for m in _FFFD.finditer(text):
        message = f"{len(m.group())} U+FFFD replacement character(s): bytes lost when decoding"
        findings.append(_finding(m, 0.9, message))
    return findings


def _finding(m: re.Match[str], confidence: float, message: str) -> Finding:
    return Finding(
        family="loss_markers",
        start=m.start(),
        end=m.end(),
        text=m.group(),
        confidence=confidence,
        message=message,
    )


FIXER = register(
    Fixer(
        "loss_markers",
        gate=gate,
        fix=fix,
        detect=detect,
        gate_pattern=_GATE.pattern,
        gate_chars="锟烫屯\ufffd",
    )
)
