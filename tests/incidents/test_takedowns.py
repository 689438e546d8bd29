"""Takedown requests and days to removal per platform."""

from datetime import date

import pytest
from sqlmodel import select

from casebook.errors import InvalidInput, PermissionDenied
from casebook.incidents.takedowns import (
    PlatformRemoval,
    days_to_removal_by_platform,
    list_takedowns,
    request_takedown,
    resolve_takedown,
)
from db.models import AuditLog


def _req(session, actor, inc, platform, requested, outcome=None, resolved=None):
    row = request_takedown(
        session,
        actor=actor,
        incident_id=inc.id,
        platform=platform,
        requested_on=requested,
        requested_by="방심위",
        note="",
    )
    if outcome:
        row = resolve_takedown(
            session, actor=actor, takedown_id=row.id, outcome=outcome, resolved_on=resolved
        )
    return row


def test_days_to_removal_by_platform(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident()
    demo = factory.incident(is_demo=True)
    _req(session, adv, inc, "telegram", date(2024, 9, 1), "removed", date(2024, 9, 11))
    _req(session, adv, inc, "telegram", date(2024, 9, 1), "removed", date(2024, 9, 3))
    _req(session, adv, inc, "telegram", date(2024, 9, 2), "refused", date(2024, 9, 5))
    _req(session, adv, inc, "telegram", date(2024, 9, 2))
    _req(session, adv, inc, "x", date(2024, 8, 1), "removed", date(2024, 8, 2))
    _req(session, adv, demo, "discord", date(2024, 8, 1), "removed", date(2024, 8, 31))
    assert days_to_removal_by_platform(session) == [
        PlatformRemoval("telegram", 4, 2, 1, 1, 6.0, 6.0, 10),
        PlatformRemoval("discord", 1, 1, 0, 0, 30.0, 30.0, 30),
        PlatformRemoval("x", 1, 1, 0, 0, 1.0, 1.0, 1),
    ]
    assert days_to_removal_by_platform(session, include_demo=False, date_from=date(2024, 9, 1)) == [
        PlatformRemoval("telegram", 4, 2, 1, 1, 6.0, 6.0, 10),
    ]
    assert days_to_removal_by_platform(session, date_to=date(2024, 8, 31)) == [
        PlatformRemoval("discord", 1, 1, 0, 0, 30.0, 30.0, 30),
        PlatformRemoval("x", 1, 1, 0, 0, 1.0, 1.0, 1),
    ]


def test_takedown_rows_audit_and_validation(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident()
    row = _req(session, adv, inc, "telegram", date(2024, 9, 1))
    with pytest.raises(InvalidInput) as err:
        resolve_takedown(
            session, actor=adv, takedown_id=row.id, outcome="removed", resolved_on=date(2024, 8, 1)
        )
    assert err.value.problems == {"resolved_on": "takedowns.resolved_before_requested"}
    with pytest.raises(InvalidInput):
        request_takedown(
            session,
            actor=adv,
            incident_id=inc.id,
            platform="myspace",
            requested_on=date(2024, 9, 1),
        )
    resolve_takedown(
        session,
        actor=adv,
        takedown_id=row.id,
        outcome="removed",
        resolved_on=date(2024, 9, 4),
        note="삭제 확인",
    )

    def seen(role: str) -> list:
        rows = list_takedowns(session, actor=factory.user(role), incident_id=inc.id)
        return [
            (r.platform, r.requested_on, r.requested_by, r.outcome, r.resolved_on, r.note)
            for r in rows
        ]

    assert seen("advocate") == [
        ("telegram", date(2024, 9, 1), "방심위", "removed", date(2024, 9, 4), "삭제 확인")
    ]
    # A viewer gets the dates and outcome; who asked and the note are redacted (issue 19).
    assert seen("viewer") == [("telegram", date(2024, 9, 1), "", "removed", date(2024, 9, 4), "")]
    audit = session.exec(select(AuditLog).where(AuditLog.action == "takedown.resolve")).one()
    assert (audit.before["outcome"], audit.after["outcome"]) == ("pending", "removed")


def test_viewer_cannot_request_takedowns(session, factory) -> None:
    inc = factory.incident()
    with pytest.raises(PermissionDenied):
        request_takedown(
            session,
            actor=factory.user("viewer"),
            incident_id=inc.id,
            platform="telegram",
            requested_on=date(2024, 9, 1),
        )
