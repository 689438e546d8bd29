"""The sections of the "What is due" page: the list, the calendar file, and the forms
to add or finish tasks and to confirm, correct or start legal deadlines.

Lists are shown with st.dataframe, which prints user text as typed (no Markdown).
Choice labels are worked out when the script runs (``format_func`` is a lookup), so a
label never depends on when Streamlit calls it.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.incidents import deadlines, due, tasks
from casebook.law.periods import deadline_rules
from db.models import User

FLASH = "due_flash"


def saved(key: str) -> None:
    """Rerun so the list shows the change, with the confirmation shown once above it."""
    st.session_state[FLASH] = key
    st.rerun()


def flash() -> None:
    key = st.session_state.pop(FLASH, None)
    if key:
        st.success(ui.t(key))


def _state(item: due.DueItem) -> str:
    return ui.t(f"due.state_{item.state}")


def due_table(items: list[due.DueItem], names: dict[int, str]) -> None:
    if not items:
        st.info(ui.t("due.none"))
        return
    rows = [
        {
            ui.t("due.col_due"): item.due_on.isoformat()
            if item.due_on
            else ui.t("due.no_limitation"),
            ui.t("due.overdue"): "●" if item.overdue else "",
            ui.t("due.col_what"): f"{ui.t('due.kind_' + item.kind)}: {item.title}",
            ui.t("due.col_incident"): f"#{item.incident_id} {item.incident_title}",
            ui.t("due.col_state"): _state(item),
            ui.t("due.col_who"): names.get(item.assignee_id, "") if item.assignee_id else "",
            ui.t("due.col_source"): item.citation,
        }
        for item in items
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    if any(i.kind == "deadline" and not i.certain for i in items):
        st.warning(ui.t("due.computed_warning"))


def calendar_download(user: User) -> None:
    data = ui.run(due.calendar_feed, actor=user, lang=ui.lang())
    if data is ui.FAILED:
        return
    st.download_button(
        ui.t("due.ics_download"),
        data=data,
        file_name="casebook-due.ics",
        mime="text/calendar",
        key="due_ics",
    )
    st.caption(ui.t("due.ics_help"))


def _optional_date(label: str, key: str) -> date | None:
    # Streamlit's default range is ten years either side of today: a victim's birth date
    # or the end of an old act would be out of reach.
    value = st.date_input(
        label,
        value=None,
        key=key,
        format="YYYY-MM-DD",
        min_value=date(1900, 1, 1),
        max_value=date(2100, 12, 31),
    )
    return value if isinstance(value, date) else None


def add_task_form(user: User, people: list[User]) -> None:
    with st.expander(ui.t("due.add_task")), st.form("due_add_task", clear_on_submit=True):
        incident_id = st.number_input(
            ui.t("due.incident_id"), min_value=1, step=1, key="due_task_incident"
        )
        title = st.text_input(ui.t("due.task_title"), max_chars=300, key="due_task_title")
        options = [None] + [p.id for p in people]
        names = {p.id: p.display_name or p.username for p in people}
        assignee = st.selectbox(
            ui.t("due.task_assignee"),
            options,
            key="due_task_assignee",
            format_func={None: ui.t("due.nobody"), **names}.get,
        )
        due_on = _optional_date(ui.t("due.task_due"), "due_task_due")
        if st.form_submit_button(ui.t("due.add_task")):
            row = ui.run(
                tasks.add_task,
                actor=user,
                incident_id=int(incident_id),
                title=title,
                assignee_id=assignee,
                due_on=due_on,
            )
            if row is not ui.FAILED:
                saved("due.task_added")


def _item_label(item: due.DueItem) -> str:
    when = item.due_on.isoformat() if item.due_on else ui.t("due.no_limitation")
    return f"{when} · {ui.t('due.kind_' + item.kind)} · #{item.incident_id} · {_state(item)}"


def finish_task_form(user: User, items: list[due.DueItem]) -> None:
    open_tasks = [i for i in items if i.kind == "task"]
    if not open_tasks:
        return
    with st.expander(ui.t("due.mark_done")):
        choice = st.selectbox(
            ui.t("due.kind_task"),
            range(len(open_tasks)),
            key="due_done_pick",
            format_func=[_item_label(i) for i in open_tasks].__getitem__,
        )
        st.text(open_tasks[choice].title)
        if st.button(ui.t("due.mark_done"), key="due_done"):
            row = ui.run(
                tasks.set_task_done,
                actor=user,
                task_id=open_tasks[choice].item_id,
                done_on=date.today(),
            )
            if row is not ui.FAILED:
                saved("due.done_saved")


def confirm_form(user: User, items: list[due.DueItem]) -> None:
    """A lawyer confirms the computed date or enters the right one."""
    pending = [i for i in items if i.kind == "deadline" and i.due_on is not None]
    if not pending or not can(user, "deadline.write"):
        return
    with st.expander(ui.t("due.confirm")):
        n = st.selectbox(
            ui.t("due.kind_deadline"),
            range(len(pending)),
            key="due_confirm_pick",
            format_func=[f"{i.title} · {_item_label(i)}" for i in pending].__getitem__,
        )
        item = pending[n]
        st.caption(f"{item.citation} — {item.url}")
        day = st.date_input(
            ui.t("due.confirm_date"), value=item.due_on, key=f"due_confirm_{n}", format="YYYY-MM-DD"
        )
        if st.button(ui.t("due.confirm"), key="due_confirm"):
            row = ui.run(
                deadlines.confirm_deadline,
                actor=user,
                incident_id=item.incident_id,
                rule_id=item.rule_id,
                trigger_on=item.trigger_on,
                due_on=day,
                expected_version=item.version,
            )
            if row is not ui.FAILED:
                saved("due.confirmed_saved")


def start_form(user: User) -> None:
    if not can(user, "deadline.write"):
        return
    rules = deadline_rules().rules
    with st.expander(ui.t("due.start_rule")), st.form("due_start", clear_on_submit=True):
        st.caption(ui.t("due.start_rule_help"))
        incident_id = st.number_input(
            ui.t("due.incident_id"), min_value=1, step=1, key="due_start_incident"
        )
        n = st.selectbox(
            ui.t("due.rule"),
            range(len(rules)),
            key="due_start_rule",
            format_func=[getattr(r.title, ui.lang()) for r in rules].__getitem__,
        )
        start = _optional_date(ui.t("due.trigger_on"), "due_start_on")
        if st.form_submit_button(ui.t("due.start_rule")):
            row = ui.run(
                deadlines.start_deadline,
                actor=user,
                incident_id=int(incident_id),
                rule_id=rules[n].id,
                trigger_on=start,
            )
            if row is not ui.FAILED:
                saved("due.started")


def limitation_form(user: User) -> None:
    """A lawyer works out a limitation period; the victim's birth date is used for the
    count only and is not kept (casebook.incidents.deadlines.add_limitation)."""
    if not can(user, "deadline.write"):
        return
    rules = deadline_rules().limitation
    entries = [None] + [n.id for n in rules.no_limitation]
    labels = {None: ui.t("due.limitation_applies")}
    labels |= {
        n.id: f"{n.source.citation}: {getattr(n.summary, ui.lang())}" for n in rules.no_limitation
    }
    with st.expander(ui.t("due.limitation")), st.form("due_limitation", clear_on_submit=True):
        st.caption(getattr(rules.summary, ui.lang()))
        incident_id = st.number_input(
            ui.t("due.incident_id"), min_value=1, step=1, key="due_lim_incident"
        )
        ended = _optional_date(ui.t("fields.act_ended_on"), "due_lim_ended")
        years = st.number_input(
            ui.t("fields.prison_max_years"),
            min_value=0.0,
            max_value=100.0,
            value=7.0,
            step=0.5,
            key="due_lim_years",
        )
        life = st.checkbox(ui.t("due.limitation_life"), key="due_lim_life")
        birth = _optional_date(ui.t("fields.victim_birth"), "due_lim_birth")
        st.caption(ui.t("due.limitation_birth_help"))
        minor = st.checkbox(ui.t("due.limitation_minor_rule"), value=True, key="due_lim_minor")
        entry = st.selectbox(
            ui.t("fields.no_limitation"), entries, key="due_lim_none", format_func=labels.get
        )
        if st.form_submit_button(ui.t("due.limitation")):
            row = ui.run(
                deadlines.add_limitation,
                actor=user,
                incident_id=int(incident_id),
                act_ended_on=ended,
                prison_max_years=years,
                life=life,
                victim_birth=birth,
                minor_rule_applies=minor,
                no_limitation_id=entry,
            )
            if row is not ui.FAILED:
                saved("due.started")
