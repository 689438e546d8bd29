"""Sign-in form. The only page a signed-out visitor can reach."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.auth import authenticate


def render() -> None:
    st.title(ui.t("app.name"))
    st.caption(ui.t("app.tagline"))
    flash = st.session_state.pop("flash", None)
    if flash:
        st.info(ui.t(flash))
    st.subheader(ui.t("login.title"))
    st.write(ui.t("login.intro"))
    with st.form("login", clear_on_submit=False):
        username = st.text_input(ui.t("login.username"), key="login_username")
        password = st.text_input(ui.t("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(ui.t("login.submit"), type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(ui.t("login.empty"))
        return
    user = ui.run(authenticate, username=username, password=password)
    if user is ui.FAILED:
        return
    ui.sign_in(user)
    st.rerun()


if __name__ == "__main__":
    st.switch_page("app.py")
