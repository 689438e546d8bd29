"""Overview: headline counts of incidents, institutions, victims and minors, by status."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.analytics.overview import overview
from casebook.i18n import fmt_number, label
from casebook.incidents.due import due_count
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
    if can(user, "due.read"):
        _due(user)
    st.subheader(ui.t("overview.by_status"))
    rows = [
        {
            ui.t("fields.status"): label("status", s, ui.lang()),
            ui.t("overview.count"): fmt_number(data.by_status.get(s, 0)),
        }
        for s in STATUSES
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _due(user: object) -> None:
    """The signed-in user's own counts from "What is due", with a link there."""
    counts = ui.run(due_count, actor=user)
    if counts is ui.FAILED:
        return
    st.info(
        ui.t(
            "due.overview_count",
            overdue=fmt_number(counts.overdue),
            week=fmt_number(counts.this_week),
            unconfirmed=fmt_number(counts.unconfirmed),
        )
    )
    ui.page_link("due", ui.t("due.overview_link"))


if __name__ == "__main__":
    st.switch_page("app.py")
