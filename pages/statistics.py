"""Statistics: national figures with their sources, compared with the tracked incidents."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.analytics import charts
from casebook.analytics.statistics import comparison
from ui.analytics import chart_block, filter_bar, load

FIGURE_COLUMNS = ("figure", "period", "value", "publisher", "via", "status", "note")


def _figures_table(figures: list[dict]) -> None:
    st.subheader(ui.t("analytics.stats.national_table"))
    rows = []
    for f in figures:
        status = ui.t("analytics.verified") if f["verified"] else ui.t("analytics.unverified")
        row = {ui.t(f"analytics.columns.{k}"): f.get(k, "") for k in FIGURE_COLUMNS}
        row[ui.t("analytics.columns.status")] = status
        row[ui.t("analytics.source")] = f["url"]
        rows.append(row)
    links = {ui.t("analytics.source"): st.column_config.LinkColumn()}
    st.dataframe(rows, hide_index=True, width="stretch", column_config=links)


def _disagreements(items: list[dict]) -> None:
    if not items:
        return
    st.warning(ui.t("analytics.stats.disagree"))
    for item in items:
        values = " / ".join(f"{f['value']:g} ({f['publisher']})" for f in item["figures"])
        st.text(f"{item['metric']} · {item['period']}: {values}")


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("analytics.stats_title"))
    st.caption(ui.t("analytics.stats.intro"))
    filters = filter_bar("stats")
    if filters is None:
        return
    data = load(comparison, filters, user, lang=ui.lang())
    if data is ui.FAILED:
        return
    st.subheader(ui.t("analytics.stats.comparison"))
    st.caption(ui.t("analytics.stats.tracked_is_sample"))
    c1, c2 = st.columns(2)
    with c1:
        chart_block(
            "national_cases",
            charts.figure_national_cases,
            data["cases_by_year"],
            key="national_cases",
        )
    with c2:
        chart_block("teen_share", charts.figure_teen_share, data["teen_share"], key="teen_share")
    _disagreements(data["disagreements"])
    _figures_table(data["figures"])


if __name__ == "__main__":
    st.switch_page("app.py")
