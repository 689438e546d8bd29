"""Who sees what of an incident: the one rule every read applies (issue 19).

Three levels, decided per actor and incident by ``access_level``:

- ``full``: every field. Admins; lawyers and advocates on an incident that is not
  confidential; the team of a confidential incident (a viewer on a team stays redacted).
- ``redacted``: counts, dates, status, platform, institution kind and region, conduct and
  the legal answer (provision, basis, gap, state); no free text and no names
  (``FREE_TEXT`` below). Viewers get this on every incident that is not confidential.
- ``hidden``: a confidential incident seen by someone outside its team. It is counted in
  dashboards and statistics (the analytics cube counts every incident) and nowhere
  else: lists, search and exports leave it out, and a read by id says NotFound, so that
  its existence is not confirmed either.

Reads call ``open_incident`` (one incident) or ``visible_clause`` (lists), then pass what
they return through ``redact``; nothing else decides what a role sees. A full read of a
confidential incident is audited.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from sqlalchemy import false, or_
from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import Actor, can, require
from casebook.errors import NotFound, PermissionDenied
from db.models import Incident, IncidentTeam

Level = Literal["full", "redacted", "hidden"]
FULL: Level = "full"
REDACTED: Level = "redacted"
HIDDEN: Level = "hidden"

# Free text and names of people, by the kind of row a read returns. Redacted readers get
# these blanked ("" / [] / {} / None); every other field of the row is theirs.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "incident": (
        "title",
        "summary",
        "notes",
        "suspect_relation",
        "tags",
        "sources",
        "external_id",
        "victim_contact_enc",
    ),
    "incident_row": ("title",),
    "institution": ("name", "name_normalized", "aliases"),
    "evidence": ("note",),
    "custody": ("note",),
    "event": ("note", "sentence"),
    "legal_link": ("note",),
    "takedown": ("note", "requested_by"),
}

ROLES = ("admin", "lawyer", "advocate", "viewer")


def team_of(session: Session, incident_id: int) -> set[int]:
    """The user ids on an incident's team."""
    query = select(IncidentTeam.user_id).where(IncidentTeam.incident_id == incident_id)
    return set(session.exec(query))


def level_for(role: str, *, confidential: bool, on_team: bool) -> Level:
    """The rule itself, on plain facts: what ``access_level`` and the docs' matrix use."""
    if role == "admin":
        return FULL
    if confidential and not on_team:
        return HIDDEN
    return FULL if role in ("lawyer", "advocate") else REDACTED


def access_level(session: Session, actor: Actor | None, incident: Incident) -> Level:
    """How much of ``incident`` the actor may see (refuses one who may not read at all)."""
    require(actor, "incident.read")
    assert actor is not None
    on_team = bool(incident.confidential) and actor.id in team_of(session, incident.id)
    return level_for(actor.role, confidential=bool(incident.confidential), on_team=on_team)


def open_incident(
    session: Session, actor: Actor | None, incident_id: int
) -> tuple[Incident, Level]:
    """The incident and the actor's level; NotFound when missing or hidden from them.

    Every full read of a confidential incident leaves an audit row."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        require(actor, "incident.read")
        raise NotFound()
    level = access_level(session, actor, incident)
    if level == HIDDEN:
        raise NotFound()
    if level == FULL and incident.confidential:
        audit.begin_write(session)
        audit.record(
            session,
            actor=actor,
            action="incident.read_confidential",
            entity="incident",
            entity_id=incident_id,
        )
        session.commit()
        session.refresh(incident)
    return incident, level


def require_writable(session: Session, actor: Actor | None, incident: Incident | None) -> None:
    """A write to an incident the actor may not see is NotFound, as a read would be."""
    if incident is None:
        raise NotFound()
    if incident.confidential and access_level(session, actor, incident) == HIDDEN:
        raise NotFound()


def visible_clause(session: Session, actor: Actor | None) -> list:
    """WHERE clauses leaving out the confidential incidents ``actor`` may not see."""
    require(actor, "incident.read")
    assert actor is not None
    if actor.role == "admin":
        return []
    mine = select(IncidentTeam.incident_id).where(IncidentTeam.user_id == actor.id)
    return [or_(col(Incident.confidential) == false(), col(Incident.id).in_(mine))]


def list_level(actor: Actor | None) -> Level:
    """The level of a list row: visible_clause has already dropped hidden incidents, and
    a team member's confidential row is as open as the same role's other rows."""
    require(actor, "incident.read")
    assert actor is not None
    return FULL if can(actor, "incident.text") else REDACTED


def require_text(actor: Actor | None, *, used: bool) -> None:
    """Refuse a free-text or legal-note filter to a reader who may not read that text:
    a search answers "which incidents say X", which is reading X."""
    if used and not can(actor, "incident.text"):
        raise PermissionDenied("access.text_filter_refused")


def _blank(value: Any) -> Any:
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return None


def redact(row: Any, kind: str, level: Level) -> Any:
    """``row`` as ``level`` may see it: the row itself when full, else a detached copy
    with ``FREE_TEXT[kind]`` blanked (the stored row is never changed)."""
    if level == FULL:
        return row
    if level == HIDDEN:
        raise NotFound()
    hidden = FREE_TEXT[kind]
    if dataclasses.is_dataclass(row):
        return dataclasses.replace(row, **{f: _blank(getattr(row, f)) for f in hidden})
    values = {name: getattr(row, name) for name in type(row).model_fields}
    copy = type(row)(**{k: v for k, v in values.items() if k not in hidden})
    for name in hidden:
        setattr(copy, name, _blank(values.get(name)))
    return copy


def visible_fields(kind: str, fields: tuple[str, ...], level: Level) -> frozenset[str]:
    """The fields of a ``kind`` row (named by ``fields``) that ``level`` receives."""
    if level == FULL:
        return frozenset(fields)
    if level == HIDDEN:
        return frozenset()
    return frozenset(fields) - set(FREE_TEXT[kind])


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with ESCAPE '\\': % and _ match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Who sees what, as docs/security.md shows it: the table is made from the rule above
# (tests/test_docs.py fails when the document and the code part).
MATRIX_COLUMNS = (
    ("admin", False, False),
    ("lawyer", False, False),
    ("advocate", False, False),
    ("viewer", False, False),
    ("lawyer", True, True),
    ("viewer", True, True),
    ("lawyer", True, False),
    ("advocate", True, False),
    ("viewer", True, False),
)
_CELL = {FULL: "yes", REDACTED: "—", HIDDEN: "hidden"}


def _heading(role: str, confidential: bool, on_team: bool) -> str:
    if not confidential:
        return role
    return f"{role}, confidential, {'on the team' if on_team else 'not on the team'}"


def who_sees_what() -> str:
    """The "Who sees what" matrix (Markdown): for each kind of row and each free-text
    field, whether each role receives it. Every other field is received by every role
    that may read the incident at all."""
    head = [_heading(*c) for c in MATRIX_COLUMNS]
    lines = [
        "| row | free-text field | " + " | ".join(head) + " |",
        "|---|---|" + "---|" * len(head),
    ]
    levels = [level_for(r, confidential=c, on_team=t) for r, c, t in MATRIX_COLUMNS]
    other = " | ".join("hidden" if lv == HIDDEN else "yes" for lv in levels)
    for kind, names in FREE_TEXT.items():
        for name in names:
            lines.append(f"| {kind} | {name} | " + " | ".join(_CELL[lv] for lv in levels) + " |")
        lines.append(f"| {kind} | every other field | {other} |")
    return "\n".join(lines) + "\n"
