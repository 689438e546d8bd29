"""Legal deadlines of an incident: computed from its events and the rules in kb/, then
confirmed or corrected by a lawyer.

A judgment (convicted, acquitted) starts the appeal period and a decision not to indict
(dismissed) starts the objection period; the app computes their last days from the
event's date. Periods whose start is not an incident event (the notice that an
objection was dismissed, which starts the time for an application for a ruling) and
limitation periods are started by a lawyer who enters the date. Until a lawyer confirms
or corrects it, a date is "computed" (``certain`` is False) and every screen says so.

Computed deadlines of recent events are derived on read, not stored: an event added or
removed changes them at once, and nothing has to be kept in step with the workflow.
A lawyer's confirmation stores a row keyed by (incident, rule, start date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.errors import InvalidInput, NotFound, StaleEdit
from casebook.incidents.tasks import check_assignee
from casebook.law.deadline_schema import RuleSource
from casebook.law.periods import (
    count_days,
    deadline_rules,
    limitation,
    period_rule,
    rules_for_event,
)
from db.models import Deadline, Incident, IncidentEvent, User, utcnow

LIMITATION = "limitation"
STATES = ("computed", "confirmed", "corrected")
FIELDS = [
    "id",
    "incident_id",
    "rule_id",
    "trigger_on",
    "computed_on",
    "due_on",
    "state",
    "basis",
    "assignee_id",
    "done_on",
    "version",
]
# How far back events still yield a derived deadline: the longest period (30 days) and
# the time an overdue, unconfirmed deadline keeps showing as overdue.
DERIVE_WINDOW_DAYS = 120


@dataclass(frozen=True)
class DeadlineView:
    """One deadline as every screen shows it: the rule, its source, the computed date
    and, when a lawyer has looked, the confirmed date."""

    incident_id: int
    rule_id: str
    title_ko: str
    title_en: str
    trigger_on: date
    computed_on: date | None
    due_on: date | None  # the confirmed date, else the computed one; None: no limitation
    state: str
    sources: tuple[RuleSource, ...]
    deadline_id: int | None = None  # None: derived from an event, not stored yet
    trigger_kind: str = ""
    moved: tuple[date, ...] = ()
    holidays_known: bool = True
    unverified: bool = False
    assignee_id: int | None = None
    done_on: date | None = None
    version: int = 0
    basis: dict = field(default_factory=dict)

    @property
    def certain(self) -> bool:
        """Only a lawyer's confirmation makes a date certain; a computed one never is."""
        return self.state in ("confirmed", "corrected")


def _rule_title(rule_id: str) -> tuple[str, str]:
    if rule_id == LIMITATION:
        title = deadline_rules().limitation.title
    else:
        title = period_rule(rule_id).title
    return title.ko, title.en


def _period_view(rule_id: str, incident_id: int, start: date, kind: str = "") -> DeadlineView:
    rule = period_rule(rule_id)
    counted = count_days(start, rule.days)
    counting = deadline_rules().counting[rule.counting].source
    return DeadlineView(
        incident_id=incident_id,
        rule_id=rule.id,
        title_ko=rule.title.ko,
        title_en=rule.title.en,
        trigger_on=start,
        computed_on=counted.due_on,
        due_on=counted.due_on,
        state="computed",
        sources=(rule.source, counting),
        trigger_kind=kind,
        moved=counted.moved,
        holidays_known=counted.holidays_known,
        unverified=counted.unverified or not rule.source.verified,
    )


def _stored_view(row: Deadline) -> DeadlineView:
    if row.rule_id == LIMITATION:
        rules = deadline_rules().limitation
        ko, en = rules.title.ko, rules.title.en
        base = DeadlineView(
            incident_id=row.incident_id,
            rule_id=LIMITATION,
            title_ko=ko,
            title_en=en,
            trigger_on=row.trigger_on,
            computed_on=row.computed_on,
            due_on=row.computed_on,
            state="computed",
            sources=(rules.source,),
        )
    else:
        base = _period_view(row.rule_id, row.incident_id, row.trigger_on)
    return DeadlineView(
        **{
            **base.__dict__,
            "deadline_id": row.id,
            "due_on": row.due_on,
            "state": row.state,
            "assignee_id": row.assignee_id,
            "done_on": row.done_on,
            "version": row.version,
            "basis": dict(row.basis or {}),
        }
    )


