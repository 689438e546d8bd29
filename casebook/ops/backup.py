"""Portable, encrypted backups: a zip of JSON lines per table plus a signed manifest.

The format does not depend on the database, so a SQLite backup restores into
PostgreSQL and back. The manifest records the schema revision, each table's row count
and the SHA-256 of its part, and an HMAC over all of that made with a key derived from
the secret key, so a damaged, truncated or foreign file is refused before anything is
written. Encrypted columns stay encrypted in the file: restoring needs the same key.

Format 2 (docs/security.md, "Backups") encrypts the manifest and every part with Fernet
under a key derived from a passphrase by scrypt; only ``casebook-backup.json`` (format,
KDF parameters and salt) is in clear. The file is created owner-only (0600), and the
users' password hashes are left out unless asked for (restored users then need a new
password: ``user set-password``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import Table, select
from sqlmodel import Session, SQLModel

from casebook.access import audit, crypto
from casebook.access.permissions import require
from casebook.errors import CasebookError
from db.models import User

FORMAT = "casebook-backup"
VERSION = 2  # 1: the same zip in clear (still restored)
MANIFEST = "manifest.json"
HEADER = "casebook-backup.json"  # format 2: the only part in clear
SEALED = ".fernet"  # format 2: every other part is a Fernet token under the passphrase key
# scrypt work factor (n = 2**15, r = 8: about 32 MB and a tenth of a second per try).
# A restore accepts only these: the parameters come from the file, and a huge n would
# let a crafted file take the server's memory.
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
MIN_PASSPHRASE = 12
# Replaces a password hash left out of a backup: no password verifies against it.
NO_PASSWORD = "!not-in-backup"


class BackupError(CasebookError):
    key = "security.backup_invalid"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    revision: str
    rows: dict[str, int]
    audit_head: str = ""  # "id:hash" of the audit chain's tip (casebook.access.audit.chain_head)


def backup_tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)  # parents before children


def database_revision(session: Session) -> str:
    return MigrationContext.configure(session.connection()).get_current_revision() or ""


def _signing_key() -> bytes:
    # A key for signing only, derived from the encryption key (never the key itself).
    return hmac.new(crypto.current_key(), b"casebook-backup-v1", hashlib.sha256).digest()


def manifest_signature(manifest: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in manifest.items() if k != "hmac"}, sort_keys=True)
    return hmac.new(_signing_key(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def passphrase_key(passphrase: str, salt: bytes, params: dict[str, int] = SCRYPT) -> bytes:
    """The Fernet key a passphrase gives with ``salt`` (scrypt)."""
    kdf = Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"])
    return base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8")))


def check_passphrase(passphrase: str) -> str:
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise BackupError("security.backup_passphrase_short", min=MIN_PASSPHRASE)
    return passphrase


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
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


def _python_type(column) -> type | None:
    kind = getattr(column.type, "impl", column.type)  # TypeDecorators (UTCDateTime) wrap one
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _dump_table(session: Session, table: Table, *, hashes: bool = True) -> tuple[bytes, int]:
    order = [c for c in table.primary_key.columns]
    lines = []
    for row in session.execute(select(table).order_by(*order)).mappings():
        record = {k: _encode(v) for k, v in row.items()}
        if not hashes and "password_hash" in record:
            record["password_hash"] = NO_PASSWORD
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    data = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
    return data, len(lines)


def create_backup(
    session: Session,
    *,
    actor: User,
    path: Path,
    passphrase: str,
    include_password_hashes: bool = False,
) -> BackupInfo:
    """Write every table to ``path`` (a new, owner-only zip file) in one consistent read,
    encrypted under ``passphrase``; password hashes only when asked for."""
    require(actor, "backup.manage")
    check_passphrase(passphrase)
    if path.exists():
        raise BackupError("security.backup_exists", path=str(path))
    salt = secrets.token_bytes(16)
    sealer = Fernet(passphrase_key(passphrase, salt))
    header = {
        "format": FORMAT,
        "version": VERSION,
        "cipher": "fernet",
        "kdf": {"name": "scrypt", **SCRYPT, "salt": base64.urlsafe_b64encode(salt).decode("ascii")},
    }
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": database_revision(session),
        "created_at": datetime.now(UTC).isoformat(),
        "dialect": session.get_bind().dialect.name,
        "password_hashes": include_password_hashes,
        "tables": {},
    }
    # The audit chain's tip, signed with the rest: a copy outside the database that
    # `audit verify --expect` checks the live chain against (docs/security.md).
    manifest["audit_head"] = audit.chain_head(session)
    tmp = path.with_name(path.name + ".part")
    # Owner-only from the first byte (not chmod afterwards): it holds every case.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        # Stored, not deflated: Fernet tokens do not compress, and a restore can then
        # refuse any part whose declared size is not what it occupies (casebook.ops.restore).
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as zf:
            zf.writestr(HEADER, json.dumps(header, sort_keys=True))
            for table in backup_tables():
                data, count = _dump_table(session, table, hashes=include_password_hashes)
                part = f"tables/{table.name}.jsonl"
                zf.writestr(part + SEALED, sealer.encrypt(data))
                manifest["tables"][table.name] = {
                    "file": part,
                    "rows": count,
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            manifest["hmac"] = manifest_signature(manifest)
            body = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            zf.writestr(MANIFEST + SEALED, sealer.encrypt(body))
        tmp.rename(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # our own half-written file, never a key
        raise
    rows = {name: t["rows"] for name, t in manifest["tables"].items()}
    return BackupInfo(path, manifest["schema_revision"], rows, manifest["audit_head"])
