"""Interrupted key rotations, the start-up key check, undecryptable values, and rotation
while the app writes (issue 15: H-1, M-9, M-10, L-9)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session, col, select

from casebook.access import crypto, keys
from casebook.briefs.incident import collect_incident
from casebook.cli import main
from casebook.config import ROOT, get_settings
from casebook.errors import CasebookError
from casebook.i18n import translate
from casebook.importing import export as exports
from casebook.incidents import rooms
from casebook.incidents.store import get_incident
from casebook.ops import bootstrap
from db.engine import engine_for
from db.models import ChatRoom, Incident, User

KEY = "security.undecryptable"
N_INCIDENTS = 20  # plus 10 rooms with two values each: 40 values


@pytest.fixture
def key_file_mode(monkeypatch: pytest.MonkeyPatch, session: Session) -> Path:
    monkeypatch.delenv("CASEBOOK_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    return keys.ensure_key(session)


def _fill(session: Session, factory) -> dict[tuple[str, int, str], str]:
    """40 encrypted values; what each must decrypt to."""
    expected = {}
    for i in range(N_INCIDENTS):
        inc = factory.incident(victim_contact=f"연락처 010-0000-{i:04d}")
        expected[("incident", inc.id, "victim_contact_enc")] = f"연락처 010-0000-{i:04d}"
    for i in range(10):
        room = rooms.create_room(
            session,
            actor=factory.admin,
            data={
                "platform": "telegram",
                "kind": "group",
                "label": f"방{i}",
                "identifier": f"@room{i}",
                "invite_link": f"https://t.me/+inv{i}",
            },
        )
        expected[("chatroom", room.id, "identifier_enc")] = f"@room{i}"
        expected[("chatroom", room.id, "invite_link_enc")] = f"https://t.me/+inv{i}"
    return expected


MODELS = {"incident": Incident, "chatroom": ChatRoom, "user": User}


def _readable(session: Session, expected: dict) -> int:
    """How many values open with the key configured now and give the expected text."""
    session.expire_all()
    key = crypto.current_key()
    ok = 0
    for (table, row_id, column), clear in expected.items():
        token = getattr(session.get(MODELS[table], row_id), column)
        ok += crypto.opens(token, key) and crypto.decrypt_strict(token, key) == clear
    return ok


CRASH = """
import os, signal, sys
import casebook.access.keys as keys
from sqlmodel import Session
point = sys.argv[1]
if point == "replace":
    keys.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
else:
    real = Session.commit
    def commit(self):
        if keys.staged_path(keys.crypto.key_file()).exists() is False and point == "commit":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self)
    Session.commit = commit
