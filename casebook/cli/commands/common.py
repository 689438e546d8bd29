"""Helpers shared by CLI commands: a session, the acting user, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from casebook.config import database_url
from casebook.errors import CasebookError
from db import engine as db_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Row
    from sqlmodel import Session

    from db.models import User


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session for one command on the configured database."""
    with db_engine.session_scope(db_engine.engine_for(database_url())) as session:
        yield session


@contextmanager
def connection_scope() -> Iterator[Connection]:
    """A plain connection for one read-only command on the configured database, without
    building Settings (database_url) or importing SQLModel."""
    with db_engine.connection_scope(db_engine.engine_for(database_url())) as connection:
        yield connection


def default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, default=default, indent=2)
    sys.stdout.write("\n")


def cli_actor(session: Session, username: str | None) -> User:
    """The CLI acts as a named user, or as the first active admin (an operator at the console)."""
    # Imported here: read-only commands use cli_reader and never build the ORM classes.
    from sqlmodel import select

    from db.models import User

    query = select(User).where(User.active)
    # Stored names are lower-case (casebook.access.users); --as is compared the same way.
    username = username.strip().lower() if username else username
    query = (
        query.where(User.username == username)
        if username
        else query.where(User.role == "admin").order_by(User.id)
    )
    user = session.exec(query).first()
    if user is None:
        raise CasebookError("cli.no_user")
    return user


def cli_reader(connection: Connection, username: str | None) -> Row:
    """The same user as cli_actor, as a plain row with the fields permission checks read
    (casebook.access.permissions.Actor), for read-only commands on a Connection."""
    from sqlalchemy import select

    from db.tables import user as u

    query = select(u.c.id, u.c.username, u.c.role, u.c.active, u.c.can_see_victim_details)
    query = query.where(u.c.active)
    query = (
        query.where(u.c.username == username)
        if username
        else query.where(u.c.role == "admin").order_by(u.c.id)
    )
    row = connection.execute(query.limit(1)).first()
    if row is None:
        raise CasebookError("cli.no_user")
    return row


def add_as_option(parser: Any) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="act as this user (default: the first admin)",
    )


__all__ = [
    "add_as_option",
    "cli_actor",
    "cli_reader",
    "connection_scope",
    "print_json",
    "session_scope",
]
