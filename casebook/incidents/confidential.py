"""Confidential incidents and their case teams (issue 19).

A confidential incident opens in full only to its team and to admins; everyone else
finds it only in counts (casebook.access.visibility decides; this module sets the flag
and the team). Only an admin or a member of the team may change either, and every
change is audited with the team before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.access.visibility import FULL, open_incident, team_of
from casebook.errors import InvalidInput, PermissionDenied
from db.models import Incident, IncidentTeam, User


@dataclass(frozen=True)
class Member:
    id: int
    username: str
    display_name: str
    role: str


@dataclass(frozen=True)
class CaseAccess:
    confidential: bool
    team: list[Member]
    candidates: list[Member]  # active users who may join (viewers read redacted anyway)


def _members(session: Session, ids: set[int] | None) -> list[Member]:
    query = select(User).where(col(User.active)).order_by(col(User.username))
    if ids is not None:
        query = query.where(col(User.id).in_(ids))
    return [Member(u.id, u.username, u.display_name, u.role) for u in session.exec(query)]


def case_access(session: Session, *, actor: User | None, incident_id: int) -> CaseAccess:
    """The incident's confidentiality and team, for someone who reads it in full."""
    incident, level = open_incident(session, actor, incident_id)
    if level != FULL:
        raise PermissionDenied("access.team_only")
    team = team_of(session, incident_id)
    return CaseAccess(bool(incident.confidential), _members(session, team), _members(session, None))


def set_confidential(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    confidential: bool,
    team: list[int],
) -> Incident:
    """Mark an incident confidential (or not) and set its team; audited.

    A non-admin who marks an incident confidential stays on its team: otherwise the
    save would lock its own author out."""
    require(actor, "incident.write")
    incident, level = open_incident(session, actor, incident_id)
    if level != FULL:
        raise PermissionDenied("access.team_only")
    wanted = set(team)
    if actor is not None and actor.role != "admin":
        wanted.add(actor.id)
    known = set(session.exec(select(User.id).where(col(User.id).in_(wanted), col(User.active))))
    if known != wanted:
        raise InvalidInput({"team": "access.unknown_user"})
    before = {
        "confidential": bool(incident.confidential),
        "team": sorted(team_of(session, incident_id)),
    }
    audit.begin_write(session)
    session.exec(delete(IncidentTeam).where(col(IncidentTeam.incident_id) == incident_id))
    for user_id in sorted(wanted):
        session.add(IncidentTeam(incident_id=incident_id, user_id=user_id))
    incident.confidential = confidential
    session.add(incident)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="incident.access",
        entity="incident",
        entity_id=incident_id,
        before=before,
        after={"confidential": confidential, "team": sorted(wanted)},
    )
    session.commit()
    session.refresh(incident)
    return incident
