"""analytics advocacy: the advocacy brief's minor-victim, gap and takedown counts in the cube

Revision ID: 0010_analytics_advocacy
Revises: 0009_dashboard_include

The advocacy brief counted incidents with a minor victim, incidents per legal gap and
takedown requests per outcome from the base tables on every brief (with the rest of its
aggregates: 11–22 s at a million incidents). They become three measures of
analytics_cube (``minor``, ``link_gap``, ``takedown_req``; casebook.analytics.advocacy),
kept by their own triggers on incident, legallink and takedown, so that the brief reads
every figure from the cube as the dashboard does. No new table or column; only these
measures' rows are computed from the base tables (the rest of the cube is left as is).
"""

from collections.abc import Sequence

from alembic import op

from db.migrations.frozen import statements

revision: str = "0010_analytics_advocacy"
down_revision: str | None = "0009_dashboard_include"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The three measures' triggers, their rows computed from the base tables and a bump
    # of the data version, as this revision made them (frozen beside it).
    for stmt in statements(__file__, op.get_bind().dialect.name, "upgrade"):
        op.execute(stmt)


def downgrade() -> None:
    for stmt in statements(__file__, op.get_bind().dialect.name, "downgrade"):
        op.execute(stmt)
