"""Cost of keyword options: ``repair(s, <option>)`` per call against ``repair(s)``.

    python benchmarks/options.py [--calls 100000] [--repeat 5]

A pipeline calls ``repair`` once per row with the same options, so an option must cost
about as little as no option (target: at most 2x per call). Prints microseconds per
call (best of ``--repeat``) for clean sentences with and without options, and the ratio.
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


def per_call(func: Callable[[str], str], calls: int, repeat: int) -> float:
    """Best of ``repeat`` runs, in microseconds per call."""
    best = float("inf")
    per_round = max(1, calls // len(_SENTENCES))
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(per_round):
            for s in _SENTENCES:
                func(s)
        best = min(best, (time.perf_counter() - start) / (per_round * len(_SENTENCES)))
    return best * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    base = per_call(cjkfix.repair, args.calls, args.repeat)
    print(f"{'repair(s)':<48} {base:8.2f} us/call")
    worst = 0.0
    cases: list[tuple[str, Callable[[str], str]]] = [
        ("repair(s, ruby=True)  (the default value)", lambda s: cjkfix.repair(s, ruby=True)),
        ("repair(s, ruby=False)", lambda s: cjkfix.repair(s, ruby=False)),
        (
            "repair(s, mojibake=False, keep_ruby_runs=True)",
            lambda s: cjkfix.repair(s, mojibake=False, keep_ruby_runs=True),
        ),
    ]
    for name, func in cases:
        cost = per_call(func, args.calls, args.repeat)
        worst = max(worst, cost / base)
        print(f"{name:<48} {cost:8.2f} us/call  {cost / base:5.2f}x")

    config = cjkfix.Config(to="s2t")
    with_config = per_call(lambda s: cjkfix.repair(s, config=config), args.calls // 10, 3)
    with_to = per_call(lambda s: cjkfix.repair(s, to="s2t"), args.calls // 10, 3)
    worst = max(worst, with_to / with_config)
    print(f"{'repair(s, config=Config(to=s2t))':<48} {with_config:8.2f} us/call")
    print(f"{'repair(s, to=s2t)':<48} {with_to:8.2f} us/call  {with_to / with_config:5.2f}x")
    print(f"worst ratio {worst:.2f}x (target <= 2x)")
    return 0 if worst <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
