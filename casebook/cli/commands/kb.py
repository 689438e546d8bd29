"""`kb load`: validate and load the whole knowledge base, print what it holds."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from casebook.cli.commands.common import print_json
from casebook.law.status import KBError, load_knowledge_base


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("kb", help="the legal knowledge base in kb/")
    ksub = parser.add_subparsers(dest="kb_command", required=True)
    load = ksub.add_parser("load", help="validate every kb/ file and load it")
    load.add_argument("--json", action="store_true", help="print one JSON document")
    load.set_defaults(handler=run_load)


def run_load(args: argparse.Namespace) -> int:
    try:
        summary = load_knowledge_base()
    except KBError as exc:
        print(f"knowledge base error: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "json", False):
        print_json(asdict(summary))
        return 0
    print(
        f"knowledge base loaded: {summary.laws} laws, {summary.provisions} provisions, "
        f"{summary.versions} versions, {summary.amendments} amendments, "
        f"{summary.foreign_provisions} foreign provisions, {summary.national_figures} "
        f"national figures ({summary.unverified} entries marked unverified)"
    )
    return 0
