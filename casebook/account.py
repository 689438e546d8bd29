"""Two-factor sign-in (TOTP): set up, confirm, disable, and the admin's policy on it.

The secret is stored encrypted (User.totp_secret_enc) and shown once, as an otpauth URI
and as text, when it is set up; it only takes effect after the user proves the app
works by entering a code (``confirm_totp``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from sqlmodel import Session

from casebook import audit, crypto
from casebook.auth import _totp_ok, _verify
from casebook.errors import InvalidInput, NotFound
from casebook.permissions import require
from casebook.settings import get_settings
from casebook.vocab import ROLES
from db.models import SecurityPolicy, User, utcnow

# Roles an admin may oblige to use two-factor sign-in (issue 5).
TOTP_POLICY_ROLES = ("admin", "lawyer")


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str


def _me(session: Session, actor: User) -> User:
    require(actor, "account.self")
    user = session.get(User, actor.id)
    if user is None:
        raise NotFound()
    return user


def begin_totp(session: Session, *, actor: User) -> TotpSetup:
    """Make a new secret for the actor (not yet active) and return it to show once."""
    user = _me(session, actor)
    secret = pyotp.random_base32()
    audit.begin_write(session)  # before encrypting: a key rotation ahead of us commits first
    user.totp_secret_enc = crypto.encrypt(secret)
    user.totp_enabled = False
    user.totp_last_step = None
    session.add(user)
    audit.record(session, actor=actor, action="user.totp_begin", entity="user",
                 entity_id=user.id)  # fmt: skip
    session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=get_settings().org_name
    )
    return TotpSetup(secret=secret, uri=uri)


def confirm_totp(session: Session, *, actor: User, code: str) -> None:
    """Turn two-factor sign-in on once the actor shows a valid code from the new secret."""
    user = _me(session, actor)
    if not user.totp_secret_enc or not _totp_ok(user, code):
        raise InvalidInput({"totp_code": "security.totp_wrong"})
    user.totp_enabled = True
    session.add(user)
    audit.record(session, actor=actor, action="user.totp_on", entity="user", entity_id=user.id)
    session.commit()


def disable_totp(session: Session, *, actor: User, password: str) -> None:
    """Turn two-factor sign-in off (the password is asked again); refused if required."""
    user = _me(session, actor)
    if not _verify(user.password_hash, password):
        raise InvalidInput({"current_password": "errors.wrong_password"})
    if user.role in totp_required_roles(session):
        raise InvalidInput({"totp_code": "security.totp_is_required"})
    _clear(session, actor, user)


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
    audit.record(session, actor=actor, action="security.policy", entity="policy",
                 entity_id=1, before=before, after=after)  # fmt: skip
    session.commit()
    return policy.totp_required_roles


def totp_setup_needed(session: Session, user: User) -> bool:
    """True when policy requires two-factor sign-in for the user's role and it is not on:
    the app then shows only the Account page until it is set up."""
    return user.role in totp_required_roles(session) and not user.totp_enabled
