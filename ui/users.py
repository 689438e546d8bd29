"""The Users page's "lift a sign-in lockout" block (admins), kept apart from the user
form so that each can change without the other."""

from __future__ import annotations

from datetime import UTC

import streamlit as st

from casebook.access.users import unlock_user
from casebook.i18n import fmt_date
from db.models import User, utcnow
from ui.core import FAILED, run, t


def _locked(person: User) -> bool:
    until = person.locked_until
    return until is not None and (until if until.tzinfo else until.replace(tzinfo=UTC)) > utcnow()


def unlock_block(actor: User, people: list[User]) -> None:
    """Pick a user, see whether the account is locked, and unlock it (audited)."""
    st.subheader(t("users.unlock_title"))
    by_id = {p.id: p for p in people}
    target_id = st.selectbox(
        t("fields.username"),
        list(by_id),
        key="unlock_target",
        format_func=lambda i: by_id[i].username,
    )
    target = by_id[target_id]
    if _locked(target):
        st.caption(t("users.locked_now", until=fmt_date(target.locked_until)))
    else:
        st.caption(t("users.not_locked"))
    if st.button(t("users.unlock"), key="unlock_save"):
        done = run(unlock_user, actor=actor, user_id=target.id)
        if done is not FAILED:
            st.success(t("users.unlocked", username=done.username))
