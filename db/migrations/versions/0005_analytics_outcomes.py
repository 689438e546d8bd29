"""analytics outcomes: legal-link gaps, releases, takedowns, institution discipline in the cube

Revision ID: 0006_analytics_outcomes
Revises: 0002_security

The dashboard read these four series from their base tables on every cold view (about
half its time at a million incidents). They become further measures of analytics_cube,
kept by triggers on legallink, takedown, incidentevent and incidentinstitution
(casebook.analytics.outcomes); the incident triggers are recreated to carry them when an
incident's dimensions change or it is deleted. No new table or column: the cube's rows
are recomputed from the base tables. Covering indexes on incident and incidentevent
serve the days of a month cut by a date range without reading the table rows; two
partial covering indexes on the cube's incident counts replace the (measure, month)
index on SQLite, which preferred it to the primary key only to look up every row it
found (PostgreSQL keeps it: without it a month range of one measure is a full scan).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.migrations.frozen import statements

# As in db.models.DASHBOARD_COLUMNS when this revision was written.
DASHBOARD_COLUMNS = ["reported_on", "reported_month", "region", "institution_kind", "platform",
                     "status", "legal_gap", "victims_count", "room_members"]  # fmt: skip

CUBE_MONTH_INDEX = ["month", "kind", "gap", "n", "total"]
CUBE_DIMS_INDEX = ["status", "region", "kind", "platform", "month", "n", "total"]
INCIDENT_ONLY = "measure = 'incident'"

revision: str = "0006_analytics_outcomes"
down_revision: str | None = "0002_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_index("ix_incident_dashboard", "incident", DASHBOARD_COLUMNS)
    op.create_index("ix_incidentevent_incident_kind", "incidentevent",
                    ["incident_id", "kind", "occurred_on", "reason"])  # fmt: skip
    if dialect == "sqlite":
        # PostgreSQL plans it well (a month range of one measure); SQLite preferred it to
        # the primary key even without a month range and then looked up every row.
        op.drop_index("ix_analytics_cube_measure_month", table_name="analytics_cube")
    where = {"sqlite_where": sa.text(INCIDENT_ONLY), "postgresql_where": sa.text(INCIDENT_ONLY)}
    op.create_index("ix_analytics_cube_incident_month", "analytics_cube", CUBE_MONTH_INDEX,
                    **where)  # fmt: skip
    op.create_index("ix_analytics_cube_incident_dims", "analytics_cube", CUBE_DIMS_INDEX,
                    **where)  # fmt: skip
    # The cube's triggers, recreated with the outcome measures, and its rebuild, as this
    # revision made them (frozen beside it).
    for stmt in statements(__file__, dialect, "upgrade"):
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    # Back to 0005_analytics's triggers and cube.
    for stmt in statements(__file__, dialect, "downgrade"):
        op.execute(stmt)
    op.drop_index("ix_analytics_cube_incident_dims", table_name="analytics_cube")
    op.drop_index("ix_analytics_cube_incident_month", table_name="analytics_cube")
    if dialect == "sqlite":
        op.create_index("ix_analytics_cube_measure_month", "analytics_cube", ["measure", "month"])
    op.drop_index("ix_incidentevent_incident_kind", table_name="incidentevent")
    op.drop_index("ix_incident_dashboard", table_name="incident")
