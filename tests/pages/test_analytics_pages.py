"""AppTests of the Dashboard and Statistics pages for every role."""

from __future__ import annotations

from datetime import date

import pytest

from casebook.analytics.filters import AnalyticsFilter
from tests.analytics_fixture import build
from tests.pagetest import goto, signed_in, texts

SECRET_CONTACT = "010-9999-1234 피해자 비밀연락처"


@pytest.mark.parametrize("role", ["admin", "lawyer", "advocate", "viewer"])
def test_dashboard_and_statistics_for_each_role(session, factory, role) -> None:
    build(factory)
    factory.incident(reported_on=date(2024, 10, 1), victim_contact=SECRET_CONTACT)
    user = factory.user(role=role)
    at = signed_in(user.username)
    goto(at, "dashboard")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "대시보드" in shown
    assert [m.value for m in at.metric] == ["6"]
    assert "가나대학교" in shown  # the institution response table
    assert SECRET_CONTACT not in shown and "010-9999" not in shown
    goto(at, "statistics")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "국가 통계" in shown and "미확인 수치" in shown and "확인됨" in shown
    assert SECRET_CONTACT not in shown


def test_new_incident_shows_at_once_on_the_dashboard(session, factory) -> None:
    build(factory)
    at = signed_in(factory.admin.username)
    goto(at, "dashboard")
    assert [m.value for m in at.metric] == ["5"]
    factory.incident(reported_on=date(2024, 10, 2))
    at.run()
    assert [m.value for m in at.metric] == ["6"]


def test_filters_narrow_the_dashboard_and_bad_range_is_refused(session, factory) -> None:
    build(factory)
    at = signed_in(factory.admin.username, lang="en")
    goto(at, "dashboard")
    at.selectbox(key="dash_region").set_value("seoul").run()
    assert [m.value for m in at.metric] == ["2"]
    at.date_input(key="dash_from").set_value(date(2024, 10, 1)).run()
    at.date_input(key="dash_to").set_value(date(2024, 9, 1)).run()
    assert "The end date is before the start date." in texts(at)


def test_filter_is_hashable_for_the_cache() -> None:
    assert hash(AnalyticsFilter(region="seoul")) == hash(AnalyticsFilter(region="seoul"))


def test_figures_are_built_once_and_follow_new_data(session, factory, monkeypatch) -> None:
    from casebook.analytics import charts
    from pages import dashboard
    from ui.analytics import _figure

    built = []

    def counting(rows: list[dict], lang: str):
        built.append(lang)
        return charts.figure_by_month(rows, lang)

    monkeypatch.setattr(dashboard, "CHARTS", [("by_month", counting), *dashboard.CHARTS[1:]])
    _figure.clear()
    build(factory)
    at = signed_in(factory.admin.username)
    goto(at, "dashboard")
    at.run()
    assert built == ["ko"], "a rerun with the same data reuses the figure"
    factory.incident(reported_on=date(2019, 4, 5), occurred_on=date(2019, 4, 1))
    at.run()
    assert built == ["ko", "ko"]
    months = at.get("plotly_chart")[0].proto.spec
    assert "2019-04" in months, "the new incident's month is in the rebuilt chart"
