"""The incident form: one set of widgets for new incidents (and edits, via ``initial``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

import ui
from casebook.i18n import label
from casebook.incidents.institutions import list_institutions
from casebook.incidents.rooms import list_rooms
from casebook.incidents.store import record_incident
from casebook.vocab import (
    CONDUCTS,
    OBSTACLES,
    PLATFORMS,
    STATUSES,
    SUSPECT_AGE_BANDS,
    VICTIM_GROUPS,
)


def _count(name: str, value: int | None, col) -> int | None:
    raw = col.text_input(
        ui.t(f"fields.{name}"), value="" if value is None else str(value), key=f"f_{name}"
    )
    raw = raw.strip().replace(",", "")
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        return raw  # type: ignore[return-value]  (the domain rejects it with a message)


def incident_widgets(initial: dict[str, Any] | None = None) -> dict[str, Any]:
    """Draw the form's fields and return what the user entered, as IncidentCreate input."""
    init = initial or {}
    lang = ui.lang()
    insts = ui.run(list_institutions, limit=1000)
    insts = [] if insts is ui.FAILED else insts
    data: dict[str, Any] = {}
    data["title"] = st.text_input(
        ui.t("fields.title"), value=init.get("title", ""), key="f_title", max_chars=300
    )
    c1, c2, c3, c4 = st.columns(4)
    data["reported_on"] = c1.date_input(
        ui.t("fields.reported_on"), value=init.get("reported_on", date.today()), key="f_reported_on"
    )
    data["occurred_on"] = c2.date_input(
        ui.t("fields.occurred_on"), value=init.get("occurred_on"), key="f_occurred_on"
    )
    data["platform"] = c3.selectbox(
        ui.t("fields.platform"),
        PLATFORMS,
        key="f_platform",
        index=PLATFORMS.index(init.get("platform", "telegram")),
        format_func=lambda v: label("platform", v, lang),
    )
    data["status"] = c4.selectbox(
        ui.t("fields.status"),
        STATUSES,
        key="f_status",
        index=STATUSES.index(init.get("status", "reported")),
        format_func=lambda v: label("status", v, lang),
    )
    names = {i.id: f"{i.name} ({label('region', i.region, lang)})" for i in insts}
    data["institution_ids"] = st.multiselect(
        ui.t("fields.institution_ids"),
        list(names),
        key="f_institutions",
        default=[i for i in init.get("institution_ids", []) if i in names],
        format_func=lambda v: names.get(v, str(v)),
    )
    rooms = ui.run(list_rooms, actor=ui.current_user(), limit=500)
    room_names = (
        {}
        if rooms is ui.FAILED
        else {r.id: f"{r.label} ({label('platform', r.platform, lang)})" for r in rooms}
    )
    data["room_ids"] = st.multiselect(
        ui.t("fields.room_ids"),
        list(room_names),
        key="f_rooms",
        default=[i for i in init.get("room_ids", []) if i in room_names],
        format_func=lambda v: room_names.get(v, str(v)),
    )
    data["conducts"] = st.multiselect(
        ui.t("fields.conducts"),
        CONDUCTS,
        key="f_conducts",
        default=init.get("conducts", []),
        format_func=lambda v: label("conduct", v, lang),
    )
    n1, n2, n3, n4 = st.columns(4)
    data["victims_count"] = _count("victims_count", init.get("victims_count"), n1)
    data["victims_minor"] = _count("victims_minor", init.get("victims_minor"), n2) or 0
    data["suspects_count"] = _count("suspects_count", init.get("suspects_count"), n3)
    data["room_members"] = _count("room_members", init.get("room_members"), n4)
    data["victim_groups"] = st.multiselect(
        ui.t("fields.victim_groups"),
        VICTIM_GROUPS,
        default=init.get("victim_groups", []),
        key="f_groups",
        format_func=lambda v: label("victim_group", v, lang),
    )
    data["obstacles"] = st.multiselect(
        ui.t("fields.obstacles"),
        OBSTACLES,
        default=init.get("obstacles", []),
        key="f_obstacles",
        format_func=lambda v: label("obstacle", v, lang),
    )
    _more_fields(data, init)
    data["summary"] = st.text_area(
        ui.t("fields.summary"), value=init.get("summary", ""), key="f_summary"
    )
    url = st.text_input(
        ui.t("incidents.source_url"),
        key="f_source_url",
        value=(init.get("sources") or [{}])[0].get("url", ""),
    )
    data["sources"] = [{"title": url, "url": url}] if url.strip() else []
    contact = st.text_input(
        ui.t("fields.victim_contact"),
        key="f_contact",
        type="password",
        help=ui.t("incidents.contact_help"),
    )
    data["victim_contact"] = contact or None
    return data


def _more_fields(data: dict[str, Any], init: dict[str, Any]) -> None:
    """Estimated count, suspects by age band, relation, tags and notes."""
    lang = ui.lang()
    data["victims_estimated"] = st.checkbox(
        ui.t("fields.victims_estimated"),
        value=bool(init.get("victims_estimated")),
        key="f_estimated",
    )
    st.caption(ui.t("fields.suspects_by_age"))
    ages = init.get("suspects_by_age") or {}
    by_age: dict[str, Any] = {}
    for band, col in zip(SUSPECT_AGE_BANDS, st.columns(len(SUSPECT_AGE_BANDS)), strict=True):
        raw = col.text_input(
            label("age_band", band, lang), key=f"f_age_{band}", value=str(ages.get(band, "") or "")
        ).strip()
        if raw:
            by_age[band] = int(raw) if raw.isdigit() else raw
    data["suspects_by_age"] = by_age
    data["suspect_relation"] = st.text_input(
        ui.t("fields.suspect_relation"),
        value=init.get("suspect_relation", ""),
        key="f_relation",
        max_chars=200,
    )
    data["tags"] = st.text_input(
        ui.t("fields.tags"),
        value="; ".join(init.get("tags", [])),
        key="f_tags",
        placeholder="지인능욕; 학교",
    )
    data["notes"] = st.text_area(ui.t("fields.notes"), value=init.get("notes", ""), key="f_notes")


def render_new_incident(user) -> None:
    st.title(ui.t("incidents.new"))
    if st.button(ui.t("common.back"), key="back_from_new"):
        st.query_params.clear()
        st.rerun()
    with st.form("new_incident"):
        data = incident_widgets()
        submitted = st.form_submit_button(ui.t("common.save"), type="primary")
    if not submitted:
        return
    incident = ui.run(record_incident, actor=user, data=data)
    if incident is ui.FAILED:
        return
    st.session_state["flash_saved"] = incident.id
    st.query_params.clear()
    st.query_params["id"] = str(incident.id)
    st.rerun()
