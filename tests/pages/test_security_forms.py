"""Forms that edit a chosen record show that record's stored values and save only what
changed, against the version they showed; sign-in and sign-out leave nothing of the
previous person in the tab (security review H-2, M-5, L-10; UX review B1)."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlmodel import Session, select

from casebook.access.users import update_user
from casebook.errors import StaleEdit
from casebook.incidents.legal_links import set_link_state
from casebook.incidents.takedowns import request_takedown, resolve_takedown
from db.models import AuditLog, IncidentEvent, Institution, LegalLink, Takedown, User
from tests.pagetest import goto, signed_in, texts


def _user_rows(session: Session, user_id: int) -> list[AuditLog]:
    session.expire_all()
    return list(
        session.exec(
            select(AuditLog).where(
                AuditLog.action == "user.update", AuditLog.entity_id == str(user_id)
            )
        )
    )


def _stored(session: Session, user_id: int) -> User:
    session.expire_all()
    return session.get(User, user_id)


def _pick(at, user: User):
    at.selectbox(key="eu_target").set_value(user.id).run()
    return f"{user.id}_{user.version}"


# --- the domain -----------------------------------------------------------------------


def test_update_user_refuses_a_form_opened_before_another_save(session, factory) -> None:
    viewer = factory.user(role="viewer")
    update_user(
        session,
        actor=factory.admin,
        user_id=viewer.id,
        expected_version=1,
        can_see_victim_details=True,
    )
    with pytest.raises(StaleEdit):
        update_user(
            session, actor=factory.admin, user_id=viewer.id, expected_version=1, role="admin"
        )
    assert _stored(session, viewer.id).role == "viewer"


def test_update_user_that_changes_nothing_writes_nothing(session, factory) -> None:
    viewer = factory.user(role="viewer")
    update_user(
        session,
        actor=factory.admin,
        user_id=viewer.id,
        expected_version=1,
        role="viewer",
        active=True,
        can_see_victim_details=False,
    )
    assert _stored(session, viewer.id).version == 1
    assert _user_rows(session, viewer.id) == []


# --- the Users page -------------------------------------------------------------------


def test_users_page_shows_the_picked_users_stored_values(session, factory) -> None:
    a = factory.user(role="viewer")
    b = factory.user(role="lawyer", can_see_victim_details=True)
    update_user(session, actor=factory.admin, user_id=b.id, active=False)
    b = _stored(session, b.id)
    at = goto(signed_in(factory.admin.username), "users")
    k = _pick(at, a)
    assert at.selectbox(key=f"eu_role_{k}").value == "viewer"
    assert at.checkbox(key=f"eu_active_{k}").value is True
    assert at.checkbox(key=f"eu_grant_{k}").value is False
    k = _pick(at, b)
    assert at.selectbox(key=f"eu_role_{k}").value == "lawyer"
    assert at.checkbox(key=f"eu_active_{k}").value is False
    assert at.checkbox(key=f"eu_grant_{k}").value is True


def test_saving_an_unchanged_form_changes_nothing(session, factory) -> None:
    viewer = factory.user(role="viewer")
    at = goto(signed_in(factory.admin.username), "users")
    _pick(at, viewer)
    at.button(key="eu_save").click().run()
    assert "바뀐 내용이 없어 저장하지 않았습니다." in [i.value for i in at.info]
    stored = _stored(session, viewer.id)
    assert (stored.role, stored.active, stored.version) == ("viewer", True, 1)
    assert _user_rows(session, viewer.id) == []


@pytest.mark.parametrize("start", ["admin", "lawyer"])
def test_deactivating_a_viewer_keeps_them_a_viewer(session, factory, start) -> None:
    other = factory.user(role=start)
    viewer = factory.user(role="viewer")
    at = goto(signed_in(factory.admin.username), "users")
    _pick(at, other)  # the form showed someone else's values first
    k = _pick(at, viewer)
    at.checkbox(key=f"eu_active_{k}").uncheck().run()
    at.button(key="eu_save").click().run()
    assert not at.error, [e.value for e in at.error]
    stored = _stored(session, viewer.id)
    assert (stored.role, stored.active, stored.can_see_victim_details) == ("viewer", False, False)
    (row,) = _user_rows(session, viewer.id)
    assert row.before["role"] == row.after["role"] == "viewer"
    assert (row.before["active"], row.after["active"]) == (True, False)


def test_a_role_change_needs_the_confirmation_and_is_audited(session, factory) -> None:
    viewer = factory.user(role="viewer")
    admin = factory.admin
    at = goto(signed_in(admin.username), "users")
    k = _pick(at, viewer)
    at.selectbox(key=f"eu_role_{k}").set_value("advocate").run()
    assert any("열람자에서 활동가" in w.value for w in at.warning), [w.value for w in at.warning]
    at.button(key="eu_save").click().run()
    assert "역할을 바꾸려면 확인란에 표시하세요." in [e.value for e in at.error]
    assert _stored(session, viewer.id).role == "viewer"
    assert _user_rows(session, viewer.id) == []
    at.checkbox(key=f"eu_confirm_{k}_advocate").check().run()
    at.button(key="eu_save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert _stored(session, viewer.id).role == "advocate"
    (row,) = _user_rows(session, viewer.id)
    assert (row.before["role"], row.after["role"], row.actor_id) == ("viewer", "advocate", admin.id)
    # After the save the form shows the new stored values, at the new version.
    assert at.selectbox(key=f"eu_role_{viewer.id}_2").value == "advocate"


def test_a_users_form_opened_before_another_admins_save_is_refused(session, factory) -> None:
    viewer = factory.user(role="viewer")
    at = goto(signed_in(factory.admin.username), "users")
    k = _pick(at, viewer)
    update_user(session, actor=factory.admin, user_id=viewer.id, can_see_victim_details=True)
    at.checkbox(key=f"eu_active_{k}").uncheck().run()
    # The next run finds the newer version: the form reopens on the stored values.
    assert any("다른 사용자가 이 사용자의 정보를 바꿨습니다" in w.value for w in at.warning)
    k = f"{viewer.id}_2"
    assert at.checkbox(key=f"eu_grant_{k}").value is True
    assert at.checkbox(key=f"eu_active_{k}").value is True
    at.button(key="eu_save").click().run()
    stored = _stored(session, viewer.id)
    assert (stored.active, stored.can_see_victim_details, stored.version) == (True, True, 2)


# --- institutions and the timeline: the version shown, not the one read at the click ---


def test_a_stale_institution_save_is_refused(session, factory) -> None:
    inst = factory.institution(name="가나대학교")
    a = goto(signed_in(factory.admin.username), "institutions", id=str(inst.id))
    b = goto(signed_in(factory.user("lawyer").username), "institutions", id=str(inst.id))
    for at in (a, b):
        at.button(key="ei_open").click().run()
    k = f"{inst.id}_1"
    a.text_input(key=f"ei_name_{k}").input("A가 저장한 이름")
    a.button(key="ei_submit").click().run()
    assert not a.error, [e.value for e in a.error]
    b.text_input(key=f"ei_name_{k}").input("B가 저장한 이름")
    b.button(key="ei_submit").click().run()
    assert "다른 사용자가 먼저 이 항목을 저장했습니다" in "\n".join(e.value for e in b.error)
    assert b.text_input(key=f"ei_name_{k}").value == "B가 저장한 이름"  # the input stays
    session.expire_all()
    assert session.get(Institution, inst.id).name == "A가 저장한 이름"
    rows = session.exec(select(AuditLog).where(AuditLog.action == "institution.update")).all()
    assert len(rows) == 1


def test_the_editor_shows_the_opened_institutions_own_values(session, factory) -> None:
    one = factory.institution(name="하나대학교")
    two = factory.institution(name="두리대학교", region="busan")
    at = goto(signed_in(factory.admin.username), "institutions", id=str(one.id))
    at.button(key="ei_open").click().run()
    at.text_input(key=f"ei_name_{one.id}_1").input("입력 중")
    at = goto(at, "institutions", id=str(two.id))
    at.button(key="ei_open").click().run()
    assert at.text_input(key=f"ei_name_{two.id}_1").value == "두리대학교"
    assert at.selectbox(key=f"ei_region_{two.id}_1").value == "busan"


def test_a_timeline_step_over_a_timeline_changed_meanwhile_is_refused(session, factory) -> None:
    inc = factory.incident(title="경과 충돌 사건")
    b = goto(signed_in(factory.user("lawyer").username), "incidents", id=str(inc.id))
    a = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    a.selectbox(key="ev_kind").set_value("investigating")
    a.button(key="ev_submit").click().run()
    assert not a.error, [e.value for e in a.error]
    b.selectbox(key="ev_kind").set_value("investigating")
    b.text_input(key="ev_note").input("B의 메모")
    b.button(key="ev_submit").click().run()
    assert "다른 사용자가 먼저 이 사건을 저장했습니다" in "\n".join(e.value for e in b.error)
    events = session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == inc.id))
    assert [e.kind for e in events] == ["investigating"]


def _link_key(link: LegalLink) -> str:
    return f"{link.id}_{link.updated_at:%Y%m%d%H%M%S%f}"


def test_the_link_review_shows_the_chosen_links_stored_values(session, factory) -> None:
    inc = factory.incident(conducts=["view", "distribute"], occurred_on=date(2024, 8, 1))
    links = session.exec(select(LegalLink).where(LegalLink.incident_id == inc.id)).all()
    assert len(links) >= 2
    first, second = links[0], links[1]
    set_link_state(
        session, actor=factory.admin, link_id=second.id, state="removed", note="소급 불가"
    )
    session.expire_all()
    second = session.get(LegalLink, second.id)
    at = goto(signed_in(factory.user("lawyer").username), "incidents", id=str(inc.id))
    at.selectbox(key="ld_link").set_value(first.id).run()
    at.selectbox(key="ld_link").set_value(second.id).run()
    assert at.selectbox(key=f"ld_state_{_link_key(second)}").value == "removed"
    assert at.text_input(key=f"ld_note_{_link_key(second)}").value == "소급 불가"
    at.button(key="ld_submit").click().run()  # unchanged: nothing written
    assert "바뀐 내용이 없어 저장하지 않았습니다." in [i.value for i in at.info]


def test_a_link_decision_over_one_made_meanwhile_is_refused(session, factory) -> None:
    inc = factory.incident(conducts=["view"], occurred_on=date(2024, 8, 1))
    link = session.exec(select(LegalLink).where(LegalLink.incident_id == inc.id)).first()
    at = goto(signed_in(factory.user("lawyer").username), "incidents", id=str(inc.id))
    k = _link_key(link)
    set_link_state(
        session, actor=factory.admin, link_id=link.id, state="confirmed", note="다른 변호사의 판단"
    )
    at.selectbox(key=f"ld_state_{k}").set_value("removed")
    at.button(key="ld_submit").click().run()
    assert "그사이 다른 사용자가 이 항목을 바꿨습니다" in "\n".join(e.value for e in at.error)
    session.expire_all()
    fresh = session.get(LegalLink, link.id)
    assert (fresh.state, fresh.note) == ("confirmed", "다른 변호사의 판단")


def test_a_takedown_answered_meanwhile_is_not_answered_again(session, factory) -> None:
    inc = factory.incident()
    row = request_takedown(
        session,
        actor=factory.admin,
        incident_id=inc.id,
        platform="telegram",
        requested_on=date(2024, 9, 2),
    )
    resolve_takedown(
        session,
        actor=factory.admin,
        takedown_id=row.id,
        outcome="removed",
        resolved_on=date(2024, 9, 3),
        expected_outcome="pending",
    )
    with pytest.raises(StaleEdit):
        resolve_takedown(
            session,
            actor=factory.admin,
            takedown_id=row.id,
            outcome="refused",
            resolved_on=date(2024, 9, 4),
            expected_outcome="pending",
        )
    session.expire_all()
    assert session.get(Takedown, row.id).outcome == "removed"


# --- sign-in and sign-out on one tab ---------------------------------------------------


def _admin_makes_a_brief_with_victim_details(factory):
    admin = factory.admin
    inc = factory.incident(victim_contact="010-1234-5678", occurred_on=date(2024, 8, 1))
    at = goto(signed_in(admin.username), "briefs", kind="incident", id=str(inc.id))
    reveal = next(c for c in at.checkbox if c.key and c.key.endswith("brief_reveal"))
    reveal.check().run()
    at.button(key="brief_generate").click().run()
    assert not at.exception, at.exception
    assert any(b.key == "brief_download" for b in at.get("download_button"))
    return at


def _sign_in_on_the_same_tab(at, username: str):
    assert "user_id" not in at.session_state
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input("correct horse battery")
    at.button[0].click().run()
    assert "user_id" in at.session_state
    return goto(at, "briefs")


def _nothing_left(at) -> None:
    assert not any(b.key == "brief_download" for b in at.get("download_button"))
    assert not [s.value for s in at.success]
    left = [k for k in at.session_state if "brief_result" in k]
    assert left == [], left


def test_sign_out_leaves_nothing_for_the_next_user(session, factory) -> None:
    at = _admin_makes_a_brief_with_victim_details(factory)
    at.button(key="sign_out").click().run()
    at = _sign_in_on_the_same_tab(at, factory.user("advocate").username)
    _nothing_left(at)


def test_sign_out_keeps_the_language_only(session, factory) -> None:
    at = signed_in(factory.user("advocate").username, lang="en")
    at.button(key="sign_out").click().run()
    # What is left is the language and the login form drawn after the sign-out.
    left = {k for k in at.session_state if "login" not in k}
    assert left == {"lang", "lang_choice"}, left
    assert at.session_state["lang"] == "en"
    assert "Sign in" in [s.value for s in at.subheader]


def test_the_idle_timeout_leaves_nothing_for_the_next_user(session, factory) -> None:
    at = _admin_makes_a_brief_with_victim_details(factory)
    at.session_state["last_seen"] = time.monotonic() - 24 * 3600  # idle for a day
    at.run()
    assert "오랫동안 사용하지 않아" in texts(at)
    at = _sign_in_on_the_same_tab(at, factory.user("advocate").username)
    _nothing_left(at)


def test_a_viewer_is_not_shown_the_new_incident_form(session, factory) -> None:
    at = goto(signed_in(factory.user("viewer").username), "incidents", new="1")
    assert not at.exception
    assert "새 사건을 기록할 수는 없습니다" in texts(at)
    assert not at.text_input and not any(b.key for b in at.button if "save" in (b.key or ""))
    advocate = goto(signed_in(factory.user("advocate").username), "incidents", new="1")
    assert advocate.text_input  # the form is there for a role that may record
