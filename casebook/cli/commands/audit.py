"""`audit verify` and `audit head`: check the hash chain; print its tip to keep elsewhere.

`audit verify` exits 0 when intact, 1 naming the first bad row. Its `--expect ID:HASH`
is a head printed earlier (by either command, or read from a backup's manifest) and
kept outside the database: the chain must still hold that row unchanged, which is what
catches a chain cut back to an earlier tip (docs/security.md, "Audit trail").
"""

from __future__ import annotations

import argparse
import sys

from casebook.access.audit import chain_head, role_owns_trail, verify_chain
from casebook.cli.commands.common import print_json, session_scope


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help="the audit trail")
    asub = parser.add_subparsers(dest="audit_command", required=True)
    verify = asub.add_parser("verify", help="check the audit hash chain; non-zero if broken")
    verify.add_argument(
        "--expect", metavar="ID:HASH", help="a head printed earlier and kept outside the database"
    )
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=_verify)
    head = asub.add_parser("head", help="print the chain's tip (ID:HASH) to keep elsewhere")
    head.add_argument("--json", action="store_true")
    head.set_defaults(handler=_head)


def _verify(args: argparse.Namespace) -> int:
    with session_scope() as session:
        report = verify_chain(session, expect=args.expect)
        owner = role_owns_trail(session)
    if owner and not args.json:
        print(
            "warning: this database role owns auditlog and could switch its append-only "
            "trigger off; run the app as a role that does not (docs/security.md)",
            file=sys.stderr,
        )
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "rows": report.rows,
                "first_bad_id": report.first_bad_id,
                "reason": report.reason,
                "head": report.head,
                "role_owns_trail": owner,
            }
        )
    elif report.ok:
        print(f"audit chain intact: {report.rows} rows")
        if report.head:
            print(f"head: {report.head} (keep it; `audit verify --expect` it later)")
    else:
        where = f"at row {report.first_bad_id} " if report.first_bad_id else ""
        print(f"audit chain broken {where}({_why(report.reason)})", file=sys.stderr)
    return 0 if report.ok else 1


def _head(args: argparse.Namespace) -> int:
    with session_scope() as session:
        head = chain_head(session)
    if args.json:
        print_json({"head": head})
    else:
        print(head or "(empty chain)")
    return 0


def _why(reason: str) -> str:
    return {
        "hash": "its content was changed",
        "link": "the row before it was changed or deleted",
        "tail": "the last rows were deleted",
        "nohead": "the chain's tip (audithead) was deleted",
        "empty": "every audit row was deleted while users remain",
        "anchor": "the expected head is no longer in the chain: it was cut back or rewritten",
        "expect": "--expect must be ID:HASH as `audit head` prints it",
        "key": "the audit key (audit.key beside the secret key) is missing",
        "unkeyed": "no row is keyed: written before keying, or rewritten; run `db upgrade`",
    }.get(reason, reason)
