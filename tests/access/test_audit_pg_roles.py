"""PostgreSQL least privilege (docs/security.md, "PostgreSQL on another host"): the
tables belong to an owner role that only migrations use; the app connects as a role
with INSERT/SELECT on ``auditlog`` and SELECT/INSERT/UPDATE on ``audithead``, so it can
write and verify the trail but cannot switch off, drop or get round the append-only
trigger, nor empty the trail.

The roles and the database are made here on the local server (superuser ``postgres``)
and dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from casebook.access import audit
from casebook.config import get_settings
from casebook.incidents.erasure import purge_incident
from casebook.incidents.evidence import add_custody_event, register_evidence
from casebook.ops import migrate as dbadmin
from db.engine import engine_for
from tests.conftest import PG_ADMIN_URL, _ensure_pg

# The grants docs/security.md gives, with the role names filled in (tests keep it honest).
APP_GRANTS = """
GRANT USAGE ON SCHEMA public TO {app};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app};
REVOKE ALL ON auditlog, audithead, alembic_version FROM {app};
GRANT SELECT, INSERT ON auditlog TO {app};
GRANT SELECT, INSERT, UPDATE ON audithead TO {app};
GRANT SELECT ON alembic_version TO {app};
"""

ATTACKS = [
    "ALTER TABLE auditlog DISABLE TRIGGER ALL",
    "ALTER TABLE auditlog DISABLE TRIGGER auditlog_append_only",
    "DROP TRIGGER auditlog_append_only ON auditlog",
    "TRUNCATE auditlog",
    "DELETE FROM auditlog",
    "UPDATE auditlog SET actor_name = 'system'",
    "DROP TABLE auditlog CASCADE",
    "ALTER TABLE auditlog RENAME TO auditlog_old",
    "SET session_replication_role = replica",
    "DELETE FROM audithead",
    "TRUNCATE audithead",
    "CREATE OR REPLACE FUNCTION casebook_audit_append_only() RETURNS trigger AS "
    "$$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql",
]


@pytest.fixture
def roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(owner URL, app URL) of a fresh database owned by a role the app does not use."""
    if not _ensure_pg():
        pytest.skip("PostgreSQL is not running (set CI=1 to require it)")
    tag = uuid.uuid4().hex[:8]
    owner, app, name = f"cb_owner_{tag}", f"cb_app_{tag}", f"casebook_roles_{tag}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgres@", "{}@")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {owner} LOGIN NOSUPERUSER NOCREATEROLE"))
        conn.execute(text(f"CREATE ROLE {app} LOGIN NOSUPERUSER NOCREATEROLE"))
        conn.execute(
            text(f"CREATE DATABASE {name} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0")
        )
    owner_url, app_url = f"{base.format(owner)}/{name}", f"{base.format(app)}/{name}"
    try:
        dbadmin.upgrade(owner_url)
        with create_engine(owner_url).begin() as conn:
            conn.execute(text(APP_GRANTS.format(app=app)))
        monkeypatch.setenv("DATABASE_URL", app_url)
        monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "data"))
        get_settings.cache_clear()
        yield owner_url, app_url
    finally:
        get_settings.cache_clear()
        for url in (owner_url, app_url):
            engine_for(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"DROP ROLE IF EXISTS {app}"))
            conn.execute(text(f"DROP ROLE IF EXISTS {owner}"))
        admin.dispose()


def _refused(url: str, sql: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    except DBAPIError:
        return True
    finally:
        engine.dispose()
    return False


def test_the_app_role_writes_and_verifies_but_cannot_touch_the_trail(
    roles: tuple[str, str],
) -> None:
    from tests.factories import Factory

    owner_url, app_url = roles
    with Session(engine_for(app_url), expire_on_commit=False) as session:
        factory = Factory(session)
        inc = factory.incident(title="최소 권한", notes="메모")
        ev = register_evidence(
            session,
            actor=factory.admin,
            incident_id=inc.id,
            data=b"least privilege",
            media_type="image/png",
            note="증거",
        )
        add_custody_event(
            session, actor=factory.admin, evidence_id=ev.evidence.id, action="received", note="보관"
        )
        purge_incident(session, actor=factory.admin, incident_id=inc.id)
        report = audit.verify_chain(session)
        assert report.ok and report.rows >= 4
        kept = report.head

    refused = [sql for sql in ATTACKS if _refused(app_url, sql)]
    assert refused == ATTACKS

    with Session(engine_for(app_url)) as session:
        assert audit.verify_chain(session, expect=kept).ok
        assert audit.role_owns_trail(session) is False
    with Session(engine_for(owner_url)) as session:
        assert audit.role_owns_trail(session) is True
    # The owner, by contrast, could: this set-up moves the power to the migration role.
    assert not _refused(owner_url, "ALTER TABLE auditlog DISABLE TRIGGER ALL")
