"""Cost of keyword options: ``repair(s, <option>)`` per call against ``repair(s)``.

    python benchmarks/options.py [--calls 20000] [--repeat 15]

A pipeline calls ``repair`` once per row with the same options, so an option must cost
about as little as no option (target: at most 2x per call). Prints microseconds per
call (best of ``--repeat`` rounds, the cases taking turns) for clean sentences with and
without options, and the ratio.
``to=`` converts the script, which is real work: it is compared with passing the same
:class:`cjkfix.Config` instead.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import cjkfix

# Clean text: the gate clears it, so the per-call overhead of options is all there is.
_SENTENCES = [
    "今天天气很好，我们去公园散步吧。",
    "這一消息引發了業界對人工智能戰略轉向的廣泛關注。",
    "このオプションがオフの場合、新しいテキストの折り返しが適用されます。",
    "이 함수는 문자열을 받아 새로운 목록을 반환합니다.",
]


def per_call(funcs: list[Callable[[str], str]], calls: int, repeat: int) -> list[float]:
    """Microseconds per call of each function, best of ``repeat`` rounds.

    The functions take turns within each round, so that a busy machine slows them alike.
    """
    best = [float("inf")] * len(funcs)
    per_round = max(1, calls // len(_SENTENCES))
    for _ in range(repeat):
        for i, func in enumerate(funcs):
            start = time.perf_counter()
            for _ in range(per_round):
                for s in _SENTENCES:
                    func(s)
            elapsed = (time.perf_counter() - start) / (per_round * len(_SENTENCES))
            best[i] = min(best[i], elapsed * 1e6)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000, help="calls per round")
    parser.add_argument("--repeat", type=int, default=15, help="rounds (the best counts)")
    args = parser.parse_args(argv)

    config = cjkfix.Config(to="s2t")
    cases: list[tuple[str, Callable[[str], str]]] = [
        ("repair(s)", cjkfix.repair),
        ("repair(s, ruby=True)  (the default value)", lambda s: cjkfix.repair(s, ruby=True)),
        ("repair(s, ruby=False)", lambda s: cjkfix.repair(s, ruby=False)),
        (
            "repair(s, mojibake=False, keep_ruby_runs=True)",
            lambda s: cjkfix.repair(s, mojibake=False, keep_ruby_runs=True),
        ),
        ("repair(s, config=Config(to=s2t))", lambda s: cjkfix.repair(s, config=config)),
        ("repair(s, to=s2t)", lambda s: cjkfix.repair(s, to="s2t")),
    ]
    for _, func in cases:
        func(_SENTENCES[0])  # plans, tables: paid once per process, not per call
    plain = per_call([func for _, func in cases[:4]], args.calls, args.repeat)
    converting = per_call([func for _, func in cases[4:]], args.calls // 10, args.repeat)
    costs = plain + converting
    # Each option case against the same call without options (to= against its Config).
    bases = [plain[0]] * 4 + [converting[0]] * 2
    worst = 0.0
    for i, ((name, _), cost, base) in enumerate(zip(cases, costs, bases, strict=True)):
        if i in (0, 4):  # the baselines
            print(f"{name:<48} {cost:8.2f} us/call")
            continue
        worst = max(worst, cost / base)
        print(f"{name:<48} {cost:8.2f} us/call  {cost / base:5.2f}x")
    print(f"worst ratio {worst:.2f}x (target <= 2x)")
    return 0 if worst <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
