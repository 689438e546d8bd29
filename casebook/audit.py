"""The audit trail: every write leaves a row chained by SHA-256 to the one before.

Rows are appended in the same transaction as the write they describe, so a write
without its audit row cannot be committed. The chain tip lives in ``audithead``;
locking that row (FOR UPDATE on PostgreSQL; SQLite serialises writers anyway)
keeps two concurrent writers from forking the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from db.models import AuditHead, AuditLog, utcnow

GENESIS = "0" * 64
# Never written to the audit trail in clear: encrypted blobs, hashes, secrets.
MASKED_FIELDS = frozenset(
    {
        "password_hash",
        "totp_secret_enc",
        "victim_contact_enc",
        "victim_contact",
        "identifier_enc",
        "invite_link_enc",
        "identifier",
        "invite_link",
    }
)
MASK = "***"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-ready copy of a row (or dict) with sensitive fields masked."""
    data = obj if isinstance(obj, dict) else obj.model_dump()
    out = {}
    for key, value in data.items():
        if fields is not None and key not in fields:
            continue
        out[key] = MASK if key in MASKED_FIELDS and value not in (None, "") else _jsonable(value)
    return out


def _row_hash(row: AuditLog) -> str:
    payload = json.dumps(
        {
            "id": row.id,
            "at": row.at.isoformat(),
            "actor_id": row.actor_id,
            "actor_name": row.actor_name,
            "action": row.action,
            "entity": row.entity,
            "entity_id": row.entity_id,
            "before": row.before,
            "after": row.after,
            "prev_hash": row.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_head(session: Session) -> AuditHead:
    query = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.exec(query).first()
    if head is None:
        # Two first writers may race to create the row: insert-or-ignore, then lock it.
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(AuditHead)
            .values(id=1, last_hash=GENESIS, last_id=0)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        head = session.exec(query).one()
    return head


def begin_write(session: Session) -> None:
    """Take the audit chain's lock before a write touches any other row.

    Every write appends to the chain, so writers are serialised on its head row anyway.
    Taking that lock first rather than last keeps two writers from locking summary rows
    (kept by triggers) in opposite orders and deadlocking on PostgreSQL.
    """
    _lock_head(session)


def record(
    session: Session,
    *,
    actor: Any | None,
    action: str,
    entity: str,
    entity_id: object = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    """Append one audit row in the caller's transaction (the caller commits)."""
    head = _lock_head(session)
    row = AuditLog(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", "system") if actor else "system",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        prev_hash=head.last_hash,
        hash="",
    )
    session.add(row)
    session.flush()  # assigns row.id, which the hash covers
    row.hash = _row_hash(row)
    head.last_hash = row.hash
    head.last_id = row.id or 0
    session.add(head)
    return row


def record_many(session: Session, *, actor: Any | None, entries: list[dict]) -> int:
    """Append many audit rows at once (bulk imports), keeping the chain exactly as
    ``record`` would: ids are reserved first because each row's hash covers its id.

    Each entry has the keyword arguments of ``record`` except ``actor``; ``before`` and
    ``after`` must already be JSON-ready (as ``snapshot`` returns them). Returns the
    number of rows written. The caller commits.
    """
    if not entries:
        return 0
    from sqlalchemy import func, insert, text

    head = _lock_head(session)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.execute(text(
            "SELECT nextval(pg_get_serial_sequence('auditlog', 'id')) "
            "FROM generate_series(1, :n)"), {"n": len(entries)}).scalars())  # fmt: skip
    else:  # SQLite serialises writers; the next rowids are ours
        top = session.exec(select(func.max(AuditLog.id))).one() or 0
        first = max(top, head.last_id) + 1
        ids = list(range(first, first + len(entries)))
    prev, now, rows = head.last_hash, utcnow(), []
    actor_id = getattr(actor, "id", None)
    actor_name = getattr(actor, "username", "system") if actor else "system"
    for row_id, entry in zip(ids, entries, strict=True):
        # A plain namespace, not an AuditLog: building 10,000 SQLModel objects costs seconds.
        row = SimpleNamespace(
            id=row_id, at=now, actor_id=actor_id, actor_name=actor_name,
            action=entry["action"], entity=entry["entity"],
            entity_id=str(entry.get("entity_id", "")),
            before=entry.get("before"), after=entry.get("after"), prev_hash=prev,
        )  # fmt: skip
        row.hash = prev = _row_hash(row)  # type: ignore[arg-type]
        rows.append(vars(row))
    session.execute(insert(AuditLog.__table__), rows)
    head.last_hash, head.last_id = prev, ids[-1]
    session.add(head)
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    rows: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole chain; report the first row whose hash or link is wrong."""
    prev = GENESIS
    count = 0
    last_id = 0
    for row in session.exec(select(AuditLog).order_by(AuditLog.id)).yield_per(1000):
        count += 1
        if row.prev_hash != prev:
            return ChainReport(False, count, row.id, "link")
        if _row_hash(row) != row.hash:
            return ChainReport(False, count, row.id, "hash")
        prev = row.hash
        last_id = row.id or 0
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_hash != prev or head.last_id != last_id):
        return ChainReport(False, count, head.last_id, "tail")
    return ChainReport(True, count)


def list_audit(
    session: Session,
    *,
    actor: Any,
    entity: str | None = None,
    action: str | None = None,
    username: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditLog]:
    from casebook.permissions import require

    require(actor, "audit.read")
    query = select(AuditLog)
    if entity:
        query = query.where(AuditLog.entity == entity)
    if action:
        query = query.where(AuditLog.action == action)
    if username:
        query = query.where(AuditLog.actor_name == username)
    return list(session.exec(query.order_by(AuditLog.id.desc()).offset(offset).limit(limit)))
