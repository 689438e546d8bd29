"""Erasure on a victim's request: purge an incident's identifying details, or all of it.

Only admins may purge. The audit row records that a purge happened, by whom and why
(a reason code, not free text), and never the purged data. Earlier audit rows cannot
hold the purged text either: victim contact is masked and every free-text field purged
here (summary, notes, suspect relation, tags, sources, each note, a takedown's
requester) is stored there only as a keyed digest (casebook.access.audit.DIGEST_FIELDS,
applied by ``audit.record`` to whatever it is given), so the append-only trail needs no
editing (docs/security.md, "Erasure").
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select, update
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
_CHILD_TABLES = [
    IncidentInstitution,
    IncidentRoom,
    IncidentConduct,
    IncidentEvent,
    LegalLink,
    Takedown,
]


def _get(session: Session, incident_id: int, reason: str) -> Incident:
    if reason not in REASONS:
        raise InvalidInput({"reason": "errors.unknown_value"})
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound()
    return incident


def _clear_wal(session: Session) -> None:
    """SQLite: copy the committed purge into the database file and empty the WAL, whose
    older frames still hold the pages as they were before it. secure_delete (db.engine)
    has zeroed the purged text in the file itself. Best effort: a reader still open
    elsewhere can keep the WAL from being emptied until the next checkpoint."""
    if session.get_bind().dialect.name != "sqlite":
        return
    busy = session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    session.commit()
    if busy and busy[0]:
        logging.getLogger(__name__).warning("erasure: the WAL could not be emptied yet")


def _purge_child_text(session: Session, incident_id: int) -> None:
    """Each non-empty note (and a takedown's requester) of the incident's child rows."""
    evidence_ids = select(Evidence.id).where(col(Evidence.incident_id) == incident_id)
    owned = [
        (table, col(table.incident_id) == incident_id)
        for table in (IncidentEvent, Evidence, LegalLink, Takedown)
    ]
    owned.append((CustodyEvent, col(CustodyEvent.evidence_id).in_(evidence_ids)))
    for table, where in owned:
        columns = ["note", "requested_by"] if table is Takedown else ["note"]
        for name in columns:
            column = getattr(table, name)
            session.execute(update(table).where(where, column != "").values({name: PURGED}))


def purge_incident_details(
    session: Session, *, actor: User, incident_id: int, reason: str = "victim_request"
) -> Incident:
    """Remove the victim contact, tags and sources; replace summary, notes, the suspect
    relation and the notes of every child row (events, evidence, custody, legal links,
    takedowns, and a takedown's requester) by a marker."""
    require(actor, "incident.purge")
    incident = _get(session, incident_id, reason)
    incident.victim_contact_enc = None
    incident.summary = PURGED
    incident.notes = PURGED
    incident.suspect_relation = PURGED if incident.suspect_relation else ""
    incident.tags = []
    incident.sources = []
    incident.updated_at = utcnow()
    incident.updated_by_id = actor.id
    incident.version += 1
    session.add(incident)
    _purge_child_text(session, incident_id)
    audit.record(
        session,
        actor=actor,
        action="incident.purge_details",
        entity="incident",
        entity_id=incident_id,
        after={"reason": reason},
    )
    session.commit()
    _clear_wal(session)
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
    audit.record(
        session,
        actor=actor,
        action="incident.purge",
        entity="incident",
        entity_id=incident_id,
        after={"reason": reason},
    )
    session.commit()
    _clear_wal(session)
    session.expunge_all()
