"""Evidence register on an incident page: upload to hash, never to store."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, fmt_number, label
from casebook.incidents.evidence import (
    CUSTODY_ACTIONS,
    add_custody_event,
    list_evidence,
    register_evidence,
)


def _match_text(matches) -> str:  # noqa: ANN001
    items = [
        ui.t("incident_page.match_exact", incident=m.incident_id)
        if m.exact
        else ui.t("incident_page.match_near", incident=m.incident_id, distance=m.distance)
        for m in matches
    ]
    return ui.t("incident_page.matches", items=", ".join(items))


def render_evidence(user, detail) -> None:  # noqa: ANN001
    inc, lang = detail.incident, ui.lang()
    st.subheader(ui.t("incident_page.evidence"))
    views = ui.run(list_evidence, actor=user, incident_id=inc.id)
    if views is ui.FAILED:
        return
    flash = st.session_state.pop("evidence_flash", None)
    if flash:
        st.success(ui.t("incident_page.registered", sha=flash))
    if not views:
        st.caption(ui.t("incident_page.no_evidence"))
    rows = []
    for v in views:
        ev = v.evidence
        custody = "; ".join(
            f"{fmt_date(c.at)} {label('custody_action', c.action, lang)} {c.note}".strip()
            for c in v.custody
        )
        rows.append(
            {
                "ID": ev.id,
                "SHA-256": ev.sha256,
                "pHash": ev.phash or "",
                ui.t("fields.kind"): ev.media_type,
                "bytes": fmt_number(ev.size_bytes),
                ui.t("fields.note"): ev.note,
                ui.t("incident_page.custody"): custody,
                ui.t("incident_page.matches", items=""): _match_text(v.matches)
                if v.matches
                else "",
            }
        )
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    for v in views:
        if v.matches:
            st.warning(f"#{v.evidence.id}: {_match_text(v.matches)}")
    if can(user, "evidence.write"):
        _register(user, inc.id)
        if views:
            _custody(user, views)


def _register(user, incident_id: int) -> None:  # noqa: ANN001
    st.caption(ui.t("incident_page.evidence_help"))
    upload = st.file_uploader(ui.t("fields.file"), key="evidence_file")
    note = st.text_input(ui.t("fields.note"), key="evidence_note")
    if st.button(ui.t("incident_page.register"), key="evidence_register", disabled=upload is None):
        # getvalue() hands over the bytes Streamlit holds in memory; they go to the hash
        # functions and nowhere else.
        result = ui.run(
            register_evidence,
            actor=user,
            incident_id=incident_id,
            data=upload.getvalue(),
            media_type=upload.type or "",
            note=note,
        )
        if result is not ui.FAILED:
            # Rerun so the register below shows the new row and its matches.
            st.session_state["evidence_flash"] = result.evidence.sha256
            st.rerun()


def _custody(user, views) -> None:  # noqa: ANN001
    lang = ui.lang()
    with st.form("custody"):
        st.markdown(f"**{ui.t('incident_page.add_custody')}**")
        c1, c2 = st.columns(2)
        ev_id = c1.selectbox("ID", [v.evidence.id for v in views], key="cu_evidence")
        action = c2.selectbox(
            ui.t("fields.action"),
            CUSTODY_ACTIONS[1:],
            key="cu_action",
            format_func=lambda v: label("custody_action", v, lang),
        )
        note = st.text_input(ui.t("fields.note"), key="cu_note")
        submitted = st.form_submit_button(ui.t("incident_page.add_custody"), key="cu_submit")
    if submitted:
        result = ui.run(add_custody_event, actor=user, evidence_id=ev_id, action=action, note=note)
        if result is not ui.FAILED:
            st.rerun()
