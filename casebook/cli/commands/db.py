"""`db upgrade` and `setup` (migrate, first admin, demo data)."""

from __future__ import annotations

import argparse

from casebook.access import audit
from casebook.cli.commands.common import session_scope
from casebook.cli.commands.kb import run_load
from casebook.i18n import translate
from casebook.ops import bootstrap
from casebook.ops import migrate as dbadmin


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="database administration")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade", help="apply Alembic migrations up to head")
    up.set_defaults(handler=_upgrade)
    setup = sub.add_parser(
        "setup",
        help="migrate, load the knowledge base, create the first admin, load demo data",
    )
    setup.set_defaults(handler=_setup)


def _upgrade(args: argparse.Namespace) -> int:
    dbadmin.upgrade()
    print("database is at the latest schema")
    _key_audit_chain()
    return 0


def _key_audit_chain() -> None:
    # A chain written before the audit key existed gets one keyed row now, which
    # protects the unkeyed rows before it (casebook.access.audit.reanchor).
    with session_scope() as session:
        if audit.reanchor(session):
            session.commit()
            print(
                f"audit chain keyed ({audit.audit_key_path()}); head: {audit.chain_head(session)}"
            )


def _setup(args: argparse.Namespace) -> int:
    dbadmin.upgrade()
    print("database is at the latest schema")
    _key_audit_chain()
    if run_load(args) != 0:
        return 1
    with session_scope() as session:
        result = bootstrap.bootstrap(session)
    if result.key_created:
        print(
            f"created the encryption key file {result.key_created} (keep a copy apart "
            "from the backups: without it the encrypted fields are lost)"
        )
    for key, params in result.key_notes:
        print(translate(key, args.lang, **params))
    if result.admin_created:
        print("created the first admin user")
    if result.generated_password:
        print("=" * 60)
        print(f"  admin password (shown once, not stored): {result.generated_password}")
        print("=" * 60)
    if result.demo_incidents:
        print(f"loaded {result.demo_incidents} demo incidents (CASEBOOK_DEMO=0 to skip)")
    return 0
