"""Portable backups: round trip SQLite -> PostgreSQL -> SQLite compared row by row, and
refusal of damaged, truncated, foreign files or a non-empty database (changing nothing)."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from casebook import account, audit, crypto
from casebook.backup import BackupError, create_backup
from casebook.cli import main
from casebook.restore import restore_backup
from casebook.settings import get_settings
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


def _normal(value):  # noqa: ANN001, ANN202
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


def _use(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
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
        assert _cli("backup", "create", str(first)) == 0
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
        assert _cli("backup", "create", str(second)) == 0
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
    create_backup(session, actor=factory.admin, path=path)
    session.close()
    return path, snapshot(session.get_bind())


def _refused(engine: Engine, path: Path, key: str) -> None:
    before = snapshot(engine)
    with Session(engine) as s, pytest.raises(BackupError) as info:
        restore_backup(s, path)
    assert info.value.key == key
    assert snapshot(engine) == before


def test_restore_refuses_non_empty_database(made, engine) -> None:
    path, _ = made
    _refused(engine, path, "security.restore_not_empty")


def test_restore_into_empty_database_of_same_backend(made, engine) -> None:
    path, original = made
    _truncate(engine)
    with Session(engine) as s:
        info = restore_backup(s, path)
    assert info.rows["incident"] == 1
    assert snapshot(engine) == original


def _rewrite(path: Path, out: Path, change) -> Path:  # noqa: ANN001
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change(item.filename, src.read(item.filename)))
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
    truncated = tmp_path / "t.zip"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _refused(engine, truncated, "security.backup_not_ours")
    junk = tmp_path / "j.zip"
    with zipfile.ZipFile(junk, "w") as zf:
        zf.writestr("hello.txt", "not a backup")
    _refused(engine, junk, "security.backup_not_ours")

    def bump(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tables"]["incident"]["rows"] += 1  # edited by hand, HMAC not redone
        return json.dumps(manifest).encode()

    _refused(engine, _rewrite(path, tmp_path / "m.zip", bump), "security.backup_foreign")
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    _refused(engine, path, "security.backup_foreign")
    assert snapshot(engine) == empty
