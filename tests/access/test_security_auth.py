"""Sign-in: argon2id, lockout kept in the database, deactivation, passwords, TOTP."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from argon2 import PasswordHasher, Type
from sqlmodel import Session, select

from casebook.access import auth, crypto
from casebook.access import totp as account
from casebook.access.users import change_password, update_user
from casebook.errors import AuthFailed, InvalidInput
from db.engine import make_engine
from db.models import AuditLog, User, utcnow
from tests.factories import PASSWORD


class Clock:
    """A settable stand-in for db.models.utcnow inside casebook.access.auth."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(auth, "utcnow", c)
    return c


def _fail(session: Session, username: str, times: int) -> list[str]:
    keys = []
    for _ in range(times):
        with pytest.raises(AuthFailed) as info:
            auth.authenticate(session, username, "wrong password!!")
        keys.append(info.value.key)
    return keys


def test_hash_is_argon2id_and_short_passwords_refused(factory) -> None:
    user = factory.user()
    assert user.password_hash.startswith("$argon2id$")
    with pytest.raises(InvalidInput) as info:
        auth.hash_password("elevenchars")
    assert info.value.problems == {"password": "errors.password_too_short"}
    assert auth.hash_password("twelve chars").startswith("$argon2id$")
    # The production hasher (tests use a cheap one) has the library's recommended cost.
    real = PasswordHasher()
    assert (real.type, real.time_cost, real.memory_cost) == (Type.ID, 3, 65536)


def test_five_failures_lock_for_fifteen_minutes_across_a_new_engine(
    session, factory, clock, db_url
) -> None:
    user = factory.user()
    assert _fail(session, user.username, 5) == ["login.invalid"] * 4 + ["login.locked"]
    # A new engine and session (as after an app restart) still sees the lock.
    fresh_engine = make_engine(db_url)
    with Session(fresh_engine) as fresh:
        stored = fresh.get(User, user.id)
        assert stored.locked_until is not None
        with pytest.raises(AuthFailed) as info:
            auth.authenticate(fresh, user.username, PASSWORD)  # right password, still locked
        assert info.value.key == "login.locked"
        clock.now += timedelta(minutes=14, seconds=59)
        with pytest.raises(AuthFailed):
            auth.authenticate(fresh, user.username, PASSWORD)
        clock.now += timedelta(seconds=2)
        signed = auth.authenticate(fresh, user.username, PASSWORD)
        assert signed.id == user.id and signed.failed_logins == 0 and signed.locked_until is None
    fresh_engine.dispose()
    actions = session.exec(
        select(AuditLog.action)
        .where(AuditLog.entity == "user", AuditLog.entity_id == str(user.id))
        .order_by(AuditLog.id)
    ).all()
    assert actions[-6:] == ["auth.failed"] * 4 + ["auth.locked", "auth.login"]


def test_unknown_user_and_wrong_password_look_alike(session, factory) -> None:
    user = factory.user()
    with pytest.raises(AuthFailed) as unknown:
        auth.authenticate(session, "nobody-here", PASSWORD)
    with pytest.raises(AuthFailed) as wrong:
        auth.authenticate(session, user.username, "not the password")
    assert unknown.value.message("en") == wrong.value.message("en")


def test_deactivated_user_cannot_sign_in(session, factory) -> None:
    user = factory.user()
    update_user(session, actor=factory.admin, user_id=user.id, active=False)
    with pytest.raises(AuthFailed) as info:
        auth.authenticate(session, user.username, PASSWORD)
    assert info.value.key == "login.invalid"


def test_change_password(session, factory) -> None:
    user = factory.user()
    with pytest.raises(InvalidInput) as info:
        change_password(session, actor=user, current_password="nope", new_password="x" * 12)
    assert info.value.problems == {"current_password": "errors.wrong_password"}
    with pytest.raises(InvalidInput):
        change_password(session, actor=user, current_password=PASSWORD, new_password="short")
    change_password(
        session, actor=user, current_password=PASSWORD, new_password="a brand new passphrase"
    )
    assert auth.authenticate(session, user.username, "a brand new passphrase").id == user.id
    with pytest.raises(AuthFailed):
        auth.authenticate(session, user.username, PASSWORD)


