"""`brief incident|advocacy|institution|compare|regenerate`: write a Word brief to a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from casebook.briefs import generate_brief, regenerate
from casebook.briefs.pdf import to_pdf
from casebook.cli.commands.common import add_as_option, cli_actor, print_json, session_scope
from casebook.i18n import translate


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        dest="doc_lang",
        choices=["ko", "en"],
        default="ko",
        help="language of the document (default ko)",
    )
    parser.add_argument("-o", "--output", required=True, type=Path, help="the .docx to write")
    parser.add_argument(
        "--pdf", action="store_true", help="also write a PDF beside it (needs LibreOffice)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    add_as_option(parser)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("brief", help="generate Word briefs from the data")
    bsub = parser.add_subparsers(dest="brief_command", required=True)
    inc = bsub.add_parser("incident", help="incident brief for a lawyer, the police or a court")
    inc.add_argument("--id", type=int, required=True)
    inc.add_argument(
        "--reveal-victim",
        action="store_true",
        help="include victim details (roles allowed only; audited)",
    )
    adv = bsub.add_parser("advocacy", help="legislative advocacy brief over a period")
    adv.add_argument("--from", dest="date_from", help="reported on or after YYYY-MM-DD")
    adv.add_argument("--to", dest="date_to", help="reported on or before YYYY-MM-DD")
    for name in ("region", "kind", "platform", "conduct"):
        adv.add_argument(f"--{name}")
    adv.add_argument("--no-charts", action="store_true", help="charts as tables, not images")
    inst = bsub.add_parser("institution", help="report for a university or school")
    inst.add_argument("--id", type=int, required=True)
    cmp = bsub.add_parser("compare", help="versions of a provision side by side")
    cmp.add_argument("--provision", required=True, help="e.g. sexual-crimes-act:14-2")
    again = bsub.add_parser("regenerate", help="generate a recorded brief again")
    again.add_argument("--record", type=int, required=True)
    for p in (inc, adv, inst, cmp, again):
        _common(p)
        p.set_defaults(handler=_run)


def _params(args: argparse.Namespace) -> dict:
    kind = args.brief_command
    if kind == "incident":
        return {"id": args.id, "reveal_victim": args.reveal_victim}
    if kind == "institution":
        return {"id": args.id}
    if kind == "compare":
        return {"provision": args.provision}
    return {
        k: getattr(args, k)
        for k in ("date_from", "date_to", "region", "kind", "platform", "conduct")
    }


def _run(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = cli_actor(session, args.as_user)
        if args.brief_command == "regenerate":
            made = regenerate(session, actor=actor, record_id=args.record)
        else:
            made = generate_brief(
                session,
                actor=actor,
                kind=args.brief_command,
                lang=args.doc_lang,
                params=_params(args),
                render_charts=not getattr(args, "no_charts", False),
            )
        record_id, sha = made.record.id, made.record.sha256
    args.output.write_bytes(made.content)
    pdf_path = None
    if args.pdf:
        pdf_path = args.output.with_suffix(".pdf")
        pdf_path.write_bytes(to_pdf(made.content))
    if args.json:
        print_json(
            {
                "path": str(args.output),
                "filename": made.filename,
                "sha256": sha,
                "record_id": record_id,
                "bytes": len(made.content),
                "pdf": str(pdf_path) if pdf_path else None,
                "matches_record": made.matches_record,
            }
        )
    else:
        print(
            translate("briefs.cli.written", args.lang, path=args.output, sha=sha[:12], id=record_id)
        )
    return 0
