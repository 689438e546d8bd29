"""A confidential incident tried by every role through every read and write (issue 19).

Outside its team it is NotFound by id, absent from lists, search and exports, and still
counted in dashboards; the team and admins open it in full, and each such read is audited.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from casebook.analytics.overview import overview
from casebook.briefs.incident import collect_incident
from casebook.errors import InvalidInput, NotFound, PermissionDenied
from casebook.importing.export import export_bytes
from casebook.incidents.confidential import case_access, set_confidential
from casebook.incidents.evidence import list_evidence, register_evidence
from casebook.incidents.legal_links import list_links
from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.incidents.store import get_incident, update_incident
from casebook.incidents.takedowns import list_takedowns, request_takedown
from casebook.incidents.workflow import add_event, timeline
from db.models import AuditLog

READS = {
    "get_incident": lambda s, a, i: get_incident(s, actor=a, incident_id=i),
    "list_evidence": lambda s, a, i: list_evidence(s, actor=a, incident_id=i),
    "list_links": lambda s, a, i: list_links(s, actor=a, incident_id=i),
    "list_takedowns": lambda s, a, i: list_takedowns(s, actor=a, incident_id=i),
    "timeline": lambda s, a, i: timeline(s, actor=a, incident_id=i),
}


@pytest.fixture
def case(session, factory):
    team_lawyer, team_viewer = factory.user("lawyer"), factory.user("viewer")
    outsiders = {r: factory.user(r) for r in ("lawyer", "advocate", "viewer")}
    open_one = factory.incident(title="공개 사건")
    secret = factory.incident(title="비공개 사건 표식", notes="비공개 메모")
    request_takedown(
        session,
        actor=factory.admin,
        incident_id=secret.id,
        platform="telegram",
        requested_on=date(2024, 9, 2),
        note="삭제 요청 메모",
    )
    set_confidential(
        session, actor=team_lawyer, incident_id=secret.id, confidential=True, team=[team_viewer.id]
    )
    return team_lawyer, team_viewer, outsiders, open_one, secret


def _reads(session) -> int:
    query = select(func.count()).where(AuditLog.action == "incident.read_confidential")
    return session.exec(query.select_from(AuditLog)).one()


@pytest.mark.parametrize("role", ["lawyer", "advocate", "viewer"])
def test_outsiders_find_it_nowhere_but_in_counts(session, factory, case, role):
    _, _, outsiders, open_one, secret = case
    actor = outsiders[role]
    for read in READS.values():
        with pytest.raises(NotFound):
            read(session, actor, secret.id)
        read(session, actor, open_one.id)  # the open incident still reads
    page = list_incidents(session, actor=actor)
    assert ([r.id for r in page.rows], page.total) == ([open_one.id], 1)
    if role != "viewer":
        found = list_incidents(session, actor=actor, filters=IncidentFilter(text="비공개 사건"))
        assert found.total == 0
        data, count = export_bytes(session, actor=actor, fmt="json")
        assert count == 1 and "비공개" not in data.decode()
        with pytest.raises(NotFound):
            edit = {"title": "덮어쓰기", "reported_on": date(2024, 9, 1)}
            update_incident(
                session, actor=actor, incident_id=secret.id, expected_version=1, data=edit
            )
        with pytest.raises(NotFound):
            add_event(
                session,
                actor=actor,
                incident_id=secret.id,
                kind="note",
                occurred_on=date(2024, 9, 3),
                note="x",
                expected_version=1,
            )
        with pytest.raises(NotFound):
            register_evidence(session, actor=actor, incident_id=secret.id, data=b"x")
    if role == "lawyer":
        with pytest.raises(NotFound):
            collect_incident(session, actor=actor, incident_id=secret.id, as_of=date(2025, 1, 1))
    # Statistics stay right: the dashboard counts both.
    assert overview(session, actor=actor).incidents == 2
    assert _reads(session) == 0


def test_the_team_and_admins_open_it_and_every_full_read_is_audited(session, factory, case):
    team_lawyer, team_viewer, _, _, secret = case
    detail = get_incident(session, actor=team_lawyer, incident_id=secret.id)
    assert (detail.level, detail.incident.notes) == ("full", "비공개 메모")
    assert [t.note for t in list_takedowns(session, actor=team_lawyer, incident_id=secret.id)] == [
        "삭제 요청 메모"
    ]
    assert get_incident(session, actor=factory.admin, incident_id=secret.id).level == "full"
    assert _reads(session) == 3
    rows = session.exec(select(AuditLog).where(AuditLog.action == "incident.read_confidential"))
    assert {r.actor_id for r in rows} == {team_lawyer.id, factory.admin.id}
    # A viewer on the team sees it, redacted, and that is not a full read.
    seen = get_incident(session, actor=team_viewer, incident_id=secret.id)
    assert (seen.level, seen.incident.notes, seen.incident.title) == ("redacted", "", "")
    assert _reads(session) == 3
    assert list_incidents(session, actor=team_lawyer).total == 2
    page = list_incidents(session, actor=team_viewer)
    assert page.total == 2 and all(r.title == "" for r in page.rows)


def test_setting_the_team_is_audited_and_checked(session, factory, case):
    team_lawyer, team_viewer, outsiders, open_one, secret = case
    access = case_access(session, actor=team_lawyer, incident_id=secret.id)
    assert access.confidential and {m.id for m in access.team} == {team_lawyer.id, team_viewer.id}
    with pytest.raises(NotFound):
        set_confidential(
            session, actor=outsiders["lawyer"], incident_id=secret.id, confidential=False, team=[]
        )
    with pytest.raises(PermissionDenied):
        set_confidential(
            session, actor=outsiders["viewer"], incident_id=open_one.id, confidential=True, team=[]
        )
    with pytest.raises(InvalidInput):
        set_confidential(
            session, actor=team_lawyer, incident_id=secret.id, confidential=True, team=[999_999]
        )
    set_confidential(
        session, actor=factory.admin, incident_id=secret.id, confidential=False, team=[]
    )
    entry = session.exec(
        select(AuditLog).where(AuditLog.action == "incident.access").order_by(AuditLog.id.desc())
    ).first()
    assert entry.before == {"confidential": True, "team": sorted([team_lawyer.id, team_viewer.id])}
    assert entry.after == {"confidential": False, "team": []}
    assert get_incident(session, actor=outsiders["lawyer"], incident_id=secret.id).level == "full"
