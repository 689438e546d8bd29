"""Sign-in: argon2id hashes, one message for every failure, lockout kept in the database
(per username, known or not, per client address and overall), optional TOTP two-factor
step, and the check that a sign-in is still valid (session epoch, two-factor policy)."""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from casebook.access import audit, crypto, throttle
from casebook.access.permissions import ENROLLING
from casebook.config import get_settings
from casebook.errors import AuthFailed, InvalidInput
from db.models import SecurityPolicy, User, utcnow

MIN_PASSWORD_LENGTH = 12
# Longer than any passphrase a person types; argon2 would take more, but a megabyte
# password is an attack on the server, not a password.
MAX_PASSWORD_LENGTH = 1024
# zxcvbn's score: 3 is "safely unguessable: moderate protection from an offline attack
# on a slow hash" (argon2id here). zxcvbn's matching grows fast with length, so only the
# first 72 characters (the library's own default limit) are scored.
MIN_PASSWORD_SCORE = 3
_SCORED_LENGTH = 72
# The 30,000 most common passwords from leaks, shipped with zxcvbn.
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this when the user is unknown keeps timing alike for both failures.
_DUMMY_HASH = _hasher.hash("casebook-dummy-password")


def hash_password(password: str, user_inputs: tuple[str, ...] = ()) -> str:
    check_password_strength(password, user_inputs)
    return _hasher.hash(normalize_password(password))


def normalize_password(password: str) -> str:
    """NFKC, so that the same password typed on another keyboard or input method (full-width
    letters, composed or decomposed Hangul) is the same password."""
    return unicodedata.normalize("NFKC", password)


def normalize_username(username: str) -> str:
    """How a username is stored and looked up: NFKC, trimmed, lower-case."""
    return unicodedata.normalize("NFKC", username).strip().lower()


