from sqlalchemy import text
from sqlmodel import select

from casebook.access import audit
from db.models import AuditLog


def _tamper(session, sql: str, **params: object) -> None:
    # On PostgreSQL a trigger refuses UPDATE/DELETE on auditlog (0002_security); a
    # superuser (the test role) can switch it off, which is the attack being detected.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))
    session.execute(text(sql), params)
    session.commit()


def test_every_write_leaves_a_chained_audit_row(session, factory) -> None:
    inc = factory.incident(title="감사 대상", victim_contact="010-1234-5678")
    rows = list(session.exec(select(AuditLog).order_by(AuditLog.id)))
    assert [r.action for r in rows][-1] == "incident.create"
    last = rows[-1]
    assert last.entity_id == str(inc.id) and last.after["title"] == "감사 대상"
    assert last.after["victim_contact_enc"] == audit.MASK  # never the ciphertext or clear text
    assert "010-1234-5678" not in str(last.after)
    for prev, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == prev.hash
    assert audit.verify_chain(session).ok


def test_tampering_is_detected_at_the_first_bad_row(session, factory) -> None:
    for n in range(3):
        factory.incident(title=f"사건 {n}")
    ids = list(session.exec(select(AuditLog.id).order_by(AuditLog.id)))
    target = ids[len(ids) // 2]
    _tamper(session, "UPDATE auditlog SET actor_name = 'mallory' WHERE id = :id", id=target)
    report = audit.verify_chain(session)
    assert (report.ok, report.first_bad_id, report.reason) == (False, target, "hash")


def test_a_deleted_row_breaks_the_chain(session, factory) -> None:
    for n in range(3):
        factory.incident(title=f"사건 {n}")
    ids = list(session.exec(select(AuditLog.id).order_by(AuditLog.id)))
    _tamper(session, "DELETE FROM auditlog WHERE id = :id", id=ids[2])
    report = audit.verify_chain(session)
    assert (report.ok, report.first_bad_id, report.reason) == (False, ids[3], "link")


def test_deleting_the_last_row_is_detected(session, factory) -> None:
    factory.incident()
    last = session.exec(select(AuditLog.id).order_by(AuditLog.id.desc())).first()
    _tamper(session, "DELETE FROM auditlog WHERE id = :id", id=last)
    assert audit.verify_chain(session).reason == "tail"
