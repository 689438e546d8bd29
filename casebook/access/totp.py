"""Two-factor sign-in (TOTP): set up, confirm, disable, and the admin's policy on it.

The secret is stored encrypted (User.totp_secret_enc) and shown once, as an otpauth URI
and as text, when it is set up; it only takes effect after the user proves the app
works by entering a code (``confirm_totp``). Setting it up (again) asks for the current
password, and until the new secret is confirmed the old one stays in force: the new one
travels only inside an encrypted, short-lived set-up token handed back to the page.
Every change of the two-factor set-up ends the user's other sign-ins (session epoch).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from sqlmodel import Session

from casebook.access import audit, crypto
from casebook.access.auth import end_sessions, totp_ok, verify_password
from casebook.access.permissions import ENROLLING, require
from casebook.config import get_settings
from casebook.errors import InvalidInput, NotFound
from casebook.vocab import ROLES
from db.models import SecurityPolicy, User, utcnow

# Roles an admin may oblige to use two-factor sign-in (issue 5).
TOTP_POLICY_ROLES = ("admin", "lawyer")
# How long a set-up started with the password may wait for its confirming code.
SETUP_MINUTES = 15


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str
    token: str  # the new secret, encrypted with the user and time: confirm_totp takes it


def _me(session: Session, actor: User, action: str = "account.self") -> User:
    require(actor, action)
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound()
    return user


def begin_totp(session: Session, *, actor: User, password: str) -> TotpSetup:
    """A new secret for the actor, to show once; the current password is asked first.
    Nothing changes yet: a two-factor set-up already on stays on until ``confirm_totp``."""
    user = _me(session, actor, "account.enrol")
    if not verify_password(user.password_hash, password):
        raise InvalidInput({"current_password": "errors.wrong_password"})
    secret = pyotp.random_base32()
    started = int(utcnow().timestamp())
    audit.begin_write(session)  # before encrypting: a key rotation ahead of us commits first
    token = crypto.encrypt(json.dumps({"user": user.id, "secret": secret, "at": started}))
    audit.record(session, actor=actor, action="user.totp_begin", entity="user", entity_id=user.id)
    session.commit()
    uri = pyotp.totp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=get_settings().org_name
    )
    return TotpSetup(secret=secret, uri=uri, token=token or "")


def _setup_secret(user: User, token: str) -> str | None:
    """The secret in a set-up token begun by ``user`` less than SETUP_MINUTES ago."""
    try:
        data = json.loads(crypto.decrypt(token) or "null")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("user") != user.id:
        return None
    age = utcnow().timestamp() - float(data.get("at", 0))
    if not 0 <= age <= timedelta(minutes=SETUP_MINUTES).total_seconds():
        return None
    return str(data.get("secret") or "") or None


def confirm_totp(session: Session, *, actor: User, token: str, code: str) -> int:
    """Put the set-up's new secret in force once the actor shows a valid code from it.
    Ends the actor's other sign-ins; returns the new session epoch for this one."""
    user = _me(session, actor, "account.enrol")
    secret = _setup_secret(user, token)
    if secret is None:
        raise InvalidInput({"totp_code": "security.totp_setup_expired"})
    audit.begin_write(session)  # before encrypting: a key rotation ahead of us commits first
    trial = User(
        totp_secret_enc=crypto.encrypt(secret),
        username=user.username,
        password_hash="",
        role=user.role,
    )
    if not totp_ok(trial, code):
        raise InvalidInput({"totp_code": "security.totp_wrong"})
    user.totp_secret_enc = trial.totp_secret_enc
    user.totp_last_step = trial.totp_last_step
    user.totp_enabled = True
    end_sessions(user)
    session.add(user)
    audit.record(session, actor=actor, action="user.totp_on", entity="user", entity_id=user.id)
    session.commit()
    return user.session_epoch


def disable_totp(session: Session, *, actor: User, password: str) -> int:
    """Turn two-factor sign-in off (the password is asked again); refused if required.
    Ends the actor's other sign-ins; returns the new session epoch for this one."""
    user = _me(session, actor)
    if not verify_password(user.password_hash, password):
        raise InvalidInput({"current_password": "errors.wrong_password"})
    if user.role in totp_required_roles(session):
        raise InvalidInput({"totp_code": "security.totp_is_required"})
    _clear(session, actor, user)
    return user.session_epoch


def sign_out_everywhere(session: Session, *, actor: User) -> None:
    """End every sign-in of the actor, this one included."""
    user = _me(session, actor, "account.enrol")
    end_sessions(user)
    session.add(user)
    audit.record(session, actor=actor, action="user.sign_out_all", entity="user", entity_id=user.id)
    session.commit()


def reset_totp(session: Session, *, actor: User, user_id: int) -> None:
    """An admin clears another user's lost authenticator so they can set it up again."""
    require(actor, "user.manage")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    _clear(session, actor, user)


def _clear(session: Session, actor: User, user: User) -> None:
    user.totp_secret_enc = None
    user.totp_enabled = False
    user.totp_last_step = None
    end_sessions(user)
    session.add(user)
    audit.record(session, actor=actor, action="user.totp_off", entity="user", entity_id=user.id)
    session.commit()


def totp_required_roles(session: Session) -> list[str]:
    policy = session.get(SecurityPolicy, 1)
    return list(policy.totp_required_roles) if policy else []


def set_totp_policy(session: Session, *, actor: User, roles: list[str]) -> list[str]:
    """An admin requires two-factor sign-in for some of the admin and lawyer roles."""
    require(actor, "security.policy")
    if any(r not in ROLES or r not in TOTP_POLICY_ROLES for r in roles):
        raise InvalidInput({"role": "errors.unknown_role"})
    policy = session.get(SecurityPolicy, 1) or SecurityPolicy(id=1)
    before = {"totp_required_roles": list(policy.totp_required_roles)}
    policy.totp_required_roles = sorted(set(roles))
    policy.updated_at = utcnow()
    policy.updated_by_id = actor.id
    session.add(policy)
    after = {"totp_required_roles": policy.totp_required_roles}
    audit.record(
        session,
        actor=actor,
        action="security.policy",
        entity="policy",
        entity_id=1,
        before=before,
        after=after,
    )
    session.commit()
    return policy.totp_required_roles


def totp_setup_needed(session: Session, user: User) -> bool:
    """True when policy requires two-factor sign-in for the user's role and it is not on:
    the app then shows only the Account page until it is set up."""
    if user.role == ENROLLING:
        return True
    return user.role in totp_required_roles(session) and not user.totp_enabled
