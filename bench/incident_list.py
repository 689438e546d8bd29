"""The incident list's server time at 100,000 incidents (target: under 300 ms).

    python -m bench.incident_list [--n 100000] [--db /tmp/casebook-bench.db]

Times list_incidents (count + one page of 50) for typical filters and text searches, and
an AppTest rerun of the incidents page, on a database from bench.generate. Medians of 5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from pathlib import Path

from bench.generate import BENCH_PASSWORD, BENCH_USER, ensure_db

CASES = {
    "no filter": {},
    "status": {"status": "investigating"},
    "region + kind": {"region": "seoul", "kind": "high_school"},
    "date range (Sep 2024)": {"date_from": date(2024, 9, 1), "date_to": date(2024, 9, 30)},
    "minors only": {"minors": True},
    "conduct": {"conduct": "sell"},
    "text, 3+ syllables (합성물)": {"text": "합성물"},
    "text, rarer word (압수수색)": {"text": "압수수색"},
    "text, 2 syllables (간부)": {"text": "간부"},
    "text, 1 syllable (군)": {"text": "군"},
    "text, English (invite)": {"text": "invite"},
    "text + status": {"text": "딥페이크", "status": "arrested"},
}


def _median_ms(fn, repeat: int = 5) -> tuple[float, float]:
    """Median wall and CPU milliseconds (CPU time shows the cost on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def bench_queries(url: str) -> list[tuple[str, int, tuple[float, float]]]:
    from sqlmodel import Session, select

    from casebook.incidents.queries import IncidentFilter, list_incidents
    from db.engine import engine_for
    from db.models import User

    out = []
    with Session(engine_for(url)) as session:
        actor = session.exec(select(User).where(User.username == BENCH_USER)).one()
        for name, kwargs in CASES.items():
            filters = IncidentFilter(**kwargs)
            total = list_incidents(session, actor=actor, filters=filters).total
            ms = _median_ms(lambda f=filters: list_incidents(session, actor=actor, filters=f))
            out.append((name, total, ms))
    return out


def bench_page(url: str) -> tuple[tuple[float, float], tuple[float, float]]:
    os.environ["DATABASE_URL"] = url
    from casebook.config import get_settings

    get_settings.cache_clear()
    from tests.pagetest import goto, signed_in

    at = goto(signed_in(BENCH_USER, BENCH_PASSWORD), "incidents")
    assert not at.exception, at.exception
    plain = _median_ms(at.run)
    at.text_input(key="flt_text").input("합성물").run()
    assert not at.exception, at.exception
    return plain, _median_ms(at.run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/casebook-bench.db")
    args = parser.parse_args()
    url = ensure_db(Path(args.db), args.n)
    rows = bench_queries(url)
    page_ms = bench_page(url)
    load = os.getloadavg()[0]
    lines = [
        f"### Incident list at {args.n:,} incidents (SQLite, target < 300 ms)",
        "",
        f"Measured {date.today()} on the 2-core machine (load average {load:.1f} while "
        "measuring); median of 5, count + one page of 50.",
        "",
        "| filter | matches | wall ms | CPU ms |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {total:,} | {ms[0]:.1f} | {ms[1]:.1f} |" for name, total, ms in rows]
    (plain, searched) = page_ms
    lines += [
        "",
        f"AppTest rerun of the incidents page: no filter {plain[0]:.0f} ms wall "
        f"({plain[1]:.0f} ms CPU); searching 합성물 {searched[0]:.0f} ms wall "
        f"({searched[1]:.0f} ms CPU).",
    ]
    text = "\n".join(lines)
    print(text)
    from bench.readme_section import write_section

    write_section("imports-list", text)


if __name__ == "__main__":
    main()
