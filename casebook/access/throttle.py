"""Failed sign-ins counted per key in an expiring window (issue 15, M-7 and L-1).

Keys are an HMAC of a username (so an unknown name is counted exactly like a real one and
the "locked" answer tells nothing about which names exist), an HMAC of the client address
(per-address throttle) and one global key (a brake on password spraying across every
account). Neither an address nor an unknown name is stored in clear. The HMAC key is the
data key: after a key rotation the counters simply start again.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from casebook.access import crypto
from db.models import SignInThrottle

GLOBAL = "global"


def key(kind: str, value: str) -> str:
    """``kind:`` plus the HMAC-SHA-256 of ``value``; never the value itself."""
    digest = hmac.new(crypto.current_key(), f"{kind}:{value}".encode(), hashlib.sha256)
    return f"{kind}:{digest.hexdigest()}"


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored datetime is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def locked(session: Session, keys: list[str], now: datetime) -> bool:
    """Whether any of ``keys`` is waiting out a lock."""
    rows = session.exec(select(SignInThrottle).where(col(SignInThrottle.key).in_(keys)))
    return any(r.locked_until and _aware(r.locked_until) > now for r in rows)


def _row(session: Session, name: str, now: datetime) -> SignInThrottle:
    """The row for ``name``, created if missing and locked for this transaction, so two
    failed sign-ins at once both count."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(SignInThrottle)
        .values(key=name, failures=0, window_start=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    query = select(SignInThrottle).where(SignInThrottle.key == name).with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).one()


def fail(session: Session, name: str, *, limit: int, minutes: int, now: datetime) -> bool:
    """Count one failure for ``name``; lock it for ``minutes`` when ``limit`` failures fall
    in one window of ``minutes``. True when this failure set the lock. The caller commits."""
    window = timedelta(minutes=minutes)
    row = _row(session, name, now)
    if now - _aware(row.window_start) > window:
        row.failures, row.window_start = 0, now
    row.failures += 1
    hit = row.failures >= limit
    if hit:
        row.failures, row.window_start, row.locked_until = 0, now, now + window
    session.add(row)
    return hit


def clear(session: Session, names: list[str]) -> None:
    """Forget the counts and locks of ``names`` (an admin's unlock). The caller commits."""
    session.execute(delete(SignInThrottle).where(col(SignInThrottle.key).in_(names)))


def expire(session: Session, *, minutes: int, now: datetime) -> None:
    """Drop rows whose window and lock are over, so the store keeps only live counts."""
    cutoff = now - timedelta(minutes=minutes)
    session.execute(
        delete(SignInThrottle).where(
            col(SignInThrottle.window_start) < cutoff,
            or_(col(SignInThrottle.locked_until).is_(None), col(SignInThrottle.locked_until) < now),
        )
    )
