"""full-text search: FTS5 trigram (SQLite) or pg_trgm GIN indexes (PostgreSQL)

Revision ID: 0004_search
Revises: 0001
Create Date: 2026-11-25 19:35:00

SQLite: ``incident_fts`` is an external-content FTS5 table over incident.title and
incident.summary with the trigram tokenizer, kept in step by three triggers. A later
batch migration that recreates the ``incident`` table drops these triggers: recreate
them there (casebook.incidents.search tests check they exist at head).
PostgreSQL: the pg_trgm extension and GIN trigram indexes on title and summary.
Both stay out of autogenerate (db/migrations/env.py ignores ``_fts`` and ``_trgm``).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_search"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE incident_fts USING fts5(title, summary, content='incident', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER incident_fts_ai AFTER INSERT ON incident BEGIN "
    "INSERT INTO incident_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "CREATE TRIGGER incident_fts_ad AFTER DELETE ON incident BEGIN "
    "INSERT INTO incident_fts(incident_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); END",
    "CREATE TRIGGER incident_fts_au AFTER UPDATE OF title, summary ON incident BEGIN "
    "INSERT INTO incident_fts(incident_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); "
    "INSERT INTO incident_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); "
    "END",
    "INSERT INTO incident_fts(incident_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS incident_fts_au",
    "DROP TRIGGER IF EXISTS incident_fts_ad",
    "DROP TRIGGER IF EXISTS incident_fts_ai",
    "DROP TABLE IF EXISTS incident_fts",
]
PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_incident_title_trgm ON incident "
    "USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_incident_summary_trgm ON incident "
    "USING gin (summary gin_trgm_ops)",
]
# The extension stays: other objects may use it, and dropping needs more rights.
PG_DOWN = [
    "DROP INDEX IF EXISTS ix_incident_summary_trgm",
    "DROP INDEX IF EXISTS ix_incident_title_trgm",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(PG_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(PG_DOWN)
