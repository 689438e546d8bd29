"""Legal links on save: then/now provisions, gap flags, and lawyer decisions that stick."""

from datetime import date

import pytest
from sqlmodel import select

from casebook.errors import InvalidInput, PermissionDenied
from casebook.incidents.legal_links import add_link, list_links, set_link_state
from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.incidents.store import update_incident
from casebook.law import engine as law
from db.models import AuditLog, Incident, LegalLink

VIEW_NOW = "sexual-crimes-act:14-2@2024-10-16"


def _links(session, incident_id):
    rows = session.exec(
        select(LegalLink).where(LegalLink.incident_id == incident_id).order_by(LegalLink.id)
    )
    return sorted(
        (r.conduct, r.victim, r.version_id, r.basis, r.gap, r.origin, r.state) for r in rows
    )


def test_viewing_adult_before_oct_2024_is_a_gap(session, factory) -> None:
    inc = factory.incident(conducts=["view"], occurred_on=date(2024, 8, 1), victims_minor=0)
    assert _links(session, inc.id) == [
        ("view", "adult", VIEW_NOW, "now", "not_criminal_then", "engine", "suggested"),
    ]
    assert session.get(Incident, inc.id).legal_gap is True


def test_minor_victim_uses_minor_provisions_then_and_now(session, factory) -> None:
    # Version ids come from the engine (the KB gains versions as texts are checked);
    # what is tested here is that the minor group is asked, then and now, deduplicated.
    on = date(2024, 8, 1)
    inc = factory.incident(conducts=["view"], occurred_on=on, victims_minor=1)
    then = {p.version_id for p in law.applicable_law("view", "minor", on).provisions}
    now = {p.version_id for p in law.applicable_law("view", "minor", date.today()).provisions}
    assert any(v.startswith("child-protection-act:11@") for v in then)
    assert VIEW_NOW in now
    # The heaviest maximum (the child-protection offence) did not rise: no gap.
    expected = [("view", "minor", v, "then", "", "engine", "suggested") for v in then]
    expected += [("view", "minor", v, "now", "", "engine", "suggested") for v in now]
    assert _links(session, inc.id) == sorted(expected)
    assert session.get(Incident, inc.id).legal_gap is False


def test_penalty_raised_for_creation_in_2024(session, factory) -> None:
    inc = factory.incident(conducts=["create"], occurred_on=date(2024, 8, 1))
    assert _links(session, inc.id) == [
        ("create", "adult", "sexual-crimes-act:14-2@2020-06-25", "then", "", "engine", "suggested"),
        ("create", "adult", VIEW_NOW, "now", "penalty_raised", "engine", "suggested"),
    ]


def test_no_gap_after_the_amendment(session, factory) -> None:
    inc = factory.incident(
        conducts=["view"], occurred_on=date(2025, 1, 5), reported_on=date(2025, 1, 6)
    )
    assert _links(session, inc.id) == [
        ("view", "adult", VIEW_NOW, "now", "", "engine", "suggested"),
        ("view", "adult", VIEW_NOW, "then", "", "engine", "suggested"),
    ]
    assert session.get(Incident, inc.id).legal_gap is False


def test_reported_on_is_used_when_occurred_on_is_missing(session, factory) -> None:
    inc = factory.incident(conducts=["view"], occurred_on=None, reported_on=date(2024, 9, 1))
    assert [r[3:5] for r in _links(session, inc.id)] == [("now", "not_criminal_then")]


def test_lawyer_decisions_survive_resave(session, factory) -> None:
    lawyer = factory.user("lawyer")
    inc = factory.incident(conducts=["create"], occurred_on=date(2024, 8, 1))
    then_link, now_link = sorted(
        session.exec(select(LegalLink).where(LegalLink.incident_id == inc.id)),
        key=lambda r: r.basis,
        reverse=True,
    )
    set_link_state(
        session, actor=lawyer, link_id=then_link.id, state="confirmed", note="당시 적용 조항 확인"
    )
    set_link_state(session, actor=lawyer, link_id=now_link.id, state="removed", note="소급 불가")
    added = add_link(
        session,
        actor=lawyer,
        incident_id=inc.id,
        version_id="network-act:74@2014-01-01",
        conduct="create",
        basis="then",
        note="정보통신망법 검토",
    )
    # The incident no longer has a live gap: the only gap row was removed by the lawyer.
    assert session.get(Incident, inc.id).legal_gap is False
    data = {
        "title": "수정된 제목",
        "reported_on": inc.reported_on,
        "occurred_on": inc.occurred_on,
        "conducts": ["create"],
    }
    update_incident(session, actor=lawyer, incident_id=inc.id, expected_version=1, data=data)
    assert _links(session, inc.id) == [
        ("create", "adult", "network-act:74@2014-01-01", "then", "", "lawyer", "confirmed"),
        ("create", "adult", "sexual-crimes-act:14-2@2020-06-25", "then", "", "engine", "confirmed"),
        ("create", "adult", VIEW_NOW, "now", "penalty_raised", "engine", "removed"),
    ]
    notes = {r.id: r.note for r in session.exec(select(LegalLink))}
    assert notes[then_link.id] == "당시 적용 조항 확인" and notes[added.id] == "정보통신망법 검토"
    assert session.get(Incident, inc.id).legal_gap is False
    actions = [a for a in session.exec(select(AuditLog.action).order_by(AuditLog.id))]
    assert actions[-4:] == [
        "legal_link.confirmed",
        "legal_link.removed",
        "legal_link.add",
        "incident.update",
    ]


