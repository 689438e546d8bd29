"""The advocacy brief's figures are the dashboard's, and both are right.

Over generated incidents (fixed seed: dates across months and days, minors, obstacles,
age bands, takedowns of every outcome, the law engine's legal links with some removed by a
lawyer, demo rows, incidents without an institution), for whole-month, mid-month and
beyond-the-cube filters: every aggregate of ``collect_advocacy`` equals the dashboard's
series (and the Statistics page's years) for the same filter, and equals a count of the
matching incidents done here in Python from the base tables.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from sqlmodel import select, update

from casebook.analytics.dashboards import dashboard
from casebook.analytics.statistics import comparison
from casebook.briefs import advocacy, generate_brief
from casebook.briefs.advocacy_data import SCHOOL_KINDS, collect_advocacy
from casebook.briefs.advocacy_data import to_analytics_filter as d_filter
from casebook.vocab import CONDUCTS, OBSTACLES, PLATFORMS, STATUSES, SUSPECT_AGE_BANDS
from db.models import Incident, IncidentConduct, LegalLink, Takedown
from tests.briefs.test_briefs_other import ADV_H1
from tests.briefs_helpers import WHEN, headings, reopen, rows_of

FILTERS = [
    {},
    {"date_from": "2024-01-01", "date_to": "2024-12-31"},  # whole months: the cube alone
    {"date_from": "2024-08-10", "date_to": "2024-10-20"},  # cut months at both ends
    {"date_from": "2024-07-05", "date_to": "2024-08-25"},  # no whole month inside
    {"date_from": "2024-11-02", "date_to": "2024-11-28"},  # within one month
    {"date_from": "2024-10-16"},  # the day the viewing offence took force
    {"region": "seoul", "kind": "high_school"},
    {"platform": "telegram", "date_to": "2024-09-30"},
    {"conduct": "view"},  # no cube dimension: base tables
    {"conduct": "possess", "date_from": "2024-08-10", "date_to": "2024-11-05"},
    {"demo": False},
    {"demo": True, "region": "busan"},
]
INSTITUTIONS = [
    ("university", "seoul"),
    ("high_school", "seoul"),
    ("middle_school", "busan"),
    ("workplace", "gyeonggi"),
    ("elementary_school", "busan"),
]


def _generate(factory, n: int = 36) -> None:
    rng = random.Random(20241016)
    insts = [
        factory.institution(name=f"기관 {i}", kind=k, region=r)
        for i, (k, r) in enumerate(INSTITUTIONS)
    ]
    for k in range(n):
        reported = date(2024, 7, 1) + timedelta(days=rng.randrange(0, 170))
        if k % 9 == 0:
            reported = date(2023, 12, 31)  # the year before
        victims = rng.choice([None, 1, 2, 5])
        inst = rng.choice([*insts, None])  # None: unknown region and kind
        factory.incident(
            reported_on=reported,
            occurred_on=reported - timedelta(days=rng.randrange(0, 90)),
            institution_ids=[inst.id] if inst else [],
            platform=rng.choice(PLATFORMS),
            status=rng.choice(STATUSES),
            victims_count=victims,
            victims_minor=rng.randint(0, victims or 0) if rng.random() < 0.5 else 0,
            conducts=rng.sample(CONDUCTS, rng.randint(1, 3)),
            obstacles=rng.sample(OBSTACLES, rng.randint(0, 2)),
            suspects_by_age={b: rng.randint(1, 3) for b in rng.sample(SUSPECT_AGE_BANDS, 2)},
            is_demo=k % 5 == 0,
        )
    s = factory.session
    ids = sorted(s.exec(select(Incident.id)).all())
    for k, incident_id in enumerate(ids[::2]):
        for outcome in ("pending", "removed", "refused")[: 1 + k % 3]:
            s.add(
                Takedown(
                    incident_id=incident_id,
                    platform="telegram",
                    outcome=outcome,
                    requested_on=date(2024, 11, 1),
                    resolved_on=date(2024, 11, 5) if outcome != "pending" else None,
                )
            )
    links = s.exec(select(LegalLink.id).where(LegalLink.gap != "")).all()
    s.exec(update(LegalLink).where(LegalLink.id.in_(links[::3])).values(state="removed"))
    s.commit()


def _matching(session, params: dict) -> list[Incident]:
    f = d_filter(params)
    out = []
    for inc in session.exec(select(Incident)).all():
        conducts = {
            c.conduct
            for c in session.exec(
                select(IncidentConduct).where(IncidentConduct.incident_id == inc.id)
            )
        }
        if (
            (f.date_from and inc.reported_on < f.date_from)
            or (f.date_to and inc.reported_on > f.date_to)
            or (f.region and inc.region != f.region)
            or (f.kind and inc.institution_kind != f.kind)
            or (f.platform and inc.platform != f.platform)
            or (f.conduct and f.conduct not in conducts)
            or (f.demo is not None and inc.is_demo != f.demo)
        ):
            continue
        out.append(inc)
    return out


def _by(incidents: list[Incident], attr: str) -> list[tuple[str, int, int]]:
    n: Counter[str] = Counter()
    victims: Counter[str] = Counter()
    for inc in incidents:
        key = getattr(inc, attr) or ""
        n[key] += 1
        victims[key] += inc.victims_count or 0
    return sorted((k, n[k], victims[k]) for k in n)


def _truth(session, params: dict) -> dict:
    """Every aggregate of the brief, counted here from the matching incidents' rows."""
    incs = _matching(session, params)
    ids = {i.id for i in incs}
    conducts = [c for c in session.exec(select(IncidentConduct)).all() if c.incident_id in ids]
    live = [
        k
        for k in session.exec(select(LegalLink)).all()
        if k.incident_id in ids and k.gap and k.state != "removed"
    ]
    takedowns = [t for t in session.exec(select(Takedown)).all() if t.incident_id in ids]
    ages: Counter[str] = Counter()
    for inc in incs:
        ages.update(inc.suspects_by_age)
    return {
        "totals": {
            "incidents": len(incs),
            "victims": sum(i.victims_count or 0 for i in incs),
            "legal_gap": sum(i.legal_gap for i in incs),
            "at_schools": sum(i.institution_kind in SCHOOL_KINDS for i in incs),
            "with_minor": sum(i.has_minor for i in incs),
            "victims_minor": sum(i.victims_minor for i in incs),
        },
        "by": {
            "month": _by(incs, "reported_month"),
            "kind": _by(incs, "institution_kind"),
            "region": _by(incs, "region"),
            "platform": _by(incs, "platform"),
        },
        "conducts": dict(Counter(c.conduct for c in conducts)),
        "age_bands": dict(ages),
        "obstacles": dict(sorted(Counter(o for i in incs for o in i.obstacles).items())),
        "link_gaps": dict(
            sorted(Counter(g for _, g in {(k.incident_id, k.gap) for k in live}).items())
        ),
        "takedowns": dict(sorted(Counter(t.outcome for t in takedowns).items())),
        "not_criminal_then": dict(
            sorted(
                Counter(
                    c
                    for i, c in {
                        (k.incident_id, k.conduct) for k in live if k.gap == "not_criminal_then"
                    }
                ).items()
            )
        ),
    }


