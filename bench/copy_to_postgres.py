"""Copy a `generate_bulk` SQLite database into a new PostgreSQL database (for the
analytics benchmark on PostgreSQL; generate_bulk itself writes SQLite only).

    python -m bench.copy_to_postgres --db data/bench.db \
        --url postgresql+psycopg://postgres@127.0.0.1:5432/casebook_bench

The target database is created (or emptied) and migrated; the analytics triggers are
dropped for the load, rows go in with COPY, then the triggers are installed again and
the summary cube is recomputed by ``rebuild_sql`` (the same SQL ``rebuild_summaries``
and a restore use). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy import make_url

from casebook.analytics.summaries import install_sql, rebuild_sql, uninstall_sql
from casebook.ops import migrate as dbadmin

TABLES = (
    "institution",
    "incident",
    "incidentconduct",
    "incidentinstitution",
    "incidentevent",
    "takedown",
    "legallink",
)


def _recreate(url: str) -> None:
    target = make_url(url)
    admin = target.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.database}"')
        conn.execute(f"CREATE DATABASE \"{target.database}\" ENCODING 'UTF8' TEMPLATE template0")


def copy(db: Path, url: str) -> float:
    """Copy every benchmark table; return the seconds it took."""
    started = time.perf_counter()
    _recreate(url)
    dbadmin.upgrade(url)
    src = sqlite3.connect(db)
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        for stmt in uninstall_sql("postgresql"):
            conn.execute(stmt)
        for table in TABLES:
            cols = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')]
            names = ", ".join(f'"{c}"' for c in cols)
            with conn.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as out:
                for row in src.execute(f'SELECT {names} FROM "{table}"'):
                    out.write_row(row)
            if "id" in cols:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}") + 1, false)'
                )
            print(f"{table}: {time.perf_counter() - started:.1f} s", flush=True)
        for stmt in install_sql("postgresql") + rebuild_sql("postgresql"):
            conn.execute(stmt)
        conn.commit()
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("data/bench.db"))
    parser.add_argument("--url", required=True, help="PostgreSQL URL of the database to create")
    args = parser.parse_args()
    print(f"copied in {copy(args.db, args.url):.1f} s -> {args.url}")


if __name__ == "__main__":
    main()
