"""Takedown requests on an incident page: who asked which platform, and what it did."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, label
from casebook.incidents.takedowns import list_takedowns, request_takedown, resolve_takedown
from casebook.vocab import PLATFORMS


def render_takedowns(user, detail) -> None:
    inc, lang = detail.incident, ui.lang()
    st.subheader(ui.t("incident_page.takedowns"))
    rows = ui.run(list_takedowns, actor=user, incident_id=inc.id)
    if rows is ui.FAILED:
        return
    if rows:
        st.dataframe(
            [
                {
                    "ID": r.id,
                    ui.t("fields.platform"): label("platform", r.platform, lang),
                    ui.t("fields.requested_on"): fmt_date(r.requested_on),
                    ui.t("fields.requested_by"): r.requested_by,
                    ui.t("fields.outcome"): label("takedown_outcome", r.outcome, lang),
                    ui.t("fields.resolved_on"): fmt_date(r.resolved_on),
                    ui.t("fields.note"): r.note,
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(ui.t("incident_page.no_takedowns"))
    if can(user, "takedown.write"):
        _request(user, inc)
        pending = [r.id for r in rows if r.outcome == "pending"]
        if pending:
            _resolve(user, pending)


def _request(user, inc) -> None:
    lang = ui.lang()
    with st.form("takedown_request"):
        st.markdown(f"**{ui.t('incident_page.add_takedown')}**")
        c1, c2, c3 = st.columns(3)
        platform = c1.selectbox(
            ui.t("fields.platform"),
            PLATFORMS,
            key="td_platform",
            index=PLATFORMS.index(inc.platform),
            format_func=lambda v: label("platform", v, lang),
        )
        requested_on = c2.date_input(
            ui.t("fields.requested_on"), value=date.today(), key="td_requested_on"
        )
        requested_by = c3.text_input(ui.t("fields.requested_by"), key="td_by", max_chars=120)
        note = st.text_input(ui.t("fields.note"), key="td_note")
        submitted = st.form_submit_button(ui.t("incident_page.add_takedown"), key="td_submit")
    if submitted:
        result = ui.run(
            request_takedown,
            actor=user,
            incident_id=inc.id,
            platform=platform,
            requested_on=requested_on,
            requested_by=requested_by,
            note=note,
        )
        if result is not ui.FAILED:
            st.rerun()


def _resolve(user, pending: list[int]) -> None:
    lang = ui.lang()
    with st.form("takedown_resolve"):
        st.markdown(f"**{ui.t('incident_page.resolve_takedown')}**")
        c1, c2, c3 = st.columns(3)
        td_id = c1.selectbox("ID", pending, key="tr_id")
        outcome = c2.selectbox(
            ui.t("fields.outcome"),
            ["removed", "refused"],
            key="tr_outcome",
            format_func=lambda v: label("takedown_outcome", v, lang),
        )
        resolved_on = c3.date_input(ui.t("fields.resolved_on"), value=date.today(), key="tr_date")
        submitted = st.form_submit_button(ui.t("incident_page.resolve_takedown"), key="tr_submit")
    if submitted:
        result = ui.run(
            resolve_takedown,
            actor=user,
            takedown_id=td_id,
            outcome=outcome,
            resolved_on=resolved_on,
            expected_outcome="pending",  # the form offers only pending requests
        )
        if result is not ui.FAILED:
            st.rerun()
