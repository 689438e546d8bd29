"""Evidence register on an incident page: upload to hash, never to store."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, fmt_number, label
from casebook.incidents.evidence import (
    CUSTODY_ACTIONS,
    add_custody_event,
    list_evidence,
    register_evidence,
)


def _match_text(matches) -> str:
    items = [
        ui.t("incident_page.match_exact", incident=m.incident_id)
        if m.exact
        else ui.t("incident_page.match_near", incident=m.incident_id, distance=m.distance)
        for m in matches
    ]
    return ui.t("incident_page.matches", items=", ".join(items))


def render_evidence(user, detail) -> None:
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


def _register(user, incident_id: int) -> None:
    st.caption(ui.t("incident_page.evidence_help"))
    # A fresh key after every registration gives an empty uploader; the old file is
    # removed from Streamlit's upload store (security review M-4).
    key = f"evidence_file_{st.session_state.get('evidence_upload_n', 0)}"
    upload = st.file_uploader(ui.t("fields.file"), key=key)
    note = st.text_input(ui.t("fields.note"), key="evidence_note")
    if st.button(ui.t("incident_page.register"), key="evidence_register", disabled=upload is None):
        # The upload is hashed where it lies, in chunks; no copy of its bytes is made.
        result = ui.run(
            register_evidence,
            actor=user,
            incident_id=incident_id,
            data=upload,
            media_type=upload.type or "",
            note=note,
        )
        _drop_upload(key, upload)
        if result is not ui.FAILED:  # a failure's message stays on screen until the next click
            st.session_state["evidence_flash"] = result.evidence.sha256
            st.rerun()  # the register below shows the new row; the uploader is empty


def _drop_upload(key: str, upload) -> None:
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.uploaded_file_mgr.remove_file(ctx.session_id, upload.file_id)
    upload.close()
    st.session_state.pop(key, None)
    st.session_state["evidence_upload_n"] = st.session_state.get("evidence_upload_n", 0) + 1


def _custody(user, views) -> None:
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
