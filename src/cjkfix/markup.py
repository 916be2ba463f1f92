"""HTML markup around a lost byte: the one context that names a swallowed ASCII byte.

A decoder that swallows the byte after a bad lead (a Windows double-byte decoder, the
seed pages' decoder) often takes a tag's ``<``: ``起動</span>`` comes back as
``起勁E/span>``. Nothing but the markup names such a byte; where the rest of a tag
follows it, it was ``<``.

    >>> bool(tag_tail("/span> and more", 0)), bool(tag_tail("/ 2 > 1", 0))
    (True, False)
"""

from __future__ import annotations

import re

from cjkfix._lazyre import LazyRegex

__all__ = ["TAG_LOOK", "TAG_TAIL", "tag_tail"]

#: How far a tag's rest is looked for after a lost byte: one long line without ``>``
#: would otherwise be scanned to its end for every lost byte on it (quadratic).
TAG_LOOK = 256

#: The rest of a tag, as a regex (for lookaheads in other patterns: bounded as
#: :func:`tag_tail` is).
TAG_TAIL = rf"/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]{{0,{TAG_LOOK}}})?>"
_TAG_TAIL_RE = LazyRegex(TAG_TAIL)


def tag_tail(text: str, pos: int) -> re.Match[str] | None:
    """The rest of an HTML tag (all but its ``<``) starting at ``pos``, if one does."""
    return _TAG_TAIL_RE.compiled().match(text, pos, min(len(text), pos + TAG_LOOK))
