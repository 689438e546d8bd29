"""Deletion support per location: a takedown request for one URL, post, channel, file or
search result of an incident, its dated steps, and re-checks for re-uploads.

A location that was deleted or blocked is re-checked on a schedule (by default after
1 week, 1 month, 3 months, 6 months, then every 6 months up to 3 years, as the support
centre monitors for re-uploads). The schedule is computed from the stored steps and
checks on every read, so it survives restarts and needs no job. A re-check that finds
the material again opens a new request for the new location, linked to the first.

(The older per-platform ``takedowns`` module stays for the dashboards that read it.)
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.errors import InvalidInput, NotFound
from casebook.textnorm import clean_text
from casebook.validation import check_date, http_url
from casebook.vocab import PLATFORMS
from db.models import Incident, RemovalCheck, RemovalRequest, RemovalStep, User

LOCATION_KINDS = ("url", "post", "channel", "file", "search_result")
CHANNELS = ("platform", "regulator", "support_centre", "police", "agency")
STEPS = ("requested", "acknowledged", "deleted", "blocked", "refused", "no_answer")
REMOVED = frozenset({"deleted", "blocked"})
RESULTS = ("still_gone", "reuploaded")
# (days, months) after removal; the default schedule of issue 22.
DEFAULT_SCHEDULE: tuple[tuple[int, int], ...] = (
    (7, 0),
    (0, 1),
    (0, 3),
    (0, 6),
    (0, 12),
    (0, 18),
    (0, 24),
    (0, 30),
    (0, 36),
)
MAX_LOCATIONS = 500
REQUEST_FIELDS = [
    "id",
    "incident_id",
    "location_kind",
    "channel",
    "platform",
    "status",
    "requested_on",
    "parent_id",
    "version",
]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; a day past the month's end becomes its last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recheck_schedule(
    removed_on: date, schedule: tuple[tuple[int, int], ...] = DEFAULT_SCHEDULE
) -> list[date]:
    """The dates a location removed on ``removed_on`` is due to be re-checked."""
    return [add_months(removed_on, months) + timedelta(days=days) for days, months in schedule]


def _location(kind: str, text: str) -> str:
    if kind not in LOCATION_KINDS:
        raise InvalidInput({"location_kind": "errors.unknown_value"})
    try:
        value = http_url(text) if kind == "url" else clean_text(text, 2000).strip()
    except ValueError as exc:
        raise InvalidInput({"location": str(exc)}) from exc
    if not value:
        raise InvalidInput({"location": "errors.required"})
    return value


def _new_request(
    session: Session,
    actor: User,
    incident_id: int,
    location: str,
    kind: str,
    channel: str,
    platform: str,
    on: date,
    by_whom: str,
    note: str,
    parent_id: int | None,
) -> RemovalRequest:
    row = RemovalRequest(
        incident_id=incident_id,
        location=location,
        location_kind=kind,
        channel=channel,
        platform=platform,
        requested_on=on,
        parent_id=parent_id,
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    step = RemovalStep(
        request_id=row.id,
        step="requested",
        occurred_on=on,
        by_whom=clean_text(by_whom, 120).strip(),
        note=clean_text(note, 5000).strip(),
        created_by_id=actor.id,
    )
    session.add(step)
    audit.record(
        session,
        actor=actor,
        action="removal.request",
        entity="incident",
        entity_id=incident_id,
        after=audit.snapshot(row, REQUEST_FIELDS),
    )
    return row


def request_removals(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    locations: list[str],
    location_kind: str,
    channel: str,
    requested_on: date,
    platform: str = "other",
    by_whom: str = "",
    note: str = "",
) -> list[RemovalRequest]:
    """Record takedown requests for many locations at once (a pasted list, one per
    line): all or none; a bad line is named by its number."""
    require(actor, "takedown.write")
    if channel not in CHANNELS:
        raise InvalidInput({"channel": "errors.unknown_value"})
    if platform not in PLATFORMS:
        raise InvalidInput({"platform": "errors.unknown_value"})
    check_date("requested_on", requested_on, before_key="removals.before_request")
    lines = [line for line in (s.strip() for s in locations) if line]
    if not lines:
        raise InvalidInput({"location": "errors.required"})
    if len(lines) > MAX_LOCATIONS:
        raise InvalidInput({"location": "errors.too_long"})
    cleaned = []
    for number, line in enumerate(lines, start=1):
        try:
            cleaned.append(_location(location_kind, line))
        except InvalidInput as exc:
            raise InvalidInput({f"line {number}": v for v in exc.problems.values()}) from exc
    audit.begin_write(session)
    if session.get(Incident, incident_id) is None:
        raise NotFound()
    rows = [
        _new_request(
            session,
            actor,
            incident_id,
            loc,
            location_kind,
            channel,
            platform,
            requested_on,
            by_whom,
            note,
            None,
        )
        for loc in dict.fromkeys(cleaned)
    ]
    session.commit()
    for row in rows:
        session.refresh(row)
    return rows


def add_removal_step(
    session: Session,
    *,
    actor: User | None,
    request_id: int,
    step: str,
    occurred_on: date,
    by_whom: str = "",
    note: str = "",
) -> RemovalStep:
    """Record what happened next: acknowledged, deleted, blocked, refused, no answer."""
    require(actor, "takedown.write")
    if step not in STEPS or step == "requested":
        raise InvalidInput({"step": "errors.unknown_value"})
    audit.begin_write(session)
    row = session.get(RemovalRequest, request_id)
    if row is None:
        raise NotFound()
    check_date(
        "occurred_on",
        occurred_on,
        not_before=row.requested_on,
        before_key="removals.before_request",
    )
    before = audit.snapshot(row, REQUEST_FIELDS)
    entry = RemovalStep(
        request_id=row.id,
        step=step,
        occurred_on=occurred_on,
        by_whom=clean_text(by_whom, 120).strip(),
        note=clean_text(note, 5000).strip(),
        created_by_id=actor.id,
    )
    row.status = step
    row.version += 1
    session.add_all([row, entry])
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="removal.step",
        entity="incident",
        entity_id=row.incident_id,
        before=before,
        after={
            **audit.snapshot(row, REQUEST_FIELDS),
            "step": step,
            "occurred_on": occurred_on.isoformat(),
        },
    )
    session.commit()
    session.refresh(entry)
    return entry


def _removed_on(session: Session, request_id: int) -> date | None:
    return session.exec(
        select(RemovalStep.occurred_on)
        .where(col(RemovalStep.request_id) == request_id, col(RemovalStep.step).in_(REMOVED))
        .order_by(col(RemovalStep.occurred_on))
    ).first()


def record_recheck(
    session: Session,
    *,
    actor: User | None,
    request_id: int,
    checked_on: date,
    result: str,
    new_location: str = "",
    note: str = "",
) -> RemovalCheck:
    """Record a re-check of a removed location. "reuploaded" needs the new location and
    opens a new request for it, linked to this one, through the same channel."""
    require(actor, "takedown.write")
    if result not in RESULTS:
        raise InvalidInput({"result": "errors.unknown_value"})
    audit.begin_write(session)
    row = session.get(RemovalRequest, request_id)
    if row is None:
        raise NotFound()
    removed = _removed_on(session, request_id)
    if removed is None:
        raise InvalidInput({"result": "removals.not_removed"})
    check_date("checked_on", checked_on, not_before=removed, before_key="removals.before_request")
    new_id = None
    if result == "reuploaded":
        location = _location(row.location_kind, new_location)
        new = _new_request(
            session,
            actor,
            row.incident_id,
            location,
            row.location_kind,
            row.channel,
            row.platform,
            checked_on,
            "",
            "",
            row.id,
        )
        new_id = new.id
    check = RemovalCheck(
        request_id=row.id,
        checked_on=checked_on,
        result=result,
        new_request_id=new_id,
        note=clean_text(note, 5000).strip(),
        created_by_id=actor.id,
    )
    session.add(check)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="removal.recheck",
        entity="incident",
        entity_id=row.incident_id,
        after={
            "request_id": row.id,
            "checked_on": checked_on.isoformat(),
            "result": result,
            "new_request_id": new_id,
        },
    )
    session.commit()
    session.refresh(check)
    return check


@dataclass(frozen=True)
class RemovalView:
    request: RemovalRequest
    steps: list[RemovalStep]
    checks: list[RemovalCheck]
    schedule: list[date]  # empty until the location was deleted or blocked
    next_check: date | None  # the first scheduled date no re-check has answered yet


def next_check(schedule: list[date], checks: list[date]) -> date | None:
    """Each re-check answers every scheduled date up to the day it was made; the next
    check is the first date after the last re-check (None: the schedule is done)."""
    last = max(checks, default=None)
    return next((d for d in schedule if last is None or d > last), None)


def removal_requests(
    session: Session, *, actor: User | None, incident_id: int
) -> list[RemovalView]:
    """An incident's requests with their steps, re-checks and re-check schedule. The
    locations point at the material itself, so viewers do not get them."""
    require(actor, "due.read")
    requests = session.exec(
        select(RemovalRequest)
        .where(col(RemovalRequest.incident_id) == incident_id)
        .order_by(col(RemovalRequest.id))
    ).all()
    out = []
    for req in requests:
        steps = list(
            session.exec(
                select(RemovalStep)
                .where(col(RemovalStep.request_id) == req.id)
                .order_by(col(RemovalStep.occurred_on), col(RemovalStep.id))
            ).all()
        )
        checks = list(
            session.exec(
                select(RemovalCheck)
                .where(col(RemovalCheck.request_id) == req.id)
                .order_by(col(RemovalCheck.checked_on))
            ).all()
        )
        removed = min((s.occurred_on for s in steps if s.step in REMOVED), default=None)
        schedule = recheck_schedule(removed) if removed else []
        upcoming = next_check(schedule, [c.checked_on for c in checks])
        out.append(RemovalView(req, steps, checks, schedule, upcoming))
    return out


@dataclass(frozen=True)
class DueRecheck:
    request_id: int
    incident_id: int
    channel: str
    next_check: date
    created_by_id: int | None


def due_rechecks(session: Session, *, actor: User | None) -> list[DueRecheck]:
    """Every removed location whose re-check schedule is not done, with its next date."""
    require(actor, "due.read")
    removed = session.exec(
        select(RemovalStep.request_id, RemovalStep.occurred_on).where(
            col(RemovalStep.step).in_(REMOVED)
        )
    ).all()
    first: dict[int, date] = {}
    for request_id, on in removed:
        first[request_id] = min(on, first.get(request_id, on))
    if not first:
        return []
    last_checks: dict[int, date] = {}
    for request_id, on in session.exec(
        select(RemovalCheck.request_id, RemovalCheck.checked_on).where(
            col(RemovalCheck.request_id).in_(list(first))
        )
    ).all():
        last_checks[request_id] = max(on, last_checks.get(request_id, on))
    requests = session.exec(select(RemovalRequest).where(col(RemovalRequest.id).in_(list(first))))
    out = []
    for req in requests.all():
        checks = [last_checks[req.id]] if req.id in last_checks else []
        upcoming = next_check(recheck_schedule(first[req.id]), checks)
        if upcoming is not None:
            out.append(
                DueRecheck(req.id, req.incident_id, req.channel, upcoming, req.created_by_id)
            )
    return out
