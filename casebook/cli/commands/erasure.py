"""`erase details ID` / `erase incident ID`: purge on a victim's request (admins)."""

from __future__ import annotations

import argparse

from casebook.cli.commands.common import add_as_option, cli_actor, session_scope
from casebook.incidents import erasure


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("erase", help="purge an incident's identifying details or all of it")
    esub = parser.add_subparsers(dest="erase_command", required=True)
    helps = {
        "details": "remove victim contact; replace summary and notes",
        "incident": "delete the incident with everything linked to it",
    }
    for name, help_text in helps.items():
        cmd = esub.add_parser(name, help=help_text)
        cmd.add_argument("incident_id", type=int)
        cmd.add_argument("--reason", choices=erasure.REASONS, default="victim_request")
        add_as_option(cmd)
        cmd.set_defaults(handler=_erase, whole=name == "incident")


def _erase(args: argparse.Namespace) -> int:
    fn = erasure.purge_incident if args.whole else erasure.purge_incident_details
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        fn(session, actor=actor, incident_id=args.incident_id, reason=args.reason)
    print(f"incident {args.incident_id}: {'deleted' if args.whole else 'details purged'}")
    return 0
