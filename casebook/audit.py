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
from typing import Any

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
    head = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1, last_hash=GENESIS, last_id=0)
        session.add(head)
        session.flush()
    return head


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
