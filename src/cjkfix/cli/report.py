"""What the CLI prints besides the text: steps (``--explain``), findings (``--check``),
unified diffs (``--diff``). Positions are ``LINE:COL`` in the file (both from 1, the
column in characters), worked out per unit, so reporting stays linear in the input."""

from __future__ import annotations

import bisect
import difflib
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from cjkfix.steps import Finding, Step

__all__ = ["Positions", "Reporter", "diff_header", "diff_hunks", "split_lines"]


class Positions:
    """Line and column of offsets in a unit whose first line is ``first_line``."""

    def __init__(self, unit: str, first_line: int) -> None:
        self.first_line = first_line
        self.starts = [0]
        pos = unit.find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = unit.find("\n", pos + 1)

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.first_line + i, offset - self.starts[i] + 1


class Reporter:
    """Writes reports as UTF-8 to a binary stream, one line (or one JSON object) each."""

    def __init__(self, stream: BinaryIO, as_json: bool) -> None:
        self.stream = stream
        self.as_json = as_json

    def _write(self, text: str) -> None:
        self.stream.write(text.encode("utf-8", "backslashreplace"))

    def _emit(self, name: str, line: int, col: int, data: dict[str, Any], text: str) -> None:
        if self.as_json:
            record = {"file": name, "line": line, "column": col, **data}
            self._write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        else:
            self._write(f"{name}:{line}:{col}: {text}\n")

    def step(self, name: str, line: int, col: int, s: Step) -> None:
        """A step applied (``--explain``)."""
        self._emit(
            name, line, col, s.to_dict(), f"{s.fixer}: {s.before!r} -> {s.after!r}: {s.reason}"
        )

    def change(self, name: str, line: int, col: int, s: Step) -> None:
        """Something ``repair`` would change (``--check``)."""
        self._finding(name, line, col, s.as_finding(), "error")

    def warning(self, name: str, line: int, col: int, f: Finding) -> None:
        """Something that looks broken but that ``repair`` leaves alone (``--check``)."""
        self._finding(name, line, col, f, "warning")

    def _finding(self, name: str, line: int, col: int, f: Finding, severity: str) -> None:
        prefix = "warning: " if severity == "warning" else ""
        suggestion = f" -> {f.suggestion!r}" if f.suggestion is not None else ""
        self._emit(
            name,
            line,
            col,
            {"severity": severity, **f.to_dict()},
            f"{prefix}{f.family}: {f.message} ({f.text!r}{suggestion}, "
            f"confidence {f.confidence:.2f})",
        )

    def raw(self, text: str) -> None:
        self._write(text)


def split_lines(text: str) -> list[str]:
    """``text`` cut after each ``\\n`` (not at the other characters ``str.splitlines``
    takes for line ends, so that line numbers are those of editors and ``diff``)."""
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def _range(start: int, length: int) -> str:
    # as difflib.unified_diff writes them; ``start`` counts from 0
    if length == 1:
        return f"{start + 1}"
    return f"{start if length == 0 else start + 1},{length}"


def diff_header(name: str) -> str:
    return f"--- {name}\n+++ {name}\n"


def _line(prefix: str, line: str) -> str:
    if line.endswith("\n"):
        return prefix + line
    return f"{prefix}{line}\n\\ No newline at end of file\n"


def diff_hunks(before: str, after: str, first_line: int, first_line_after: int) -> Iterator[str]:
    """The unified-diff hunks (three lines of context within the unit) that turn the unit
    ``before``, starting at line ``first_line`` of the file, into ``after``."""
    a, b = split_lines(before), split_lines(after)
    a0, b0 = first_line - 1, first_line_after - 1
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(3):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        parts = [f"@@ -{_range(a0 + i1, i2 - i1)} +{_range(b0 + j1, j2 - j1)} @@\n"]
        for tag, k1, k2, m1, m2 in group:
            if tag == "equal":
                parts.extend(_line(" ", line) for line in a[k1:k2])
                continue
            if tag in ("replace", "delete"):
                parts.extend(_line("-", line) for line in a[k1:k2])
            if tag in ("replace", "insert"):
                parts.extend(_line("+", line) for line in b[m1:m2])
        yield "".join(parts)
