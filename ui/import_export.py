"""Drawing helpers for the import / export page (pages/import_export.py)."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.i18n import label
from casebook.importing.report import ImportReport
from casebook.incidents.queries import IncidentFilter
from casebook.vocab import INSTITUTION_KINDS, PLATFORMS, REGIONS, STATUSES

PREVIEW_ROWS = 200


def column_label(column: str) -> str:
    key = f"fields.{column}"
    text = ui.t(key)
    return column if text == key else text


def progress_callback():
    """A progress bar and the callback the importer calls with (fraction, phase)."""
    bar = st.progress(0.0, text=ui.t("imports.progress_read"))

    def update(fraction: float, phase: str) -> None:
        bar.progress(max(0.0, min(fraction, 1.0)), text=ui.t(f"imports.progress_{phase}"))

    return update


def show_report(report: ImportReport) -> None:
    """The preview: counts, problems by row/column/reason, institutions, planned rows."""
    st.caption(ui.t("imports.summary", **report.summary()))
    if report.ignored_columns:
        ignored = ui.plain(", ".join(report.ignored_columns))
        st.caption(ui.t("imports.ignored_columns", columns=ignored))
    if report.problems:
        st.subheader(ui.t("imports.problems_header"))
        st.dataframe(
            [
                {
                    ui.t("imports.col_row"): p.row,
                    ui.t("imports.col_column"): column_label(p.column),
                    ui.t("imports.col_problem"): ui.t(p.key),
                    ui.t("imports.col_value"): p.value,
                }
                for p in report.problems
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.success(ui.t("imports.no_problems"))
    if report.suggestions:
        st.subheader(ui.t("imports.suggestions_header"))
        st.dataframe(
            [
                {
                    ui.t("imports.col_name"): name,
                    ui.t("imports.col_suggestions"): ", ".join(near) or "—",
                }
                for name, near in report.suggestions.items()
            ],
            hide_index=True,
            width="stretch",
        )
    if report.new_institutions:
        names = ui.plain(", ".join(report.new_institutions))
        st.caption(ui.t("imports.new_institutions", names=names))
    if report.rows:
        st.dataframe(
            [
                {
                    ui.t("imports.col_row"): r.row,
                    ui.t("imports.col_action"): ui.t(f"imports.action_{r.action}"),
                    ui.t("fields.external_id"): r.form.external_id or "",
                    ui.t("fields.title"): r.form.title,
                    ui.t("fields.reported_on"): r.form.reported_on.isoformat(),
                }
                for r in report.rows[:PREVIEW_ROWS]
            ],
            hide_index=True,
            width="stretch",
        )


def _choice(name: str, group: str, values: tuple[str, ...], col) -> str | None:
    lang, everything = ui.lang(), ui.t("common.all")  # bound now: AppTest formats later
    picked = col.selectbox(
        ui.t(f"fields.{name}"),
        ["", *values],
        key=f"exp_{name}",
        format_func=lambda v: everything if v == "" else label(group, v, lang),
    )
    return picked or None


def export_filters() -> IncidentFilter:
    text = st.text_input(ui.t("common.search"), key="exp_text")
    c1, c2, c3, c4 = st.columns(4)
    region = _choice("region", "region", REGIONS, c1)
    kind = _choice("kind", "institution_kind", INSTITUTION_KINDS, c2)
    status = _choice("status", "status", STATUSES, c3)
    platform = _choice("platform", "platform", PLATFORMS, c4)
    d1, d2 = st.columns(2)
    date_from = d1.date_input(ui.t("fields.date_from"), value=None, key="exp_from")
    date_to = d2.date_input(ui.t("fields.date_to"), value=None, key="exp_to")
    return IncidentFilter(
        text=text,
        region=region,
        kind=kind,
        status=status,
        platform=platform,
        date_from=date_from,
        date_to=date_to,
    )
