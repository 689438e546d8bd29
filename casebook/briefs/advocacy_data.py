"""Data for the legislative advocacy brief: aggregates of tracked incidents over a period
and filter, national figures, amendments and foreign law. The builder
(casebook.briefs.advocacy) never sees a session.

Every aggregate is the dashboard's: the brief takes the series of
casebook.analytics.dashboards.dashboard for the same filter (and sets its years beside the police
figures with the Statistics page's casebook.analytics.statistics.cases_by_year), and
reads the three counts the dashboard does not draw (incidents with a minor victim,
incidents per legal gap, takedown requests per outcome) from their measures of the same
summary cube through the same ``grouped`` source (casebook.analytics.advocacy). So the
brief and the dashboard agree by construction, and neither scans the incident table:
whole months come from the cube; the base tables answer only for the days of a month cut
by the date range and for the filters the cube has no dimension for (conduct, demo), as
on the dashboard. Only the vignettes read incident rows: the newest few, by an index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from casebook.access.permissions import require
from casebook.analytics.dashboards import Dashboard, dashboard
from casebook.analytics.filters import UNKNOWN, AnalyticsFilter
from casebook.analytics.sources import grouped
from casebook.analytics.statistics import cases_by_year
from casebook.briefs import common
from casebook.incidents.queries import IncidentFilter, filter_clauses
from casebook.law import national as national_stats
from db.models import Incident, IncidentConduct, User

GROUPS = ("month", "kind", "region", "platform")  # the brief's tables, by Dashboard field
VIGNETTES = 6
SCHOOL_KINDS = ("elementary_school", "middle_school", "high_school")
NOT_CRIMINAL_THEN = "not_criminal_then"


@dataclass
class AdvocacyData:
    filters: dict[str, Any]
    as_of: date
    totals: dict[str, int]
    by: dict[str, list[tuple[str, int, int]]]  # group -> (key, incidents, victims)
    conducts: list[tuple[str, int]]
    age_bands: dict[str, int]
    obstacles: dict[str, int]
    link_gaps: dict[str, int]
    takedowns: dict[str, int]
    not_criminal_then: dict[str, int]  # conduct -> incidents whose act preceded its offence
    vignettes: list[dict[str, Any]]
    national: list[dict[str, Any]] = field(default_factory=list)
    dashboard: Dashboard = field(default_factory=Dashboard)  # the Dashboard page's series
    national_cases: list[dict[str, Any]] = field(default_factory=list)  # the Statistics page's


def to_filter(params: dict[str, Any]) -> IncidentFilter:
    """The brief's parameters as an incident filter (dates as ISO strings in records)."""

    def day(key: str) -> date | None:
        value = params.get(key)
        return date.fromisoformat(value) if isinstance(value, str) and value else value

    return IncidentFilter(
        date_from=day("date_from"),
        date_to=day("date_to"),
        region=params.get("region") or None,
        kind=params.get("kind") or None,
        platform=params.get("platform") or None,
        conduct=params.get("conduct") or None,
        demo=params.get("demo"),
    )


def to_analytics_filter(params: dict[str, Any]) -> AnalyticsFilter:
    """The same parameters as the dashboards' filter."""
    f = to_filter(params)
    return AnalyticsFilter(
        date_from=f.date_from,
        date_to=f.date_to,
        region=f.region,
        kind=f.kind,
        platform=f.platform,
        conduct=f.conduct,
        demo=f.demo,
    )


def collect_advocacy(
    session: Session,
    *,
    actor: User | None,
    params: dict[str, Any],
    as_of: date,
    lang: str = "ko",
) -> AdvocacyData:
    """Aggregate the tracked incidents that match ``params`` (checks brief.advocacy).
    ``lang`` names the tracked series beside the police figures, as the Statistics page."""
    require(actor, "brief.advocacy")
    f = to_analytics_filter(params)
    d = dashboard(session, actor=actor, filters=f)
    minors, minor_victims = _sums(session, "minor", f).get("", (0, 0))
    return AdvocacyData(
        filters={k: v for k, v in params.items() if v not in (None, "")},
        as_of=as_of,
        totals=_totals(d) | {"with_minor": minors, "victims_minor": minor_victims},
        by={name: _group(d, name) for name in GROUPS},
        conducts=[(r["conduct"], r["count"]) for r in d.by_conduct],
        age_bands={r["band"]: r["suspects"] for r in d.age_bands if r["suspects"]},
        obstacles=dict(sorted((r["obstacle"], r["count"]) for r in d.by_obstacle)),
        link_gaps={k: n for k, (n, _) in sorted(_sums(session, "link_gap", f).items())},
        takedowns={k: n for k, (n, _) in sorted(_sums(session, "takedown_req", f).items())},
        not_criminal_then=_not_criminal_then(d),
        vignettes=_vignettes(session, filter_clauses(to_filter(params))),
        national=_national(),
        dashboard=d,
        national_cases=cases_by_year(_years(d), lang),
    )


