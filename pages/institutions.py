"""Institutions and chat rooms: the registry incidents link to. ?id=N opens one institution."""

from __future__ import annotations

import streamlit as st

import ui
from ui.institutions import render_create, render_detail, render_list, render_merge
from ui.rooms import render_rooms


def render() -> None:
    user = ui.current_user()
    raw_id = st.query_params.get("id")
    if raw_id and raw_id.isdigit():
        render_detail(user, int(raw_id))
        return
    st.title(ui.t("institutions.title"))
    tab_inst, tab_rooms = st.tabs([ui.t("institutions.title"), ui.t("rooms.title")])
    with tab_inst:
        render_list(user)
        render_create(user)
        render_merge(user)
    with tab_rooms:
        render_rooms(user)


if __name__ == "__main__":
    st.switch_page("app.py")
