"""The Statistics page: national figures beside the tracked incidents.

Every national number carries its source and whether it was verified; where two
sources give different numbers for the same metric and period, both are returned and
the disagreement is listed. Tracked counts come from the summary cube.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from casebook.access.permissions import require
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.sources import dim_where, source
from casebook.law.national import NationalFigure, figures_by_metric, national_figures, series
from db.models import User

CASES_METRIC = "deepfake_cases_reported"
TEEN_BANDS = ("under14", "14to19")
TEEN_METRIC = "suspects_teen_share"


def figure_row(f: NationalFigure, lang: str) -> dict:
    """One national figure as a flat, source-bearing row (table and CSV)."""
    return {
        "id": f.id,
        "figure": f.label_ko if lang == "ko" else f.label_en,
        "period": f"{f.period_start.isoformat()} – {f.period_end.isoformat()}",
        "value": f.value,
        "unit": f.unit,
        "publisher": f.source.publisher,
        "via": f.source.via or "",
        "title": f.source.title,
        "url": f.source.url,
        "published_on": f.source.published_on.isoformat() if f.source.published_on else "",
        "verified": f.verified,
        "note": (f.note_ko if lang == "ko" else f.note_en) or "",
    }


def disagreements() -> list[dict]:
    """Metric and period pairs for which sources published different values."""
    groups: dict[tuple, list[NationalFigure]] = {}
    for f in national_figures():
        if f.breakdown_by is None:
            groups.setdefault((f.metric, f.period_start, f.period_end), []).append(f)
    out = []
    for (metric, start, end), figs in groups.items():
        if len({f.value for f in figs}) > 1:
            out.append(
                {
                    "metric": metric,
                    "period": f"{start} – {end}",
                    "figures": [
                        {
                            "id": f.id,
                            "value": f.value,
                            "publisher": f.source.via or f.source.publisher,
                        }
                        for f in figs
                    ],
                }
            )
    return out


def _tracked_by_year(session: Session, f: AnalyticsFilter) -> dict[int, int]:
    src = source("incident", f, session.get_bind().dialect.name)
    year = func.substr(src.c.month, 1, 4)
    query = select(year, func.sum(src.c.n)).where(*dim_where(src, f)).group_by(year)
    return {int(y): int(n) for y, n in session.execute(query) if n}


def _tracked_teen_share(session: Session, f: AnalyticsFilter) -> float | None:
    src = source("age", f, session.get_bind().dialect.name)
    query = select(src.c.key, func.sum(src.c.total)).where(*dim_where(src, f))
    counts = {k: int(v or 0) for k, v in session.execute(query.group_by(src.c.key))}
    total = sum(counts.values())
    teen = sum(counts.get(b, 0) for b in TEEN_BANDS)
    return round(100 * teen / total, 1) if total else None


def _tracked_label(lang: str) -> str:
    return "tracked" if lang == "en" else "기록된 사건"


def cases_by_year(tracked: dict[int, int], lang: str = "ko") -> list[dict]:
    """Tracked incidents per year (``tracked``, from the cube) beside the national counts
    of reported cases: the Statistics page's chart, and the advocacy brief's, which
    passes the years of the dashboard it already has instead of counting them again."""
    cases = [
        {
            "year": y,
            "series": _tracked_label(lang),
            "value": n,
            "source": "Casebook",
            "verified": True,
            "partial": False,
        }
        for y, n in sorted(tracked.items())
        if n
    ]
    for point in series(CASES_METRIC):
        full = point.period_start.year == point.period_end.year and (
            point.period_start.month,
            point.period_start.day,
            point.period_end.month,
            point.period_end.day,
        ) == (1, 1, 12, 31)
        if point.period_start.year != point.period_end.year:
            continue
        name = point.source.via or point.source.publisher
        if not full:
            name += f" (~{point.period_end.strftime('%m-%d')})"
        figure = next(
            f
            for f in national_figures()
            if f.metric == CASES_METRIC
            and f.value == point.value
            and f.period_end == point.period_end
        )
        cases.append(
            {
                "year": point.period_start.year,
                "series": name,
                "value": point.value,
                "source": point.source.url,
                "verified": figure.verified,
                "partial": not full,
            }
        )
    return cases


def comparison(
    session: Session, *, actor: User | None, filters: AnalyticsFilter, lang: str = "ko"
) -> dict:
    """National figures (all, with sources) and their comparison with tracked incidents."""
    require(actor, "dashboard.read")
    cases = cases_by_year(_tracked_by_year(session, filters), lang)
    teen = []
    share = _tracked_teen_share(session, filters)
    if share is not None:
        teen.append(
            {
                "series": _tracked_label(lang),
                "period": "",
                "teen_pct": share,
                "source": "Casebook",
                "verified": True,
            }
        )
    for fig in figures_by_metric(TEEN_METRIC):
        teen.append(
            {
                "series": fig.source.via or fig.source.publisher,
                "period": f"{fig.period_start} – {fig.period_end}",
                "teen_pct": fig.value,
                "source": fig.source.url,
                "verified": fig.verified,
            }
        )
    return {
        "figures": [figure_row(f, lang) for f in national_figures()],
        "disagreements": disagreements(),
        "cases_by_year": cases,
        "teen_share": teen,
    }
