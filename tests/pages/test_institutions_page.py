"""The Institutions page per role: list, duplicate warning, merge, detail, rooms."""

import pytest
from sqlmodel import select

from db.models import ChatRoom, Institution
from tests.pagetest import goto, signed_in, texts

ROLES = ["admin", "lawyer", "advocate", "viewer"]


def _user(factory, role):
    return factory.admin if role == "admin" else factory.user(role=role)


def _keys(at) -> set[str]:
    return {w.key for w in [*at.button, *at.text_input] if w.key}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_controls_by_role(session, factory, role) -> None:
    factory.institution(name="서울대학교", aliases=["SNU"])
    factory.institution(name="부산대학교", region="busan")
    at = goto(signed_in(_user(factory, role).username), "institutions")
    assert not at.exception
    shown = texts(at)
    assert "서울대학교" in shown and "부산대학교" in shown
    keys = _keys(at)
    assert ("ni_check" in keys) is (role != "viewer")
    assert ("nr_submit" in keys) is (role != "viewer")
    assert ("mg_submit" in keys) is (role == "admin")


def test_search_by_alias(session, factory) -> None:
    factory.institution(name="서울대학교", aliases=["SNU"])
    factory.institution(name="부산대학교", region="busan")
    at = goto(signed_in(factory.admin.username), "institutions")
    at.text_input(key="inst_search").input("snu").run()
    shown = texts(at)
    assert "서울대학교" in shown and "부산대학교" not in shown


def test_create_warns_about_duplicates_first(session, factory) -> None:
    factory.institution(name="서울대학교")
    at = goto(signed_in(factory.user("advocate").username), "institutions")
    at.text_input(key="ni_name").input("서울 대학교")
    at.button(key="ni_check").click().run()
    assert [w.value for w in at.warning] == ["중복일 수 있습니다. 새로 만들기 전에 확인하세요:"]
    assert len(session.exec(select(Institution)).all()) == 1
    at.button(key="ni_anyway").click().run()
    names = sorted(i.name for i in session.exec(select(Institution)))
    assert names == ["서울 대학교", "서울대학교"]
    at.text_input(key="ni_name").input("한빛고등학교")
    at.button(key="ni_check").click().run()
    assert [s.value for s in at.success] == ["기관을 등록했습니다."]
    assert len(session.exec(select(Institution)).all()) == 3


def test_admin_merges_on_the_page(session, factory) -> None:
    a = factory.institution(name="가나대학교")
    b = factory.institution(name="가나대")
    factory.incident(institution_ids=[b.id])
    at = goto(signed_in(factory.admin.username), "institutions")
    at.selectbox(key="mg_source").set_value(b.id)
    at.selectbox(key="mg_target").set_value(a.id)
    at.button(key="mg_submit").click().run()
    assert [s.value for s in at.success] == ["병합했습니다: 사건 1건을 옮겼습니다."]
    session.expire_all()
    assert session.get(Institution, b.id).merged_into_id == a.id


def test_detail_shows_incidents(session, factory) -> None:
    a = factory.institution(name="다라대학교")
    factory.incident(title="다라대 사건", institution_ids=[a.id])
    factory.incident(title="다른 사건")
    at = goto(signed_in(factory.user("advocate").username), "institutions", id=str(a.id))
    shown = texts(at)
    # The name is user text: shown with st.text under a fixed heading, never as Markdown.
    assert (at.title[0].value, at.text[0].value) == (f"기관 #{a.id}", "다라대학교")
    assert "다라대 사건" in shown and "다른 사건" not in shown
    # A viewer sees the one row, without its title (issue 19).
    at = goto(signed_in(factory.user("viewer").username), "institutions", id=str(a.id))
    assert "다라대 사건" not in texts(at) and "1이 기관의 사건" in texts(at)


def test_rooms_tab_register_and_hidden_secret(session, factory) -> None:
    at = goto(signed_in(factory.user("advocate").username), "institutions")
    at.text_input(key="nr_label").input("대학별 방")
    at.text_input(key="nr_ident").input("-100999")
    at.button(key="nr_submit").click().run()
    room = session.exec(select(ChatRoom)).one()
    assert room.label == "대학별 방" and "-100999" not in (room.identifier_enc or "")
    viewer = goto(signed_in(factory.user("viewer").username), "institutions")
    viewer.selectbox(key="open_room").set_value(room.id).run()
    assert "-100999" not in texts(viewer)
    assert not any(b.key == "reveal_room" for b in viewer.button)


def test_advocate_edits_aliases_on_the_detail_page(session, factory) -> None:
    a = factory.institution(name="마바대학교")
    at = goto(signed_in(factory.user("advocate").username), "institutions", id=str(a.id))
    at.button(key="ei_open").click().run()
    at.text_input(key=f"ei_aliases_{a.id}_{a.version}").input("마바대; MBU")
    at.button(key="ei_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    session.expire_all()
    assert session.get(Institution, a.id).aliases == ["마바대", "MBU"]
    viewer = goto(signed_in(factory.user("viewer").username), "institutions", id=str(a.id))
    assert not any(b.key in ("ei_open", "ei_submit") for b in viewer.button)


def test_detail_links_to_its_report_for_roles_that_may_write_one(session, factory) -> None:
    a = factory.institution(name="마바대학교")
    factory.incident(title="마바대 사건", institution_ids=[a.id])
    at = goto(signed_in(factory.user("advocate").username), "institutions", id=str(a.id))
    links = [link for link in at.get("page_link") if link.proto.query_string]
    assert [link.proto.label for link in links] == ["이 기관의 보고서 만들기"]
    assert links[0].proto.query_string == f"kind=institution&id={a.id}"
    briefs = goto(at, "briefs", kind="institution", id=str(a.id))
    assert briefs.selectbox(key="brief_kind").value == "institution"
    viewer = goto(signed_in(factory.user("viewer").username), "institutions", id=str(a.id))
    assert not [link for link in viewer.get("page_link") if link.proto.query_string]
