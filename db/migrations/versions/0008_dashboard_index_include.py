"""incident: on PostgreSQL, the dashboard index also carries id and the JSON columns

Revision ID: 0009_dashboard_include
Revises: 0008_bulk_write

A date range that cuts through a month counts the cut days from the base tables
(casebook.analytics.sources). On PostgreSQL, ix_incident_dashboard lacked the incident
id (SQLite indexes carry the rowid), the suspects' age bands and the obstacles, so those
series read the wide incident rows for every incident of the cut days: about 1.3 s for
the age bands of 130,000 incidents at a million, against 0.3 s from the index alone
(bench/README.md, Analytics). The index is rebuilt with those columns as INCLUDE
columns (leaf pages only; the JSON values are short vocabulary lists, checked on input
by casebook.incidents.store). SQLite keeps its index.
"""

from collections.abc import Sequence

import sqlmodel  # noqa: F401
from alembic import op

# As in db.models when this revision was written.
DASHBOARD_COLUMNS = ["reported_on", "reported_month", "region", "institution_kind", "platform",
                     "status", "legal_gap", "victims_count", "room_members"]  # fmt: skip
DASHBOARD_INCLUDE = ["id", "suspects_by_age", "obstacles", "is_demo"]

revision: str = "0009_dashboard_include"
down_revision: str | None = "0008_bulk_write"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_incident_dashboard", table_name="incident")
    op.create_index("ix_incident_dashboard", "incident", DASHBOARD_COLUMNS,
                    postgresql_include=DASHBOARD_INCLUDE)  # fmt: skip


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_incident_dashboard", table_name="incident")
    op.create_index("ix_incident_dashboard", "incident", DASHBOARD_COLUMNS)
