"""Restore a backup (casebook.ops.backup) into an empty database, all or nothing.

Every check runs before the first row is written, and nothing is read before the sizes
the zip declares are checked (``_check_sizes``): the file is a zip with our manifest, the
passphrase opens it (format 2), the HMAC matches this installation's key, every part's
SHA-256 and row count match, the schema revision equals the database's, and the database
holds no rows. The inserts then run in one transaction.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zipfile
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Table, func, select, text, update
from sqlmodel import Session

from casebook.analytics.summaries import rebuild_summaries
from casebook.ops.backup import (
    FORMAT,
    HEADER,
    MANIFEST,
    SCRYPT,
    SEALED,
    VERSION,
    BackupError,
    BackupInfo,
    backup_tables,
    database_revision,
    decode_row,
    manifest_signature,
    passphrase_key,
)

# Limits checked on the sizes the zip declares, before anything is read (a 1.6 MB file
# whose manifest inflates to 1.5 GB must be refused at once), and again while reading.
MAX_HEADER = 4096
MAX_MANIFEST = 1 << 20  # a manifest lists some 30 tables: a few KB
MAX_PART = 4 << 30
MAX_TOTAL = 16 << 30
MAX_ENTRIES = 256
# Format 1 parts are deflated JSON lines (about 5-15 to 1); format 2 parts are stored.
MAX_RATIO = 100


def _check_sizes(zf: zipfile.ZipFile) -> int:
    """Refuse a file whose entries declare sizes beyond the limits; the format version
    its entries say (1: clear, 2: sealed)."""
    infos = zf.infolist()
    if not infos or len(infos) > MAX_ENTRIES:
        raise BackupError("security.backup_not_ours")
    names = {i.filename for i in infos}
    version = 2 if HEADER in names else 1
    total = 0
    for info in infos:
        limit = MAX_PART
        if info.filename in (HEADER,):
            limit = MAX_HEADER
        elif info.filename in (MANIFEST, MANIFEST + SEALED):
            limit = MAX_MANIFEST * 2  # a Fernet token is about 4/3 of its text
        stored = info.compress_type == zipfile.ZIP_STORED
        ratio_ok = info.file_size <= max(info.compress_size, 1) * MAX_RATIO
        if version == 2 and not stored:
            raise BackupError("security.backup_too_big", part=info.filename)
        if info.file_size > limit or not ratio_ok:
            raise BackupError("security.backup_too_big", part=info.filename)
        total += info.file_size
    if total > MAX_TOTAL:
        raise BackupError("security.backup_too_big", part="*")
    return version


def _read(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The entry's bytes, never more than ``limit`` of them (declared sizes can lie)."""
    with zf.open(name) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise BackupError("security.backup_too_big", part=name)
    return data


def passphrase_fernet(zf: zipfile.ZipFile, passphrase: str | None) -> Fernet:
    """The Fernet key a format 2 backup's passphrase gives (its header names the salt)."""
    try:
        header = json.loads(_read(zf, HEADER, MAX_HEADER))
        kdf = header["kdf"]
        salt = base64.urlsafe_b64decode(kdf["salt"])
        params = {name: kdf[name] for name in SCRYPT}
    except (KeyError, ValueError, TypeError, binascii.Error):
        raise BackupError("security.backup_not_ours") from None
    if header.get("format") != FORMAT or header.get("cipher") != "fernet":
        raise BackupError("security.backup_not_ours")
    if header.get("version") != VERSION:
        raise BackupError("security.backup_version", version=header.get("version"))
    # Only our own work factor: the file could ask for any amount of memory.
    if kdf.get("name") != "scrypt" or params != SCRYPT or len(salt) != 16:
        raise BackupError("security.backup_not_ours")
    if not passphrase:
        raise BackupError("security.backup_needs_passphrase")
    return Fernet(passphrase_key(passphrase, salt, params))


def _read_manifest(zf: zipfile.ZipFile, sealer: Fernet | None) -> dict[str, Any]:
    try:
        if sealer is None:
            body = _read(zf, MANIFEST, MAX_MANIFEST)
        else:
            token = _read(zf, MANIFEST + SEALED, MAX_MANIFEST * 2)
            try:
                body = sealer.decrypt(token)
            except InvalidToken:
                raise BackupError("security.backup_passphrase") from None
        manifest = json.loads(body)
    except (KeyError, ValueError):
        raise BackupError("security.backup_not_ours") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("security.backup_not_ours")
    if manifest.get("version") != (VERSION if sealer else 1):
        raise BackupError("security.backup_version", version=manifest.get("version"))
    if not hmac.compare_digest(str(manifest.get("hmac", "")), manifest_signature(manifest)):
        raise BackupError("security.backup_foreign")
    return manifest


