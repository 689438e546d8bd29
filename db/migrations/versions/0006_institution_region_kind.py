"""institution: composite index on (region, kind)

Revision ID: 0007_inst_region_kind
Revises: 0006_analytics_outcomes

The registry and the incident filters narrow institutions by region and kind together
(list_institutions, the import's institution checks, dashboards by region and kind);
one (region, kind) index answers both columns where the single-column indexes answer one.
"""

from collections.abc import Sequence

import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0007_inst_region_kind"
down_revision: str | None = "0006_analytics_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_institution_region_kind", "institution", ["region", "kind"])


def downgrade() -> None:
    op.drop_index("ix_institution_region_kind", table_name="institution")
