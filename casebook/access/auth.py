"""Sign-in: argon2id hashes, one message for every failure, lockout kept in the database,
optional TOTP two-factor step."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from casebook.access import audit, crypto
from casebook.config import get_settings
from casebook.errors import AuthFailed, InvalidInput
from db.models import User, utcnow

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this when the user is unknown keeps timing alike for both failures.
_DUMMY_HASH = _hasher.hash("casebook-dummy-password")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput({"password": "errors.password_too_short"})


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class TotpRequired(AuthFailed):
    """The password was right and the account needs a one-time code (not a failure)."""

    key = "security.totp_enter"


@dataclass(frozen=True)
class SignIn:
    """What the login page needs: the user, or that a one-time code must be asked for."""

    user: User | None
    needs_totp: bool = False


def _failed(session: Session, user: User, now: datetime) -> None:
    """Count one failure; lock the account for a while after too many. Always raises."""
    settings = get_settings()
    user.failed_logins += 1
    locked = user.failed_logins >= settings.lockout_attempts
    if locked:
        user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
        user.failed_logins = 0
    session.add(user)
    audit.record(
        session,
        actor=user,
        action="auth.locked" if locked else "auth.failed",
        entity="user",
        entity_id=user.id,
    )
    session.commit()
    raise AuthFailed("login.locked" if locked else None, minutes=settings.lockout_minutes)


def totp_ok(user: User, code: str) -> bool:
    """Whether ``code`` is the user's current one-time code (one step of clock drift either
    way) and newer than the last one accepted; records its step so it cannot be replayed
    (RFC 6238, section 5.2). The caller commits."""
    secret = crypto.decrypt(user.totp_secret_enc)
    code = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now = int(utcnow().timestamp()) // totp.interval
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def authenticate(
    session: Session, username: str, password: str, totp_code: str | None = None
) -> User:
    """The active user with these credentials, or AuthFailed with one message for all causes.

    After ``lockout_attempts`` failures (wrong password or wrong one-time code) the account
    is locked for ``lockout_minutes``; the count and the lock live in the database so a
    restart does not reset them. With two-factor sign-in on and no code given, raises
    TotpRequired without counting a failure.
    """
    settings = get_settings()
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        verify_password(_DUMMY_HASH, password)
        raise AuthFailed()
    now = utcnow()
    if user.locked_until and _aware(user.locked_until) > now:
        verify_password(_DUMMY_HASH, password)
        raise AuthFailed("login.locked", minutes=settings.lockout_minutes)
    if not verify_password(user.password_hash, password) or not user.active:
        _failed(session, user, now)
    if user.totp_enabled:
        if not totp_code:
            raise TotpRequired()
        if not totp_ok(user, totp_code):
            _failed(session, user, now)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    audit.record(session, actor=user, action="auth.login", entity="user", entity_id=user.id)
    session.commit()
    session.refresh(user)
    return user


def sign_in(session: Session, username: str, password: str, totp_code: str | None = None) -> SignIn:
    """``authenticate`` for the login page: a needed one-time code is an answer, not an error."""
    try:
        return SignIn(authenticate(session, username, password, totp_code))
    except TotpRequired:
        return SignIn(None, needs_totp=True)


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored datetime is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
