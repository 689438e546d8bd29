"""audit.record_many keeps the hash chain exactly as record does, on both backends."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import select

from casebook.access import audit
from db.models import AuditHead, AuditLog


def test_record_many_between_single_records_keeps_the_chain(session, factory) -> None:
    admin = factory.admin
    audit.record(session, actor=admin, action="test.one", entity="thing", entity_id=1)
    session.commit()
    entries = [
        {"action": "test.many", "entity": "thing", "entity_id": i, "after": {"n": i}}
        for i in range(2, 6)
    ]
    assert audit.record_many(session, actor=admin, entries=entries) == 4
    audit.record(session, actor=admin, action="test.last", entity="thing", entity_id=6)
    session.commit()
    rows = session.exec(
        select(AuditLog).where(AuditLog.entity == "thing").order_by(AuditLog.id)
    ).all()
    assert [(r.action, r.entity_id, r.after) for r in rows] == [
        ("test.one", "1", None),
        ("test.many", "2", {"n": 2}),
        ("test.many", "3", {"n": 3}),
        ("test.many", "4", {"n": 4}),
        ("test.many", "5", {"n": 5}),
        ("test.last", "6", None),
    ]
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    head = session.get(AuditHead, 1)
    assert head.last_id == rows[-1].id and head.last_hash == rows[-1].hash
    assert audit.verify_chain(session).ok
    assert audit.record_many(session, actor=admin, entries=[]) == 0


def test_tampering_with_a_bulk_row_is_detected(session, factory) -> None:
    admin = factory.admin
    audit.record_many(
        session,
        actor=admin,
        entries=[{"action": "test.many", "entity": "thing", "entity_id": i} for i in range(3)],
    )
    session.commit()
    row = session.exec(
        select(AuditLog).where(AuditLog.entity == "thing", AuditLog.entity_id == "1")
    ).one()
    if session.get_bind().dialect.name == "postgresql":
        # The table refuses UPDATE (0002_security); a superuser can switch that off.
        session.execute(text("SET LOCAL session_replication_role = replica"))
    row.after = {"forged": True}
    session.add(row)
    session.commit()
    report = audit.verify_chain(session)
    assert (report.ok, report.first_bad_id, report.reason) == (False, row.id, "hash")


def test_record_many_stores_and_hashes_any_json_ready_entry(session, factory) -> None:
    """Before and after are serialised once (for the hash and the column): Korean text,
    quotes, nested and empty values, missing before or after all read back and verify."""
    entries = [
        {
            "action": "test.many",
            "entity": "thing",
            "entity_id": '파일 "1".csv',
            "before": {"title": '인하대 "방"', "ids": [3, 1], "ages": {"14to19": 2, "a": None}},
            "after": {"title": "수정\n됨", "ids": [], "ages": {}, "flag": True, "x": 1.5},
        },
        {"action": "test.other", "entity": "사건", "entity_id": 7, "after": {"z": 1, "a": 2}},
        {"action": "test.many", "entity": "thing", "before": {"only": "before"}},
        {"action": "test.many", "entity": "thing"},
    ]
    audit.record_many(session, actor=factory.admin, entries=entries)
    session.commit()
    session.expire_all()
    rows = session.exec(
        select(AuditLog).where(AuditLog.action.startswith("test.")).order_by(AuditLog.id)
    ).all()
    got = [(r.action, r.entity, r.entity_id, r.before, r.after) for r in rows]
    assert got == [
        (e["action"], e["entity"], str(e.get("entity_id", "")), e.get("before"), e.get("after"))
        for e in entries
    ]
    assert all(audit._row_hash(r, audit.read_audit_key()) == r.hash for r in rows)
    assert audit.verify_chain(session).ok
