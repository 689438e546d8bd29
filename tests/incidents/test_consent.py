"""The victim's consent: safe defaults, briefs and exports that check it, withdrawals that
hold at once and are audited, statistics that leave out a decline (issue 19)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import func, select

from casebook.analytics.overview import overview
from casebook.briefs.records import generate_brief
from casebook.errors import NotFound, PermissionDenied
from casebook.importing.export import export_bytes
from casebook.incidents.confidential import set_confidential
from casebook.incidents.consent import ConsentMissing, get_consent, record_consent
from db.models import AuditLog, BriefRecord

GIVEN = date(2024, 9, 10)


def _brief(session, actor, incident_id, audience):
    return generate_brief(
        session,
        actor=actor,
        kind="incident",
        lang="ko",
        params={"id": incident_id, "audience": audience},
        render_charts=False,
    )


def _briefs(session) -> int:
    return session.exec(select(func.count()).select_from(BriefRecord)).one()


def test_defaults_share_nothing_and_count_in_statistics(session, factory):
    inc = factory.incident()
    consent = get_consent(session, actor=factory.user("viewer"), incident_id=inc.id)
    assert consent.recorded is False
    assert consent.agreed == {
        "police": False,
        "school": False,
        "regulator": False,
        "lawmakers": False,
        "press": False,
        "statistics": True,
    }


def test_a_brief_for_an_audience_needs_its_consent_and_a_withdrawal_holds_at_once(session, factory):
    lawyer = factory.user("lawyer")
    inc = factory.incident()
    with pytest.raises(ConsentMissing) as exc:
        _brief(session, lawyer, inc.id, "school")
    assert "학교·직장" in exc.value.message("ko")
    assert "the school or employer" in exc.value.message("en")
    assert _briefs(session) == 0
    _brief(session, lawyer, inc.id, "internal")  # the group's own use needs none
    agreed = {"school": True, "police": True, "statistics": True}
    record_consent(
        session,
        actor=lawyer,
        incident_id=inc.id,
        given_by="guardian",
        given_on=GIVEN,
        agreed=agreed,
    )
    assert _brief(session, lawyer, inc.id, "school").record.params["audience"] == "school"
    with pytest.raises(ConsentMissing):
        _brief(session, lawyer, inc.id, "press")
    record_consent(
        session,
        actor=lawyer,
        incident_id=inc.id,
        given_by="guardian",
        given_on=GIVEN,
        agreed={"police": True, "statistics": True},
    )
    with pytest.raises(ConsentMissing):
        _brief(session, lawyer, inc.id, "school")
    entry = session.exec(
        select(AuditLog).where(AuditLog.action == "incident.consent_withdrawn")
    ).one()
    assert (entry.actor_id, entry.after["withdrawn"], entry.after["school"]) == (
        lawyer.id,
        ["school"],
        False,
    )
    assert entry.before["school"] is True


def test_an_export_for_an_audience_holds_only_consenting_incidents(session, factory):
    adv = factory.user("advocate")
    yes, no = factory.incident(title="동의함"), factory.incident(title="동의 안 함")
    record_consent(session, actor=adv, incident_id=yes.id, given_on=GIVEN, agreed={"police": True})
    data, count = export_bytes(session, actor=adv, fmt="json", audience="police")
    assert count == 1 and [r["title"] for r in json.loads(data)["incidents"]] == ["동의함"]
    assert export_bytes(session, actor=adv, fmt="json", audience="press")[1] == 0
    assert export_bytes(session, actor=adv, fmt="json")[1] == 2  # the group's own copy
    assert no.id


def test_a_declined_statistics_consent_leaves_the_figures(session, factory):
    adv = factory.user("advocate")
    a, b = factory.incident(victims_count=3), factory.incident(victims_count=5)
    assert (overview(session, actor=adv).incidents, overview(session, actor=adv).victims) == (2, 8)
    record_consent(session, actor=adv, incident_id=b.id, given_on=GIVEN, agreed={})
    assert (overview(session, actor=adv).incidents, overview(session, actor=adv).victims) == (1, 3)
    assert a.id


def test_who_may_record_consent(session, factory):
    inc = factory.incident()
    with pytest.raises(PermissionDenied):
        record_consent(
            session, actor=factory.user("viewer"), incident_id=inc.id, given_on=GIVEN, agreed={}
        )
    set_confidential(session, actor=factory.admin, incident_id=inc.id, confidential=True, team=[])
    with pytest.raises(NotFound):
        record_consent(
            session,
            actor=factory.user("lawyer"),
            incident_id=inc.id,
            given_on=GIVEN,
            agreed={"press": True},
        )
    with pytest.raises(NotFound):
        get_consent(session, actor=factory.user("lawyer"), incident_id=inc.id)
