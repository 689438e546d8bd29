"""The migrated schema and the SQLModel tables agree (apart from a short list of objects
that exist on one database only, by design), and the (region, kind) index that the
registry and the import's lookups use is really there."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import db.models  # noqa: F401 (registers the tables)


def _touches(diff: Any, table: str) -> bool:
    """Whether one autogenerate difference (a tuple, or a list of them) is about ``table``:
    its parts are table names, or Table, Index and Column objects."""
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item:
            owner = getattr(part, "table", None)  # an Index's or a Column's table
            target = part if owner is None else owner
            name = part if isinstance(part, str) else getattr(target, "name", None)
            if name == table:
                return True
    return False


def test_institution_region_kind_index_is_migrated(engine) -> None:
    indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("institution")}
    assert indexes["ix_institution_region_kind"] == ["region", "kind"]
    table = SQLModel.metadata.tables["institution"]
    assert {i.name: [c.name for c in i.columns] for i in table.indexes}[
        "ix_institution_region_kind"
    ] == ["region", "kind"]


def test_institution_table_matches_the_models(engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert [d for d in diffs if _touches(d, "institution")] == []


# Made by migrations for one database only, on purpose: SQLite's FTS5 table and its shadow
# tables (0004), PostgreSQL's trigram indexes for the same search (0004), the
# (measure, month) index PostgreSQL keeps and SQLite dropped in 0006, and SQLite's
# dashboard index with the JSON columns last (0011; checked by the test below).
DIALECT_ONLY = {
    "sqlite": {
        "incident_fts",
        "incident_fts_data",
        "incident_fts_idx",
        "incident_fts_docsize",
        "incident_fts_config",
        "ix_incident_dashboard",
    },
    "postgresql": {
        "ix_incident_title_trgm",
        "ix_incident_summary_trgm",
        "ix_analytics_cube_measure_month",
    },
}


def _name(diff: object) -> str:
    item = diff[0] if isinstance(diff, list) else diff
    return getattr(item[1], "name", str(item[1]))


def test_every_table_matches_the_models(engine) -> None:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    allowed = DIALECT_ONLY.get(engine.dialect.name, set())
    assert [str(d) for d in diffs if _name(d) not in allowed] == []


def test_dashboard_index_covers_the_cut_days_reads(engine) -> None:
    """Migrations 0009 and 0011: the index also carries the id and the JSON columns (on
    PostgreSQL as INCLUDE columns, on SQLite as its last columns, the row id implied), so
    the cut days of a date range are counted from the index alone."""
    from db.models import DASHBOARD_COLUMNS, DASHBOARD_INCLUDE, DASHBOARD_SQLITE_TAIL

    index = {i["name"]: i for i in inspect(engine).get_indexes("incident")}["ix_incident_dashboard"]
    included = index.get("dialect_options", {}).get("postgresql_include", [])
    if engine.dialect.name == "postgresql":
        assert index["column_names"] == list(DASHBOARD_COLUMNS)
        assert included == list(DASHBOARD_INCLUDE)
    else:
        assert index["column_names"] == list(DASHBOARD_COLUMNS + DASHBOARD_SQLITE_TAIL)
        assert included == []
