"""Portable backups: a zip of JSON lines per table plus a signed manifest.

The format does not depend on the database, so a SQLite backup restores into
PostgreSQL and back. The manifest records the schema revision, each table's row count
and the SHA-256 of its part, and an HMAC over all of that made with a key derived from
the secret key, so a damaged, truncated or foreign file is refused before anything is
written. Encrypted columns stay encrypted in the file: restoring needs the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Table, select
from sqlmodel import Session, SQLModel

from casebook import audit, crypto
from casebook.errors import CasebookError
from casebook.permissions import require
from db.models import User

FORMAT = "casebook-backup"
VERSION = 1
MANIFEST = "manifest.json"


class BackupError(CasebookError):
    key = "security.backup_invalid"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    revision: str
    rows: dict[str, int]
    audit_head: str = ""  # "id:hash" of the audit chain's tip (casebook.audit.chain_head)


def _tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)  # parents before children


def database_revision(session: Session) -> str:
    return MigrationContext.configure(session.connection()).get_current_revision() or ""


def _signing_key() -> bytes:
    # A key for signing only, derived from the encryption key (never the key itself).
    return hmac.new(crypto.current_key(), b"casebook-backup-v1", hashlib.sha256).digest()


def _sign(manifest: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "hmac"}, sort_keys=True)
    return hmac.new(_signing_key(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if value is None:
            continue
        kind = _python_type(column)
        if kind is datetime:
            out[column.name] = datetime.fromisoformat(value)
        elif kind is date:
            out[column.name] = date.fromisoformat(value)
    return out


def _python_type(column) -> type | None:  # noqa: ANN001
    kind = getattr(column.type, "impl", column.type)  # TypeDecorators (UTCDateTime) wrap one
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _dump_table(session: Session, table: Table) -> tuple[bytes, int]:
    order = [c for c in table.primary_key.columns]
    lines = []
    for row in session.execute(select(table).order_by(*order)).mappings():
        record = {k: _encode(v) for k, v in row.items()}
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    data = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
    return data, len(lines)


def create_backup(session: Session, *, actor: User, path: Path) -> BackupInfo:
    """Write every table to ``path`` (a new zip file) in one consistent read."""
    require(actor, "backup.manage")
    if path.exists():
        raise BackupError("security.backup_exists", path=str(path))
    manifest: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "schema_revision": database_revision(session),
        "created_at": datetime.now(UTC).isoformat(), "dialect": session.get_bind().dialect.name,
        "tables": {},
    }  # fmt: skip
    # The audit chain's tip, signed with the rest: a copy outside the database that
    # `audit verify --expect` checks the live chain against (docs/security.md).
    manifest["audit_head"] = audit.chain_head(session)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in _tables():
            data, count = _dump_table(session, table)
            part = f"tables/{table.name}.jsonl"
            zf.writestr(part, data)
            manifest["tables"][table.name] = {
                "file": part, "rows": count, "sha256": hashlib.sha256(data).hexdigest(),
            }  # fmt: skip
        manifest["hmac"] = _sign(manifest)
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
    tmp.rename(path)
    rows = {name: t["rows"] for name, t in manifest["tables"].items()}
    return BackupInfo(path, manifest["schema_revision"], rows, manifest["audit_head"])
