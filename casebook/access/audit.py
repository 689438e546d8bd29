"""The audit trail: every write leaves a row chained by HMAC-SHA256 to the one before.

Rows are appended in the same transaction as the write they describe, so a write
without its audit row cannot be committed. The chain tip lives in ``audithead``;
locking that row (FOR UPDATE on PostgreSQL; SQLite serialises writers anyway)
keeps two concurrent writers from forking the chain.

The hash is keyed with ``audit.key``, a random key kept beside the secret key and never
in the database, so someone who can write the database but not read that file cannot
recompute the chain after editing it. It is a key of its own, not one derived from the
secret key, because ``keys rotate`` replaces the secret key and the old rows must keep
verifying. Rows written before the chain was keyed (plain SHA-256 of the same payload)
are accepted only as a prefix: once a keyed row is seen every later row must be keyed,
and the last row must be keyed, so rewriting the chain with the public algorithm is
detected. Truncating the chain to an earlier, consistent tip can only be detected from
outside the database: ``verify_chain(expect=...)`` with a head kept elsewhere
(``audit head``, the backup manifest); docs/security.md, "Audit trail".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from casebook.errors import CasebookError
from db.models import AuditHead, AuditLog, User, utcnow

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
# Lists (tags, sources) are digested as their JSON text. ``requested_by`` is who asked a
# platform for a takedown (possibly the victim); ``text`` and ``legal_note`` are the
# search words of an export's filters.
DIGEST_FIELDS = frozenset(
    {
        "summary",
        "notes",
        "note",
        "suspect_relation",
        "tags",
        "sources",
        "requested_by",
        "text",
        "legal_note",
    }
)
_DIGEST = re.compile(r"hmac:[0-9a-f]{16}:[0-9]+")
AUDIT_KEY_FILE = "audit.key"
HEAD_MISSING = "audit.head_missing"  # the row written when the tip was found deleted


class AuditKeyMissing(CasebookError):
    key = "audit.key_missing"


def text_digest(text: str, key: bytes | None = None) -> str:
    """A keyed fingerprint of ``text``: equal texts match, the text cannot be read back.
    ``key``: the current key, read once by a caller digesting many texts."""
    from casebook.access.crypto import current_key

    mac = hmac.new(key or current_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"hmac:{mac[:16]}:{len(text)}"


def digest_value(value: Any, key: bytes | None = None) -> Any:
    """``value`` of a DIGEST_FIELDS field as the trail stores it: empty stays empty, a
    digest stays as it is (a snapshot recorded again), anything else becomes a digest."""
    if value in (None, "") or value == [] or value == {}:
        return value
    if isinstance(value, str):
        return value if _DIGEST.fullmatch(value) else text_digest(value, key)
    return text_digest(_json_text(_jsonable(value)), key)


def _scrub(value: Any, key: bytes | None) -> Any:
    """``value`` with every MASKED_FIELDS / DIGEST_FIELDS entry, at any depth, replaced:
    ``record`` applies it to whatever a caller passes, snapshot or not."""
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if name in MASKED_FIELDS and item not in (None, ""):
                out[name] = MASK
            elif name in DIGEST_FIELDS:
                out[name] = digest_value(item, key)
            else:
                out[name] = _scrub(item, key)
        return out
    if isinstance(value, list):
        return [_scrub(item, key) for item in value]
    return value


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
        elif name in DIGEST_FIELDS:
            out[name] = digest_value(value, key)
        else:
            out[name] = _jsonable(value)
    return out


# ``value`` as the hash payload writes it (sorted keys, UTF-8 as is): json.dumps with these
# options, without building an encoder per call.
_json_text = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


# The fields a row's hash covers, in the order json.dumps(sort_keys=True) writes them.
_HASHED = (
    "action",
    "actor_id",
    "actor_name",
    "after",
    "at",
    "before",
    "entity",
    "entity_id",
    "id",
    "prev_hash",
)


def _hash_of(json_texts: dict[str, str], key: bytes | None) -> str:
    """HMAC-SHA256 with ``key`` (None: the unkeyed SHA-256 of rows written before the
    chain was keyed) of a row's hash payload, from each hashed field already written as
    JSON (``_json_text``): the text json.dumps(sort_keys=True, ensure_ascii=False) gives
    for the row, so a caller holding the JSON of ``before`` and ``after`` writes it once."""
    payload = "{" + ", ".join(f'"{name}": {json_texts[name]}' for name in _HASHED) + "}"
    if key is None:
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _row_texts(row: AuditLog) -> dict[str, str]:
    values = {
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
    }
    return {name: _json_text(value) for name, value in values.items()}


def _row_hash(row: AuditLog, key: bytes | None) -> str:
    return _hash_of(_row_texts(row), key)


def audit_key_path() -> Path:
    """``audit.key`` in the secret key file's folder (docs/security.md, "Audit trail")."""
    from casebook.config import get_settings

    return get_settings().resolved_key_file.with_name(AUDIT_KEY_FILE)


