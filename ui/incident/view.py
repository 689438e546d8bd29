"""One incident on screen: facts, institutions, conduct; victim details hidden by default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, fmt_number, label
from casebook.incidents.store import can_reveal, get_incident
from ui.incident.access import access_section
from ui.incident.consent import consent_section
from ui.incident.edit import render_edit
from ui.incident.erasure import erasure_section
from ui.incident.evidence import render_evidence
from ui.incident.legal import render_legal
from ui.incident.takedowns import render_takedowns
from ui.incident.timeline import render_timeline


def _back() -> None:
    if st.button(ui.t("common.back"), key="back_to_list"):
        st.query_params.clear()
        st.rerun()


def render_incident(user, incident_id: int) -> None:
    _back()
    reveal = st.session_state.get(ui.user_key(f"reveal_{incident_id}"), False)
    detail = ui.run(get_incident, actor=user, incident_id=incident_id, reveal_victim=reveal)
    if detail is ui.FAILED:
        return
    inc, lang = detail.incident, ui.lang()
    # Titles are user text: st.title would render them as Markdown, so the heading is the
    # number and the title itself is plain text.
    st.title(f"{ui.t('nav.incidents')} #{inc.id}")
    if detail.level != "full":  # casebook blanked the text (casebook.access.visibility)
        st.info(ui.t("access.redacted_view"))
    st.text(inc.title)
    if inc.is_demo:
        st.caption(ui.t("common.synthetic") if inc.is_synthetic else ui.t("common.demo"))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ui.t("fields.status"), label("status", inc.status, lang))
    c2.metric(ui.t("fields.reported_on"), fmt_date(inc.reported_on))
    c3.metric(ui.t("fields.victims_count"), fmt_number(inc.victims_count))
    c4.metric(ui.t("fields.suspects_count"), fmt_number(inc.suspects_count))
    st.text(inc.summary)  # st.text never renders markup from user input
    facts = {
        ui.t("fields.occurred_on"): fmt_date(inc.occurred_on),
        ui.t("fields.platform"): label("platform", inc.platform, lang),
        ui.t("fields.institution_ids"): ", ".join(i.name for i in detail.institutions) or "—",
        ui.t("fields.conducts"): ", ".join(label("conduct", c, lang) for c in detail.conducts)
        or "—",
        ui.t("fields.victims_minor"): fmt_number(inc.victims_minor),
        ui.t("fields.victims_estimated"): ui.t(
            "common.yes" if inc.victims_estimated else "common.no"
        ),
        ui.t("fields.victim_groups"): ", ".join(
            label("victim_group", g, lang) for g in inc.victim_groups
        )
        or "—",
        ui.t("fields.suspects_by_age"): ", ".join(
            f"{label('age_band', k, lang)} {v}" for k, v in inc.suspects_by_age.items()
        )
        or "—",
        ui.t("fields.suspect_relation"): inc.suspect_relation or "—",
        ui.t("fields.room_ids"): ", ".join(f"#{r}" for r in detail.room_ids) or "—",
        ui.t("fields.tags"): ", ".join(inc.tags) or "—",
        ui.t("fields.room_members"): fmt_number(inc.room_members),
        ui.t("fields.obstacles"): ", ".join(label("obstacle", o, lang) for o in inc.obstacles)
        or "—",
    }
    # st.table renders Markdown in cells; st.dataframe shows institution names as text.
    st.dataframe(
        [{ui.t("incidents.field"): k, ui.t("incidents.value"): v} for k, v in facts.items()],
        hide_index=True,
    )
    if inc.notes:
        st.caption(ui.t("fields.notes"))
        st.text(inc.notes)
    if inc.sources:
        st.subheader(ui.t("fields.sources"))
        for n, src in enumerate(inc.sources, start=1):
            st.text(f"[{n}] {src.get('title', '')} {src.get('url', '')}")
    _victim_details(user, detail, incident_id)
    for section in SECTIONS:
        section(user, detail)


def _victim_details(user, detail, incident_id: int) -> None:
    if detail.victim_contact_error:  # stored, but the configured key does not open it
        st.error(ui.t(detail.victim_contact_error))
    elif detail.victim_contact:
        st.warning(ui.t("fields.victim_contact"))
        st.text(detail.victim_contact)  # user text, never Markdown
    elif detail.victim_contact_hidden:
        st.caption(ui.t("incidents.victim_hidden"))
        if can_reveal(user) and st.button(ui.t("incidents.reveal"), key="reveal"):
            st.session_state[ui.user_key(f"reveal_{incident_id}")] = True
            st.rerun()


def _brief_link(user, detail) -> None:
    """A link to this incident's brief, for the roles that may make one."""
    if can(user, "brief.incident"):
        ui.page_link(
            "briefs", ui.t("briefs.ui.link_incident"), kind="incident", id=detail.incident.id
        )


# What is drawn under an incident, in this order: functions of (user, detail).
SECTIONS: tuple[Callable[[Any, Any], None], ...] = (
    render_edit,
    render_timeline,
    render_legal,
    render_takedowns,
    render_evidence,
    _brief_link,
    access_section,
    consent_section,
    erasure_section,
)
