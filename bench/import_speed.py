"""Import 10,000 valid rows into SQLite (target: under 2 s), then the same file again.

python -m bench.import_speed [--rows 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.generate import SEED


def make_file(rows: int, institutions: list[str]) -> bytes:
    from casebook.imports import COLUMNS
    from casebook.spreadsheet import csv_bytes

    rng = random.Random(SEED)
    body = []
    for i in range(rows):
        reported = date(2024, 8, 15) + timedelta(days=rng.randrange(0, 90))
        victims = rng.randint(1, 30)
        body.append([f"BENCH-{i}", f"{rng.choice(institutions)} 텔레그램 합성물 사건 {i}",
                     reported.isoformat(), (reported - timedelta(days=7)).isoformat(),
                     rng.choice(institutions), "", "", "telegram", rng.randint(10, 2000),
                     victims, rng.randint(0, victims), 2, 1, "create;distribute",
                     "investigating", "요약 " * rng.randint(1, 20),
                     f"https://example.org/{i}"])  # fmt: skip
    return csv_bytes(COLUMNS, body)


def _timed(fn):  # noqa: ANN001, ANN202
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    from sqlmodel import Session

    from casebook import dbadmin, imports
    from casebook.institutions import create_institution
    from casebook.users import create_user
    from db.engine import engine_for

    path = Path(tempfile.mkdtemp()) / "import-bench.db"
    url = f"sqlite:///{path}"
    dbadmin.upgrade(url)
    with Session(engine_for(url), expire_on_commit=False) as session:
        admin = create_user(
            session,
            actor=None,
            data={"username": "bench", "role": "admin", "password": "correct horse battery"},
        )
        names = [f"벤치대학교 {i}" for i in range(50)]
        for name in names:
            create_institution(session, actor=admin, data={"name": name, "kind": "university",
                                                           "region": "seoul"})  # fmt: skip
        data = make_file(args.rows, names)
        first, wall1, cpu1 = _timed(lambda: imports.import_incidents(
            session, actor=admin, data=data, filename="bench.csv"))  # fmt: skip
        again, wall2, cpu2 = _timed(lambda: imports.import_incidents(
            session, actor=admin, data=data, filename="bench.csv"))  # fmt: skip
    assert first.count("create") == args.rows and again.count("unchanged") == args.rows
    load = os.getloadavg()[0]
    text = "\n".join([
        f"### Spreadsheet import of {args.rows:,} valid rows (SQLite, target < 2 s)", "",
        f"Measured {date.today()} (load average {load:.1f}); CSV of {len(data) / 1e6:.1f} MB, "
        "50 known institutions, every row validated by IncidentCreate, one audit row per "
        "incident plus one for the import.", "",
        "| run | wall s | CPU s |", "|---|---:|---:|",
        f"| first import (10,000 new) | {wall1:.2f} | {cpu1:.2f} |",
        f"| same file again (all unchanged, nothing written) | {wall2:.2f} | {cpu2:.2f} |",
    ])  # fmt: skip
    print(text)
    from bench.readme_section import write_section

    write_section("imports-import", text)


if __name__ == "__main__":
    main()