def derived_deadlines(events: list[IncidentEvent]) -> list[DeadlineView]:
    """The deadlines that ``events`` start, by the rules in force on each event's date."""
    return [
        _period_view(rule.id, ev.incident_id, ev.occurred_on, ev.kind)
        for ev in events
        for rule in rules_for_event(ev.kind, ev.occurred_on)
    ]


def trigger_kinds() -> list[str]:
    return sorted({k for r in deadline_rules().rules for k in r.triggers})


def merge_deadlines(derived: list[DeadlineView], stored: list[Deadline]) -> list[DeadlineView]:
    """Stored rows replace the derived deadline with the same incident, rule and start."""
    keys = {(r.incident_id, r.rule_id, r.trigger_on) for r in stored}
    out = [_stored_view(r) for r in stored]
    out += [d for d in derived if (d.incident_id, d.rule_id, d.trigger_on) not in keys]
    return out


def incident_deadlines(
    session: Session, *, actor: User | None, incident_id: int
) -> list[DeadlineView]:
    """Every deadline of one incident, stored or derived from its events, by date."""
    require(actor, "due.read")
    if session.get(Incident, incident_id) is None:
        raise NotFound()
    events = session.exec(
        select(IncidentEvent).where(
            col(IncidentEvent.incident_id) == incident_id,
            col(IncidentEvent.kind).in_(trigger_kinds()),
        )
    ).all()
    stored = session.exec(select(Deadline).where(col(Deadline.incident_id) == incident_id)).all()
    views = merge_deadlines(derived_deadlines(list(events)), list(stored))
    return sorted(views, key=lambda v: (v.due_on is None, v.due_on or date.max, v.rule_id))


def _stored(session: Session, incident_id: int, rule_id: str, trigger_on: date) -> Deadline | None:
    return session.exec(
        select(Deadline).where(
            col(Deadline.incident_id) == incident_id,
            col(Deadline.rule_id) == rule_id,
            col(Deadline.trigger_on) == trigger_on,
        )
    ).first()


def _check_rule(rule_id: str) -> None:
    if rule_id != LIMITATION and rule_id not in {r.id for r in deadline_rules().rules}:
        raise InvalidInput({"rule": "errors.unknown_value"})


def _save(
    session: Session, actor: User | None, row: Deadline, action: str, before: dict | None
) -> Deadline:
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="incident",
        entity_id=row.incident_id,
        before=before,
        after=audit.snapshot(row, FIELDS),
    )
    session.commit()
    session.refresh(row)
    return row


def start_deadline(
    session: Session, *, actor: User | None, incident_id: int, rule_id: str, trigger_on: date
) -> Deadline:
    """Store a period a lawyer starts by date, e.g. the notice that an objection was
    dismissed, which starts the 10 days for an application for a ruling."""
    require(actor, "deadline.write")
    _check_rule(rule_id)
    if rule_id == LIMITATION:
        raise InvalidInput({"rule": "errors.unknown_value"})
    if session.get(Incident, incident_id) is None:
        raise NotFound()
    if trigger_on is None or trigger_on > date.today():
        raise InvalidInput(
            {"trigger_on": "errors.date_in_future" if trigger_on else "errors.required"}
        )
    audit.begin_write(session)
    if _stored(session, incident_id, rule_id, trigger_on) is not None:
        raise InvalidInput({"trigger_on": "deadlines.exists"})
    view = _period_view(rule_id, incident_id, trigger_on)
    row = Deadline(
        incident_id=incident_id,
        rule_id=rule_id,
        trigger_on=trigger_on,
        computed_on=view.computed_on,
        due_on=view.computed_on,
        created_by_id=actor.id,
    )
    return _save(session, actor, row, "deadline.start", None)


