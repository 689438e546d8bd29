"""Alembic environment. The URL comes from the caller: casebook's migrate function puts
it in the Alembic config (``sqlalchemy.url``); ``alembic -c db/alembic.ini`` during
development reads DATABASE_URL. It never imports casebook."""

import os

from alembic import context
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from db.engine import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("set DATABASE_URL, or run `python -m casebook db upgrade`")
    return url


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    # Full-text virtual tables, their shadow tables and trigram indexes are managed by
    # hand in migrations (0004_search), as is SQLite's bulk-write flag (0008_bulk_write).
    name = name or ""
    hand_made = "_fts" in name or name == "bulk_write"
    return not ((type_ == "table" and hand_made) or (type_ == "index" and "_trgm" in name))


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=_include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
