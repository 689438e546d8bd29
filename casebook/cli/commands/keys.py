"""`keys rotate`: re-encrypt every encrypted column under a new key (casebook.access.keys)."""

from __future__ import annotations

import argparse
from pathlib import Path

from casebook.access.keys import rotate_keys
from casebook.cli.commands.common import add_as_option, cli_actor, print_json, session_scope


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("keys", help="encryption keys")
    ksub = parser.add_subparsers(dest="keys_command", required=True)
    rotate = ksub.add_parser(
        "rotate", help="re-encrypt all encrypted fields under a new key; keeps the old key file"
    )
    rotate.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the new key when it comes from CASEBOOK_SECRET_KEY (required then)",
    )
    rotate.add_argument("--json", action="store_true")
    add_as_option(rotate)
    rotate.set_defaults(handler=_rotate)


def _rotate(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        result = rotate_keys(session, actor=actor, out=args.out)
    data = {
        "values": result.values,
        "key_file": str(result.key_file),
        "backup_file": str(result.backup_file) if result.backup_file else None,
    }
    if args.json:
        print_json(data)
        return 0
    print(f"re-encrypted {result.values} values; new key in {result.key_file}")
    if result.backup_file:
        print(f"old key kept in {result.backup_file} (needed for backups made before now)")
    if args.out is not None:
        print("set CASEBOOK_SECRET_KEY to the new key before the next start")
    return 0