def read_audit_key() -> bytes | None:
    """The chain's key, or None when the file does not exist (yet)."""
    try:
        return bytes.fromhex(audit_key_path().read_text().strip())
    except FileNotFoundError:
        return None


def _create_audit_key(path: Path) -> bytes:
    # Written whole under a temporary name and linked into place: two processes
    # creating it at once end up with the same key, and nobody reads a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return bytes.fromhex(path.read_text().strip())


def _writing_key(session: Session, head: AuditHead) -> bytes:
    """The key new rows are chained with. Created on first use, but only while the
    chain holds no keyed row: a lost key must be restored, never silently replaced
    (the rows keyed with it would stop verifying)."""
    key = read_audit_key()
    if key is not None:
        return key
    last = session.get(AuditLog, head.last_id) if head.last_id else None
    if last is not None and _row_hash(last, None) != last.hash:
        raise AuditKeyMissing(path=str(audit_key_path()))
    return _create_audit_key(audit_key_path())


def _lock_head(session: Session) -> AuditHead:
    query = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.exec(query).first()
    if head is None:
        # An empty database has no tip yet. Two first writers may race to create it:
        # insert-or-ignore, then lock it. Rows without a tip mean someone deleted it
        # (to hide deleted last rows): start from the last row, and say so in the trail,
        # where verify_chain keeps reporting it.
        last = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(AuditHead)
            .values(
                id=1,
                last_hash=last.hash if last else GENESIS,
                last_id=(last.id or 0) if last else 0,
            )
            .on_conflict_do_nothing(index_elements=["id"])
        )
        head = session.exec(query).one()
        if last is not None and head.last_id == last.id:
            record(
                session, actor=None, action=HEAD_MISSING, entity="audit", after={"last_id": last.id}
            )
    return head


def begin_write(session: Session) -> None:
    """Take the audit chain's lock before a write touches any other row.

    Every write appends to the chain, so writers are serialised on its head row anyway.
    Taking that lock first rather than last keeps two writers from locking summary rows
    (kept by triggers) in opposite orders and deadlocking on PostgreSQL. On SQLite a
    no-op write takes the database's write lock now rather than at the first INSERT, so
    what the caller computes next (an encryption under the current key, casebook.access.keys)
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
    key = _writing_key(session, head)
    row = AuditLog(
        id=head.last_id + 1,
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", "system") if actor else "system",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_scrub(_jsonable(before), None) if before is not None else None,
        after=_scrub(_jsonable(after), None) if after is not None else None,
        prev_hash=head.last_hash,
        hash="",
    )
    row.hash = _row_hash(row, key)
    session.add(row)
    head.last_hash = row.hash
    head.last_id = row.id or 0
    session.add(head)
    return row


def record_many(session: Session, *, actor: Any | None, entries: list[dict]) -> int:
    """Append many audit rows at once (bulk imports), keeping the chain exactly as
    ``record`` would: ids are reserved first because each row's hash covers its id.

    Each entry has the keyword arguments of ``record`` except ``actor``; ``before`` and
    ``after`` must already be JSON-ready and masked (as ``snapshot`` returns them): unlike
    ``record``, this does not walk them again. Returns the number of rows written. The
    caller commits.
    """
    if not entries:
        return 0
    from casebook.bulkinsert import bulk_insert

    head = _lock_head(session)
    key = _writing_key(session, head)
    # Ids follow the locked chain head, as in ``record`` (which never uses the sequence).
    top = session.exec(select(func.max(AuditLog.id))).one() or 0
    first = max(top, head.last_id) + 1
    ids = list(range(first, first + len(entries)))
    prev, now, rows = head.last_hash, utcnow(), []
    actor_id = getattr(actor, "id", None)
    actor_name = getattr(actor, "username", "system") if actor else "system"
    # before and after are serialised once, for the hash (``_hash_of``) and, as the same
    # text, for their columns (a 10,000-row import serialised each twice, 0.3 s).
    fixed = {
        "actor_id": _json_text(actor_id),
        "actor_name": _json_text(actor_name),
        "at": _json_text(now.isoformat()),
    }
    texts: dict[str, str] = {}  # action and entity names, few and repeated
    for row_id, entry in zip(ids, entries, strict=True):
        action, entity = entry["action"], entry["entity"]
        entity_id = str(entry.get("entity_id", ""))
        before, after = _json_text(entry.get("before")), _json_text(entry.get("after"))
        for name in (action, entity):
            if name not in texts:
                texts[name] = _json_text(name)
        digest = _hash_of(
            fixed
            | {
                "action": texts[action],
                "entity": texts[entity],
                "entity_id": _json_text(entity_id),
                "before": before,
                "after": after,
                "id": _json_text(row_id),
                "prev_hash": _json_text(prev),
            },
            key,
        )
        rows.append(
            {
                "id": row_id,
                "at": now,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "before": before,
                "after": after,
                "prev_hash": prev,
                "hash": digest,
            }
        )
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
    head: str = ""  # "id:hash" of the last row, for the operator to keep (``parse_anchor``)


def format_anchor(row_id: int, digest: str) -> str:
    return f"{row_id}:{digest}"


def parse_anchor(text: str) -> tuple[int, str] | None:
    """``(id, hash)`` from "id:hash" as ``audit head`` prints it, or None if malformed."""
    match = re.fullmatch(r"\s*([0-9]+):([0-9a-f]{64})\s*", text or "")
    return (int(match.group(1)), match.group(2)) if match else None


def chain_head(session: Session) -> str:
    """The chain's tip as ``audithead`` holds it, "id:hash" ("" for an empty chain)."""
    head = session.get(AuditHead, 1)
    if head is None or not head.last_id:
        return ""
    return format_anchor(head.last_id, head.last_hash)


