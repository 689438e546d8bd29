"""The Edit form on an incident page, with optimistic locking.

The version and the initial values are captured when the editor opens, so a save
made by someone else meanwhile is detected (StaleEdit) and this user's typed input
stays in the widgets to be reviewed and saved again.
"""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.incidents.store import form_data, update_incident
from ui.incident.form import incident_widgets


def _state_key(incident_id: int) -> str:
    return ui.user_key(f"edit_{incident_id}")


def render_edit(user, detail) -> None:
    """An Edit button for writers; once open, the form and its save."""
    inc = detail.incident
    if not can(user, "incident.write"):
        return
    key = _state_key(inc.id)
    if st.session_state.get("flash_edit_saved") == inc.id:
        st.success(ui.t("incident_page.saved"))
        st.session_state.pop("flash_edit_saved")
    if key not in st.session_state:
        if st.button(ui.t("incident_page.edit"), key="open_edit", icon=":material/edit:"):
            st.session_state[key] = {"version": inc.version, "initial": form_data(detail)}
            st.rerun()
        return
    state = st.session_state[key]
    st.subheader(ui.t("incident_page.edit_title"))
    st.caption(ui.t("incident_page.version", version=state["version"]))
    with st.form("edit_incident"):
        data = incident_widgets(state["initial"])
        saved = st.form_submit_button(ui.t("common.save"), type="primary", key="save_edit")
    if st.button(ui.t("incident_page.cancel_edit"), key="close_edit"):
        st.session_state.pop(key, None)
        st.rerun()
    if not saved:
        return
    result = ui.run(
        update_incident,
        actor=user,
        incident_id=inc.id,
        expected_version=state["version"],
        data=data,
    )
    if result is ui.FAILED:
        return  # the message is shown; the user's input stays in the widgets
    st.session_state.pop(key, None)
    st.session_state["flash_edit_saved"] = inc.id
    st.rerun()
