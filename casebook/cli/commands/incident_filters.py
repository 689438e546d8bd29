"""The incident filter options shared by `incidents list` and `incidents export`."""

from __future__ import annotations

import argparse
from datetime import date

from casebook.errors import InvalidInput
from casebook.incidents.queries import IncidentFilter


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--text", default="")
    parser.add_argument("--region")
    parser.add_argument("--kind", help="institution kind")
    parser.add_argument("--platform")
    parser.add_argument("--status")
    parser.add_argument("--conduct")
    parser.add_argument("--institution-id", type=int)
    parser.add_argument("--from", dest="date_from", help="reported on or after YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", help="reported on or before YYYY-MM-DD")
    parser.add_argument("--minors", action="store_true", default=None)
    parser.add_argument("--legal-gap", action="store_true", default=None)


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput({field: "errors.bad_date"}) from None


def filters_from(args: argparse.Namespace) -> IncidentFilter:
    return IncidentFilter(
        text=args.text,
        region=args.region,
        kind=args.kind,
        platform=args.platform,
        status=args.status,
        conduct=args.conduct,
        institution_id=args.institution_id,
        date_from=_date(args.date_from, "date_from"),
        date_to=_date(args.date_to, "date_to"),
        minors=args.minors,
        legal_gap=args.legal_gap,
    )
