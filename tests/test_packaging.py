"""The wheel and sdist build, carry the data and licences, and work installed in a fresh venv.

Slow (a build and a venv, about half a minute) and it needs ``build``: it runs only with
``CJKFIX_PACKAGING=1``, which ``.ci/run`` sets.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("CJKFIX_PACKAGING") != "1",
    reason="slow: builds and installs the wheel; set CJKFIX_PACKAGING=1",
)

_DATA = sorted(p.name for p in (ROOT / "src" / "cjkfix" / "data").iterdir())

_SMOKE = textwrap.dedent(
    """
    import os, sys
    import cjkfix
    installed = os.path.realpath(cjkfix.__file__)
    assert installed.startswith(os.path.realpath(sys.prefix)), installed
    assert cjkfix.repair("戰(zhàn)略") == "戰略"  # ruby: pypinyin's readings
    assert cjkfix.repair("浣犲ソ涓栫晫锛屾垜浠") == "你好世界，我们"  # the character model
    assert cjkfix.repair("戰略", to="zh-Hans") == "战略"  # the OpenCC tables
    text = "今天天气很好。"
    assert cjkfix.repair(text) is text
    print("smoke ok")
    """
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None:
        pytest.fail("CJKFIX_PACKAGING=1 needs the 'build' package: pip install build")
    out = tmp_path_factory.mktemp("dist")
    # Without arguments build makes the sdist, then the wheel from the sdist: so the
    # wheel's contents prove the sdist complete too.
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


def _one(dist: Path, pattern: str) -> Path:
    (found,) = dist.glob(pattern)
    return found


def test_wheel_carries_package_data_and_licences(dist: Path) -> None:
    with zipfile.ZipFile(_one(dist, "cjkfix-*.whl")) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert {f"cjkfix/data/{name}" for name in _DATA} <= names
    assert "cjkfix/py.typed" in names
    licences = {n.rsplit("/", 1)[-1] for n in names if ".dist-info/licenses/" in n}
    assert licences == {"LICENSE", "NOTICE"}
    assert b"License-Expression: Apache-2.0 AND CC-BY-SA-4.0" in metadata


def test_sdist_carries_data_licences_and_tests(dist: Path) -> None:
    with tarfile.open(_one(dist, "cjkfix-*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {f"src/cjkfix/data/{name}" for name in _DATA} <= names
    assert {"LICENSE", "NOTICE", "src/cjkfix/py.typed", "tests/cases/sentences.json"} <= names


def test_wheel_installs_and_works_in_a_fresh_venv(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(_one(dist, "cjkfix-*.whl"))],
        check=True,
        timeout=600,
    )
    # From a folder outside the checkout, so that nothing imports the source tree.
    smoke = subprocess.run(
        [str(python), "-c", _SMOKE], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert smoke.returncode == 0, smoke.stderr
    assert smoke.stdout.strip() == "smoke ok"
    version = subprocess.run(
        [str(venv / "bin" / "cjkfix"), "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.split() == ["cjkfix", "0.1.0"]
