"""Benchmark the law engine over the whole knowledge base.

    .venv/bin/python -m bench.bench_law

Targets (issue 4): p95 of applicable_law < 5 ms, p95 of search_law < 20 ms.
Prints figures and exits 1 if a target is missed.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from casebook.law.engine import applicable_law, search_law
from casebook.law.load import load_kb
from casebook.vocab import CONDUCTS, VICTIMS

QUERIES = [
    "시청",
    "소지",
    "딥페이크",
    "허위 영상물",
    "협박",
    "위장수사",
    "촉법",
    "삭제",
    "view",
    "possession",
    "deepfake",
    "undercover",
    "14-2",
    "threat",
    "school",
]


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    t0 = time.perf_counter()
    kb = load_kb()
    load_ms = (time.perf_counter() - t0) * 1000
    rng = random.Random(20241016)
    start = date(2016, 1, 1)
    days = [start + timedelta(days=rng.randrange(0, 3650)) for _ in range(300)]
    applicable = [timed(applicable_law, c, v, d) for d in days for c in CONDUCTS for v in VICTIMS]
    search_law("warm-up")
    searches = [timed(search_law, q) for _ in range(40) for q in QUERIES]
    a95, s95 = p95(applicable), p95(searches)
    print(
        f"KB: {len(kb.provision_by_id)} provisions, {len(kb.version_by_id)} versions, "
        f"{len(kb.amendments)} amendments; first load {load_ms:.0f} ms"
    )
    print(
        f"applicable_law: n={len(applicable)} p50={sorted(applicable)[len(applicable) // 2]:.3f}"
        f" ms p95={a95:.3f} ms max={max(applicable):.3f} ms (target < 5 ms)"
    )
    print(
        f"search_law:     n={len(searches)} p50={sorted(searches)[len(searches) // 2]:.3f}"
        f" ms p95={s95:.3f} ms max={max(searches):.3f} ms (target < 20 ms)"
    )
    return 0 if a95 < 5 and s95 < 20 else 1


if __name__ == "__main__":
    sys.exit(main())
