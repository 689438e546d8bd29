"""analytics: summary cube kept by triggers, data version, indexes for dashboard queries

Revision ID: 0005_analytics
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

from db.migrations.frozen import statements

revision: str = "0005_analytics"
down_revision: str | None = "0004_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_cube",
        sa.Column("measure", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("gap", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "measure", "key", "month", "region", "kind", "platform", "status", "gap"
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_analytics_cube_measure_month", "analytics_cube", ["measure", "month"])
    op.create_table(
        "analytics_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_incidentevent_kind", "incidentevent", ["kind", "incident_id", "occurred_on"]
    )
    op.create_index("ix_legallink_gap", "legallink", ["gap", "incident_id"])
    op.create_index("ix_takedown_outcome", "takedown", ["outcome", "platform"])
    # The cube's triggers and its rebuild as this revision made them (frozen beside it).
    for stmt in statements(__file__, op.get_bind().dialect.name, "upgrade"):
        op.execute(stmt)


def downgrade() -> None:
    for stmt in statements(__file__, op.get_bind().dialect.name, "downgrade"):
        op.execute(stmt)
    op.drop_index("ix_takedown_outcome", table_name="takedown")
    op.drop_index("ix_legallink_gap", table_name="legallink")
    op.drop_index("ix_incidentevent_kind", table_name="incidentevent")
    op.drop_table("analytics_state")
    op.drop_index("ix_analytics_cube_measure_month", table_name="analytics_cube")
    op.drop_table("analytics_cube")
