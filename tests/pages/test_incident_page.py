"""The incident page sections per role, and the edit conflict between two sessions."""

from datetime import date

import pytest
from sqlmodel import select

from db.models import Incident, IncidentEvent, LegalLink, Takedown
from tests.pagetest import goto, signed_in, texts

ROLES = ["admin", "lawyer", "advocate", "viewer"]
WRITE_FORMS = {"ev_submit", "td_submit"}
LEGAL_FORMS = {"ld_submit", "la_submit"}


def _user(factory, role):
    return factory.admin if role == "admin" else factory.user(role=role)


def _all(at) -> str:
    return texts(at) + "\n" + "\n".join(w.value for w in at.warning)


def _forms(at) -> set[str]:
    """Keys of the submit buttons on screen: one per form."""
    return {b.key for b in at.button if b.key}


@pytest.mark.parametrize("role", ROLES)
def test_sections_and_write_controls_by_role(session, factory, role) -> None:
    inc = factory.incident(title="단면 사건", conducts=["view"], occurred_on=date(2024, 8, 1))
    at = goto(signed_in(_user(factory, role).username), "incidents", id=str(inc.id))
    assert not at.exception
    shown = _all(at)
    for heading in ("진행 경과", "적용 법령", "삭제 요청", "증거 목록"):
        assert heading in shown
    assert "공백: 당시 처벌 규정 없음" in shown  # the gap flag
    assert "성폭력범죄의 처벌 등에 관한 특례법 제14조의2 제4항" in shown
    writer = role != "viewer"
    assert _forms(at) >= WRITE_FORMS if writer else not (WRITE_FORMS & _forms(at))
    assert (_forms(at) >= LEGAL_FORMS) is (role in ("admin", "lawyer"))
    assert any(b.key == "open_edit" for b in at.button) is writer
    assert any(b.key == "evidence_register" for b in at.button) is writer
    assert (len(at.get("file_uploader")) == 1) is writer


