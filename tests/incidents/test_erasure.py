"""Erasure on a victim's request: details or the whole incident, audited without the data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, text
from sqlmodel import select

from casebook.access import audit
from casebook.incidents import erasure
from db.models import (
    AuditLog,
    CustodyEvent,
    Evidence,
    Incident,
    IncidentConduct,
    IncidentEvent,
    IncidentInstitution,
    LegalLink,
    Takedown,
)

SUMMARY = "A대학 재학생 홍길동 피해"
NOTES = "피해자 어머니 전화 010-1111-2222"
CONTACT = "hong@example.org"


def _audit_text(session) -> str:
    rows = session.execute(text("SELECT * FROM auditlog")).all()
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


def _rich_incident(factory):
    inst = factory.institution()
    inc = factory.incident(
        summary=SUMMARY, notes=NOTES, victim_contact=CONTACT, institution_ids=[inst.id]
    )
    s = factory.session
    s.add(IncidentEvent(incident_id=inc.id, kind="note", occurred_on=date(2024, 9, 2), note=NOTES))
    s.add(
        LegalLink(
            incident_id=inc.id, conduct="create", victim="adult", version_id="v", basis="then"
        )
    )
    s.add(Takedown(incident_id=inc.id, platform="telegram", requested_on=date(2024, 9, 3)))
    ev = Evidence(incident_id=inc.id, sha256="c" * 64, size_bytes=1, media_type="image/png")
    s.add(ev)
    s.flush()
    s.add(CustodyEvent(evidence_id=ev.id, action="registered"))
    s.commit()
    return inc


def test_purge_details_leaves_no_clear_text(session, factory) -> None:
    inc = _rich_incident(factory)
    other = factory.incident(summary="다른 사건")
    erasure.purge_incident_details(session, actor=factory.admin, incident_id=inc.id)
    stored = session.get(Incident, inc.id)
    assert (stored.summary, stored.notes, stored.victim_contact_enc) == (
        erasure.PURGED,
        erasure.PURGED,
        None,
    )
    assert session.exec(select(IncidentEvent.note)).all() == [erasure.PURGED]
    assert session.get(Incident, other.id).summary == "다른 사건"
    trail = _audit_text(session)
    for clear in (SUMMARY, NOTES, CONTACT):
        assert clear not in trail
    last = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.action, last.entity_id, last.before, last.after) == (
        "incident.purge_details",
        str(inc.id),
        None,
        {"reason": "victim_request"},
    )
    assert audit.verify_chain(session).ok


def test_purge_whole_incident(session, factory) -> None:
    inc = _rich_incident(factory)
    other = factory.incident()
    erasure.purge_incident(session, actor=factory.admin, incident_id=inc.id, reason="legal_order")
    assert session.exec(select(Incident.id)).all() == [other.id]
    for table in (IncidentEvent, LegalLink, Takedown, Evidence):
        left = select(func.count()).select_from(table).where(table.incident_id == inc.id)
        assert session.exec(left).one() == 0, table
    assert session.exec(select(func.count()).select_from(CustodyEvent)).one() == 0
    assert session.exec(select(IncidentInstitution.incident_id)).all() == []
    assert set(session.exec(select(IncidentConduct.incident_id)).all()) == {other.id}
    assert SUMMARY not in _audit_text(session) and NOTES not in _audit_text(session)
    last = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.action, last.after) == ("incident.purge", {"reason": "legal_order"})
    assert audit.verify_chain(session).ok


def test_erase_from_the_incident_page(session, factory) -> None:
    from tests.pagetest import goto, signed_in

    inc = factory.incident(summary=SUMMARY)
    at = goto(signed_in(factory.admin.username), "incidents", id=str(inc.id))
    assert at.button(key="erase_details").disabled
    at.text_input(key="erase_confirm").input(str(inc.id)).run()
    at.button(key="erase_details").click().run()
    session.expire_all()
    assert session.get(Incident, inc.id).summary == erasure.PURGED
    lawyer = goto(signed_in(factory.user(role="lawyer").username), "incidents", id=str(inc.id))
    assert not [b for b in lawyer.button if b.key == "erase_details"]


def test_erase_command(session, factory, capsys) -> None:
    from casebook.cli import main

    inc_id = factory.incident().id
    session.close()
    assert main(["erase", "incident", str(inc_id), "--reason", "data_error"]) == 0
    assert "deleted" in capsys.readouterr().out
    assert session.get(Incident, inc_id) is None
