"""Portable backups: round trip SQLite -> PostgreSQL -> SQLite compared row by row, and
refusal of damaged, truncated, foreign files or a non-empty database (changing nothing);
encryption under a passphrase, owner-only files, password hashes only when asked for, and
sizes checked before anything is read."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from casebook.access import audit, crypto
from casebook.access import totp as account
from casebook.cli import main
from casebook.config import get_settings
from casebook.ops.backup import MANIFEST, NO_PASSWORD, SEALED, BackupError, create_backup
from casebook.ops.restore import restore_backup
from db.engine import engine_for
from db.models import (
    BriefRecord,
    ChatRoom,
    CustodyEvent,
    Evidence,
    IncidentEvent,
    LegalLink,
    RoomObservation,
    Takedown,
    User,
)
from tests.conftest import _truncate
from tests.factories import Factory


def _normal(value):
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    return value


# Derived from the base tables and recomputed on restore; compared separately below.
DERIVED = {"analytics_cube", "analytics_state"}


def snapshot(engine: Engine) -> dict[str, list[dict]]:
    """Every row of every base table, ordered by primary key, values made comparable."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in DERIVED:
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            out[table.name] = [{k: _normal(v) for k, v in r.items()} for r in rows]
    return out


def fill(f: Factory) -> None:
    """A bit of everything, including self-references, JSON, dates and encrypted text."""
    session = f.session
    admin, lawyer = f.admin, f.user(role="lawyer")
    inst = f.institution(name="백업대학교", aliases=["백업대"])
    hub = ChatRoom(
        platform="telegram", kind="channel", label="허브", identifier_enc=crypto.encrypt("t.me/hub")
    )
    session.add(hub)
    session.flush()
    room = ChatRoom(
        platform="telegram",
        kind="group",
        label="하위",
        parent_id=hub.id,
        invite_link_enc=crypto.encrypt("https://t.me/+x"),
    )
    session.add(room)
    session.flush()
    session.add(RoomObservation(room_id=room.id, observed_on=date(2024, 8, 20), members=1200))
    session.commit()
    inc = f.incident(
        institution_ids=[inst.id],
        room_ids=[room.id],
        victim_contact="연락처",
        suspects_by_age={"14to19": 2},
        tags=["백업", "<b>"],
        sources=[{"title": "기사", "url": "https://example.org"}],
    )
    session.add(
        IncidentEvent(
            incident_id=inc.id, kind="status", occurred_on=date(2024, 9, 2), note="경찰 접수"
        )
    )
    session.add(
        LegalLink(
            incident_id=inc.id,
            conduct="create",
            victim="adult",
            version_id="sexual-violence-act-14-2@2024-10-16",
            basis="then",
        )
    )
    session.add(Takedown(incident_id=inc.id, platform="telegram", requested_on=date(2024, 9, 3)))
    ev = Evidence(incident_id=inc.id, sha256="a" * 64, size_bytes=10, media_type="image/png")
    session.add(ev)
    session.flush()
    session.add(CustodyEvent(evidence_id=ev.id, actor_id=admin.id, action="registered"))
    session.add(
        BriefRecord(
            kind="incident",
            lang="ko",
            params={"id": inc.id},
            sha256="b" * 64,
            filename="brief.docx",
            created_by_id=lawyer.id,
        )
    )
    session.commit()
    account.set_totp_policy(session, actor=admin, roles=["admin"])
    f.enrol_totp(lawyer)


PASSPHRASE = "correct horse battery staple"


