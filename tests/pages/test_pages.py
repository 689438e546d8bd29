"""Page tests with AppTest: each page as each role that may see it, and as one that may not."""

from datetime import date

import pytest
from sqlmodel import select

from db.models import Incident
from tests.pagetest import goto, new_app, signed_in, texts

ROLES = ["admin", "lawyer", "advocate", "viewer"]


def _user(factory, role):
    return factory.admin if role == "admin" else factory.user(role=role)


def test_signed_out_visitor_sees_only_the_login_form(session, factory) -> None:
    factory.incident(title="비공개 사건 제목")
    at = new_app()
    assert [t.label for t in at.text_input] == ["사용자 이름", "비밀번호"]
    goto(at, "incidents")
    assert "비공개 사건 제목" not in texts(at)
    assert [t.label for t in at.text_input] == ["사용자 이름", "비밀번호"]


@pytest.mark.parametrize(
    "username,password,message",
    [
        ("nobody", "whatever password", "사용자 이름 또는 비밀번호가 올바르지 않습니다."),
        ("", "", "사용자 이름과 비밀번호를 모두 입력하세요."),
    ],
)
def test_login_failures_show_one_clear_message(session, factory, username, password, message):
    assert factory.admin.role == "admin"
    at = new_app()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    assert [e.value for e in at.error] == [message]
    assert "user_id" not in at.session_state


@pytest.mark.parametrize("role", ROLES)
def test_overview_for_every_role(session, factory, role) -> None:
    factory.incident(victims_count=12, victims_minor=3)
    at = signed_in(_user(factory, role).username)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"사건": "1", "기관": "0", "피해자": "12", "미성년 피해자": "3"}
    assert not at.exception


@pytest.mark.parametrize("role", ROLES)
def test_incident_list_and_detail_for_every_role(session, factory, role) -> None:
    inc = factory.incident(title="목록에 보일 사건", summary="<b>굵게</b> **별표**")
    at = goto(signed_in(_user(factory, role).username), "incidents")
    # A viewer gets the row without its title (issue 19, casebook.access.visibility).
    assert ("목록에 보일 사건" in texts(at)) is (role != "viewer")
    can_write = role != "viewer"
    assert any(b.label == "새 사건 기록" for b in at.button) is can_write
    at = goto(at, "incidents", id=str(inc.id))
    # The title is user text, so it is shown with st.text under a constant heading.
    assert at.title[0].value == f"사건 #{inc.id}"
    shown = ["목록에 보일 사건", "<b>굵게</b> **별표**"] if role != "viewer" else ["", ""]
    assert [t.value for t in at.text][:2] == shown


@pytest.mark.parametrize("role", ["lawyer", "advocate", "viewer"])
def test_users_page_is_admin_only(session, factory, role) -> None:
    at = goto(signed_in(_user(factory, role).username), "users")
    assert "사용자 추가" not in texts(at) and not any(f.id == "add_user" for f in at.get("form"))


def test_admin_adds_a_user_on_the_users_page(session, factory) -> None:
    at = goto(signed_in(factory.admin.username), "users")
    at.text_input(key="nu_username").input("new_lawyer")
    at.selectbox(key="nu_role").set_value("lawyer")
    at.text_input(key="nu_password").input("a long enough password")
    next(b for b in at.button if b.label == "사용자 추가").click().run()
    assert [s.value for s in at.success] == ["new_lawyer 사용자를 추가했습니다."]
    assert "new_lawyer" in texts(goto(at, "users"))


def test_new_incident_form_refuses_bad_input_and_saves_good_input(session, factory) -> None:
    advocate = factory.user(role="advocate")
    at = goto(signed_in(advocate.username), "incidents", new="1")
    at.text_input(key="f_title").input("   ")
    at.text_input(key="f_victims_count").input("-2")
    next(b for b in at.button if b.label == "저장").click().run()
    assert "입력을 확인해 주세요." in at.error[0].value
    assert session.exec(select(Incident)).all() == []
    at.text_input(key="f_title").input("새로 기록한 사건")
    at.text_input(key="f_victims_count").input("4")
    at.date_input(key="f_reported_on").set_value(date(2024, 9, 2))
    next(b for b in at.button if b.label == "저장").click().run()
    assert not at.error, [e.value for e in at.error]
    stored = session.exec(select(Incident)).one()
    assert (stored.title, stored.victims_count, stored.created_by_id) == (
        "새로 기록한 사건",
        4,
        advocate.id,
    )


def test_switching_to_english_changes_labels(session, factory) -> None:
    at = signed_in(factory.admin.username)
    at.radio(key="lang_choice").set_value("en").run()
    assert at.title[0].value == "Overview"
    assert {m.label for m in at.metric} == {"Incidents", "Institutions", "Victims", "Minor victims"}
