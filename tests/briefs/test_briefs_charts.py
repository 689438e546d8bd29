"""The advocacy brief's charts are the dashboards' charts: the same figure functions over
the same series, rendered by the same PNG renderer, or the data as tables without it."""

from __future__ import annotations

import base64
import shutil
from datetime import date

import pytest

from casebook.analytics import charts
from casebook.analytics.dashboards import dashboard
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.statistics import comparison
from casebook.briefs import advocacy, generate_brief
from casebook.briefs.advocacy_data import collect_advocacy
from casebook.config import get_settings
from tests.briefs_helpers import WHEN, reopen, rows_of

PNG = base64.b64decode(  # a 1x1 PNG: what the renderer returns, without a browser
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
YEAR = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
TRACKED = ("by_month", "by_region", "by_conduct", "age_bands", "funnel")  # Dashboard series
FIGURES = (
    "figure_national_cases",
    "figure_by_month",
    "figure_by_region",
    "figure_by_conduct",
    "figure_age_bands",
    "figure_funnel",
)


@pytest.fixture
def cases(factory):
    uni = factory.institution(name="가나대학교", kind="university", region="seoul")
    school = factory.institution(name="다라고등학교", kind="high_school", region="busan")
    factory.incident(
        institution_ids=[uni.id],
        conducts=["create", "view"],
        reported_on=date(2024, 8, 20),
        occurred_on=date(2024, 8, 1),
        suspects_by_age={"20s": 2},
    )
    factory.incident(
        institution_ids=[school.id],
        conducts=["distribute", "possess"],
        reported_on=date(2024, 11, 5),
        occurred_on=date(2024, 11, 1),
        suspects_by_age={"14to19": 3},
    )
    factory.incident(reported_on=date(2023, 5, 1), occurred_on=date(2023, 5, 1))  # outside
    return factory


def _dashboard_figures(session, actor, f: AnalyticsFilter, lang: str) -> list:
    """What the Statistics and Dashboard pages draw for ``f``: the Dashboard page's own
    (series, figure function) table, and the Statistics page's cases-per-year chart."""
    from pages.dashboard import CHARTS

    page = dict(CHARTS)
    d = dashboard(session, actor=actor, filters=f)
    national = comparison(session, actor=actor, filters=f, lang=lang)["cases_by_year"]
    tracked = [page[name](d.series(name), lang) for name in TRACKED]
    return [charts.figure_national_cases(national, lang), *tracked]


def test_brief_calls_the_dashboards_figure_functions(session, cases, monkeypatch) -> None:
    calls: dict[str, list] = {}
    for name in FIGURES:
        real = getattr(charts, name)

        def spy(rows, lang, real=real, name=name):
            calls.setdefault(name, []).append((rows, lang))
            return real(rows, lang)

        monkeypatch.setattr(charts, name, spy)
    monkeypatch.setattr(charts, "figure_png", lambda fig, *size: PNG)
    admin = cases.admin
    made = generate_brief(
        session, actor=admin, kind="advocacy", lang="en", params=YEAR, generated_at=WHEN
    )
    assert len(reopen(made.content).inline_shapes) == 6
    f = AnalyticsFilter(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    d = dashboard(session, actor=admin, filters=f)
    assert calls == {
        "figure_national_cases": [
            (comparison(session, actor=admin, filters=f, lang="en")["cases_by_year"], "en")
        ],
        "figure_by_month": [(d.by_month, "en")],
        "figure_by_region": [(d.by_region, "en")],
        "figure_by_conduct": [(d.by_conduct, "en")],
        "figure_age_bands": [(d.age_bands, "en")],
        "figure_funnel": [(d.funnel, "en")],
    }
    assert [r["month"] for r in d.by_month] == ["2024-08", "2024-11"]  # 2023 left out


@pytest.mark.parametrize(
    ("params", "f"),
    [
        (YEAR, AnalyticsFilter(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))),
        ({"region": "busan"}, AnalyticsFilter(region="busan")),
        # no cube dimension: the dashboard's series come from the base tables
        (
            {"conduct": "view", "date_from": "2024-08-10"},
            AnalyticsFilter(conduct="view", date_from=date(2024, 8, 10)),
        ),
    ],
)
def test_brief_figures_equal_the_dashboards(session, cases, params, f, monkeypatch) -> None:
    rendered = []
    monkeypatch.setattr(charts, "figure_png", lambda fig, *size: rendered.append(fig))
    data = collect_advocacy(session, actor=cases.admin, params=params, as_of=WHEN.date())
    got = advocacy.charts(data, "ko", render=False)
    want = _dashboard_figures(session, cases.admin, f, "ko")
    assert [c.figure.to_json() for c in got] == [fig.to_json() for fig in want]
    assert rendered == [] and all(c.png is None for c in got)  # render=False: tables only
    # The charts and the brief's own tables count the same incidents.
    d = data.dashboard
    assert sum(r["count"] for r in d.by_month) == data.totals["incidents"]
    assert {r["conduct"]: r["count"] for r in d.by_conduct} == dict(data.conducts)
    assert {r["band"]: r["suspects"] for r in d.age_bands if r["suspects"]} == data.age_bands


def test_korean_brief_figures_read_korean(session, cases) -> None:
    data = collect_advocacy(session, actor=cases.admin, params=YEAR, as_of=WHEN.date())
    national, by_month, by_region, by_conduct, ages, funnel = advocacy.charts(
        data, "ko", render=False
    )
    assert [t.name for t in by_month.figure.data] == ["대학교", "고등학교"]
    assert list(by_region.figure.data[0].x) == ["부산", "서울"]  # equal counts: by key
    assert "시청" in by_conduct.figure.data[0].y
    assert national.figure.data[0].name == "기록된 사건"
    assert ages.title == "피의자 연령대 — 기록된 사건과 경찰 통계"
    assert "NanumGothic" in by_month.figure.layout.font.family
    assert list(funnel.figure.data[0].y)[0] == "신고됨"  # the enforcement funnel, in Korean


def _no_browser(monkeypatch) -> None:
    monkeypatch.setattr(get_settings(), "chromium_path", "/nonexistent/chromium")


def _renderer_raises(monkeypatch) -> None:
    def broken(fig, *size):
        raise RuntimeError("kaleido crashed")

    monkeypatch.setattr(charts, "figure_png", broken)


@pytest.mark.parametrize("unavailable", [_no_browser, _renderer_raises])
def test_without_png_rendering_the_data_goes_in_as_tables(
    session, cases, monkeypatch, unavailable
) -> None:
    unavailable(monkeypatch)
    made = generate_brief(
        session, actor=cases.admin, kind="advocacy", lang="en", params=YEAR, generated_at=WHEN
    )
    doc = reopen(made.content)
    assert len(doc.inline_shapes) == 0
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions[1:3] == ["Incidents per month, by institution kind", "Incidents by region"]
    rows = rows_of(doc)
    tables = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Year", "Source", "Cases"] in tables
    assert ["2024", "tracked", "2"] in rows  # tracked incidents beside the police figures
    assert ["Month", "University", "High school"] in tables  # months by kind, as stacked
    assert ["2024-08", "1", "0"] in rows and ["2024-11", "0", "1"] in rows
    assert ["Seoul", "1"] in rows and ["Busan", "1"] in rows
    assert ["Viewing", "1"] in rows and ["Possessing", "1"] in rows
    ages = {r[0]: r[1:3] for r in rows if r and r[0] in ("20s", "14–19")}
    assert ages == {"20s": ["2", "40"], "14–19": ["3", "60"]}


@pytest.mark.skipif(not shutil.which("/usr/bin/chromium"), reason="no Chromium for kaleido")
def test_korean_brief_with_rendered_charts(session, cases) -> None:
    made = generate_brief(
        session, actor=cases.admin, kind="advocacy", lang="ko", params=YEAR, generated_at=WHEN
    )
    doc = reopen(made.content)
    blobs = [
        shape._inline.graphic.graphicData.pic.blipFill.blip.embed for shape in doc.inline_shapes
    ]
    assert len(blobs) == 6
    for rid in blobs:
        assert doc.part.related_parts[rid].blob.startswith(charts.PNG_SIGNATURE)
