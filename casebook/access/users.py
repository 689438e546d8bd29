"""User accounts: create, change role, deactivate, change password, unlock (admins manage).

Usernames are compared without regard to case or Unicode width (stored NFKC, lower-case).
A change of password, role or active flag ends the user's other sign-ins (session epoch).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ValidationError, field_validator
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from casebook.access import audit, throttle
from casebook.access.auth import end_sessions, hash_password, normalize_username, verify_password
from casebook.access.permissions import require
from casebook.errors import InvalidInput, NotFound, StaleEdit
from casebook.validation import problems_from
from casebook.vocab import ROLES
from db.models import User, utcnow

USER_FIELDS = ["id", "username", "display_name", "role", "active", "can_see_victim_details"]
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")


class UserCreate(BaseModel):
    username: str
    role: str
    password: str
    display_name: str = ""

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = normalize_username(value)
        if not _USERNAME.match(value):
            raise ValueError("errors.username_format")
        return value

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueError("errors.unknown_role")
        return value


def count_users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def create_user(session: Session, *, actor: User | None, data: dict) -> User:
    """Create a user. ``actor`` None is allowed only for the very first admin (bootstrap)."""
    if actor is not None or count_users(session) > 0:
        require(actor, "user.manage")
    try:
        form = UserCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None
    if find_user(session, form.username):
        raise InvalidInput({"username": "errors.username_taken"})
    user = User(
        username=form.username,
        display_name=form.display_name.strip()[:120],
        role=form.role,
        password_hash=hash_password(form.password, (form.username, form.display_name)),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        entity="user",
        entity_id=user.id,
        after=audit.snapshot(user, USER_FIELDS),
    )
    session.commit()
    session.refresh(user)
    return user


def list_users(session: Session, *, actor: User) -> list[User]:
    require(actor, "user.manage")
    return list(session.exec(select(User).order_by(User.username)))


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def update_user(
    session: Session,
    *,
    actor: User,
    user_id: int,
    expected_version: int | None = None,
    role: str | None = None,
    active: bool | None = None,
    can_see_victim_details: bool | None = None,
) -> User:
    """Change role, active flag or the victim-details grant; admins only.

    Only the arguments given (not None) are changes. ``expected_version`` is the version
    the admin's form showed: a form saved after someone else changed this user is refused
    (StaleEdit) instead of writing back the values it displayed. A call that changes
    nothing writes nothing: no new version and no audit row.
    """
    require(actor, "user.manage")
    user = _get(session, user_id)
    if expected_version is not None and user.version != expected_version:
        raise StaleEdit("errors.stale_record")
    before = audit.snapshot(user, USER_FIELDS)
    was = (user.role, user.active)
    if role is not None:
        if role not in ROLES:
            raise InvalidInput({"role": "errors.unknown_role"})
        if user.id == actor.id and role != "admin":
            raise InvalidInput({"role": "errors.cannot_demote_self"})
        user.role = role
    if active is not None:
        if user.id == actor.id and not active:
            raise InvalidInput({"active": "errors.cannot_deactivate_self"})
        user.active = active
    if can_see_victim_details is not None:
        user.can_see_victim_details = can_see_victim_details
    after = audit.snapshot(user, USER_FIELDS)
    if after == before:
        return user
    audit.begin_write(session)
    # Compare-and-set, so that two admins saving at once cannot both pass the check above.
    bumped = session.execute(
        update(User)
        .where(col(User.id) == user_id, col(User.version) == user.version)
        .values(version=user.version + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        raise StaleEdit("errors.stale_record")
    if (user.role, user.active) != was:
        end_sessions(user)
    user.version += 1
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.update",
        entity="user",
        entity_id=user.id,
        before=before,
        after=after,
    )
    session.commit()
    session.refresh(user)
    return user


def _new_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password, (user.username, user.display_name))
    user.password_changed_at = utcnow()
    end_sessions(user)


def change_password(
    session: Session, *, actor: User, current_password: str, new_password: str
) -> int:
    """A user changes their own password; the current one must be given. Ends the user's
    other sign-ins; returns the new session epoch for the one that made the change."""
    require(actor, "account.self")
    user = _get(session, actor.id or 0)
    if not verify_password(user.password_hash, current_password):
        raise InvalidInput({"current_password": "errors.wrong_password"})
    _new_password(user, new_password)
    session.add(user)
    audit.record(session, actor=actor, action="user.password", entity="user", entity_id=user.id)
    session.commit()
    return user.session_epoch


def set_password(session: Session, *, actor: User, user_id: int, new_password: str) -> None:
    """An admin resets another user's password; every sign-in of that user ends."""
    require(actor, "user.manage")
    user = _get(session, user_id)
    _new_password(user, new_password)
    session.add(user)
    audit.record(session, actor=actor, action="user.reset", entity="user", entity_id=user.id)
    session.commit()


def find_user(session: Session, username: str) -> User | None:
    """The user with this name, compared as sign-in compares it."""
    name = normalize_username(username)
    return session.exec(select(User).where(User.username == name)).first()


def unlock_user(session: Session, *, actor: User, user_id: int) -> User:
    """An admin lifts a lockout after failed sign-ins (the per-name count and lock)."""
    require(actor, "user.manage")
    user = _get(session, user_id)
    before = {"failed_logins": user.failed_logins, "locked": user.locked_until is not None}
    user.failed_logins = 0
    user.locked_until = None
    throttle.clear(session, [throttle.key("user", user.username)])
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="user.unlock",
        entity="user",
        entity_id=user.id,
        before=before,
        after={"failed_logins": 0, "locked": False},
    )
    session.commit()
    session.refresh(user)
    return user
