"""Dashboard and `stats summary` timings on a generated database.

    python -m bench.generate_bulk --db data/bench.db --incidents 1000000
    python -m bench.analytics_bench --db data/bench.db

"cold" is the first call in a fresh process with a new connection (SQLite's page cache
empty; the OS file cache may be warm). "warm (cached)" is what a page rerun costs with
the same filters: reading the data version plus a cache hit, as ui.analytics.load does.
"warm (uncached)" repeats the queries on a warm connection.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from casebook.analytics import dashboard, data_version, stats_summary
from casebook.analytics_sources import AnalyticsFilter
from db.engine import make_engine
from db.models import User

CASES = {
    "all": AnalyticsFilter(),
    "region+kind": AnalyticsFilter(region="seoul", kind="university"),
    "whole months": AnalyticsFilter(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)),
    "mid-month range": AnalyticsFilter(date_from=date(2024, 3, 15), date_to=date(2024, 9, 14)),
}
ACTOR = User(id=0, username="bench", role="viewer", password_hash="", active=True)


CPU: list[float] = []  # CPU ms of the last _time call (SQLite runs in this process)


def _time(fn) -> float:  # noqa: ANN001
    """Wall milliseconds of fn(); its CPU milliseconds go to CPU[-1]."""
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - started) * 1000


def measure(url: str, filters: AnalyticsFilter, repeat: int = 5) -> dict[str, float]:
    engine = make_engine(url)
    cache: dict = {}
    with Session(engine) as session:
        cold = _time(lambda: dashboard(session, actor=ACTOR, filters=filters))
        cold_cpu = CPU[-1]
        warm = statistics.median(
            _time(lambda: dashboard(session, actor=ACTOR, filters=filters)) for _ in range(repeat)
        )

        def cached() -> None:
            key = (filters, data_version(session, actor=ACTOR))
            if key not in cache:
                cache[key] = dashboard(session, actor=ACTOR, filters=filters)

        cached()
        hit = statistics.median(_time(cached) for _ in range(repeat))
        summary = statistics.median(
            _time(lambda: stats_summary(session, actor=ACTOR, filters=filters))
            for _ in range(repeat)
        )
    engine.dispose()
    return {"cold_ms": cold, "cold_cpu_ms": cold_cpu, "warm_uncached_ms": warm,
            "warm_cached_ms": hit, "summary_ms": summary}  # fmt: skip


def _ensure_admin(url: str) -> None:
    from casebook.users import create_user

    engine = make_engine(url)
    with Session(engine) as session:
        if session.exec(select(User).where(User.role == "admin")).first() is None:
            create_user(session, actor=None, data={"username": "benchadmin", "role": "admin",
                                                   "password": "bench password 123"})  # fmt: skip
    engine.dispose()


def cli_seconds(url: str) -> float:
    """Wall time of `python -m casebook stats summary --json` as a whole process."""
    _ensure_admin(url)
    env = dict(os.environ, DATABASE_URL=url, CASEBOOK_DEMO="0")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "casebook", "stats", "summary", "--json"],
                   env=env, check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("data/bench.db"))
    parser.add_argument(
        "--url",
        help="a database URL instead of --db (e.g. PostgreSQL made by "
        "bench.copy_to_postgres; CPU figures then leave out the server's)",
    )
    args = parser.parse_args()
    url = args.url or f"sqlite:///{args.db}"
    out = {}
    for name, filters in CASES.items():
        # each case in a fresh process would be colder still; a new engine is close enough
        out[name] = {k: round(v, 1) for k, v in measure(url, filters).items()}
        print(name, out[name], flush=True)
    out["cli_process_s"] = round(cli_seconds(url), 2)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
