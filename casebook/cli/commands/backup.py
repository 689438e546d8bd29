"""`backup create FILE` and `backup restore FILE` (into an empty, migrated database).

The passphrase never comes from argv (it would show in ``ps``): ``--passphrase-file``,
else CASEBOOK_BACKUP_PASSPHRASE, else stdin (typed twice at a terminal for ``create``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from casebook.cli.commands.common import add_as_option, cli_actor, print_json, session_scope
from casebook.config import get_settings
from casebook.ops import migrate as dbadmin
from casebook.ops.backup import BackupError, create_backup, database_revision
from casebook.ops.restore import restore_backup

PASSPHRASE_HELP = (
    "file holding the passphrase (first line; '-' for stdin); default "
    "CASEBOOK_BACKUP_PASSPHRASE, else stdin"
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("backup", help="portable backups (SQLite <-> PostgreSQL)")
    bsub = parser.add_subparsers(dest="backup_command", required=True)
    # No abbreviations: "--passphrase X" must not be taken for --passphrase-file X.
    create = bsub.add_parser(
        "create", help="write every table to a new, encrypted zip file", allow_abbrev=False
    )
    create.add_argument("file", type=Path)
    create.add_argument("--passphrase-file", type=Path, default=None, help=PASSPHRASE_HELP)
    create.add_argument(
        "--include-password-hashes",
        action="store_true",
        help="also keep the users' password hashes (left out by default: "
        "restored users then need a new password)",
    )
    create.add_argument("--json", action="store_true")
    add_as_option(create)
    create.set_defaults(handler=_create)
    restore = bsub.add_parser(
        "restore", help="restore a backup into an empty database", allow_abbrev=False
    )
    restore.add_argument("file", type=Path)
    restore.add_argument("--passphrase-file", type=Path, default=None, help=PASSPHRASE_HELP)
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(handler=_restore)


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.passphrase_file is not None:
        if str(args.passphrase_file) == "-":
            return sys.stdin.readline().rstrip("\n")
        try:
            return args.passphrase_file.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError):
            raise BackupError(
                "security.backup_passphrase_file", path=str(args.passphrase_file)
            ) from None
    if get_settings().backup_passphrase:
        return get_settings().backup_passphrase
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("backup passphrase: ")
    if confirm and getpass.getpass("again: ") != first:
        raise BackupError("security.backup_passphrase_mismatch")
    return first


def _report(args: argparse.Namespace, verb: str, info) -> int:
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
        info = create_backup(
            session,
            actor=actor,
            path=args.file,
            passphrase=_passphrase(args, confirm=True),
            include_password_hashes=args.include_password_hashes,
        )
    return _report(args, "backed up", info)


def _restore(args: argparse.Namespace) -> int:
    passphrase = _passphrase(args, confirm=False)
    with session_scope() as session:
        fresh = not database_revision(session)
    if fresh:  # a brand-new database gets the schema first; any other is left as it is
        dbadmin.upgrade()
    with session_scope() as session:
        info = restore_backup(session, args.file, passphrase)
    return _report(args, "restored", info)
