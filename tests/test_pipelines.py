"""The pipeline examples in examples/ run and match cjkfix.repair row for row.

Each example builds the same small column (clean, damaged and null rows), repairs it with
its framework and exits non-zero when a row differs from ``cjkfix.repair`` on that row.
A framework that is not installed skips its example; ``pip install -e '.[test,pipelines]'``
installs them all, and ``CJKFIX_REQUIRE_PIPELINES=1`` (set by ``.ci/run``) turns those
skips into failures so that CI cannot pass without running them.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
from types import ModuleType

import pytest

from casefiles import EXAMPLES

_REQUIRED = os.environ.get("CJKFIX_REQUIRE_PIPELINES") == "1"


def _require(*modules: str, java: bool = False) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if java and shutil.which("java") is None:
        missing.append("java (a JDK 17 on PATH)")
    if missing:
        reason = f"needs {', '.join(missing)}: pip install -e '.[pipelines]'"
        if _REQUIRED:
            pytest.fail(f"CJKFIX_REQUIRE_PIPELINES=1 but this example {reason}")
        pytest.skip(reason)


def _run(script: str, timeout: float = 300) -> list[str]:
    env = dict(os.environ, PYTHONWARNINGS="ignore::FutureWarning")
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=EXAMPLES.parent,
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return lines


def _matched(lines: list[str]) -> list[str]:
    return [line for line in lines if line.endswith("match cjkfix.repair row for row")]


def test_pandas_column() -> None:
    _require("pandas", "pyarrow")
    matched = _matched(_run("pandas_column.py"))
    assert [line.split(":")[0] for line in matched] == [
        "pandas object",
        "pandas string",
        "pandas string[pyarrow]",
    ]


def test_multiprocessing_pool() -> None:
    matched = _matched(_run("multiprocessing_pool.py"))
    assert {line.split(":")[0] for line in matched} >= {"multiprocessing spawn", "threads"}


def test_hf_datasets_map_with_num_proc_and_cache() -> None:
    _require("datasets")
    lines = _run("hf_datasets.py")
    assert len(_matched(lines)) == 1, lines


def test_dask_dataframe() -> None:
    _require("dask", "pandas", "pyarrow")
    assert len(_matched(_run("dask_dataframe.py"))) == 1


def test_spark_pandas_udf_over_parquet() -> None:
    _require("pyspark", "pandas", "pyarrow", java=True)
    assert len(_matched(_run("spark_parquet.py", timeout=600))) == 1


def _rows_module() -> ModuleType:
    sys.path.insert(0, str(EXAMPLES))
    try:
        return importlib.import_module("_rows")
    finally:
        sys.path.remove(str(EXAMPLES))


def test_the_example_data_has_damage_and_nulls() -> None:
    rows = _rows_module()
    column = rows.rows()
    fixed = rows.expected(column)
    assert len(column) >= 200
    assert sum(text is None for text in column) >= 10
    assert sum(a != b for a, b in zip(column, fixed, strict=True)) >= 30
    assert rows.rows() == column  # the same rows on every run


def test_the_check_catches_a_wrong_row_and_a_lost_null(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _rows_module()
    column = ["戰(zhàn)略", None, "abc"]
    assert rows.report("ok", column, ["戰略", float("nan"), "abc"]) == 0
    assert rows.report("unrepaired", column, column) == 1
    assert rows.report("null to text", column, ["戰略", "", "abc"]) == 1
    assert rows.report("short", column, ["戰略", None]) == 1
    out = capsys.readouterr().out
    assert "unrepaired: 1 of 3 rows differ" in out
