"""Summary cube, search index and data version for writes of many incidents at once.

Row triggers keep ``analytics_cube``, ``incident_fts`` (SQLite) and ``analytics_state``
right after every write, one row at a time. For a file of 10,000 incidents that is about
140,000 trigger runs, most of an import's time on SQLite. ``bulk_write`` switches them off
in its own transaction and does the same upkeep set-wise for the incidents it touches:

1. on entry, take those incidents' contributions out of the cube (the rebuild SQL of
   casebook.analytics.cube restricted to them, negated) and their rows out of the FTS
   index;
2. the caller writes, with the upkeep triggers off;
3. on exit, put the triggers back, count the same incidents in again as they now are,
   index them again and bump the data version once.

This is exact because every measure of the cube is a sum over incidents of what each one,
with its child rows, contributes; so the caller must write only rows of the incidents it
names (their child rows included) and say which ones it created. tests/analytics/test_bulk_upkeep.py
compares the cube with a full rebuild after bulk creates and updates.

How the triggers are switched off, for this transaction only (migration 0008_bulk_write):

- PostgreSQL: every row trigger's WHEN clause reads a transaction-local setting
  (``set_config(..., true)``), which no other session sees and which ends with the
  transaction. No lock, no catalog change.
- SQLite: the upkeep triggers of the incident tables are dropped inside the transaction
  and created again from their own stored SQL before it commits (DDL is transactional in
  SQLite). A WHEN check would not do: SQLite still enters each trigger's program for
  every row, which cost about as much as the triggers' work (0.4 s of 0.55 s for the
  incidents of a 10,000-row file). Readers keep seeing the last committed schema and data
  (WAL), and SQLite has one writer at a time, so no other write runs without them.

On both, a row in ``bulk_write`` marks the pause. Its deferred foreign key points at a row
that never exists, so a commit made inside the block (before the upkeep is done) fails
instead of leaving the summaries wrong. Any failure inside: the caller rolls back, and
the triggers, cube and index are as they were.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import bindparam, text
from sqlmodel import Session

from casebook.analytics.cube import bump_sql
from casebook.analytics.sql_triggers import PAUSE_SETTING
from casebook.analytics.summaries import delta_sql

# Incident ids are passed as one parameter: a JSON array on SQLite, an array on PostgreSQL.
ONLY = {
    "sqlite": "{id} IN (SELECT value FROM json_each(:ids))",
    "postgresql": "{id} = ANY(:ids)",
}
RANGE = "{id} BETWEEN :lo AND :hi"
# SQLite: the tables whose rows belong to an incident, and the triggers on them whose work
# this module redoes (summary cube, data version, FTS index). Others are left alone.
INCIDENT_TABLES = (
    "incident",
    "incidentconduct",
    "incidentinstitution",
    "incidentroom",
    "incidentevent",
    "legallink",
    "takedown",
)
UPKEEP_TRIGGERS = ("trg_cube_", "trg_ver_", "incident_fts_")
_FTS_OUT = (
    "INSERT INTO incident_fts(incident_fts, rowid, title, summary) "
    "SELECT 'delete', id, title, summary FROM incident WHERE "
)
_FTS_IN = (
    "INSERT INTO incident_fts(rowid, title, summary) SELECT id, title, summary FROM incident WHERE "
)


class Batch:
    """The incidents a bulk write touches: those it found (``existing``) and creates."""

    def __init__(self, existing: Iterable[int]) -> None:
        self.existing = list(dict.fromkeys(existing))
        self.created: list[int] = []

    def add_created(self, ids: Iterable[int]) -> None:
        self.created.extend(ids)


@contextmanager
def bulk_write(session: Session, *, existing: Iterable[int] = ()) -> Iterator[Batch]:
    """Write many incidents with the per-row upkeep off, then do it set-wise.

    ``existing``: ids of incidents the block will change or delete (with their child
    rows); record the ids of incidents it creates with ``batch.add_created``. The caller
    owns the transaction: commit after the block, roll back if it raises.
    """
    dialect = session.get_bind().dialect.name
    batch = Batch(existing)
    paused = _pause(session, dialect)  # first: on SQLite this write takes the write lock
    _upkeep(session, dialect, batch.existing, sign=-1)
    yield batch
    _resume(session, dialect, paused)
    _upkeep(session, dialect, batch.existing, sign=1)
    _upkeep(session, dialect, batch.created, sign=1)  # apart: usually one run of ids
    session.execute(text(bump_sql(dialect)))


def _pause(session: Session, dialect: str) -> list[str]:
    """Switch the upkeep triggers off; on SQLite, the CREATE statements to put back."""
    session.execute(text("INSERT INTO bulk_write (id, never) VALUES (1, 0)"))
    if dialect == "postgresql":
        session.execute(text("SELECT set_config(:name, 'on', true)"), {"name": PAUSE_SETTING})
        return []
    query = text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name IN :tables ORDER BY name"
    )
    query = query.bindparams(bindparam("tables", expanding=True))
    found = session.execute(query, {"tables": list(INCIDENT_TABLES)}).all()
    triggers = [(name, sql) for name, sql in found if name.startswith(UPKEEP_TRIGGERS)]
    for name, _ in triggers:
        session.connection().exec_driver_sql(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in triggers]


def _resume(session: Session, dialect: str, paused: list[str]) -> None:
    if dialect == "postgresql":
        session.execute(text("SELECT set_config(:name, 'off', true)"), {"name": PAUSE_SETTING})
    for sql in paused:  # as stored: exec_driver_sql, so no ':' in them is read as a bind
        session.connection().exec_driver_sql(sql)
    session.execute(text("DELETE FROM bulk_write"))


def _upkeep(session: Session, dialect: str, ids: list[int], sign: int) -> None:
    """Add (+1) or take out (-1) these incidents' cube rows and FTS entries."""
    if not ids:
        return
    if ids == list(range(ids[0], ids[0] + len(ids))):
        # A run of consecutive ids (the incidents an import creates): a range scan of
        # the tables instead of a lookup table of 10,000 ids built for each statement.
        only, params = RANGE, {"lo": ids[0], "hi": ids[-1]}
    else:
        only = ONLY[dialect]
        params = {"ids": ids if dialect == "postgresql" else json.dumps(ids)}
    for stmt in delta_sql(dialect, only, sign):
        session.execute(text(stmt), params)
    if dialect == "sqlite":
        fts = _FTS_IN if sign > 0 else _FTS_OUT
        session.execute(text(fts + only.format(id="id")), params)
