"""The audit trail: hash chain verification after tampering, the CLI, filters and paging,
masking of sensitive fields, and (PostgreSQL) append-only at the database level."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from casebook.access import audit
from casebook.cli import main
from db.models import AuditLog


def _rows(factory, n: int = 4) -> list[int]:
    for i in range(n):
        factory.incident(title=f"감사 {i}")
    return list(factory.session.exec(select(AuditLog.id).order_by(AuditLog.id)))


def _tamper(engine, sql: str, **params) -> None:
    """Change the table behind the app's back (PostgreSQL triggers switched off)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql), params)


def _chain(engine) -> audit.ChainReport:
    with Session(engine) as s:
        return audit.verify_chain(s)


def _verify(capsys) -> tuple[int, str]:
    code = main(["audit", "verify"])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_intact_chain_verifies(factory, capsys) -> None:
    ids = _rows(factory)
    code, output = _verify(capsys)
    assert code == 0 and f"intact: {len(ids)} rows" in output


def test_changed_after_is_caught(factory, engine, capsys) -> None:
    ids = _rows(factory)
    victim = ids[2]
    _tamper(engine, "UPDATE auditlog SET after = :a WHERE id = :i", a='{"title": "x"}', i=victim)
    code, output = _verify(capsys)
    assert code == 1 and f"broken at row {victim} (its content was changed)" in output
    report = _chain(engine)
    assert (report.ok, report.first_bad_id, report.reason) == (False, victim, "hash")


def test_deleted_middle_row_is_caught(factory, engine, capsys) -> None:
    ids = _rows(factory)
    _tamper(engine, "DELETE FROM auditlog WHERE id = :i", i=ids[2])
    code, output = _verify(capsys)
    assert code == 1 and f"broken at row {ids[3]}" in output
    assert _chain(engine).reason == "link"


def test_deleted_last_row_is_caught(factory, engine, capsys) -> None:
    ids = _rows(factory)
    _tamper(engine, "DELETE FROM auditlog WHERE id = :i", i=ids[-1])
    code, output = _verify(capsys)
    assert code == 1 and f"broken at row {ids[-1]} (the last rows were deleted)" in output


def test_postgresql_refuses_update_and_delete(factory, engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no append-only trigger; the hash chain covers it")
    ids = _rows(factory, 1)
    for sql in (
        "UPDATE auditlog SET action = 'x' WHERE id = :i",
        "DELETE FROM auditlog WHERE id = :i",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql), {"i": ids[0]})
    assert _chain(engine).ok


def test_sensitive_fields_never_in_clear(session, factory) -> None:
    factory.incident(victim_contact="010-1234-5678", summary="피해자 김OO 학생", notes="메모")
    row = session.exec(select(AuditLog).where(AuditLog.action == "incident.create")).first()
    assert row.after["victim_contact_enc"] == audit.MASK
    assert row.after["summary"] == audit.text_digest("피해자 김OO 학생")
    assert row.after["summary"].startswith("hmac:") and row.after["summary"].endswith(":10")
    assert row.after["notes"] == audit.text_digest("메모")


def test_list_audit_filters_and_pages(session, factory) -> None:
    admin = factory.admin
    lawyer = factory.user(role="lawyer")
    for i in range(3):
        factory.incident(actor=lawyer, title=f"쪽 {i}")
    page = audit.audit_page(
        session, actor=admin, filters=audit.AuditFilter(username=lawyer.username), page_size=2
    )
    assert (page.total, page.pages, len(page.rows)) == (3, 2, 2)
    assert [r.action for r in page.rows] == ["incident.create"] * 2
    second = audit.audit_page(
        session,
        actor=admin,
        page=2,
        page_size=2,
        filters=audit.AuditFilter(username=lawyer.username),
    )
    assert len(second.rows) == 1 and second.rows[0].id < page.rows[-1].id
    by_entity = audit.audit_page(
        session, actor=admin, filters=audit.AuditFilter(entity="user", action="user.create")
    )
    assert {r.entity_id for r in by_entity.rows} == {str(admin.id), str(lawyer.id)}
    today = datetime.now(UTC).date()
    assert (
        audit.audit_page(
            session, actor=admin, filters=audit.AuditFilter(date_from=today, date_to=today)
        ).total
        == audit.audit_page(session, actor=admin).total
    )
    tomorrow = today + timedelta(days=1)
    assert (
        audit.audit_page(session, actor=admin, filters=audit.AuditFilter(date_from=tomorrow)).total
        == 0
    )
    assert (
        audit.audit_page(
            session, actor=admin, filters=audit.AuditFilter(date_to=date(2020, 1, 1))
        ).total
        == 0
    )
    newest = audit.list_audit(session, actor=admin, action="incident.create", limit=1)
    assert [(r.action, r.actor_name) for r in newest] == [("incident.create", lawyer.username)]
    choices = audit.audit_choices(session, actor=admin)
    assert "incident.create" in choices["action"] and lawyer.username in choices["username"]
