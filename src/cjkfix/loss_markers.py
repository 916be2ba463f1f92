"""Loss markers: the traces that lost bytes leave in text.

* ``锟斤拷``: two U+FFFD written as UTF-8 (``EF BF BD EF BF BD``) and read as GBK. It
  stands for one character that was already lost; :func:`cjkfix.repair` turns each
  ``锟斤拷`` back into the one U+FFFD it stands for.
* ``烫烫烫`` / ``屯屯屯``: uninitialised MSVC stack (``0xCC``) or heap (``0xCD``) memory
  read as GBK. ``烫`` and ``屯`` are real words, so only runs of three or more are reported
  (with more confidence the longer the run); they are never changed.
* runs of U+FFFD: reported, never changed.

    >>> from cjkfix import repair
    >>> repair("文件名：锟斤拷锟斤拷.txt")
    '文件名：��.txt'
    >>> repair("烫烫的汤")
    '烫烫的汤'
"""

from __future__ import annotations

import re

from cjkfix.config import Config
from cjkfix.registry import Fixer, register
from cjkfix.steps import Edit, Finding

__all__ = ["FIXER", "detect", "fix", "gate"]

_KUNJINKAO = re.compile("(?:锟斤拷)+")
_GATE = re.compile("锟斤拷|烫烫烫|屯屯屯|\ufffd")
_FILL = re.compile("烫{3,}|屯{3,}")
_FFFD = re.compile("\ufffd+")


def gate(text: str) -> bool:
    return _GATE.search(text) is not None


def fix(text: str, config: Config) -> list[Edit]:
    edits: list[Edit] = []
    for m in _KUNJINKAO.finditer(text):
        n = len(m.group()) // 3
        edits.append(
            Edit(
                m.start(),
                m.end(),
                "\ufffd" * n,
                reason="loss marker: U+FFFD U+FFFD as utf-8 decoded as gbk (锟斤拷)",
                confidence=0.99,
                evidence={"chain": ["utf-8", "gbk"], "markers": n, "lost_characters": n},
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
