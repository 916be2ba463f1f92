"""The immutable configuration shared by :func:`cjkfix.repair`, the fixers and the CLI.

Every field is also a keyword argument of :func:`cjkfix.repair`, and every fixer can be
switched off by passing its name as ``False``::

    >>> from cjkfix.config import Config
    >>> Config().with_options(ruby=False).ruby
    False
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT", "FIXER_NAMES", "Config"]

#: The fixers in the order the pipeline runs them; each is also a boolean option.
#: Narrowing comes before mojibake: it leaves lines holding mojibake alone, while after
#: the mojibake repair it would see that repair's U+FFFD (lost characters) as its own
#: lost bytes and fill them.
#: Escapes come first: the characters they stand for may be the damage the others repair.
#: Replacement comes before loss markers (it reads a 锟斤拷 run of its chain whole, where
#: turning its 锟斤拷 into U+FFFD would break the run) and before narrowing (which would
#: read its U+FFFD as lost GBK bytes).
FIXER_NAMES: tuple[str, ...] = (
    "escapes",
    "replacement",
    "loss_markers",
    "narrowing",
    "mojibake",
    "ruby",
)


@dataclasses.dataclass(frozen=True)
class Config:
    """What :func:`cjkfix.repair` may change.

    Fixers (each ``True`` by default; ``False`` switches it off):

    * ``escapes``: decode CJK text left as escapes (``\\u00e4\\u00b8\\u00ad``,
      ``#xff1a;`` with its ``&`` lost, percent-escapes in prose, ``<C9><BE>``), never in
      URLs or code spans.
    * ``loss_markers``: turn ``锟斤拷`` back into the U+FFFD it stands for (and report
      ``烫烫烫``/``屯屯屯`` fill bytes and runs of U+FFFD).
    * ``replacement``: GBK, Big5, Shift_JIS or EUC-KR text read as UTF-8 with U+FFFD
      (``\ufffdҲ\ufffd\ufffd``, and its ``锟斤拷`` follow-up): the junk letters go, the
      characters whose bytes survived come back, one U+FFFD per lost character.
    * ``mojibake``: undo text decoded with the wrong codec (``浣犲ソ`` -> ``你好``). Its
      gate looks for runs of the characters mojibake is made of (not single rare
      characters), so clean text rarely gets past one regex scan.
    * ``narrowing``: undo a byte-level full-width-to-ASCII pass (or an inserted
      annotation) that split a GBK character.
    * ``ruby``: remove ruby readings leaked into the text, ``戰(zhàn)略`` -> ``戰略``.

    Other options:

    * ``keep_ruby_runs``: keep annotations when several characters in a row carry one
      (``你(nǐ)好(hǎo)`` is often a deliberate teaching text); default ``False`` strips them.
    * ``to``: convert the script after repairing: an OpenCC configuration name
      (``"s2t"``, ``"t2s"``, ...), a friendly name (``"zh-Hans"``, ``"zh-Hant"``,
      ``"zh-TW"``, ``"zh-HK"``) or ``"auto"``; ``None`` (default) converts nothing.
    """

    escapes: bool = True
    loss_markers: bool = True
    mojibake: bool = True
    replacement: bool = True
    narrowing: bool = True
    ruby: bool = True
    keep_ruby_runs: bool = False
    to: str | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name == "to":
                if value is not None and not isinstance(value, str):
                    raise TypeError(
                        f"option 'to' must be a str or None, not {type(value).__name__}"
                    )
            elif not isinstance(value, bool):
                raise TypeError(f"option {field.name!r} must be True or False, not {value!r}")

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    def with_options(self, **options: Any) -> Config:
        """A copy with ``options`` changed; an unknown name raises ``TypeError``."""
        check_option_names(options)
        return dataclasses.replace(self, **options) if options else self

    def enabled(self, fixer: str) -> bool:
        return bool(getattr(self, fixer))


#: The configuration of a call without options (immutable, shared).
DEFAULT = Config()


def check_option_names(options: Mapping[str, Any]) -> None:
    valid = Config.option_names()
    unknown = [name for name in options if name not in valid]
    if unknown:
        raise TypeError(
            f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"valid options are: {', '.join(valid)}"
        )
