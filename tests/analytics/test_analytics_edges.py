"""A month cut by the date range is counted from either side (the days inside added, or
the whole month less the days outside): both give what the base tables alone give."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

import pytest

from casebook.analytics import edges as analytics_edges
from casebook.analytics.dashboards import dashboard, stats_summary
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.sources import choose_edges
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
def test_either_side_equals_the_base_tables(session, factory, forced, first, last, sides) -> None:
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


JSON_FILTERS = [
    {},
    {"region": "seoul"},
    {"status": "arrested", "kind": "university"},
    {"demo": False},  # the whole range from the base tables
    {"conduct": "view"},
]


@pytest.mark.parametrize("sides", SIDES)
@pytest.mark.parametrize("measure", ["age", "obstacle"])
def test_json_measures_read_per_document_equal_a_call_per_incident(
    session, factory, forced, measure, sides
) -> None:
    """The age bands and obstacles of the base-table days are counted once per distinct
    JSON document (casebook.analytics.base.by_document); they equal the entries of
    every incident read one by one, by key and by any other dimension asked for."""
    from sqlalchemy import func, select

    from casebook.analytics.sources import dialect_of, dim_where, grouped, source

    build(factory)
    # a few incidents sharing documents
    a, b = "server_abroad", "only_viewed_claim"
    for day, ages, obstacles in [
        (3, {"20s": 2, "under14": 1}, [a, b]),
        (4, {"20s": 2, "under14": 1}, [a, b]),
        (25, {"20s": 1}, [a]),
        (9, {}, []),
    ]:
        factory.incident(reported_on=D(2024, 9, day), suspects_by_age=ages, obstacles=obstacles)
    for first, last in RANGES:
        forced[(first, last)] = sides[: 2 if first and last else 1]
        for extra in JSON_FILTERS:
            f = AnalyticsFilter(date_from=first, date_to=last, **extra)
            choose_edges(session, f)
            for names in (("key",), ("key", "month"), ("region", "key")):
                src = source(measure, f, dialect_of(session))  # a row per incident and entry
                cols = [src.c[n] for n in names]
                n = func.sum(src.c.n)
                query = (
                    select(*cols, n, func.sum(src.c.total))
                    .where(*dim_where(src, f))
                    .group_by(*cols)
                    .having(n > 0)
                    .order_by(*cols)
                )
                expected = [tuple(r) for r in session.execute(query)]
                assert grouped(session, measure, f, *names) == expected, (f, names)
