"""Placeholder, replaced in the next commit."""

from cjkfix.registry import Fixer, register

FIXER = register(Fixer("narrowing", gate=lambda text: False, fix=lambda text, config: []))
