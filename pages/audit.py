"""Audit log (admins): filters by entity, action, user and date; server-side paging."""

from __future__ import annotations

import json

import streamlit as st

import ui
from casebook.access.audit import AuditFilter, audit_choices, audit_page, check_chain
from casebook.i18n import fmt_date, fmt_number


def _pick(name: str, values: list[str], col) -> str | None:
    everything = ui.t("common.all")  # bound now: format_func may run outside a script run
    picked = col.selectbox(
        ui.t(f"audit.{name}"),
        ["", *values],
        key=f"aud_{name}",
        format_func=lambda v: everything if v == "" else v,
    )
    return picked or None


def _filters(user) -> AuditFilter | None:
    choices = ui.run(audit_choices, actor=user)
    if choices is ui.FAILED:
        return None
    c1, c2, c3, c4, c5 = st.columns(5)
    return AuditFilter(
        entity=_pick("entity", choices["entity"], c1),
        action=_pick("action", choices["action"], c2),
        username=_pick("user", choices["username"], c3),
        date_from=c4.date_input(ui.t("fields.date_from"), value=None, key="aud_from"),
        date_to=c5.date_input(ui.t("fields.date_to"), value=None, key="aud_to"),
    )


def _changes(row) -> str:
    parts = {k: v for k, v in (("before", row.before), ("after", row.after)) if v}
    return json.dumps(parts, ensure_ascii=False, sort_keys=True) if parts else ""


def _table(rows) -> None:
    # st.dataframe shows every value as plain text: nothing in the trail is rendered.
    st.dataframe(
        [
            {
                "#": r.id,
                ui.t("audit.at"): fmt_date(r.at),
                ui.t("audit.user"): r.actor_name,
                ui.t("audit.action"): r.action,
                ui.t("audit.entity"): r.entity,
                ui.t("audit.entity_id"): r.entity_id,
                ui.t("audit.details"): _changes(r),
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )


def _verify(user) -> None:
    if st.button(ui.t("audit.verify"), key="aud_verify"):
        report = ui.run(check_chain, actor=user)
        if report is ui.FAILED:
            return
        if report.ok:
            st.success(ui.t("audit.chain_ok", rows=fmt_number(report.rows)))
        elif report.first_bad_id and report.reason not in ("nohead", "empty", "anchor"):
            st.error(ui.t("audit.chain_broken", row=report.first_bad_id))
        else:
            st.error(ui.t("audit.chain_broken_whole"))


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("audit.title"))
    _verify(user)
    filters = _filters(user)
    if filters is None:
        return
    if st.session_state.get("aud_last_filters") != filters:
        st.session_state["aud_last_filters"] = filters
        st.session_state["aud_page"] = 1
    page = ui.run(
        audit_page, actor=user, filters=filters, page=int(st.session_state.get("aud_page", 1))
    )
    if page is ui.FAILED:
        return
    st.caption(
        ui.t("common.page_of", page=page.page, pages=page.pages, total=fmt_number(page.total))
    )
    _table(page.rows)
    b1, b2, _ = st.columns([1, 1, 6])
    ui.page_buttons(b1, b2, page, "aud_page", ("aud_prev", "aud_next"))


if __name__ == "__main__":
    st.switch_page("app.py")
