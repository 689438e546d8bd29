"""Issue 15 M-6 and L-1 on the pages: two AppTest sessions of one user; a change made in
one (or by an admin) sends the other back to the login form on its next run."""

from __future__ import annotations

import pytest
from sqlmodel import select

from casebook.access import users
from db.models import AuditLog, User
from tests.factories import PASSWORD
from tests.pagetest import goto, signed_in

PASSWORDS = ["first new passphrase", "second new passphrase", "third new passphrase"]


def _signed_out(at) -> bool:
    at.run()
    return "user_id" not in at.session_state and at.text_input(key="login_username") is not None


def test_password_change_in_one_session_ends_the_other(session, factory) -> None:
    user = factory.user()
    current = PASSWORD
    for new in PASSWORDS:  # three rounds: the other session dropped each time
        here = signed_in(user.username, current, lang="en")
        there = signed_in(user.username, current)
        goto(here, "account")
        here.text_input(key="cp_old").input(current)
        here.text_input(key="cp_new").input(new)
        here.button(key="FormSubmitter:change_password-Save").click().run()
        assert not here.error, [e.value for e in here.error]
        assert _signed_out(there)
        here.run()
        assert here.session_state["user_id"] == user.id  # the one that changed it stays
        current = new


@pytest.mark.parametrize("round_", range(3))
def test_admin_reset_ends_the_users_session(session, factory, round_: int) -> None:
    user = factory.user()
    tab = signed_in(user.username)
    users.set_password(session, actor=factory.admin, user_id=user.id, new_password=PASSWORDS[0])
    assert _signed_out(tab)
    assert signed_in(user.username, PASSWORDS[0]).session_state["user_id"] == user.id


def test_sign_out_everywhere(session, factory) -> None:
    user = factory.user()
    here, there = signed_in(user.username, lang="en"), signed_in(user.username)
    goto(here, "account")
    here.button(key="sign_out_everywhere").click().run()
    assert "user_id" not in here.session_state
    assert "signed out everywhere" in " ".join(i.value for i in here.info)
    assert _signed_out(there)


def test_users_page_unlock_block(session, factory) -> None:
    from casebook.access import auth
    from casebook.errors import AuthFailed

    locked = factory.user()
    for _ in range(5):
        with pytest.raises(AuthFailed):
            auth.authenticate(session, locked.username, "wrong password!!")
    admin_tab = goto(signed_in(factory.admin.username), "users")
    admin_tab.selectbox(key="unlock_target").set_value(locked.id).run()
    assert any(c.value.startswith("잠김 (") for c in admin_tab.caption)
    admin_tab.button(key="unlock_save").click().run()
    done = f"{locked.username} 사용자의 로그인 잠금을 해제했습니다."
    assert [s.value for s in admin_tab.success] == [done]
    session.expire_all()
    assert session.get(User, locked.id).locked_until is None
    assert session.exec(select(AuditLog).where(AuditLog.action == "user.unlock")).first()
    assert signed_in(locked.username).session_state["user_id"] == locked.id
