from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import cjkfix
from casefiles import EXAMPLES


def cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cjkfix", *args], input=stdin, capture_output=True, check=False
    )


def test_repairs_a_file_to_stdout() -> None:
    path = EXAMPLES / "meta-behemoth.txt"
    result = cli(str(path))
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == cjkfix.repair(path.read_text(encoding="utf-8"))


def test_stdin_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    result = cli("-o", str(out), stdin="發(fā)展\n".encode())
    assert result.returncode == 0 and result.stdout == b""
    assert out.read_text(encoding="utf-8") == "發展\n"


def test_explain_goes_to_stderr() -> None:
    result = cli("--explain", stdin="第二行\n開發(fā)閉源\n".encode())
    assert result.stdout.decode() == "第二行\n開發閉源\n"
    assert "<stdin>:2:3: ruby: '(fā)' -> ''" in result.stderr.decode()


def test_check_lists_findings_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("好\n模型?!边@一表態\n", encoding="utf-8")
    result = cli("--check", str(bad))
    assert result.returncode == 1
    assert f"{bad}:2:3: narrowing" in result.stdout.decode()
    assert bad.read_text(encoding="utf-8") == "好\n模型?!边@一表態\n"


def test_check_json(tmp_path: Path) -> None:
    result = cli("--check", "--json", stdin="戰(zhàn)略".encode())
    (line,) = result.stdout.decode().splitlines()
    finding = json.loads(line)
    assert (finding["line"], finding["column"], finding["family"]) == (1, 2, "ruby")


def test_check_clean_exits_0() -> None:
    result = cli("--check", stdin="乾淨的文字。".encode())
    assert (result.returncode, result.stdout) == (0, b"")


def test_options_map_to_config() -> None:
    assert cli("--no-ruby", stdin="戰(zhàn)略".encode()).stdout.decode() == "戰(zhàn)略"


def test_missing_file(tmp_path: Path) -> None:
    result = cli(str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == f"cjkfix: error: {tmp_path / 'nope.txt'}: no such file"


def test_directory(tmp_path: Path) -> None:
    result = cli(str(tmp_path))
    assert result.returncode == 2 and "is a directory" in result.stderr.decode()


def test_undecodable_input_names_file_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(b"ok " + "中文".encode("gbk"))
    out = tmp_path / "out.txt"
    result = cli("-o", str(out), str(path))
    assert result.returncode == 2
    message = result.stderr.decode()
    assert str(path) in message and "offset 3" in message and "0xD6" in message
    assert not out.exists()


def test_unknown_flag_is_a_usage_error() -> None:
    result = cli("--frobnicate")
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr.decode()


def test_version() -> None:
    assert cli("--version").stdout.decode().strip() == f"cjkfix {cjkfix.__version__}"


def test_progress_on_request(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("乾淨的一行文字。\n" * 20_000, encoding="utf-8")
    result = cli("--progress", "always", str(path))
    assert result.returncode == 0
    progress = result.stderr.decode()
    assert "100% of 500,000 bytes" in progress
    assert result.stdout.decode("utf-8") == path.read_text(encoding="utf-8")


def test_no_progress_when_not_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("乾淨的一行文字。\n" * 200_000, encoding="utf-8")
    assert cli(str(path)).stderr == b""


def test_flags_follow_config_defaults() -> None:
    from cjkfix.cli import _parser

    args = _parser().parse_args([])
    assert all(getattr(args, f.name) == f.default for f in dataclasses.fields(cjkfix.Config))


def test_input_encoding_given(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes("標題：資料的發展。\n".encode("big5"))
    result = cli("--encoding", "big5", str(path))
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == "標題：資料的發展。\n"


def test_input_encoding_guessed(tmp_path: Path) -> None:
    text = "这是一个用简体中文写的句子，用来检查编码猜测是否可靠。我们希望程序能够正确地读出。\n"
    path = tmp_path / "gbk.txt"
    path.write_bytes((text * 3).encode("gbk"))
    result = cli("--encoding", "auto", str(path))
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == text * 3
    assert "read as gb18030 (guessed, confidence " in result.stderr.decode()
    # UTF-8 input is read as UTF-8, with no note
    clean = cli("--encoding", "auto", stdin=text.encode())
    assert clean.stdout.decode("utf-8") == text and clean.stderr == b""


def test_input_encoding_errors(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("中文".encode("gbk") + b"\xff\xff")
    result = cli("--encoding", "gbk", str(path))
    assert result.returncode == 2
    assert "not gbk: byte 0xFF at offset 4" in result.stderr.decode()
    unknown = cli("--encoding", "klingon", str(path))
    assert unknown.returncode == 2 and "unknown encoding 'klingon'" in unknown.stderr.decode()
    hint = cli(str(path))
    assert "--encoding" in hint.stderr.decode()


def test_keep_ruby_runs_and_all_processes() -> None:
    text = "你(nǐ)好(hǎo)\n".encode()
    assert cli("--keep-ruby-runs", "-j", "0", stdin=text).stdout == text
    assert cli("-j", "0", stdin=text).stdout.decode() == "你好\n"


def test_input_encoding_guessed_after_a_long_ascii_start(tmp_path: Path) -> None:
    # the guess is made on the first 64 KB that are not all ASCII, and the widest codec
    # of the family is used: a GB18030-only character far into a GBK-looking file reads
    ascii_start = "plain ascii line\n" * 10_000
    text = ascii_start + "这是简体中文的句子，用来检查编码猜测。\n" * 100 + "𠀀\n"
    path = tmp_path / "gb.txt"
    path.write_bytes(text.encode("gb18030"))
    result = cli("--encoding", "auto", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == text
    assert "read as gb18030 (guessed" in result.stderr.decode()
    sjis = tmp_path / "sjis.txt"
    ja = "漢字のテキスト、文字化けの修復。日本語の文章です。\n" * 20
    sjis.write_bytes(ja.encode("shift_jis"))
    result = cli("--encoding", "auto", str(sjis))
    assert result.stdout.decode("utf-8") == ja
    assert "read as cp932 (guessed" in result.stderr.decode()  # (Shift_JIS, widest)
