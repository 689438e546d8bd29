"""The red-team's eleven ways to tamper with the audit trail (reviews/security.md, M-1),
and more, each checked against ``verify_chain``: the chain is keyed (HMAC with audit.key,
which is not in the database), a missing tip or an emptied trail fails, and a head kept
outside the database (``expect``) catches a chain cut back to an earlier tip.

Tampering runs as the database's owner behind the app's back (on PostgreSQL with the
append-only trigger switched off, as a superuser could); tests/access/test_audit_pg_roles.py
shows the app's own role cannot do it there at all.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casebook.access import audit
from casebook.cli import main
from db.models import AuditHead, AuditLog
from tests.factories import Factory


def _rows(factory: Factory, n: int = 4) -> list[int]:
    for i in range(n):
        factory.incident(title=f"감사 {i}")
    return list(factory.session.exec(select(AuditLog.id).order_by(AuditLog.id)))


def _tamper(engine: Engine, *statements: tuple) -> None:
    """Run (SQL text or statement, parameters) pairs in one transaction."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for sql, params in statements:
            conn.execute(text(sql) if isinstance(sql, str) else sql, params)


def _insert(row: AuditLog) -> tuple:
    return AuditLog.__table__.insert(), row.model_dump()


def _verify(engine: Engine, expect: str | None = None) -> audit.ChainReport:
    with Session(engine) as s:
        return audit.verify_chain(s, expect=expect)


def _head(engine: Engine) -> str:
    with Session(engine) as s:
        return audit.chain_head(s)


def _set_head(engine: Engine, row_id: int) -> tuple[str, dict]:
    """The statement that points audithead at row ``row_id``, as a careful attacker would."""
    with Session(engine) as s:
        digest = s.get(AuditLog, row_id).hash
    return "UPDATE audithead SET last_id = :i, last_hash = :h", {"i": row_id, "h": digest}


def _rechain(
    engine: Engine,
    key: bytes | None,
    keep: Callable[[AuditLog], bool] = lambda row: True,
    edit: Callable[[AuditLog], None] = lambda row: None,
) -> None:
    """Recompute every hash as the public algorithm does (``key`` None) or with a guessed
    key, after dropping the rows ``keep`` refuses and editing the rest: the re-chain."""
    with Session(engine) as s:
        rows = [r for r in s.exec(select(AuditLog).order_by(AuditLog.id)) if keep(r)]
        s.expunge_all()
    statements = [("DELETE FROM auditlog", {})]
    prev = audit.GENESIS
    for new_id, row in enumerate(rows, start=1):
        edit(row)
        row.id, row.prev_hash = new_id, prev
        row.hash = audit._row_hash(row, key)
        prev = row.hash
        statements.append(_insert(row))
    statements.append(
        ("UPDATE audithead SET last_id = :i, last_hash = :h", {"i": len(rows), "h": prev})
    )
    _tamper(engine, *statements)


def _forged(engine: Engine, row_id: int, prev_hash: str) -> tuple:
    """A plausible row, hashed with the public algorithm (the attacker has no key)."""
    row = AuditLog(
        id=row_id,
        actor_name="system",
        action="incident.export",
        entity="incident",
        entity_id="1",
        after={"format": "csv"},
        prev_hash=prev_hash,
        hash="",
    )
    row.hash = audit._row_hash(row, None)
    return _insert(row)


def _hash_of(engine: Engine, row_id: int) -> str:
    with Session(engine) as s:
        return s.get(AuditLog, row_id).hash


# --- the eleven of the review, in its order ----------------------------------------


def test_1_edited_after(factory, engine) -> None:
    ids = _rows(factory)
    _tamper(
        engine,
        ("UPDATE auditlog SET after = :a WHERE id = :i", {"a": '{"title": "x"}', "i": ids[2]}),
    )
    assert (_verify(engine).reason, _verify(engine).first_bad_id) == ("hash", ids[2])


def test_2_edited_actor_name(factory, engine) -> None:
    ids = _rows(factory)
    _tamper(engine, ("UPDATE auditlog SET actor_name = 'system' WHERE id = :i", {"i": ids[1]}))
    assert (_verify(engine).reason, _verify(engine).first_bad_id) == ("hash", ids[1])


