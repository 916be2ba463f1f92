"""--check, --explain, --diff, --json: what they print, when they fail, and that they
stay linear in the input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cjkfix

BROKEN = "第二行\n開發(fā)閉源\n\n好\n模型?!边@一表態\n"
FIXED = "第二行\n開發閉源\n\n好\n模型。”這一表態\n"


def cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cjkfix", *args], input=stdin, capture_output=True, check=False
    )


def test_check_fails_only_on_what_repair_changes() -> None:
    # U+FFFD, fill bytes and a mixed script are reported but never changed by repair
    text = "資料遺失了\ufffd。\n\n烫烫烫烫\n\n我們這裡的學生並且認為，之后再說吧，并且這個問題\n"
    assert cjkfix.repair(text) == text
    result = cli("--check", stdin=text.encode())
    assert result.returncode == 0, result.stdout
    lines = result.stdout.decode().splitlines()
    assert lines and all(": warning: " in line for line in lines)
    assert any(line.startswith("<stdin>:5:") and "mixed_script" in line for line in lines)
    assert cli("--check", "--strict", stdin=text.encode()).returncode == 1


def test_check_is_green_on_cjkfix_output() -> None:
    broken = BROKEN + "\n標题：鍙戝竷鏂扮増鏈? ok\n\n锟斤拷锟斤拷\n"
    repaired = cli(stdin=broken.encode()).stdout
    assert repaired.decode() == cjkfix.repair(broken)
    assert cli("--check", stdin=broken.encode()).returncode == 1
    assert cli("--check", stdin=repaired).returncode == 0


def test_check_positions_and_json() -> None:
    result = cli("--check", "--json", stdin=BROKEN.encode())
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(r["line"], r["column"], r["family"], r["severity"]) for r in records] == [
        (2, 3, "ruby", "error"),
        (5, 3, "narrowing", "error"),
    ]
    assert result.returncode == 1


def test_explain_reports_steps_with_file_positions(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("乾淨。\n" * 10 + "\n" + BROKEN, encoding="utf-8")
    result = cli("--explain", str(path))
    assert result.stdout.decode() == "乾淨。\n" * 10 + "\n" + FIXED
    assert f"{path}:13:3: ruby: '(fā)' -> ''" in result.stderr.decode()
    assert f"{path}:16:3: narrowing:" in result.stderr.decode()


def test_json_alone_is_a_usage_error() -> None:
    result = cli("--json", stdin=BROKEN.encode())
    assert result.returncode == 2 and "--json needs --explain or --check" in result.stderr.decode()
    assert result.stdout == b""


@pytest.mark.parametrize(
    "args",
    [["--strict"], ["--backup", ".b"], ["--include", "*.txt"], ["--check", "--diff"]],
)
def test_options_that_need_another(args: list[str]) -> None:
    result = cli(*args, stdin=BROKEN.encode())
    assert result.returncode == 2 and result.stderr.startswith(b"cjkfix: error: ")


def test_diff_shows_the_change_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("乾淨。\n" * 10 + "\n" + BROKEN + "沒有換行", encoding="utf-8")
    result = cli("--diff", str(path))
    assert result.returncode == 0
    diff = result.stdout.decode()
    # (context lines come from the changed line's unit, its paragraph)
    assert diff.startswith(
        f"--- {path}\n+++ {path}\n@@ -12,3 +12,3 @@\n 第二行\n-開發(fā)閉源\n+開發閉源\n \n"
    )
    assert path.read_text(encoding="utf-8").endswith("沒有換行")
    patch = shutil.which("patch")
    if patch is not None:
        applied = subprocess.run(
            [patch, "-p0", "--quiet", "-o", str(tmp_path / "new.txt"), str(path)],
            input=result.stdout,
            check=False,
        )
        assert applied.returncode == 0
        expected = cjkfix.repair(path.read_text(encoding="utf-8"))
        assert (tmp_path / "new.txt").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("codec", ["base64", "rot13", "hex", "zlib", "uu", "bz2"])
def test_non_text_codecs_are_refused(codec: str) -> None:
    result = cli("--encoding", codec, stdin=b"abc")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"cjkfix: error: {codec!r} is not a text encoding (it does not turn bytes into text)"
    )


def test_to_auto_is_what_the_api_does() -> None:
    # repair decides "auto" paragraph by paragraph, and so does the CLI: the Simplified
    # paragraph stays, the Simplified characters in a Traditional one are converted
    text = (
        "我們在這裡工作，這個問題並且還沒有說明，之后再說。\n\n并且这个问题\n\n"
        "這裡的學生認為這個說法對。\n"
    )
    expected = cjkfix.repair(text, to="auto")
    assert "并且这个问题" in expected and "之後" in expected
    assert cli("--to", "auto", stdin=text.encode()).stdout.decode() == expected


@pytest.mark.parametrize("mode", ["--check", "--explain"])
def test_reports_stay_linear(tmp_path: Path, mode: str) -> None:
    """A finding on every line of a few MB: counting each finding's line from the start
    of the file (as the CLI once did) takes minutes here; this bound is loose on purpose."""
    path = tmp_path / "f.txt"
    path.write_text("乾淨的一行文字。開發(fā)閉源\n" * 60_000, encoding="utf-8")
    start = time.monotonic()
    result = cli(mode, str(path))
    elapsed = time.monotonic() - start
    assert result.returncode == (1 if mode == "--check" else 0)
    report = result.stdout if mode == "--check" else result.stderr
    assert report.count(b"\n") == 60_000
    assert report.decode().splitlines()[-1].startswith(f"{path}:60000:11: ruby")
    assert elapsed < 120
