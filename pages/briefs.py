"""Briefs: choose the kind, language and parameters, see the outline, download the .docx.
Query params ``?kind=incident&id=N`` (or institution) preselect; the bytes come from
casebook.briefs, this page only offers the download."""

from __future__ import annotations

import streamlit as st

import ui
from casebook.analytics import charts
from ui import briefs as view


def render() -> None:
    user = ui.current_user()
    st.title(ui.t("briefs.ui.title"))
    st.caption(ui.t("briefs.ui.intro"))
    kinds = view.allowed_kinds(user)
    if not kinds:
        st.info(ui.t("briefs.ui.not_allowed"))
        return
    wanted = st.query_params.get("kind")
    c1, c2 = st.columns([2, 1])
    kind = c1.selectbox(
        ui.t("briefs.ui.kind"),
        kinds,
        key="brief_kind",
        index=kinds.index(wanted) if wanted in kinds else 0,
        format_func=lambda k: ui.t(f"briefs.ui.kinds.{k}"),
    )
    lang = c2.radio(
        ui.t("briefs.ui.lang"),
        ["ko", "en"],
        horizontal=True,
        key="brief_lang",
        index=0 if ui.lang() == "ko" else 1,
        format_func=lambda v: "한국어" if v == "ko" else "English",
    )
    if kind == "advocacy":  # its charts need Chromium: start it while the user chooses
        charts.warm_renderer()
    params = view.params_form(user, kind)
    view.show_outline(kind, lang)
    pdf = False
    if view.pdf_available():
        pdf = st.checkbox(ui.t("briefs.ui.pdf"), key="brief_pdf")
    else:
        st.caption(ui.t("briefs.ui.no_pdf"))
    if st.button(ui.t("briefs.ui.generate"), type="primary", key="brief_generate"):
        view.generate(user, kind, lang, params, pdf)
    view.show_result()
    view.records_section(user)


if __name__ == "__main__":
    st.switch_page("app.py")
