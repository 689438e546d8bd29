"""Import incidents from a spreadsheet (preview first, then all rows or none) and export
the filtered list as CSV, XLSX or JSON."""

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.importing.cells import template_bytes
from casebook.importing.export import export_bytes
from casebook.importing.run import import_incidents
from ui.import_export import export_filters, progress_callback, show_report

MIME = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _templates() -> None:
    c1, c2 = st.columns(2)
    c1.download_button(
        ui.t("imports.template_csv"),
        template_bytes("csv", ui.lang()),
        file_name="casebook-import-template.csv",
        mime=MIME["csv"],
        key="template_csv",
    )
    c2.download_button(
        ui.t("imports.template_xlsx"),
        template_bytes("xlsx", ui.lang()),
        file_name="casebook-import-template.xlsx",
        mime=MIME["xlsx"],
        key="template_xlsx",
    )


def _import(user) -> None:
    st.subheader(ui.t("imports.import_header"))
    st.caption(ui.t("imports.import_intro"))
    _templates()
    upload = st.file_uploader(ui.t("imports.upload"), type=["csv", "xlsx"], key="import_file")
    create = st.checkbox(
        ui.t("imports.create_institutions"),
        key="import_create",
        disabled=not can(user, "institution.write"),
    )
    if upload is None:
        st.session_state.pop(ui.user_key("import_report"), None)
        return
    data = upload.getvalue()
    token = (hashlib.sha256(data).hexdigest(), upload.name, bool(create))
    kwargs = {"actor": user, "data": data, "filename": upload.name, "create_institutions": create}
    if st.button(ui.t("imports.preview"), key="import_preview"):
        report = ui.run(import_incidents, dry_run=True, progress=progress_callback(), **kwargs)
        if report is not ui.FAILED:
            st.session_state[ui.user_key("import_report")] = (token, report)
    saved = st.session_state.get(ui.user_key("import_report"))
    if not saved or saved[0] != token:
        return
    report = saved[1]
    show_report(report)
    changes = report.count("create") + report.count("update")
    if report.ok and not changes:
        st.info(ui.t("imports.nothing_to_do"))
    elif report.ok and st.button(ui.t("imports.commit"), key="import_commit", type="primary"):
        done = ui.run(import_incidents, progress=progress_callback(), **kwargs)
        if done is not ui.FAILED:
            st.session_state.pop(ui.user_key("import_report"), None)
            st.success(ui.t("imports.committed", **done.summary()))


def _export(user) -> None:
    st.subheader(ui.t("imports.export_header"))
    st.caption(ui.t("imports.export_intro"))
    filters = export_filters()
    fmt = st.radio(
        ui.t("imports.format"), ["csv", "xlsx", "json"], horizontal=True, key="export_format"
    )
    victim = False
    if can(user, "incident.victim_details"):
        victim = st.checkbox(ui.t("imports.include_victim"), key="export_victim")
    if st.button(ui.t("imports.prepare"), key="export_prepare"):
        result = ui.run(export_bytes, actor=user, fmt=fmt, filters=filters, include_victim=victim)
        if result is not ui.FAILED:
            data, count = result
            st.caption(ui.t("imports.exported", count=count))
            st.download_button(
                ui.t("imports.download"),
                data,
                mime=MIME[fmt],
                file_name=f"casebook-incidents-{date.today()}.{fmt}",
                key="export_download",
                on_click="ignore",
            )


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("imports.title"))
    if can(user, "incident.import"):
        _import(user)
    if can(user, "incident.export"):
        st.divider()
        _export(user)


if __name__ == "__main__":
    st.switch_page("app.py")
