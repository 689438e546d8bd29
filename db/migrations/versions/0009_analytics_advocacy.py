"""analytics advocacy: the advocacy brief's minor-victim, gap and takedown counts in the cube

Revision ID: 0010_analytics_advocacy
Revises: 0009_dashboard_include

The advocacy brief counted incidents with a minor victim, incidents per legal gap and
takedown requests per outcome from the base tables on every brief (with the rest of its
aggregates: 11–22 s at a million incidents). They become three measures of
analytics_cube (``minor``, ``link_gap``, ``takedown_req``; casebook.analytics_advocacy),
kept by their own triggers on incident, legallink and takedown, so that the brief reads
every figure from the cube as the dashboard does. No new table or column; only these
measures' rows are computed from the base tables (the rest of the cube is left as is).
"""

from collections.abc import Sequence

from alembic import op

from casebook import analytics_advocacy
from casebook.analytics_cube import bump_sql

revision: str = "0010_analytics_advocacy"
down_revision: str | None = "0009_dashboard_include"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    adv = analytics_advocacy
    stmts = adv.uninstall_sql(dialect) + adv.install_sql(dialect) + adv.refresh_sql(dialect)
    for stmt in [*stmts, bump_sql(dialect)]:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    names = ", ".join(f"'{m}'" for m in analytics_advocacy.MEASURES)
    drop = analytics_advocacy.uninstall_sql(dialect)
    for stmt in [*drop, f"DELETE FROM analytics_cube WHERE measure IN ({names})"]:
        op.execute(stmt)
