"""Dashboard aggregates on both backends against a hand-built fixture (numbers known)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from casebook.analytics.dashboards import csv_bytes, dashboard, data_version, stats_summary
from casebook.analytics.filters import AnalyticsFilter, make_filter
from casebook.analytics.summaries import rebuild_summaries
from casebook.errors import InvalidInput, PermissionDenied
from casebook.incidents.store import form_data, get_incident, update_incident
from db.models import Incident, IncidentEvent
from tests.analytics_fixture import build

ALL = AnalyticsFilter()


@pytest.fixture
def data(factory):
    return build(factory)


def test_stats_summary_counts_every_incident_once(session, factory, data) -> None:
    assert stats_summary(session, actor=factory.admin, filters=ALL) == {
        "total": 5,
        "by_month": {"2024-08": 2, "2024-09": 2, "2024-10": 1},
        "by_institution_kind": {
            "university": 2,
            "high_school": 1,
            "middle_school": 1,
            "unknown": 1,
        },
        "by_region": {"seoul": 2, "busan": 1, "gyeonggi": 1, "unknown": 1},
        "by_conduct": {"create": 2, "distribute": 2, "view": 2, "possess": 1},
        "by_status": {"reported": 1, "arrested": 1, "convicted": 1, "released": 1, "indicted": 1},
        "legal_gaps": {
            "incidents": 1,
            "by_month": {"2024-09": 1},
            "links_by_conduct": {"create": {"penalty_raised": 1}, "view": {"not_criminal_then": 1}},
        },
    }


@pytest.mark.parametrize(
    ("filters", "by_month", "by_conduct"),
    [
        (
            AnalyticsFilter(region="seoul"),
            {"2024-08": 2},
            {"create": 1, "distribute": 1, "view": 1},
        ),
        (AnalyticsFilter(kind="unknown"), {"2024-09": 1}, {"view": 1, "possess": 1}),
        (
            AnalyticsFilter(platform="telegram"),
            {"2024-08": 2, "2024-10": 1},
            {"create": 1, "distribute": 2, "view": 1},
        ),
        (AnalyticsFilter(status="convicted"), {"2024-09": 1}, {"create": 1}),
        # whole months: answered from the cube
        (
            AnalyticsFilter(date_from=date(2024, 9, 1), date_to=date(2024, 9, 30)),
            {"2024-09": 2},
            {"create": 1, "view": 1, "possess": 1},
        ),
        # cut months at both ends: the cube for September, the base tables for the edges
        (
            AnalyticsFilter(date_from=date(2024, 8, 10), date_to=date(2024, 10, 20)),
            {"2024-08": 1, "2024-09": 2, "2024-10": 1},
            {"view": 2, "create": 1, "possess": 1, "distribute": 1},
        ),
        (
            AnalyticsFilter(date_to=date(2024, 9, 29)),
            {"2024-08": 2, "2024-09": 1},
            {"create": 2, "distribute": 1, "view": 1},
        ),
        # a range cutting through months: answered from the base tables
        (
            AnalyticsFilter(date_from=date(2024, 8, 10), date_to=date(2024, 9, 29)),
            {"2024-08": 1, "2024-09": 1},
            {"view": 1, "create": 1},
        ),
        (
            AnalyticsFilter(date_from=date(2024, 8, 10), region="busan"),
            {"2024-09": 1},
            {"create": 1},
        ),
        (
            AnalyticsFilter(
                date_from=date(2024, 8, 10), date_to=date(2024, 10, 10), region="gyeonggi"
            ),
            {},
            {},
        ),
        # no cube dimension for these: the base tables answer (the advocacy brief's filters)
        (AnalyticsFilter(conduct="view"), {"2024-08": 1, "2024-09": 1}, {"view": 2, "possess": 1}),
        (
            AnalyticsFilter(conduct="create", date_from=date(2024, 8, 10)),
            {"2024-09": 1},
            {"create": 1},
        ),
        (AnalyticsFilter(demo=True), {}, {}),
        (
            AnalyticsFilter(demo=False, region="seoul"),
            {"2024-08": 2},
            {"create": 1, "distribute": 1, "view": 1},
        ),
    ],
)
def test_filters(session, factory, data, filters, by_month, by_conduct) -> None:
    got = stats_summary(session, actor=factory.admin, filters=filters)
    assert (got["by_month"], got["by_conduct"]) == (by_month, by_conduct)


def test_dashboard_series(session, factory, data) -> None:
    d = dashboard(session, actor=factory.admin, filters=ALL)
    a, b, c = data["a"], data["b"], data["c"]
    assert d.by_month == [
        {"month": "2024-08", "kind": "university", "count": 2},
        {"month": "2024-09", "kind": "unknown", "count": 1},
        {"month": "2024-09", "kind": "high_school", "count": 1},
        {"month": "2024-10", "kind": "middle_school", "count": 1},
    ] or d.by_month == [
        {"month": "2024-08", "kind": "university", "count": 2},
        {"month": "2024-09", "kind": "high_school", "count": 1},
        {"month": "2024-09", "kind": "unknown", "count": 1},
        {"month": "2024-10", "kind": "middle_school", "count": 1},
    ]  # "" sorts first on both backends, but be explicit about either order
    assert d.by_platform == [
        {"platform": "telegram", "count": 3},
        {"platform": "discord", "count": 1},
        {"platform": "kakaotalk", "count": 1},
    ]
    assert d.room_sizes == [
        {"bucket": "unknown", "count": 2},
        {"bucket": "10000plus", "count": 1},
        {"bucket": "1000to9999", "count": 1},
        {"bucket": "lt100", "count": 1},
    ]
    assert d.top_institutions == [
        {"institution_id": a.id, "name": "가나대학교", "kind": "university", "count": 2},
        {"institution_id": b.id, "name": "다라고등학교", "kind": "high_school", "count": 2},
        {"institution_id": c.id, "name": "마바중학교", "kind": "middle_school", "count": 1},
    ]
    assert [(r["band"], r["suspects"], r["tracked_pct"]) for r in d.age_bands] == [
        ("under14", 1, 20.0),
        ("14to19", 3, 60.0),
        ("20s", 1, 20.0),
        ("30plus", 0, 0.0),
        ("unknown", 0, 0.0),
    ]
    assert all(r["national_pct"] is not None for r in d.age_bands)
    assert d.age_source["id"] and d.age_source["url"].startswith("http")
    assert d.funnel == [
        {"stage": "reported", "count": 5},
        {"stage": "suspect_identified", "count": 4},
        {"stage": "arrested", "count": 4},
        {"stage": "indicted", "count": 2},
        {"stage": "convicted", "count": 1},
    ]
    assert d.releases == [
        {"reason": "only_viewed", "count": 1},
        {"reason": "only_viewed_claim", "count": 1},
    ]
    assert d.legal_gaps == [{"month": "2024-09", "incidents": 1}]
    assert d.legal_links == [
        {"conduct": "create", "gap": "penalty_raised", "month": "2024-08", "count": 1},
        {"conduct": "view", "gap": "not_criminal_then", "month": "2024-09", "count": 1},
    ]
    assert d.police_days == [
        {"platform": "kakaotalk", "incidents": 1, "avg_days": 2.0},
        {"platform": "telegram", "incidents": 1, "avg_days": 5.0},
    ]
    assert d.takedown_days == [
        {"platform": "discord", "removed": 1, "avg_days": 2.0},
        {"platform": "telegram", "removed": 1, "avg_days": 10.0},
    ]
    assert d.institution_response == [
        {
            "institution": "가나대학교",
            "incidents": 2,
            "discipline_events": 0,
            "avg_days_to_respond": None,
        },
        {
            "institution": "다라고등학교",
            "incidents": 2,
            "discipline_events": 1,
            "avg_days_to_respond": 10.0,
        },
        {
            "institution": "마바중학교",
            "incidents": 1,
            "discipline_events": 0,
            "avg_days_to_respond": None,
        },
    ]


def _cube(session) -> list[tuple]:
    return [
        tuple(r)
        for r in session.execute(
            text(
                "SELECT measure, key, month, region, kind, platform, status, gap, n, total "
                "FROM analytics_cube WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
            )
        )
    ]


def test_triggers_keep_cube_equal_to_rebuild_after_edits_and_deletes(
    session, factory, data
) -> None:
    i1, i2 = data["incidents"][0], data["incidents"][1]
    detail = get_incident(session, actor=factory.admin, incident_id=i1.id)
    form = form_data(detail) | {
        "institution_ids": [data["c"].id],
        "conducts": ["sell"],
        "suspects_by_age": {"30plus": 4},
        "obstacles": [],
        "room_members": None,
    }
    update_incident(
        session,
        actor=factory.admin,
        incident_id=i1.id,
        expected_version=detail.incident.version,
        data=form,
    )
    session.delete(session.get(Incident, i2.id))
    i3, i4 = data["incidents"][2], data["incidents"][3]
    # an earlier police step moves i4's first step; deleting it moves it back;
    # i3 gets its first one
    early = IncidentEvent(incident_id=i4.id, kind="investigating", occurred_on=date(2024, 10, 1))
    session.add_all(
        [
            early,
            IncidentEvent(incident_id=i3.id, kind="investigating", occurred_on=date(2024, 9, 10)),
        ]
    )
    session.commit()
    assert dashboard(session, actor=factory.admin, filters=ALL).police_days == [
        {"platform": "discord", "incidents": 1, "avg_days": 7.0},
        {"platform": "kakaotalk", "incidents": 1, "avg_days": 1.0},
    ]
    session.delete(early)
    session.commit()
    after_triggers = _cube(session)
    rebuild_summaries(session)
    assert _cube(session) == after_triggers
    assert dashboard(session, actor=factory.admin, filters=ALL).police_days == [
        {"platform": "discord", "incidents": 1, "avg_days": 7.0},
        {"platform": "kakaotalk", "incidents": 1, "avg_days": 2.0},
    ]
    got = stats_summary(session, actor=factory.admin, filters=ALL)
    assert got["by_region"] == {"gyeonggi": 2, "busan": 1, "unknown": 1}
    assert got["by_conduct"] == {"sell": 1, "create": 1, "view": 1, "possess": 1, "distribute": 1}
    assert got["by_status"] == {"reported": 1, "convicted": 1, "released": 1, "indicted": 1}


def test_new_incident_bumps_version_and_shows_at_once(session, factory, data) -> None:
    epoch, before = data_version(session, actor=factory.admin).split(":")
    factory.incident(reported_on=date(2024, 10, 20), conducts=["sell"])
    after = data_version(session, actor=factory.admin).split(":")
    assert after[0] == epoch and int(after[1]) > int(before)
    got = stats_summary(session, actor=factory.admin, filters=ALL)
    assert got["by_month"] == {"2024-08": 2, "2024-09": 2, "2024-10": 2}


def test_every_role_may_read_and_anonymous_may_not(session, factory, data) -> None:
    for role in ("admin", "lawyer", "advocate", "viewer"):
        user = factory.user(role=role)
        assert stats_summary(session, actor=user, filters=ALL)["total"] == 5
    with pytest.raises(PermissionDenied):
        dashboard(session, actor=None, filters=ALL)


def test_conduct_filter_reaches_every_series(session, factory, data) -> None:
    """Viewing: i2 (August, arrested after 5 days, suspect in their 20s) and i4 (September,
    released for "only viewed", first police step after 2 days, legal gap)."""
    f = AnalyticsFilter(conduct="view")
    d = dashboard(session, actor=factory.admin, filters=f)
    assert d.total == 2
    assert {r["band"]: r["suspects"] for r in d.age_bands if r["suspects"]} == {"20s": 1}
    assert d.releases[0] == {"reason": "only_viewed", "count": 1}
    assert d.police_days == [
        {"platform": "kakaotalk", "incidents": 1, "avg_days": 2.0},
        {"platform": "telegram", "incidents": 1, "avg_days": 5.0},
    ]
    assert stats_summary(session, actor=factory.admin, filters=f)["legal_gaps"] == {
        "incidents": 1,
        "by_month": {"2024-09": 1},
        "links_by_conduct": {"view": {"not_criminal_then": 1}},
    }


def test_make_filter_refuses_unknown_words_and_reversed_ranges() -> None:
    assert make_filter(region="seoul", date_from="2024-09-01") == AnalyticsFilter(
        region="seoul", date_from=date(2024, 9, 1)
    )
    with pytest.raises(InvalidInput) as exc:
        make_filter(region="mars")
    assert exc.value.problems == {"region": "errors.unknown_value"}
    with pytest.raises(InvalidInput):
        make_filter(date_from="2024-10-01", date_to="2024-09-01")
    assert make_filter(conduct="view", demo=0) == AnalyticsFilter(conduct="view", demo=False)
    with pytest.raises(InvalidInput) as exc:
        make_filter(conduct="stare")
    assert exc.value.problems == {"conduct": "errors.unknown_value"}


def test_csv_bytes() -> None:
    rows = [{"region": "seoul", "count": 2}, {"region": "부산", "count": 1}]
    assert csv_bytes(rows) == "\ufeffregion,count\r\nseoul,2\r\n부산,1\r\n".encode()


def test_police_days_mix_cube_and_edge_days(session, factory, data) -> None:
    got = dashboard(
        session, actor=factory.admin, filters=AnalyticsFilter(date_from=date(2024, 8, 10))
    )
    assert got.police_days == [
        {"platform": "kakaotalk", "incidents": 1, "avg_days": 2.0},
        {"platform": "telegram", "incidents": 1, "avg_days": 5.0},
    ]


def test_demo_load_and_removal_keep_the_cube_exact(session, factory, data) -> None:
    from casebook.ops.demo import load_demo, remove_demo

    loaded = load_demo(session, actor=factory.admin)
    assert stats_summary(session, actor=factory.admin, filters=ALL)["total"] == 5 + loaded
    remove_demo(session, actor=factory.admin)
    after = _cube(session)
    rebuild_summaries(session)
    assert _cube(session) == after
    assert stats_summary(session, actor=factory.admin, filters=ALL)["total"] == 5
