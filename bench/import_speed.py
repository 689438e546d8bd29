"""Spreadsheet import speed on SQLite and PostgreSQL (issue 6 target: 10,000 valid rows in
under 2 s on SQLite), then the same file again (every row unchanged, nothing written), then
the same rows each changed (every row updates a known incident).

    python -m bench.import_speed [--rows 10000] [--scale-rows 1000] [--scale-n 10000]
                                 [--backends sqlite,postgresql] [--no-readme]

Two cases per backend, each on a database made by bench.generate (800 institutions; the
file names 50 of them): ``--rows`` rows into a database without incidents, and
``--scale-rows`` rows into one that already holds ``--scale-n`` incidents; each file is
imported three times (new rows, unchanged, changed) and the audit chain is verified. The law
knowledge base and the message catalogs are loaded first (a running app has them) and
that load is reported on its own. CPU is this process's time: on PostgreSQL the server's
work (triggers, indexes) shows only in the wall time. Writes the "imports-import"
section of bench/README.md unless ``--no-readme``.
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

PG_ADMIN = os.environ.get(
    "CASEBOOK_BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PG_DB = "casebook_bench_import"
INSTITUTIONS = 800


def make_file(rows: int, institutions: list[str], changed: bool = False) -> bytes:
    """``rows`` valid rows (fixed seed); ``changed``: the same rows with a new title, status
    and conducts (a legal workflow step), so that each one updates its incident."""
    from casebook.importing.cells import COLUMNS
    from casebook.importing.spreadsheet import csv_bytes

    rng = random.Random(SEED)
    status, conducts = (
        ("arrested", "create;distribute;view")
        if changed
        else ("investigating", "create;distribute")
    )
    body = []
    for i in range(rows):
        reported = date(2024, 8, 15) + timedelta(days=rng.randrange(0, 90))
        victims = rng.randint(1, 30)
        title = f"{rng.choice(institutions)} 텔레그램 합성물 사건 {i}" + (" 수정" * changed)
        body.append(
            [
                f"BENCH-{i}",
                title,
                reported.isoformat(),
                (reported - timedelta(days=7)).isoformat(),
                rng.choice(institutions),
                "",
                "",
                "telegram",
                rng.randint(10, 2000),
                victims,
                rng.randint(0, victims),
                2,
                1,
                conducts,
                status,
                "요약 " * rng.randint(1, 20),
                f"https://example.org/{i}",
            ]
        )
    return csv_bytes(COLUMNS, body)


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def warm_up() -> float:
    """Load the law knowledge base and the catalogs, as a running app already has."""
    from casebook.i18n import LANGS, catalog
    from casebook.law.engine import applicable_law

    started = time.perf_counter()
    applicable_law("create", "adult", date(2024, 9, 1))
    for lang in LANGS:
        catalog(lang)
    return time.perf_counter() - started


def _pg_reachable() -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(PG_ADMIN)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def _database(backend: str, tmp: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / name}.db"
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB} ENCODING 'UTF8' TEMPLATE template0"))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}"


def _drop(backend: str, url: str) -> None:
    from db.engine import engine_for

    engine_for(url).dispose()
    if backend == "postgresql":
        from sqlalchemy import create_engine, text

        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        admin.dispose()


def run_case(backend: str, existing: int, rows: int, tmp: Path) -> dict:
    """Import ``rows`` new rows into a database of ``existing`` incidents, then again."""
    from sqlalchemy import text
    from sqlmodel import Session, select

    from bench.generate import BENCH_USER, generate
    from casebook.access.audit import verify_chain
    from casebook.importing import run as imports
    from db.engine import engine_for
    from db.models import User

    url = _database(backend, tmp, f"import-{existing}")
    try:
        generate(url, existing, institutions=INSTITUTIONS)
        with Session(engine_for(url), expire_on_commit=False) as session:
            admin = session.exec(select(User).where(User.username == BENCH_USER)).one()
            names = list(
                session.execute(text("SELECT name FROM institution ORDER BY id LIMIT 50")).scalars()
            )
            session.rollback()
            data = make_file(rows, names)
            first, wall1, cpu1 = _timed(
                lambda: imports.import_incidents(
                    session, actor=admin, data=data, filename="bench.csv"
                )
            )
            again, wall2, cpu2 = _timed(
                lambda: imports.import_incidents(
                    session, actor=admin, data=data, filename="bench.csv"
                )
            )
            changed = make_file(rows, names, changed=True)
            third, wall3, cpu3 = _timed(
                lambda: imports.import_incidents(
                    session, actor=admin, data=changed, filename="bench.csv"
                )
            )
            assert verify_chain(session).ok
        assert first.count("create") == rows and again.count("unchanged") == rows
        assert third.count("update") == rows
    finally:
        _drop(backend, url)
    figures = [wall1, cpu1, wall2, cpu2, wall3, cpu3]
    return {
        "backend": backend,
        "existing": existing,
        "rows": rows,
        "mb": len(data) / 1e6,
        "figures": [round(f, 2) for f in figures],
        "load": os.getloadavg()[0],
    }


def render(results: list[dict], warm_s: float) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "### Spreadsheet import (target: 10,000 valid rows < 2 s on SQLite)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by "
        f"`python -m bench.import_speed` on the 2-core machine, load average {load} at the "
        f"end (the 1-minute figure at the end of each case is in the table). Databases made "
        f"by bench.generate with {INSTITUTIONS} institutions; the CSV names 50 of them. Every "
        "row is validated by IncidentCreate and linked to the law; one audit row per "
        "incident plus one for the import; the summary cube, search index and data version "
        "are kept set-wise (casebook.analytics.bulk_upkeep). *Changed*: the same file with every "
        "row's title, status and conducts changed, so every row updates its incident "
        "(audited with before and after). Loading the law knowledge base and the catalogs "
        f"first took {warm_s:.2f} s (a running app has done it already). CPU is this "
        "process's; on PostgreSQL the server's trigger and index work is only in the wall "
        "time.",
        "",
        "| backend | incidents before | rows | CSV MB | first import wall s | CPU s "
        "| same file again wall s | CPU s | changed wall s | CPU s | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cells = " | ".join(f"{f:.2f}" for f in r["figures"])
        head = f"| {r['backend']} | {r['existing']:,} | {r['rows']:,} | {r['mb']:.1f} "
        lines.append(head + f"| {cells} | {r['load']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--scale-rows", type=int, default=1_000)
    parser.add_argument("--scale-n", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    warm_s = warm_up()
    tmp = Path(tempfile.mkdtemp())
    results = []
    for backend in args.backends.split(","):
        if backend == "postgresql" and not _pg_reachable():
            print(f"PostgreSQL at {PG_ADMIN} is not reachable: skipped", flush=True)
            continue
        for existing, rows in ((0, args.rows), (args.scale_n, args.scale_rows)):
            results.append(run_case(backend, existing, rows, tmp))
            print(results[-1], flush=True)
    text = render(results, warm_s)
    print(text)
    if not args.no_readme:
        from bench.readme_section import write_section

        write_section("imports-import", text)


if __name__ == "__main__":
    main()
