"""The victim's consent under an incident: what was agreed, by whom, when; writers
record it (and withdraw by unticking). Listed in ui.incident.view.SECTIONS; the rules
live in casebook.incidents.consent.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date
from casebook.incidents.consent import GIVERS, SCOPES, get_consent, record_consent


def consent_section(user, detail) -> None:
    inc = detail.incident
    if detail.level != "full":
        return
    with st.expander(ui.t("consent.section")):
        consent = ui.run(get_consent, actor=user, incident_id=inc.id)
        if consent is ui.FAILED:
            return
        if not consent.recorded:
            st.caption(ui.t("consent.none_yet"))
        else:
            st.caption(
                f"{ui.t('consent.given_by')}: {ui.t('consent.giver_' + consent.given_by)}"
                f" · {fmt_date(consent.given_on)}"
            )
        writer = can(user, "incident.write")
        ticks = {
            s: st.checkbox(
                ui.t(f"consent.scope_{s}"),
                value=consent.agreed[s],
                key=f"cons_{s}_{inc.id}",
                disabled=not writer,
            )
            for s in SCOPES
        }
        if not writer:
            return
        giver = st.selectbox(
            ui.t("consent.given_by"),
            GIVERS,
            key=f"cons_by_{inc.id}",
            index=GIVERS.index(consent.given_by),
            format_func=lambda g: ui.t(f"consent.giver_{g}"),
        )
        on = st.date_input(
            ui.t("consent.given_on"),
            value=consent.given_on or date.today(),
            key=f"cons_on_{inc.id}",
        )
        if st.button(ui.t("common.save"), key=f"cons_save_{inc.id}"):
            done = ui.run(
                record_consent,
                actor=user,
                incident_id=inc.id,
                agreed=ticks,
                given_by=giver,
                given_on=on,
            )
            if done is not ui.FAILED:
                st.success(ui.t("consent.saved"))
