"""`brief incident|advocacy|institution|compare|regenerate`: write a brief to a file, as
Word (.docx) or Hangul (.hwpx): ``--format``, else the suffix of ``-o``."""

from __future__ import annotations

import argparse
from pathlib import Path

from casebook.briefs import generate_brief, regenerate
from casebook.briefs.pdf import to_pdf
from casebook.briefs.render import FORMATS
from casebook.cli.commands.common import add_as_option, cli_actor, print_json, session_scope
from casebook.errors import InvalidInput
from casebook.i18n import translate


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        dest="doc_lang",
        choices=["ko", "en"],
        default="ko",
        help="language of the document (default ko)",
    )
    parser.add_argument(
        "-o", "--output", required=True, type=Path, help="the file to write (.docx or .hwpx)"
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        help="docx (Word) or hwpx (Hangul); default: the suffix of -o, else docx",
    )
    parser.add_argument(
        "--pdf", action="store_true", help="also write a PDF beside it (needs LibreOffice)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    add_as_option(parser)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("brief", help="generate Word or Hangul briefs from the data")
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


def output_format(output: Path, fmt: str | None) -> str:
    """The format asked for: ``--format``, else the suffix of the output file, else DOCX.
    A suffix naming the other format is refused rather than written under a wrong name."""
    suffix = output.suffix.lower().lstrip(".")
    if fmt and suffix in FORMATS and suffix != fmt:
        raise InvalidInput({"format": "briefs.errors.format_suffix"})
    return fmt or (suffix if suffix in FORMATS else "docx")


def _run(args: argparse.Namespace) -> int:
    fmt = output_format(args.output, args.fmt)
    if args.pdf and fmt != "docx":  # LibreOffice converts DOCX; it does not read HWPX
        raise InvalidInput({"pdf": "briefs.errors.pdf_docx_only"})
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
                fmt=fmt,
            )
        record_id, sha, made_fmt = made.record.id, made.record.sha256, made.format
    # A regenerated brief has its record's format, whatever was asked.
    output_format(args.output, made_fmt)
    if args.pdf and made_fmt != "docx":
        raise InvalidInput({"pdf": "briefs.errors.pdf_docx_only"})
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
                "format": made_fmt,
                "pdf": str(pdf_path) if pdf_path else None,
                "matches_record": made.matches_record,
            }
        )
    else:
        print(
            translate("briefs.cli.written", args.lang, path=args.output, sha=sha[:12], id=record_id)
        )
    return 0
