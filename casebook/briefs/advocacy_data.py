"""Data for the legislative advocacy brief: aggregates of tracked incidents over a period
and filter (bound-parameter SQL, no table loaded into memory whole), national figures,
amendments and foreign law. The builder (casebook.briefs.advocacy) never sees a session.

The brief's charts are the dashboard's: their series come from the very functions the
Dashboard and Statistics pages call (casebook.analytics.dashboard and
casebook.analytics_national.comparison), for the same filter.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import String, case, cast, func
from sqlmodel import Session, col, select

from casebook import national_stats
from casebook.analytics import Dashboard, dashboard
from casebook.analytics_national import comparison
from casebook.analytics_sources import AnalyticsFilter
from casebook.briefs import common
from casebook.incident_queries import IncidentFilter
from casebook.incident_queries import _where as filter_clauses
from casebook.law import conduct_timeline
from casebook.permissions import require
from db.models import Incident, IncidentConduct, LegalLink, Takedown, User

GROUPS = {
    "month": Incident.reported_month,
    "kind": Incident.institution_kind,
    "region": Incident.region,
    "platform": Incident.platform,
}
VIGNETTES = 6
SCHOOL_KINDS = ("elementary_school", "middle_school", "high_school")


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
    not_criminal_then: dict[str, int]  # conduct -> incidents whose date preceded its offence
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
    return AnalyticsFilter(date_from=f.date_from, date_to=f.date_to, region=f.region,
                           kind=f.kind, platform=f.platform, conduct=f.conduct,
                           demo=f.demo)  # fmt: skip


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
    charted = to_analytics_filter(params)
    where = filter_clauses(to_filter(params))
    ids = select(Incident.id).where(*where)
    return AdvocacyData(
        filters={k: v for k, v in params.items() if v not in (None, "")},
        as_of=as_of,
        totals=_totals(session, where),
        by={name: _group(session, column, where) for name, column in GROUPS.items()},
        conducts=[
            (c, n)
            for c, n in session.exec(
                select(IncidentConduct.conduct, func.count())
                .where(col(IncidentConduct.incident_id).in_(ids))
                .group_by(IncidentConduct.conduct)
            )
        ],
        age_bands=_json_counts(session, Incident.suspects_by_age, where, weighted=True),
        obstacles=_json_counts(session, Incident.obstacles, where),
        link_gaps=dict(
            session.exec(
                select(LegalLink.gap, func.count(func.distinct(LegalLink.incident_id)))
                .where(
                    col(LegalLink.incident_id).in_(ids),
                    LegalLink.gap != "",
                    LegalLink.state != "removed",
                )
                .group_by(LegalLink.gap)
            ).all()
        ),
        takedowns=dict(
            session.exec(
                select(Takedown.outcome, func.count())
                .where(col(Takedown.incident_id).in_(ids))
                .group_by(Takedown.outcome)
            ).all()
        ),
        not_criminal_then=_not_criminal_then(session, ids),
        vignettes=_vignettes(session, where),
        national=_national(),
        dashboard=dashboard(session, actor=actor, filters=charted),
        national_cases=comparison(session, actor=actor, filters=charted, lang=lang)[
            "cases_by_year"
        ],
    )


def _totals(session: Session, where: list) -> dict[str, int]:
    row = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(Incident.victims_count), 0),
            func.coalesce(func.sum(Incident.victims_minor), 0),
            func.sum(case((col(Incident.has_minor), 1), else_=0)),
            func.sum(case((col(Incident.legal_gap), 1), else_=0)),
            func.coalesce(func.sum(Incident.suspects_count), 0),
        ).where(*where)
    ).one()
    keys = ("incidents", "victims", "victims_minor", "with_minor", "legal_gap", "suspects")
    totals = {k: int(v or 0) for k, v in zip(keys, row, strict=True)}
    schools = session.exec(
        select(func.count()).where(*where, col(Incident.institution_kind).in_(SCHOOL_KINDS))
    ).one()
    return totals | {"at_schools": int(schools)}


def _group(session: Session, column: Any, where: list) -> list[tuple[str, int, int]]:
    rows = session.exec(
        select(column, func.count(), func.coalesce(func.sum(Incident.victims_count), 0))
        .where(*where)
        .group_by(column)
        .order_by(column)
    ).all()
    return [(key or "", int(n), int(v or 0)) for key, n, v in rows]


def _json_counts(session: Session, column: Any, where: list, weighted: bool = False) -> dict:
    """Counts over a JSON list (or dict of counts) column. Rows are grouped on the JSON
    text in SQL, so each distinct value is decoded once, not once per incident."""
    counts: Counter[str] = Counter()
    text = cast(column, String)
    for raw, n in session.exec(select(text, func.count()).where(*where).group_by(text)):
        value = json.loads(raw) if raw else None
        if weighted:
            counts.update({k: int(v) * n for k, v in (value or {}).items()})
        else:
            counts.update({k: n for k in value or []})
    return dict(sorted(counts.items()))


def _not_criminal_then(session: Session, ids: Any) -> dict[str, int]:
    """Per conduct: incidents whose act date fell before the conduct was an offence (for
    adult victims). The law engine's timeline gives criminality between change dates, so
    each (conduct, date) group is a bisection, not a full query."""
    act = func.coalesce(Incident.occurred_on, Incident.reported_on)
    rows = session.exec(
        select(IncidentConduct.conduct, act, func.count())
        .join(Incident, col(Incident.id) == IncidentConduct.incident_id)
        .where(col(IncidentConduct.incident_id).in_(ids))
        .group_by(IncidentConduct.conduct, act)
    ).all()
    timeline = _timeline()
    out: Counter[str] = Counter()
    for conduct, on, n in rows:
        on = date.fromisoformat(on) if isinstance(on, str) else on
        if not _criminal(timeline, conduct, on):
            out[conduct] += int(n)
    return dict(sorted(out.items()))


@lru_cache(maxsize=1)
def _timeline() -> Any:
    return conduct_timeline("adult")


def _criminal(timeline: Any, conduct: str, on: date) -> bool:
    i = bisect_right(timeline.dates, on) - 1
    if i < 0:  # before the timeline's coverage: ask the engine directly
        return common.law_on(conduct, "adult", on).criminal
    return timeline.rows[conduct][i].criminal


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
