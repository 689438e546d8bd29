"""Applicable law on an incident page: provisions then and now, gaps, lawyer decisions."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, label
from casebook.incidents.legal_links import BASES, add_link, list_links, set_link_state, victim_group
from casebook.law.engine import CONTINUING_CONDUCTS
from casebook.law.penalty import penalty_words
from casebook.vocab import CONDUCTS
from ui.law_view import span_rows


def _penalty(view) -> str:
    if not (view.life or view.prison_max_years or view.prison_min_years or view.fine_max_krw):
        return "—"
    return penalty_words(
        view.prison_min_years, view.prison_max_years, view.life, view.fine_max_krw, ui.lang()
    )


def _span(inc, conducts: list[str], on: date) -> None:
    """Possession, storing and viewing last: which part from the act to today was an offence."""
    lang = ui.lang()
    continuing = [c for c in conducts if c in CONTINUING_CONDUCTS]
    if not continuing or on >= date.today():
        return
    victim = victim_group(inc)
    st.markdown(
        f"**{ui.t('incident_page.legal_span', start=fmt_date(on), end=fmt_date(date.today()))}**"
    )
    rows = []
    for conduct in continuing:
        answer = span_rows(conduct, victim, on, date.today(), lang)
        rows += [{ui.t("fields.conduct"): label("conduct", conduct, lang), **r} for r in answer]
    st.dataframe(rows, hide_index=True, width="stretch")


def _rows(views, basis: str) -> list[dict]:
    lang = ui.lang()
    out = []
    for v in views:
        if v.link.basis != basis:
            continue
        law = v.law if lang == "ko" else v.law_en
        article = v.article if lang == "ko" else v.article_en
        out.append(
            {
                ui.t("incident_page.link"): v.link.id,
                ui.t("fields.conduct"): label("conduct", v.link.conduct, lang),
                ui.t("incident_page.provision"): f"{law} {article}".strip(),
                ui.t("incident_page.in_force"): f"{fmt_date(v.in_force_from)} ~ "
                f"{fmt_date(v.in_force_to) if v.in_force_to else ''}",
                ui.t("incident_page.penalty"): _penalty(v),
                ui.t("incident_page.gap"): label("legal_gap", v.link.gap, lang)
                if v.link.gap
                else "",
                ui.t("incident_page.state"): label("legal_state", v.link.state, lang),
                ui.t("incident_page.origin"): label("legal_origin", v.link.origin, lang),
                ui.t("incident_page.note"): v.link.note,
            }
        )
    return out


def render_legal(user, detail) -> None:
    inc, lang = detail.incident, ui.lang()
    st.subheader(ui.t("incident_page.legal"))
    views = ui.run(list_links, actor=user, incident_id=inc.id)
    if views is ui.FAILED:
        return
    gaps = sorted({v.link.gap for v in views if v.link.gap and v.link.state != "removed"})
    for gap in gaps:
        st.warning(ui.t("incident_page.legal_gap_flag", gap=label("legal_gap", gap, lang)))
    on = inc.occurred_on or inc.reported_on
    _span(inc, list(detail.conducts or []), on)
    for basis, when in (("then", on), ("now", date.today())):
        key = "incident_page.legal_then" if basis == "then" else "incident_page.legal_now"
        st.markdown(f"**{ui.t(key, date=fmt_date(when))}**")  # constant catalog text
        rows = _rows(views, basis)
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch")
        else:
            st.caption(ui.t("incident_page.no_links"))
    if can(user, "legal_link.write"):
        _decide(user, views)
        _add(user, detail)


def _decide(user, views) -> None:
    """Confirm or remove a chosen link. The state and note start from the chosen link's
    stored values (widget keys carry its id and last change); the save is checked against
    the values the previous run showed, so a change made meanwhile by someone else is
    refused rather than overwritten."""
    if not views:
        return
    by_id = {v.link.id: v.link for v in views}
    st.markdown(f"**{ui.t('incident_page.legal_decide')}**")
    link_id = st.selectbox(
        ui.t("incident_page.link"), list(by_id), key="ld_link", format_func=lambda v: f"#{v}"
    )
    link = by_id[link_id]
    shown_key = ui.user_key("ld_shown")
    shown = st.session_state.get(shown_key)
    expected = shown[1:] if shown and shown[0] == link.id else (link.state, link.note)
    st.session_state[shown_key] = (link.id, link.state, link.note)
    k = f"{link.id}_{link.updated_at:%Y%m%d%H%M%S%f}"
    states = ["confirmed", "removed", "suggested"]
    with st.form("legal_decide"):
        state = st.selectbox(
            ui.t("fields.state"),
            states,
            index=states.index(link.state),
            key=f"ld_state_{k}",
            format_func=lambda v: label("legal_state", v, ui.lang()),
        )
        note = st.text_input(ui.t("fields.note"), value=link.note, key=f"ld_note_{k}")
        submitted = st.form_submit_button(ui.t("common.save"), key="ld_submit")
    if not submitted:
        return
    if tuple(expected) != (link.state, link.note):
        # Changed since it was shown: the widgets (keyed by the last change) now hold the
        # stored values, and nothing is written.
        st.error(ui.t("errors.stale_reloaded"))
        return
    if (state, note.strip()) == (link.state, link.note):
        st.info(ui.t("incident_page.nothing_changed"))
        return
    result = ui.run(
        set_link_state,
        actor=user,
        link_id=link_id,
        state=state,
        note=note,
        expected=tuple(expected),
    )
    if result is not ui.FAILED:
        st.rerun()


def _add(user, detail) -> None:
    lang = ui.lang()
    with st.form("legal_add"):
        st.markdown(f"**{ui.t('incident_page.legal_add')}**")
        c1, c2, c3 = st.columns(3)
        version_id = c1.text_input(
            ui.t("fields.version_id"),
            key="la_version",
            placeholder="sexual-crimes-act:14-2@2024-10-16",
        )
        conduct = c2.selectbox(
            ui.t("fields.conduct"),
            detail.conducts or list(CONDUCTS),
            key="la_conduct",
            format_func=lambda v: label("conduct", v, lang),
        )
        basis = c3.selectbox(
            ui.t("fields.basis"),
            BASES,
            key="la_basis",
            format_func=lambda v: label("legal_basis", v, lang),
        )
        note = st.text_input(ui.t("fields.note"), key="la_note")
        submitted = st.form_submit_button(ui.t("incident_page.legal_add"), key="la_submit")
    if submitted:
        result = ui.run(
            add_link,
            actor=user,
            incident_id=detail.incident.id,
            version_id=version_id,
            conduct=conduct,
            basis=basis,
            note=note,
        )
        if result is not ui.FAILED:
            st.rerun()
