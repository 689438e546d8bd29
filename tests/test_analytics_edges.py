"""A month cut by the date range is counted from either side (the days inside added, or
the whole month less the days outside): both give what the base tables alone give."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

import pytest

from casebook import analytics_edges
from casebook.analytics import dashboard, stats_summary
from casebook.analytics_sources import AnalyticsFilter, choose_edges
from tests.analytics_fixture import build

D = date
RANGES = [
    (D(2024, 8, 10), D(2024, 10, 20)),  # cuts at both ends, a whole month between
    (D(2024, 8, 10), D(2024, 9, 20)),  # two cut months side by side
    (D(2024, 9, 3), D(2024, 9, 29)),  # both cuts in one month
    (D(2024, 9, 1), D(2024, 9, 29)),  # the end cut only
    (D(2024, 8, 10), None),  # open end
    (None, D(2024, 9, 20)),  # open start
    (D(2024, 8, 6), D(2024, 10, 15)),  # cut days holding incidents on both sides
]
SIDES = [(False, False), (True, True), (True, False), (False, True)]


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> dict:
    choices: dict = {}
    monkeypatch.setattr(analytics_edges, "_CHOICES", choices)
    return choices


@pytest.mark.parametrize("sides", SIDES)
@pytest.mark.parametrize(("first", "last"), RANGES)
def test_either_side_equals_the_base_tables(session, factory, forced, first, last,
                                            sides) -> None:  # noqa: ANN001  # fmt: skip
    build(factory)
    forced[(first, last)] = sides
    for extra in ({}, {"region": "seoul"}, {"platform": "telegram"}):
        f = AnalyticsFilter(date_from=first, date_to=last, **extra)
        base = replace(f, demo=False)  # no cube dimension: every figure from the base tables
        assert asdict(dashboard(session, actor=factory.admin, filters=f)) == asdict(
            dashboard(session, actor=factory.admin, filters=base)
        )
        assert stats_summary(session, actor=factory.admin, filters=f) == stats_summary(
            session, actor=factory.admin, filters=base
        )


def test_the_side_with_fewer_incidents_is_read(session, factory, forced) -> None:
    build(factory)  # August: the 5th and the 20th; September: the 3rd and the 30th
    choose_edges(session, AnalyticsFilter(date_from=D(2024, 8, 4), date_to=D(2024, 9, 4)))
    # Aug 4-31 holds two incidents, Aug 1-3 none: read outside; Sep 1-4 one, Sep 5-30 one:
    # a tie keeps the days inside
    assert forced[(D(2024, 8, 4), D(2024, 9, 4))] == (True, False)
    choose_edges(session, AnalyticsFilter(date_from=D(2024, 9, 4), date_to=D(2024, 9, 29)))
    assert forced[(D(2024, 9, 4), D(2024, 9, 29))] == (False,)  # none inside, two outside
    choose_edges(session, AnalyticsFilter(date_from=D(2024, 9, 2), date_to=D(2024, 9, 30)))
    assert forced[(D(2024, 9, 2), D(2024, 9, 30))] == (True,)  # two inside, none outside
