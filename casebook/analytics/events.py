"""Dashboard series about what followed a report: releases, legal-gap links, the first
police step, takedowns and institutions' discipline.

All come from measures of the summary cube (casebook.analytics.outcomes keeps them by
triggers; the base tables only answer for the cut days of a mid-month range), so a cold
dashboard no longer scans the event, link and takedown tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casebook.analytics.cube import POLICE_KINDS  # noqa: F401 (re-exported)
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.outcomes import DISCIPLINE_KINDS, GAPS  # noqa: F401 (re-exported)
from casebook.analytics.sources import grouped

if TYPE_CHECKING:
    from casebook.analytics.base import Db


def releases(session: Db, f: AnalyticsFilter, only_viewed_claims: int) -> list[dict]:
    """Released suspects by recorded reason, plus incidents noting an "only viewed" claim."""
    return release_rows(release_counts(session, f), only_viewed_claims)


def release_counts(session: Db, f: AnalyticsFilter) -> list[tuple[str, int]]:
    """(recorded reason or "unrecorded", incidents with such a release)."""
    return [(r or "unrecorded", int(n)) for r, n, _ in grouped(session, "release", f, "key")]


def release_rows(counts: list[tuple[str, int]], only_viewed_claims: int) -> list[dict]:
    rows = [{"reason": r, "count": c} for r, c in sorted(counts, key=lambda rc: (-rc[1], rc[0]))]
    rows.append({"reason": "only_viewed_claim", "count": int(only_viewed_claims)})
    return rows


def legal_links(session: Db, f: AnalyticsFilter) -> list[dict]:
    """Incidents with a legal link flagging a gap, by conduct, gap and reported month
    (removed links left out; several links for one conduct and gap count once)."""
    out = []
    for key, month, n, _ in grouped(session, "link", f, "key", "month"):
        conduct, _, gap = key.partition(":")
        out.append({"conduct": conduct, "gap": gap, "month": month, "count": int(n)})
    return sorted(out, key=lambda r: (r["month"], r["conduct"], r["gap"]))


def police_days(session: Db, f: AnalyticsFilter) -> list[dict]:
    """Average days from report to the first police step, by platform."""
    return [
        {"platform": p, "incidents": int(c), "avg_days": round(float(t) / int(c), 1)}
        for p, c, t in grouped(session, "police", f, "platform")
    ]


def takedown_days(session: Db, f: AnalyticsFilter) -> list[dict]:
    """Average days from a takedown request to removal, by the platform asked."""
    return [
        {"platform": p, "removed": int(c), "avg_days": round(float(t) / int(c), 1)}
        for p, c, t in grouped(session, "takedown", f, "key")
    ]


def institution_response(session: Db, f: AnalyticsFilter, top: list[dict]) -> list[dict]:
    """For the top institutions: incidents, discipline events and days to the first one."""
    keys = [str(row["institution_id"]) for row in top]
    if not keys:
        return []
    days = {k: (int(n), int(t)) for k, n, t in grouped(session, "discipline", f, "key", keys=keys)}
    events = {k: int(n) for k, n, _ in grouped(session, "disc_events", f, "key", keys=keys)}
    out = []
    for row in top:
        key = str(row["institution_id"])
        n, total = days.get(key, (0, 0))
        out.append(
            {
                "institution": row["name"],
                "incidents": row["count"],
                "discipline_events": events.get(key, 0),
                "avg_days_to_respond": round(total / n, 1) if n else None,
            }
        )
    return out
