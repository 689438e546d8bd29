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
from casebook.settings import owner_only_files

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
# The module registering each top-level command. A run imports only its command's
# module: importing them all pulls in the briefs (python-docx, plotly), the law engine
# and the password hasher, which costs a second or more before `stats summary` starts.
# tests/test_cli.py checks this map against what the modules register.
COMMAND_OWNERS = {
    "db": "casebook.commands.db",
    "setup": "casebook.commands.db",
    "demo": "casebook.commands.demo",
    "user": "casebook.commands.user",
    "incidents": "casebook.commands.incidents",
    "audit": "casebook.commands.audit",
    "keys": "casebook.commands.keys",
    "backup": "casebook.commands.backup",
    "erase": "casebook.commands.erasure",
    "account": "casebook.commands.account",
    "brief": "casebook.commands.brief",
    "law": "casebook.commands.law",
    "kb": "casebook.commands.kb",
    "stats": "casebook.commands.stats",
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


# Commands that never encrypt or decrypt: no key check before them (``setup`` makes the
# key; ``stats`` must start fast and reads no encrypted column).
NO_KEY_CHECK = frozenset({"db", "setup", "stats", "law", "kb"})


def _check_keys(lang: str) -> None:
    """The start-up key check (casebook.keys.resolve_keys); what it fixed goes to stderr."""
    from casebook.i18n import translate
    from casebook.keys import resolve_keys
    from db.engine import session_scope

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
