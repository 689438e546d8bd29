"""An incident's dated timeline and the form that records the next step."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, label
from casebook.incidents.workflow import (
    RELEASE_REASONS,
    SIDE_EVENTS,
    add_event,
    allowed_next,
    timeline,
)


def render_timeline(user, detail) -> None:
    inc, lang = detail.incident, ui.lang()
    st.subheader(ui.t("incident_page.timeline"))
    events = ui.run(timeline, actor=user, incident_id=inc.id)
    if events is ui.FAILED:
        return
    if not events:
        st.caption(ui.t("incident_page.no_events"))
    else:
        st.dataframe(
            [
                {
                    ui.t("fields.occurred_on"): fmt_date(e.occurred_on),
                    ui.t("fields.kind_event"): label("event_kind", e.kind, lang),
                    ui.t("fields.reason"): label("release_reason", e.reason, lang)
                    if e.reason
                    else "",
                    ui.t("fields.sentence"): e.sentence,
                    ui.t("fields.note"): e.note,
                }
                for e in events
            ],
            hide_index=True,
            width="stretch",
        )
    if can(user, "incident.write"):
        _event_form(user, inc)


def _event_form(user, inc) -> None:
    """The next step's form. The save is checked against the incident version that the
    previous run showed (the timeline the person was looking at when they filled the
    form), not the one read in the run that handles the click, which always matches."""
    lang = ui.lang()
    shown_key = ui.user_key(f"ev_version_{inc.id}")
    shown_version = st.session_state.get(shown_key, inc.version)
    st.session_state[shown_key] = inc.version
    nexts = allowed_next(inc.status)
    steps = ", ".join(label("status", s, lang) for s in nexts) or "—"
    st.caption(ui.t("incident_page.next_allowed", steps=steps))
    with st.form("add_event"):
        c1, c2 = st.columns(2)
        kind = c1.selectbox(
            ui.t("fields.kind_event"),
            [*nexts, *SIDE_EVENTS],
            key="ev_kind",
            format_func=lambda v: label("event_kind", v, lang),
        )
        when = c2.date_input(ui.t("fields.occurred_on"), value=date.today(), key="ev_date")
        c3, c4 = st.columns(2)
        reason = c3.selectbox(
            ui.t("fields.reason"),
            ["", *RELEASE_REASONS],
            key="ev_reason",
            format_func=lambda v: "—" if not v else label("release_reason", v, lang),
        )
        sentence = c4.text_input(ui.t("fields.sentence"), key="ev_sentence", max_chars=300)
        note = st.text_input(ui.t("fields.note"), key="ev_note")
        submitted = st.form_submit_button(ui.t("incident_page.add_event"), key="ev_submit")
    if submitted:
        result = ui.run(
            add_event,
            actor=user,
            incident_id=inc.id,
            expected_version=shown_version,
            kind=kind,
            occurred_on=when,
            note=note,
            reason=reason or "",
            sentence=sentence,
        )
        if result is not ui.FAILED:
            st.session_state["flash_event"] = True
            st.rerun()
    if st.session_state.pop("flash_event", False):
        st.success(ui.t("incident_page.event_saved"))
