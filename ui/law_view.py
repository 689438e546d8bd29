"""Streamlit pieces of the law library: formatting and tables built from casebook.law.engine
answers. Data text is shown with st.write/st.dataframe only, never as HTML."""

from __future__ import annotations

from typing import Any

import streamlit as st

import ui
from casebook.i18n import label
from casebook.law.penalty import penalty_words
from casebook.law.schema import Paragraph, Version


def penalty_text(lo: float | None, hi: float | None, life: bool, fine: int | None) -> str:
    """'무기 또는 5년 이상의 징역' / 'imprisonment for life or for not less than 5 years'."""
    return penalty_words(lo, hi, life, fine, ui.lang())


def _provision_words(p: Any, lang: str) -> str:
    name = f"{p.law if lang == 'ko' else p.law_en} {p.article if lang == 'ko' else p.article_en}"
    pen = penalty_words(p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw, lang)
    return f"{name} ({pen})"


def span_rows(conduct: str, victim: str, start: Any, end: Any, lang: str) -> list[dict[str, Any]]:
    """One row per part of a span (law.engine.applicable_span): dates, verdict, provisions."""
    from casebook.law import engine as law

    rows = []
    for part in law.applicable_span(conduct, victim, start, end).parts:
        provisions = " / ".join(_provision_words(p, lang) for p in part.provisions)
        rows.append(
            {
                ui.t("law.span_part"): f"{part.start} ~ {part.end}",
                ui.t("law.span_verdict"): ui.t(
                    "law.criminal" if part.criminal else "law.not_criminal"
                ),
                ui.t("law.provision"): provisions,
                ui.t("law.version_id"): ", ".join(part.version_ids),
            }
        )
    return rows


def _words(group: str, values: list[str]) -> str:
    return ", ".join(label(group, v, ui.lang()) for v in values)


def _materials(values: list[str]) -> str:
    return ", ".join(ui.t(f"law.material_values.{v}") for v in values)


def paragraph_rows(version: Version, marked: set[str] = frozenset()) -> list[dict[str, Any]]:
    """One row per paragraph; paragraphs in ``marked`` (changed ones) carry a ● mark."""
    lang = ui.lang()
    rows = []
    for par in version.paragraphs:
        rows.append(
            {
                ui.t("law.paragraph"): ("● " if par.para in marked else "") + par.para,
                ui.t("law.conducts"): _words("conduct", list(par.conducts)),
                ui.t("law.victims"): label("victim", par.victims, lang),
                ui.t("law.materials"): _materials(list(par.materials)),
                ui.t("law.penalty"): _paragraph_penalty(par),
                ui.t("law.requirements"): " / ".join(getattr(r, lang) for r in par.requirements),
                ui.t("law.summary"): getattr(par.summary, lang),
            }
        )
    return rows


def _paragraph_penalty(par: Paragraph) -> str:
    pen = par.penalty
    if pen is None:
        return ""
    hi = None if pen.life else pen.prison_max_years
    return penalty_text(pen.prison_min_years, hi, pen.life, pen.fine_max_krw)


def show_version(version: Version, marked: set[str] = frozenset()) -> None:
    """A version: verified flag, summary, paragraphs and source."""
    lang = ui.lang()
    period = f"{version.in_force_from} – {version.in_force_to or ui.t('law.open_ended')}"
    st.caption(f"{ui.t('law.version_id')}: {version.id} · {period}")
    if version.verified:
        st.success(ui.t("law.verified"), icon=":material/verified:")
    else:
        st.warning(f"{ui.t('law.unverified')}: {version.verification_note}", icon=":material/help:")
    st.write(getattr(version.summary, lang))
    if version.paragraphs:
        st.dataframe(paragraph_rows(version, marked), hide_index=True, width="stretch")
    show_source(version)


def show_source(version: Version) -> None:
    src = version.source
    note = "" if src.citation_verified else f" ({ui.t('law.unverified')})"
    st.caption(f"{ui.t('law.source')}: {src.citation}{note} · {src.checked}")
    st.link_button(ui.t("law.open_source"), src.url)
