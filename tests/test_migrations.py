"""Migrations: files named in the order of their chain, the SQL of old revisions frozen
beside them, and a database at head holding the triggers, functions and indexes that
today's code makes (casebook.analytics.summaries' generated DDL, db.models' indexes), on both
databases."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex, Index
from sqlmodel import SQLModel

from casebook.analytics import summaries
from casebook.ops import migrate
from db.migrations.frozen import parse
from db.models import DASHBOARD_COLUMNS, DASHBOARD_SQLITE_TAIL  # also registers the tables

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "db" / "migrations"
VERSIONS = MIGRATIONS / "versions"


def _chain() -> list[str]:
    """Revision files from the first to the head, following down_revision."""
    script = ScriptDirectory(str(MIGRATIONS))
    heads = script.get_heads()
    assert len(heads) == 1, f"one head expected, found {sorted(heads)}"
    walked = list(script.walk_revisions("base", heads[0]))  # head first
    return [Path(rev.path).name for rev in reversed(walked)]


def test_migration_files_are_named_in_chain_order() -> None:
    chain = _chain()
    files = sorted(p.name for p in VERSIONS.glob("*.py"))
    assert sorted(chain) == files, "every file in versions/ is one revision of the chain"
    wrong = [
        f"{name} -> {n:04d}_…"
        for n, name in enumerate(chain, 1)
        if not name.startswith(f"{n:04d}_")
    ]
    assert wrong == [], "each file's number is its place in the chain (rename them)"
    assert files == chain


def test_every_frozen_sql_file_belongs_to_a_revision_and_parses() -> None:
    frozen = sorted(VERSIONS.glob("*.sql"))
    assert frozen, "migrations 0005, 0006, 0008 and 0010 keep their SQL beside them"
    pattern = re.compile(r"^(?P<stem>.+)\.(sqlite|postgresql)\.(upgrade|downgrade)\.sql$")
    for path in frozen:
        match = pattern.match(path.name)
        assert match, path.name
        assert (VERSIONS / f"{match['stem']}.py").exists(), path.name
        statements = parse(path.read_text(encoding="utf-8"))
        assert statements and all(s.strip() for s in statements), path.name


def _catalog(conn: Connection) -> dict[str, dict[str, str]]:
    """The database's triggers, functions and indexes, each as the database prints it."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            text(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE type IN ('trigger', 'index') AND sql IS NOT NULL"
            )
        )
        found: dict[str, dict[str, str]] = {"trigger": {}, "index": {}}
        for kind, name, sql in rows:
            found[kind][name] = sql
        return found
    queries = {
        "trigger": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
        # the schema's own functions, not those of the pg_trgm extension
        "function": "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
        "WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_depend d "
        "WHERE d.objid = p.oid AND d.deptype = 'e')",
        "index": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    }
    return {kind: dict(conn.execute(text(sql)).all()) for kind, sql in queries.items()}


def _expected_indexes(dialect: str) -> list[Index]:
    """db.models' indexes, on a copy of the tables (the models' metadata stays untouched);
    SQLite's dashboard index ends with the JSON columns, as db.models declares it."""
    copy = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(copy)
    indexes = [i for t in copy.sorted_tables for i in t.indexes]
    if dialect == "sqlite":
        incident = copy.tables["incident"]
        dashboard = next(i for i in indexes if i.name == "ix_incident_dashboard")
        indexes.remove(dashboard)
        incident.indexes.discard(dashboard)
        cols = [incident.c[c] for c in DASHBOARD_COLUMNS + DASHBOARD_SQLITE_TAIL]
        indexes.append(Index("ix_incident_dashboard", *cols))
    return indexes


def _make_from_code(conn: Connection) -> None:
    """Replace the cube's triggers and functions and the models' indexes by what the code
    makes today."""
    dialect = conn.dialect.name
    for stmt in summaries.uninstall_sql(dialect) + summaries.install_sql(dialect):
        conn.execute(text(stmt))
    for index in _expected_indexes(dialect):
        conn.execute(text(f'DROP INDEX "{index.name}"'))
        conn.execute(CreateIndex(index))


def _differences(before: dict, after: dict) -> list[str]:
    out = []
    for kind in sorted(before.keys() | after.keys()):
        old, new = before.get(kind, {}), after.get(kind, {})
        for name in sorted(old.keys() | new.keys()):
            if old.get(name) != new.get(name):
                out.append(f"{kind} {name}: at head {old.get(name)!r}, code {new.get(name)!r}")
    return out


def _compare(engine: Engine) -> tuple[dict, list[str]]:
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            at_head = _catalog(conn)
            _make_from_code(conn)
            return at_head, _differences(at_head, _catalog(conn))
        finally:
            trans.rollback()


def test_head_has_the_triggers_functions_and_indexes_the_code_makes(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    if engine.dialect.name == "sqlite":
        # On a copy: the driver does not put DDL in the test's transaction.
        copy = tmp_path / "copy.db"
        with sqlite3.connect(db_url.split("///", 1)[1]) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        engine = create_engine(f"sqlite:///{copy}")
    try:
        at_head, differences = _compare(engine)
    finally:
        if engine.dialect.name == "sqlite":
            engine.dispose()
    assert differences == []
    # what was compared is really there (the cube's triggers, the models' indexes)
    code_triggers = {
        s.split()[2]
        for s in summaries.install_sql(engine.dialect.name)
        if s.startswith("CREATE TRIGGER")
    }
    assert code_triggers and code_triggers <= at_head["trigger"].keys()
    assert "ix_incident_dashboard" in at_head["index"]
    if engine.dialect.name == "postgresql":
        assert "casebook_cube_incident" in at_head["function"]


def test_alembic_ini_takes_the_url_from_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`alembic -c db/alembic.ini upgrade head` (development) migrates the database that
    DATABASE_URL names; db/migrations never asks casebook for it."""
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    command.upgrade(Config(str(ROOT / "db" / "alembic.ini")), "head")
    engine = create_engine(url)
    try:
        assert "incident" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
    assert version == ScriptDirectory(str(MIGRATIONS)).get_current_head()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own on each backend (the shared ones stay at head)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = request.getfixturevalue("pg_url").rsplit("/", 1)[0]
    name = f"casebook_fresh_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema(url: str) -> dict[str, dict[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = _catalog(conn)
            found["table"] = {
                t: str(inspect(conn).get_columns(t)) for t in inspect(conn).get_table_names()
            }
            return found
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again_gives_the_same_schema(fresh_url: str) -> None:
    """The frozen downgrades undo what their upgrades did: down to nothing, then up to
    head again, and the schema is what the first upgrade made."""
    migrate.upgrade(fresh_url)
    at_head = _schema(fresh_url)
    migrate.downgrade(fresh_url, "base")
    at_base = _schema(fresh_url)
    assert set(at_base.pop("table")) == {"alembic_version"}
    assert {kind: set(names) for kind, names in at_base.items() if kind != "index"} == {
        kind: set() for kind in at_base if kind != "index"
    }
    assert set(at_base["index"]) <= {"alembic_version_pkc"}
    migrate.upgrade(fresh_url)
    assert _differences(at_head, _schema(fresh_url)) == []
    assert at_head["trigger"]
