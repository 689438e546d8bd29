"""The audit trail: every write leaves a row chained by SHA-256 to the one before.

Rows are appended in the same transaction as the write they describe, so a write
without its audit row cannot be committed. The chain tip lives in ``audithead``;
locking that row (FOR UPDATE on PostgreSQL; SQLite serialises writers anyway)
keeps two concurrent writers from forking the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

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
# Free text that may identify a victim: kept out of the trail as a keyed digest, so the
# trail still shows that it changed, and purging an incident leaves no copy behind in
# rows that must never be edited (docs/security.md, "Erasure").
DIGEST_FIELDS = frozenset({"summary", "notes", "note"})


def text_digest(text: str, key: bytes | None = None) -> str:
    """A keyed fingerprint of ``text``: equal texts match, the text cannot be read back.
    ``key``: the current key, read once by a caller digesting many texts."""
    from casebook.crypto import current_key

    mac = hmac.new(key or current_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"hmac:{mac[:16]}:{len(text)}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: Any, fields: list[str] | None = None, key: bytes | None = None) -> dict[str, Any]:
    """A JSON-ready copy of a row (or dict) with sensitive fields masked (``key``: as for
    ``text_digest``)."""
    data = obj if isinstance(obj, dict) else obj.model_dump()
    out = {}
    for name, value in data.items():
        if fields is not None and name not in fields:
            continue
        if value in (None, ""):
            out[name] = value
        elif name in MASKED_FIELDS:
            out[name] = MASK
        elif name in DIGEST_FIELDS and isinstance(value, str):
            out[name] = text_digest(value, key)
        else:
            out[name] = _jsonable(value)
    return out


# ``value`` as the hash payload writes it (sorted keys, UTF-8 as is): json.dumps with these
# options, without building an encoder per call.
_json_text = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


# The fields a row's hash covers, in the order json.dumps(sort_keys=True) writes them.
_HASHED = ("action", "actor_id", "actor_name", "after", "at", "before", "entity",
           "entity_id", "id", "prev_hash")  # fmt: skip


def _hash_of(json_texts: dict[str, str]) -> str:
    """SHA-256 of a row's hash payload, from each hashed field already written as JSON
    (``_json_text``): the text json.dumps(sort_keys=True, ensure_ascii=False) gives for
    the row, so a caller holding the JSON of ``before`` and ``after`` writes it once."""
    payload = "{" + ", ".join(f'"{name}": {json_texts[name]}' for name in _HASHED) + "}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _row_hash(row: AuditLog) -> str:
    values = {"id": row.id, "at": row.at.isoformat(), "actor_id": row.actor_id,
              "actor_name": row.actor_name, "action": row.action, "entity": row.entity,
              "entity_id": row.entity_id, "before": row.before, "after": row.after,
              "prev_hash": row.prev_hash}  # fmt: skip
    return _hash_of({name: _json_text(value) for name, value in values.items()})


def _lock_head(session: Session) -> AuditHead:
    query = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.exec(query).first()
    if head is None:
        # The tip may be missing (a database restored without it): start from the last
        # row. Two first writers may race to create it: insert-or-ignore, then lock it.
        last = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(AuditHead)
            .values(id=1, last_hash=last.hash if last else GENESIS,
                    last_id=(last.id or 0) if last else 0)
            .on_conflict_do_nothing(index_elements=["id"])
        )  # fmt: skip
        head = session.exec(query).one()
    return head


def begin_write(session: Session) -> None:
    """Take the audit chain's lock before a write touches any other row.

    Every write appends to the chain, so writers are serialised on its head row anyway.
    Taking that lock first rather than last keeps two writers from locking summary rows
    (kept by triggers) in opposite orders and deadlocking on PostgreSQL. On SQLite a
    no-op write takes the database's write lock now rather than at the first INSERT, so
    what the caller computes next (an encryption under the current key, casebook.keys)
    happens after any writer ahead of it has committed.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE audithead SET id = id WHERE id = 1"))
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
    """Append one audit row in the caller's transaction (the caller commits).

    The id is taken from the locked chain head, so the row is written once, complete
    with its hash: on PostgreSQL the table refuses UPDATE (migration 0002_security).
    """
    head = _lock_head(session)
    row = AuditLog(
        id=head.last_id + 1,
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
    row.hash = _row_hash(row)
    session.add(row)
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
    from casebook.bulkinsert import bulk_insert

    head = _lock_head(session)
    # Ids follow the locked chain head, as in ``record`` (which never uses the sequence).
    top = session.exec(select(func.max(AuditLog.id))).one() or 0
    first = max(top, head.last_id) + 1
    ids = list(range(first, first + len(entries)))
    prev, now, rows = head.last_hash, utcnow(), []
    actor_id = getattr(actor, "id", None)
    actor_name = getattr(actor, "username", "system") if actor else "system"
    # before and after are serialised once, for the hash (``_hash_of``) and, as the same
    # text, for their columns (a 10,000-row import serialised each twice, 0.3 s).
    fixed = {"actor_id": _json_text(actor_id), "actor_name": _json_text(actor_name),
             "at": _json_text(now.isoformat())}  # fmt: skip
    texts: dict[str, str] = {}  # action and entity names, few and repeated
    for row_id, entry in zip(ids, entries, strict=True):
        action, entity = entry["action"], entry["entity"]
        entity_id = str(entry.get("entity_id", ""))
        before, after = _json_text(entry.get("before")), _json_text(entry.get("after"))
        for name in (action, entity):
            if name not in texts:
                texts[name] = _json_text(name)
        digest = _hash_of(fixed | {"action": texts[action], "entity": texts[entity],
                                   "entity_id": _json_text(entity_id), "before": before,
                                   "after": after, "id": _json_text(row_id),
                                   "prev_hash": _json_text(prev)})  # fmt: skip
        rows.append({"id": row_id, "at": now, "actor_id": actor_id, "actor_name": actor_name,
                     "action": action, "entity": entity, "entity_id": entity_id,
                     "before": before, "after": after, "prev_hash": prev,
                     "hash": digest})  # fmt: skip
        prev = digest
    bulk_insert(session, AuditLog.__table__, rows, raw=("before", "after"))
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


def check_chain(session: Session, *, actor: Any) -> ChainReport:
    """``verify_chain`` for the Audit page (admins); the CLI calls verify_chain directly."""
    from casebook.permissions import require

    require(actor, "audit.read")
    return verify_chain(session)


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    action: str | None = None
    username: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditLog]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _audit_where(f: AuditFilter) -> list:
    clauses = []
    if f.entity:
        clauses.append(AuditLog.entity == f.entity)
    if f.action:
        clauses.append(AuditLog.action == f.action)
    if f.username:
        clauses.append(AuditLog.actor_name == f.username.strip())
    if f.date_from:
        start = datetime.combine(f.date_from, time.min, tzinfo=UTC)
        clauses.append(col(AuditLog.at) >= start)
    if f.date_to:
        end = datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        clauses.append(col(AuditLog.at) < end)
    return clauses


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
    """Audit rows, newest first (admins only); ``audit_page`` adds dates and a total."""
    from casebook.permissions import require

    require(actor, "audit.read")
    clauses = _audit_where(AuditFilter(entity=entity, action=action, username=username))
    query = select(AuditLog).where(*clauses).order_by(col(AuditLog.id).desc())
    return list(session.exec(query.offset(offset).limit(limit)))


def audit_page(
    session: Session,
    *,
    actor: Any,
    filters: AuditFilter = AuditFilter(),
    page: int = 1,
    page_size: int = 50,
) -> AuditPage:
    """One page of audit rows, newest first, with the total (admins only)."""
    from casebook.permissions import require

    require(actor, "audit.read")
    page_size = max(1, min(page_size, 500))
    clauses = _audit_where(filters)
    total = session.exec(select(func.count()).select_from(AuditLog).where(*clauses)).one()
    page = max(1, min(page, max(1, -(-total // page_size))))
    query = (
        select(AuditLog)
        .where(*clauses)
        .order_by(col(AuditLog.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return AuditPage(list(session.exec(query)), int(total), page, page_size)


def audit_choices(session: Session, *, actor: Any) -> dict[str, list[str]]:
    """The entities, actions and user names present, for the Audit page's filters."""
    from casebook.permissions import require

    require(actor, "audit.read")
    out = {}
    for name, column in (("entity", AuditLog.entity), ("action", AuditLog.action),
                         ("username", AuditLog.actor_name)):  # fmt: skip
        out[name] = sorted(v for v in session.exec(select(column).distinct()) if v)
    return out
