"""Users (admins): add a user, change a role, grant victim details, deactivate."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.i18n import fmt_date, label
from casebook.users import create_user, list_users, update_user
from casebook.vocab import ROLES
from ui.user_unlock import unlock_block


def _add_form(user) -> None:  # noqa: ANN001
    st.subheader(ui.t("users.add"))
    with st.form("add_user", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        username = c1.text_input(ui.t("fields.username"), key="nu_username")
        display = c2.text_input(ui.t("fields.display_name"), key="nu_display")
        role = c3.selectbox(
            ui.t("fields.role"),
            ROLES,
            index=ROLES.index("advocate"),
            format_func=lambda v: label("role", v, ui.lang()),
            key="nu_role",
        )
        password = st.text_input(ui.t("fields.password"), type="password", key="nu_password",
                                 help=ui.t("users.password_help"))  # fmt: skip
        submitted = st.form_submit_button(ui.t("users.add"), type="primary")
    if submitted:
        created = ui.run(create_user, actor=user, data={"username": username, "role": role,
                         "password": password, "display_name": display})  # fmt: skip
        if created is not ui.FAILED:
            st.success(ui.t("users.added", username=created.username))


def _edit(user, people) -> None:  # noqa: ANN001
    st.subheader(ui.t("users.change"))
    by_id = {p.id: p for p in people}
    target_id = st.selectbox(ui.t("fields.username"), list(by_id), key="eu_target",
                             format_func=lambda i: by_id[i].username)  # fmt: skip
    target = by_id[target_id]
    c1, c2, c3 = st.columns(3)
    role = c1.selectbox(
        ui.t("fields.role"),
        ROLES,
        index=ROLES.index(target.role),
        format_func=lambda v: label("role", v, ui.lang()),
        key="eu_role",
    )
    active = c2.checkbox(ui.t("fields.active"), value=target.active, key="eu_active")
    grant = c3.checkbox(ui.t("users.victim_grant"), value=target.can_see_victim_details,
                        key="eu_grant")  # fmt: skip
    if st.button(ui.t("common.save"), key="eu_save", type="primary"):
        saved = ui.run(update_user, actor=user, user_id=target.id, role=role, active=active,
                       can_see_victim_details=grant)  # fmt: skip
        if saved is not ui.FAILED:
            st.success(ui.t("users.saved", username=saved.username))


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("users.title"))
    people = ui.run(list_users, actor=user)
    if people is ui.FAILED:
        return
    lang = ui.lang()
    st.dataframe(
        [{ui.t("fields.username"): p.username, ui.t("fields.display_name"): p.display_name,
          ui.t("fields.role"): label("role", p.role, lang),
          ui.t("fields.active"): ui.t("common.yes") if p.active else ui.t("common.no"),
          ui.t("users.last_login"): fmt_date(p.last_login_at)} for p in people],
        hide_index=True, width="stretch",
    )  # fmt: skip
    _add_form(user)
    _edit(user, people)
    unlock_block(user, people)


if __name__ == "__main__":
    st.switch_page("app.py")
