"""The CLI's outputs: one per input, written atomically; directories; processes."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import cjkfix
from cjkfix.cli import main
from cjkfix.cli.io import AtomicFile

BROKEN = "第二行\n開發(fā)閉源\n\n好\n模型?!边@一表態\n"
FIXED = "第二行\n開發閉源\n\n好\n模型。”這一表態\n"
#: Damage whose repair does not depend on how much of it there is (no budget runs out)
RUBY = "開發(fā)閉源，乾淨的文字。\n\n"


def test_ruby_repair_is_the_same_in_any_amount() -> None:
    assert cjkfix.repair(RUBY * 20_000) == cjkfix.repair(RUBY) * 20_000


def cli(
    *args: str, stdin: bytes = b"", preexec_fn: Callable[[], object] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cjkfix", *args],
        input=stdin,
        capture_output=True,
        check=False,
        preexec_fn=preexec_fn,
    )


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".cjkfix-tmp")]


def test_each_file_to_stdout_in_turn(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(BROKEN, encoding="utf-8")
    b.write_text("乾淨。", encoding="utf-8")
    result = cli(str(a), str(b))
    assert (result.returncode, result.stdout.decode()) == (0, FIXED + "乾淨。")


def test_output_file_for_several_inputs_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(BROKEN, encoding="utf-8")
    b.write_text(BROKEN, encoding="utf-8")
    result = cli("-o", str(a), str(a), str(b))
    assert result.returncode == 2 and "--in-place, or -o DIR" in result.stderr.decode()
    assert a.read_text(encoding="utf-8") == BROKEN


def test_output_directory_gets_one_file_per_input(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "out"
    a.write_text(BROKEN, encoding="utf-8")
    b.write_text("乾淨。", encoding="utf-8")
    out.mkdir()
    result = cli("-o", str(out), str(a), str(b))
    assert result.returncode == 0
    assert (out / "a.txt").read_text(encoding="utf-8") == FIXED
    assert (out / "b.txt").read_text(encoding="utf-8") == "乾淨。"
    assert a.read_text(encoding="utf-8") == BROKEN


def test_output_may_name_the_input(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text(BROKEN * 5000, encoding="utf-8")
    result = cli(str(path), "-o", str(path))
    assert result.returncode == 0
    # (one unit: as repair does it, whose narrowing budget runs out before the end here)
    assert path.read_text(encoding="utf-8") == cjkfix.repair(BROKEN * 5000)
    assert leftovers(tmp_path) == []


def test_in_place_keeps_mode_and_backs_up(tmp_path: Path) -> None:
    a, clean = tmp_path / "a.txt", tmp_path / "clean.txt"
    a.write_text(BROKEN, encoding="utf-8")
    clean.write_text("乾淨。", encoding="utf-8")
    a.chmod(0o640)
    inode = clean.stat().st_ino
    result = cli("--in-place", "--backup", ".orig", str(a), str(clean))
    assert result.returncode == 0, result.stderr
    assert a.read_text(encoding="utf-8") == FIXED
    assert stat.S_IMODE(a.stat().st_mode) == 0o640
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == BROKEN
    # a file repair leaves as it is is not rewritten (nor backed up)
    assert clean.stat().st_ino == inode and not (tmp_path / "clean.txt.orig").exists()
    assert leftovers(tmp_path) == []


def test_in_place_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real, link = tmp_path / "real.txt", tmp_path / "link.txt"
    real.write_text(BROKEN, encoding="utf-8")
    link.symlink_to(real)
    assert cli("-i", str(link)).returncode == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == FIXED


def test_in_place_needs_files() -> None:
    result = cli("--in-place", stdin=BROKEN.encode())
    assert result.returncode == 2 and "needs files" in result.stderr.decode()


def _fsize_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("in_place", [False, True])
def test_failed_write_leaves_the_old_file(tmp_path: Path, in_place: bool) -> None:
    """A write that fails half way (file-size limit, as a full disk) keeps the old file."""
    path = tmp_path / "f.txt"
    old = (BROKEN * 4000).encode()
    path.write_bytes(old)
    args = ["-i", str(path)] if in_place else [str(path), "-o", str(path)]
    result = cli(*args, preexec_fn=lambda: _fsize_limit(len(old) // 3))
    assert result.returncode == 2
    assert "cjkfix: error:" in result.stderr.decode()
    assert b"Traceback" not in result.stderr
    assert path.read_bytes() == old
    assert leftovers(tmp_path) == []


def test_interrupt_during_write_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.txt"
    old = BROKEN * 2000
    path.write_text(old, encoding="utf-8")
    written = []
    real_write = AtomicFile.write

    def write(self: AtomicFile, data: bytes) -> None:
        real_write(self, data[: len(data) // 2])
        written.append(len(data))
        raise KeyboardInterrupt

    monkeypatch.setattr(AtomicFile, "write", write)
    assert main(["-o", str(path), str(path)]) == 130
    assert written and path.read_text(encoding="utf-8") == old
    assert leftovers(tmp_path) == []


def test_terminated_at_any_moment_the_file_is_old_or_new(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    old = (RUBY * 100_000).encode()
    path.write_bytes(old)
    new = cjkfix.repair(RUBY).encode() * 100_000
    for delay in (0.3, 0.8, 1.5):
        path.write_bytes(old)
        proc = subprocess.Popen(
            [sys.executable, "-m", "cjkfix", "-i", str(path)], stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT if delay < 1 else signal.SIGTERM)
        proc.communicate(timeout=120)
        # (a signal while Python is still starting up ends it with a traceback, before
        # anything is opened: the file is untouched then too)
        assert path.read_bytes() in (old, new)
        assert leftovers(tmp_path) == []


def test_undecodable_input_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    old = ("好\n\n" * 50_000).encode() + b"\xff"
    path.write_bytes(old)
    result = cli("-i", str(path))
    assert result.returncode == 2 and f"offset {len(old) - 1}" in result.stderr.decode()
    assert path.read_bytes() == old and leftovers(tmp_path) == []


def test_lone_surrogate_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"ok\n\n+2AA-\n")
    out = tmp_path / "out.txt"
    result = cli("--encoding", "utf-7", str(path), "-o", str(out))
    assert result.returncode == 2 and "lone surrogate U+D800 at line 3" in result.stderr.decode()
    assert not out.exists() and leftovers(tmp_path) == []
    to_stdout = cli("--encoding", "utf-7", str(path))
    to_stdout.stdout.decode("utf-8")  # valid UTF-8, whatever was written


def test_recursive_with_globs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("a.txt", "sub/b.txt", "sub/c.md", ".git/d.txt", "skip.txt"):
        (tmp_path / rel).write_text(BROKEN, encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01" + BROKEN.encode())
    result = cli("-r", "--include", "*.txt", "--exclude", "skip*", "-i", str(tmp_path))
    assert result.returncode == 0
    assert "bin.txt: binary" in result.stderr.decode()
    changed = {
        str(p.relative_to(tmp_path))
        for p in tmp_path.rglob("*")
        if p.is_file() and p.read_bytes() == FIXED.encode()
    }
    assert changed == {"a.txt", os.path.join("sub", "b.txt")}


def test_directory_output_mirrors_the_tree(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "sub").mkdir(parents=True)
    out.mkdir()
    (src / "sub" / "b.txt").write_text(BROKEN, encoding="utf-8")
    assert cli("-r", str(src), "-o", str(out)).returncode == 0
    assert (out / "sub" / "b.txt").read_text(encoding="utf-8") == FIXED


def test_directory_without_recursive(tmp_path: Path) -> None:
    result = cli(str(tmp_path))
    assert result.returncode == 2 and "is a directory (use --recursive)" in result.stderr.decode()


def test_jobs_give_the_same_output(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    # paragraphs, and a paragraph longer than a unit (cut at line ends)
    text = BROKEN * 300 + "乾淨的一行文字。\n" * 150_000 + BROKEN.replace("\n\n", "\n") * 100
    path.write_text(text, encoding="utf-8")
    one = cli(str(path))
    two = cli("--jobs", "2", str(path))
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert one.stdout.decode() == "".join(cjkfix.repair(u) for u in _units(text))
    out = tmp_path / "out"
    out.mkdir()
    many = [tmp_path / f"{i}.txt" for i in range(6)]
    for p in many:
        p.write_text(BROKEN, encoding="utf-8")
    assert cli("-j", "2", "-o", str(out), *map(str, many)).returncode == 0
    assert all((out / p.name).read_text(encoding="utf-8") == FIXED for p in many)


def _units(text: str) -> list[str]:
    from cjkfix.cli.io import split_units

    return split_units(text)


def test_closed_stdout_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cjkfix"],
        input=BROKEN.encode(),
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "cjkfix: error: standard output is closed"


def test_reader_going_away_is_quiet(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text(BROKEN * 20_000, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cjkfix", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0 and err == b""


def test_output_to_a_device_is_written_not_replaced(tmp_path: Path) -> None:
    result = cli("-o", os.devnull, stdin=BROKEN.encode())
    assert result.returncode == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real, link = tmp_path / "real.txt", tmp_path / "link.txt"
    real.write_text("old", encoding="utf-8")
    link.symlink_to(real)
    assert cli("-o", str(link), stdin=BROKEN.encode()).returncode == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == FIXED


def test_output_in_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    result = cli("-o", str(tmp_path / "nope" / "out.txt"), stdin=BROKEN.encode())
    assert result.returncode == 2 and "cjkfix: error:" in result.stderr.decode()
    assert not (tmp_path / "nope").exists()


def test_pre_commit_hooks_are_defined() -> None:
    hooks = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: cjkfix-check\n" in hooks and "entry: cjkfix --check\n" in hooks
    assert "- id: cjkfix-fix\n" in hooks and "entry: cjkfix --in-place\n" in hooks


def test_interrupt_with_jobs_leaves_old_or_new(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    old = (RUBY * 50_000).encode()
    path.write_bytes(old)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cjkfix", "-j", "2", "-i", str(path)], stderr=subprocess.PIPE
    )
    time.sleep(2.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert path.read_bytes() in (old, cjkfix.repair(RUBY).encode() * 50_000)
    assert leftovers(tmp_path) == []
    if proc.returncode == 130:
        assert err.decode().strip() == "cjkfix: interrupted"


def test_in_place_writes_utf8_for_another_input_encoding(tmp_path: Path) -> None:
    clean = "標題：資料的發展。\n"
    path = tmp_path / "big5.txt"
    path.write_bytes(clean.encode("big5"))
    assert cli("-i", "--encoding", "big5", str(path)).returncode == 0
    assert path.read_bytes() == clean.encode("utf-8")  # (output is UTF-8)


def test_closed_stdin_is_an_error_not_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cjkfix"],
        capture_output=True,
        stdin=None,
        preexec_fn=lambda: os.close(0),
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "cjkfix: error: <stdin>: standard input is closed"


def test_in_place_refuses_what_is_not_a_regular_file() -> None:
    result = cli("-i", os.devnull)
    assert result.returncode == 2 and "not a regular file" in result.stderr.decode()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_in_place_copies_the_unchanged_start_when_a_later_unit_changes(tmp_path: Path) -> None:
    # the first units are clean and not written until the damage further on is met
    path = tmp_path / "f.txt"
    text = "乾淨的一行文字。\n\n" * 60_000 + BROKEN
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    expected = cli(str(path)).stdout
    assert expected.endswith(FIXED.encode())
    assert cli("-i", str(path)).returncode == 0
    assert path.read_bytes() == expected
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []
