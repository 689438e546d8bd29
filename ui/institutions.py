"""Institutions page parts: list and search, create with a duplicate check, merge, detail."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_number, label
from casebook.incidents.institutions import (
    create_institution,
    get_institution,
    likely_duplicates,
    list_institutions,
    merge_institutions,
    update_institution,
)
from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.vocab import INSTITUTION_KINDS, REGIONS


def _choice(name: str, group: str, values, col, key: str):
    picked = col.selectbox(
        ui.t(f"fields.{name}"),
        ["", *values],
        key=key,
        format_func=lambda v: ui.t("common.all") if v == "" else label(group, v, ui.lang()),
    )
    return picked or None


def render_list(user) -> None:
    lang = ui.lang()
    c1, c2, c3 = st.columns([2, 1, 1])
    text = c1.text_input(ui.t("common.search"), key="inst_search")
    kind = _choice("kind", "institution_kind", INSTITUTION_KINDS, c2, "inst_kind")
    region = _choice("region", "region", REGIONS, c3, "inst_region")
    rows = ui.run(list_institutions, text=text, kind=kind, region=region, limit=200)
    if rows is ui.FAILED:
        return
    if not rows:
        st.caption(ui.t("institutions.none"))
        return
    st.dataframe(
        [
            {
                "ID": i.id,
                ui.t("fields.name"): i.name,
                ui.t("fields.kind"): label("institution_kind", i.kind, lang),
                ui.t("fields.region"): label("region", i.region, lang),
                ui.t("fields.aliases"): ", ".join(i.aliases),
            }
            for i in rows
        ],
        hide_index=True,
        width="stretch",
    )
    names = {i.id: i.name for i in rows}
    picked = st.selectbox(
        ui.t("institutions.open"),
        [None, *names],
        key="open_institution",
        format_func=lambda v: "—" if v is None else f"#{v} {names[v]}",
    )
    if picked:
        st.query_params["id"] = str(picked)
        st.rerun()


def render_create(user) -> None:
    """Check for likely duplicates first; create only when none, or when told it differs."""
    if not can(user, "institution.write"):
        return
    lang = ui.lang()
    st.subheader(ui.t("institutions.new"))
    c1, c2, c3 = st.columns([2, 1, 1])
    name = c1.text_input(ui.t("fields.name"), key="ni_name", max_chars=200)
    kind = c2.selectbox(
        ui.t("fields.kind"),
        INSTITUTION_KINDS,
        key="ni_kind",
        format_func=lambda v: label("institution_kind", v, lang),
    )
    region = c3.selectbox(
        ui.t("fields.region"),
        REGIONS,
        key="ni_region",
        format_func=lambda v: label("region", v, lang),
    )
    aliases = st.text_input(ui.t("fields.aliases"), key="ni_aliases", placeholder="서울대; SNU")
    data = {"name": name, "kind": kind, "region": region, "aliases": aliases}
    pending = st.session_state.get("ni_pending")
    if st.button(ui.t("institutions.check"), key="ni_check", type="primary"):
        dups = ui.run(likely_duplicates, name=name, aliases=aliases.split(";"))
        if dups is ui.FAILED:
            return
        if not dups:
            _create(user, data)
            return
        st.session_state["ni_pending"] = pending = {
            "data": data,
            "dups": [(d.institution.id, d.institution.name, d.score, d.matched) for d in dups],
        }
    if pending and pending["data"] == data:
        st.warning(ui.t("institutions.duplicates"))
        st.dataframe(
            [
                {
                    "ID": i,
                    ui.t("fields.name"): n,
                    ui.t("institutions.score"): s,
                    ui.t("institutions.matched"): m,
                }
                for i, n, s, m in pending["dups"]
            ],
            hide_index=True,
        )
        if st.button(ui.t("institutions.create_anyway"), key="ni_anyway"):
            _create(user, data)


def _create(user, data: dict) -> None:
    inst = ui.run(create_institution, actor=user, data=data)
    if inst is ui.FAILED:
        return
    st.session_state.pop("ni_pending", None)
    st.success(ui.t("institutions.created"))


def render_merge(user) -> None:
    if not can(user, "institution.merge"):
        return
    rows = ui.run(list_institutions, limit=1000)
    if rows is ui.FAILED or len(rows) < 2:
        return
    names = {i.id: f"#{i.id} {i.name}" for i in rows}
    with st.expander(ui.t("institutions.merge")):
        c1, c2 = st.columns(2)
        source = c1.selectbox(
            ui.t("institutions.merge_source"), list(names), key="mg_source", format_func=names.get
        )
        target = c2.selectbox(
            ui.t("institutions.merge_target"),
            list(names),
            key="mg_target",
            format_func=names.get,
            index=1,
        )
        if st.button(ui.t("institutions.merge"), key="mg_submit"):
            result = ui.run(_merge_and_count, actor=user, source_id=source, target_id=target)
            if result is not ui.FAILED:
                st.success(ui.t("institutions.merged", count=fmt_number(result)))


def _merge_and_count(session, *, actor, source_id: int, target_id: int) -> int:
    merge_institutions(session, actor=actor, source_id=source_id, target_id=target_id)
    from casebook.access.audit import list_audit  # the merge's own audit row holds the count

    row = list_audit(session, actor=actor, action="institution.merge", limit=1)[0]
    return len(row.after["incidents_moved"])


def render_detail(user, institution_id: int) -> None:
    lang = ui.lang()
    if st.button(ui.t("common.back"), key="inst_back"):
        st.query_params.clear()
        st.rerun()
    inst = ui.run(get_institution, institution_id=institution_id)
    if inst is ui.FAILED:
        return
    st.title(f"{ui.t('institutions.title')} #{inst.id}")
    st.text(inst.name)  # user text: never Markdown (a name could fetch an image)
    c1, c2, c3 = st.columns(3)
    c1.metric(ui.t("fields.kind"), label("institution_kind", inst.kind, lang))
    c2.metric(ui.t("fields.region"), label("region", inst.region, lang))
    page = ui.run(
        list_incidents,
        actor=user,
        filters=IncidentFilter(institution_id=institution_id),
        page_size=50,
    )
    if page is ui.FAILED:
        return
    c3.metric(ui.t("institutions.incidents"), fmt_number(page.total))
    if inst.aliases:
        st.text(f"{ui.t('fields.aliases')}: {', '.join(inst.aliases)}")
    ui.page_link("briefs", ui.t("institutions.brief"), kind="institution", id=institution_id)
    st.subheader(ui.t("institutions.incidents"))
    st.dataframe(
        [
            {
                "ID": r.id,
                ui.t("fields.reported_on"): r.reported_on.isoformat(),
                ui.t("fields.title"): r.title,
                ui.t("fields.status"): label("status", r.status, lang),
                ui.t("fields.victims_count"): fmt_number(r.victims_count),
            }
            for r in page.rows
        ],
        hide_index=True,
        width="stretch",
    )
    ui.page_link("incidents", ui.t("nav.incidents"))
    if can(user, "institution.write"):
        _edit(user, inst)


def _edit(user, inst) -> None:
    """An Edit button; once open, the form starts from the values stored when it was
    opened and saves against that version, so a save made meanwhile by someone else is
    refused (StaleEdit) and this person's input stays on screen."""
    key = ui.user_key(f"edit_inst_{inst.id}")
    if st.session_state.pop(ui.user_key("flash_inst_saved"), None) == inst.id:
        st.success(ui.t("institutions.saved"))
    if key not in st.session_state:
        if st.button(ui.t("institutions.edit"), key="ei_open", icon=":material/edit:"):
            st.session_state[key] = {
                "version": inst.version,
                "initial": {
                    "name": inst.name,
                    "kind": inst.kind,
                    "region": inst.region,
                    "aliases": "; ".join(inst.aliases),
                },
            }
            st.rerun()
        return
    state = st.session_state[key]
    data, submitted = _edit_form(state["initial"], f"{inst.id}_{state['version']}")
    if st.button(ui.t("incident_page.cancel_edit"), key="ei_close"):
        st.session_state.pop(key, None)
        st.rerun()
    if not submitted:
        return
    result = ui.run(
        update_institution,
        actor=user,
        institution_id=inst.id,
        expected_version=state["version"],
        data=data,
    )
    if result is ui.FAILED:
        return  # the stale or invalid message is shown; the input stays in the widgets
    st.session_state.pop(key, None)
    st.session_state[ui.user_key("flash_inst_saved")] = inst.id
    st.rerun()


def _edit_form(initial: dict, k: str) -> tuple[dict, bool]:
    lang = ui.lang()
    with st.form(f"edit_institution_{k}"):
        name = st.text_input(ui.t("fields.name"), value=initial["name"], key=f"ei_name_{k}")
        c1, c2 = st.columns(2)
        kind = c1.selectbox(
            ui.t("fields.kind"),
            INSTITUTION_KINDS,
            key=f"ei_kind_{k}",
            index=INSTITUTION_KINDS.index(initial["kind"]),
            format_func=lambda v: label("institution_kind", v, lang),
        )
        region = c2.selectbox(
            ui.t("fields.region"),
            REGIONS,
            key=f"ei_region_{k}",
            index=REGIONS.index(initial["region"]),
            format_func=lambda v: label("region", v, lang),
        )
        aliases = st.text_input(
            ui.t("fields.aliases"), value=initial["aliases"], key=f"ei_aliases_{k}"
        )
        submitted = st.form_submit_button(ui.t("common.save"), key="ei_submit")
    return {"name": name, "kind": kind, "region": region, "aliases": aliases}, submitted
