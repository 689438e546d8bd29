"""`account reset-totp USERNAME` (a lost phone), `account unlock USERNAME` (a sign-in
lockout) and `account require-totp --roles ...`.

The console is the way back in when the only admin has lost their authenticator.
"""

from __future__ import annotations

import argparse

from casebook.access import totp as account
from casebook.access import users
from casebook.cli.commands.common import add_as_option, cli_actor, session_scope
from casebook.errors import NotFound


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("account", help="two-factor sign-in: reset a user's, set policy")
    asub = parser.add_subparsers(dest="account_command", required=True)
    reset = asub.add_parser("reset-totp", help="turn off a user's two-factor sign-in")
    reset.add_argument("username")
    add_as_option(reset)
    reset.set_defaults(handler=_reset)
    unlock = asub.add_parser("unlock", help="lift a user's lockout after failed sign-ins")
    unlock.add_argument("username")
    add_as_option(unlock)
    unlock.set_defaults(handler=_unlock)
    policy = asub.add_parser("require-totp", help="roles that must use two-factor sign-in")
    policy.add_argument("--roles", default="", help="comma-separated: admin,lawyer (or empty)")
    add_as_option(policy)
    policy.set_defaults(handler=_policy)


def _reset(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        user = users.find_user(session, args.username)
        if user is None:
            raise NotFound()
        account.reset_totp(session, actor=actor, user_id=user.id)
    print(f"two-factor sign-in turned off for {args.username}; they can set it up again")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        user = users.find_user(session, args.username)
        if user is None:
            raise NotFound()
        users.unlock_user(session, actor=actor, user_id=user.id)
    print(f"{args.username} can sign in again (lockout lifted)")
    return 0


def _policy(args: argparse.Namespace) -> int:
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        saved = account.set_totp_policy(session, actor=actor, roles=roles)
    print(f"two-factor sign-in required for: {', '.join(saved) or 'nobody'}")
    return 0
