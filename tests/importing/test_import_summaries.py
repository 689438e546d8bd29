"""A bulk import (COPY on PostgreSQL, executemany on SQLite) keeps the dashboard summary
cube exactly as the triggers keep it for form saves: equal to a rebuild from the base
tables, and the data version moves."""

from __future__ import annotations

from sqlalchemy import text

from casebook.analytics.summaries import rebuild_summaries
from casebook.importing.cells import COLUMNS
from casebook.importing.run import import_incidents
from casebook.importing.spreadsheet import csv_bytes

ROWS = [
    {
        "external_id": f"SUM-{i}",
        "title": f"사건 {i}",
        "reported_on": f"2024-0{8 + i % 2}-1{i}",
        "occurred_on": "2024-08-01" if i % 3 else "",
        "institution": name,
        "platform": ("telegram", "discord")[i % 2],
        "room_members": str(50 * i) if i % 4 else "",
        "victims": str(i + 1),
        "victims_minor": str(i % 2),
        "suspects": "2",
        "suspects_teen": str(i % 3),
        "conducts": ("create;distribute", "view", "possess;sell")[i % 3],
        "status": ("reported", "investigating")[i % 2],
    }
    for i, name in enumerate(["인하대학교", "서울고등학교"] * 2 + ["인하대학교"])
]


def _cube(session) -> list[tuple]:
    rows = session.connection().execute(
        text(
            "SELECT measure, key, month, region, kind, platform, status, gap, n, total "
            "FROM analytics_cube WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
        )
    )
    return [tuple(r) for r in rows]


def _version(session) -> int:
    return session.connection().execute(text("SELECT version FROM analytics_state")).scalar()


def test_import_keeps_the_summary_cube_right(session, factory) -> None:
    factory.institution(name="인하대학교", region="incheon")
    factory.institution(name="서울고등학교", kind="high_school", region="seoul")
    factory.incident(title="form save first")
    before = _version(session)
    data = csv_bytes(COLUMNS, [[r.get(c, "") for c in COLUMNS] for r in ROWS])
    report = import_incidents(session, actor=factory.admin, data=data, filename="s.csv")
    assert report.committed and report.count("create") == len(ROWS)
    assert _version(session) > before
    kept = _cube(session)
    assert {m for m, *_ in kept} >= {"incident", "conduct", "institution", "room", "age"}
    rebuild_summaries(session)
    assert _cube(session) == kept
