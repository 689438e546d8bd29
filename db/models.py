"""Storage tables. Validation of user input lives in casebook (the *Create/*Update
models); these classes describe rows and the indexes the common filters need.

Alembic is the only thing that creates these tables (db/migrations).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    # Usernames are stored lower-case (casebook.access.users); the index also refuses "Admin"
    # beside "admin" from any writer that skips that rule (migration 0012_sec_auth).
    __table_args__ = (Index("ux_user_username_lower", text("lower(username)"), unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    totp_secret_enc: str | None = Field(default=None, sa_column=Column(Text))
    totp_enabled: bool = False
    # Time step of the last accepted one-time code: a code is never accepted twice.
    totp_last_step: int | None = None
    can_see_victim_details: bool = False
    password_changed_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1
    # Bumped when the password, two-factor set-up, role or active flag changes, or on
    # "sign out everywhere": a sign-in made under an older value is over (casebook.access.auth).
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted per key in a window: an HMAC of a username (known or not)
    or of a client address, or the one global key (casebook.access.auth). No raw address or
    unknown name is stored."""

    key: str = Field(primary_key=True, max_length=80)
    failures: int = 0
    window_start: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = None


class Institution(SQLModel, table=True):
    # Region and kind are filtered together (registry, incident filters, imports).
    __table_args__ = (Index("ix_institution_region_kind", "region", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    name_normalized: str = Field(max_length=200, index=True)
    kind: str = Field(max_length=32, index=True)
    region: str = Field(max_length=16, index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    merged_into_id: int | None = Field(default=None, foreign_key="institution.id")
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class ChatRoom(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16, index=True)
    kind: str = Field(max_length=16)
    label: str = Field(max_length=200)
    identifier_enc: str | None = Field(default=None, sa_column=Column(Text))
    invite_link_enc: str | None = Field(default=None, sa_column=Column(Text))
    parent_id: int | None = Field(default=None, foreign_key="chatroom.id", index=True)
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class RoomObservation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="chatroom.id", index=True)
    observed_on: date
    members: int
    source: str = Field(default="", max_length=500)


DASHBOARD_COLUMNS = (
    "reported_on",
    "reported_month",
    "region",
    "institution_kind",
    "platform",
    "status",
    "legal_gap",
    "victims_count",
    "room_members",
)
# On PostgreSQL the index also carries these (migration 0009): there an index holds no
# row id unless asked to, and the cut days' age bands and obstacles would read the rows.
DASHBOARD_INCLUDE = ("id", "suspects_by_age", "obstacles", "is_demo")
# SQLite has no INCLUDE: there migration 0011 appends these as the index's last columns
# (the row id is in every SQLite index). Declared here for the schema test only; the
# model's index is the same on both databases.
DASHBOARD_SQLITE_TAIL = ("suspects_by_age", "obstacles", "is_demo")


class Incident(SQLModel, table=True):
    __table_args__ = (
        Index("ix_incident_status_reported", "status", "reported_on"),
        Index("ix_incident_region_reported", "region", "reported_on"),
        Index("ix_incident_kind_reported", "institution_kind", "reported_on"),
        Index("ix_incident_platform_reported", "platform", "reported_on"),
        Index("ix_incident_month_kind", "reported_month", "institution_kind"),
        Index("ix_incident_status_region", "status", "region"),
        # Covers every incident column a dashboard reads for the days of a month cut by
        # a date range (casebook.analytics.sources), so those reads skip the wide rows.
        Index(
            "ix_incident_dashboard", *DASHBOARD_COLUMNS, postgresql_include=list(DASHBOARD_INCLUDE)
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, max_length=100, unique=True)
    title: str = Field(max_length=300)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    reported_on: date = Field(index=True)
    occurred_on: date | None = None
    reported_month: str = Field(max_length=7)
    platform: str = Field(default="other", max_length=16)
    status: str = Field(default="reported", max_length=24)
    # Denormalised from the first institution so list filters hit one indexed table.
    region: str | None = Field(default=None, max_length=16)
    institution_kind: str | None = Field(default=None, max_length=32)
    victims_count: int | None = None
    victims_estimated: bool = False
    victims_minor: int = 0
    victim_groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    suspects_count: int | None = None
    suspects_by_age: dict[str, int] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    suspect_relation: str = Field(default="", max_length=200)
    room_members: int | None = None
    obstacles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sources: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    victim_contact_enc: str | None = Field(default=None, sa_column=Column(Text))
    has_minor: bool = Field(default=False, index=True)
    legal_gap: bool = Field(default=False, index=True)
    is_demo: bool = Field(default=False, index=True)
    is_synthetic: bool = False
    # Open in full only to its team (IncidentTeam) and admins (casebook.access.visibility).
    confidential: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class IncidentTeam(SQLModel, table=True):
    """A user who works a confidential incident (migration 0100_f19_access)."""

    incident_id: int = Field(foreign_key="incident.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class IncidentConsent(SQLModel, table=True):
    """What the victim (or a guardian) agreed to; no row means nothing was agreed."""

    incident_id: int = Field(foreign_key="incident.id", primary_key=True, ondelete="CASCADE")
    police: bool = False
    school: bool = False
    regulator: bool = False
    lawmakers: bool = False
    press: bool = False
    # Anonymous counts are the default (docs/security.md, "Who sees what"); a decline
    # takes the incident out of aggregate figures.
    statistics: bool = True
    given_by: str = Field(default="victim", max_length=12)  # victim / guardian
    given_on: date | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class IncidentInstitution(SQLModel, table=True):
    incident_id: int = Field(foreign_key="incident.id", primary_key=True, ondelete="CASCADE")
    institution_id: int = Field(foreign_key="institution.id", primary_key=True, index=True)
    position: int = 0


class IncidentRoom(SQLModel, table=True):
    incident_id: int = Field(foreign_key="incident.id", primary_key=True, ondelete="CASCADE")
    room_id: int = Field(foreign_key="chatroom.id", primary_key=True, index=True)


class IncidentConduct(SQLModel, table=True):
    __table_args__ = (Index("ix_incidentconduct_conduct", "conduct", "incident_id"),)

    incident_id: int = Field(foreign_key="incident.id", primary_key=True, ondelete="CASCADE")
    conduct: str = Field(max_length=16, primary_key=True)


class IncidentEvent(SQLModel, table=True):
    """A dated step in an incident's history: a status change, discipline, a note."""

    # Covers the per-incident event lookups of a dashboard's cut months (first police
    # step, releases, discipline) without reading the event rows.
    __table_args__ = (
        Index("ix_incidentevent_incident_kind", "incident_id", "kind", "occurred_on", "reason"),
        Index("ix_incidentevent_kind", "kind", "incident_id", "occurred_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    occurred_on: date
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    sentence: str = Field(default="", max_length=300)
    reason: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class LegalLink(SQLModel, table=True):
    """A provision version linked to an incident, for one conduct and victim group."""

    __table_args__ = (Index("ix_legallink_gap", "gap", "incident_id"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    conduct: str = Field(max_length=16)
    victim: str = Field(max_length=8)
    version_id: str = Field(max_length=120, index=True)
    basis: str = Field(max_length=8)  # "then" (date of the act) or "now"
    gap: str = Field(default="", max_length=24)  # "", "not_criminal_then", "penalty_raised"
    origin: str = Field(default="engine", max_length=8)  # "engine" or "lawyer"
    state: str = Field(default="suggested", max_length=12)  # suggested/confirmed/removed
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Takedown(SQLModel, table=True):
    __table_args__ = (Index("ix_takedown_outcome", "outcome", "platform"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=16, index=True)
    requested_on: date
    requested_by: str = Field(default="", max_length=120)
    outcome: str = Field(default="pending", max_length=12)  # pending/removed/refused
    resolved_on: date | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class Evidence(SQLModel, table=True):
    """Hashes of a file that was read in memory and discarded; never the file itself."""

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    sha256: str = Field(max_length=64, index=True)
    phash: str | None = Field(default=None, max_length=64)
    phash_kind: str | None = Field(default=None, max_length=16)
    size_bytes: int
    media_type: str = Field(max_length=100)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    registered_by_id: int | None = Field(default=None, foreign_key="user.id")
    registered_at: datetime = Field(default_factory=utcnow)


class CustodyEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=32)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class AuditLog(SQLModel, table=True):
    """Append-only; each row's hash covers its content and the previous row's hash."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = None
    actor_name: str = Field(default="", max_length=64)
    action: str = Field(max_length=48, index=True)
    entity: str = Field(max_length=32, index=True)
    entity_id: str = Field(default="", max_length=64)
    before: dict | None = Field(default=None, sa_column=Column(JSON))
    after: dict | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """One row holding the chain's tip; locking it serialises audit appends."""

    id: int = Field(default=1, primary_key=True)
    last_hash: str = Field(max_length=64)
    last_id: int = 0


class BriefRecord(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("sha256", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    lang: str = Field(max_length=2)
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)
    filename: str = Field(max_length=255)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class SecurityPolicy(SQLModel, table=True):
    """One row of sign-in policy an admin sets in the app (migration 0002_security)."""

    id: int = Field(default=1, primary_key=True)
    totp_required_roles: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")


CUBE_MONTH_INDEX = ("month", "kind", "gap", "n", "total")
CUBE_DIMS_INDEX = ("status", "region", "kind", "platform", "month", "n", "total")
INCIDENT_ONLY = "measure = 'incident'"


class AnalyticsCube(SQLModel, table=True):
    """Counts per reported month and filter dimensions, kept up to date by database
    triggers (migration 0005_analytics) so dashboards never scan the incident table.

    ``measure`` names what is counted: "incident" (key ""), "conduct" (key = conduct),
    "institution" (key = institution id), "age" (key = suspect age band, total = suspects),
    "room" (key = room size bucket, total = members), "obstacle" (key = obstacle); the
    outcome measures (casebook.analytics.outcomes, migration 0006) and the advocacy
    brief's (casebook.analytics.advocacy, migration 0010) follow the same pattern.
    Empty strings stand for unknown region / institution kind.
    """

    __tablename__ = "analytics_cube"
    # WITHOUT ROWID on SQLite: rows are stored in primary-key order, so one measure's
    # rows are contiguous and a dashboard query reads them without per-row lookups.
    # Two partial covering indexes serve the incident counts grouped by month and kind,
    # and by status, region, kind and platform, without sorting the measure's rows.
    # Migration 0006 also dropped the (measure, month) index on SQLite, which preferred it
    # to the primary key and then looked up every row; PostgreSQL keeps
    # ix_analytics_cube_measure_month (made by 0005) for month ranges of one measure.
    __table_args__ = (
        Index(
            "ix_analytics_cube_incident_month",
            *CUBE_MONTH_INDEX,
            sqlite_where=text(INCIDENT_ONLY),
            postgresql_where=text(INCIDENT_ONLY),
        ),
        Index(
            "ix_analytics_cube_incident_dims",
            *CUBE_DIMS_INDEX,
            sqlite_where=text(INCIDENT_ONLY),
            postgresql_where=text(INCIDENT_ONLY),
        ),
        {"sqlite_with_rowid": False},
    )

    measure: str = Field(max_length=16, primary_key=True)
    key: str = Field(max_length=64, primary_key=True)
    month: str = Field(max_length=7, primary_key=True)
    region: str = Field(max_length=16, primary_key=True)
    kind: str = Field(max_length=32, primary_key=True)
    platform: str = Field(max_length=16, primary_key=True)
    status: str = Field(max_length=24, primary_key=True)
    gap: int = Field(primary_key=True)
    n: int = 0
    total: int = 0


class AnalyticsState(SQLModel, table=True):
    """One row whose version every write to an incident-related table bumps (by trigger):
    dashboard caches are keyed on it, so a new incident shows at once."""

    __tablename__ = "analytics_state"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    epoch: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


class BulkWrite(SQLModel, table=True):
    """A row that exists only inside a bulk write's transaction (casebook.analytics.bulk_upkeep).

    Its deferred foreign key points at a row that never exists, so a commit made before
    the bulk write has redone the summary upkeep fails instead of leaving it wrong."""

    __tablename__ = "bulk_write"

    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    never: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("bulk_write.id", deferrable=True, initially="DEFERRED"),
            nullable=False,
        )
    )


class Task(SQLModel, table=True):
    """Something someone must do for an incident, by a date (issue 22, "What is due")."""

    __table_args__ = (
        Index("ix_task_assignee_open", "assignee_id", "done_on", "due_on"),
        Index("ix_task_open_due", "done_on", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=300)
    assignee_id: int | None = Field(default=None, foreign_key="user.id")
    due_on: date | None = None
    done_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class Deadline(SQLModel, table=True):
    """A legal deadline of an incident: the rule (kb/korea/deadlines), the day that started
    it, the date the app computed and, once a lawyer has looked, the date they confirmed
    or corrected. ``state`` stays "computed" until then."""

    __table_args__ = (
        UniqueConstraint("incident_id", "rule_id", "trigger_on", name="uq_deadline_rule_trigger"),
        Index("ix_deadline_open_due", "done_on", "due_on"),
        Index("ix_deadline_assignee_open", "assignee_id", "done_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    rule_id: str = Field(max_length=40)
    trigger_on: date
    computed_on: date | None = None  # None: no limitation applies
    due_on: date | None = None  # what the list sorts by: confirmed, else computed
    state: str = Field(default="computed", max_length=12)  # computed/confirmed/corrected
    basis: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    assignee_id: int | None = Field(default=None, foreign_key="user.id")
    done_on: date | None = None
    confirmed_by_id: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class RemovalRequest(SQLModel, table=True):
    """A request to take down one location (URL, post, channel, file, search result) of
    an incident through one channel; ``parent_id`` links a re-upload to the request whose
    removal it undid (issue 22, "Deletion support, per location")."""

    __table_args__ = (Index("ix_removalrequest_status", "status", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True, ondelete="CASCADE")
    location: str = Field(sa_column=Column(Text, nullable=False))
    location_kind: str = Field(max_length=16)
    channel: str = Field(max_length=16)
    platform: str = Field(default="other", max_length=16)
    status: str = Field(default="requested", max_length=16)  # the latest step
    requested_on: date
    parent_id: int | None = Field(default=None, foreign_key="removalrequest.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class RemovalStep(SQLModel, table=True):
    """A dated step of a removal request: requested, acknowledged, deleted, blocked,
    refused, or no answer by a date; who and a note."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="removalrequest.id", index=True, ondelete="CASCADE")
    step: str = Field(max_length=16)
    occurred_on: date
    by_whom: str = Field(default="", max_length=120)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class RemovalCheck(SQLModel, table=True):
    """A re-check of a removed location: still gone, or re-uploaded (which opens the
    linked request ``new_request_id``)."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="removalrequest.id", index=True, ondelete="CASCADE")
    checked_on: date
    result: str = Field(max_length=16)  # still_gone / reuploaded
    new_request_id: int | None = Field(default=None, foreign_key="removalrequest.id")
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
