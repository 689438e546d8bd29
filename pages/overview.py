"""Overview: headline counts of incidents, institutions, victims and minors, by status."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.analytics.overview import overview
from casebook.i18n import fmt_number, label
from casebook.vocab import STATUSES


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("overview.title"))
    data = ui.run(overview, actor=user)
    if data is ui.FAILED:
        return
    if data.demo_incidents:
        st.info(ui.t("app.demo_notice", count=fmt_number(data.demo_incidents)))
    cols = st.columns(4)
    metrics = [
        ("overview.incidents", data.incidents),
        ("overview.institutions", data.institutions),
        ("overview.victims", data.victims),
        ("overview.minors", data.minors),
    ]
    for col, (key, value) in zip(cols, metrics, strict=True):
        col.metric(ui.t(key), fmt_number(value))
    st.subheader(ui.t("overview.by_status"))
    rows = [
        {
            ui.t("fields.status"): label("status", s, ui.lang()),
            ui.t("overview.count"): fmt_number(data.by_status.get(s, 0)),
        }
        for s in STATUSES
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


if __name__ == "__main__":
    st.switch_page("app.py")
