"""bulk writes: the per-row summary triggers can be switched off by the writing transaction

Revision ID: 0008_bulk_write
Revises: 0007_inst_region_kind

A bulk import of 10,000 incidents ran ~140,000 row triggers (summary cube, data version,
full-text index on SQLite): most of its time. casebook.analytics.bulk_upkeep switches them off for
its own transaction and does the same upkeep set-wise for the incidents it wrote.

``bulk_write`` holds one row while a bulk write runs, in that write's transaction only.
The row's deferred self-referencing foreign key points at a row that never exists, so a
commit made before the bulk write has put the upkeep back fails instead of leaving the
summaries wrong. PostgreSQL: every row trigger of the cube gains a WHEN check of the
transaction-local setting ``casebook.bulk_write`` (``set_config(..., true)``: no other
session sees it, and it ends with the transaction). SQLite: the bulk write drops the
triggers inside its transaction and recreates them before committing (a WHEN check
would still cost SQLite a trigger program per row). The cube itself is unchanged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

from db.migrations.frozen import statements

revision: str = "0008_bulk_write"
down_revision: str | None = "0007_inst_region_kind"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bulk_write",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("never", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(
            ["never"], ["bulk_write.id"], deferrable=True, initially="DEFERRED"
        ),  # fmt: skip
    )
    if op.get_bind().dialect.name == "postgresql":
        # The cube's triggers recreated with the WHEN check (frozen beside this file).
        for stmt in statements(__file__, "postgresql", "upgrade"):
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for stmt in statements(__file__, "postgresql", "downgrade"):
            op.execute(stmt)
    op.drop_table("bulk_write")
