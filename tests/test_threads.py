"""Thread safety: repairs made from several threads at once, the first calls among them
(lazy tables loading while other threads wait), equal repairs made one at a time."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).parent

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from concurrent.futures import ThreadPoolExecutor

    import cjkfix
    from cjkfix.simulate import CHAINS, DECODERS, corrupt

    sentences = json.load(open(sys.argv[1], encoding="utf-8"))
    lines = [s for lang in ("zh-Hans", "zh-Hant", "ja", "ko", "mixed") for s in sentences[lang]]
    inputs = list(lines)
    for i, line in enumerate(lines):
        for j, chain in enumerate(CHAINS):
            broken = corrupt(line, chain, DECODERS[(i + j) % len(DECODERS)])
            if broken is not None and (i + j) % 5 == 0:
                inputs.append(broken)
    inputs += ["Î•Î»Î»Î·Î½Î¹ÎºÎ¬", "HÄ±rsÄ±zÄ±", "戰(zhàn)略", "模型?!边@一"]
    # long texts: clean text around the damage (the engine looks around the gate's
    # matches before it searches a long text as a whole)
    inputs += [lines[k % len(lines)] * 3 + x + lines[(k + 7) % len(lines)] * 3
               for k, x in enumerate(inputs[len(lines):])]
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show
    # first calls in eight threads at once, before anything is loaded
    with ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(cjkfix.repair, inputs * 2))
    alone = [cjkfix.repair(x) for x in inputs]
    bad = [i for i, out in enumerate(threaded) if out != alone[i % len(inputs)]]
    print(json.dumps({"n": len(threaded), "differ": bad[:10]}))
    """
)


def test_threads_give_the_same_repairs_as_one_thread() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(HERE / "cases" / "sentences.json")],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["n"] > 400
    assert result["differ"] == []
