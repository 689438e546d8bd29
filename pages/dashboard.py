"""Dashboard: charts of the tracked incidents under shared filters, each downloadable."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.analytics import charts
from casebook.analytics.dashboards import Dashboard, dashboard
from casebook.i18n import fmt_number
from ui.analytics import chart_block, filter_bar, load

# (series name on Dashboard, figure function, chart title key) in page order, two per row.
CHARTS = [
    ("by_month", charts.figure_by_month),
    ("by_region", charts.figure_by_region),
    ("top_institutions", charts.figure_top_institutions),
    ("by_platform", charts.figure_by_platform),
    ("room_sizes", charts.figure_room_sizes),
    ("by_conduct", charts.figure_by_conduct),
    ("age_bands", charts.figure_age_bands),
    ("funnel", charts.figure_funnel),
    ("releases", charts.figure_releases),
    ("legal_links", charts.figure_legal_gaps),
    ("police_days", charts.figure_police_days),
    ("takedown_days", charts.figure_takedown_days),
]


def _age_source(data: Dashboard) -> None:
    src = data.age_source
    if not src:
        return
    mark = ui.t("analytics.verified") if src["verified"] else ui.t("analytics.unverified")
    st.caption(f"{ui.t('analytics.source')}: {src['publisher']} · {src['period']} · {mark}")
    st.text(f"{src['title']}\n{src['url']}")


def _charts(data: Dashboard) -> None:
    for start in range(0, len(CHARTS), 2):
        cols = st.columns(2)
        for col, (name, make) in zip(cols, CHARTS[start : start + 2], strict=False):
            with col:
                rows = data.series(name)
                chart_block(name, make, rows, key=name)
                if name == "age_bands":
                    _age_source(data)
                if name == "funnel":
                    st.caption(ui.t("analytics.funnel_note"))


def _response_table(data: Dashboard) -> None:
    st.subheader(ui.t("analytics.charts.institution_response"))
    rows = [
        {ui.t(f"analytics.columns.{k}"): ("—" if v is None else v) for k, v in row.items()}
        for row in data.institution_response
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("analytics.title"))
    st.caption(ui.t("analytics.intro"))
    filters = filter_bar("dash")
    if filters is None:
        return
    data = load(dashboard, filters, user)
    if data is ui.FAILED:
        return
    st.metric(ui.t("overview.incidents"), fmt_number(data.total))
    if not data.total:
        st.info(ui.t("analytics.no_data"))
        return
    charts.warm_renderer()  # the PNG downloads render on click: have Chromium up by then
    _charts(data)
    _response_table(data)
    st.caption(ui.t("analytics.cached_note"))


if __name__ == "__main__":
    st.switch_page("app.py")
