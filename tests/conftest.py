"""Shared fixtures: a real database on SQLite and on PostgreSQL, settings pointed at it,
and factories with sensible defaults that tests override.

Every test that takes ``session`` (or ``db_url``) runs twice, once per backend.
PostgreSQL tests skip when the server is down, except under CI, where they must run:
we try to start the server and fail loudly if that does not work.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

os.environ.setdefault("CASEBOOK_SECRET_KEY", Fernet.generate_key().decode())
os.environ["CASEBOOK_DEMO"] = "0"

from argon2 import PasswordHasher

import casebook.access.auth
from casebook.ops import migrate as dbadmin

# Still argon2id, with the cheapest parameters: hashing dominates a suite that creates
# hundreds of users. Production keeps the library's recommended parameters.
casebook.access.auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
casebook.access.auth._DUMMY_HASH = casebook.access.auth._hasher.hash("casebook-dummy-password")
from casebook.config import get_settings  # noqa: E402
from db.engine import engine_for  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "CASEBOOK_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]


def _pg_up() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def _ensure_pg() -> bool:
    if _pg_up():
        return True
    if os.environ.get("CI"):
        subprocess.run(
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
            shell=True,
            check=False,
        )
        if _pg_up():
            return True
        pytest.exit("CI: PostgreSQL at 127.0.0.1:5432 is down and could not be started", 3)
    return False


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if not _ensure_pg():
        pytest.skip("PostgreSQL is not running (set CI=1 to require it)")
    name = f"casebook_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    dbadmin.upgrade(url)
    yield url
    engine_for(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("db") / "casebook.db"
    url = f"sqlite:///{path}"
    dbadmin.upgrade(url)
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a migrated, empty database on each backend; emptied after the test."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    yield url
    _truncate(engine_for(url))


def _truncate(engine: Engine) -> None:
    # DELETE in foreign-key order: on tables this small it is much faster than TRUNCATE.
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # The audit table refuses DELETE (migration 0002_security); the test role is
            # a superuser and may switch user triggers off for this transaction.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in tables:
            conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def engine(db_url: str) -> Engine:
    return engine_for(db_url)


@pytest.fixture
def settings_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point Settings (and so the CLI and AppTest) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


@pytest.fixture
def session(engine: Engine, settings_env: str) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def factory(session: Session):
    from tests.factories import Factory

    return Factory(session)
