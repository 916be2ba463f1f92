"""Substring tests for the gates, at the speed of a one-character search.

``word in text`` for a word of several CJK characters costs about as much as a regex
scan (0.5 ms per 128 Ki characters of CJK text), where a search for one character costs
a tenth of that. A gate's words are rare (``锟斤拷``, ``烫烫烫``): looking for the first
character and checking the word where it stands answers the same, and faster while
that character is rare too.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["contains", "contains_any", "positions"]

#: Places of the first character checked one by one before the whole word is searched
#: for at once (a common first character would make the loop the slow part).
_FEW = 8


def contains(text: str, word: str) -> bool:
    """``word in text`` (``word`` not empty)."""
    first = word[0]
    if len(word) == 1:
        return first in text
    i = text.find(first)
    seen = 0
    while i >= 0:
        if text.startswith(word, i):
            return True
        seen += 1
        if seen >= _FEW:
            return text.find(word, i + 1) >= 0
        i = text.find(first, i + 1)
    return False


def contains_any(text: str, words: Iterable[str]) -> bool:
    """``any(word in text for word in words)`` (no word empty)."""
    return any(contains(text, word) for word in words)


def positions(text: str, chars: str) -> list[int]:
    """Where ``text`` holds one of ``chars`` (distinct characters), in order: the starts
    of ``re.finditer(f"[{chars}]", text)``. A character at a time with ``str.find``:
    the regex scan steps through every character at about 10 ns each (1.3 ms per 128 Ki
    characters), where a search for one character skips ahead at memory speed, and the
    characters looked for here are rare (brackets, lost bytes, the leads of escapes)."""
    found: list[int] = []
    for ch in chars:
        k = text.find(ch)
        while k >= 0:
            found.append(k)
            k = text.find(ch, k + 1)
    found.sort()
    return found