def test_advocate_and_viewer_cannot_decide(session, factory) -> None:
    inc = factory.incident(conducts=["view"])
    link = session.exec(select(LegalLink).where(LegalLink.incident_id == inc.id)).first()
    for role in ("advocate", "viewer"):
        with pytest.raises(PermissionDenied):
            set_link_state(session, actor=factory.user(role), link_id=link.id, state="removed")
        with pytest.raises(PermissionDenied):
            add_link(
                session,
                actor=factory.user(role),
                incident_id=inc.id,
                version_id=VIEW_NOW,
                conduct="view",
                basis="now",
            )


def test_add_link_validates_version(session, factory) -> None:
    inc = factory.incident(conducts=["view"])
    with pytest.raises(InvalidInput) as err:
        add_link(
            session,
            actor=factory.admin,
            incident_id=inc.id,
            version_id="nope@2020-01-01",
            conduct="dance",
            basis="later",
        )
    assert err.value.problems == {
        "version_id": "legal.unknown_version",
        "conduct": "errors.unknown_value",
        "basis": "errors.unknown_value",
    }


def test_list_links_describes_provisions(session, factory) -> None:
    inc = factory.incident(conducts=["view"], occurred_on=date(2024, 8, 1))
    views = list_links(session, actor=factory.user("viewer"), incident_id=inc.id)
    assert len(views) == 1
    v = views[0]
    assert (v.law, v.article, v.prison_max_years, v.in_force_from) == (
        "성폭력범죄의 처벌 등에 관한 특례법",
        "제14조의2 제4항",
        3.0,
        date(2024, 10, 16),
    )


def test_filters_by_gap_version_provision_and_note(session, factory) -> None:
    gap = factory.incident(conducts=["view"], occurred_on=date(2024, 8, 1))
    later = factory.incident(
        conducts=["view"], occurred_on=date(2025, 1, 5), reported_on=date(2025, 1, 6)
    )
    other = factory.incident(conducts=["distribute"], occurred_on=date(2024, 8, 1))
    admin = factory.admin

    def ids(**kw):
        page = list_incidents(session, actor=admin, filters=IncidentFilter(**kw))
        return sorted(r.id for r in page.rows)

    assert ids(legal_gap=True) == sorted([gap.id, other.id])
    assert ids(legal_gap=False) == [later.id]
    assert ids(version_id="sexual-crimes-act:14-2@2020-06-25") == [other.id]
    assert ids(version_id=VIEW_NOW) == sorted([gap.id, later.id, other.id])
    assert ids(provision_id="network-act:74") == [other.id]
    link = session.exec(select(LegalLink).where(LegalLink.incident_id == later.id)).first()
    set_link_state(session, actor=admin, link_id=link.id, state="confirmed", note="시청죄 적용")
    assert ids(legal_note="시청죄") == [later.id]
    set_link_state(session, actor=admin, link_id=link.id, state="removed", note="시청죄 아님")
    assert ids(legal_note="시청죄") == []


def test_legal_filters_use_indexes(session, factory) -> None:
    """The legal filters are answered from indexes, not by scanning link rows (SQLite plan)."""
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite")
    from sqlalchemy import func, text

    from casebook.incidents.queries import filter_clauses

    for f, index in [
        (IncidentFilter(version_id=VIEW_NOW), "ix_legallink_version_id"),
        (IncidentFilter(provision_id="sexual-crimes-act:14-2"), "ix_legallink_version_id"),
        (IncidentFilter(legal_gap=True), "ix_incident_legal_gap"),
    ]:
        query = select(func.count()).select_from(Incident).where(*filter_clauses(f))
        sql = str(query.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = " ".join(r[3] for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert index in plan, plan
