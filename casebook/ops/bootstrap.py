"""What `make run` does before serving: migrate, create the first admin, load demo data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from casebook.access import keys, users
from casebook.access.auth import generate_password
from casebook.config import get_settings
from casebook.ops import demo
from db.models import Incident, User


@dataclass(frozen=True)
class BootstrapResult:
    admin_created: bool
    generated_password: str | None
    demo_incidents: int
    key_created: str | None = None  # the key file setup created, if any
    key_notes: tuple[tuple[str, dict[str, str]], ...] = ()  # casebook.access.keys.resolve_keys


def ensure_admin(session: Session) -> tuple[bool, str | None]:
    """Create the first admin when there is no user; a generated password is returned
    once so the caller can print it, and is never stored except as its hash."""
    if users.count_users(session) > 0:
        return False, None
    settings = get_settings()
    password = settings.admin_password or generate_password()
    users.create_user(
        session,
        actor=None,
        data={
            "username": settings.admin_username,
            "role": "admin",
            "password": password,
            "display_name": "Administrator",
        },
    )
    return True, None if settings.admin_password else password


def bootstrap(session: Session) -> BootstrapResult:
    # The key first: created only here and only on an empty database; otherwise checked
    # against the stored values (and an interrupted rotation finished) before anything
    # else runs (docs/security.md, "Keys").
    made = keys.ensure_key(session)
    notes = tuple(keys.resolve_keys(session))
    created, password = ensure_admin(session)
    loaded = 0
    empty = session.exec(select(Incident.id).limit(1)).first() is None
    if get_settings().demo and empty:
        admin = session.exec(select(User).where(User.role == "admin")).first()
        loaded = demo.load_demo(session, actor=admin)
    return BootstrapResult(created, password, loaded, str(made) if made else None, notes)
