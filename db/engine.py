"""One engine per process and a short session per action.

SQLite gets WAL, foreign keys, a busy timeout and NORMAL sync on every connection,
so several Streamlit sessions and CLI processes can share one file without
"database is locked" errors reaching a user. The URL always comes from the caller
(casebook's settings): db never reads the application's configuration.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from sqlmodel import Session


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted and overwritten text is zeroed in the file, not left in free space, so an
    # erasure (casebook.incidents.erasure) leaves no copy of what it removed in the database file.
    cursor.execute("PRAGMA secure_delete=ON")
    # Read through the OS page cache without a copy per page, and keep more pages per
    # connection than the 2 MB default: a dashboard reads the same index pages of a big
    # database several times (bench/README.md, Analytics).
    cursor.execute("PRAGMA mmap_size=1073741824")
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the pragmas and pool settings Casebook needs.

    ``hide_parameters``: a failed query's error (which ui.run logs) never carries its
    bound values, which are search words, names and contacts."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            # Owner-only: the folder holds victims' data and, by default, the key file.
            Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 15}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # JIT off: PostgreSQL compiles any query its planner costs above 100,000 (a count over
    # a big table, a dashboard series) and that took 0.1-0.2 s per cold query at a million
    # incidents, more than most of those queries run (bench/README.md, Analytics).
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"options": "-c jit=off"},
        hide_parameters=True,
    )


@cache
def engine_for(url: str) -> Engine:
    """The one engine of this process for ``url`` (the caller's settings give the URL)."""
    return make_engine(url)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for one action: closed afterwards, rolled back if anything failed."""
    from sqlmodel import Session  # here, so that `connection_scope` users never import it

    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def connection_scope(engine: Engine) -> Iterator[Connection]:
    """A plain connection for one read-only action, for commands that must start fast:
    SQLModel, pydantic and the ORM classes cost about half a second to import."""
    with engine.connect() as connection:
        yield connection


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
