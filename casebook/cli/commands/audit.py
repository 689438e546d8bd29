"""`audit verify`: walk the hash chain; exit 0 when intact, 1 naming the first bad row."""

from __future__ import annotations

import argparse
import sys

from casebook.access.audit import verify_chain
from casebook.cli.commands.common import print_json, session_scope


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help="the audit trail")
    asub = parser.add_subparsers(dest="audit_command", required=True)
    verify = asub.add_parser("verify", help="check the audit hash chain; non-zero if broken")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    with session_scope() as session:
        report = verify_chain(session)
    if args.json:
        print_json({"ok": report.ok, "rows": report.rows, "first_bad_id": report.first_bad_id,
                    "reason": report.reason})  # fmt: skip
    elif report.ok:
        print(f"audit chain intact: {report.rows} rows")
    else:
        print(f"audit chain broken at row {report.first_bad_id} ({_why(report.reason)})",
              file=sys.stderr)  # fmt: skip
    return 0 if report.ok else 1


def _why(reason: str) -> str:
    return {
        "hash": "its content was changed",
        "link": "the row before it was changed or deleted",
        "tail": "the last rows were deleted",
    }.get(reason, reason)