def _sums(session: Session, measure: str, f: AnalyticsFilter) -> dict[str, tuple[int, int]]:
    """key -> (n, total) of one cube measure for the filter (the dashboard's source)."""
    return {k: (int(n), int(t or 0)) for k, n, t in grouped(session, measure, f, "key")}


def _totals(d: Dashboard) -> dict[str, int]:
    kinds = {r["kind"]: r["count"] for r in d.by_kind}
    return {
        "incidents": d.total,
        "victims": sum(d.victims.get("month", {}).values()),
        "legal_gap": sum(r["incidents"] for r in d.legal_gaps),
        "at_schools": sum(kinds.get(k, 0) for k in SCHOOL_KINDS),
    }


def _group(d: Dashboard, name: str) -> list[tuple[str, int, int]]:
    """(value, incidents, victims) by one dimension, ordered by value, unknown ("") first."""
    if name == "month":
        counts: dict[str, int] = {}
        for r in d.by_month:
            counts[r["month"]] = counts.get(r["month"], 0) + r["count"]
    else:
        counts = {r[name]: r["count"] for r in d.series(f"by_{name}")}
    victims = d.victims.get(name, {})
    rows = [("" if k == UNKNOWN else k, n, victims.get(k, 0)) for k, n in counts.items()]
    return sorted(rows)


def _years(d: Dashboard) -> dict[int, int]:
    """Tracked incidents per year: the dashboard's months added up (the Statistics page
    counts the same cube rows by year)."""
    years: dict[int, int] = {}
    for r in d.by_month:
        years[int(r["month"][:4])] = years.get(int(r["month"][:4]), 0) + r["count"]
    return years


def _not_criminal_then(d: Dashboard) -> dict[str, int]:
    """Per conduct: incidents whose legal link says the act was no offence when it was
    done (casebook.incidents.legal_links: the law engine for the victims' age group, a lawyer's
    removal respected); the dashboard's legal-gap series, summed over months."""
    out: dict[str, int] = {}
    for r in d.legal_links:
        if r["gap"] == NOT_CRIMINAL_THEN:
            out[r["conduct"]] = out.get(r["conduct"], 0) + r["count"]
    return dict(sorted(out.items()))


def _vignettes(session: Session, where: list) -> list[dict[str, Any]]:
    """The newest cases as structured facts only: no names, summaries or notes."""
    incidents = session.exec(
        select(Incident)
        .where(*where)
        .order_by(col(Incident.reported_on).desc(), col(Incident.id).desc())
        .limit(VIGNETTES)
    ).all()
    out = []
    for inc in incidents:
        conducts = session.exec(
            select(IncidentConduct.conduct).where(IncidentConduct.incident_id == inc.id)
        ).all()
        out.append(
            {
                "id": inc.id,
                "month": inc.reported_month,
                "kind": inc.institution_kind,
                "region": inc.region,
                "platform": inc.platform,
                "status": inc.status,
                "victims": inc.victims_count,
                "minors": inc.victims_minor,
                "suspects": inc.suspects_count,
                "ages": dict(inc.suspects_by_age),
                "conducts": common.ordered_conducts(list(conducts)),
                "obstacles": list(inc.obstacles),
            }
        )
    return out


def _national() -> list[dict[str, Any]]:
    out = []
    for metric in national_stats.metrics():
        for f in national_stats.figures_by_metric(metric):
            out.append(
                {
                    "id": f.id,
                    "metric": metric,
                    "label_ko": f.label_ko,
                    "label_en": f.label_en,
                    "start": f.period_start,
                    "end": f.period_end,
                    "value": f.value,
                    "unit": f.unit,
                    "full_year": f.is_full_year,
                    "source": f"{f.source.publisher}, {f.source.title} — {f.source.url} "
                    f"({f.source.checked_on})",
                    "verified": f.verified,
                }
            )
    return out
