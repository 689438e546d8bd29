"""Sign-in form. The only page a signed-out visitor can reach."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.auth import sign_in


def render() -> None:
    st.title(ui.t("app.name"))
    st.caption(ui.t("app.tagline"))
    flash = st.session_state.pop("flash", None)
    if flash:
        st.info(ui.t(flash))
    st.subheader(ui.t("login.title"))
    st.write(ui.t("login.intro"))
    # Second step: the password was right and the account uses two-factor sign-in.
    needs_code = st.session_state.get("login_needs_totp", False)
    if needs_code:
        st.info(ui.t("security.totp_enter"))
    with st.form("login", clear_on_submit=False):
        username = st.text_input(ui.t("login.username"), key="login_username")
        password = st.text_input(ui.t("login.password"), type="password", key="login_password")
        code = (
            st.text_input(ui.t("fields.totp_code"), key="login_totp", max_chars=8)
            if needs_code
            else None
        )
        submitted = st.form_submit_button(ui.t("login.submit"), type="primary")
    if not submitted:
        return
    if not username.strip() or not password:
        st.error(ui.t("login.empty"))
        return
    result = ui.run(
        sign_in,
        username=username,
        password=password,
        totp_code=code or None,
        client=ui.client_address(),
    )
    if result is ui.FAILED:
        return
    if result.needs_totp:
        st.session_state["login_needs_totp"] = True
        st.rerun()
    st.session_state.pop("login_needs_totp", None)
    ui.sign_in(result.user)
    st.rerun()


if __name__ == "__main__":
    st.switch_page("app.py")