def test_3_deleted_middle_row(factory, engine) -> None:
    ids = _rows(factory)
    _tamper(engine, ("DELETE FROM auditlog WHERE id = :i", {"i": ids[2]}))
    assert (_verify(engine).reason, _verify(engine).first_bad_id) == ("link", ids[3])


def test_4_deleted_last_three_rows(factory, engine) -> None:
    ids = _rows(factory)
    _tamper(engine, ("DELETE FROM auditlog WHERE id > :i", {"i": ids[-4]}))
    assert _verify(engine).reason == "tail"


def test_5_two_rows_swapped(factory, engine) -> None:
    ids = _rows(factory)
    a, b = ids[1], ids[2]
    _tamper(
        engine,
        ("UPDATE auditlog SET id = -1 WHERE id = :a", {"a": a}),
        ("UPDATE auditlog SET id = :a WHERE id = :b", {"a": a, "b": b}),
        ("UPDATE auditlog SET id = :b WHERE id = -1", {"b": b}),
    )
    assert (_verify(engine).ok, _verify(engine).first_bad_id) == (False, a)


def test_6_forged_row_in_the_middle(factory, engine) -> None:
    ids = _rows(factory)
    k = ids[1]
    shift = [
        ("UPDATE auditlog SET id = :n WHERE id = :o", {"n": i + 1, "o": i})
        for i in reversed(ids[2:])
    ]
    _tamper(
        engine,
        *shift,
        _forged(engine, k + 1, _hash_of(engine, k)),
        ("UPDATE audithead SET last_id = last_id + 1", {}),
    )
    report = _verify(engine)
    assert (report.ok, report.first_bad_id) == (False, k + 1)


def test_7_forged_row_appended_with_the_tip_moved(factory, engine) -> None:
    ids = _rows(factory)
    forged = _forged(engine, ids[-1] + 1, _hash_of(engine, ids[-1]))
    _tamper(
        engine,
        forged,
        (
            "UPDATE audithead SET last_id = :i, last_hash = :h",
            {"i": ids[-1] + 1, "h": forged[1]["hash"]},
        ),
    )
    assert (_verify(engine).reason, _verify(engine).first_bad_id) == ("hash", ids[-1] + 1)


def test_8_last_rows_deleted_and_the_tip_moved_needs_the_kept_head(factory, engine) -> None:
    ids = _rows(factory)
    kept = _head(engine)  # what the operator kept (audit head, a backup's manifest)
    _tamper(
        engine, ("DELETE FROM auditlog WHERE id > :i", {"i": ids[-3]}), _set_head(engine, ids[-3])
    )
    # Consistent inside the database: nothing there can tell it from an older state.
    assert _verify(engine).ok
    report = _verify(engine, expect=kept)
    assert (report.ok, report.reason, report.first_bad_id) == (False, "anchor", ids[-1])


def test_9_last_rows_and_the_tip_deleted(factory, engine) -> None:
    ids = _rows(factory)
    _tamper(
        engine,
        ("DELETE FROM auditlog WHERE id > :i", {"i": ids[-3]}),
        ("DELETE FROM audithead", {}),
    )
    assert _verify(engine).reason == "nohead"


def test_9b_the_next_write_after_a_deleted_tip_keeps_it_visible(factory, engine) -> None:
    ids = _rows(factory)
    _tamper(
        engine,
        ("DELETE FROM auditlog WHERE id > :i", {"i": ids[-3]}),
        ("DELETE FROM audithead", {}),
    )
    factory.incident(title="다음 쓰기")  # rebuilds the tip, and records that it had to
    report = _verify(engine)
    assert (report.ok, report.reason, report.first_bad_id) == (False, "nohead", ids[-3] + 1)


def test_10_every_row_and_the_tip_deleted(factory, engine) -> None:
    _rows(factory)
    kept = _head(engine)
    _tamper(engine, ("DELETE FROM auditlog", {}), ("DELETE FROM audithead", {}))
    assert (_verify(engine).ok, _verify(engine).reason) == (False, "empty")
    assert _verify(engine, expect=kept).reason == "anchor"


