"""`incidents list|show` (add, import and export register here too)."""

from __future__ import annotations

import argparse

from casebook.cli.commands import incident_io
from casebook.cli.commands.common import add_as_option, cli_actor, print_json, session_scope
from casebook.cli.commands.incident_filters import add_filter_options, filters_from
from casebook.i18n import label
from casebook.incidents import store as incidents
from casebook.incidents.queries import list_incidents


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("incidents", help="list, show, add, import and export incidents")
    isub = parser.add_subparsers(dest="incidents_command", required=True)
    lst = isub.add_parser("list", help="list incidents (newest first)")
    add_filter_options(lst)
    lst.add_argument("--page", type=int, default=1)
    lst.add_argument("--page-size", type=int, default=50)
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    add_as_option(lst)
    lst.set_defaults(handler=_list)
    show = isub.add_parser("show", help="show one incident (victim details redacted)")
    show.add_argument("--id", type=int, required=True)
    show.add_argument("--json", action="store_true")
    add_as_option(show)
    show.set_defaults(handler=_show)
    incident_io.register(isub)


def _list(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        page = list_incidents(
            session,
            actor=actor,
            filters=filters_from(args),
            page=args.page,
            page_size=args.page_size,
        )
    if args.json:
        print_json(
            {
                "total": page.total,
                "page": page.page,
                "pages": page.pages,
                "page_size": page.page_size,
                "incidents": page.rows,
            }
        )
        return 0
    for row in page.rows:
        print(
            f"{row.id:>6}  {row.reported_on}  {label('status', row.status, args.lang):<14} "
            f"{row.title}"
        )
    print(f"-- {page.total:,} incidents, page {page.page}/{page.pages}")
    return 0


def incident_json(detail: incidents.IncidentDetail) -> dict:
    inc = detail.incident
    data = inc.model_dump(mode="json", exclude={"victim_contact_enc"})
    data["institutions"] = [
        {"id": i.id, "name": i.name, "kind": i.kind, "region": i.region}
        for i in detail.institutions
    ]
    data["conducts"] = detail.conducts
    data["room_ids"] = detail.room_ids
    data["victim_contact"] = "[redacted]" if detail.victim_contact_hidden else None
    data |= detail.extra
    return data


def _show(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        detail = incidents.get_incident(session, actor=actor, incident_id=args.id)
        data = incident_json(detail)
    if args.json:
        print_json(data)
    else:
        for key, value in data.items():
            print(f"{key:>20}: {value}")
    return 0
