"""Every backup's (signed) manifest carries the audit chain's head, which `backup create`
prints for the operator to keep; a restore refuses a backup whose audit rows do not end
at that head, and the restored chain verifies against it (docs/security.md)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session

from casebook.access import audit
from casebook.cli import main
from casebook.ops.backup import MANIFEST, SEALED, BackupError, manifest_signature
from casebook.ops.restore import passphrase_fernet as restore_opener
from casebook.ops.restore import restore_backup
from tests.conftest import _truncate
from tests.factories import Factory

PASSPHRASE = "an audit-head test passphrase"


def _sealer(path: Path) -> Fernet:
    with zipfile.ZipFile(path) as zf:
        return restore_opener(zf, PASSPHRASE)


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(_sealer(path).decrypt(zf.read(MANIFEST + SEALED)))


def test_the_manifest_holds_the_head_and_a_restore_checks_it(
    session: Session,
    factory: Factory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASEBOOK_BACKUP_PASSPHRASE", PASSPHRASE)
    for n in range(3):
        factory.incident(title=f"백업 {n}")
    head = audit.chain_head(session)
    path = tmp_path / "b.zip"
    assert main(["backup", "create", str(path)]) == 0
    assert f"audit head: {head}" in capsys.readouterr().out
    assert _manifest(path)["audit_head"] == head

    # A backup cut back by someone holding the passphrase and the signing key: its
    # manifest still names the head it was made at, the audit part no longer ends there.
    cut = tmp_path / "cut.zip"
    sealer = _sealer(path)
    manifest = _manifest(path)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(cut, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "tables/auditlog.jsonl" + SEALED:
                clear = sealer.decrypt(data)
                clear = b"".join(clear.splitlines(keepends=True)[:-1])
                info = manifest["tables"]["auditlog"]
                info["rows"] -= 1
                info["sha256"] = hashlib.sha256(clear).hexdigest()
                data = sealer.encrypt(clear)
            if item.filename != MANIFEST + SEALED:
                dst.writestr(item.filename, data)
        manifest.pop("hmac", None)
        manifest["hmac"] = manifest_signature(manifest)
        dst.writestr(MANIFEST + SEALED, sealer.encrypt(json.dumps(manifest).encode()))
    engine = session.get_bind()
    session.close()
    _truncate(engine)
    with Session(engine) as s, pytest.raises(BackupError) as refused:
        restore_backup(s, cut, PASSPHRASE)
    assert refused.value.key == "audit.backup_head"
    with Session(engine) as s:
        info = restore_backup(s, path, PASSPHRASE)
        assert info.audit_head == head
        assert audit.verify_chain(s, expect=head).ok
