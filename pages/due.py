"""What is due: the signed-in user's (or the group's) open tasks and legal deadlines,
overdue first, with a calendar file and the forms that change them."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.incidents import due
from ui import due as sections
from ui import removals


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("due.title"))
    st.caption(ui.t("due.intro"))
    sections.flash()
    scope = st.radio(
        ui.t("fields.scope"),
        list(due.SCOPES),
        horizontal=True,
        key="due_scope",
        format_func={s: ui.t(f"due.scope_{s}") for s in due.SCOPES}.get,
    )
    items = ui.run(due.what_is_due, actor=user, scope=scope, lang=ui.lang())
    people = ui.run(due.assignable_users, actor=user)
    if items is ui.FAILED or people is ui.FAILED:
        return
    names = {p.id: p.display_name or p.username for p in people}
    sections.due_table(items, names)
    sections.calendar_download(user)
    sections.add_task_form(user, people)
    sections.finish_task_form(user, items)
    sections.confirm_form(user, items)
    sections.start_form(user)
    sections.limitation_form(user)
    removals.recheck_form(user, items, sections.saved)
    removals.request_form(user, sections.saved)
    removals.step_form(user, sections.saved)


if __name__ == "__main__":
    st.switch_page("app.py")
