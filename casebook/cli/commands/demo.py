"""`demo load|remove`."""

from __future__ import annotations

import argparse

from casebook.cli.commands.common import add_as_option, cli_actor, session_scope
from casebook.ops import demo


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="load or remove the labelled demo data")
    parser.add_argument("action", choices=["load", "remove"])
    add_as_option(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        if args.action == "load":
            count = demo.load_demo(session, actor=actor)
            print(f"loaded {count} demo incidents" if count else "demo data already loaded")
        else:
            print(f"removed {demo.remove_demo(session, actor=actor)} demo incidents")
    return 0
