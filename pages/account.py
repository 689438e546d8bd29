"""My account: change password, set up or turn off two-factor sign-in; admins set policy."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.access.totp import (
    TOTP_POLICY_ROLES,
    begin_totp,
    confirm_totp,
    disable_totp,
    set_totp_policy,
    sign_out_everywhere,
    totp_required_roles,
)
from casebook.access.users import change_password
from casebook.i18n import label


def _password(user) -> None:
    st.subheader(ui.t("account.change_password"))
    with st.form("change_password", clear_on_submit=True):
        current = st.text_input(ui.t("fields.current_password"), type="password", key="cp_old")
        new = st.text_input(
            ui.t("fields.new_password"),
            type="password",
            key="cp_new",
            help=ui.t("users.password_help"),
        )
        submitted = st.form_submit_button(ui.t("common.save"))
    if submitted:
        epoch = ui.run(change_password, actor=user, current_password=current, new_password=new)
        if epoch is not ui.FAILED:
            ui.keep_signed_in(epoch)
            st.success(ui.t("account.password_changed"))


def _totp_setup(user) -> None:
    setup = st.session_state.get("totp_setup")
    if setup is None:
        password = st.text_input(
            ui.t("fields.current_password"), type="password", key="totp_begin_pw"
        )
        if st.button(ui.t("account.totp_begin"), key="totp_begin"):
            setup = ui.run(begin_totp, actor=user, password=password)
            if setup is not ui.FAILED:
                st.session_state["totp_setup"] = setup
                st.rerun()
        return
    st.write(ui.t("account.totp_secret_once"))
    st.code(setup.uri, language=None)
    st.code(setup.secret, language=None)
    code = st.text_input(ui.t("fields.totp_code"), key="totp_confirm_code", max_chars=8)
    clicked = st.button(ui.t("account.totp_confirm"), key="totp_confirm", type="primary")
    epoch = ui.run(confirm_totp, actor=user, token=setup.token, code=code) if clicked else None
    if epoch is not None and epoch is not ui.FAILED:
        ui.keep_signed_in(epoch)
        st.session_state.pop("totp_setup", None)
        st.session_state["flash_account"] = "account.totp_enabled"
        st.rerun()


def _totp(user) -> None:
    st.subheader(ui.t("account.totp_title"))
    if not user.totp_enabled:
        st.caption(ui.t("account.totp_off"))
        _totp_setup(user)
        return
    st.caption(ui.t("account.totp_on"))
    password = st.text_input(ui.t("fields.current_password"), type="password", key="totp_pw")
    clicked = st.button(ui.t("account.totp_disable"), key="totp_disable")
    epoch = ui.run(disable_totp, actor=user, password=password) if clicked else None
    if epoch is not None and epoch is not ui.FAILED:
        ui.keep_signed_in(epoch)
        st.session_state["flash_account"] = "account.totp_disabled"
        st.rerun()
    with st.expander(ui.t("account.totp_replace")):
        _totp_setup(user)


def _sessions(user) -> None:
    st.subheader(ui.t("account.sessions_title"))
    st.caption(ui.t("account.sessions_help"))
    clicked = st.button(ui.t("account.sign_out_everywhere"), key="sign_out_everywhere")
    if clicked and ui.run(sign_out_everywhere, actor=user) is not ui.FAILED:
        ui.sign_out()
        st.session_state["flash"] = "account.signed_out_everywhere"
        st.rerun()


def _policy(user) -> None:
    current = ui.run(totp_required_roles)
    if current is ui.FAILED:
        return
    st.subheader(ui.t("account.policy_title"))
    roles = st.multiselect(
        ui.t("account.policy_roles"),
        list(TOTP_POLICY_ROLES),
        default=current,
        format_func=lambda r: label("role", r, ui.lang()),
        key="totp_policy",
    )
    clicked = st.button(ui.t("common.save"), key="totp_policy_save")
    if clicked and ui.run(set_totp_policy, actor=user, roles=roles) is not ui.FAILED:
        st.success(ui.t("account.policy_saved"))


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("account.title"))
    flash = st.session_state.pop("flash_account", None)
    if flash:
        st.success(ui.t(flash))
    if st.session_state.get("totp_forced"):
        st.warning(ui.t("account.totp_required_notice"))
    _totp(user)
    if can(user, "account.self"):
        _password(user)
    _sessions(user)
    if can(user, "security.policy"):
        _policy(user)


if __name__ == "__main__":
    st.switch_page("app.py")
