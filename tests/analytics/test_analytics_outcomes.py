"""The outcome measures of the summary cube (legal-link gaps, releases, takedowns,
institution discipline; migration 0006) and the advocacy brief's (minor victims, gaps per
incident, takedown requests; migration 0010) stay equal to a from-scratch recomputation
after inserts, updates, deletes and purges, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import delete, select, text, update

from casebook.analytics import advocacy as analytics_advocacy
from casebook.analytics.dashboards import dashboard
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.outcomes import MEASURES
from casebook.analytics.sources import grouped
from casebook.analytics.summaries import rebuild_summaries
from casebook.incidents.erasure import purge_incident, purge_incident_details
from casebook.incidents.store import form_data, get_incident, update_incident
from db.models import Incident, IncidentEvent, IncidentInstitution, LegalLink, Takedown
from tests.analytics_fixture import build

ALL = AnalyticsFilter()
CUT = AnalyticsFilter(date_from=date(2024, 8, 6), date_to=date(2024, 9, 29))


@pytest.fixture
def data(factory):
    return build(factory)


def _outcome_rows(session) -> list[tuple]:
    # the first police step follows the same first-date pattern as discipline
    marks = ", ".join(f"'{m}'" for m in (*MEASURES, *analytics_advocacy.MEASURES, "police"))
    return [
        tuple(r)
        for r in session.execute(
            text(
                "SELECT measure, key, month, region, kind, platform, status, gap, n, total "
                f"FROM analytics_cube WHERE measure IN ({marks}) AND (n <> 0 OR total <> 0) "
                "ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
            )
        )
    ]


def _assert_matches_rebuild(session) -> list[tuple]:
    """The trigger-kept rows equal a recomputation (and no measure went negative)."""
    session.commit()
    kept = _outcome_rows(session)
    assert all(row[8] >= 0 for row in kept), kept
    rebuild_summaries(session)
    assert _outcome_rows(session) == kept
    return kept


def _link(incident_id: int, conduct: str, gap: str, **kw) -> LegalLink:
    return LegalLink(
        incident_id=incident_id,
        conduct=conduct,
        victim="adult",
        version_id="v",
        basis="then",
        gap=gap,
        **kw,
    )


def test_fixture_counts_come_from_the_cube(session, factory, data) -> None:
    kept = _assert_matches_rebuild(session)
    assert {r[0] for r in kept} == {*MEASURES, "police", "link_gap", "takedown_req"}
    d = dashboard(session, actor=factory.admin, filters=ALL)
    assert d.legal_links == [
        {"conduct": "create", "gap": "penalty_raised", "month": "2024-08", "count": 1},
        {"conduct": "view", "gap": "not_criminal_then", "month": "2024-09", "count": 1},
    ]
    assert d.releases[0] == {"reason": "only_viewed", "count": 1}
    assert d.takedown_days == [
        {"platform": "discord", "removed": 1, "avg_days": 2.0},
        {"platform": "telegram", "removed": 1, "avg_days": 10.0},
    ]


def test_inserts_in_one_statement_count_each_incident_once(session, factory, data) -> None:
    i1, i2, i3, _, i5 = data["incidents"]
    # several rows of one incident with the same key, flushed together (one multi-row
    # INSERT on PostgreSQL): the link and the release count once, the first step is the
    # earliest, and every discipline event is counted
    session.add_all(
        [
            _link(i1.id, "create", "penalty_raised"),
            _link(i1.id, "create", "penalty_raised", origin="lawyer"),
            _link(i2.id, "view", "not_criminal_then"),
            _link(i2.id, "view", "not_criminal_then"),
            IncidentEvent(
                incident_id=i2.id, kind="released", occurred_on=date(2024, 9, 1), reason="bail"
            ),
            IncidentEvent(
                incident_id=i2.id, kind="released", occurred_on=date(2024, 9, 2), reason="bail"
            ),
            IncidentEvent(incident_id=i2.id, kind="investigating", occurred_on=date(2024, 8, 22)),
            IncidentEvent(incident_id=i2.id, kind="referred", occurred_on=date(2024, 8, 21)),
            IncidentEvent(
                incident_id=i2.id, kind="school_discipline", occurred_on=date(2024, 9, 5)
            ),
            IncidentEvent(
                incident_id=i2.id, kind="employer_discipline", occurred_on=date(2024, 8, 30)
            ),
            IncidentEvent(
                incident_id=i3.id, kind="school_discipline", occurred_on=date(2024, 9, 8)
            ),
            Takedown(
                incident_id=i5.id,
                platform="x",
                requested_on=date(2024, 10, 16),
                resolved_on=date(2024, 10, 19),
                outcome="removed",
            ),
            Takedown(
                incident_id=i5.id,
                platform="x",
                requested_on=date(2024, 10, 17),
                resolved_on=date(2024, 10, 18),
                outcome="removed",
            ),
        ]
    )
    _assert_matches_rebuild(session)
    d = dashboard(session, actor=factory.admin, filters=ALL)
    assert {
        "conduct": "view",
        "gap": "not_criminal_then",
        "month": "2024-08",
        "count": 1,
    } in d.legal_links
    assert {"reason": "bail", "count": 1} in d.releases
    assert {"platform": "x", "removed": 2, "avg_days": 2.0} in d.takedown_days
    # i2 belongs to institutions a and b; its first discipline is 10 days after report
    by_name = {r["institution"]: r for r in d.institution_response}
    assert by_name["가나대학교"]["discipline_events"] == 2
    assert by_name["다라고등학교"]["discipline_events"] == 4  # i2's two, i3's two


def test_updates_move_rows_between_keys_and_buckets(session, factory, data) -> None:
    i1, i2, i3, i4, i5 = data["incidents"]
    session.add_all(
        [
            _link(i1.id, "create", "penalty_raised"),
            _link(i4.id, "view", "penalty_raised", state="removed"),
        ]
    )
    _assert_matches_rebuild(session)
    # a link removed, another revived, a gap changed, a link moved to another incident
    session.execute(
        update(LegalLink)
        .where(LegalLink.incident_id == i1.id, LegalLink.conduct == "create")
        .values(state="removed")
    )
    session.execute(
        update(LegalLink)
        .where(LegalLink.incident_id == i4.id, LegalLink.gap == "penalty_raised")
        .values(state="confirmed")
    )
    session.execute(
        update(LegalLink)
        .where(LegalLink.incident_id == i4.id, LegalLink.gap == "not_criminal_then")
        .values(gap="penalty_raised")
    )
    _assert_matches_rebuild(session)
    # a pending takedown resolved, a removal moved to another platform and back to pending
    session.execute(
        update(Takedown)
        .where(Takedown.incident_id == i5.id)
        .values(outcome="removed", resolved_on=date(2024, 10, 20))
    )
    session.execute(update(Takedown).where(Takedown.incident_id == i3.id).values(platform="x"))
    _assert_matches_rebuild(session)
    session.execute(update(Takedown).where(Takedown.incident_id == i3.id).values(outcome="pending"))
    # incidents change month, region, status and report date: every measure follows
    session.execute(
        update(Incident)
        .where(Incident.id == i4.id)
        .values(
            reported_on=date(2024, 8, 30),
            reported_month="2024-08",
            region="jeju",
            status="convicted",
        )
    )
    detail = get_incident(session, actor=factory.admin, incident_id=i3.id)
    form = form_data(detail) | {"institution_ids": [data["a"].id, data["c"].id]}
    update_incident(
        session,
        actor=factory.admin,
        incident_id=i3.id,
        expected_version=detail.incident.version,
        data=form,
    )
    kept = _assert_matches_rebuild(session)
    assert ("discipline", str(data["c"].id)) in {(r[0], r[1]) for r in kept}
    assert ("discipline", str(data["b"].id)) not in {(r[0], r[1]) for r in kept}


def test_deletes_and_purges(session, factory, data) -> None:
    i1, i2, i3, i4, i5 = data["incidents"]
    session.add_all(
        [
            _link(i4.id, "view", "not_criminal_then"),
            IncidentEvent(
                incident_id=i4.id,
                kind="released",
                occurred_on=date(2024, 10, 9),
                reason="only_viewed",
            ),
            IncidentEvent(
                incident_id=i3.id, kind="school_discipline", occurred_on=date(2024, 9, 6)
            ),
            IncidentEvent(incident_id=i3.id, kind="arrested", occurred_on=date(2024, 9, 5)),
            IncidentEvent(incident_id=i3.id, kind="investigating", occurred_on=date(2024, 9, 4)),
        ]
    )
    _assert_matches_rebuild(session)
    # one of two duplicate rows goes: still counted; then the other (a multi-row delete)
    first = session.execute(select(LegalLink.id).where(LegalLink.incident_id == i4.id)).scalar()
    session.execute(delete(LegalLink).where(LegalLink.id == first))
    kept = _assert_matches_rebuild(session)
    assert any(r[0] == "link" and r[1] == "view:not_criminal_then" for r in kept)
    session.execute(delete(LegalLink).where(LegalLink.incident_id == i4.id))
    session.execute(delete(IncidentEvent).where(IncidentEvent.incident_id == i3.id))
    session.execute(delete(IncidentInstitution).where(IncidentInstitution.incident_id == i2.id))
    kept = _assert_matches_rebuild(session)
    assert not any(r[0] == "link" and r[1] == "view:not_criminal_then" for r in kept)
    assert not any(
        r[0] in ("discipline", "disc_events", "police")
        and r[2] == "2024-09"
        and r[4] == "high_school"
        for r in kept
    )
    # the ORM delete of an incident, the purge of another, and of a third's details
    session.delete(session.get(Incident, i1.id))
    session.commit()
    purge_incident(session, actor=factory.admin, incident_id=i4.id)
    purge_incident_details(session, actor=factory.admin, incident_id=i5.id)
    kept = _assert_matches_rebuild(session)
    assert {r[2] for r in kept if r[0] == "link"} == set()
    assert {r[1] for r in kept if r[0] == "takedown"} == {"discord"}
    assert i2.id and not any(r[0] == "release" for r in kept)


def test_a_range_cutting_months_agrees_with_the_cube(session, factory, data) -> None:
    """The cut days of a mid-month range come from the base tables; they must give the
    same figures as the cube does for the same incidents."""
    i1, i2, i3, i4, _ = data["incidents"]
    session.add_all(
        [
            _link(i2.id, "view", "not_criminal_then"),
            IncidentEvent(
                incident_id=i2.id, kind="school_discipline", occurred_on=date(2024, 9, 1)
            ),
            IncidentEvent(incident_id=i2.id, kind="released", occurred_on=date(2024, 8, 28)),
            Takedown(
                incident_id=i2.id,
                platform="x",
                requested_on=date(2024, 8, 21),
                resolved_on=date(2024, 8, 25),
                outcome="removed",
            ),
        ]
    )
    session.commit()
    # 6 Aug - 30 Sep cuts August and September: i1 (5 Aug) is out, the rest of the
    # two months comes from the base tables
    session.execute(
        update(Incident).where(Incident.id == i2.id).values(victims_minor=1, has_minor=True)
    )
    session.commit()
    cut = asdict(dashboard(session, actor=factory.admin, filters=CUT))
    session.delete(session.get(Incident, i1.id))
    session.execute(delete(Incident).where(Incident.reported_on > date(2024, 9, 29)))
    session.commit()
    whole = asdict(
        dashboard(
            session,
            actor=factory.admin,
            filters=AnalyticsFilter(date_from=date(2024, 8, 1), date_to=date(2024, 9, 30)),
        )
    )
    assert i3.id and i4.id
    for name in (
        "legal_links",
        "releases",
        "takedown_days",
        "police_days",
        "institution_response",
        "by_conduct",
        "age_bands",
        "room_sizes",
        "top_institutions",
        "by_month",
        "by_status",
        "by_obstacle",
        "victims",
    ):
        assert cut[name] == whole[name], name
    assert cut["legal_links"] and cut["takedown_days"] and cut["institution_response"]
    # the advocacy brief's measures: the same incidents through the cube (whole months)
    # and through the base tables (cut days)
    months = AnalyticsFilter(date_from=date(2024, 8, 1), date_to=date(2024, 9, 30))
    brief = {m: grouped(session, m, months, "key") for m in analytics_advocacy.MEASURES}
    assert brief == {m: grouped(session, m, CUT, "key") for m in analytics_advocacy.MEASURES}
    assert brief["minor"] and brief["link_gap"] and brief["takedown_req"]


def _minor_rows(session) -> list[tuple]:
    return [r for r in _assert_matches_rebuild(session) if r[0] == "minor"]


def test_minor_victims_follow_the_incident(session, factory, data) -> None:
    i1, i2, _, _, i5 = data["incidents"]
    assert _minor_rows(session) == []
    # through the form: has_minor follows victims_minor
    detail = get_incident(session, actor=factory.admin, incident_id=i1.id)
    update_incident(
        session,
        actor=factory.admin,
        incident_id=i1.id,
        expected_version=detail.incident.version,
        data=form_data(detail) | {"victims_minor": 2},
    )
    assert [r[2:] for r in _minor_rows(session)] == [
        ("2024-08", "seoul", "university", "telegram", "reported", 0, 1, 2)
    ]
    # raw SQL: more minors, another month; a second incident in one statement
    session.execute(
        update(Incident)
        .where(Incident.id.in_([i1.id, i2.id]))
        .values(victims_minor=3, has_minor=True, reported_month="2024-07")
    )
    assert [(r[2], r[6], r[8], r[9]) for r in _minor_rows(session)] == [
        ("2024-07", "arrested", 1, 3),
        ("2024-07", "reported", 1, 3),
    ]
    session.execute(
        update(Incident).where(Incident.id == i2.id).values(victims_minor=0, has_minor=False)
    )
    assert [(r[6], r[8], r[9]) for r in _minor_rows(session)] == [("reported", 1, 3)]
    factory.incident(reported_on=date(2024, 10, 2), victims_minor=1, victims_count=1)
    session.delete(session.get(Incident, i1.id))
    session.commit()
    purge_incident(session, actor=factory.admin, incident_id=i5.id)
    assert [(r[2], r[8], r[9]) for r in _minor_rows(session)] == [("2024-10", 1, 1)]