def _use(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CASEBOOK_BACKUP_PASSPHRASE", PASSPHRASE)
    get_settings.cache_clear()


def _cli(*args: str) -> int:
    return main(list(args))


def test_round_trip_sqlite_postgresql_sqlite(sqlite_url, pg_url, tmp_path, monkeypatch) -> None:
    first, second = tmp_path / "from-sqlite.zip", tmp_path / "from-pg.zip"
    fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    try:
        _use(monkeypatch, sqlite_url)
        with Session(engine_for(sqlite_url), expire_on_commit=False) as s:
            fill(Factory(s))
        original = snapshot(engine_for(sqlite_url))
        assert all(original[t] for t in ("incident", "chatroom", "custodyevent", "auditlog"))
        assert _cli("backup", "create", "--include-password-hashes", str(first)) == 0
        _use(monkeypatch, pg_url)
        assert _cli("backup", "restore", str(first)) == 0
        assert snapshot(engine_for(pg_url)) == original
        with Session(engine_for(pg_url)) as s:
            assert audit.verify_chain(s).ok
            u = s.exec(select(User).where(User.role == "lawyer")).scalars().first()
            assert crypto.decrypt(u.totp_secret_enc)
        # New rows after a restore get fresh ids (sequences were reset).
        with Session(engine_for(pg_url), expire_on_commit=False) as s:
            f = Factory(s)
            f._admin = s.exec(select(User).where(User.role == "admin")).scalars().first()
            assert f.incident().id > max(r["id"] for r in original["incident"])
            assert audit.verify_chain(s).ok
        _truncate(engine_for(pg_url))
        # Back again: PostgreSQL -> a brand-new SQLite file (the CLI migrates it first).
        assert _cli("backup", "restore", str(first)) == 0
        assert _cli("backup", "create", "--include-password-hashes", str(second)) == 0
        _use(monkeypatch, fresh_url)
        assert _cli("backup", "restore", str(second)) == 0
        assert snapshot(engine_for(fresh_url)) == original
    finally:
        get_settings.cache_clear()
        _truncate(engine_for(sqlite_url))
        _truncate(engine_for(pg_url))
        engine_for(fresh_url).dispose()


@pytest.fixture
def made(session, factory, tmp_path) -> tuple[Path, dict]:
    fill(factory)
    path = tmp_path / "b.zip"
    create_backup(
        session, actor=factory.admin, path=path, passphrase=PASSPHRASE, include_password_hashes=True
    )
    session.close()
    return path, snapshot(session.get_bind())


def _refused(engine: Engine, path: Path, key: str, passphrase: str = PASSPHRASE) -> None:
    before = snapshot(engine)
    with Session(engine) as s, pytest.raises(BackupError) as info:
        restore_backup(s, path, passphrase)
    assert info.value.key == key
    assert snapshot(engine) == before


def test_restore_refuses_non_empty_database(made, engine) -> None:
    path, _ = made
    _refused(engine, path, "security.restore_not_empty")


def test_restore_into_empty_database_of_same_backend(made, engine) -> None:
    path, original = made
    _truncate(engine)
    with Session(engine) as s:
        info = restore_backup(s, path, PASSPHRASE)
    assert info.rows["incident"] == 1
    assert snapshot(engine) == original


def _sealer(path: Path) -> Fernet:
    from casebook.ops.restore import passphrase_fernet

    with zipfile.ZipFile(path) as zf:
        return passphrase_fernet(zf, PASSPHRASE)


def _rewrite(path: Path, out: Path, change, reseal: bool = True) -> Path:
    """A copy of the backup with ``change(name, clear bytes)`` applied to each part, sealed
    again under the same passphrase (as someone holding the passphrase could)."""
    sealer = _sealer(path)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith(SEALED):
                name = item.filename.removesuffix(SEALED)
                changed = change(name, sealer.decrypt(data))
                data = sealer.encrypt(changed) if reseal else changed
            dst.writestr(item.filename, data)
    return out


def test_restore_refuses_damaged_truncated_foreign_files(
    made, engine, tmp_path, monkeypatch
) -> None:
    path, _ = made
    _truncate(engine)
    empty = snapshot(engine)
    damaged = _rewrite(
        path,
        tmp_path / "d.zip",
        lambda name, data: (
            data.replace("경찰".encode(), "검찰".encode())
            if name == "tables/incidentevent.jsonl"
            else data
        ),
    )
    _refused(engine, damaged, "security.backup_damaged")
    flipped = tmp_path / "f.zip"  # one byte of a sealed part changed, not sealed again
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(flipped, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "tables/incident.jsonl" + SEALED:
                data = data[:40] + (b"A" if data[40:41] != b"A" else b"B") + data[41:]
            dst.writestr(item.filename, data)
    _refused(engine, flipped, "security.backup_damaged")
    truncated = tmp_path / "t.zip"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _refused(engine, truncated, "security.backup_not_ours")
    junk = tmp_path / "j.zip"
    with zipfile.ZipFile(junk, "w") as zf:
        zf.writestr("hello.txt", "not a backup")
    _refused(engine, junk, "security.backup_not_ours")

    def bump(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["tables"]["incident"]["rows"] += 1  # edited by hand, HMAC not redone
        return json.dumps(manifest).encode()

    _refused(engine, _rewrite(path, tmp_path / "m.zip", bump), "security.backup_foreign")
    _refused(engine, path, "security.backup_passphrase", passphrase="wrong " + PASSPHRASE)
    _refused(engine, path, "security.backup_needs_passphrase", passphrase="")
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    _refused(engine, path, "security.backup_foreign")
    assert snapshot(engine) == empty


def test_backup_is_owner_only_and_holds_nothing_in_clear(session, factory, tmp_path) -> None:
    fill(factory)
    path = tmp_path / "plain-check.zip"
    create_backup(session, actor=factory.admin, path=path, passphrase=PASSPHRASE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    for clear in ("백업대학교", "경찰 접수", "admin", "argon2", "테스트 요약"):
        assert clear.encode() not in raw
    with zipfile.ZipFile(path) as zf:
        assert sorted(n for n in zf.namelist() if not n.endswith(SEALED)) == [
            "casebook-backup.json"
        ]


def test_password_hashes_left_out_unless_asked(session, factory, tmp_path, engine) -> None:
    fill(factory)
    hashes = {u.id: u.password_hash for u in session.exec(select(User)).scalars()}
    path = tmp_path / "nohash.zip"
    create_backup(session, actor=factory.admin, path=path, passphrase=PASSPHRASE)
    session.close()
    _truncate(engine)
    with Session(engine) as s:
        info = restore_backup(s, path, PASSPHRASE)
        restored = {u.id: u.password_hash for u in s.exec(select(User)).scalars()}
    assert info.rows["user"] == len(hashes) >= 2
    assert set(restored.values()) == {NO_PASSWORD}
    from casebook.access.auth import verify_password

    assert not any(verify_password(h, "") for h in restored.values())


def test_short_passphrase_refused_and_nothing_written(session, factory, tmp_path) -> None:
    path = tmp_path / "short.zip"
    with pytest.raises(BackupError) as info:
        create_backup(session, actor=factory.admin, path=path, passphrase="short")
    assert info.value.key == "security.backup_passphrase_short"
    assert not path.exists() and not list(tmp_path.glob("*.part"))


def test_sizes_checked_before_the_manifest_is_read(tmp_path, engine, monkeypatch) -> None:
    """A small file whose manifest inflates to 50 MB is refused from the sizes the zip
    declares; the manifest is never read (L-5)."""
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, b"{" + b" " * (50 << 20) + b"}")
    assert bomb.stat().st_size < 1 << 20
    read = []
    real = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        read.append(name)
        return real(self, name, *args, **kwargs)

    stored_lie = tmp_path / "lie.zip"  # a sealed backup entry that is deflated
    with zipfile.ZipFile(stored_lie, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("casebook-backup.json", b"{}")
        zf.writestr(MANIFEST + SEALED, b"x" * 1000)
    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    _refused(engine, bomb, "security.backup_too_big")
    _refused(engine, stored_lie, "security.backup_too_big")
    assert read == []


def test_cli_passphrase_from_file_or_stdin_never_argv(
    session, factory, tmp_path, monkeypatch, capsys
) -> None:
    fill(factory)
    session.close()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    out = tmp_path / "cli.zip"
    assert _cli("backup", "create", "--passphrase-file", str(secret), str(out)) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("not the passphrase at all\n"))
    assert _cli("backup", "restore", str(out)) == 2
    assert "does not open this backup" in capsys.readouterr().err
    # There is no way to give the passphrase itself in argv (it would show in ps).
    assert _cli("backup", "create", "--passphrase", PASSPHRASE, str(tmp_path / "x.zip")) == 2
    assert "unrecognized arguments" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()
