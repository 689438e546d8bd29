"""SQLite query plans of the dashboard's reads that the statsfast2 branch changed
(bench/README.md, Analytics): the cube's incident counts through the partial covering
indexes, and the cut days of a date range from the date range, not the whole table.

SQLite has no statistics here (no ANALYZE), as on a user's database. The figures these
queries give are checked against the base tables by tests/test_analytics*.py."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from casebook.analytics import edges as analytics_edges
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.sources import summed
from db.engine import engine_for

MID_MONTH = AnalyticsFilter(date_from=date(2024, 3, 15), date_to=date(2024, 9, 14))


def _plan(url: str, measure: str, f: AnalyticsFilter, names: tuple[str, ...]) -> str:
    """EXPLAIN QUERY PLAN of grouped()'s query, with the parameters bound as the app binds
    them (a partial index is only usable if its WHERE matches a literal)."""
    engine = engine_for(url)
    sums = summed(measure, f, "sqlite", names)
    query = select(sums).where(sums.c.n > 0)
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params).all()
    return "\n".join(row[-1] for row in rows)


@pytest.fixture
def sides(monkeypatch: pytest.MonkeyPatch) -> None:
    # the days outside the range at the end cut, as at a million skewed incidents
    choices = {(MID_MONTH.date_from, MID_MONTH.date_to): (True, True)}
    monkeypatch.setattr(analytics_edges, "_CHOICES", choices)


@pytest.mark.parametrize(
    ("names", "index"),
    [
        (("status", "region", "kind", "platform"), "ix_analytics_cube_incident_dims"),
        (("kind", "region", "status"), "ix_analytics_cube_incident_dims"),
        (("month", "kind", "gap"), "ix_analytics_cube_incident_month"),
    ],
)
def test_incident_counts_read_a_covering_index_of_the_cube(sqlite_url, names, index) -> None:
    for f in (AnalyticsFilter(), AnalyticsFilter(kind="university"), MID_MONTH):
        assert f"USING COVERING INDEX {index}" in _plan(sqlite_url, "incident", f, names)


def test_a_column_outside_both_indexes_leaves_the_choice_to_sqlite(sqlite_url) -> None:
    plan = _plan(
        sqlite_url, "incident", AnalyticsFilter(platform="telegram"), ("month", "kind", "gap")
    )
    assert "ix_analytics_cube_incident_month" not in plan


@pytest.mark.parametrize("measure", ["police", "age", "obstacle", "incident", "room", "conduct"])
def test_cut_days_start_from_the_date_range(sqlite_url, sides, measure) -> None:
    """Never the whole incident table (grouped by incident, the first police step used to
    walk it in id order: 460 ms at a million), and never an incident row (the age bands
    and obstacles are in the dashboard index since migration 0011)."""
    plan = _plan(sqlite_url, measure, MID_MONTH, ("key",))
    assert "SCAN incident" not in plan.replace("SCAN incidentevent", "")
    searches = [line for line in plan.splitlines() if line.startswith("SEARCH incident ")]
    assert searches
    # ix_incident_dashboard, or ix_incident_reported_on when no dimension is read
    assert all("USING COVERING INDEX" in s and "(reported_on>" in s for s in searches)
