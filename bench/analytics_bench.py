"""Dashboard and `stats summary` timings on a generated database.

    python -m bench.generate_bulk --db data/bench.db --incidents 1000000
    python -m bench.analytics_bench --db data/bench.db --name sqlite-uniform-1m --readme

"cold, new process" is the first dashboard in a fresh Python process (new engine, new
connections: PostgreSQL's per-connection caches empty; SQLite's page cache empty; the
OS file cache and PostgreSQL's shared buffers may be warm). "cold, new engine" is the
same in this process after earlier cases. "warm (cached)" is what a page rerun costs
with the same filters: reading the data version plus a cache hit, as ui.analytics.load
does. "warm (uncached)" repeats the queries on a warm pool. Every call gets a fresh
session, as a page's ui.run does. Each run is saved as bench/results/analytics-NAME.json;
``--readme`` rewrites the Analytics figures in bench/README.md from every saved run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session, select

from casebook.analytics.dashboards import dashboard, data_version, stats_summary
from casebook.analytics.filters import AnalyticsFilter
from db.engine import make_engine
from db.models import User

CASES = {
    "all": AnalyticsFilter(),
    "region+kind": AnalyticsFilter(region="seoul", kind="university"),
    "whole months": AnalyticsFilter(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)),
    "mid-month range": AnalyticsFilter(date_from=date(2024, 3, 15), date_to=date(2024, 9, 14)),
}
ACTOR = User(id=0, username="bench", role="viewer", password_hash="", active=True)
RESULTS = Path(__file__).with_name("results")
ROOT = Path(__file__).resolve().parent.parent


def _ms(fn) -> float:
    return _timed(fn)[0]


def _timed(fn) -> tuple[float, float]:
    """(wall, CPU of this process) milliseconds of ``fn()``; on PostgreSQL the server's
    work is only in the wall time."""
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def _median_timed(fn, repeat: int) -> tuple[float, float]:
    runs = [_timed(fn) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def measure(url: str, filters: AnalyticsFilter, repeat: int = 5) -> dict[str, float]:
    engine = make_engine(url)

    def call(fn, **kw):
        with Session(engine) as session:
            return fn(session, actor=ACTOR, **kw)

    cold, cold_cpu = _timed(lambda: call(dashboard, filters=filters))
    warm, warm_cpu = _median_timed(lambda: call(dashboard, filters=filters), repeat)
    cache: dict = {}

    def cached() -> None:
        key = (filters, call(data_version))
        if key not in cache:
            cache[key] = call(dashboard, filters=filters)

    cached()
    hit = statistics.median(_ms(cached) for _ in range(repeat))
    summary, summary_cpu = _median_timed(lambda: call(stats_summary, filters=filters), repeat)
    engine.dispose()
    return {
        "cold_engine_ms": cold,
        "warm_uncached_ms": warm,
        "warm_cached_ms": hit,
        "summary_ms": summary,
        "cold_engine_cpu_ms": cold_cpu,
        "warm_uncached_cpu_ms": warm_cpu,
        "summary_cpu_ms": summary_cpu,
    }


def _cold_once(url: str, case: str) -> None:
    """In a fresh process: print the first dashboard's wall and CPU milliseconds (imports
    excluded)."""
    engine = make_engine(url)
    with Session(engine) as session:
        print(*_timed(lambda: dashboard(session, actor=ACTOR, filters=CASES[case])))


def cold_process_ms(url: str, case: str) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.analytics_bench", "--url", url, "--cold-once", case],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    wall, *cpu = done.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu[0]) if cpu else float("nan")


def _ensure_admin(url: str) -> None:
    from casebook.access.users import create_user

    engine = make_engine(url)
    with Session(engine) as session:
        if session.exec(select(User).where(User.role == "admin")).first() is None:
            create_user(
                session,
                actor=None,
                data={"username": "benchadmin", "role": "admin", "password": "bench password 123"},
            )
    engine.dispose()


def cli_seconds(url: str, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of `python -m casebook stats summary --json`
    as a whole process."""
    _ensure_admin(url)
    env = dict(os.environ, DATABASE_URL=url, CASEBOOK_DEMO="0")
    wall, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "casebook", "stats", "summary", "--json"],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        wall.append(round(time.perf_counter() - started, 2))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        cpu.append(round(used, 2))
    return wall, cpu


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return done.stdout.strip() or "unknown"


