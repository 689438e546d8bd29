"""`python -m casebook ...`: the same functions the pages call, for scripts and tests.

Every command that returns data accepts --json and prints one JSON document on stdout;
errors go to stderr with a non-zero exit (2 for bad input).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from casebook.errors import CasebookError

# Each module defines register(subparsers); its handlers return an exit code.
COMMAND_MODULES = [
    "casebook.commands.db",
    "casebook.commands.demo",
    "casebook.commands.user",
    "casebook.commands.incidents",
    "casebook.commands.audit",
    "casebook.commands.keys",
    "casebook.commands.backup",
    "casebook.commands.erasure",
    "casebook.commands.account",
    "casebook.commands.brief",
    "casebook.commands.law",
    "casebook.commands.kb",
    "casebook.commands.stats",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m casebook",
        description="Casebook: incidents, the legal knowledge base and briefs.",
    )
    parser.add_argument("--lang", choices=["ko", "en"], default="en",
                        help="language of messages (default en)")  # fmt: skip
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0)
    try:
        return int(args.handler(args) or 0)
    except CasebookError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
