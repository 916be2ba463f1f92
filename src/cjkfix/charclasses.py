"""Character classes shared by the fixers, as regex fragments."""

from __future__ import annotations

__all__ = ["HAN"]

#: Han ideographs: CJK Unified Ideographs, Extension A, compatibility ideographs,
#: the supplementary planes' extensions, and the ideographic zero.
HAN = "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
