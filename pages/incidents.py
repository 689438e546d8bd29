"""Incidents: a filtered, server-side paged list; ?id=N opens one incident; ?new=1 a form."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, fmt_number, label
from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.vocab import CONDUCTS, INSTITUTION_KINDS, PLATFORMS, REGIONS, STATUSES
from ui.incident import view as incident_view
from ui.incident.filters import more_filters
from ui.incident.form import render_new_incident


def _choice(name: str, group: str, values: tuple[str, ...], col) -> str | None:
    options = [""] + list(values)
    picked = col.selectbox(
        ui.t(f"fields.{name}"),
        options,
        key=f"flt_{name}",
        format_func=lambda v: ui.t("common.all") if v == "" else label(group, v, ui.lang()),
    )
    return picked or None


def _filters(user) -> IncidentFilter:
    text = ""
    # casebook refuses a text search to a reader without incident.text; don't offer it.
    if can(user, "incident.text"):
        text = st.text_input(
            ui.t("common.search"), key="flt_text", placeholder=ui.t("incidents.search_hint")
        )
    c1, c2, c3, c4, c5 = st.columns(5)
    region = _choice("region", "region", REGIONS, c1)
    kind = _choice("kind", "institution_kind", INSTITUTION_KINDS, c2)
    status = _choice("status", "status", STATUSES, c3)
    platform = _choice("platform", "platform", PLATFORMS, c4)
    conduct = _choice("conducts", "conduct", CONDUCTS, c5)
    d1, d2, d3 = st.columns(3)
    date_from = d1.date_input(ui.t("fields.date_from"), value=None, key="flt_from")
    date_to = d2.date_input(ui.t("fields.date_to"), value=None, key="flt_to")
    minors = d3.checkbox(ui.t("incidents.minors_only"), key="flt_minors")
    return IncidentFilter(
        text=text,
        region=region,
        kind=kind,
        status=status,
        platform=platform,
        conduct=conduct,
        date_from=date_from,
        date_to=date_to,
        minors=True if minors else None,
    )


def _table(rows) -> None:
    lang = ui.lang()
    data = [
        {
            "ID": r.id,
            ui.t("fields.reported_on"): fmt_date(r.reported_on),
            ui.t("fields.title"): r.title,
            ui.t("fields.status"): label("status", r.status, lang),
            ui.t("fields.region"): label("region", r.region, lang),
            ui.t("fields.kind"): label("institution_kind", r.institution_kind, lang),
            ui.t("fields.victims_count"): fmt_number(r.victims_count),
            ui.t("fields.victims_minor"): fmt_number(r.victims_minor),
        }
        for r in rows
    ]
    st.dataframe(data, hide_index=True, width="stretch")


def _list(user) -> None:
    st.title(ui.t("incidents.title"))
    if can(user, "incident.write") and st.button(ui.t("incidents.new"), key="new_incident"):
        st.query_params["new"] = "1"
        st.rerun()
    filters, sort = more_filters(_filters(user))
    page_no = int(st.session_state.get("incident_page", 1))
    page = ui.run(
        list_incidents, actor=user, filters=filters, page=page_no, page_size=50, sort=sort
    )
    if page is ui.FAILED:
        return
    st.caption(
        ui.t("common.page_of", page=page.page, pages=page.pages, total=fmt_number(page.total))
    )
    _table(page.rows)
    b1, b2, b3 = st.columns([1, 1, 4])
    ui.page_buttons(b1, b2, page, "incident_page", ("prev_page", "next_page"))
    ids = [r.id for r in page.rows]
    if ids:
        picked = b3.selectbox(
            ui.t("incidents.open"),
            [None, *ids],
            key="open_incident",
            format_func=lambda v: "—" if v is None else f"#{v}",
        )
        if picked:
            st.query_params["id"] = str(picked)
            st.rerun()


def render() -> None:
    user = ui.current_user()
    if "new" in st.query_params:
        # The domain refuses the save anyway; a role that may not record incidents is not
        # shown the form either, only a message saying so.
        if can(user, "incident.write"):
            render_new_incident(user)
        else:
            st.title(ui.t("incidents.title"))
            st.info(ui.t("incidents.new_not_allowed"))
        return
    raw_id = st.query_params.get("id")
    if raw_id and raw_id.isdigit():
        incident_view.render_incident(user, int(raw_id))
        return
    _list(user)


if __name__ == "__main__":
    st.switch_page("app.py")