from casebook.cli import main
sys.exit(main(["keys", "rotate"]))
"""


def _crash_rotate(point: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "CASEBOOK_SECRET_KEY"}
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, point],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode


@pytest.mark.parametrize("point", ["replace", "commit"])
def test_rotation_killed_before_commit_then_rotate_again(
    session, factory, key_file_mode, point, capsys
) -> None:
    expected = _fill(session, factory)
    session.close()
    old = key_file_mode.read_bytes()
    assert _crash_rotate(point) == -9  # SIGKILL at that point
    # The crash left the database under the old key and one or two new key files.
    names = sorted(p.name for p in key_file_mode.parent.iterdir())
    assert any(n.endswith(".new") for n in names) or key_file_mode.read_bytes() != old
    assert main(["keys", "rotate"]) == 0
    err = capsys.readouterr().err
    assert "rolled back" in err or "back in" in err
    assert _readable(session, expected) == len(expected) == 40
    assert key_file_mode.read_bytes() != old
    assert not list(key_file_mode.parent.glob("*.new"))
    # Nothing was deleted: the old key and the never-used one are kept.
    kept = [p.read_bytes() for p in key_file_mode.parent.glob("secret.key.*")]
    assert old in kept and len(kept) >= 2


def _half_rotated(session: Session, target: Path) -> bytes:
    """The state the old code left after a crash between its commit and its renames:
    the values under the key in ``.new``, ``secret.key`` still the old key."""
    new = Fernet.generate_key()
    values = keys._read_all(session, crypto.current_key())
    keys._reencrypt(session, values, new)
    session.commit()
    crypto.write_key_file(keys.staged_path(target), new)
    return new


def test_half_done_rotation_then_rotate_finishes_it(session, factory, key_file_mode, capsys):
    expected = _fill(session, factory)
    old = key_file_mode.read_bytes()
    new = _half_rotated(session, key_file_mode)
    assert _readable(session, expected) == 0  # under the key in .new
    session.close()
    assert main(["keys", "rotate"]) == 0
    assert "interrupted key rotation was finished" in capsys.readouterr().err
    assert _readable(session, expected) == 40
    kept = [p.read_bytes() for p in key_file_mode.parent.glob("secret.key.*")]
    assert old in kept and new in kept  # the finished rotation's key and the old one


def test_half_done_rotation_finished_at_app_start_up(session, factory, key_file_mode) -> None:
    expected = _fill(session, factory)
    new = _half_rotated(session, key_file_mode)
    result = bootstrap.bootstrap(session)
    assert [k for k, _ in result.key_notes] == ["security.rotation_finished"]
    assert key_file_mode.read_bytes() == new
    assert _readable(session, expected) == 40
    assert keys.resolve_keys(session) == []  # nothing left to do


def test_half_done_rotation_refused_when_no_key_opens(session, factory, key_file_mode) -> None:
    _fill(session, factory)
    _half_rotated(session, key_file_mode)
    staged = keys.staged_path(key_file_mode)
    staged.unlink()
    crypto.write_key_file(staged, Fernet.generate_key())  # a stray key that opens nothing
    before = {p.name: p.read_bytes() for p in key_file_mode.parent.iterdir()}
    with pytest.raises(CasebookError) as info:
        keys.resolve_keys(session)
    assert info.value.key == "security.rotation_unresolved"
    assert {p.name: p.read_bytes() for p in key_file_mode.parent.iterdir()} == before


def test_staged_key_is_never_deleted_by_rotate_in_env_mode(session, factory, tmp_path) -> None:
    _fill(session, factory)
    out = tmp_path / "new.key"
    staged = keys.staged_path(out)
    staged.write_bytes(b"left by a crash")
    with pytest.raises(CasebookError) as info:
        keys.rotate_keys(session, actor=factory.admin, out=out)
    assert info.value.key == "security.staged_exists"
    assert staged.read_bytes() == b"left by a crash"


def test_undecryptable_values_are_errors_not_empty(session, factory) -> None:
    expected = _fill(session, factory)
    inc_id = next(k[1] for k in expected if k[0] == "incident")
    room_id = next(k[1] for k in expected if k[0] == "chatroom")
    foreign = crypto.encrypt("다른 키", Fernet.generate_key())
    session.get(Incident, inc_id).victim_contact_enc = foreign
    session.get(ChatRoom, room_id).identifier_enc = foreign
    lawyer = factory.user(role="lawyer")
    session.get(User, lawyer.id).totp_secret_enc = foreign
    session.commit()
    admin = factory.admin
    # The incident and room pages get the rest of the record and the error in its place.
    detail = get_incident(session, actor=admin, incident_id=inc_id, reveal_victim=True)
    assert detail.victim_contact is None and detail.victim_contact_error == KEY
    room = rooms.get_room(session, actor=admin, room_id=room_id, reveal=True)
    assert (room.identifier, room.invite_link, room.secret_error) == (None, None, KEY)
    as_of = detail.incident.reported_on
    for call in (
        lambda: collect_incident(
            session, actor=admin, incident_id=inc_id, as_of=as_of, reveal_victim=True
        ),
        lambda: crypto.decrypt(session.get(User, lawyer.id).totp_secret_enc),
    ):
        with pytest.raises(crypto.Undecryptable) as info:
            call()
    for error in (info.value, crypto.Undecryptable()):
        assert "cannot be decrypted" in error.message("en")
        assert "복호화할 수 없습니다" in error.message("ko")
    rows = session.exec(select(Incident).where(col(Incident.id) == inc_id)).all()
    assert rows
    with pytest.raises(crypto.Undecryptable) as info:
        exports.export_bytes(session, actor=admin, fmt="csv", include_victim=True)
    assert info.value.params == {"id": inc_id}
    # Without asking for the details, the brief withholds every free text instead.
    data = collect_incident(session, actor=admin, incident_id=inc_id, as_of=rows[0].reported_on)
    assert data.secret_unreadable and data.secret is None


def test_missing_key_with_data_refuses_and_creates_none(session, factory, key_file_mode, capsys):
    _fill(session, factory)
    key_file_mode.rename(key_file_mode.with_name("moved.key"))
    session.close()
    assert main(["incidents", "list"]) == 2
    err = capsys.readouterr().err
    assert "No encryption key is configured" in err and "Traceback" not in err
    assert not key_file_mode.exists()
    with pytest.raises(CasebookError) as info:
        keys.ensure_key(session)  # setup on a database with data
    assert info.value.key == "security.no_key" and not key_file_mode.exists()
    assert main(["--lang", "ko", "incidents", "list"]) == 2
    assert "암호화 키가 설정되어 있지 않습니다" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "message"),
    [("some-key", "is not a valid key"), ("another Fernet key", "cannot be opened")],
)
def test_invalid_or_wrong_env_key_refuses_to_start(
    session, factory, monkeypatch, capsys, value, message
) -> None:
    _fill(session, factory)
    session.close()
    if value == "another Fernet key":
        value = Fernet.generate_key().decode()
    monkeypatch.setenv("CASEBOOK_SECRET_KEY", value)
    get_settings.cache_clear()
    assert main(["incidents", "list"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    with pytest.raises(CasebookError):
        keys.resolve_keys(session)


def test_cli_database_down_is_a_message(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert main(["incidents", "list"]) == 3
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "database is unavailable" in err and "Traceback" not in err


def _write_during(kind: str, writer: Session, admin_id: int, lawyer_id: int) -> dict:
    """One write of ``kind`` as the app would make it; the values it encrypted."""
    from tests.factories import Factory

    actor = writer.get(User, admin_id)
    if kind == "room":
        room = rooms.create_room(
            writer,
            actor=actor,
            data={
                "platform": "telegram",
                "kind": "group",
                "label": "during",
                "identifier": "@during",
                "invite_link": "https://t.me/+during",
            },
        )
        return {
            ("chatroom", room.id, "identifier_enc"): "@during",
            ("chatroom", room.id, "invite_link_enc"): "https://t.me/+during",
        }
    if kind == "incident":
        f = Factory(writer)
        f._admin = actor
        inc = f.incident(victim_contact="도중 010-2222-3333")
        return {("incident", inc.id, "victim_contact_enc"): "도중 010-2222-3333"}
    secret = Factory(writer).enrol_totp(writer.get(User, lawyer_id))
    return {("user", lawyer_id, "totp_secret_enc"): secret}


@pytest.mark.parametrize("kind", ["room", "incident", "totp"])
def test_write_during_rotation_is_under_the_new_key(
    session, factory, key_file_mode, db_url, monkeypatch, kind
) -> None:
    """M-10: a write made while a rotation runs waits for it, then encrypts under the new
    key; no deadlock, no error on either side."""
    expected = _fill(session, factory)
    lawyer_id = factory.user(role="lawyer").id
    admin_id = factory.admin.id
    session.close()
    started = threading.Event()
    real = keys._read_all

    def slow(*args, **kwargs):
        values = real(*args, **kwargs)
        started.set()
        time.sleep(1.5)
        return values

    monkeypatch.setattr(keys, "_read_all", slow)
    errors: list[BaseException] = []

    def rotate() -> None:
        try:
            with Session(engine_for(db_url)) as own:
                keys.rotate_keys(own, actor=own.get(User, admin_id))
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=rotate)
    worker.start()
    assert started.wait(30)
    with Session(engine_for(db_url), expire_on_commit=False) as writer:
        expected |= _write_during(kind, writer, admin_id, lawyer_id)
    worker.join(60)
    assert not worker.is_alive() and errors == []
    assert _readable(session, expected) == len(expected) > 40
    assert keys.resolve_keys(session) == []


def test_app_refuses_to_start_when_the_key_does_not_open_the_data(
    session, factory, monkeypatch
) -> None:
    import ui.core
    from tests.pagetest import new_app

    monkeypatch.setattr(ui.core, "_keys_checked", False)
    inc = factory.incident(victim_contact="010-1111-2222")
    session.get(Incident, inc.id).victim_contact_enc = crypto.encrypt("x", Fernet.generate_key())
    session.commit()
    at = new_app().run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("security.app_key_problem", "ko")]
    assert "secret" not in at.error[0].value  # no path or key detail for visitors
    assert not at.get("text_input")  # no login form: the app did not start


def test_incident_page_shows_undecryptable_as_an_error(session, factory, monkeypatch) -> None:
    import ui.core
    from tests.pagetest import goto, signed_in

    monkeypatch.setattr(ui.core, "_keys_checked", False)
    # One bad value among others (the start-up check samples the oldest and newest).
    incs = [
        factory.incident(victim_contact=f"010-1111-{i:04d}") for i in range(2 * keys.SAMPLE + 1)
    ]
    inc = incs[keys.SAMPLE]
    session.get(Incident, inc.id).victim_contact_enc = crypto.encrypt("x", Fernet.generate_key())
    session.commit()
    at = goto(signed_in(factory.admin.username), "incidents", id=str(inc.id))
    at.button(key="reveal").click().run()
    assert not at.exception
    assert any("복호화할 수 없습니다" in e.value for e in at.error)
    assert inc.title in "\n".join(t.value for t in at.text)  # the rest of the record is shown
