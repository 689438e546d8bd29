"""The benchmark generator loads rows with the summary triggers off, then counts the cube
once and puts the triggers back: the database it leaves must behave like one filled by the
app, or every dashboard figure in bench/README.md would be measured on a wrong cube."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from bench.generate import generate
from casebook.analytics.dashboards import stats_summary
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.summaries import rebuild_summaries
from tests.analytics.test_analytics import _cube


def test_generated_database_has_an_exact_cube_and_live_triggers(session, factory, db_url) -> None:
    admin = factory.admin  # the first user; the generator adds its own bench user
    generate(db_url, 300, institutions=25)
    session.expire_all()
    assert stats_summary(session, actor=admin, filters=AnalyticsFilter())["total"] == 300
    loaded = _cube(session)
    rebuild_summaries(session)
    assert _cube(session) == loaded

    factory.incident(reported_on=date(2024, 10, 20), conducts=["sell"])
    got = stats_summary(session, actor=admin, filters=AnalyticsFilter())
    assert got["total"] == 301, "the triggers are back: a new incident is counted at once"
    counted_by_triggers = _cube(session)
    rebuild_summaries(session)
    assert _cube(session) == counted_by_triggers
    ids = session.execute(text("SELECT max(id) FROM incident")).scalar_one()
    assert ids == 301 + session.execute(text("SELECT min(id) FROM incident")).scalar_one() - 1
