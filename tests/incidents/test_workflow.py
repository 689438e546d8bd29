"""The status workflow: the transition table, events and the optimistic lock."""

from datetime import date

import pytest
from sqlmodel import select

from casebook.errors import InvalidInput, PermissionDenied, StaleEdit
from casebook.incidents.store import update_incident
from casebook.incidents.workflow import (
    TRANSITIONS,
    IllegalTransition,
    add_event,
    allowed_next,
    check_transition,
    timeline,
)
from casebook.vocab import STATUSES
from db.models import AuditLog, Incident

# (from, to, allowed) — each line one rule of casebook.incidents.workflow.TRANSITIONS
CASES = [
    ("reported", "investigating", True),  # police open an investigation
    ("reported", "dismissed", True),  # not pursued
    ("reported", "closed", True),
    ("reported", "arrested", False),  # no arrest before an investigation
    ("reported", "convicted", False),  # no conviction without a trial
    ("investigating", "suspect_identified", True),
    ("investigating", "arrested", True),
    ("investigating", "indicted", False),  # prosecutors indict after referral
    ("suspect_identified", "released", True),  # e.g. "only viewed" before 2024-10-16
    ("arrested", "released", True),
    ("arrested", "referred", True),
    ("arrested", "convicted", False),
    ("released", "arrested", True),  # re-arrested
    ("referred", "indicted", True),
    ("referred", "dismissed", True),  # prosecutors decline
    ("referred", "convicted", False),
    ("indicted", "convicted", True),
    ("indicted", "acquitted", True),
    ("indicted", "dismissed", False),
    ("convicted", "acquitted", True),  # on appeal
    ("acquitted", "convicted", True),  # on appeal
    ("convicted", "investigating", False),
    ("dismissed", "investigating", True),  # reopened
    ("closed", "investigating", True),  # reopened
    ("closed", "convicted", False),
    ("closed", "closed", True),  # staying put is no transition
]


@pytest.mark.parametrize(("current", "new", "ok"), CASES)
def test_transition_table(current: str, new: str, ok: bool) -> None:
    if ok:
        check_transition(current, new)
    else:
        with pytest.raises(IllegalTransition) as err:
            check_transition(current, new)
        assert err.value.current == current and err.value.new == new


def test_table_covers_every_status_and_names_only_known_ones() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert all(nexts <= set(STATUSES) for nexts in TRANSITIONS.values())


def test_illegal_transition_message_names_statuses_and_allowed_steps() -> None:
    msg = IllegalTransition("reported", "convicted").message("en")
    assert msg == (
        'The status cannot go from "Reported" to "Convicted". '
        "Allowed next: Under investigation, Dismissed, Closed."
    )
    assert allowed_next("indicted") == ["convicted", "acquitted", "closed"]


def test_status_event_moves_status_bumps_version_and_is_audited(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident()
    ev = add_event(
        session,
        actor=adv,
        incident_id=inc.id,
        expected_version=1,
        kind="investigating",
        occurred_on=date(2024, 9, 5),
        note="서울경찰청",
    )
    session.refresh(inc)
    assert (inc.status, inc.version) == ("investigating", 2)
    assert (ev.kind, ev.occurred_on, ev.note, ev.created_by_id) == (
        "investigating",
        date(2024, 9, 5),
        "서울경찰청",
        adv.id,
    )
    row = session.exec(select(AuditLog).where(AuditLog.action == "incident.event")).one()
    assert row.before == {"status": "reported", "version": 1}
    assert row.after["status"] == "investigating" and row.after["version"] == 2


def test_release_needs_reason_and_conviction_needs_sentence(session, factory) -> None:
    inc = factory.incident(status="suspect_identified")
    kwargs = dict(actor=factory.admin, incident_id=inc.id, expected_version=1)
    with pytest.raises(InvalidInput) as err:
        add_event(session, kind="released", occurred_on=date(2024, 9, 2), **kwargs)
    assert err.value.problems == {"reason": "workflow.reason_required"}
    ev = add_event(
        session, kind="released", occurred_on=date(2024, 9, 2), reason="only_viewed", **kwargs
    )
    assert ev.reason == "only_viewed"
    for kind in ("referred", "indicted"):
        session.refresh(inc)
        add_event(
            session,
            actor=factory.admin,
            incident_id=inc.id,
            expected_version=inc.version,
            kind=kind,
            occurred_on=date(2024, 10, 1),
        )
    session.refresh(inc)
    with pytest.raises(InvalidInput) as err:
        add_event(
            session,
            actor=factory.admin,
            incident_id=inc.id,
            expected_version=inc.version,
            kind="convicted",
            occurred_on=date(2025, 1, 9),
        )
    assert err.value.problems == {"sentence": "workflow.sentence_required"}
    add_event(
        session,
        actor=factory.admin,
        incident_id=inc.id,
        expected_version=inc.version,
        kind="convicted",
        occurred_on=date(2025, 1, 9),
        sentence="징역 5년",
    )
    kinds = [
        (e.kind, e.reason, e.sentence)
        for e in timeline(session, actor=factory.admin, incident_id=inc.id)
    ]
    assert kinds == [
        ("released", "only_viewed", ""),
        ("referred", "", ""),
        ("indicted", "", ""),
        ("convicted", "", "징역 5년"),
    ]


def test_illegal_event_refused_and_nothing_changes(session, factory) -> None:
    inc = factory.incident()
    with pytest.raises(IllegalTransition):
        add_event(
            session,
            actor=factory.admin,
            incident_id=inc.id,
            expected_version=1,
            kind="convicted",
            occurred_on=date(2024, 9, 9),
            sentence="x",
        )
    session.rollback()
    session.refresh(inc)
    assert (inc.status, inc.version) == ("reported", 1)
    assert timeline(session, actor=factory.admin, incident_id=inc.id) == []


def test_discipline_events_leave_status_and_stale_version_refused(session, factory) -> None:
    inc = factory.incident()
    add_event(
        session,
        actor=factory.admin,
        incident_id=inc.id,
        expected_version=1,
        kind="school_discipline",
        occurred_on=date(2024, 9, 3),
        note="퇴학",
    )
    session.refresh(inc)
    assert (inc.status, inc.version) == ("reported", 2)
    with pytest.raises(StaleEdit):
        add_event(
            session,
            actor=factory.admin,
            incident_id=inc.id,
            expected_version=1,
            kind="investigating",
            occurred_on=date(2024, 9, 4),
        )


def test_viewer_cannot_add_events(session, factory) -> None:
    inc = factory.incident()
    with pytest.raises(PermissionDenied):
        add_event(
            session,
            actor=factory.user("viewer"),
            incident_id=inc.id,
            expected_version=1,
            kind="investigating",
            occurred_on=date(2024, 9, 4),
        )


def test_edit_form_status_change_follows_workflow(session, factory) -> None:
    inc = factory.incident()
    data = {"title": inc.title, "reported_on": inc.reported_on, "status": "convicted"}
    with pytest.raises(IllegalTransition):
        update_incident(
            session, actor=factory.admin, incident_id=inc.id, expected_version=1, data=data
        )
    session.rollback()
    data["status"] = "investigating"
    update_incident(session, actor=factory.admin, incident_id=inc.id, expected_version=1, data=data)
    events = timeline(session, actor=factory.admin, incident_id=inc.id)
    assert [(e.kind, e.note, e.occurred_on) for e in events] == [
        ("investigating", "edit", date.today())
    ]
    assert session.get(Incident, inc.id).status == "investigating"
