"""`stats summary`: the dashboard's headline counts for the same filters as the page."""

from __future__ import annotations

import argparse

from casebook.analytics.dashboards import stats_summary
from casebook.analytics.filters import make_filter
from casebook.cli.commands.common import add_as_option, cli_reader, connection_scope, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("stats", help="aggregate counts of the tracked incidents")
    ssub = parser.add_subparsers(dest="stats_command", required=True)
    summary = ssub.add_parser("summary", help="counts by month, kind, region, conduct, status")
    summary.add_argument("--from", dest="date_from", help="reported on or after YYYY-MM-DD")
    summary.add_argument("--to", dest="date_to", help="reported on or before YYYY-MM-DD")
    summary.add_argument("--region")
    summary.add_argument("--kind", help="institution kind")
    summary.add_argument("--platform")
    summary.add_argument("--status")
    summary.add_argument("--json", action="store_true", help="print one JSON document")
    add_as_option(summary)
    summary.set_defaults(handler=_summary)


def _summary(args: argparse.Namespace) -> int:
    filters = make_filter(
        date_from=args.date_from,
        date_to=args.date_to,
        region=args.region,
        kind=args.kind,
        platform=args.platform,
        status=args.status,
    )
    # A plain connection and row: the ORM and SQLModel classes are not imported (half a
    # second of the target second at a million incidents; bench/README.md, Analytics).
    with connection_scope() as connection:
        actor = cli_reader(connection, args.as_user)
        connection.rollback()  # out of the read's transaction: the counts may fan out
        data = stats_summary(connection, actor=actor, filters=filters)
    if args.json:
        print_json(data)
        return 0
    print(f"total: {data['total']:,}")
    for name in ("by_month", "by_institution_kind", "by_region", "by_conduct", "by_status"):
        print(f"{name}:")
        for key, value in data[name].items():
            print(f"  {key:<24} {value:>10,}")
    gaps = data["legal_gaps"]
    print(f"legal_gaps: {gaps['incidents']:,} incidents")
    return 0
