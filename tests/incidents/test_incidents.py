from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from casebook.errors import InvalidInput, PermissionDenied, StaleEdit
from casebook.incidents import store as incidents
from casebook.incidents.queries import IncidentFilter, list_incidents
from db.models import AuditLog, Incident, IncidentConduct


def _count(session, table=Incident) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def test_record_incident_stores_fields_links_and_derived_columns(session, factory) -> None:
    inst = factory.institution(name="인하대학교", kind="university", region="incheon")
    inc = factory.incident(
        institution_ids=[inst.id],
        conducts=["view", "create"],
        victims_count=20,
        victims_minor=2,
        reported_on=date(2024, 8, 20),
        occurred_on=date(2024, 3, 1),
    )
    stored = session.get(Incident, inc.id)
    assert (stored.region, stored.institution_kind, stored.reported_month, stored.has_minor) == (
        "incheon",
        "university",
        "2024-08",
        True,
    )
    conducts = session.exec(
        select(IncidentConduct.conduct).where(IncidentConduct.incident_id == inc.id)
    )
    assert sorted(conducts) == ["create", "view"]


BAD = [
    ({"title": "   "}, "title", "errors.required"),
    ({"reported_on": date.today() + timedelta(days=1)}, "reported_on", "errors.date_in_future"),
    (
        {"occurred_on": date(2024, 9, 2), "reported_on": date(2024, 9, 1)},
        "occurred_on",
        "errors.occurred_after_reported",
    ),
    ({"victims_count": -1}, "victims_count", "errors.negative"),
    ({"suspects_count": -3}, "suspects_count", "errors.negative"),
    ({"victims_count": 1, "victims_minor": 2}, "victims_minor", "errors.minors_exceed_victims"),
    ({"conducts": ["create", "teleport"]}, "conducts", "errors.unknown_value"),
    ({"reported_on": "2024-13-40"}, "reported_on", "errors.bad_date"),
    ({"victims_count": "many"}, "victims_count", "errors.not_a_number"),
]


@pytest.mark.parametrize("override,field,problem", BAD)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    session, factory, override, field, problem
) -> None:
    admin = factory.admin
    before = (_count(session), _count(session, AuditLog))
    data = {"title": "제목", "reported_on": date(2024, 9, 1)} | override
    with pytest.raises(InvalidInput) as exc:
        incidents.record_incident(session, actor=admin, data=data)
    assert exc.value.problems == {field: problem}
    assert exc.value.message("en").startswith("Please check your input.")
    session.rollback()
    assert (_count(session), _count(session, AuditLog)) == before


def test_viewer_cannot_write(session, factory) -> None:
    viewer = factory.user(role="viewer")
    with pytest.raises(PermissionDenied):
        incidents.record_incident(
            session, actor=viewer, data={"title": "x", "reported_on": date(2024, 1, 1)}
        )


def test_stale_edit_is_refused_and_nothing_is_overwritten(session, factory, engine) -> None:
    inc = factory.incident(title="원래 제목")
    admin = factory.admin
    detail = incidents.get_incident(session, actor=admin, incident_id=inc.id)
    data = incidents.form_data(detail)
    saved = incidents.update_incident(
        session,
        actor=admin,
        incident_id=inc.id,
        expected_version=1,
        data=data | {"title": "첫 저장"},
    )
    assert saved.version == 2
    with pytest.raises(StaleEdit):
        incidents.update_incident(
            session,
            actor=admin,
            incident_id=inc.id,
            expected_version=1,
            data=data | {"title": "늦은 저장"},
        )
    session.expire_all()
    assert session.get(Incident, inc.id).title == "첫 저장"
    update = session.exec(select(AuditLog).where(AuditLog.action == "incident.update")).one()
    assert (update.before["title"], update.after["title"]) == ("원래 제목", "첫 저장")


def test_victim_contact_is_encrypted_and_hidden_by_default(session, factory) -> None:
    inc = factory.incident(victim_contact="피해자 010-9999-0000")
    raw = session.execute(
        text("SELECT victim_contact_enc FROM incident WHERE id = :id"), {"id": inc.id}
    ).scalar_one()
    assert "010-9999-0000" not in raw
    advocate = factory.user(role="advocate")
    hidden = incidents.get_incident(session, actor=advocate, incident_id=inc.id)
    assert hidden.victim_contact is None and hidden.victim_contact_hidden
    with pytest.raises(PermissionDenied):
        incidents.get_incident(session, actor=advocate, incident_id=inc.id, reveal_victim=True)
    lawyer = factory.user(role="lawyer")
    shown = incidents.get_incident(session, actor=lawyer, incident_id=inc.id, reveal_victim=True)
    assert shown.victim_contact == "피해자 010-9999-0000"
    granted = factory.user(role="advocate", can_see_victim_details=True)
    assert (
        incidents.get_incident(
            session, actor=granted, incident_id=inc.id, reveal_victim=True
        ).victim_contact
        == "피해자 010-9999-0000"
    )


def test_list_filters_and_pages_on_the_server(session, factory) -> None:
    busan = factory.institution(name="부산중학교", kind="middle_school", region="busan")
    seoul = factory.institution(name="서울대학교", kind="university", region="seoul")
    for n in range(7):
        factory.incident(
            title=f"부산 {n}",
            institution_ids=[busan.id],
            victims_minor=1,
            reported_on=date(2024, 8, n + 1),
            conducts=["create"],
        )
    for n in range(3):
        factory.incident(
            title=f"서울 {n}",
            institution_ids=[seoul.id],
            reported_on=date(2024, 9, n + 1),
            conducts=["view"],
            status="arrested",
        )
    admin = factory.admin
    page = list_incidents(
        session, actor=admin, filters=IncidentFilter(region="busan"), page=2, page_size=5
    )
    assert (page.total, page.pages, [r.title for r in page.rows]) == (7, 2, ["부산 1", "부산 0"])
    assert [
        r.title
        for r in list_incidents(
            session, actor=admin, filters=IncidentFilter(conduct="view", status="arrested")
        ).rows
    ] == ["서울 2", "서울 1", "서울 0"]
    assert (
        list_incidents(
            session,
            actor=admin,
            filters=IncidentFilter(kind="middle_school", minors=True, date_from=date(2024, 8, 6)),
        ).total
        == 2
    )
    assert list_incidents(session, actor=admin, filters=IncidentFilter(text="서울")).total == 3
    assert (
        list_incidents(session, actor=admin, filters=IncidentFilter(institution_id=seoul.id)).total
        == 3
    )
