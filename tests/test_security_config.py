"""Web hardening settings and the 0002_security migration (up and down, both backends)."""

from __future__ import annotations

import tomllib
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from casebook.config import ROOT
from casebook.ops import migrate as dbadmin
from tests.conftest import PG_ADMIN_URL, _ensure_pg


def test_streamlit_config_is_hardened() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 50
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False


def _trigger_names(engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        return {r[0] for r in rows}


def _round_trip(url: str) -> None:
    dbadmin.upgrade(url)
    engine = create_engine(url)
    assert "securitypolicy" in inspect(engine).get_table_names()
    if engine.dialect.name == "postgresql":
        assert "auditlog_append_only" in _trigger_names(engine)
    dbadmin.downgrade(url, "0001")
    assert "securitypolicy" not in inspect(engine).get_table_names()
    if engine.dialect.name == "postgresql":
        assert "auditlog_append_only" not in _trigger_names(engine)
    dbadmin.upgrade(url)
    assert "securitypolicy" in inspect(engine).get_table_names()
    engine.dispose()


def test_migration_up_down_sqlite(tmp_path) -> None:
    _round_trip(f"sqlite:///{tmp_path / 'm.db'}")


def test_migration_up_down_postgresql() -> None:
    if not _ensure_pg():
        pytest.skip("PostgreSQL is not running")
    name = f"casebook_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        _round_trip(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
