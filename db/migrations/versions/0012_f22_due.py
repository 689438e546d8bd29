"""task, deadline and removal requests: what is due for an incident (issue 22)

Revision ID: 0100_f22_due
Revises: 0011_sqlite_dashboard_json

Tasks (what, who, by when, done) and legal deadlines (the rule, the day that started it,
the computed date and the date a lawyer confirmed or corrected); takedown requests per
location with their dated steps and re-checks. Self-contained: the
columns are written out here as they were when this revision was made.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0100_f22_due"
down_revision: str | None = "0012_sec_auth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("user.id"), nullable=True)


def _incident() -> sa.Column:
    return sa.Column(
        "incident_id",
        sa.Integer(),
        sa.ForeignKey("incident.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), primary_key=True),
        _incident(),
        sa.Column("title", sa.String(length=300), nullable=False),
        _user("assignee_id"),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        _user("created_by_id"),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        _user("updated_by_id"),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_task_incident_id", "task", ["incident_id"])
    op.create_index("ix_task_assignee_open", "task", ["assignee_id", "done_on", "due_on"])
    op.create_index("ix_task_open_due", "task", ["done_on", "due_on"])
    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), primary_key=True),
        _incident(),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("trigger_on", sa.Date(), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        _user("assignee_id"),
        sa.Column("done_on", sa.Date(), nullable=True),
        _user("confirmed_by_id"),
        sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        _user("created_by_id"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint(
            "incident_id", "rule_id", "trigger_on", name="uq_deadline_rule_trigger"
        ),
    )
    op.create_index("ix_deadline_incident_id", "deadline", ["incident_id"])
    op.create_index("ix_deadline_open_due", "deadline", ["done_on", "due_on"])
    op.create_index("ix_deadline_assignee_open", "deadline", ["assignee_id", "done_on"])
    _removal_tables()


def _removal_tables() -> None:
    op.create_table(
        "removalrequest",
        sa.Column("id", sa.Integer(), primary_key=True),
        _incident(),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("location_kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("removalrequest.id"), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        _user("created_by_id"),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_removalrequest_incident_id", "removalrequest", ["incident_id"])
    op.create_index("ix_removalrequest_parent_id", "removalrequest", ["parent_id"])
    op.create_index("ix_removalrequest_status", "removalrequest", ["status", "channel"])
    request_fk = sa.ForeignKey("removalrequest.id", ondelete="CASCADE")
    op.create_table(
        "removalstep",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), request_fk, nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("by_whom", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        _user("created_by_id"),
    )
    op.create_index("ix_removalstep_request_id", "removalstep", ["request_id"])
    op.create_table(
        "removalcheck",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("removalrequest.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("new_request_id", sa.Integer(), sa.ForeignKey("removalrequest.id"), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        _user("created_by_id"),
    )
    op.create_index("ix_removalcheck_request_id", "removalcheck", ["request_id"])


def downgrade() -> None:
    op.drop_table("removalcheck")
    op.drop_table("removalstep")
    op.drop_table("removalrequest")
    op.drop_table("deadline")
    op.drop_table("task")
