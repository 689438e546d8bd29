"""The erasure section under an incident (admins): purge details or the whole incident.

Listed in ui.incident.view.SECTIONS.
"""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.incidents.erasure import REASONS, purge_incident, purge_incident_details


def erasure_section(user, detail) -> None:
    if not can(user, "incident.purge"):
        return
    inc = detail.incident
    with st.expander(ui.t("erasure.title")):
        st.caption(ui.t("erasure.help"))
        labels = {r: ui.t(f"erasure.reason_{r}") for r in REASONS}  # bound now (see audit page)
        reason = st.selectbox(
            ui.t("fields.reason"), REASONS, key="erase_reason", format_func=labels.__getitem__
        )
        typed = st.text_input(ui.t("erasure.confirm", id=inc.id), key="erase_confirm")
        ready = typed.strip() == str(inc.id)
        c1, c2 = st.columns(2)
        if c1.button(ui.t("erasure.details"), key="erase_details", disabled=not ready):
            done = ui.run(purge_incident_details, actor=user, incident_id=inc.id, reason=reason)
            if done is not ui.FAILED:
                st.rerun()
        if c2.button(ui.t("erasure.whole"), key="erase_whole", disabled=not ready, type="primary"):
            done = ui.run(purge_incident, actor=user, incident_id=inc.id, reason=reason)
            if done is not ui.FAILED:
                st.query_params.clear()
                st.rerun()
