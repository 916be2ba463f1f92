"""Regexes compiled on first use: ``import cjkfix`` stays cheap (compiling a class over
large Unicode ranges costs milliseconds each)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["LazyRegex"]


class LazyRegex:
    """A stand-in for ``re.compile(pattern, flags)`` that compiles on first use.

    >>> r = LazyRegex("[\\u4e00-\\u9fff]+")
    >>> r.search("abc中文").group()
    '中文'
    """

    #: The compiled pattern's methods, bound to it once it is compiled: a call through
    #: the stand-in then costs one slot lookup (``__getattr__`` runs only before).
    _METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")

    __slots__ = ("_compiled", "flags", "pattern", *_METHODS)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        c = self._compiled
        if c is None:
            # (two threads may both compile: the same pattern, either one serves)
            c = re.compile(self.pattern, self.flags)
            for name in self._METHODS:
                setattr(self, name, getattr(c, name))
            self._compiled = c
        return c

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)
