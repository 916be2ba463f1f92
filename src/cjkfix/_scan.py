"""Substring tests for the gates, at the speed of a one-character search.

``word in text`` for a word of several CJK characters costs about as much as a regex
scan (0.5 ms per 128 Ki characters of CJK text), where a search for one character costs
a tenth of that. A gate's words are rare (``锟斤拷``, ``烫烫烫``): looking for the first
character and checking the word where it stands answers the same, and faster while
that character is rare too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = [
    "contains",
    "contains_any",
    "finditer_among",
    "finditer_at",
    "matches_at_any",
    "positions",
]

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


def matches_at_any(pattern: re.Pattern[str], text: str, chars: str) -> bool:
    """``pattern.search(text) is not None``, for a pattern whose every match starts with
    one of ``chars``: tried only where they stand (``str.find``), not by a scan that
    steps through every character (1-10 ns each: 0.2-1.3 ms per 128 Ki characters, for
    a gate whose first match is far in). A text with more of them than the scan would
    take to step over falls back to the scan, so no text costs much more than before.
    (``pattern.match`` at a position sees the text before it: lookbehinds work.)"""
    budget = _FEW + (len(text) >> _CHARS_PER_TRY_BITS)
    for ch in chars:
        k = text.find(ch)
        while k >= 0:
            if pattern.match(text, k) is not None:
                return True
            budget -= 1
            if budget <= 0:
                return pattern.search(text) is not None
            k = text.find(ch, k + 1)
    return False


#: One try of a pattern at a place costs about as much as a scan stepping over 256
#: characters (log2).
_CHARS_PER_TRY_BITS = 8


def finditer_at(
    pattern: re.Pattern[str], text: str, chars: str, offset: int = 0
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, for a pattern whose every match is non-empty and has
    one of ``chars`` ``offset`` characters after its start (``HAN[(（]...``: offset 1):
    the pattern is tried only there, the characters found with ``str.find``
    (:func:`positions`), where ``finditer`` tries it at every position (a pattern that
    starts with a Han character: at nearly every position of CJK text). The same
    matches: each is the first at or after the end of the one before, as ``finditer``
    finds them."""
    return finditer_among(pattern, text, (k - offset for k in positions(text, chars)))


def finditer_among(
    pattern: re.Pattern[str], text: str, places: Iterable[int]
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, for a pattern whose every match is non-empty and
    starts at one of ``places`` (in order; places where it does not match are passed
    over): tried only there. Callers that scan one text for several such patterns find
    the characters any of them starts with in one scan, and hand each the places.

        >>> [m.group() for m in finditer_among(re.compile("a+"), "xaaya", [1, 2, 4])]
        ['aa', 'a']
    """
    end = 0
    for p in places:
        if p < end:
            continue
        m = pattern.match(text, p)
        if m is not None:
            yield m
            end = m.end()
