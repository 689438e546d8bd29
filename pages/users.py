"""Users (admins): add a user, change a role, grant victim details, deactivate."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.users import create_user, list_users, update_user
from casebook.errors import StaleEdit
from casebook.i18n import fmt_date, label
from casebook.vocab import ROLES
from ui.users import unlock_block


def _add_form(user) -> None:
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
        password = st.text_input(
            ui.t("fields.password"),
            type="password",
            key="nu_password",
            help=ui.t("users.password_help"),
        )
        submitted = st.form_submit_button(ui.t("users.add"), type="primary")
    if submitted:
        created = ui.run(
            create_user,
            actor=user,
            data={
                "username": username,
                "role": role,
                "password": password,
                "display_name": display,
            },
        )
        if created is not ui.FAILED:
            st.success(ui.t("users.added", username=created.username))


_EDITABLE = ("role", "active", "can_see_victim_details")


def _shown(target) -> dict:
    """The stored values the change form shows, with the version they were read at.

    Widget keys carry the user's id and this version, so picking another user shows that
    user's own values (Streamlit keeps a keyed widget's state and ignores a new default).
    When the user was changed since the previous run showed the form, the form reopens on
    the stored values and says so, and the save is checked against the version shown.
    """
    key = ui.user_key("eu_shown")
    shown = st.session_state.get(key)
    if shown is None or shown["id"] != target.id or shown["version"] != target.version:
        if shown is not None and shown["id"] == target.id:
            st.warning(ui.t("users.stale"))
        shown = {"id": target.id, "version": target.version}
        shown |= {name: getattr(target, name) for name in _EDITABLE}
        st.session_state[key] = shown
    return shown


def _edit(user, people) -> None:
    st.subheader(ui.t("users.change"))
    if flash := st.session_state.pop(ui.user_key("eu_flash"), None):
        st.success(ui.t("users.saved", username=flash))
    by_id = {p.id: p for p in people}
    target_id = st.selectbox(
        ui.t("fields.username"),
        list(by_id),
        key="eu_target",
        format_func=lambda i: by_id[i].username,
    )
    target = by_id[target_id]
    shown = _shown(target)
    k = f"{shown['id']}_{shown['version']}"
    c1, c2, c3 = st.columns(3)
    values = {
        "role": c1.selectbox(
            ui.t("fields.role"),
            ROLES,
            index=ROLES.index(shown["role"]),
            format_func=lambda v: label("role", v, ui.lang()),
            key=f"eu_role_{k}",
        ),
        "active": c2.checkbox(ui.t("fields.active"), value=shown["active"], key=f"eu_active_{k}"),
        "can_see_victim_details": c3.checkbox(
            ui.t("users.victim_grant"), value=shown["can_see_victim_details"], key=f"eu_grant_{k}"
        ),
    }
    changes = {name: value for name, value in values.items() if value != shown[name]}
    confirmed = _confirm_role(target, shown, changes, k)
    if not st.button(ui.t("common.save"), key="eu_save", type="primary"):
        return
    if not changes:
        st.info(ui.t("users.nothing_changed"))
        return
    if not confirmed:
        st.error(ui.t("users.confirm_needed"))
        return
    saved = ui.run(_save, actor=user, user_id=target.id, version=shown["version"], changes=changes)
    if saved is ui.FAILED:
        return
    if saved != "stale":  # a stale save: the next run reopens on the stored values
        st.session_state.pop(ui.user_key("eu_shown"), None)
        st.session_state[ui.user_key("eu_flash")] = saved
    st.rerun()


def _confirm_role(target, shown: dict, changes: dict, k: str) -> bool:
    """A role change needs an explicit tick, naming the old and the new role."""
    if "role" not in changes:
        return True
    lang = ui.lang()
    st.warning(
        ui.t(
            "users.role_change",
            username=target.username,
            old=label("role", shown["role"], lang),
            new=label("role", changes["role"], lang),
        )
    )
    return st.checkbox(ui.t("users.confirm_role"), key=f"eu_confirm_{k}_{changes['role']}")


def _save(session, *, actor, user_id: int, version: int, changes: dict) -> str:
    """Save the changes; "stale" when someone changed this user after the form was shown
    (the domain's compare-and-set caught a save made between this run's read and write)."""
    try:
        return update_user(
            session, actor=actor, user_id=user_id, expected_version=version, **changes
        ).username
    except StaleEdit:
        return "stale"


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("users.title"))
    people = ui.run(list_users, actor=user)
    if people is ui.FAILED:
        return
    lang = ui.lang()
    st.dataframe(
        [
            {
                ui.t("fields.username"): p.username,
                ui.t("fields.display_name"): p.display_name,
                ui.t("fields.role"): label("role", p.role, lang),
                ui.t("fields.active"): ui.t("common.yes") if p.active else ui.t("common.no"),
                ui.t("users.last_login"): fmt_date(p.last_login_at),
            }
            for p in people
        ],
        hide_index=True,
        width="stretch",
    )
    _add_form(user)
    _edit(user, people)
    unlock_block(user, people)


if __name__ == "__main__":
    st.switch_page("app.py")
