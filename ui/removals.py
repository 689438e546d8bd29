"""Takedown requests per location on the "What is due" page: a pasted list of locations,
the next step of a request, and the re-check of a removed location."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import label
from casebook.incidents import due, removals
from casebook.vocab import PLATFORMS
from db.models import User


def _labels(group: str, values: tuple[str, ...]) -> dict[str, str]:
    return {v: ui.t(f"removals.{group}_{v}") for v in values}


def _day(label_key: str, key: str) -> date | None:
    value = st.date_input(
        ui.t(label_key),
        value=date.today(),
        key=key,
        format="YYYY-MM-DD",
        min_value=date(2000, 1, 1),
        max_value=date.today(),
    )
    return value if isinstance(value, date) else None


def request_form(user: User, saved: Callable[[str], None]) -> None:
    if not can(user, "takedown.write"):
        return
    kinds, channels = (
        _labels("kind", removals.LOCATION_KINDS),
        _labels("channel", removals.CHANNELS),
    )
    platforms = {p: label("platform", p, ui.lang()) for p in PLATFORMS}
    with st.expander(ui.t("removals.request")), st.form("removal_request", clear_on_submit=True):
        incident_id = st.number_input(
            ui.t("due.incident_id"), min_value=1, step=1, key="rm_incident"
        )
        kind = st.selectbox(
            ui.t("fields.location_kind"), list(kinds), format_func=kinds.get, key="rm_kind"
        )
        channel = st.selectbox(
            ui.t("fields.channel"), list(channels), format_func=channels.get, key="rm_channel"
        )
        platform = st.selectbox(
            ui.t("fields.platform"),
            list(platforms),
            format_func=platforms.get,
            key="rm_platform",
            index=len(PLATFORMS) - 1,
        )
        text = st.text_area(
            ui.t("removals.locations"), key="rm_locations", help=ui.t("removals.locations_help")
        )
        on = _day("fields.requested_on", "rm_on")
        by_whom = st.text_input(ui.t("removals.by_whom"), max_chars=120, key="rm_by")
        if st.form_submit_button(ui.t("removals.request")):
            rows = ui.run(
                removals.request_removals,
                actor=user,
                incident_id=int(incident_id),
                locations=text.splitlines(),
                location_kind=kind,
                channel=channel,
                platform=platform,
                requested_on=on,
                by_whom=by_whom,
            )
            if rows is not ui.FAILED:
                saved("removals.requested")


def step_form(user: User, saved: Callable[[str], None]) -> None:
    if not can(user, "takedown.write"):
        return
    steps = _labels("step", tuple(s for s in removals.STEPS if s != "requested"))
    with st.expander(ui.t("removals.step")), st.form("removal_step", clear_on_submit=True):
        request_id = st.number_input(
            ui.t("removals.request_id"), min_value=1, step=1, key="rm_step_id"
        )
        step = st.selectbox(ui.t("fields.step"), list(steps), format_func=steps.get, key="rm_step")
        on = _day("fields.occurred_on", "rm_step_on")
        by_whom = st.text_input(ui.t("removals.by_whom"), max_chars=120, key="rm_step_by")
        if st.form_submit_button(ui.t("removals.step")):
            row = ui.run(
                removals.add_removal_step,
                actor=user,
                request_id=int(request_id),
                step=step,
                occurred_on=on,
                by_whom=by_whom,
            )
            if row is not ui.FAILED:
                saved("removals.step_saved")


def recheck_form(user: User, items: list[due.DueItem], saved: Callable[[str], None]) -> None:
    pending = [i for i in items if i.kind == "recheck"]
    if not pending or not can(user, "takedown.write"):
        return
    results = _labels("result", removals.RESULTS)
    names = [f"{i.due_on.isoformat()} · {i.title} · #{i.incident_id}" for i in pending]
    with st.expander(ui.t("removals.recheck")):
        n = st.selectbox(
            ui.t("due.kind_recheck"),
            range(len(pending)),
            key="rm_check_pick",
            format_func=names.__getitem__,
        )
        result = st.radio(
            ui.t("fields.result"),
            list(results),
            format_func=results.get,
            horizontal=True,
            key="rm_check_result",
        )
        new_location = st.text_input(ui.t("removals.new_location"), key="rm_check_new")
        on = _day("fields.checked_on", "rm_check_on")
        if st.button(ui.t("removals.recheck"), key="rm_check"):
            row = ui.run(
                removals.record_recheck,
                actor=user,
                request_id=pending[n].item_id,
                checked_on=on,
                result=result,
                new_location=new_location,
            )
            if row is not ui.FAILED:
                saved("removals.recheck_saved")
