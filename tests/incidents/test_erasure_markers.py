"""Erasure leaves no copy of the erased text anywhere (reviews/security.md, M-2).

A marker goes into every free-text field an incident and its child rows have, each
written through the app's own functions (so the audit trail holds whatever they record).
After ``erase details`` the purged fields' markers, and after ``erase incident`` every
marker, must be gone from the whole SQLite file (and its WAL) byte for byte, and from
the text of every PostgreSQL table. The title is the documented exception until the
incident itself is erased: it stays in the incident's earlier audit rows
(docs/security.md, "Erasure"), so it carries no marker here.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import inspect, text
from sqlmodel import Session, select

from casebook.access import audit
from casebook.cli import main
from casebook.incidents.evidence import add_custody_event, register_evidence
from casebook.incidents.store import update_incident
from casebook.incidents.takedowns import request_takedown, resolve_takedown
from casebook.incidents.workflow import add_event
from db.models import Incident, LegalLink
from tests.factories import Factory

FIELDS = (
    "summary",
    "notes",
    "suspect_relation",
    "tag",
    "source_url",
    "source_title",
    "contact",
    "event_note",
    "evidence_note",
    "custody_note",
    "legal_note",
    "takedown_by",
    "takedown_note",
    "takedown_resolution",
    "summary_v2",
)


def _markers() -> dict[str, str]:
    run = uuid.uuid4().hex[:10].upper()
    return {name: f"MK{run}{name.upper().replace('_', '')}" for name in FIELDS}


def _rich_incident(session: Session, factory: Factory, m: dict[str, str]) -> int:
    admin = factory.admin
    inc = factory.incident(
        summary=f"요약 {m['summary']}",
        notes=f"메모 {m['notes']}",
        suspect_relation=f"같은 학과 {m['suspect_relation']}",
        tags=["딥페이크", m["tag"]],
        sources=[
            {
                "url": f"https://news.example.org/{m['source_url']}",
                "title": f"기사 {m['source_title']}",
            }
        ],
        victim_contact=f"{m['contact']}@example.org",
    )
    inc = update_incident(
        session,
        actor=admin,
        incident_id=inc.id,
        expected_version=inc.version,
        data={**_data(inc), "summary": f"고친 요약 {m['summary_v2']}"},
    )
    add_event(
        session,
        actor=admin,
        incident_id=inc.id,
        expected_version=inc.version,
        kind="note",
        occurred_on=date(2024, 9, 2),
        note=f"상담 {m['event_note']}",
    )
    reg = register_evidence(
        session,
        actor=admin,
        incident_id=inc.id,
        data=uuid.uuid4().bytes,
        media_type="image/png",
        note=f"원본 {m['evidence_note']}",
    )
    add_custody_event(
        session,
        actor=admin,
        evidence_id=reg.evidence.id,
        action="received",
        note=f"인수 {m['custody_note']}",
    )
    from casebook.incidents.legal_links import set_link_state

    link = session.exec(select(LegalLink).where(LegalLink.incident_id == inc.id)).first()
    set_link_state(
        session, actor=admin, link_id=link.id, state="confirmed", note=f"검토 {m['legal_note']}"
    )
    td = request_takedown(
        session,
        actor=admin,
        incident_id=inc.id,
        platform="telegram",
        requested_on=date(2024, 9, 3),
        requested_by=f"본인 {m['takedown_by']}",
        note=f"요청 {m['takedown_note']}",
    )
    resolve_takedown(
        session,
        actor=admin,
        takedown_id=td.id,
        outcome="removed",
        resolved_on=date(2024, 9, 5),
        note=f"삭제됨 {m['takedown_resolution']}",
    )
    return inc.id


def _data(inc: Incident) -> dict:
    keep = (
        "title",
        "summary",
        "notes",
        "reported_on",
        "occurred_on",
        "platform",
        "status",
        "victims_count",
        "victims_minor",
        "suspects_count",
        "suspect_relation",
        "tags",
        "sources",
    )
    return {k: getattr(inc, k) for k in keep} | {"conducts": ["create", "distribute"]}


def _found(session: Session, markers: dict[str, str]) -> set[str]:
    """The fields whose marker is still stored anywhere in the database."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        path = Path(bind.url.database)
        blob = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        return {f for f, mk in markers.items() if mk.encode() in blob}
    found = set()
    for table in inspect(bind).get_table_names():
        rows = session.execute(text(f'SELECT t::text FROM "{table}" t')).scalars()
        blob = "\n".join(rows)
        found |= {f for f, mk in markers.items() if mk in blob}
    return found


def test_every_marker_is_stored_before_erasure(session, factory) -> None:
    markers = _markers()
    _rich_incident(session, factory, markers)
    session.commit()
    # In clear only where it belongs (contact encrypted, so not even there); never in
    # the audit trail, whose rows hold digests of free text.
    stored = _found(session, markers)
    # The first summary was edited over, the takedown note replaced when it was resolved.
    assert set(FIELDS) - {"contact", "summary", "takedown_note"} <= stored
    assert "contact" not in stored
    trail = "\n".join(str(tuple(r)) for r in session.execute(text("SELECT * FROM auditlog")))
    assert [f for f, mk in markers.items() if mk in trail] == []


def test_erase_details_then_incident_leaves_no_marker(session, factory, capsys) -> None:
    markers = _markers()
    inc_id = _rich_incident(session, factory, markers)
    session.commit()
    assert main(["erase", "details", str(inc_id), "--reason", "victim_request"]) == 0
    session.expire_all()
    assert _found(session, markers) == set()
    assert session.get(Incident, inc_id) is not None  # counts and dates stay
    assert main(["erase", "incident", str(inc_id), "--reason", "victim_request"]) == 0
    session.expire_all()
    assert _found(session, markers) == set()
    assert session.get(Incident, inc_id) is None
    assert audit.verify_chain(session).ok
    capsys.readouterr()


def test_a_digest_field_recorded_without_snapshot_is_still_digested(session, factory) -> None:
    row = audit.record(
        session,
        actor=factory.admin,
        action="test.raw",
        entity="incident",
        after={
            "note": "비밀 메모",
            "nested": [{"tags": ["이름"]}],
            "victim_contact": "010-0000-0000",
        },
    )
    session.commit()
    assert "비밀" not in str(row.after) and "이름" not in str(row.after)
    assert row.after["victim_contact"] == audit.MASK
    again = audit.snapshot(row.after)  # a snapshot recorded again keeps its digests
    assert again["note"] == row.after["note"]