def _brief(data) -> dict:
    return {
        "totals": data.totals,
        "by": data.by,
        "conducts": dict(data.conducts),
        "age_bands": data.age_bands,
        "obstacles": data.obstacles,
        "link_gaps": data.link_gaps,
        "takedowns": data.takedowns,
        "not_criminal_then": data.not_criminal_then,
    }


def test_every_figure_equals_the_dashboard_and_the_base_tables(session, factory) -> None:
    _generate(factory)
    admin = factory.admin
    seen = {}
    for params in FILTERS:
        data = collect_advocacy(session, actor=admin, params=params, as_of=WHEN.date())
        d = dashboard(session, actor=admin, filters=d_filter(params))
        assert data.dashboard == d, params  # the charts' series, for the same filter
        statistics = comparison(session, actor=admin, filters=d_filter(params), lang="ko")
        assert data.national_cases == statistics["cases_by_year"], params
        kinds = {r["kind"]: r["count"] for r in d.by_kind}
        assert data.totals["incidents"] == d.total, params
        assert data.totals["legal_gap"] == sum(r["incidents"] for r in d.legal_gaps), params
        assert data.totals["at_schools"] == sum(kinds.get(k, 0) for k in SCHOOL_KINDS), params
        assert dict(data.conducts) == {r["conduct"]: r["count"] for r in d.by_conduct}, params
        assert {k or "unknown": n for k, n, _ in data.by["region"]} == {
            r["region"]: r["count"] for r in d.by_region
        }, params
        assert data.obstacles == {r["obstacle"]: r["count"] for r in d.by_obstacle}, params
        truth = _truth(session, params)
        assert _brief(data) == truth, params
        seen[str(params)] = truth["totals"]["incidents"]
    assert all(seen.values()), seen  # no filter was vacuous
    everything = _truth(session, {})
    assert all(everything[k] for k in ("link_gaps", "takedowns", "not_criminal_then", "obstacles"))
    assert everything["totals"]["with_minor"] and everything["totals"]["legal_gap"]


def test_brief_from_the_cube_opens_with_its_sections(session, factory) -> None:
    _generate(factory, n=12)
    params = {"date_from": "2024-08-10", "date_to": "2024-10-20"}
    made = generate_brief(
        session,
        actor=factory.admin,
        kind="advocacy",
        lang="en",
        params=params,
        generated_at=WHEN,
        render_charts=False,
    )
    doc = reopen(made.content)
    assert headings(doc, 1) == ADV_H1
    data = collect_advocacy(session, actor=factory.admin, params=params, as_of=WHEN.date())
    rows = rows_of(doc)
    for month, n, victims in data.by["month"]:
        assert [month, f"{n:,}", f"{victims:,}"] in rows
    assert ["Incidents flagged with a legal gap", str(data.totals["legal_gap"])] in rows
    assert len(doc.inline_shapes) == 0  # render_charts=False: the charts' data as tables
    by_region = advocacy.charts(data, "en", render=False)[2]
    assert by_region.columns in rows and by_region.rows[0] in rows  # the chart as a table
