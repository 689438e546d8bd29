"""Encryption at rest and key rotation: old data readable after rotation, nothing in clear."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlmodel import Session

from casebook.access import crypto, keys
from casebook.cli import main
from casebook.config import get_settings
from casebook.errors import CasebookError
from casebook.incidents.store import get_incident
from db.models import ChatRoom, Incident, User

CONTACT = "피해자 연락처 010-9876-5432"
ROOM = "t.me/+SecretRoomInvite"
INVITE = "https://t.me/joinchat/AAAAsecret"


@pytest.fixture
def key_file_mode(monkeypatch: pytest.MonkeyPatch, session: Session) -> Path:
    """The key comes from data_dir/secret.key, created as setup does on an empty database."""
    monkeypatch.delenv("CASEBOOK_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    path = keys.ensure_key(session)
    assert path == get_settings().resolved_key_file
    return path


def _secrets(session: Session, factory) -> dict[str, int]:
    inc = factory.incident(victim_contact=CONTACT)
    room = ChatRoom(
        platform="telegram",
        kind="group",
        label="방",
        identifier_enc=crypto.encrypt(ROOM),
        invite_link_enc=crypto.encrypt(INVITE),
    )
    session.add(room)
    session.commit()
    lawyer = factory.user(role="lawyer")
    totp = factory.enrol_totp(lawyer)
    return {"incident": inc.id, "room": room.id, "user": lawyer.id, "totp": totp}


def _raw_dump(session: Session) -> str:
    parts = []
    for table in ("incident", "chatroom", '"user"', "auditlog"):
        for row in session.execute(text(f"SELECT * FROM {table}")):
            parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)


def _assert_no_clear_text(session: Session, ids: dict, db_url: str) -> None:
    dump = _raw_dump(session)
    for clear in (CONTACT, ROOM, INVITE, ids["totp"]):
        assert clear not in dump
    if db_url.startswith("sqlite"):
        path = Path(db_url.split("///", 1)[1])
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        for clear in (CONTACT, ROOM, INVITE, ids["totp"]):
            assert clear.encode() not in raw


def _assert_readable(session: Session, ids: dict, admin: User) -> None:
    session.expire_all()
    detail = get_incident(session, actor=admin, incident_id=ids["incident"], reveal_victim=True)
    assert detail.victim_contact == CONTACT
    room = session.get(ChatRoom, ids["room"])
    assert (crypto.decrypt(room.identifier_enc), crypto.decrypt(room.invite_link_enc)) == (
        ROOM,
        INVITE,
    )
    assert crypto.decrypt(session.get(User, ids["user"]).totp_secret_enc) == ids["totp"]


def test_key_file_created_owner_only_and_rotated(session, factory, key_file_mode, db_url) -> None:
    ids = _secrets(session, factory)
    assert stat.S_IMODE(key_file_mode.stat().st_mode) == 0o600
    old_key = key_file_mode.read_bytes()
    old_token = session.get(Incident, ids["incident"]).victim_contact_enc
    _assert_no_clear_text(session, ids, db_url)
    session.close()
    assert main(["keys", "rotate"]) == 0
    new_key = key_file_mode.read_bytes()
    assert new_key != old_key and stat.S_IMODE(key_file_mode.stat().st_mode) == 0o600
    backups = list(key_file_mode.parent.glob("secret.key.*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == old_key
    assert not key_file_mode.with_name("secret.key.new").exists()
    new_token = session.get(Incident, ids["incident"]).victim_contact_enc
    assert new_token != old_token
    with pytest.raises(Exception):  # noqa: B017 (the old key no longer opens the data)
        crypto.decrypt_strict(new_token, old_key)
    _assert_readable(session, ids, factory.admin)
    _assert_no_clear_text(session, ids, db_url)


def test_rotation_refuses_unreadable_value_and_changes_nothing(
    session, factory, key_file_mode
) -> None:
    ids = _secrets(session, factory)
    foreign = crypto.encrypt("someone else's", Fernet.generate_key())
    session.get(Incident, ids["incident"]).victim_contact_enc = foreign
    session.commit()
    old_key = key_file_mode.read_bytes()
    token = session.get(ChatRoom, ids["room"]).identifier_enc
    with pytest.raises(CasebookError) as info:
        keys.rotate_keys(session, actor=factory.admin)
    assert info.value.key == "security.key_mismatch"
    assert info.value.params == {"table": "incident", "id": ids["incident"]}
    session.expire_all()
    assert key_file_mode.read_bytes() == old_key
    # audit.key (the audit chain's own key, beside it) is not the rotation's business.
    names = sorted(p.name for p in key_file_mode.parent.iterdir() if p.name != "audit.key")
    assert names == ["secret.key"]
    assert not list(key_file_mode.parent.glob("*.new"))
    assert session.get(ChatRoom, ids["room"]).identifier_enc == token


def test_rotation_with_key_in_environment(session, factory, tmp_path, monkeypatch) -> None:
    ids = _secrets(session, factory)
    with pytest.raises(CasebookError) as info:
        keys.rotate_keys(session, actor=factory.admin)
    assert info.value.key == "security.rotate_needs_out"
    out = tmp_path / "new.key"
    result = keys.rotate_keys(session, actor=factory.admin, out=out)
    assert result.values == 4 and result.key_file == out and result.backup_file is None
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", out.read_text())
    get_settings.cache_clear()
    _assert_readable(session, ids, factory.admin)
