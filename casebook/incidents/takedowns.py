"""Takedown requests: asking a platform to remove material, and what it did.

Each request is per incident and platform, dated when made and when resolved
(removed or refused), so the dashboards can measure days to removal per platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy import Integer, func
from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.access.visibility import open_incident, redact, require_writable
from casebook.errors import InvalidInput, NotFound, StaleEdit
from casebook.textnorm import clean_text
from casebook.validation import check_date
from casebook.vocab import PLATFORMS
from db.models import Incident, Takedown, User

OUTCOMES = ("pending", "removed", "refused")
FIELDS = [
    "id",
    "incident_id",
    "platform",
    "requested_on",
    "requested_by",
    "outcome",
    "resolved_on",
    "note",
]


def request_takedown(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    platform: str,
    requested_on: date,
    requested_by: str = "",
    note: str = "",
) -> Takedown:
    """Record that removal was asked of ``platform`` on ``requested_on``."""
    require(actor, "takedown.write")
    require_writable(session, actor, session.get(Incident, incident_id))
    if platform not in PLATFORMS:
        raise InvalidInput({"platform": "errors.unknown_value"})
    check_date("requested_on", requested_on, before_key="takedowns.resolved_before_requested")
    row = Takedown(
        incident_id=incident_id,
        platform=platform,
        requested_on=requested_on,
        requested_by=clean_text(requested_by, 120).strip(),
        note=clean_text(note, 5000).strip(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="takedown.request",
        entity="incident",
        entity_id=incident_id,
        after=audit.snapshot(row, FIELDS),
    )
    session.commit()
    session.refresh(row)
    return row


def resolve_takedown(
    session: Session,
    *,
    actor: User | None,
    takedown_id: int,
    outcome: str,
    resolved_on: date,
    note: str | None = None,
    expected_outcome: str | None = None,
) -> Takedown:
    """Record the platform's answer: removed or refused, on which date.

    ``expected_outcome`` is the outcome the form showed (``"pending"`` for the resolve
    form): when someone recorded an answer meanwhile, the save is refused (StaleEdit)
    instead of overwriting theirs.
    """
    require(actor, "takedown.write")
    row = session.get(Takedown, takedown_id)
    if row is None:
        raise NotFound()
    if expected_outcome is not None and row.outcome != expected_outcome:
        raise StaleEdit("errors.stale_record")
    if outcome not in ("removed", "refused"):
        raise InvalidInput({"outcome": "errors.unknown_value"})
    check_date(
        "resolved_on",
        resolved_on,
        not_before=row.requested_on,
        before_key="takedowns.resolved_before_requested",
    )
    before = audit.snapshot(row, FIELDS)
    row.outcome, row.resolved_on = outcome, resolved_on
    if note is not None:
        row.note = clean_text(note, 5000).strip()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="takedown.resolve",
        entity="incident",
        entity_id=row.incident_id,
        before=before,
        after=audit.snapshot(row, FIELDS),
    )
    session.commit()
    session.refresh(row)
    return row


def list_takedowns(session: Session, *, actor: User | None, incident_id: int) -> list[Takedown]:
    """An incident's removal requests (notes and requester redacted for some readers)."""
    _, level = open_incident(session, actor, incident_id)
    rows = session.exec(
        select(Takedown)
        .where(Takedown.incident_id == incident_id)
        .order_by(col(Takedown.requested_on), col(Takedown.id))
    )
    return [redact(r, "takedown", level) for r in rows]


@dataclass(frozen=True)
class PlatformRemoval:
    """How one platform answered removal requests, and how fast it removed."""

    platform: str
    requests: int
    removed: int
    refused: int
    pending: int
    median_days: float | None
    mean_days: float | None
    max_days: int | None


def _days(session: Session):
    resolved, requested = col(Takedown.resolved_on), col(Takedown.requested_on)
    if session.get_bind().dialect.name == "postgresql":
        return resolved - requested  # date - date is an integer number of days
    return func.cast(func.julianday(resolved) - func.julianday(requested), Integer)


def days_to_removal_by_platform(
    session: Session,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    include_demo: bool = True,
) -> list[PlatformRemoval]:
    """Per platform: requests, outcomes, and days from request to removal.

    Counts are aggregated in SQL; only the day counts of removed requests are fetched
    to take the median (one small integer per removal). ``date_from``/``date_to`` bound
    the request date.
    """
    where = []
    if date_from:
        where.append(col(Takedown.requested_on) >= date_from)
    if date_to:
        where.append(col(Takedown.requested_on) <= date_to)
    if not include_demo:
        demo_ids = select(Incident.id).where(col(Incident.is_demo).is_(True))
        where.append(col(Takedown.incident_id).not_in(demo_ids))
    counts = session.exec(
        select(Takedown.platform, Takedown.outcome, func.count())
        .where(*where)
        .group_by(Takedown.platform, Takedown.outcome)
    ).all()
    days: dict[str, list[int]] = {}
    for platform, n in session.exec(
        select(Takedown.platform, _days(session)).where(
            *where, Takedown.outcome == "removed", col(Takedown.resolved_on).is_not(None)
        )
    ):
        days.setdefault(platform, []).append(int(n))
    tally: dict[str, dict[str, int]] = {}
    for platform, outcome, n in counts:
        tally.setdefault(platform, dict.fromkeys(OUTCOMES, 0))[outcome] = n
    out = []
    for platform in sorted(tally, key=lambda p: PLATFORMS.index(p) if p in PLATFORMS else 99):
        t, d = tally[platform], days.get(platform, [])
        out.append(
            PlatformRemoval(
                platform,
                sum(t.values()),
                t["removed"],
                t["refused"],
                t["pending"],
                float(median(d)) if d else None,
                round(sum(d) / len(d), 2) if d else None,
                max(d) if d else None,
            )
        )
    return out
