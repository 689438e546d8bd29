"""`law applicable|search|show|diff|timeline|amendments|check`: the legal knowledge base.

Same functions as the law library page. Bad conduct, victim, date or id: a message on
stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps

from casebook.cli.commands.common import print_json
from casebook.law import engine as law
from casebook.law.answers import LawQueryError
from casebook.law.load import check_kb
from casebook.law.schema import MATERIALS

Handler = Callable[[argparse.Namespace], int]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("law", help="the Korean-law knowledge base and point-in-time engine")
    lsub = parser.add_subparsers(dest="law_command", required=True)
    app = lsub.add_parser("applicable", help="which provisions applied to a conduct on a date")
    app.add_argument("--conduct", required=True)
    app.add_argument("--victim", required=True, help="adult or minor")
    app.add_argument("--date", required=True, help="YYYY-MM-DD")
    app.add_argument("--material", default="deepfake", help=f"one of {', '.join(MATERIALS)}")
    _finish(app, _applicable)
    search = lsub.add_parser("search", help="search provisions in Korean or English")
    search.add_argument("query")
    search.add_argument("--in", dest="in_lang", choices=["ko", "en"], help="search one language")
    _finish(search, _search)
    show = lsub.add_parser("show", help="a provision, or its version in force on a date")
    show.add_argument("provision")
    show.add_argument("--date", help="YYYY-MM-DD (default: every version)")
    _finish(show, _show)
    diff = lsub.add_parser("diff", help="differences between the versions on two dates")
    diff.add_argument("provision")
    diff.add_argument("--from", dest="date_from", required=True)
    diff.add_argument("--to", dest="date_to", required=True)
    _finish(diff, _diff)
    tl = lsub.add_parser("timeline", help="conduct x time table of criminality and penalty")
    tl.add_argument("--victim", required=True)
    tl.add_argument("--material", default="deepfake")
    _finish(tl, _timeline)
    _finish(lsub.add_parser("amendments", help="bills and amendments with status"), _amendments)
    lsub.add_parser("check", help="validate every KB file").set_defaults(handler=_check)


def _finish(parser: argparse.ArgumentParser, handler: Handler) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=_bad_input_exits_2(handler))


def _bad_input_exits_2(handler: Handler) -> Handler:
    @wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except LawQueryError as exc:
            print(exc.message(getattr(args, "lang", "en")), file=sys.stderr)
            return 2

    return wrapped


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise LawQueryError(
            f"{name}: 날짜는 YYYY-MM-DD 형식이어야 합니다 ({value})",
            f"{name}: a date must look like YYYY-MM-DD ({value})",
        ) from None


def _applicable(args: argparse.Namespace) -> int:
    on = _date(args.date, "--date")
    result = law.applicable_law(args.conduct, args.victim, on, material=args.material)
    if args.json:
        print_json(result.as_json())
        return 0
    en = args.lang == "en"
    verdict = (
        ("criminal" if result.criminal else "not criminal")
        if en
        else ("처벌 대상" if result.criminal else "처벌 규정 없음")
    )
    print(f"{args.conduct} / {args.victim} / {on}: {verdict}")
    for p in result.provisions:
        term = _term(p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw)
        flag = "" if p.verified else " [unverified]"
        print(f"  {p.law_en if en else p.law} {p.article_en if en else p.article}: {term}{flag}")
        print(f"    {p.version_id}")
    for c in result.later_changes:
        print(f"  later: {c.date} {c.version_id}: {c.what_en if en else c.what_ko}")
    return 0


def _term(lo: float | None, hi: float | None, life: bool, fine: int | None) -> str:
    prison = "life or " if life else ""
    prison += f"{lo:g}-" if lo else "up to "
    prison += f"{hi:g} years" if hi else ""
    return prison + (f", fine up to {fine:,} KRW" if fine else "")


def _search(args: argparse.Namespace) -> int:
    hits = law.search_law(args.query, args.in_lang)
    if args.json:
        print_json([h.as_json() for h in hits])
        return 0
    for h in hits:
        title = h.title_en if args.lang == "en" else h.title_ko
        print(f"{h.score:6.2f}  {h.provision_id:40} {title}")
    return 0


def _show(args: argparse.Namespace) -> int:
    provision = law.get_provision(args.provision)
    if args.date:
        version = law.version_on(args.provision, _date(args.date, "--date"))
        data = {
            "provision": args.provision,
            "date": args.date,
            "version": version.model_dump(mode="json") if version else None,
        }
    else:
        data = provision.model_dump(mode="json")
    if args.json:
        print_json(data)
        return 0
    print(f"{provision.id}  {provision.article} {provision.title.ko} / {provision.title.en}")
    for v in provision.versions:
        if not args.date or (data["version"] and data["version"]["id"] == v.id):
            mark = "" if v.verified else " [unverified]"
            print(f"  {v.id}  {v.in_force_from} .. {v.in_force_to or ''}{mark}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    d1, d2 = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    result = law.diff_versions(args.provision, d1, d2)
    if args.json:
        print_json(result.as_json())
        return 0
    print(f"{result.from_version} -> {result.to_version}")
    for c in result.changes:
        where = f"para {c.paragraph}: " if c.paragraph else ""
        print(f"  {where}{c.field}: {c.old!r} -> {c.new!r}")
    return 0


def _timeline(args: argparse.Namespace) -> int:
    table = law.conduct_timeline(args.victim, args.material)
    if args.json:
        print_json(table.as_json())
        return 0
    print("conduct".ljust(11) + " ".join(d.isoformat() for d in table.dates))
    for conduct, cells in table.rows.items():
        marks = " ".join(("X" if c.criminal else "-").center(10) for c in cells)
        print(conduct.ljust(11) + marks)
    return 0


def _amendments(args: argparse.Namespace) -> int:
    items = law.amendments()
    if args.json:
        print_json([a.model_dump(mode="json") for a in items])
        return 0
    for a in items:
        last = a.history[-1]
        print(f"{last.date}  {a.status:11} {a.id:32} {a.title.en}")
    return 0


def _check(args: argparse.Namespace) -> int:
    errors = check_kb()
    for error in errors:
        print(str(error), file=sys.stderr)
    if not errors:
        print("KB ok")
    return 1 if errors else 0