def _walk(session: Session, key: bytes | None, expect: tuple[int, str] | None) -> ChainReport:
    prev, count, last_id, keyed, anchored = GENESIS, 0, 0, False, expect is None
    for row in session.exec(select(AuditLog).order_by(AuditLog.id)).yield_per(1000):
        count += 1
        if row.prev_hash != prev:
            return ChainReport(False, count, row.id, "link")
        texts = _row_texts(row)
        if key is not None and _hash_of(texts, key) == row.hash:
            keyed = True
        elif keyed or _hash_of(texts, None) != row.hash:
            # Unkeyed rows only before the first keyed one; without the key nothing
            # but such a prefix can be checked.
            return ChainReport(False, count, row.id, "hash" if key is not None else "key")
        if row.action == HEAD_MISSING:
            return ChainReport(False, count, row.id, "nohead")
        if expect is not None and row.id == expect[0]:
            if row.hash != expect[1]:
                return ChainReport(False, count, row.id, "anchor")
            anchored = True
        prev, last_id = row.hash, row.id or 0
    head = format_anchor(last_id, prev) if count else ""
    if not anchored:
        return ChainReport(False, count, expect[0] if expect else None, "anchor", head)
    if count and not keyed:
        return ChainReport(False, count, last_id, "unkeyed", head)
    return ChainReport(True, count, head=head)


def verify_chain(session: Session, *, expect: str | None = None) -> ChainReport:
    """Walk the whole chain; report the first row whose hash or link is wrong.

    Also a failure: a chain tip (``audithead``) that is missing while rows exist or does
    not match the last row; no row at all while users exist (every write is audited,
    the first user's creation included); and, with ``expect`` ("id:hash" kept outside
    the database), a chain that no longer holds that row with that hash.
    """
    anchor = parse_anchor(expect) if expect is not None else None
    if expect is not None and anchor is None:
        return ChainReport(False, 0, None, "expect")
    report = _walk(session, read_audit_key(), anchor)
    if not report.ok:
        return report
    head = session.get(AuditHead, 1)
    last_id, _, last_hash = report.head.partition(":")
    if report.rows and head is None:
        return ChainReport(False, report.rows, int(last_id), "nohead", report.head)
    if head is not None and (
        head.last_hash != (last_hash or GENESIS) or head.last_id != int(last_id or 0)
    ):
        return ChainReport(False, report.rows, head.last_id, "tail", report.head)
    if not report.rows and session.exec(select(User.id).limit(1)).first() is not None:
        return ChainReport(False, 0, None, "empty")
    return report


def role_owns_trail(session: Session) -> bool:
    """PostgreSQL: whether this connection's role owns ``auditlog``, and so could switch
    its append-only trigger off (docs/security.md, "PostgreSQL on another host")."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    query = text(
        "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
        "WHERE oid = to_regclass('auditlog')"
    )
    return bool(session.execute(query).scalar())


def check_chain(session: Session, *, actor: Any, expect: str | None = None) -> ChainReport:
    """``verify_chain`` for the Audit page (admins); the CLI calls verify_chain directly."""
    from casebook.access.permissions import require

    require(actor, "audit.read")
    return verify_chain(session, expect=expect)


def reanchor(session: Session) -> bool:
    """Key a chain written before keying: append one keyed row ("audit.keyed") after the
    unkeyed ones, which then protects them all. Called by ``db upgrade``; a no-op (False)
    when the chain is empty or already ends in a keyed row. The caller commits."""
    head = _lock_head(session)
    last = session.get(AuditLog, head.last_id) if head.last_id else None
    if last is None or _row_hash(last, None) != last.hash:
        return False
    record(
        session,
        actor=None,
        action="audit.keyed",
        entity="audit",
        after={"unkeyed_rows": head.last_id},
    )
    return True


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
    from casebook.access.permissions import require

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
    from casebook.access.permissions import require

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
    from casebook.access.permissions import require

    require(actor, "audit.read")
    out = {}
    for name, column in (
        ("entity", AuditLog.entity),
        ("action", AuditLog.action),
        ("username", AuditLog.actor_name),
    ):
        out[name] = sorted(v for v in session.exec(select(column).distinct()) if v)
    return out
