"""`incidents add|import|export` (registered by casebook.cli.commands.incidents)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from casebook.cli.commands.common import add_as_option, cli_actor, print_json, session_scope
from casebook.cli.commands.incident_filters import add_filter_options, filters_from
from casebook.errors import InvalidInput
from casebook.i18n import translate
from casebook.incidents import store as incidents


def register(isub: argparse._SubParsersAction) -> None:
    add = isub.add_parser("add", help="record one incident (options or --file JSON)")
    add.add_argument("--file", help="a JSON object with IncidentCreate fields")
    for name in (
        "title",
        "summary",
        "reported-on",
        "occurred-on",
        "platform",
        "status",
        "external-id",
        "notes",
    ):
        add.add_argument(f"--{name}")
    for name in ("victims-count", "victims-minor", "suspects-count", "room-members"):
        add.add_argument(f"--{name}", type=int)
    add.add_argument("--institution-id", type=int, action="append", dest="institution_ids")
    add.add_argument("--conduct", action="append", dest="conducts", help="repeatable")
    add.add_argument("--json", action="store_true")
    add_as_option(add)
    add.set_defaults(handler=_add)

    imp = isub.add_parser("import", help="import a CSV/XLSX file: all rows or none")
    imp.add_argument("path", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    imp.add_argument(
        "--create-institutions",
        action="store_true",
        help="create institutions not found by name or alias",
    )
    imp.add_argument("--json", action="store_true")
    add_as_option(imp)
    imp.set_defaults(handler=_import)

    exp = isub.add_parser("export", help="export the incidents matching the filters")
    add_filter_options(exp)
    exp.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
    exp.add_argument("-o", "--output", required=True, metavar="FILE")
    exp.add_argument(
        "--with-victim-details",
        action="store_true",
        help="include victim contact details (roles allowed only)",
    )
    exp.add_argument("--json", action="store_true")
    add_as_option(exp)
    exp.set_defaults(handler=_export)


_ADD_FIELDS = (
    "title",
    "summary",
    "reported_on",
    "occurred_on",
    "platform",
    "status",
    "external_id",
    "notes",
    "victims_count",
    "victims_minor",
    "suspects_count",
    "room_members",
    "institution_ids",
    "conducts",
)


def _add(args: argparse.Namespace) -> int:
    data: dict = {}
    if args.file:
        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise InvalidInput({"file": "imports.bad_file"}) from None
        if not isinstance(data, dict):
            raise InvalidInput({"file": "imports.bad_file"})
    data |= {k: getattr(args, k) for k in _ADD_FIELDS if getattr(args, k) is not None}
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        incident = incidents.record_incident(session, actor=actor, data=data)
        result = {"id": incident.id, "version": incident.version, "title": incident.title}
    if args.json:
        print_json(result)
    else:
        print(f"{result['id']}  {result['title']}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from casebook.importing.run import import_incidents

    try:
        data = Path(args.path).read_bytes()
    except OSError:
        raise InvalidInput({"file": "imports.bad_file"}) from None
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        report = import_incidents(
            session,
            actor=actor,
            data=data,
            filename=Path(args.path).name,
            create_institutions=args.create_institutions,
            dry_run=args.dry_run,
        )
    problems = [
        {
            "row": p.row,
            "column": p.column,
            "problem": p.key,
            "message": translate(p.key, args.lang),
            "value": p.value,
        }
        for p in report.problems
    ]
    if args.json:
        print_json(report.summary() | {"problems": problems, "suggestions": report.suggestions})
    else:
        for p in problems:
            print(f"row {p['row']}, {p['column']}: {p['message']} [{p['value']}]", file=sys.stderr)
        print(json.dumps(report.summary(), ensure_ascii=False))
    return 0 if report.ok else 2


def _export(args: argparse.Namespace) -> int:
    from casebook.importing.export import export_incidents

    filters = filters_from(args)
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        tmp = Path(args.output + ".part")
        try:
            with tmp.open("wb") as out:
                count = export_incidents(
                    session,
                    actor=actor,
                    out=out,
                    fmt=args.format,
                    filters=filters,
                    include_victim=args.with_victim_details,
                )
            tmp.replace(args.output)
        finally:
            tmp.unlink(missing_ok=True)
    if args.json:
        print_json({"count": count, "format": args.format, "output": args.output})
    else:
        print(f"{count} incidents -> {args.output}")
    return 0