COLUMNS = (
    ("cold_process_ms", "cold, new process"),
    ("cold_engine_ms", "cold, new engine"),
    ("warm_uncached_ms", "warm, uncached"),
    ("warm_cached_ms", "warm, cached"),
    ("summary_ms", "`stats_summary`"),
)


def _cell(runs: list[dict], case: str, key: str) -> str:
    """The "before → after" milliseconds, with this process's CPU in parentheses when saved."""
    digits = 1 if key == "warm_cached_ms" else 0
    out = []
    for r in runs:
        figures = r["cases"][case]
        cpu = figures.get(key.replace("_ms", "_cpu_ms"))
        text = f"{figures[key]:,.{digits}f}"
        out.append(text + (f" ({cpu:,.0f})" if cpu is not None and cpu == cpu else ""))
    return " → ".join(out) + " ms"


def render(paths: list[Path]) -> str:
    """Every saved run as Markdown: runs named X-before and X-after share one table."""
    groups: dict[str, list[dict]] = {}
    for path in paths:
        run = json.loads(path.read_text(encoding="utf-8"))
        base = run["name"].removesuffix("-before").removesuffix("-after")
        groups.setdefault(base, []).append(run)
    lines = []
    for base, runs in groups.items():
        runs.sort(key=lambda r: not r["name"].endswith("-before"))  # before first
        how = "; ".join(
            f"{r['name'].rsplit('-', 1)[-1]}: {r['commit']} at {r['at']}, load "
            f"{r['load_before']}–{r['load_after']}"
            for r in runs
        )
        lines += [f"#### {base} ({runs[0]['backend']})", "", how, ""]
        lines.append("| filter | " + " | ".join(title for _, title in COLUMNS) + " |")
        lines.append("|---" * (len(COLUMNS) + 1) + "|")
        for case in runs[0]["cases"]:
            cells = [_cell(runs, case, key) for key, _ in COLUMNS]
            lines.append(f"| {case} | " + " | ".join(cells) + " |")
        for r in runs:
            cli = ", ".join(f"{s:.2f}" for s in r["cli_process_s"]) + " s"
            if "cli_process_cpu_s" in r:
                cli += " (CPU " + ", ".join(f"{s:.2f}" for s in r["cli_process_cpu_s"]) + " s)"
            lines.append(f"\n`stats summary --json` as a process ({r['name']}): {cli}")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("data/bench.db"))
    parser.add_argument(
        "--url",
        help="a database URL instead of --db (e.g. PostgreSQL made by bench.copy_to_postgres)",
    )
    parser.add_argument("--name", help="save the run as bench/results/analytics-NAME.json")
    parser.add_argument("--cli-runs", type=int, default=5, help="`stats summary` processes")
    parser.add_argument("--readme", action="store_true", help="rewrite bench/README.md figures")
    parser.add_argument(
        "--readme-only", action="store_true", help="rewrite the README figures from saved runs only"
    )
    parser.add_argument("--cold-once", choices=list(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{args.db}"
    if args.readme_only:
        _write_readme()
        return
    if args.cold_once:
        _cold_once(url, args.cold_once)
        return
    run = {
        "name": args.name or "unnamed",
        "backend": url.split(":", 1)[0].split("+")[0],
        "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "load_before": f"{os.getloadavg()[0]:.1f}",
        "cases": {},
    }
    for name, filters in CASES.items():
        wall, cpu = cold_process_ms(url, name)
        figures = {"cold_process_ms": wall, "cold_process_cpu_ms": cpu, **measure(url, filters)}
        run["cases"][name] = {k: round(v, 1) for k, v in figures.items()}
        print(name, run["cases"][name], flush=True)
    run["cli_process_s"], run["cli_process_cpu_s"] = cli_seconds(url, args.cli_runs)
    run["load_after"] = f"{os.getloadavg()[0]:.1f}"
    print(json.dumps(run, indent=2))
    if args.name:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"analytics-{args.name}.json"
        path.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    if args.readme:
        _write_readme()


def _write_readme() -> None:
    from bench.readme_section import write_section

    write_section("analytics", render(sorted(RESULTS.glob("analytics-*.json"))))


if __name__ == "__main__":
    main()
