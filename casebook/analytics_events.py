"""Dashboard series from the event, legal-link and takedown tables (indexed queries).

These tables are small next to the incidents (only incidents that moved have events),
and each query starts from an index on the kind/gap/outcome column it filters on.
"""

from __future__ import annotations

from sqlalchemy import Date, cast, func, select
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session

from casebook.analytics_cube import POLICE_KINDS  # noqa: F401 (re-exported)
from casebook.analytics_sources import AnalyticsFilter, dim_where, incident_where, source
from db.models import Incident, IncidentEvent, IncidentInstitution, LegalLink, Takedown

DISCIPLINE_KINDS = ("school_discipline", "employer_discipline")
GAPS = ("not_criminal_then", "penalty_raised")

I = Incident.__table__.c  # noqa: E741
E = IncidentEvent.__table__.c
L = LegalLink.__table__.c
T = Takedown.__table__.c


def days_between(session: Session, later: ColumnElement, earlier: ColumnElement) -> ColumnElement:
    """Whole days from ``earlier`` to ``later`` (dates), in the session's SQL dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(later, Date) - cast(earlier, Date)
    return func.julianday(later) - func.julianday(earlier)


def releases(session: Session, f: AnalyticsFilter, only_viewed_claims: int) -> list[dict]:
    """Released suspects by recorded reason, plus incidents noting an "only viewed" claim."""
    n = func.count(func.distinct(E.incident_id))
    query = (
        select(E.reason, n)
        .join_from(IncidentEvent.__table__, Incident.__table__, E.incident_id == I.id)
        .where(E.kind == "released", *incident_where(f))
        .group_by(E.reason)
        .order_by(n.desc(), E.reason)
    )
    rows = [{"reason": r or "unrecorded", "count": int(c)} for r, c in session.execute(query)]
    rows.append({"reason": "only_viewed_claim", "count": int(only_viewed_claims)})
    return rows


def legal_links(session: Session, f: AnalyticsFilter) -> list[dict]:
    """Legal links flagging a gap, by conduct, gap and reported month (removed ones left out)."""
    n = func.count(func.distinct(L.incident_id))
    query = (
        select(L.conduct, L.gap, I.reported_month, n)
        .join_from(LegalLink.__table__, Incident.__table__, L.incident_id == I.id)
        .where(L.gap.in_(GAPS), L.state != "removed", *incident_where(f))
        .group_by(L.conduct, L.gap, I.reported_month)
        .order_by(I.reported_month, L.conduct, L.gap)
    )
    return [
        {"conduct": c, "gap": g, "month": m, "count": int(k)}
        for c, g, m, k in session.execute(query)
    ]


def police_days(session: Session, f: AnalyticsFilter) -> list[dict]:
    """Average days from report to the first police step, by platform (from the cube:
    triggers on incidentevent keep each incident's first step counted)."""
    src = source("police", f)
    n, total = func.sum(src.c.n), func.sum(src.c.total)
    query = (select(src.c.platform, n, total).where(*dim_where(src, f))
             .group_by(src.c.platform).having(n > 0).order_by(src.c.platform))  # fmt: skip
    return [
        {"platform": p, "incidents": int(c), "avg_days": round(float(t) / int(c), 1)}
        for p, c, t in session.execute(query)
    ]


def takedown_days(session: Session, f: AnalyticsFilter) -> list[dict]:
    """Average days from a takedown request to removal, by the platform asked."""
    days = days_between(session, T.resolved_on, T.requested_on)
    query = (
        select(T.platform, func.count(), func.avg(days))
        .join_from(Takedown.__table__, Incident.__table__, T.incident_id == I.id)
        .where(T.outcome == "removed", T.resolved_on.is_not(None), *incident_where(f))
        .group_by(T.platform)
        .order_by(T.platform)
    )
    return [
        {"platform": p, "removed": int(c), "avg_days": round(float(a), 1)}
        for p, c, a in session.execute(query)
    ]


def institution_response(session: Session, f: AnalyticsFilter, top: list[dict]) -> list[dict]:
    """For the top institutions: incidents, discipline events and days to the first one."""
    ids = [row["institution_id"] for row in top]
    if not ids:
        return []
    ii = IncidentInstitution.__table__.c
    first = (
        select(E.incident_id, func.count().label("events"),
               func.min(E.occurred_on).label("first_on"))
        .where(E.kind.in_(DISCIPLINE_KINDS))
        .group_by(E.incident_id)
        .subquery("discipline")
    )  # fmt: skip
    days = days_between(session, first.c.first_on, I.reported_on)
    query = (
        select(ii.institution_id, func.sum(first.c.events), func.avg(days))
        .join_from(first, Incident.__table__, first.c.incident_id == I.id)
        .join(IncidentInstitution.__table__, ii.incident_id == I.id)
        .where(ii.institution_id.in_(ids), *incident_where(f))
        .group_by(ii.institution_id)
    )
    found = {k: (int(e), float(a)) for k, e, a in session.execute(query)}
    return [
        {"institution": row["name"], "incidents": row["count"],
         "discipline_events": found.get(row["institution_id"], (0, None))[0],
         "avg_days_to_respond": (round(found[row["institution_id"]][1], 1)
                                 if row["institution_id"] in found else None)}
        for row in top
    ]  # fmt: skip
