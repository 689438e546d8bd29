"""`user add --username U --role R` (password from stdin or CASEBOOK_NEW_PASSWORD)."""

from __future__ import annotations

import argparse
import getpass
import sys

from casebook.access import users
from casebook.cli.commands.common import add_as_option, cli_actor, print_json, session_scope
from casebook.config import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("user", help="manage users")
    usub = parser.add_subparsers(dest="user_command", required=True)
    add = usub.add_parser("add", help="add a user; password from stdin or CASEBOOK_NEW_PASSWORD")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=["admin", "lawyer", "advocate", "viewer"])
    add.add_argument("--display-name", default="")
    add_as_option(add)
    add.set_defaults(handler=_add)
    lst = usub.add_parser("list", help="list users")
    lst.add_argument("--json", action="store_true")
    add_as_option(lst)
    lst.set_defaults(handler=_list)


def _password() -> str:
    # The password is read from the environment or stdin, never from argv (visible in ps).
    if get_settings().new_password:
        return get_settings().new_password
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\n")


def _add(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        user = users.create_user(
            session,
            actor=actor,
            data={
                "username": args.username,
                "role": args.role,
                "password": _password(),
                "display_name": args.display_name,
            },
        )
    print(f"added user {user.username} ({user.role})")
    return 0


def _list(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        rows = [
            {"id": u.id, "username": u.username, "role": u.role, "active": u.active}
            for u in users.list_users(session, actor=actor)
        ]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(
                f"{row['id']:>4}  {row['username']:<20} {row['role']:<9} "
                f"{'active' if row['active'] else 'inactive'}"
            )
    return 0
