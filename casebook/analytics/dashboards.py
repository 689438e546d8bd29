"""Dashboards: what the tracked incidents show, aggregated in the database.

Counts by month and dimension come from the summary cube (casebook.analytics.cube);
the enforcement steps, legal links, takedowns and institution responses come from
indexed queries on their own tables. Every series is a plain list of dicts, so a page
can chart it, show it as a table and offer it as CSV without knowing where it came from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from casebook.access.permissions import Actor, require
from casebook.analytics import events
from casebook.analytics.filters import UNKNOWN, AnalyticsFilter
from casebook.analytics.runner import QueryRunner
from casebook.analytics.sources import choose_edges, dialect_of, grouped, summed
from casebook.vocab import SUSPECT_AGE_BANDS
from db import tables

if TYPE_CHECKING:
    from casebook.analytics.base import Db

__all__ = ["AnalyticsFilter", "Dashboard", "dashboard", "data_version", "stats_summary"]

TOP_INSTITUTIONS = 10
# The funnel from current status: an incident now at a later step passed the earlier ones.
FUNNEL = ("reported", "suspect_identified", "arrested", "indicted", "convicted")
STATUS_STAGE = {
    "suspect_identified": 1,
    "referred": 1,
    "arrested": 2,
    "released": 2,
    "indicted": 3,
    "acquitted": 3,
    "convicted": 4,
}


@dataclass
class Dashboard:
    """Every series the dashboard draws; each is a list of flat dicts (one CSV row each)."""

    total: int = 0
    by_month: list[dict] = field(default_factory=list)  # month, kind, count
    by_region: list[dict] = field(default_factory=list)
    by_kind: list[dict] = field(default_factory=list)
    by_status: list[dict] = field(default_factory=list)
    by_platform: list[dict] = field(default_factory=list)
    room_sizes: list[dict] = field(default_factory=list)
    by_conduct: list[dict] = field(default_factory=list)
    by_obstacle: list[dict] = field(default_factory=list)  # obstacle, count
    top_institutions: list[dict] = field(default_factory=list)
    age_bands: list[dict] = field(default_factory=list)  # band, tracked_pct, national_pct
    age_source: dict = field(default_factory=dict)
    funnel: list[dict] = field(default_factory=list)
    releases: list[dict] = field(default_factory=list)  # reason, count
    legal_gaps: list[dict] = field(default_factory=list)  # month, incidents
    legal_links: list[dict] = field(default_factory=list)  # conduct, gap, month, count
    police_days: list[dict] = field(default_factory=list)  # platform, incidents, avg_days
    takedown_days: list[dict] = field(default_factory=list)
    institution_response: list[dict] = field(default_factory=list)
    # Victims (sum of victims_count) by dimension -> value, from the same grouped scans as
    # the incident counts: month, status, region, kind, platform (the advocacy brief's tables).
    victims: dict[str, dict[str, int]] = field(default_factory=dict)

    def series(self, name: str) -> list[dict]:
        return getattr(self, name)


def data_version(session: Db, *, actor: Actor | None) -> str:
    """ "epoch:counter"; every write to an incident-related table bumps the counter
    (database triggers), so a cache keyed on it never serves figures older than the data."""
    require(actor, "dashboard.read")
    state = tables.analytics_state.c
    row = session.execute(select(state.epoch, state.version).where(state.id == 1)).first()
    return f"{row[0]}:{row[1]}" if row else "0:0"


def _counts(session: Db, measure: str, f: AnalyticsFilter, name: str) -> dict[str, int]:
    return {(r[0] or UNKNOWN): int(r[1]) for r in grouped(session, measure, f, name)}


def _marginals(
    session: Db, f: AnalyticsFilter, names: tuple[str, ...]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """(incident counts, victims) by each dimension in ``names``, from one grouped scan of
    the cube (at most a few thousand groups come back) instead of one scan per dimension."""
    out: dict[str, dict[str, int]] = {name: {} for name in names}
    victims: dict[str, dict[str, int]] = {name: {} for name in names}
    for row in grouped(session, "incident", f, *names):
        n, v = int(row[len(names)]), int(row[len(names) + 1] or 0)
        for name, value in zip(names, row, strict=False):
            key = value or UNKNOWN
            out[name][key] = out[name].get(key, 0) + n
            victims[name][key] = victims[name].get(key, 0) + v
    return out, victims


def _months(session: Db, f: AnalyticsFilter) -> tuple[list[dict], list[dict], dict]:
    """(incidents by month and institution kind, incidents with a legal gap by month,
    victims by month) from one grouped scan."""
    by_month: dict[tuple[str, str], int] = {}
    gaps: dict[str, int] = {}
    victims: dict[str, int] = {}
    for month, kind, gap, n, v in grouped(session, "incident", f, "month", "kind", "gap"):
        by_month[(month, kind)] = by_month.get((month, kind), 0) + int(n)
        victims[month] = victims.get(month, 0) + int(v or 0)
        if gap:
            gaps[month] = gaps.get(month, 0) + int(n)
    return (
        [{"month": m, "kind": k or UNKNOWN, "count": c} for (m, k), c in sorted(by_month.items())],
        [{"month": m, "incidents": c} for m, c in sorted(gaps.items())],
        victims,
    )


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    """Unknown first, then by name (the order the per-dimension queries used to give)."""
    return dict(sorted(counts.items(), key=lambda kv: (kv[0] != UNKNOWN, kv[0])))


def _rows(counts: dict[str, int], label: str) -> list[dict]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{label: k, "count": v} for k, v in ranked]


def _top_institutions(session: Db, f: AnalyticsFilter) -> list[dict]:
    sums = summed("institution", f, dialect_of(session), ("key",))
    query = (
        select(sums.c.key, sums.c.n)
        .where(sums.c.n > 0)
        .order_by(sums.c.n.desc(), sums.c.key)
        .limit(TOP_INSTITUTIONS)
    )
    top = [(int(k), int(c)) for k, c in session.execute(query)]
    inst = tables.institution.c
    ids = [k for k, _ in top]
    names = {
        r.id: r
        for r in session.execute(select(inst.id, inst.name, inst.kind).where(inst.id.in_(ids)))
    }
    return [
        {
            "institution_id": k,
            "name": names[k].name if k in names else str(k),
            "kind": names[k].kind if k in names else UNKNOWN,
            "count": c,
        }
        for k, c in top
    ]


def _age_bands(session: Db, f: AnalyticsFilter) -> tuple[list[dict], dict]:
    # Imported here: `stats summary` does not need the national figures (YAML models).
    from casebook.law.national import age_band_shares

    suspects = {r[0]: int(r[2]) for r in grouped(session, "age", f, "key")}
    total = sum(suspects.values())
    year = (f.date_to or f.date_from).year if (f.date_to or f.date_from) else 2024
    national = age_band_shares(year) or age_band_shares(2024)
    shares = national.shares if national else {}
    rows = [
        {
            "band": b,
            "suspects": suspects.get(b, 0),
            "tracked_pct": round(100 * suspects.get(b, 0) / total, 1) if total else 0.0,
            "national_pct": shares.get(b),
        }
        for b in SUSPECT_AGE_BANDS
    ]
    src = {}
    if national:
        fig = national.figure
        src = {
            "id": fig.id,
            "publisher": fig.source.publisher,
            "title": fig.source.title,
            "url": str(fig.source.url or ""),
            "verified": fig.verified,
            "period": f"{fig.period_start}–{fig.period_end}",
        }
    return rows, src


def _funnel(status_counts: dict[str, int]) -> list[dict]:
    out = []
    for rank, stage in enumerate(FUNNEL):
        count = sum(n for s, n in status_counts.items() if STATUS_STAGE.get(s, 0) >= rank)
        out.append({"stage": stage, "count": count})
    return out


def dashboard(session: Db, *, actor: Actor | None, filters: AnalyticsFilter) -> Dashboard:
    """Every dashboard series for ``filters``; aggregates only, never victim details.

    The series' queries are independent, so they run side by side on connections of
    their own (casebook.analytics.runner), the slowest first."""
    require(actor, "dashboard.read")
    f = filters
    d = Dashboard()
    with QueryRunner(session) as run:
        run(choose_edges, f).result()
        conducts = run(_counts, "conduct", f, "key")
        top = run(_top_institutions, f)
        ages = run(_age_bands, f)
        dims = run(_marginals, f, ("status", "region", "kind", "platform"))
        months = run(_months, f)
        rooms = run(_counts, "room", f, "key")
        obstacles = run(_counts, "obstacle", f, "key")
        releases = run(events.release_counts, f)
        links = run(events.legal_links, f)
        police = run(events.police_days, f)
        takedowns = run(events.takedown_days, f)
        d.top_institutions = top.result()
        response = run(events.institution_response, f, d.top_institutions)
        d.by_month, d.legal_gaps, by_month_victims = months.result()
        d.total = sum(r["count"] for r in d.by_month)
        counts, victims = dims.result()
        d.victims = {"month": by_month_victims, **victims}
        by_status = counts["status"]
        d.by_status = _rows(by_status, "status")
        d.by_region = _rows(counts["region"], "region")
        d.by_kind = _rows(counts["kind"], "kind")
        d.by_platform = _rows(counts["platform"], "platform")
        d.room_sizes = _rows(rooms.result(), "bucket")
        d.by_conduct = _rows(conducts.result(), "conduct")
        d.age_bands, d.age_source = ages.result()
        d.funnel = _funnel(by_status)
        d.by_obstacle = _rows(obstacles.result(), "obstacle")
        only_viewed = obstacles.result().get("only_viewed_claim", 0)
        d.releases = events.release_rows(releases.result(), only_viewed)
        d.legal_links = links.result()
        d.police_days = police.result()
        d.takedown_days = takedowns.result()
        d.institution_response = response.result()
    return d


def stats_summary(session: Db, *, actor: Actor | None, filters: AnalyticsFilter) -> dict:
    """The headline counts as one JSON-ready dict (the CLI's `stats summary`); its queries
    run side by side like the dashboard's."""
    require(actor, "dashboard.read")
    f = filters
    with QueryRunner(session) as run:
        run(choose_edges, f).result()
        marginals = run(_marginals, f, ("kind", "region", "status"))
        # by month, kind and gap, as the dashboard: the cube's index on these columns is
        # in that order (on SQLite at a million: 21 ms, against 65-76 ms by month and gap)
        months = run(_months, f)
        conducts = run(_counts, "conduct", f, "key")
        links = run(events.legal_links, f)
        by_month_kind, gaps, _ = months.result()
        by_month: dict[str, int] = {}
        for row in by_month_kind:
            by_month[row["month"]] = by_month.get(row["month"], 0) + row["count"]
        gap_months = {row["month"]: row["incidents"] for row in gaps}
        by_conduct_gap: dict[str, dict[str, int]] = {}
        for row in links.result():
            bucket = by_conduct_gap.setdefault(row["conduct"], {})
            bucket[row["gap"]] = bucket.get(row["gap"], 0) + row["count"]
        dims, _ = marginals.result()
        return {
            "total": sum(by_month.values()),
            "by_month": by_month,
            "by_institution_kind": _ordered(dims["kind"]),
            "by_region": _ordered(dims["region"]),
            "by_conduct": conducts.result(),
            "by_status": _ordered(dims["status"]),
            "legal_gaps": {
                "incidents": sum(gap_months.values()),
                "by_month": gap_months,
                "links_by_conduct": by_conduct_gap,
            },
        }


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    """A series as CSV (UTF-8 with BOM, so Excel opens Korean text correctly)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_dict(d: Dashboard) -> dict:
    return asdict(d)
