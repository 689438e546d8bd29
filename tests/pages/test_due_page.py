"""The "What is due" page and the Overview count, through the real app (AppTest)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from casebook.incidents import deadlines, tasks
from db.models import Deadline, Task
from tests.pagetest import goto, signed_in, texts


def test_viewer_has_no_due_page(session, factory) -> None:
    viewer = factory.user("viewer")
    at = signed_in(viewer.username)
    assert "due" not in at.session_state["_pages"]
    assert "할 일과 기한" not in texts(at)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_lawyer_sees_computed_deadline_and_confirms_it(session, factory, lang) -> None:
    lawyer = factory.user("lawyer")
    inc = factory.incident(actor=lawyer, title="합성물 유포 사건 가")
    deadlines.start_deadline(
        session, actor=lawyer, incident_id=inc.id, rule_id="ruling", trigger_on=date(2026, 9, 29)
    )
    tasks.add_task(
        session,
        actor=lawyer,
        incident_id=inc.id,
        title="재정신청서 초안",
        assignee_id=lawyer.id,
        due_on=date(2026, 10, 1),
    )
    at = signed_in(lawyer.username, lang=lang)
    # The Overview counts the user's own: both items are overdue, one deadline unconfirmed.
    overview = texts(at)
    assert ("기한 지남 2건" if lang == "ko" else "2 overdue") in overview
    goto(at, "due")
    page = texts(at)
    assert "2026-10-12" in page and "재정신청서 초안" in page and "합성물 유포 사건 가" in page
    assert ("계산됨(미확인)" if lang == "ko" else "Computed (unconfirmed)") in page
    assert ("형사소송법 제260조제3항") in page
    assert at.warning and not at.exception
    at.date_input(key="due_confirm_0").set_value(date(2026, 10, 13))
    at.button(key="due_confirm").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    session.expire_all()
    row = session.exec(select(Deadline)).one()
    assert (row.state, row.due_on, row.confirmed_by_id) == (
        "corrected",
        date(2026, 10, 13),
        lawyer.id,
    )
    assert ("변호사 정정" if lang == "ko" else "Corrected by a lawyer") in texts(at)


def test_advocate_adds_and_finishes_a_task(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident(actor=adv)
    at = goto(signed_in(adv.username), "due")
    assert "남은 할 일이나 기한이 없습니다." in texts(at) and not at.exception
    at.number_input(key="due_task_incident").set_value(inc.id)
    at.text_input(key="due_task_title").input("방심위 심의 요청")
    at.selectbox(key="due_task_assignee").set_value(adv.id)
    at.button[[b.label for b in at.button].index("할 일 추가")].click().run()
    assert not at.error, [e.value for e in at.error]
    assert "방심위 심의 요청" in texts(at)
    # An advocate cannot confirm legal deadlines: the forms are not offered.
    assert "due_confirm" not in [b.key for b in at.button]
    at.button(key="due_done").click().run()
    session.expire_all()
    assert session.exec(select(Task)).one().done_on == date.today()
    assert "방심위 심의 요청" not in texts(at)


def test_empty_title_shows_a_translated_message(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident(actor=adv)
    at = goto(signed_in(adv.username, lang="en"), "due")
    at.number_input(key="due_task_incident").set_value(inc.id)
    at.button[[b.label for b in at.button].index("Add a task")].click().run()
    assert "Title: This field is required." in "\n".join(e.value for e in at.error)
    assert session.exec(select(Task)).all() == []


def test_lawyer_works_out_a_limitation_for_a_minor_victim(session, factory) -> None:
    lawyer = factory.user("lawyer")
    inc = factory.incident(actor=lawyer)
    at = goto(signed_in(lawyer.username), "due")
    at.number_input(key="due_lim_incident").set_value(inc.id)
    at.date_input(key="due_lim_ended").set_value(date(2024, 3, 10))
    at.date_input(key="due_lim_birth").set_value(date(2010, 5, 5))
    at.button[[b.label for b in at.button].index("공소시효 계산")].click().run()
    assert not at.error, [e.value for e in at.error]
    session.expire_all()
    row = session.exec(select(Deadline)).one()
    assert (row.rule_id, row.due_on, row.basis["minor_rule"]) == (
        "limitation",
        date(2036, 5, 4),
        True,
    )
    assert "2036-05-04" in texts(at)


def test_pasted_locations_then_deleted_then_reupload_on_the_page(session, factory) -> None:
    from db.models import RemovalRequest

    adv = factory.user("advocate")
    inc = factory.incident(actor=adv)
    at = goto(signed_in(adv.username), "due")
    at.number_input(key="rm_incident").set_value(inc.id)
    at.selectbox(key="rm_kind").set_value("url")
    at.text_area(key="rm_locations").input("https://a.example/1\nhttps://a.example/2\n")
    at.date_input(key="rm_on").set_value(date(2026, 1, 5))
    at.button[[b.label for b in at.button].index("삭제 요청 기록(여러 위치)")].click().run()
    assert not at.error, [e.value for e in at.error]
    first = session.exec(select(RemovalRequest).order_by(RemovalRequest.id)).first()
    at.number_input(key="rm_step_id").set_value(first.id)
    at.selectbox(key="rm_step").set_value("deleted")
    at.date_input(key="rm_step_on").set_value(date(2026, 1, 9))
    at.button[[b.label for b in at.button].index("삭제 요청의 다음 단계 기록")].click().run()
    assert not at.error, [e.value for e in at.error]
    assert "2026-01-16" in texts(at)  # the first re-check, a week after deletion
    at.radio(key="rm_check_result").set_value("reuploaded")
    at.text_input(key="rm_check_new").input("https://b.example/9")
    at.button(key="rm_check").click().run()
    assert not at.error, [e.value for e in at.error]
    session.expire_all()
    rows = session.exec(select(RemovalRequest).order_by(RemovalRequest.id)).all()
    assert [(r.location, r.parent_id) for r in rows] == [
        ("https://a.example/1", None),
        ("https://a.example/2", None),
        ("https://b.example/9", first.id),
    ]
