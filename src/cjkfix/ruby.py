"""Ruby annotation leaks: ``戰(zhàn)略`` -> ``戰略``.

Sites annotate characters with ``<ruby>`` readings; flattening the HTML leaves the reading
in parentheses after the character. An annotation is removed only when it is a reading
of the Han character right before it (pypinyin's table, compared without tones, so tone
sandhi, neutral tones and erhua match). Everything else in parentheses stays:

    >>> from cjkfix.config import Config
    >>> def run(text, **kw):
    ...     edits = fix(text, Config(**kw))
    ...     for e in reversed(edits):
    ...         text = text[: e.start] + e.after + text[e.end :]
    ...     return text
    >>> run("開發(fā)閉源模型(AGI)，條件(a)")
    '開發閉源模型(AGI)，條件(a)'
    >>> run("你(nǐ)好(hǎo)"), run("你(nǐ)好(hǎo)", keep_ruby_runs=True)
    ('你好', '你(nǐ)好(hǎo)')
"""

from __future__ import annotations

import re

from cjkfix import readings
from cjkfix.charclasses import HAN
from cjkfix.config import Config
from cjkfix.registry import Fixer, register
from cjkfix.steps import Edit

__all__ = ["fix", "gate"]

_PINYIN = "[A-Za-z\u00c0-\u024f\u1e3f\u0300-\u036f:]{1,8}[1-5]?"
_ZHUYIN = "\u02d9?[\u3105-\u312f\u31a0-\u31bf]{1,4}[\u02ca\u02c7\u02cb\u02d9]?"
ANNOTATION_RE = re.compile(
    rf"(?P<han>{HAN})[(（][ \u3000]?(?P<reading>{_PINYIN}|{_ZHUYIN})[ \u3000]?[)）]"
)
_TONE_MARKED = re.compile("[\u0300-\u036f\u00e0-\u00ff\u0100-\u024f\u1e3f]")

# How sure each style of annotation makes us, and whether it stands on its own.
# Toneless ASCII (``(zhan)``) can collide with an English word or a letter; a single
# letter or a capitalised word (``李(Li)``, a name gloss) is removed only when the same
# text has an unambiguous annotation too.
_CONFIDENT = {"zhuyin": 0.98, "tone marks": 0.97, "tone number": 0.95, "toneless": 0.85}


def _style(reading: str) -> str:
    if "\u3105" <= reading[-1] <= "\u31bf" or reading[-1] in "\u02ca\u02c7\u02cb\u02d9":
        return "zhuyin"
    if reading[-1].isdigit():
        return "tone number"
    if _TONE_MARKED.search(reading.lower().replace("ü", "")):
        return "tone marks"
    return "toneless"


def gate(text: str) -> bool:
    return ANNOTATION_RE.search(text) is not None


def fix(text: str, config: Config) -> list[Edit]:
    accepted: list[tuple[re.Match[str], str]] = []
    corroborated = False
    for m in ANNOTATION_RE.finditer(text):
        reading = m.group("reading")
        if not readings.is_reading(m.group("han"), reading):
            continue
        style = _style(reading)
        if style != "toneless":
            corroborated = True
        accepted.append((m, style))

    edits: list[Edit] = []
    for i, (m, style) in enumerate(accepted):
        reading = m.group("reading")
        weak = style == "toneless" and (len(reading) < 2 or not reading.islower())
        if weak and not corroborated:
            continue
        in_run = (i > 0 and accepted[i - 1][0].end() == m.start()) or (
            i + 1 < len(accepted) and accepted[i + 1][0].start() == m.end()
        )
        if in_run and config.keep_ruby_runs:
            continue
        han = m.group("han")
        edits.append(
            Edit(
                start=m.start() + len(han),
                end=m.end(),
                after="",
                reason=f"leaked ruby: {reading!r} is a reading of {han} ({style})",
                confidence=0.7 if weak else _CONFIDENT[style],
                evidence={
                    "char": han,
                    "annotation": reading,
                    "style": style,
                    "readings": sorted(readings.readings(han)),
                    "in_run": in_run,
                },
            )
        )
    return edits


FIXER = register(
    Fixer("ruby", gate=gate, fix=fix, gate_pattern=ANNOTATION_RE.pattern, gate_chars="(（")
)