def _read_parts(
    zf: zipfile.ZipFile, manifest: dict[str, Any], sealer: Fernet | None
) -> dict[str, list[dict]]:
    known = {t.name for t in backup_tables()}
    if set(manifest["tables"]) != known:
        raise BackupError("security.backup_tables")
    parts = {}
    for name, info in manifest["tables"].items():
        try:
            data = _read(zf, info["file"] + (SEALED if sealer else ""), MAX_PART)
            if sealer is not None:
                data = sealer.decrypt(data)
        except (KeyError, zipfile.BadZipFile, OSError, InvalidToken):
            raise BackupError("security.backup_damaged", part=name) from None
        if hashlib.sha256(data).hexdigest() != info["sha256"]:
            raise BackupError("security.backup_damaged", part=name)
        rows = [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
        if len(rows) != info["rows"]:
            raise BackupError("security.backup_damaged", part=name)
        parts[name] = rows
    return parts


def load_backup(
    path: Path, passphrase: str | None = None
) -> tuple[dict[str, Any], dict[str, list[dict]]]:
    """The manifest and every table's rows, after all integrity checks."""
    try:
        with zipfile.ZipFile(path) as zf:
            version = _check_sizes(zf)
            sealer = passphrase_fernet(zf, passphrase) if version == 2 else None
            manifest = _read_manifest(zf, sealer)
            return manifest, _read_parts(zf, manifest, sealer)
    except FileNotFoundError:
        raise BackupError("security.backup_missing", path=str(path)) from None
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile):
        raise BackupError("security.backup_not_ours") from None


# Summary tables kept by triggers: never restored as such, recomputed from the base rows.
DERIVED_TABLES = frozenset({"analytics_cube", "analytics_state"})


def _nonempty_tables(session: Session) -> list[str]:
    out = []
    for table in backup_tables():
        if table.name in DERIVED_TABLES:
            continue
        if session.execute(select(func.count()).select_from(table)).scalar_one():
            out.append(table.name)
    return out


def _self_refs(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _insert(session: Session, table: Table, rows: list[dict]) -> None:
    # Self-references (merged_into_id, parent_id) are set after all rows exist.
    later = _self_refs(table)
    decoded = [decode_row(table, r) for r in rows]
    if decoded:
        session.execute(table.insert(), [r | {c: None for c in later} for r in decoded])
    pk = list(table.primary_key.columns)[0]
    for row in decoded:
        values = {c: row[c] for c in later if row.get(c) is not None}
        if values:
            session.execute(update(table).where(pk == row[pk.name]).values(values))


def _reset_sequences(session: Session) -> None:
    for table in backup_tables():
        pks = list(table.primary_key.columns)
        if len(pks) == 1 and pks[0].autoincrement is not False and pks[0].name == "id":
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


def _check_audit_head(manifest: dict[str, Any], parts: dict[str, list[dict]]) -> None:
    """The audit rows end at the head the (signed) manifest recorded; backups made before
    the manifest carried it have no ``audit_head`` and are not checked."""
    if "audit_head" not in manifest:
        return
    heads = parts.get("audithead") or [{}]
    tip = f"{heads[0].get('last_id')}:{heads[0].get('last_hash')}" if heads[0] else ""
    rows = parts.get("auditlog") or []
    last = f"{rows[-1]['id']}:{rows[-1]['hash']}" if rows else ""
    if manifest["audit_head"] != last or (rows and tip != last):
        raise BackupError("audit.backup_head")


def restore_backup(session: Session, path: Path, passphrase: str | None = None) -> BackupInfo:
    """Restore ``path`` into this (empty, migrated) database, or change nothing.

    Console only, like ``db upgrade``: an empty database has no users to act as, and
    whoever runs it already holds the database credentials. The app never offers it.
    """
    manifest, parts = load_backup(path, passphrase)
    _check_audit_head(manifest, parts)
    current = database_revision(session)
    if manifest["schema_revision"] != current:
        raise BackupError(
            "security.backup_revision", backup=manifest["schema_revision"], database=current
        )
    busy = _nonempty_tables(session)
    if busy:
        raise BackupError("security.restore_not_empty", tables=", ".join(busy))
    try:
        for table in backup_tables():
            if table.name not in DERIVED_TABLES:
                _insert(session, table, parts[table.name])
        # The triggers counted the restored rows as they went in; recompute the summary
        # tables from the restored base rows so they match them exactly.
        rebuild_summaries(session, commit=False)
        if session.get_bind().dialect.name == "postgresql":
            _reset_sequences(session)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    rows = {name: len(r) for name, r in parts.items()}
    return BackupInfo(path, current, rows, manifest.get("audit_head", ""))
