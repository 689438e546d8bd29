"""`backup create FILE` and `backup restore FILE` (into an empty, migrated database)."""

from __future__ import annotations

import argparse
from pathlib import Path

from casebook import dbadmin
from casebook.backup import create_backup, database_revision
from casebook.commands.common import add_as_option, cli_actor, print_json, session_scope
from casebook.restore import restore_backup


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("backup", help="portable backups (SQLite <-> PostgreSQL)")
    bsub = parser.add_subparsers(dest="backup_command", required=True)
    create = bsub.add_parser("create", help="write every table to a new zip file")
    create.add_argument("file", type=Path)
    create.add_argument("--json", action="store_true")
    add_as_option(create)
    create.set_defaults(handler=_create)
    restore = bsub.add_parser("restore", help="restore a backup into an empty database")
    restore.add_argument("file", type=Path)
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(handler=_restore)


def _report(args: argparse.Namespace, verb: str, info) -> int:  # noqa: ANN001
    if args.json:
        print_json({"file": str(info.path), "schema_revision": info.revision, "rows": info.rows})
    else:
        print(f"{verb} {sum(info.rows.values())} rows in {len(info.rows)} tables: {info.path}")
        if info.audit_head:
            print(f"audit head: {info.audit_head} (keep it; `audit verify --expect` it later)")
    return 0


def _create(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        info = create_backup(session, actor=actor, path=args.file)
    return _report(args, "backed up", info)


def _restore(args: argparse.Namespace) -> int:
    with session_scope() as session:
        fresh = not database_revision(session)
    if fresh:  # a brand-new database gets the schema first; any other is left as it is
        dbadmin.upgrade()
    with session_scope() as session:
        info = restore_backup(session, args.file)
    return _report(args, "restored", info)
