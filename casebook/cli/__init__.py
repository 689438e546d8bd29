"""`python -m casebook ...`: the same functions the pages call, for scripts and tests.

Every command that returns data accepts --json and prints one JSON document on stdout;
errors go to stderr with a non-zero exit (2 for bad input).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from casebook.config import owner_only_files
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
    parser.add_argument(
        "--lang", choices=["ko", "en"], default="en", help="language of messages (default en)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    owner = COMMAND_OWNERS.get(_command_word(argv)) if argv is not None else None
    for name in [owner] if owner else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


# Commands that never encrypt or decrypt: no key check before them (``setup`` makes the
# key; ``stats`` must start fast and reads no encrypted column).
NO_KEY_CHECK = frozenset({"db", "setup", "stats", "law", "kb"})


def _check_keys(lang: str) -> None:
    """The start-up key check (casebook.access.keys.resolve_keys); what it fixed goes to stderr."""
    from casebook.access.keys import resolve_keys
    from casebook.cli.commands.common import session_scope
    from casebook.i18n import translate

    with session_scope() as session:
        for key, params in resolve_keys(session):
            print(translate(key, lang, **params), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    owner_only_files()
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0)
    from sqlalchemy.exc import OperationalError

    try:
        if args.command not in NO_KEY_CHECK:
            _check_keys(args.lang)
        return int(args.handler(args) or 0)
    except CasebookError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 2
    except OperationalError:
        # The database is down or busy: the same message as the app, not a traceback
        # (which would also show the statement and its parameters).
        from casebook.i18n import translate

        print(translate("errors.db_unavailable", args.lang), file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
