"""What is due: open tasks and legal deadlines, for one user or for the whole group,
overdue first, and a calendar file (ICS) of a user's own.

"Mine" means: tasks assigned to the user; deadlines assigned to the user, or assigned to
nobody on incidents the user recorded. A deadline that no lawyer has confirmed is always
marked computed (``certain`` False), here and in the calendar file.

The calendar file leaves the building (people import it into calendar services), so it
carries no incident title, task text or victim detail: only the rule's name, the
incident's number, the date and whether the date is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from casebook.access.permissions import WRITERS, require
from casebook.errors import InvalidInput
from casebook.i18n import translate
from casebook.incidents.deadlines import (
    DeadlineView,
    derived_deadlines,
    merge_deadlines,
    recent_trigger_events,
)
from casebook.incidents.removals import due_rechecks
from db.models import Deadline, Incident, Task, User

SCOPES = ("mine", "group")


@dataclass(frozen=True)
class DueItem:
    kind: str  # "task", "deadline" or "recheck" (of a removed location)
    item_id: int | None  # Task.id, Deadline.id (None: derived) or RemovalRequest.id
    incident_id: int
    incident_title: str
    title: str  # the task's text, or the rule's name in the asked language
    due_on: date | None
    overdue: bool
    certain: bool  # tasks: True; deadlines: only when a lawyer confirmed the date
    state: str  # tasks: "open"; deadlines: computed/confirmed/corrected
    assignee_id: int | None
    rule_id: str = ""
    trigger_on: date | None = None
    citation: str = ""
    url: str = ""
    version: int = 0


def _sort_key(item: DueItem) -> tuple:
    # Overdue first, then by date; undated last (a limitation with no limit, or a task
    # without a date).
    return (not item.overdue, item.due_on is None, item.due_on or date.max, item.kind)


def _task_items(session: Session, actor: User, scope: str, today: date) -> list[DueItem]:
    query = (
        select(Task, Incident.title)
        .join(Incident, col(Incident.id) == col(Task.incident_id))
        .where(col(Task.done_on).is_(None))
    )
    if scope == "mine":
        query = query.where(col(Task.assignee_id) == actor.id)
    return [
        DueItem(
            kind="task",
            item_id=t.id,
            incident_id=t.incident_id,
            incident_title=title,
            title=t.title,
            due_on=t.due_on,
            overdue=t.due_on is not None and t.due_on < today,
            certain=True,
            state="open",
            assignee_id=t.assignee_id,
            version=t.version,
        )
        for t, title in session.exec(query).all()
    ]


def _mine(view: DeadlineView, actor: User, recorded_by: dict[int, int | None]) -> bool:
    if view.assignee_id is not None:
        return view.assignee_id == actor.id
    return recorded_by.get(view.incident_id) == actor.id


def _deadline_views(session: Session, today: date) -> list[DeadlineView]:
    stored = session.exec(select(Deadline).where(col(Deadline.done_on).is_(None))).all()
    # Done rows still hide the derived deadline they replaced.
    done = session.exec(select(Deadline).where(col(Deadline.done_on).is_not(None))).all()
    views = merge_deadlines(_derived(session, today), [*stored, *done])
    return [v for v in views if v.done_on is None]


def _derived(session: Session, today: date) -> list[DeadlineView]:
    return derived_deadlines(recent_trigger_events(session, today=today))


def _deadline_items(
    session: Session, actor: User, scope: str, today: date, lang: str
) -> list[DueItem]:
    views = _deadline_views(session, today)
    ids = sorted({v.incident_id for v in views})
    incidents = {}
    if ids:
        rows = session.exec(
            select(Incident.id, Incident.title, Incident.created_by_id).where(
                col(Incident.id).in_(ids)
            )
        ).all()
        incidents = {i: (title, by) for i, title, by in rows}
    recorded_by = {i: by for i, (_, by) in incidents.items()}
    if scope == "mine":
        views = [v for v in views if _mine(v, actor, recorded_by)]
    return [
        DueItem(
            kind="deadline",
            item_id=v.deadline_id,
            incident_id=v.incident_id,
            incident_title=incidents.get(v.incident_id, ("", None))[0],
            title=v.title_ko if lang == "ko" else v.title_en,
            due_on=v.due_on,
            overdue=v.due_on is not None and v.due_on < today,
            certain=v.certain,
            state=v.state,
            assignee_id=v.assignee_id,
            rule_id=v.rule_id,
            trigger_on=v.trigger_on,
            citation=v.sources[0].citation,
            url=v.sources[0].url,
            version=v.version,
        )
        for v in views
    ]


def _recheck_items(
    session: Session, actor: User, scope: str, today: date, lang: str
) -> list[DueItem]:
    """Re-checks of removed locations; "mine" are those of requests the user recorded."""
    rows = due_rechecks(session, actor=actor)
    if scope == "mine":
        rows = [r for r in rows if r.created_by_id == actor.id]
    ids = sorted({r.incident_id for r in rows})
    titles = (
        dict(
            session.exec(select(Incident.id, Incident.title).where(col(Incident.id).in_(ids))).all()
        )
        if ids
        else {}
    )
    return [
        DueItem(
            kind="recheck",
            item_id=r.request_id,
            incident_id=r.incident_id,
            incident_title=titles.get(r.incident_id, ""),
            title=translate("due.recheck_title", lang, request=r.request_id),
            due_on=r.next_check,
            overdue=r.next_check < today,
            certain=True,
            state="open",
            assignee_id=None,
        )
        for r in rows
    ]


def what_is_due(
    session: Session,
    *,
    actor: User | None,
    scope: str = "mine",
    today: date | None = None,
    lang: str = "ko",
) -> list[DueItem]:
    """Open tasks and deadlines for ``scope`` ("mine" or "group"), overdue first."""
    require(actor, "due.read")
    if scope not in SCOPES:
        raise InvalidInput({"scope": "errors.unknown_value"})
    day = today or date.today()
    items = _task_items(session, actor, scope, day) + _deadline_items(
        session, actor, scope, day, lang
    )
    items += _recheck_items(session, actor, scope, day, lang)
    return sorted(items, key=_sort_key)


@dataclass(frozen=True)
class DueCount:
    overdue: int
    this_week: int  # due today or in the next 7 days
    unconfirmed: int  # deadlines whose date no lawyer has confirmed


def due_count(session: Session, *, actor: User | None, today: date | None = None) -> DueCount:
    """The numbers the Overview shows for the signed-in user's own items."""
    day = today or date.today()
    items = what_is_due(session, actor=actor, scope="mine", today=day)
    week = day + timedelta(days=7)
    return DueCount(
        overdue=sum(i.overdue for i in items),
        this_week=sum(1 for i in items if i.due_on is not None and day <= i.due_on <= week),
        unconfirmed=sum(1 for i in items if i.kind == "deadline" and not i.certain),
    )


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets (RFC 5545 3.1), never splitting a character."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _event(item: DueItem, lang: str, stamp: str) -> list[str]:
    if item.kind == "task":
        summary = translate("due.ics_task", lang, incident=item.incident_id)
    elif item.kind == "recheck":
        summary = translate("due.ics_recheck", lang, incident=item.incident_id)
    else:
        state = translate(f"due.state_{item.state}", lang)
        summary = translate(
            "due.ics_deadline", lang, rule=item.title, incident=item.incident_id, state=state
        )
    ref = item.item_id or f"{item.incident_id}-{item.rule_id}-{item.trigger_on}"
    uid = f"casebook-{item.kind}-{ref}"
    start = item.due_on or date.today()
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(start + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_ics_text(summary)}",
        "END:VEVENT",
    ]


def calendar_feed(
    session: Session, *, actor: User | None, today: date | None = None, lang: str = "ko"
) -> bytes:
    """The user's own dated items as an iCalendar file (all-day events, CRLF lines)."""
    items = [
        i
        for i in what_is_due(session, actor=actor, scope="mine", today=today, lang=lang)
        if i.due_on is not None
    ]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Casebook//What is due//KO",
        "CALSCALE:GREGORIAN",
    ]
    for item in items:
        lines += _event(item, lang, stamp)
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode("utf-8")


def assignable_users(session: Session, *, actor: User | None) -> list[User]:
    """Who a task or deadline may be given to: active users who may write."""
    require(actor, "due.read")
    query = select(User).where(col(User.active).is_(True), col(User.role).in_(sorted(WRITERS)))
    return list(session.exec(query.order_by(User.username)).all())
