"""Takedown requests per location, their steps, and re-checks for re-uploads."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from casebook.errors import InvalidInput, PermissionDenied
from casebook.incidents import due, erasure, removals
from db.models import AuditLog, RemovalRequest, RemovalStep


def test_default_schedule_edges() -> None:
    # 1 week, 1, 3, 6 months, then every 6 months to 3 years; month ends clamp.
    assert removals.recheck_schedule(date(2025, 1, 31)) == [
        date(2025, 2, 7),
        date(2025, 2, 28),
        date(2025, 4, 30),
        date(2025, 7, 31),
        date(2026, 1, 31),
        date(2026, 7, 31),
        date(2027, 1, 31),
        date(2027, 7, 31),
        date(2028, 1, 31),
    ]
    assert removals.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_next_check_after_the_last_recheck() -> None:
    schedule = removals.recheck_schedule(date(2026, 1, 5))
    assert removals.next_check(schedule, []) == date(2026, 1, 12)
    assert removals.next_check(schedule, [date(2026, 1, 13)]) == date(2026, 2, 5)
    assert removals.next_check(schedule, [date(2029, 1, 6)]) is None


def test_pasted_locations_all_or_nothing(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident(actor=adv)
    with pytest.raises(InvalidInput) as err:
        removals.request_removals(
            session,
            actor=adv,
            incident_id=inc.id,
            location_kind="url",
            channel="regulator",
            requested_on=date(2026, 1, 5),
            locations=["https://a.example/1", "javascript:alert(1)"],
        )
    assert list(err.value.problems) == ["line 2"]
    assert session.exec(select(RemovalRequest)).all() == []
    rows = removals.request_removals(
        session,
        actor=adv,
        incident_id=inc.id,
        location_kind="url",
        channel="regulator",
        requested_on=date(2026, 1, 5),
        locations=["https://a.example/1", "", " https://a.example/2 ", "https://a.example/1"],
    )
    assert [r.location for r in rows] == ["https://a.example/1", "https://a.example/2"]
    audits = session.exec(select(AuditLog).where(AuditLog.action == "removal.request")).all()
    assert len(audits) == 2


def test_removed_location_rechecked_and_reupload_opens_linked_request(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident(actor=adv)
    [req] = removals.request_removals(
        session,
        actor=adv,
        incident_id=inc.id,
        location_kind="post",
        channel="platform",
        platform="x",
        requested_on=date(2026, 1, 5),
        locations=["@user/status/1"],
    )
    with pytest.raises(InvalidInput) as err:
        removals.record_recheck(
            session, actor=adv, request_id=req.id, checked_on=date(2026, 1, 20), result="still_gone"
        )
    assert err.value.problems == {"result": "removals.not_removed"}
    removals.add_removal_step(
        session,
        actor=adv,
        request_id=req.id,
        step="deleted",
        occurred_on=date(2026, 1, 9),
        by_whom="X",
    )
    [view] = removals.removal_requests(session, actor=adv, incident_id=inc.id)
    assert view.request.status == "deleted" and view.next_check == date(2026, 1, 16)
    removals.record_recheck(
        session, actor=adv, request_id=req.id, checked_on=date(2026, 1, 16), result="still_gone"
    )
    check = removals.record_recheck(
        session,
        actor=adv,
        request_id=req.id,
        checked_on=date(2026, 2, 10),
        result="reuploaded",
        new_location="@other/status/9",
    )
    first, second = removals.removal_requests(session, actor=adv, incident_id=inc.id)
    assert first.next_check == date(2026, 4, 9)
    assert (second.request.parent_id, second.request.location, second.request.channel) == (
        req.id,
        "@other/status/9",
        "platform",
    )
    assert check.new_request_id == second.request.id
    assert [s.step for s in second.steps] == ["requested"] and second.schedule == []
    actions = [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id)).all()]
    assert actions[-5:] == [
        "removal.request",
        "removal.step",
        "removal.recheck",
        "removal.request",
        "removal.recheck",
    ]


def test_viewer_refused_and_purge_removes_requests(session, factory) -> None:
    adv, viewer = factory.user("advocate"), factory.user("viewer")
    inc = factory.incident(actor=adv)
    with pytest.raises(PermissionDenied):
        removals.request_removals(
            session,
            actor=viewer,
            incident_id=inc.id,
            locations=["x"],
            location_kind="post",
            channel="platform",
            requested_on=date(2026, 1, 5),
        )
    [req] = removals.request_removals(
        session,
        actor=adv,
        incident_id=inc.id,
        locations=["x"],
        location_kind="post",
        channel="platform",
        requested_on=date(2026, 1, 5),
    )
    with pytest.raises(PermissionDenied):
        removals.removal_requests(session, actor=viewer, incident_id=inc.id)
    erasure.purge_incident(session, actor=factory.admin, incident_id=inc.id)
    assert session.exec(select(RemovalRequest)).all() == []
    assert session.exec(select(RemovalStep)).all() == []
    assert req.id is not None


def test_rechecks_show_in_what_is_due(session, factory) -> None:
    adv, other = factory.user("advocate"), factory.user("advocate")
    inc = factory.incident(actor=adv)
    [req] = removals.request_removals(
        session,
        actor=adv,
        incident_id=inc.id,
        locations=["x"],
        location_kind="post",
        channel="police",
        requested_on=date(2026, 1, 5),
    )
    removals.add_removal_step(
        session, actor=adv, request_id=req.id, step="blocked", occurred_on=date(2026, 1, 9)
    )
    items = due.what_is_due(session, actor=adv, scope="mine", today=date(2026, 1, 20))
    assert [(i.kind, i.item_id, i.due_on, i.overdue) for i in items] == [
        ("recheck", req.id, date(2026, 1, 16), True)
    ]
    assert due.what_is_due(session, actor=other, scope="mine", today=date(2026, 1, 20)) == []
    removals.record_recheck(
        session, actor=adv, request_id=req.id, checked_on=date(2026, 1, 17), result="still_gone"
    )
    [item] = due.what_is_due(session, actor=other, scope="group", today=date(2026, 1, 20))
    assert (item.due_on, item.overdue) == (date(2026, 2, 9), False)
    feed = due.calendar_feed(session, actor=adv, today=date(2026, 1, 20)).decode()
    assert (
        "DTSTART;VALUE=DATE:20260209" in feed
        and "x" not in feed.split("SUMMARY:")[1].split("\r\n")[0]
    )
