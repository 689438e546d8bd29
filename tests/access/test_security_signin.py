"""Issue 15 (reviews/security.md M-6, M-7, L-1, L-2, L-3): sign-ins end when the account
changes, lockouts do not reveal names, throttles per address and overall, an admin
unlock, password strength, case-insensitive usernames, two-factor policy in the domain."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casebook import incidents
from casebook.access import auth, users
from casebook.access import totp as account
from casebook.access.permissions import ENROLLING
from casebook.config import get_settings
from casebook.errors import AuthFailed, InvalidInput, PermissionDenied
from casebook.i18n import translate
from db.models import AuditLog, SignInThrottle, User, utcnow
from tests.access.test_security_auth import Clock
from tests.factories import PASSWORD

NEW = "a brand new passphrase"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(auth, "utcnow", c)
    return c


def _actor(session: Session, user: User, epoch: int) -> User | None:
    session.expire_all()
    return auth.session_actor(session, user_id=user.id, epoch=epoch)


def _epoch(session: Session, user: User) -> int:
    session.expire_all()
    return session.get(User, user.id).session_epoch


# --- M-6: a change to the account ends its other sign-ins -----------------------------

CHANGES = [
    # (what the admin or the user does, whether it ends the other sign-ins)
    ("admin resets the password", True),
    ("user changes the password", True),
    ("admin changes the role", True),
    ("admin deactivates and reactivates", True),
    ("admin resets two-factor", True),
    ("user turns two-factor off", True),
    ("user replaces the authenticator", True),
    ("user signs out everywhere", True),
    ("admin grants victim details", False),
]


def _change(session: Session, factory, user: User, what: str) -> None:
    admin = factory.admin
    if what == "admin resets the password":
        users.set_password(session, actor=admin, user_id=user.id, new_password=NEW)
    elif what == "user changes the password":
        users.change_password(session, actor=user, current_password=PASSWORD, new_password=NEW)
    elif what == "admin changes the role":
        users.update_user(session, actor=admin, user_id=user.id, role="viewer")
    elif what == "admin deactivates and reactivates":
        users.update_user(session, actor=admin, user_id=user.id, active=False)
        users.update_user(session, actor=admin, user_id=user.id, active=True)
    elif what == "admin resets two-factor":
        account.reset_totp(session, actor=admin, user_id=user.id)
    elif what == "user turns two-factor off":
        account.disable_totp(session, actor=user, password=PASSWORD)
    elif what == "user replaces the authenticator":
        setup = account.begin_totp(session, actor=user, password=PASSWORD)
        code = pyotp.totp.TOTP(setup.secret).now()
        account.confirm_totp(session, actor=user, token=setup.token, code=code)
    elif what == "user signs out everywhere":
        account.sign_out_everywhere(session, actor=user)
    elif what == "admin grants victim details":
        users.update_user(session, actor=admin, user_id=user.id, can_see_victim_details=True)


@pytest.mark.parametrize(("what", "ends"), CHANGES)
def test_account_changes_end_other_sign_ins(session, factory, what: str, ends: bool) -> None:
    user = factory.user(role="lawyer")
    if "two-factor" in what or "authenticator" in what:
        factory.enrol_totp(user)
    before = _epoch(session, user)
    assert _actor(session, user, before).id == user.id
    _change(session, factory, user, what)
    assert (_actor(session, user, before) is None) is ends
    assert _actor(session, user, _epoch(session, user)).id == user.id


def test_the_session_that_changed_the_password_carries_on(session, factory) -> None:
    user = factory.user()
    old = _epoch(session, user)
    new = users.change_password(session, actor=user, current_password=PASSWORD, new_password=NEW)
    assert new == old + 1 == _epoch(session, user)
    assert _actor(session, user, old) is None and _actor(session, user, new).id == user.id


# --- M-7: the lockout answer is the same for names that exist and names that don't -----


def _answers(session: Session, username: str, times: int, **kw: str) -> list[str]:
    keys = []
    for _ in range(times):
        with pytest.raises(AuthFailed) as info:
            auth.authenticate(session, username, "wrong password!!", **kw)
        keys.append(info.value.key)
    return keys


def test_unknown_names_lock_exactly_like_real_ones(session, factory, clock) -> None:
    real = factory.user()
    attempts = get_settings().lockout_attempts + 2
    expected = ["login.invalid"] * (attempts - 3) + ["login.locked"] * 3
    assert _answers(session, real.username, attempts) == expected
    assert _answers(session, "ghost", attempts) == expected
    # The unknown name is kept only as an HMAC.
    stored = " ".join(r.key for r in session.exec(select(SignInThrottle)))
    assert "ghost" not in stored and stored
    # Another spelling of the same name is the same name.
    assert _answers(session, "GHOST", 1) == ["login.locked"]
    clock.now += timedelta(minutes=get_settings().lockout_minutes, seconds=1)
    assert _answers(session, "ghost", 1) == ["login.invalid"]


# --- L-1: admin unlock, per-address and global throttle --------------------------------


def test_admin_unlock_is_audited_and_lets_the_user_in(session, factory, clock) -> None:
    user = factory.user()
    _answers(session, user.username, get_settings().lockout_attempts)
    with pytest.raises(AuthFailed) as info:
        auth.authenticate(session, user.username, PASSWORD)
    assert info.value.key == "login.locked"
    with pytest.raises(PermissionDenied):
        users.unlock_user(session, actor=factory.user(), user_id=user.id)
    users.unlock_user(session, actor=factory.admin, user_id=user.id)
    assert auth.authenticate(session, user.username, PASSWORD).id == user.id
    row = session.exec(select(AuditLog).where(AuditLog.action == "user.unlock")).one()
    assert (row.actor_id, row.entity_id) == (factory.admin.id, str(user.id))


def test_cli_account_unlock(session, factory, clock, capsys) -> None:
    from casebook.cli import main

    user = factory.user()
    _answers(session, user.username, get_settings().lockout_attempts)
    session.close()
    assert main(["account", "unlock", user.username.upper()]) == 0
    assert "can sign in again" in capsys.readouterr().out
    assert auth.authenticate(session, user.username, PASSWORD).id == user.id
    assert main(["account", "unlock", "nobody-by-that-name"]) == 2


def test_one_address_is_throttled_across_usernames(session, factory, clock, monkeypatch) -> None:
    monkeypatch.setenv("CASEBOOK_ADDRESS_ATTEMPTS", "4")
    get_settings.cache_clear()
    victim = factory.user()
    sprayer = "203.0.113.7"
    for name in ("a1", "a2", "a3", "a4"):  # four names, one try each: below every name lock
        _answers(session, name, 1, client=sprayer)
    with pytest.raises(AuthFailed) as info:  # even the right password waits now
        auth.authenticate(session, victim.username, PASSWORD, client=sprayer)
    assert info.value.key == "login.throttled"
    # Another address is not affected, and the address is not stored in clear.
    assert auth.authenticate(session, victim.username, PASSWORD, client="198.51.100.2")
    assert sprayer not in " ".join(r.key for r in session.exec(select(SignInThrottle)))
    clock.now += timedelta(minutes=get_settings().lockout_minutes, seconds=1)
    assert auth.authenticate(session, victim.username, PASSWORD, client=sprayer).id == victim.id


def test_global_throttle_against_spraying(session, factory, clock, monkeypatch) -> None:
    monkeypatch.setenv("CASEBOOK_GLOBAL_ATTEMPTS", "6")
    get_settings.cache_clear()
    victim = factory.user()
    for n in range(6):  # six addresses, six names: no address and no name is over its limit
        _answers(session, f"sprayed{n}", 1, client=f"192.0.2.{n}")
    with pytest.raises(AuthFailed) as info:
        auth.authenticate(session, victim.username, PASSWORD, client="192.0.2.99")
    assert info.value.key == "login.throttled"
    clock.now += timedelta(minutes=get_settings().lockout_minutes, seconds=1)
    assert auth.authenticate(session, victim.username, PASSWORD).id == victim.id
    # Expired counts are dropped by the next failure: the store keeps only live rows.
    _answers(session, "after", 1)
    assert len(session.exec(select(SignInThrottle)).all()) == 2  # this name + global


# --- L-2: password strength and usernames ---------------------------------------------

WEAK = [
    # (password, why it is refused)
    (" " * 12, "errors.password_blank"),
    ("\u200b" * 12, "errors.password_blank"),  # zero-width spaces
    ("\u3000\t " * 6, "errors.password_blank"),  # ideographic space, tab
    ("elevenchars", "errors.password_too_short"),
    ("x" * 1025, "errors.password_too_long"),
    ("password1234", "errors.password_common"),
    ("admin-admin-", "errors.password_weak"),
    ("qwertyuiop123", "errors.password_common"),
    ("Password2024!", "errors.password_weak"),
    ("iloveyou12345", "errors.password_weak"),
    ("1q2w3e4r5t6y", "errors.password_common"),
    ("aaaaaaaaaaaaaaaaaaaa", "errors.password_weak"),
]


@pytest.mark.parametrize(("password", "problem"), WEAK)
def test_weak_passwords_are_refused_with_a_reason(password: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as info:
        auth.check_password_strength(password)
    assert info.value.problems == {"password": problem}
    for lang in ("ko", "en"):
        assert translate(problem, lang) != problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "비밀번호는 길고 특별하게",
        "x7#Lq!9vRt2@",
        "y" * 8 + "Tz4%kw9Qm" * 100,
    ],
)
def test_strong_passwords_pass(password: str) -> None:
    auth.check_password_strength(password)


def test_password_is_refused_when_it_is_the_username(session, factory) -> None:
    with pytest.raises(InvalidInput) as info:
        users.create_user(
            session,
            actor=factory.admin,
            data={"username": "kimjiyoung", "role": "viewer", "password": "kimjiyoung2024"},
        )
    assert info.value.problems == {"password": "errors.password_weak"}


def test_password_is_nfkc_normalised(session, factory) -> None:
    wide = "ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ"  # full-width letters, as some IMEs type them
    user = factory.user(password=wide)
    assert auth.authenticate(session, user.username, PASSWORD).id == user.id
    assert auth.authenticate(session, user.username, wide).id == user.id


def test_hash_made_before_normalisation_still_signs_in(session, factory) -> None:
    user = factory.user()
    wide = "ｗｉｄｅ ｏｌｄ ｐａｓｓｐｈｒａｓｅ"
    row = session.get(User, user.id)
    row.password_hash = auth._hasher.hash(wide)  # as stored before issue 15
    session.add(row)
    session.commit()
    assert auth.authenticate(session, user.username, wide).id == user.id
    # Rehashed under the normalised form on that sign-in.
    assert auth._verify_exact(
        session.get(User, user.id).password_hash, auth.normalize_password(wide)
    )


def test_usernames_are_case_insensitive(session, factory) -> None:
    user = factory.user(username="Kim.Lawyer")
    assert user.username == "kim.lawyer"
    for spelling in ("KIM.LAWYER", "kim.lawyer ", "ｋｉｍ．ｌａｗｙｅｒ"):
        assert auth.authenticate(session, spelling, PASSWORD).id == user.id
    with pytest.raises(InvalidInput) as info:
        factory.user(username="KIM.lawyer")
    assert info.value.problems == {"username": "errors.username_taken"}


def test_database_refuses_names_that_differ_only_by_case(session, factory) -> None:
    factory.user(username="park")
    with pytest.raises(IntegrityError):
        session.execute(
            text(
                'INSERT INTO "user" (username, display_name, password_hash, role, active, '
                "failed_logins, totp_enabled, can_see_victim_details, password_changed_at, "
                "created_at, version, session_epoch) VALUES ('PARK', '', 'x', 'viewer', "
                "true, 0, false, false, :now, :now, 1, 0)"
            ),
            {"now": utcnow()},
        )
        session.commit()
    session.rollback()


# --- L-3: two-factor policy in the domain ----------------------------------------------


def test_user_who_must_enrol_may_only_enrol(session, factory) -> None:
    lawyer = factory.user(role="lawyer")
    inc = factory.incident()
    account.set_totp_policy(session, actor=factory.admin, roles=["lawyer"])
    actor = _actor(session, lawyer, _epoch(session, lawyer))
    assert actor.role == ENROLLING
    assert session.get(User, lawyer.id).role == "lawyer"  # nothing written
    with pytest.raises(PermissionDenied):
        incidents.get_incident(session, actor=actor, incident_id=inc.id)
    with pytest.raises(PermissionDenied):
        users.change_password(session, actor=actor, current_password=PASSWORD, new_password=NEW)
    with pytest.raises(InvalidInput) as info:
        account.begin_totp(session, actor=actor, password="not the password")
    assert info.value.problems == {"current_password": "errors.wrong_password"}
    setup = account.begin_totp(session, actor=actor, password=PASSWORD)
    epoch = account.confirm_totp(
        session, actor=actor, token=setup.token, code=pyotp.totp.TOTP(setup.secret).now()
    )
    actor = _actor(session, lawyer, epoch)
    assert actor.role == "lawyer"
    assert incidents.get_incident(session, actor=actor, incident_id=inc.id).incident.id == inc.id


def test_re_enrolling_keeps_the_old_secret_until_confirmed(session, factory, clock) -> None:
    user = factory.user(role="lawyer")
    old = pyotp.totp.TOTP(factory.enrol_totp(user))
    setup = account.begin_totp(session, actor=user, password=PASSWORD)
    session.expire_all()
    assert session.get(User, user.id).totp_enabled
    clock.now += timedelta(seconds=30)
    code = old.at(clock.now)
    assert auth.authenticate(session, user.username, PASSWORD, totp_code=code).id == user.id
    # Someone else's set-up token is refused.
    other = factory.user(role="lawyer")
    with pytest.raises(InvalidInput) as info:
        account.confirm_totp(
            session,
            actor=other,
            token=setup.token,
            code=pyotp.totp.TOTP(setup.secret).at(clock.now),
        )
    assert info.value.problems == {"totp_code": "security.totp_setup_expired"}
    new = pyotp.totp.TOTP(setup.secret)
    account.confirm_totp(session, actor=user, token=setup.token, code=new.at(clock.now))
    clock.now += timedelta(seconds=30)
    with pytest.raises(AuthFailed):
        auth.authenticate(session, user.username, PASSWORD, totp_code=old.at(clock.now))
    code = new.at(clock.now)
    assert auth.authenticate(session, user.username, PASSWORD, totp_code=code).id == user.id


# --- migration 0012_sec_auth on existing data -----------------------------------------

_OLD_USER = (
    'INSERT INTO "user" (username, display_name, password_hash, role, active, failed_logins, '
    "totp_enabled, can_see_victim_details, password_changed_at, created_at, version) "
    "VALUES (:name, '', 'x', 'viewer', true, 0, false, false, :now, :now, 1)"
)


def _old_database(tmp_path, names: list[str]) -> str:
    from sqlalchemy import create_engine

    from casebook.ops import migrate as dbadmin

    url = f"sqlite:///{tmp_path / 'old.db'}"
    dbadmin.upgrade(url, "0011_sqlite_dashboard_json")
    engine = create_engine(url)
    with engine.begin() as conn:
        for name in names:
            conn.execute(text(_OLD_USER), {"name": name, "now": utcnow()})
    engine.dispose()
    return url


def test_migration_lower_cases_existing_usernames(tmp_path) -> None:
    from sqlalchemy import create_engine

    from casebook.ops import migrate as dbadmin

    url = _old_database(tmp_path, ["Kim.Lawyer", "park"])
    dbadmin.upgrade(url, "0012_sec_auth")
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text('SELECT username, session_epoch FROM "user" ORDER BY id'))
        assert [tuple(r) for r in rows] == [("kim.lawyer", 0), ("park", 0)]
    engine.dispose()


def test_migration_stops_on_names_that_differ_only_by_case(tmp_path) -> None:
    from casebook.ops import migrate as dbadmin

    url = _old_database(tmp_path, ["Admin", "admin"])
    with pytest.raises(RuntimeError, match="renamed first: admin"):
        dbadmin.upgrade(url, "0012_sec_auth")
