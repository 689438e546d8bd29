"""SQLAlchemy Core views of the tables the dashboards read, without the SQLModel classes.

Building the SQLModel classes in db.models (and importing SQLModel and pydantic to do it)
costs about half a second of a process's start; `python -m casebook stats summary` must
answer in under a second at a million incidents (bench/README.md, Analytics), so the
analytics queries are written against these lightweight tables, which name only the
columns those queries read. db.models stays the one definition of the schema:
tests/test_tables.py checks that every column here exists there with the same type.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Date, Integer, String, column, table

analytics_cube = table(
    "analytics_cube",
    column("measure", String),
    column("key", String),
    column("month", String),
    column("region", String),
    column("kind", String),
    column("platform", String),
    column("status", String),
    column("gap", Integer),
    column("n", Integer),
    column("total", Integer),
)
analytics_state = table(
    "analytics_state", column("id", Integer), column("version", Integer), column("epoch", Integer)
)
incident = table(
    "incident",
    column("id", Integer),
    column("reported_on", Date),
    column("reported_month", String),
    column("region", String),
    column("institution_kind", String),
    column("platform", String),
    column("status", String),
    column("legal_gap", Boolean),
    column("victims_count", Integer),
    column("room_members", Integer),
    column("suspects_by_age", JSON),
    column("obstacles", JSON),
    column("is_demo", Boolean),
    column("has_minor", Boolean),
    column("victims_minor", Integer),
)
incident_conduct = table(
    "incidentconduct", column("incident_id", Integer), column("conduct", String)
)
incident_institution = table(
    "incidentinstitution", column("incident_id", Integer), column("institution_id", Integer)
)
incident_event = table(
    "incidentevent",
    column("id", Integer),
    column("incident_id", Integer),
    column("kind", String),
    column("occurred_on", Date),
    column("reason", String),
)
legal_link = table(
    "legallink",
    column("incident_id", Integer),
    column("conduct", String),
    column("gap", String),
    column("state", String),
)
takedown = table(
    "takedown",
    column("incident_id", Integer),
    column("platform", String),
    column("requested_on", Date),
    column("resolved_on", Date),
    column("outcome", String),
)
institution = table(
    "institution", column("id", Integer), column("name", String), column("kind", String)
)
user = table(
    "user",
    column("id", Integer),
    column("username", String),
    column("role", String),
    column("active", Boolean),
    column("can_see_victim_details", Boolean),
)

ALL = (
    analytics_cube,
    analytics_state,
    incident,
    incident_conduct,
    incident_institution,
    incident_event,
    legal_link,
    takedown,
    institution,
    user,
)
