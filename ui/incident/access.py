"""The confidentiality section under an incident (admins and the team): mark it
confidential and pick its team. Listed in ui.incident.view.SECTIONS; the rules live in
casebook.incidents.confidential.
"""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.incidents.confidential import case_access, set_confidential


def access_section(user, detail) -> None:
    inc = detail.incident
    if detail.level != "full" or not can(user, "incident.write"):
        return
    if inc.confidential:
        st.caption(ui.t("access.is_confidential"))
    with st.expander(ui.t("access.section")):
        access = ui.run(case_access, actor=user, incident_id=inc.id)
        if access is ui.FAILED:
            return
        names = {m.id: f"{m.display_name or m.username} ({m.username})" for m in access.candidates}
        secret = st.checkbox(
            ui.t("access.confidential"), value=access.confidential, key=f"acc_conf_{inc.id}"
        )
        team = st.multiselect(
            ui.t("access.team"),
            list(names),
            key=f"acc_team_{inc.id}",
            default=[m.id for m in access.team if m.id in names],
            format_func=names.__getitem__,
        )
        if st.button(ui.t("common.save"), key=f"acc_save_{inc.id}"):
            done = ui.run(
                set_confidential, actor=user, incident_id=inc.id, confidential=secret, team=team
            )
            if done is not ui.FAILED:
                st.success(ui.t("access.saved"))