def add_limitation(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    act_ended_on: date,
    prison_max_years: float | None,
    life: bool = False,
    death: bool = False,
    victim_birth: date | None = None,
    minor_rule_applies: bool = True,
    no_limitation_id: str | None = None,
) -> Deadline:
    """Store the limitation period a lawyer works out for an incident.

    The victim's date of birth is used for the count and never stored: the row keeps
    only whether the minor-victim rule applied, the years and which no-limitation
    entry, if any, the lawyer chose.
    """
    require(actor, "deadline.write")
    if session.get(Incident, incident_id) is None:
        raise NotFound()
    if act_ended_on is None or act_ended_on > date.today():
        raise InvalidInput(
            {"act_ended_on": "errors.date_in_future" if act_ended_on else "errors.required"}
        )
    if victim_birth is not None and victim_birth > act_ended_on:
        raise InvalidInput({"victim_birth": "deadlines.birth_after_act"})
    if prison_max_years is not None and not 0 <= prison_max_years <= 100:
        raise InvalidInput({"prison_max_years": "errors.invalid"})
    known = {n.id for n in deadline_rules().limitation.no_limitation}
    if no_limitation_id is not None and no_limitation_id not in known:
        raise InvalidInput({"no_limitation": "errors.unknown_value"})
    worked = limitation(
        act_ended_on=act_ended_on,
        prison_max_years=prison_max_years,
        life=life,
        death=death,
        victim_birth=victim_birth,
        minor_rule_applies=minor_rule_applies,
        no_limitation_id=no_limitation_id,
    )
    audit.begin_write(session)
    if _stored(session, incident_id, LIMITATION, act_ended_on) is not None:
        raise InvalidInput({"act_ended_on": "deadlines.exists"})
    basis = {
        "years": worked.years,
        "minor_rule": worked.minor_rule,
        "no_limitation": no_limitation_id,
    }
    row = Deadline(
        incident_id=incident_id,
        rule_id=LIMITATION,
        trigger_on=act_ended_on,
        computed_on=worked.last_day,
        due_on=worked.last_day,
        basis=basis,
        created_by_id=actor.id,
    )
    return _save(session, actor, row, "deadline.limitation", None)


def confirm_deadline(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    rule_id: str,
    trigger_on: date,
    due_on: date,
    expected_version: int = 0,
) -> Deadline:
    """A lawyer confirms the computed date (``due_on`` equal to it) or corrects it.

    A derived deadline (``expected_version`` 0) is stored on first confirmation; a stored
    one is saved only if nobody changed it since ``expected_version`` was read.
    """
    require(actor, "deadline.write")
    _check_rule(rule_id)
    if due_on is None:
        raise InvalidInput({"due_on": "errors.required"})
    if due_on < trigger_on:
        raise InvalidInput({"due_on": "deadlines.due_before_start"})
    if session.get(Incident, incident_id) is None:
        raise NotFound()
    audit.begin_write(session)
    row = _stored(session, incident_id, rule_id, trigger_on)
    if row is None:
        if rule_id == LIMITATION:
            raise NotFound()
        if expected_version != 0:
            raise StaleEdit()
        computed = _period_view(rule_id, incident_id, trigger_on).computed_on
        row = Deadline(
            incident_id=incident_id,
            rule_id=rule_id,
            trigger_on=trigger_on,
            computed_on=computed,
            created_by_id=actor.id,
            version=0,
        )
        before = None
    else:
        if row.version != expected_version:
            raise StaleEdit()
        before = audit.snapshot(row, FIELDS)
    row.due_on = due_on
    row.state = "confirmed" if due_on == row.computed_on else "corrected"
    row.confirmed_by_id, row.confirmed_at = actor.id, utcnow()
    row.version += 1
    return _save(session, actor, row, "deadline.confirm", before)


def _existing(session: Session, deadline_id: int) -> Deadline:
    row = session.get(Deadline, deadline_id)
    if row is None:
        raise NotFound()
    return row


def set_deadline_done(
    session: Session, *, actor: User | None, deadline_id: int, done_on: date | None
) -> Deadline:
    """Mark a stored deadline as met on ``done_on`` (None reopens it)."""
    require(actor, "deadline.write")
    if done_on is not None and done_on > date.today():
        raise InvalidInput({"done_on": "errors.date_in_future"})
    audit.begin_write(session)
    row = _existing(session, deadline_id)
    before = audit.snapshot(row, FIELDS)
    row.done_on = done_on
    row.version += 1
    return _save(session, actor, row, "deadline.done" if done_on else "deadline.reopen", before)


def assign_deadline(
    session: Session, *, actor: User | None, deadline_id: int, assignee_id: int | None
) -> Deadline:
    """Name who watches a stored deadline (None: nobody in particular)."""
    require(actor, "deadline.write")
    check_assignee(session, assignee_id)
    audit.begin_write(session)
    row = _existing(session, deadline_id)
    before = audit.snapshot(row, FIELDS)
    row.assignee_id = assignee_id
    row.version += 1
    return _save(session, actor, row, "deadline.assign", before)


def recent_trigger_events(session: Session, *, today: date) -> list[IncidentEvent]:
    """Trigger events recent enough to yield a deadline that still matters."""
    since = today - timedelta(days=DERIVE_WINDOW_DAYS)
    query = select(IncidentEvent).where(
        col(IncidentEvent.kind).in_(trigger_kinds()), col(IncidentEvent.occurred_on) >= since
    )
    return list(session.exec(query).all())