def test_advocate_records_event_and_takedown(session, factory) -> None:
    inc = factory.incident(title="경과 사건")
    at = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    at.selectbox(key="ev_kind").set_value("investigating")
    at.text_input(key="ev_note").input("서울청 수사 착수")
    at.button(key="ev_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    session.expire_all()
    assert session.get(Incident, inc.id).status == "investigating"
    ev = session.exec(select(IncidentEvent)).one()
    assert (ev.kind, ev.note) == ("investigating", "서울청 수사 착수")
    assert "수사 개시" in texts(at)
    at.text_input(key="td_by").input("방심위")
    at.button(key="td_submit").click().run()
    row = session.exec(select(Takedown)).one()
    assert (row.platform, row.requested_by, row.outcome) == ("telegram", "방심위", "pending")


def test_illegal_event_shows_message(session, factory) -> None:
    inc = factory.incident()
    at = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    at.selectbox(key="ev_kind").set_value("school_discipline")
    at.button(key="ev_submit").click().run()
    assert not at.error
    # A conviction is not offered from "reported"; the domain refuses it anyway (unit test).
    assert "convicted" not in at.selectbox(key="ev_kind").options


def test_lawyer_removes_a_link_with_a_note(session, factory) -> None:
    inc = factory.incident(conducts=["view"], occurred_on=date(2024, 8, 1))
    link = session.exec(select(LegalLink)).one()
    at = goto(signed_in(factory.user("lawyer").username), "incidents", id=str(inc.id))
    k = f"{link.id}_{link.updated_at:%Y%m%d%H%M%S%f}"
    at.selectbox(key=f"ld_state_{k}").set_value("removed")
    at.text_input(key=f"ld_note_{k}").input("소급 적용 불가")
    at.button(key="ld_submit").click().run()
    session.expire_all()
    fresh = session.get(LegalLink, link.id)
    assert (fresh.state, fresh.note) == ("removed", "소급 적용 불가")
    assert session.get(Incident, inc.id).legal_gap is False
    assert "공백: 당시 처벌 규정 없음" not in _all(at)


def test_viewer_sees_victim_contact_hidden_and_no_edit(session, factory) -> None:
    inc = factory.incident(victim_contact="010-0000-0000")
    at = goto(signed_in(factory.user("viewer").username), "incidents", id=str(inc.id))
    assert "010-0000-0000" not in _all(at)
    assert not any(b.key in ("open_edit", "reveal") for b in at.button)


def test_two_editors_second_save_refused_and_input_kept(session, factory) -> None:
    inc = factory.incident(title="원래 제목")
    first = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    second = goto(signed_in(factory.user("lawyer").username), "incidents", id=str(inc.id))
    for at in (first, second):
        at.button(key="open_edit").click().run()
        assert at.text_input(key="f_title").value == "원래 제목"
    first.text_input(key="f_title").input("첫 번째 수정")
    first.button(key="save_edit").click().run()
    assert not first.error, [e.value for e in first.error]
    assert "저장했습니다." in [s.value for s in first.success]
    second.text_input(key="f_title").input("두 번째 수정")
    second.button(key="save_edit").click().run()
    assert [e.value for e in second.error] == [
        "다른 사용자가 먼저 이 사건을 저장했습니다. 입력한 내용은 그대로 남아 있습니다. "
        "최신 내용을 확인한 뒤 다시 저장하세요."
    ]
    assert second.text_input(key="f_title").value == "두 번째 수정"
    session.expire_all()
    fresh = session.get(Incident, inc.id)
    assert (fresh.title, fresh.version) == ("첫 번째 수정", 2)


def test_list_filters_by_legal_gap_institution_and_provision(session, factory) -> None:
    inst = factory.institution(name="필터대학교")
    factory.incident(
        title="공백 사건",
        conducts=["view"],
        occurred_on=date(2024, 8, 1),
        institution_ids=[inst.id],
    )
    factory.incident(
        title="유포 사건",
        conducts=["distribute"],
        occurred_on=date(2025, 1, 2),
        reported_on=date(2025, 1, 3),
    )
    at = goto(signed_in(factory.user("advocate").username), "incidents")
    at.selectbox(key="flt_gap").set_value("yes").run()
    shown = texts(at)
    assert "공백 사건" in shown and "유포 사건" not in shown
    at.selectbox(key="flt_gap").set_value("").run()
    at.text_input(key="flt_provision").input("network-act:74").run()
    shown = texts(at)
    assert "유포 사건" in shown and "공백 사건" not in shown
    at.text_input(key="flt_provision").input("").run()
    at.selectbox(key="flt_institution").set_value(inst.id).run()
    shown = texts(at)
    assert "공백 사건" in shown and "유포 사건" not in shown
    # A viewer gets the same rows without their titles, and no text search (issue 19).
    at = goto(signed_in(factory.user("viewer").username), "incidents")
    at.selectbox(key="flt_gap").set_value("yes").run()
    shown = texts(at)
    assert "총 1건" in shown and "공백 사건" not in shown and "유포 사건" not in shown
    assert not [w for w in at.text_input if w.key == "flt_text"]


def test_edit_saves_new_fields_and_audits_before_and_after(session, factory) -> None:
    from db.models import AuditLog

    inc = factory.incident(title="편집 전")
    at = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    at.button(key="open_edit").click().run()
    at.text_input(key="f_title").input("편집 후")
    at.text_input(key="f_age_14to19").input("3")
    at.text_input(key="f_relation").input("같은 학교 학생")
    at.text_input(key="f_tags").input("지인능욕; 학교")
    at.button(key="save_edit").click().run()
    assert not at.error, [e.value for e in at.error]
    session.expire_all()
    fresh = session.get(Incident, inc.id)
    assert (fresh.title, fresh.suspects_by_age, fresh.suspect_relation, fresh.tags) == (
        "편집 후",
        {"14to19": 3},
        "같은 학교 학생",
        ["지인능욕", "학교"],
    )
    row = session.exec(select(AuditLog).where(AuditLog.action == "incident.update")).one()
    assert (row.before["title"], row.after["title"]) == ("편집 전", "편집 후")
    assert (row.before["suspects_by_age"], row.after["suspects_by_age"]) == ({}, {"14to19": 3})


def test_advocate_registers_evidence_through_the_uploader(session, factory) -> None:
    from db.models import Evidence

    a, b = factory.incident(), factory.incident()
    payload = b"CASEBOOK-UPLOAD-MARKER " * 10
    for inc in (a, b):
        at = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
        at.get("file_uploader")[0].set_value(("secret-name.bin", payload, "application/pdf")).run()
        at.text_input(key="evidence_note").input("제보자 전달본")
        at.button(key="evidence_register").click().run()
        assert not at.error, [e.value for e in at.error]
    rows = session.exec(select(Evidence).order_by(Evidence.id)).all()
    assert [(r.incident_id, r.size_bytes, r.media_type, r.note) for r in rows] == [
        (a.id, len(payload), "application/pdf", "제보자 전달본"),
        (b.id, len(payload), "application/pdf", "제보자 전달본"),
    ]
    assert f"#{rows[1].id}: 다른 사건의 일치 항목: 사건 #{a.id} (동일 파일)" in [
        w.value for w in at.warning
    ]
    assert [s.value for s in at.success] == [f"등록했습니다. SHA-256 {rows[1].sha256}"]
    assert "secret-name" not in str([r.model_dump() for r in rows])


def test_uploader_is_empty_after_registration_and_a_file_is_not_registered_twice(
    session, factory
) -> None:
    from db.models import Evidence

    inc = factory.incident()
    payload = b"CASEBOOK-ONCE-MARKER " * 10
    at = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    at.get("file_uploader")[0].set_value(("once.bin", payload, "application/pdf")).run()
    at.button(key="evidence_register").click().run()
    assert not at.error, [e.value for e in at.error]
    # Security review M-4: the widget no longer holds the file, so Register is off and
    # a second click cannot register it again.
    uploader = at.get("file_uploader")[0]
    assert uploader.value in (None, []) and uploader.key != "evidence_file_0"
    assert at.button(key="evidence_register").disabled
    assert len(session.exec(select(Evidence)).all()) == 1
    # Uploaded again on purpose: refused with a message, nothing registered.
    at.get("file_uploader")[0].set_value(("again.bin", payload, "application/pdf")).run()
    at.button(key="evidence_register").click().run()
    duplicate = "이 파일은 이미 이 사건에 등록되어 있습니다(같은 SHA-256)."
    assert len(at.error) == 1 and duplicate in at.error[0].value
    assert len(session.exec(select(Evidence)).all()) == 1


def test_legal_section_splits_a_continuing_act_from_the_act_to_today(session, factory) -> None:
    # Issue 18: viewing since 2024-08-01 was no offence until 2024-10-15, then Art. 14-2(4).
    inc = factory.incident(conducts=["view"], occurred_on=date(2024, 8, 1))
    at = goto(signed_in(factory.user("lawyer").username), "incidents", id=str(inc.id))
    assert not at.exception
    assert "계속되는 행위(소지·저장·시청): 2024-08-01부터" in _all(at) or any(
        "계속되는 행위" in m.value for m in at.markdown
    )
    table = next(df.value for df in at.dataframe if "기간" in df.value.columns)
    parts = list(table["기간"])
    assert parts[0] == "2024-08-01 ~ 2024-10-15" and parts[1].startswith("2024-10-16 ~ ")
    assert "sexual-crimes-act:14-2@2024-10-16" in table.to_string()
