"""incident.confidential, incidentteam and incidentconsent (issue 19)

Revision ID: 0100_f19_access
Revises: 0011_sqlite_dashboard_json

A confidential incident opens in full only to its team and admins; the consent row
records what the victim or a guardian agreed to. Existing incidents stay not
confidential and get no consent row: nothing may be shared, and they keep counting in
anonymous statistics (docs/security.md, "Who sees what").

The column is added with ALTER TABLE (not a batch copy): on SQLite a table copy would
drop the analytics triggers of migration 0005.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0100_f19_access"
down_revision: str | None = "0100_f22_due"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "incident",
        sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "incidentteam",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("incident_id", "user_id"),
    )
    op.create_index("ix_incidentteam_user_id", "incidentteam", ["user_id"])
    op.create_table(
        "incidentconsent",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("police", sa.Boolean(), nullable=False),
        sa.Column("school", sa.Boolean(), nullable=False),
        sa.Column("regulator", sa.Boolean(), nullable=False),
        sa.Column("lawmakers", sa.Boolean(), nullable=False),
        sa.Column("press", sa.Boolean(), nullable=False),
        sa.Column("statistics", sa.Boolean(), nullable=False),
        sa.Column("given_by", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
    )


def downgrade() -> None:
    op.drop_table("incidentconsent")
    op.drop_index("ix_incidentteam_user_id", table_name="incidentteam")
    op.drop_table("incidentteam")
    # DROP COLUMN in place (SQLite 3.35+), for the same reason as the ADD above.
    op.drop_column("incident", "confidential")
