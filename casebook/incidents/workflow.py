"""The status workflow of an incident: which step may follow which, as one table.

A status changes only by recording a dated event (IncidentEvent). The event bumps the
incident's version through the same compare-and-set as an edit, so a stale editor
cannot overwrite a status that someone else advanced meanwhile.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.access.visibility import open_incident, redact, require_writable
from casebook.errors import CasebookError, InvalidInput
from casebook.i18n import label, translate
from casebook.incidents.locking import bump_version
from casebook.textnorm import clean_text
from casebook.vocab import STATUSES
from db.models import Incident, IncidentEvent, User, utcnow

# status -> the statuses that may follow it. Appeals may turn a conviction into an
# acquittal and back; a dismissed or closed case may be reopened (investigating).
TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "reported": frozenset({"investigating", "dismissed", "closed"}),
    "investigating": frozenset(
        {"suspect_identified", "arrested", "referred", "dismissed", "closed"}
    ),
    "suspect_identified": frozenset({"arrested", "released", "referred", "dismissed", "closed"}),
    "arrested": frozenset({"released", "referred", "closed"}),
    "released": frozenset({"arrested", "referred", "dismissed", "closed"}),
    "referred": frozenset({"indicted", "dismissed", "closed"}),
    "indicted": frozenset({"convicted", "acquitted", "closed"}),
    "convicted": frozenset({"acquitted", "closed"}),
    "acquitted": frozenset({"convicted", "closed"}),
    "dismissed": frozenset({"investigating", "closed"}),
    "closed": frozenset({"investigating"}),
}

# Events that are dated facts but leave the status as it is.
SIDE_EVENTS: Final = ("school_discipline", "employer_discipline", "note")
EVENT_KINDS: Final = tuple(s for s in STATUSES if s != "reported") + SIDE_EVENTS

# Why a suspect was released; "only_viewed" was no offence before 2024-10-16.
RELEASE_REASONS: Final = ("only_viewed", "insufficient_evidence", "minor_offender", "bail", "other")


def allowed_next(status: str) -> list[str]:
    """The statuses an incident in ``status`` may move to, in workflow order."""
    nexts = TRANSITIONS.get(status, frozenset())
    return [s for s in STATUSES if s in nexts]


class IllegalTransition(CasebookError):
    """A status change the table refuses; the message names both statuses."""

    key = "workflow.illegal_transition"

    def __init__(self, current: str, new: str) -> None:
        super().__init__(current=current, new=new)
        self.current, self.new = current, new

    def message(self, lang: str = "ko") -> str:
        allowed = ", ".join(label("status", s, lang) for s in allowed_next(self.current))
        return translate(
            self.key,
            lang,
            current=label("status", self.current, lang),
            new=label("status", self.new, lang),
            allowed=allowed or "—",
        )


def check_transition(current: str, new: str) -> None:
    """Refuse a status change the table does not allow."""
    if new != current and new not in TRANSITIONS.get(current, frozenset()):
        raise IllegalTransition(current, new)


def _validate(kind: str, occurred_on: date, reason: str, sentence: str) -> None:
    if kind not in EVENT_KINDS:
        raise InvalidInput({"kind": "errors.unknown_value"})
    if occurred_on > date.today():
        raise InvalidInput({"occurred_on": "errors.date_in_future"})
    if kind == "released" and reason not in RELEASE_REASONS:
        raise InvalidInput({"reason": "workflow.reason_required"})
    if kind == "convicted" and not sentence:
        raise InvalidInput({"sentence": "workflow.sentence_required"})


def add_event(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    expected_version: int,
    kind: str,
    occurred_on: date,
    note: str = "",
    reason: str = "",
    sentence: str = "",
) -> IncidentEvent:
    """Record a dated step; a status step also moves Incident.status (optimistic lock)."""
    require(actor, "incident.write")
    note, sentence = clean_text(note, 5000).strip(), clean_text(sentence, 300).strip()
    _validate(kind, occurred_on, reason, sentence)
    incident = session.get(Incident, incident_id)
    require_writable(session, actor, incident)
    before = {"status": incident.status, "version": incident.version}
    if kind not in SIDE_EVENTS:
        check_transition(incident.status, kind)
    bump_version(session, incident_id, expected_version)
    session.refresh(incident)
    if kind not in SIDE_EVENTS:
        incident.status = kind
    incident.updated_at = utcnow()
    incident.updated_by_id = getattr(actor, "id", None)
    session.add(incident)
    event = IncidentEvent(
        incident_id=incident_id,
        kind=kind,
        occurred_on=occurred_on,
        note=note,
        reason=reason if kind == "released" else "",
        sentence=sentence,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="incident.event",
        entity="incident",
        entity_id=incident_id,
        before=before,
        after={
            "status": incident.status,
            "version": incident.version,
            "event": audit.snapshot(event),
        },
    )
    session.commit()
    session.refresh(event)
    return event


def timeline(session: Session, *, actor: User | None, incident_id: int) -> list[IncidentEvent]:
    """An incident's events, oldest first (same-day events in the order recorded); notes
    and sentences redacted for some readers (casebook.access.visibility)."""
    _, level = open_incident(session, actor, incident_id)
    rows = session.exec(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident_id)
        .order_by(col(IncidentEvent.occurred_on), col(IncidentEvent.id))
    )
    return [redact(r, "event", level) for r in rows]
