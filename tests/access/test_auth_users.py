from datetime import timedelta

import pytest
from sqlmodel import select

from casebook.access import auth, users
from casebook.errors import AuthFailed, InvalidInput, PermissionDenied
from db.models import AuditLog, User, utcnow
from tests.factories import PASSWORD


def test_password_is_stored_as_argon2id_hash(session, factory) -> None:
    user = factory.user(role="lawyer")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_sign_in_with_right_password(session, factory) -> None:
    user = factory.user(role="viewer")
    signed = auth.authenticate(session, user.username, PASSWORD)
    assert signed.id == user.id and signed.last_login_at is not None


@pytest.mark.parametrize("username,password", [("nobody", PASSWORD), (None, "wrong password!")])
def test_unknown_user_and_wrong_password_get_the_same_message(session, factory, username, password):
    user = factory.user()
    with pytest.raises(AuthFailed) as exc:
        auth.authenticate(session, username or user.username, password)
    assert exc.value.key == "login.invalid"
    assert exc.value.message("en") == "The username or password is incorrect."


def test_deactivated_user_cannot_sign_in(session, factory) -> None:
    user = factory.user()
    users.update_user(session, actor=factory.admin, user_id=user.id, active=False)
    with pytest.raises(AuthFailed):
        auth.authenticate(session, user.username, PASSWORD)


def test_lockout_after_five_failures_survives_a_new_session(session, factory, engine) -> None:
    user = factory.user()
    for _ in range(4):
        with pytest.raises(AuthFailed):
            auth.authenticate(session, user.username, "wrong password!")
    with pytest.raises(AuthFailed) as exc:
        auth.authenticate(session, user.username, "wrong password!")
    assert exc.value.key == "login.locked"
    from sqlmodel import Session

    with Session(engine) as fresh:  # as after a restart: the lock is in the database
        with pytest.raises(AuthFailed) as again:
            auth.authenticate(fresh, user.username, PASSWORD)
        assert again.value.key == "login.locked"
        stored = fresh.get(User, user.id)
        stored.locked_until = utcnow() - timedelta(seconds=1)
        fresh.add(stored)
        fresh.commit()
        assert auth.authenticate(fresh, user.username, PASSWORD).id == user.id


def test_failed_sign_ins_are_audited(session, factory) -> None:
    user = factory.user()
    with pytest.raises(AuthFailed):
        auth.authenticate(session, user.username, "wrong password!")
    actions = session.exec(select(AuditLog.action).where(AuditLog.entity_id == str(user.id)))
    assert "auth.failed" in list(actions)


@pytest.mark.parametrize(
    "data,problem",
    [
        ({"username": "ab", "role": "viewer", "password": PASSWORD}, "errors.username_format"),
        ({"username": "okname", "role": "boss", "password": PASSWORD}, "errors.unknown_role"),
        (
            {"username": "okname", "role": "viewer", "password": "short"},
            "errors.password_too_short",
        ),
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(session, factory, data, problem):
    admin = factory.admin
    before = users.count_users(session)
    with pytest.raises(InvalidInput) as exc:
        users.create_user(session, actor=admin, data=data)
    assert problem in exc.value.problems.values()
    assert users.count_users(session) == before


def test_only_admins_manage_users(session, factory) -> None:
    lawyer = factory.user(role="lawyer")
    with pytest.raises(PermissionDenied):
        users.create_user(
            session,
            actor=lawyer,
            data={"username": "x_user", "role": "viewer", "password": PASSWORD},
        )
    with pytest.raises(PermissionDenied):
        users.list_users(session, actor=lawyer)


def test_admin_cannot_lock_themselves_out(session, factory) -> None:
    admin = factory.admin
    with pytest.raises(InvalidInput):
        users.update_user(session, actor=admin, user_id=admin.id, role="viewer")
    with pytest.raises(InvalidInput):
        users.update_user(session, actor=admin, user_id=admin.id, active=False)


def test_change_password_requires_the_current_one(session, factory) -> None:
    user = factory.user()
    with pytest.raises(InvalidInput):
        users.change_password(
            session,
            actor=user,
            current_password="nope nope nope",
            new_password="another long password",
        )
    users.change_password(
        session, actor=user, current_password=PASSWORD, new_password="another long password"
    )
    assert auth.authenticate(session, user.username, "another long password").id == user.id