def test_11_full_rechain_with_the_public_algorithm(factory, engine) -> None:
    _rows(factory)
    factory.session.commit()

    def relabel(row: AuditLog) -> None:
        if row.action == "incident.create":
            row.actor_name = "system"

    _rechain(engine, None, keep=lambda r: not r.action.startswith("user."), edit=relabel)
    report = _verify(engine)
    assert (report.ok, report.reason) == (False, "unkeyed")


# --- beyond the eleven ---------------------------------------------------------------


def test_full_rechain_with_a_guessed_key(factory, engine) -> None:
    _rows(factory)
    _rechain(engine, b"guess" * 8)
    assert (_verify(engine).reason, _verify(engine).first_bad_id) == ("hash", 1)


def test_rechain_of_the_rows_after_the_kept_head(factory, engine) -> None:
    """Rows after the anchor rewritten with the public algorithm, the anchor kept intact."""
    ids = _rows(factory)
    anchor = audit.format_anchor(ids[1], _hash_of(engine, ids[1]))
    forged = _forged(engine, ids[2], _hash_of(engine, ids[1]))
    _tamper(
        engine,
        ("DELETE FROM auditlog WHERE id >= :i", {"i": ids[2]}),
        forged,
        (
            "UPDATE audithead SET last_id = :i, last_hash = :h",
            {"i": ids[2], "h": forged[1]["hash"]},
        ),
    )
    assert _verify(engine, expect=anchor).reason == "hash"


def test_intact_chain_matches_the_kept_head_and_later_ones(factory, engine) -> None:
    _rows(factory, 2)
    kept = _head(engine)
    _rows(factory, 2)
    assert _verify(engine, expect=kept).ok
    assert _verify(engine, expect=_head(engine)).ok
    assert _verify(engine, expect="12:nothex").reason == "expect"


def test_cli_prints_the_head_and_checks_it(factory, capsys) -> None:
    ids = _rows(factory)
    assert main(["audit", "head"]) == 0
    head = capsys.readouterr().out.strip()
    assert head == audit.format_anchor(ids[-1], _hash_of(factory.session.get_bind(), ids[-1]))
    assert main(["audit", "verify", "--expect", head]) == 0
    assert f"head: {head}" in capsys.readouterr().out
    wrong = f"{ids[-1]}:{'0' * 64}"
    assert main(["audit", "verify", "--expect", wrong]) == 1
    assert "expected head is no longer in the chain" in capsys.readouterr().err


# --- the key and chains from before keying --------------------------------------------


def test_the_key_file_is_beside_the_secret_key_and_owner_only(factory) -> None:
    _rows(factory, 1)
    path = audit.audit_key_path()
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
    assert path.read_text().strip() not in str(_dump(factory.session))


def _dump(session: Session) -> list:
    return [tuple(r) for r in session.execute(text("SELECT * FROM auditlog"))]


def test_a_lost_key_is_never_replaced_silently(factory, engine) -> None:
    _rows(factory, 1)
    audit.audit_key_path().unlink()
    assert _verify(engine).reason == "key"
    with pytest.raises(audit.AuditKeyMissing):
        factory.incident(title="키 없음")
    factory.session.rollback()
    assert not audit.audit_key_path().exists()


def test_an_unkeyed_chain_from_before_is_keyed_by_db_upgrade(factory, engine, capsys) -> None:
    _rows(factory)
    _rechain(engine, None)  # as an older Casebook wrote it: plain SHA-256
    audit.audit_key_path().unlink()
    assert _verify(engine).reason == "unkeyed"
    assert main(["db", "upgrade"]) == 0
    assert "audit chain keyed" in capsys.readouterr().out
    assert _verify(engine).ok
    with Session(engine) as s:
        last = s.get(AuditLog, s.get(AuditHead, 1).last_id)
        assert last.action == "audit.keyed"
    # The keyed row now protects the unkeyed rows before it.
    _tamper(engine, ("UPDATE auditlog SET actor_name = 'x' WHERE id = 2", {}))
    assert _verify(engine).ok is False
    assert main(["db", "upgrade"]) == 0  # already keyed: no second row
    assert "audit chain keyed" not in capsys.readouterr().out