def test_totp_setup_sign_in_and_disable(session, factory, clock) -> None:
    user = factory.user(role="lawyer")
    setup = account.begin_totp(session, actor=user, password=PASSWORD)
    assert setup.uri.startswith("otpauth://totp/") and setup.secret in setup.uri
    assert setup.secret not in setup.token
    # Not active until confirmed: nothing is stored, a password alone still signs in.
    assert session.get(User, user.id).totp_secret_enc is None
    assert auth.authenticate(session, user.username, PASSWORD).id == user.id
    with pytest.raises(InvalidInput):
        account.confirm_totp(session, actor=user, token=setup.token, code="000000")
    totp = pyotp.totp.TOTP(setup.secret)
    account.confirm_totp(session, actor=user, token=setup.token, code=totp.at(clock.now))
    stored = session.get(User, user.id)
    assert setup.secret not in (stored.totp_secret_enc or "")
    assert crypto.decrypt(stored.totp_secret_enc) == setup.secret
    assert auth.sign_in(session, user.username, PASSWORD).needs_totp
    with pytest.raises(auth.TotpRequired):
        auth.authenticate(session, user.username, PASSWORD)
    with pytest.raises(AuthFailed) as info:
        auth.authenticate(session, user.username, PASSWORD, totp_code="123456")
    assert info.value.key == "login.invalid"
    assert session.get(User, user.id).failed_logins == 1  # a wrong code counts as a failure
    # The code used to confirm cannot be used again (replay), the next one can.
    with pytest.raises(AuthFailed):
        auth.authenticate(session, user.username, PASSWORD, totp_code=totp.at(clock.now))
    clock.now += timedelta(seconds=30)
    done = auth.sign_in(session, user.username, PASSWORD, totp_code=totp.at(clock.now))
    assert done.user.id == user.id and not done.needs_totp
    # One step of clock drift either way is accepted; two are not.
    clock.now += timedelta(seconds=60)
    with pytest.raises(AuthFailed):
        auth.authenticate(
            session, user.username, PASSWORD, totp_code=totp.at(clock.now - timedelta(seconds=60))
        )
    assert (
        auth.authenticate(
            session, user.username, PASSWORD, totp_code=totp.at(clock.now + timedelta(seconds=30))
        ).id
        == user.id
    )
    account.disable_totp(session, actor=user, password=PASSWORD)
    assert auth.authenticate(session, user.username, PASSWORD).id == user.id


def test_admin_requires_totp_for_lawyers(session, factory, clock) -> None:
    lawyer = factory.user(role="lawyer")
    assert not account.totp_setup_needed(session, lawyer)
    assert account.set_totp_policy(session, actor=factory.admin, roles=["lawyer"]) == ["lawyer"]
    assert account.totp_setup_needed(session, lawyer)
    with pytest.raises(InvalidInput):
        account.set_totp_policy(session, actor=factory.admin, roles=["viewer"])
    setup = account.begin_totp(session, actor=lawyer, password=PASSWORD)
    code = pyotp.totp.TOTP(setup.secret).at(clock.now)
    account.confirm_totp(session, actor=lawyer, token=setup.token, code=code)
    assert not account.totp_setup_needed(session, session.get(User, lawyer.id))
    with pytest.raises(InvalidInput) as info:
        account.disable_totp(session, actor=lawyer, password=PASSWORD)
    assert info.value.problems == {"totp_code": "security.totp_is_required"}
    account.reset_totp(session, actor=factory.admin, user_id=lawyer.id)
    assert session.get(User, lawyer.id).totp_enabled is False


def test_account_commands(session, factory, capsys) -> None:
    from casebook.cli import main

    admin = factory.admin
    factory.enrol_totp(admin)
    session.close()
    assert main(["account", "require-totp", "--roles", "admin,lawyer"]) == 0
    assert "admin, lawyer" in capsys.readouterr().out
    assert main(["account", "reset-totp", admin.username]) == 0
    assert session.get(User, admin.id).totp_secret_enc is None
    assert account.totp_required_roles(session) == ["admin", "lawyer"]
    assert main(["account", "reset-totp", "nobody-by-that-name"]) == 2
