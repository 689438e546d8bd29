"""incident: on SQLite, the dashboard index also carries the JSON columns

Revision ID: 0011_sqlite_dashboard_json
Revises: 0010_analytics_advocacy

A date range that cuts through a month counts the cut days from the base tables
(casebook.analytics.sources). Migration 0009 gave PostgreSQL's ix_incident_dashboard the
suspects' age bands, the obstacles and is_demo as INCLUDE columns; on SQLite the index
lacked them, so the age bands and obstacles of those days looked up the wide incident row
of every incident (74,000 for the skewed bench's mid-month range at a million incidents:
age bands 128 -> 35 ms, obstacles 101 -> 6 ms; bench/README.md, Analytics). SQLite has
no INCLUDE: they become the index's last columns (the JSON values are short vocabulary
lists, checked on input by casebook.incidents.store); the row id is in every SQLite index.
PostgreSQL is left as it is.
"""

from collections.abc import Sequence

import sqlmodel  # noqa: F401
from alembic import op

# As in db.models when this revision was written.
DASHBOARD_COLUMNS = ["reported_on", "reported_month", "region", "institution_kind", "platform",
                     "status", "legal_gap", "victims_count", "room_members"]  # fmt: skip
SQLITE_TAIL = ["suspects_by_age", "obstacles", "is_demo"]

revision: str = "0011_sqlite_dashboard_json"
down_revision: str | None = "0010_analytics_advocacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_incident_dashboard", table_name="incident")
    op.create_index("ix_incident_dashboard", "incident", DASHBOARD_COLUMNS + SQLITE_TAIL)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_incident_dashboard", table_name="incident")
    op.create_index("ix_incident_dashboard", "incident", DASHBOARD_COLUMNS)
