"""sign-in: session epoch, failed sign-ins per key, usernames unique regardless of case

Revision ID: 0012_sec_auth
Revises: 0011_sqlite_dashboard_json

``user.session_epoch`` ends a user's other sign-ins when their password, two-factor set-up,
role or active flag changes (issue 15, M-6). ``signinthrottle`` counts failed sign-ins per
HMAC of a username (known or not: M-7) and of a client address, plus one global key (L-1).
Usernames become lower-case and unique regardless of case (L-2); if two existing names
differ only by case the upgrade stops and names them, so an operator renames one first
(nothing is merged silently).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0012_sec_auth"
down_revision: str | None = "0011_sqlite_dashboard_json"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CLASHES = (
    'SELECT lower(username) AS name, count(*) FROM "user" GROUP BY lower(username) '
    "HAVING count(*) > 1"
)


def upgrade() -> None:
    bind = op.get_bind()
    clashes = [row[0] for row in bind.execute(sa.text(_CLASHES))]
    if clashes:
        raise RuntimeError(
            "usernames that differ only by upper/lower case must be renamed first: "
            + ", ".join(sorted(clashes))
        )
    op.execute('UPDATE "user" SET username = lower(username) WHERE username <> lower(username)')
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_index("ux_user_username_lower", "user", [sa.text("lower(username)")], unique=True)
    op.create_table(
        "signinthrottle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("signinthrottle")
    op.drop_index("ux_user_username_lower", table_name="user")
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("session_epoch")
