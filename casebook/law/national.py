"""National figures on deepfake sexual crime in Korea, as published.

Loads ``kb/statistics/*.yaml`` once into frozen ``NationalFigure`` models for
dashboards and briefs. Where sources disagree, every figure is kept and
``series`` returns them all, each with its source. Never imports streamlit.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from casebook.law.schema_stats import FigureSource, NationalFigure, StatisticsFile
from casebook.law.yamlload import KBError, load_model
from casebook.vocab import SUSPECT_AGE_BANDS

KB_ROOT = Path(__file__).resolve().parents[2] / "kb"
STATISTICS_DIR = KB_ROOT / "statistics"
BOOKED_METRIC = "deepfake_persons_booked"


class SeriesPoint(NamedTuple):
    period_start: date
    period_end: date
    value: float
    source: FigureSource


class AgeBandShares(NamedTuple):
    figure: NationalFigure
    shares: dict[str, float]  # percent of persons booked, by casebook.vocab.SUSPECT_AGE_BANDS


def load_statistics(
    directory: Path = STATISTICS_DIR, root: Path = KB_ROOT
) -> tuple[NationalFigure, ...]:
    """Validate every YAML file in ``directory``; raise KBError naming file, line and field."""
    seen: dict[str, str] = {}
    out: list[NationalFigure] = []
    for path in sorted(directory.glob("*.yaml")):
        base = root if root in path.parents else None
        name = str(path.relative_to(base)) if base else str(path)
        for figure in load_model(path, StatisticsFile, base).figures:
            if figure.id in seen:
                raise KBError(name, None, "id", f"{figure.id} also in {seen[figure.id]}")
            seen[figure.id] = name
            out.append(figure)
    return tuple(out)


@cache
def national_figures() -> tuple[NationalFigure, ...]:
    """Every national figure in the knowledge base, in file order (loaded once)."""
    return load_statistics()


def _order(figure: NationalFigure) -> tuple[date, date, str]:
    return (figure.period_start, figure.period_end, figure.id)


def figures_by_metric(metric: str) -> list[NationalFigure]:
    """Figures for ``metric`` ordered by period, then id (disagreeing sources side by side)."""
    return sorted((f for f in national_figures() if f.metric == metric), key=_order)


def metrics() -> list[str]:
    """Every metric word in the knowledge base, sorted."""
    return sorted({f.metric for f in national_figures()})


def series(metric: str) -> list[SeriesPoint]:
    """Chart points for ``metric``: (period_start, period_end, value, source), by period.

    A value kept only because a report misprinted it is listed with the figures, not charted.
    """
    return [
        SeriesPoint(f.period_start, f.period_end, f.value, f.source)
        for f in figures_by_metric(metric)
        if not f.misprint
    ]


def age_band_shares(year: int) -> AgeBandShares | None:
    """Shares of persons booked by suspect age band for ``year``, if a source breaks them down.

    Picks the age-banded count that covers most of the year (a full year beats
    a partial one; then verified beats unverified; then the later publication).
    """
    candidates = [
        f
        for f in figures_by_metric(BOOKED_METRIC)
        if f.breakdown_by == "age_band" and f.period_start.year == f.period_end.year == year
    ]
    if not candidates:
        return None
    best = max(candidates, key=_preference)
    total = best.value or 1.0
    breakdown = best.breakdown or {}
    shares = {band: round(100 * breakdown.get(band, 0.0) / total, 1) for band in SUSPECT_AGE_BANDS}
    return AgeBandShares(best, shares)


def _preference(f: NationalFigure) -> tuple[int, bool, date]:
    return ((f.period_end - f.period_start).days, f.verified, f.source.published_on or date.min)