def _visible(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def check_password_strength(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Refuse a password that is blank, too short or long, common, or easy to guess
    (zxcvbn's estimate, which also knows the user's own name when given)."""
    password = normalize_password(password)
    if not any(_visible(ch) for ch in password):
        problem = "errors.password_blank"
    elif len(password) > MAX_PASSWORD_LENGTH:
        problem = "errors.password_too_long"
    elif len(password) < MIN_PASSWORD_LENGTH:
        problem = "errors.password_too_short"
    elif password.lower() in _COMMON:
        problem = "errors.password_common"
    elif zxcvbn(password[:_SCORED_LENGTH], user_inputs=list(user_inputs))["score"] < (
        MIN_PASSWORD_SCORE
    ):
        problem = "errors.password_weak"
    else:
        return
    raise InvalidInput({"password": problem})


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def _verify_exact(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(password_hash: str, password: str) -> bool:
    """The password against its hash; hashes made before NFKC normalisation (issue 15)
    hold the password as typed, so that is tried when the normalised form differs."""
    normal = normalize_password(password)
    if _verify_exact(password_hash, normal):
        return True
    return normal != password and _verify_exact(password_hash, password)


class TotpRequired(AuthFailed):
    """The password was right and the account needs a one-time code (not a failure)."""

    key = "security.totp_enter"


@dataclass(frozen=True)
class SignIn:
    """What the login page needs: the user, or that a one-time code must be asked for."""

    user: User | None
    needs_totp: bool = False


def _count_source(session: Session, client: str | None, now: datetime) -> None:
    """Count a failure against the client address and against the global key."""
    settings = get_settings()
    minutes = settings.lockout_minutes
    throttle.expire(session, minutes=minutes, now=now)
    if client:
        throttle.fail(
            session,
            throttle.key("addr", client),
            limit=settings.address_attempts,
            minutes=minutes,
            now=now,
        )
    throttle.fail(
        session, throttle.GLOBAL, limit=settings.global_attempts, minutes=minutes, now=now
    )


def _failed(session: Session, user: User, now: datetime, client: str | None) -> None:
    """Count one failure; lock the account for a while after too many. Always raises."""
    settings = get_settings()
    user.failed_logins += 1
    locked = user.failed_logins >= settings.lockout_attempts
    if locked:
        user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
        user.failed_logins = 0
    session.add(user)
    _count_source(session, client, now)
    audit.record(
        session,
        actor=user,
        action="auth.locked" if locked else "auth.failed",
        entity="user",
        entity_id=user.id,
    )
    session.commit()
    raise AuthFailed("login.locked" if locked else None, minutes=settings.lockout_minutes)


def _failed_unknown(session: Session, name: str, now: datetime, client: str | None) -> None:
    """A name no account has: counted and locked exactly like a real one (under an HMAC
    of the name), so the answers do not tell which usernames exist. Always raises."""
    settings = get_settings()
    locked = throttle.fail(
        session,
        throttle.key("user", name),
        limit=settings.lockout_attempts,
        minutes=settings.lockout_minutes,
        now=now,
    )
    _count_source(session, client, now)
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
    totp = pyotp.totp.TOTP(secret)
    now = int(utcnow().timestamp()) // totp.interval
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def _source_keys(client: str | None) -> list[str]:
    return [throttle.GLOBAL] + ([throttle.key("addr", client)] if client else [])


def authenticate(
    session: Session,
    username: str,
    password: str,
    totp_code: str | None = None,
    client: str | None = None,
) -> User:
    """The active user with these credentials, or AuthFailed with one message for all causes.

    After ``lockout_attempts`` failures (wrong password or wrong one-time code) the name is
    locked for ``lockout_minutes``, whether or not an account has it; failures also count
    against ``client`` (the browser's address, kept only as an HMAC) and against all
    sign-ins (``address_attempts``, ``global_attempts``). The counts live in the database
    so a restart does not reset them. With two-factor sign-in on and no code given, raises
    TotpRequired without counting a failure.
    """
    settings = get_settings()
    name = normalize_username(username)
    now = utcnow()
    if throttle.locked(session, _source_keys(client), now):
        verify_password(_DUMMY_HASH, password)
        raise AuthFailed("login.throttled", minutes=settings.lockout_minutes)
    user = session.exec(select(User).where(User.username == name)).first()
    if user is None:
        verify_password(_DUMMY_HASH, password)
        if throttle.locked(session, [throttle.key("user", name)], now):
            raise AuthFailed("login.locked", minutes=settings.lockout_minutes)
        _failed_unknown(session, name, now, client)
    if user.locked_until and _aware(user.locked_until) > now:
        verify_password(_DUMMY_HASH, password)
        raise AuthFailed("login.locked", minutes=settings.lockout_minutes)
    if not verify_password(user.password_hash, password) or not user.active:
        _failed(session, user, now, client)
    if user.totp_enabled:
        if not totp_code:
            raise TotpRequired()
        if not totp_ok(user, totp_code):
            _failed(session, user, now, client)
    if _hasher.check_needs_rehash(user.password_hash) or not _verify_exact(
        user.password_hash, normalize_password(password)
    ):
        user.password_hash = _hasher.hash(normalize_password(password))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    audit.record(session, actor=user, action="auth.login", entity="user", entity_id=user.id)
    session.commit()
    session.refresh(user)
    return user


def sign_in(
    session: Session,
    username: str,
    password: str,
    totp_code: str | None = None,
    client: str | None = None,
) -> SignIn:
    """``authenticate`` for the login page: a needed one-time code is an answer, not an error."""
    try:
        return SignIn(authenticate(session, username, password, totp_code, client))
    except TotpRequired:
        return SignIn(None, needs_totp=True)


def _must_enrol(session: Session, user: User) -> bool:
    policy = session.get(SecurityPolicy, 1)
    required = policy.totp_required_roles if policy else []
    return user.role in required and not user.totp_enabled


def session_actor(session: Session, *, user_id: int, epoch: int | None) -> User | None:
    """The user a sign-in made at ``epoch`` acts as now, or None when it is over: the
    account is gone or deactivated, or its password, two-factor set-up, role or sessions
    changed since (User.session_epoch). A user whom policy obliges to use two-factor
    sign-in and who has not set it up acts with the ENROLLING role, which may only set it
    up (issue 15, L-3): the rule holds for every domain call, not only the router's.
    The returned object is detached; nothing done to it is written."""
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        return None
    enrolling = _must_enrol(session, user)
    session.expunge(user)
    if enrolling:
        user.role = ENROLLING
    return user


def end_sessions(user: User) -> None:
    """Make every sign-in of ``user`` made so far invalid (see session_actor). The caller
    adds and commits the user."""
    user.session_epoch = (user.session_epoch or 0) + 1


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored datetime is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
