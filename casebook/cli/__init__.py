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

__all__ = ["build_parser", "main"]

# Each module defines register(subparsers); its handlers return an exit code.
COMMAND_MODULES = [
    "casebook.cli.commands.db",
    "casebook.cli.commands.demo",
    "casebook.cli.commands.user",
    "casebook.cli.commands.incidents",
    "casebook.cli.commands.audit",
    "casebook.cli.commands.keys",
    "casebook.cli.commands.backup",
    "casebook.cli.commands.erasure",
    "casebook.cli.commands.account",
    "casebook.cli.commands.brief",
    "casebook.cli.commands.law",
    "casebook.cli.commands.kb",
    "casebook.cli.commands.stats",
]
# The module registering each top-level command. A run imports only its command's
# module: importing them all pulls in the briefs (python-docx, plotly), the law engine
# and the password hasher, which costs a second or more before `stats summary` starts.
# tests/cli/test_cli.py checks this map against what the modules register.
COMMAND_OWNERS = {
    "db": "casebook.cli.commands.db",
    "setup": "casebook.cli.commands.db",
    "demo": "casebook.cli.commands.demo",
    "user": "casebook.cli.commands.user",
    "incidents": "casebook.cli.commands.incidents",
    "audit": "casebook.cli.commands.audit",
    "keys": "casebook.cli.commands.keys",
    "backup": "casebook.cli.commands.backup",
    "erase": "casebook.cli.commands.erasure",
    "account": "casebook.cli.commands.account",
    "brief": "casebook.cli.commands.brief",
    "law": "casebook.cli.commands.law",
    "kb": "casebook.cli.commands.kb",
    "stats": "casebook.cli.commands.stats",
}


def _command_word(argv: Sequence[str]) -> str | None:
    """The first word after the global options (only --lang takes a value)."""
    words = list(argv)
    while words:
        word = words.pop(0)
        if word == "--lang":
            words = words[1:]
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser, or (given ``argv`` naming a known command) one with only that
    command registered; help and unknown commands still get the full list."""
    parser = argparse.ArgumentParser(
        prog="python -m casebook",
        description="Casebook: incidents, the legal knowledge base and briefs.",
    )
    parser.add_argument("--lang", choices=["ko", "en"], default="en",
                        help="language of messages (default en)")  # fmt: skip
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    owner = COMMAND_OWNERS.get(_command_word(argv)) if argv is not None else None
    for name in [owner] if owner else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
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
