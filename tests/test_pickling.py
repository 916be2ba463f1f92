"""cjkfix goes through pickle and dill as a pipeline framework sends it to workers.

Hugging Face ``datasets`` fingerprints a ``map`` function with dill, which pickles a
``__main__`` function by value together with the modules it uses; a module outside
``site-packages`` (an editable install, as in CI) would go by value too. cjkfix's modules
pickle by name instead (``cjkfix._byref``), so the fingerprint neither fails nor changes
when a lazy table loads.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import pytest

import cjkfix
from cjkfix import Config


def test_the_modules_import_loads_pickle_as_themselves() -> None:
    # In a fresh interpreter. A user's function reaches cjkfix through the package (or
    # a function of it), which pickles by name, so dill never walks a submodule's
    # globals; modules imported later, on first need, are left as they are.
    script = textwrap.dedent(
        """
        import pickle, sys
        import cjkfix
        names = sorted(n for n in sys.modules if n.split(".")[0] == "cjkfix")
        for name in names:
            assert pickle.loads(pickle.dumps(sys.modules[name])) is sys.modules[name], name
        print(" ".join(names))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {"cjkfix", "cjkfix.pipeline", "cjkfix.mojibake"} <= set(done.stdout.split())
    assert pickle.loads(pickle.dumps(cjkfix)) is cjkfix


def test_config_and_functions_pickle() -> None:
    config = Config(ruby=False, to="s2t")
    cjkfix.repair("戰(zhàn)略", config=config)  # a used Config carries no cached state
    assert pickle.loads(pickle.dumps(config)) == config
    assert pickle.loads(pickle.dumps(cjkfix.repair)) is cjkfix.repair


_DILL_SCRIPT = textwrap.dedent(
    """
    import dill
    import cjkfix

    def fix(text):
        return None if text is None else cjkfix.repair(text, ruby=True)

    def dump():
        # recurse=True is how datasets' Hasher pickles a function.
        return dill.dumps(fix, recurse=True)

    before = dump()
    cjkfix.repair("浣犲ソ涓栫晫锛屾垜浠")  # loads the character model and other tables
    cjkfix.repair("戰(zhàn)略", to="s2t")
    after = dump()
    assert before == after, "the pickle changed when lazy tables loaded"
    assert len(after) < 2000, len(after)
    assert dill.loads(after)("戰(zhàn)略") == "戰略"
    print("ok", len(after))
    """
)


def test_a_main_function_using_cjkfix_dill_pickles_stably() -> None:
    pytest.importorskip("dill", reason="dill is installed with the 'pipelines' extra")
    # In a subprocess, so that fix() lives in __main__ as in a user's script.
    done = subprocess.run(
        [sys.executable, "-c", _DILL_SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")
