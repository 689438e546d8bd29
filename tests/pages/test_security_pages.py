"""Page tests: idle timeout, the TOTP sign-in step, forced two-factor set-up, the Account
and Audit pages, a database that is down, and hostile text shown as text."""

from __future__ import annotations

import time
from datetime import date

import pyotp
import pytest
from sqlmodel import select

from casebook.access import auth
from casebook.access import totp as account
from casebook.config import get_settings
from casebook.errors import InvalidInput
from casebook.i18n import translate
from casebook.incidents.store import record_incident
from casebook.textnorm import clean_text
from db.models import Incident
from tests.factories import PASSWORD
from tests.pagetest import goto, new_app, signed_in, texts


def _login(at, username: str, password: str = PASSWORD):
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def test_idle_session_is_signed_out(factory) -> None:
    at = signed_in(factory.admin.username)
    at.session_state["last_seen"] = time.monotonic() - 31 * 60
    at.run()
    assert "user_id" not in at.session_state
    assert "비활성 상태" in texts(at) or "로그인" in texts(at)
    assert at.text_input(key="login_username") is not None


def test_idle_timeout_is_a_setting(factory, monkeypatch) -> None:
    monkeypatch.setenv("CASEBOOK_SESSION_IDLE_MINUTES", "5")
    get_settings.cache_clear()
    at = signed_in(factory.admin.username)
    at.session_state["last_seen"] = time.monotonic() - 4 * 60
    at.run()
    assert "user_id" in at.session_state
    at.session_state["last_seen"] = time.monotonic() - 6 * 60
    at.run()
    assert "user_id" not in at.session_state


def test_totp_step_on_login(session, factory) -> None:
    user = factory.user(role="lawyer")
    secret = factory.enrol_totp(user)
    at = _login(new_app(), user.username)
    assert "user_id" not in at.session_state
    assert "6자리 코드" in texts(at)
    at.text_input(key="login_totp").input("000000")
    at.button[0].click().run()
    assert "user_id" not in at.session_state and at.error
    at.text_input(key="login_totp").input(pyotp.totp.TOTP(secret).now())
    at.button[0].click().run()
    assert at.session_state["user_id"] == user.id


def test_required_totp_leaves_only_the_account_page(session, factory) -> None:
    lawyer = factory.user(role="lawyer")
    account.set_totp_policy(session, actor=factory.admin, roles=["lawyer"])
    at = signed_in(lawyer.username)
    assert at.title[0].value == "내 계정"
    assert "2단계 인증이 필수" in "".join(w.value for w in at.warning)
    goto(at, "incidents")
    assert at.title[0].value == "내 계정"  # every other page is out of the navigation
    at.text_input(key="totp_begin_pw").input(PASSWORD)
    at.button(key="totp_begin").click().run()
    secret = at.session_state["totp_setup"].secret
    assert secret in [c.value for c in at.code]
    at.text_input(key="totp_confirm_code").input(pyotp.totp.TOTP(secret).now())
    at.button(key="totp_confirm").click().run()
    assert "totp_setup" not in at.session_state
    goto(at, "incidents")
    assert at.title[0].value == "사건"


def test_account_page_changes_password(session, factory) -> None:
    user = factory.user(role="viewer")
    at = goto(signed_in(user.username, lang="en"), "account")
    at.text_input(key="cp_old").input(PASSWORD)
    at.text_input(key="cp_new").input("another long passphrase")
    at.button(key="FormSubmitter:change_password-Save").click().run()
    assert [s.value for s in at.success] == ["Your password was changed."]
    session.expire_all()
    assert auth.authenticate(session, user.username, "another long passphrase").id == user.id


def test_audit_page_for_admins_only(factory) -> None:
    factory.incident(title="감사 페이지 사건")
    at = goto(signed_in(factory.admin.username, lang="en"), "audit")
    assert at.title[0].value == "Audit log"
    frame = at.dataframe[0].value
    assert "incident.create" in set(frame["Action"]) and "user.create" in set(frame["Action"])
    box = at.selectbox(key="aud_action")
    box.select_index(box.options.index("incident.create")).run()
    assert list(at.dataframe[0].value["Action"]) == ["incident.create"]
    at.button(key="aud_verify").click().run()
    assert at.success[0].value.startswith("The hash chain is intact")
    viewer = goto(signed_in(factory.user(role="viewer").username, lang="en"), "audit")
    assert not any(t.value == "Audit log" for t in viewer.title)


def test_database_down_shows_a_message_not_a_traceback(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://casebook@127.0.0.1:1/casebook")
    get_settings.cache_clear()
    try:
        at = _login(new_app(), "admin")
        assert [e.value for e in at.error] == [translate("errors.db_unavailable", "ko")]
        assert not at.exception
        shown = texts(at)
        assert "Traceback" not in shown and "psycopg" not in shown and "SELECT" not in shown
    finally:
        get_settings.cache_clear()


HOSTILE = [
    "<script>alert('x')</script>",
    "'; DROP TABLE incident;--",
    "**굵게** [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "제어\x00문자\x07\x1b[31m 포함\u202e",
]
TEXT_FIELDS = ["title", "summary", "notes", "suspect_relation", "victim_contact", "external_id"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_stored_intact_and_shown_as_text(session, factory, hostile) -> None:
    data = {f: hostile for f in TEXT_FIELDS} | {
        "reported_on": date(2024, 9, 1),
        "tags": [hostile],
        "sources": [{"title": hostile, "url": "https://example.org"}],
    }
    inc = record_incident(session, actor=factory.admin, data=data)
    expected = clean_text(hostile).strip()
    stored = session.get(Incident, inc.id)
    for field in ("title", "summary", "notes", "suspect_relation", "external_id"):
        assert getattr(stored, field) == expected, field
    assert "\x00" not in stored.summary and "\x1b" not in stored.summary
    assert session.get(Incident, inc.id) is not None  # the table is still there
    at = goto(signed_in(factory.admin.username), "incidents", id=str(inc.id))
    plain = [t.value for t in at.text]
    assert expected in plain  # title
    assert any(expected == p for p in plain[1:])  # summary
    # Sources are cleaned like other text (validation.http_url checks the address).
    assert stored.sources == [{"title": expected, "url": "https://example.org"}]
    assert f"[1] {expected} https://example.org" in plain
    rendered = [m.value for m in at.markdown] + [t.value for t in at.title]
    rendered += [c.value for c in at.caption] + [w.value for w in at.warning]
    assert not any(expected in r for r in rendered), "user text reached a Markdown element"


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_one_megabyte_is_refused_with_a_message(session, factory, field) -> None:
    data = {"title": "큰 입력", "reported_on": date(2024, 9, 1), field: "가" * 1_000_000}
    with pytest.raises(InvalidInput) as info:
        record_incident(session, actor=factory.admin, data=data)
    assert list(info.value.problems) == [field]
    assert "가" * 100 not in info.value.message("en")
    assert session.exec(select(Incident)).first() is None
