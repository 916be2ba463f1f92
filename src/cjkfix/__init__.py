"""cjkfix: repair broken Chinese, Japanese and Korean text.

    >>> import cjkfix
    >>> cjkfix.repair("開源AI戰(zhàn)略")
    '開源AI戰略'
    >>> cjkfix.repair("條件(a)和(1)")
    '條件(a)和(1)'

Clean text comes back unchanged (the same string), and every change is a named,
replayable step: see :func:`repair_and_explain` and :func:`apply_plan`.
"""

from __future__ import annotations

import functools
from typing import Any

from cjkfix import _byref
from cjkfix.config import DEFAULT, Config, check_option_names
from cjkfix.decode import Decoded, decode, repair_file
from cjkfix.pipeline import Repair, detect_text, needs_work, run, run_needed
from cjkfix.steps import Finding, Step, apply_plan

__all__ = [
    "Config",
    "Decoded",
    "Finding",
    "Repair",
    "Step",
    "__version__",
    "apply_plan",
    "convert",
    "decode",
    "detect",
    "repair",
    "repair_and_explain",
    "repair_file",
]

__version__ = "0.1.0"

# Last, once every submodule that repair uses is imported: see cjkfix._byref.
_byref.pickle_by_reference(__name__)


def _require_str(text: object, func: str) -> None:
    if isinstance(text, str):
        return
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{func}() takes text (str), not {type(text).__name__}: decode it first, "
            "e.g. data.decode('utf-8'), or use cjkfix.decode(data).text, which "
            "finds the encoding and repairs (cjkfix.repair_file for a file)"
        )
    raise TypeError(f"{func}() takes text (str), not {type(text).__name__}")


_DEFAULT = DEFAULT


def _config(config: Config | None, options: dict[str, Any]) -> Config:
    if config is None and not options:
        return _DEFAULT
    if config is not None and not isinstance(config, Config):
        raise TypeError(f"config must be a cjkfix.Config, not {type(config).__name__}")
    try:
        return _config_for(config, tuple(options), *options.values())
    except TypeError:
        # A bad option, or an unhashable value that cannot be a key: build the Config
        # uncached, which raises the option's own error (errors are never cached).
        return (config or _DEFAULT).with_options(**options)


# typed=True makes each value's type part of the key: ruby=1 equals ruby=True but is refused.
@functools.lru_cache(maxsize=256, typed=True)
def _config_for(config: Config | None, names: tuple[str, ...], *values: Any) -> Config:
    # Building and validating a Config costs a few microseconds, as much as repairing a
    # clean sentence; a pipeline calls repair with the same options on every row.
    options = dict(zip(names, values, strict=True))
    check_option_names(options)
    return (config or _DEFAULT).with_options(**options)


def convert(text: str, config: str) -> str:
    """``text`` converted by OpenCC configuration (or friendly name) ``config``: OpenCC
    1.4.2's exact output (see :mod:`cjkfix.script`; its tables load on first use).

        >>> convert("发展", "s2t")
        '發展'
    """
    from cjkfix.script import convert as _convert

    return _convert(text, config)


def repair_and_explain(
    text: str, *, to: str | None = None, config: Config | None = None, **options: Any
) -> Repair:
    """Repair ``text`` and say how: a :class:`Repair` of the new text and its steps.

    Options are the fields of :class:`Config` (``ruby=False`` switches that fixer off).

        >>> fixed, steps = repair_and_explain("戰(zhàn)略")
        >>> fixed, steps[0].fixer, steps[0].before
        ('戰略', 'ruby', '(zhàn)')
    """
    _require_str(text, "repair_and_explain")
    if to is not None:
        options["to"] = to
    return run(text, _config(config, options))


def repair(
    text: str, *, to: str | None = None, config: Config | None = None, **options: Any
) -> str:
    """Repair ``text``; :func:`repair_and_explain` without the explanation.

    >>> repair("發(fā)展")
    '發展'
    """
    # (the checks of the calls below inline: a clean line takes about a microsecond)
    if not isinstance(text, str):
        _require_str(text, "repair")
    if to is not None:
        options["to"] = to
    cfg = _DEFAULT if config is None and not options else _config(config, options)
    # run() without the Repair it makes of clean text (most text): the same gate first
    if not needs_work(text, cfg):
        return text
    return run_needed(text, cfg).text


def detect(text: str, *, config: Config | None = None, **options: Any) -> list[Finding]:
    """Report what is broken in ``text``, where and how sure; change nothing.

    >>> [(f.family, f.start, f.end) for f in detect("戰(zhàn)略")]
    [('ruby', 1, 7)]
    """
    _require_str(text, "detect")
    return detect_text(text, _config(config, options))
