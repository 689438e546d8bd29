"""Tasks and legal deadlines of incidents, and what is due, on both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from casebook.errors import InvalidInput, PermissionDenied, StaleEdit
from casebook.incidents import deadlines, due, tasks, workflow
from db.models import AuditLog, Deadline

TODAY = date(2026, 12, 3)


def _walk(session, actor, incident, steps: list[tuple[str, date]]) -> None:
    version = incident.version
    for kind, on in steps:
        workflow.add_event(
            session,
            actor=actor,
            incident_id=incident.id,
            expected_version=version,
            kind=kind,
            occurred_on=on,
            sentence="징역 1년" if kind == "convicted" else "",
        )
        version += 1


def _judged(session, factory, actor, on: date = date(2026, 11, 27)):
    inc = factory.incident(actor=actor)
    steps = [
        ("investigating", date(2026, 1, 5)),
        ("referred", date(2026, 3, 2)),
        ("indicted", date(2026, 5, 4)),
        ("convicted", on),
    ]
    _walk(session, actor, inc, steps)
    return inc


def _actions(session, action: str) -> list[AuditLog]:
    return list(
        session.exec(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()
    )


def test_a_judgment_yields_a_computed_appeal_deadline(session, factory) -> None:
    lawyer = factory.user("lawyer")
    inc = _judged(session, factory, lawyer)  # Fri 2026-11-27 + 7 = Fri 12-04
    [view] = deadlines.incident_deadlines(session, actor=lawyer, incident_id=inc.id)
    assert (view.rule_id, view.trigger_on, view.due_on, view.state, view.certain) == (
        "appeal",
        date(2026, 11, 27),
        date(2026, 12, 4),
        "computed",
        False,
    )
    assert view.deadline_id is None and view.sources[0].citation.startswith("형사소송법 제358조")
    mine = due.what_is_due(session, actor=lawyer, scope="mine", today=TODAY)
    assert [(i.kind, i.rule_id, i.due_on, i.certain) for i in mine] == [
        ("deadline", "appeal", date(2026, 12, 4), False)
    ]
    other = factory.user("advocate")
    assert due.what_is_due(session, actor=other, scope="mine", today=TODAY) == []
    assert len(due.what_is_due(session, actor=other, scope="group", today=TODAY)) == 1


def test_lawyer_confirms_then_corrects_and_every_write_is_audited(session, factory) -> None:
    lawyer = factory.user("lawyer")
    inc = _judged(session, factory, lawyer)
    row = deadlines.confirm_deadline(
        session,
        actor=lawyer,
        incident_id=inc.id,
        rule_id="appeal",
        trigger_on=date(2026, 11, 27),
        due_on=date(2026, 12, 4),
    )
    assert (row.state, row.version, row.computed_on) == ("confirmed", 1, date(2026, 12, 4))
    with pytest.raises(StaleEdit):
        deadlines.confirm_deadline(
            session,
            actor=lawyer,
            incident_id=inc.id,
            rule_id="appeal",
            trigger_on=date(2026, 11, 27),
            due_on=date(2026, 12, 7),
        )
    row = deadlines.confirm_deadline(
        session,
        actor=lawyer,
        incident_id=inc.id,
        rule_id="appeal",
        trigger_on=date(2026, 11, 27),
        due_on=date(2026, 12, 7),
        expected_version=1,
    )
    assert row.state == "corrected" and row.due_on == date(2026, 12, 7)
    [view] = deadlines.incident_deadlines(session, actor=lawyer, incident_id=inc.id)
    assert (view.state, view.certain, view.due_on, view.computed_on) == (
        "corrected",
        True,
        date(2026, 12, 7),
        date(2026, 12, 4),
    )
    audits = _actions(session, "deadline.confirm")
    assert [a.after["state"] for a in audits] == ["confirmed", "corrected"]
    assert audits[1].before["due_on"] == "2026-12-04"
    deadlines.set_deadline_done(session, actor=lawyer, deadline_id=row.id, done_on=TODAY)
    assert due.what_is_due(session, actor=lawyer, scope="group", today=TODAY) == []
    assert len(_actions(session, "deadline.done")) == 1


def test_only_lawyers_confirm_and_viewers_see_nothing(session, factory) -> None:
    adv, viewer = factory.user("advocate"), factory.user("viewer")
    inc = _judged(session, factory, adv)
    with pytest.raises(PermissionDenied):
        deadlines.confirm_deadline(
            session,
            actor=adv,
            incident_id=inc.id,
            rule_id="appeal",
            trigger_on=date(2026, 11, 27),
            due_on=date(2026, 12, 4),
        )
    with pytest.raises(PermissionDenied):
        due.what_is_due(session, actor=viewer, scope="group", today=TODAY)
    assert session.exec(select(Deadline)).all() == []


def test_ruling_started_from_a_notice_date(session, factory) -> None:
    lawyer = factory.user("lawyer")
    inc = factory.incident(actor=lawyer)
    row = deadlines.start_deadline(
        session, actor=lawyer, incident_id=inc.id, rule_id="ruling", trigger_on=date(2026, 9, 29)
    )
    assert (row.due_on, row.state) == (date(2026, 10, 12), "computed")  # Hangul Day + weekend
    with pytest.raises(InvalidInput) as err:
        deadlines.start_deadline(
            session,
            actor=lawyer,
            incident_id=inc.id,
            rule_id="ruling",
            trigger_on=date(2026, 9, 29),
        )
    assert err.value.problems == {"trigger_on": "deadlines.exists"}
    with pytest.raises(InvalidInput):
        deadlines.start_deadline(
            session, actor=lawyer, incident_id=inc.id, rule_id="nope", trigger_on=date(2026, 9, 29)
        )
    items = due.what_is_due(session, actor=lawyer, scope="mine", today=TODAY)
    assert [(i.rule_id, i.overdue, i.certain) for i in items] == [("ruling", True, False)]


def test_limitation_keeps_no_birth_date(session, factory) -> None:
    lawyer = factory.user("lawyer")
    inc = factory.incident(actor=lawyer)
    row = deadlines.add_limitation(
        session,
        actor=lawyer,
        incident_id=inc.id,
        act_ended_on=date(2024, 3, 10),
        prison_max_years=7,
        victim_birth=date(2010, 5, 5),
    )
    assert row.due_on == date(2036, 5, 4)
    assert row.basis == {"years": 7, "minor_rule": True, "no_limitation": None}
    [entry] = _actions(session, "deadline.limitation")
    assert "2010-05-05" not in str(entry.after)
    none = deadlines.add_limitation(
        session,
        actor=lawyer,
        incident_id=inc.id,
        act_ended_on=date(2024, 3, 11),
        prison_max_years=None,
        no_limitation_id="sexual-crimes-act:21-3",
    )
    assert none.due_on is None
    with pytest.raises(InvalidInput):
        deadlines.add_limitation(
            session,
            actor=lawyer,
            incident_id=inc.id,
            act_ended_on=date(2024, 3, 12),
            prison_max_years=7,
            victim_birth=date(2025, 1, 1),
        )
    items = due.what_is_due(session, actor=lawyer, scope="mine", today=TODAY)
    assert [i.due_on for i in items] == [date(2036, 5, 4), None]  # no limit sorts last


def test_tasks_overdue_first_and_audited_without_their_text(session, factory) -> None:
    adv, lawyer = factory.user("advocate"), factory.user("lawyer")
    inc = factory.incident(actor=adv)
    later = tasks.add_task(
        session,
        actor=adv,
        incident_id=inc.id,
        title="방심위 심의 요청",
        assignee_id=adv.id,
        due_on=date(2026, 12, 20),
    )
    late = tasks.add_task(
        session,
        actor=adv,
        incident_id=inc.id,
        title="  피해자   연락 ",
        assignee_id=adv.id,
        due_on=date(2026, 11, 30),
    )
    tasks.add_task(
        session, actor=adv, incident_id=inc.id, title="변호사 검토", assignee_id=lawyer.id
    )
    assert late.title == "피해자 연락"
    items = due.what_is_due(session, actor=adv, scope="mine", today=TODAY)
    assert [(i.title, i.overdue) for i in items] == [
        ("피해자 연락", True),
        ("방심위 심의 요청", False),
    ]
    assert due.due_count(session, actor=adv, today=TODAY) == due.DueCount(1, 0, 0)
    with pytest.raises(StaleEdit):
        tasks.update_task(
            session,
            actor=adv,
            task_id=later.id,
            expected_version=0,
            title="x",
            assignee_id=None,
            due_on=None,
        )
    tasks.set_task_done(session, actor=adv, task_id=late.id, done_on=TODAY)
    assert [i.title for i in due.what_is_due(session, actor=adv, today=TODAY)] == [
        "방심위 심의 요청"
    ]
    trail = _actions(session, "task.add") + _actions(session, "task.done")
    assert len(trail) == 4 and all("피해자" not in str(a.after) for a in trail)
    with pytest.raises(InvalidInput) as err:
        tasks.add_task(session, actor=adv, incident_id=inc.id, title="   ")
    assert err.value.problems == {"title": "errors.required"}
    viewer = factory.user("viewer")
    with pytest.raises(InvalidInput):
        tasks.add_task(session, actor=adv, incident_id=inc.id, title="x", assignee_id=viewer.id)


def test_calendar_feed_carries_no_titles(session, factory) -> None:
    lawyer = factory.user("lawyer")
    inc = _judged(session, factory, lawyer)
    tasks.add_task(
        session,
        actor=lawyer,
        incident_id=inc.id,
        title="피해자 김모씨에게 연락",
        assignee_id=lawyer.id,
        due_on=date(2026, 12, 10),
    )
    body = due.calendar_feed(session, actor=lawyer, today=TODAY, lang="ko").decode("utf-8")
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert body.count("BEGIN:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20261204" in lines and "DTSTART;VALUE=DATE:20261210" in lines
    unfolded = body.replace("\r\n ", "")
    assert f"항소 제기기간 — 사건 #{inc.id} (계산됨(미확인))" in unfolded
    assert "김모씨" not in unfolded and inc.title not in unfolded
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
