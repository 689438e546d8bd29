"""Chat rooms: list, detail with sub-rooms and member counts, register, observe."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.i18n import fmt_date, fmt_number, label
from casebook.incidents.rooms import can_reveal, create_room, get_room, list_rooms, observe_members
from casebook.vocab import PLATFORMS, ROOM_KINDS


def render_rooms(user) -> None:
    lang = ui.lang()
    st.caption(ui.t("rooms.no_content"))
    rows = ui.run(list_rooms, actor=user, limit=500)
    if rows is ui.FAILED:
        return
    if not rows:
        st.caption(ui.t("rooms.none"))
    else:
        labels = {r.id: r.label for r in rows}
        st.dataframe(
            [
                {
                    "ID": r.id,
                    ui.t("fields.label"): r.label,
                    ui.t("fields.platform"): label("platform", r.platform, lang),
                    ui.t("fields.kind"): label("room_kind", r.kind, lang),
                    ui.t("rooms.parent"): labels.get(r.parent_id, "") if r.parent_id else "",
                    ui.t("rooms.sub_rooms"): r.sub_rooms,
                    ui.t("rooms.latest_members"): fmt_number(r.latest_members),
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )
        picked = st.selectbox(
            ui.t("rooms.open"),
            [None, *labels],
            key="open_room",
            format_func=lambda v: "—" if v is None else f"#{v} {labels[v]}",
        )
        if picked:
            _detail(user, picked)
    if can(user, "room.write"):
        _create(user, rows)


def _detail(user, room_id: int) -> None:
    reveal = st.session_state.get(ui.user_key(f"reveal_room_{room_id}"), False)
    d = ui.run(get_room, actor=user, room_id=room_id, reveal=reveal)
    if d is ui.FAILED:
        return
    st.subheader(f"{ui.t('rooms.title')} #{d.room.id}")
    st.text(d.room.label)  # user text: never Markdown
    if d.secret_error:  # stored, but the configured key does not open them
        st.error(ui.t(d.secret_error))
    elif d.identifier or d.invite_link:
        st.code(f"{d.identifier or ''}\n{d.invite_link or ''}", language=None)
    else:
        st.caption(ui.t("rooms.secret_hidden"))
        if can_reveal(user) and st.button(ui.t("rooms.reveal"), key="reveal_room"):
            st.session_state[ui.user_key(f"reveal_room_{room_id}")] = True
            st.rerun()
    if d.sub_rooms:
        st.text(f"{ui.t('rooms.sub_rooms')}: " + ", ".join(s.label for s in d.sub_rooms))
    if d.observations:
        st.dataframe(
            [
                {
                    ui.t("fields.observed_on"): fmt_date(o.observed_on),
                    ui.t("fields.members"): fmt_number(o.members),
                    ui.t("fields.sources"): o.source,
                }
                for o in d.observations
            ],
            hide_index=True,
        )
    if d.incident_ids:
        st.text(ui.t("nav.incidents") + ": " + ", ".join(f"#{i}" for i in d.incident_ids))
    if can(user, "room.write"):
        with st.form("observe_room"):
            c1, c2, c3 = st.columns(3)
            when = c1.date_input(ui.t("fields.observed_on"), value=date.today(), key="ob_date")
            members = c2.number_input(ui.t("fields.members"), min_value=0, step=1, key="ob_n")
            source = c3.text_input(ui.t("fields.sources"), key="ob_source")
            if st.form_submit_button(ui.t("rooms.observe"), key="ob_submit"):
                result = ui.run(
                    observe_members,
                    actor=user,
                    room_id=room_id,
                    observed_on=when,
                    members=int(members),
                    source=source,
                )
                if result is not ui.FAILED:
                    st.success(ui.t("rooms.observed"))


def _create(user, rows) -> None:
    lang = ui.lang()
    parents = {r.id: r.label for r in rows}
    with st.form("new_room"):
        st.markdown(f"**{ui.t('rooms.new')}**")
        c1, c2, c3 = st.columns(3)
        label_ = c1.text_input(ui.t("fields.label"), key="nr_label", max_chars=200)
        platform = c2.selectbox(
            ui.t("fields.platform"),
            PLATFORMS,
            key="nr_platform",
            format_func=lambda v: label("platform", v, lang),
        )
        kind = c3.selectbox(
            ui.t("fields.kind"),
            ROOM_KINDS,
            key="nr_kind",
            format_func=lambda v: label("room_kind", v, lang),
        )
        c4, c5, c6 = st.columns(3)
        parent = c4.selectbox(
            ui.t("rooms.parent"),
            [None, *parents],
            key="nr_parent",
            format_func=lambda v: "—" if v is None else parents[v],
        )
        ident = c5.text_input(ui.t("fields.identifier"), key="nr_ident", type="password")
        link = c6.text_input(ui.t("fields.invite_link"), key="nr_link", type="password")
        if st.form_submit_button(ui.t("rooms.new"), key="nr_submit"):
            data = {
                "label": label_,
                "platform": platform,
                "kind": kind,
                "parent_id": parent,
                "identifier": ident,
                "invite_link": link,
            }
            if ui.run(create_room, actor=user, data=data) is not ui.FAILED:
                st.success(ui.t("rooms.created"))
