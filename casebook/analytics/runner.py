"""Running a dashboard's independent queries at the same time, each on its own connection.

A cold dashboard at a million incidents is a dozen queries of 50-500 ms each, one after
the other; PostgreSQL can answer several at once, one server process per connection
(no filter: 1.0-1.3 s one after another, 0.6-0.8 s side by side, on 2 busy cores). Each
query already saw its own snapshot (every statement of a read-committed transaction
does), so answering them on separate connections changes no figure. SQLite is left to
one connection (see _fan_out_engine).

Only a session or connection that is not inside a transaction is fanned out: one in a
transaction may hold changes it has not committed, which other connections would not see;
its queries run on it, one after another.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from casebook.analytics.base import Db

# Queries in flight at once. The machine this was measured on has 2 cores; a third
# connection overlaps one query's round trips and result handling with the others' work.
WORKERS = 3


def _fan_out_engine(db: Db) -> Engine | None:
    """The engine to open extra connections on, or None to run on ``db`` itself."""
    if db.in_transaction():
        return None
    bind = db.get_bind() if hasattr(db, "get_bind") else db.engine
    if not isinstance(bind, Engine) or bind.dialect.name == "sqlite":
        # SQLite answers in this process: on 2 busy cores, three connections took as long
        # as one (bench/README.md, Analytics), and one keeps its page cache across series.
        return None
    return bind


class QueryRunner:
    """``run(fn, *args)`` calls ``fn(connection, *args)`` and returns a Future; with a
    session outside a transaction, on a pooled connection of its own in a thread."""

    def __init__(self, db: Db, workers: int = WORKERS) -> None:
        self._db = db
        self._engine = _fan_out_engine(db)
        self._pool = ThreadPoolExecutor(workers) if self._engine is not None else None

    def __call__(self, fn: Callable[..., Any], *args: Any) -> Future:
        if self._pool is None:
            done: Future = Future()
            try:
                done.set_result(fn(self._db, *args))
            except BaseException as exc:  # handed to whoever asks for the result
                done.set_exception(exc)
            return done
        return self._pool.submit(self._on_own_connection, fn, *args)

    def _on_own_connection(self, fn: Callable[..., Any], *args: Any) -> Any:
        with self._engine.connect() as connection:
            return fn(connection, *args)

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
