"""security: sign-in policy table, TOTP replay guard; append-only audit table on PostgreSQL

Revision ID: 0002_security
Revises: 0005_analytics

On PostgreSQL a trigger refuses UPDATE and DELETE on ``auditlog``: the application only
ever appends, so any change is tampering (or a mistake). TRUNCATE is left alone so an
operator can still empty a database before ``backup restore``; the hash chain
(``python -m casebook audit verify``) remains the check that covers everything else.
SQLite has no equivalent that a file owner could not drop, so it relies on the chain.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0002_security"
down_revision: str | None = "0005_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FUNCTION = """
CREATE OR REPLACE FUNCTION casebook_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'auditlog is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
_TRIGGER = """
CREATE TRIGGER auditlog_append_only BEFORE UPDATE OR DELETE ON auditlog
FOR EACH ROW EXECUTE FUNCTION casebook_audit_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "securitypolicy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("totp_required_roles", sa.JSON(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_FUNCTION)
        op.execute(_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS auditlog_append_only ON auditlog")
        op.execute("DROP FUNCTION IF EXISTS casebook_audit_append_only()")
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("totp_last_step")
    op.drop_table("securitypolicy")
