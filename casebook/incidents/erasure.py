"""Erasure on a victim's request: purge an incident's identifying details, or all of it.

Only admins may purge. The audit row records that a purge happened, by whom and why
(a reason code, not free text), and never the purged data. Earlier audit rows cannot
hold the purged text either: victim contact is masked and summary/notes are stored there
only as keyed digests (casebook.access.audit.DIGEST_FIELDS), so the append-only trail needs no
editing (docs/security.md, "Erasure").
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlmodel import Session, col

from casebook.access import audit
from casebook.access.permissions import require
from casebook.errors import InvalidInput, NotFound
from db.models import (
    CustodyEvent,
    Evidence,
    Incident,
    IncidentConduct,
    IncidentEvent,
    IncidentInstitution,
    IncidentRoom,
    LegalLink,
    Takedown,
    User,
    utcnow,
)

PURGED = "[삭제됨 / purged]"
REASONS = ("victim_request", "legal_order", "data_error")
# Other subjects' per-incident tables (search index, summaries) register a function
# (session, incident_id) here; it runs before the incident row is deleted.
BEFORE_PURGE: list = []
_CHILD_TABLES = [IncidentInstitution, IncidentRoom, IncidentConduct, IncidentEvent, LegalLink,
                 Takedown]  # fmt: skip


def _get(session: Session, incident_id: int, reason: str) -> Incident:
    if reason not in REASONS:
        raise InvalidInput({"reason": "errors.unknown_value"})
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound()
    return incident


def purge_incident_details(
    session: Session, *, actor: User, incident_id: int, reason: str = "victim_request"
) -> Incident:
    """Remove the victim contact and replace summary, notes and event notes by a marker."""
    require(actor, "incident.purge")
    incident = _get(session, incident_id, reason)
    incident.victim_contact_enc = None
    incident.summary = PURGED
    incident.notes = PURGED
    incident.updated_at = utcnow()
    incident.updated_by_id = actor.id
    incident.version += 1
    session.add(incident)
    for event in session.exec(select(IncidentEvent).where(col(IncidentEvent.incident_id) ==
                                                          incident_id)).scalars():  # fmt: skip
        if event.note:
            event.note = PURGED
            session.add(event)
    audit.record(session, actor=actor, action="incident.purge_details", entity="incident",
                 entity_id=incident_id, after={"reason": reason})  # fmt: skip
    session.commit()
    session.refresh(incident)
    return incident


def purge_incident(
    session: Session, *, actor: User, incident_id: int, reason: str = "victim_request"
) -> None:
    """Delete the incident with its links, events, legal links, evidence hashes, takedowns."""
    require(actor, "incident.purge")
    _get(session, incident_id, reason)
    for hook in BEFORE_PURGE:
        hook(session, incident_id)
    evidence_ids = select(Evidence.id).where(col(Evidence.incident_id) == incident_id)
    session.execute(delete(CustodyEvent).where(col(CustodyEvent.evidence_id).in_(evidence_ids)))
    session.execute(delete(Evidence).where(col(Evidence.incident_id) == incident_id))
    for table in _CHILD_TABLES:
        session.execute(delete(table).where(col(table.incident_id) == incident_id))
    session.execute(delete(Incident).where(col(Incident.id) == incident_id))
    audit.record(session, actor=actor, action="incident.purge", entity="incident",
                 entity_id=incident_id, after={"reason": reason})  # fmt: skip
    session.commit()
    session.expunge_all()
