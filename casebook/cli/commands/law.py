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
from casebook.law.penalty import penalty_words
from casebook.law.schema import MATERIALS
from casebook.law.sources import check_sources

Handler = Callable[[argparse.Namespace], int]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("law", help="the Korean-law knowledge base and point-in-time engine")
    lsub = parser.add_subparsers(dest="law_command", required=True)
    app = lsub.add_parser("applicable", help="which provisions applied to a conduct on a date")
    app.add_argument("--conduct", required=True)
    app.add_argument("--victim", required=True, help="adult or minor")
    app.add_argument("--date", help="YYYY-MM-DD (or give a span with --from and --to)")
    app.add_argument("--from", dest="span_from", help="first day of a span, YYYY-MM-DD")
    app.add_argument("--to", dest="span_to", help="last day of a span, YYYY-MM-DD")
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
    watch = lsub.add_parser(
        "watch",
        help="promulgations in a local clone of the official-text mirror, after each law's "
        "checked date, that change a modelled article (exit 1 when there are any)",
    )
    watch.add_argument("path", help="local clone of the mirror (a git repository)")
    _finish(watch, _watch)
    lsub.add_parser(
        "check", help="validate every KB file and every source link against kb/sources.yaml"
    ).set_defaults(handler=_check)


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
    if args.span_from or args.span_to:
        return _applicable_span(args)
    if not args.date:
        raise LawQueryError("--date 또는 --from과 --to를 주세요", "give --date, or --from and --to")
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
        term = penalty_words(
            p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw, "en" if en else "ko"
        )
        flag = "" if p.verified else " [unverified]"
        print(f"  {p.law_en if en else p.law} {p.article_en if en else p.article}: {term}{flag}")
        print(f"    {p.version_id}")
    for c in result.later_changes:
        print(f"  later: {c.date} {c.version_id}: {c.what_en if en else c.what_ko}")
    _print_checked(en)
    return 0


def _applicable_span(args: argparse.Namespace) -> int:
    if args.date or not (args.span_from and args.span_to):
        raise LawQueryError(
            "기간은 --from과 --to를 함께 주고 --date는 빼 주세요",
            "a span needs both --from and --to, and no --date",
        )
    d1, d2 = _date(args.span_from, "--from"), _date(args.span_to, "--to")
    result = law.applicable_span(args.conduct, args.victim, d1, d2, material=args.material)
    if args.json:
        print_json(result.as_json())
        return 0
    en = args.lang == "en"
    kind = ("continuing act" if en else "계속되는 행위") if result.continuing else ""
    print(f"{args.conduct} / {args.victim} / {d1} .. {d2}" + (f" ({kind})" if kind else ""))
    for part in result.parts:
        verdict = (
            ("criminal" if part.criminal else "not criminal")
            if en
            else ("처벌 대상" if part.criminal else "처벌 규정 없음")
        )
        print(f"  {part.start} .. {part.end}: {verdict}")
        for p in part.provisions:
            term = penalty_words(
                p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw, "en" if en else "ko"
            )
            print(f"    {p.law_en if en else p.law} {p.article_en if en else p.article}: {term}")
            print(f"      {p.version_id}")
    _print_checked(en)
    return 0


def _checked() -> str:
    return law.kb_checked_on().isoformat()


def _print_checked(en: bool) -> None:
    """The date the KB was last checked, and a warning when that is long ago."""
    on = law.kb_checked_on()
    if en:
        line = f"KB checked against promulgations up to {on}"
        stale = f" (more than {law.STALE_AFTER_DAYS} days ago: later changes may be missing)"
    else:
        line = f"지식베이스 확인 기준일: {on} (이날까지 공포된 법령)"
        stale = f" ({law.STALE_AFTER_DAYS}일이 넘었습니다: 이후 개정이 빠졌을 수 있습니다)"
    print(line + (stale if law.kb_is_stale(date.today(), on) else ""))


def _search(args: argparse.Namespace) -> int:
    hits = law.search_law(args.query, args.in_lang)
    if args.json:
        print_json({"kb_checked": _checked(), "hits": [h.as_json() for h in hits]})
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
            "kb_checked": _checked(),
            "provision": args.provision,
            "date": args.date,
            "version": version.model_dump(mode="json") if version else None,
        }
    else:
        data = {"kb_checked": _checked(), **provision.model_dump(mode="json")}
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
        print_json({"kb_checked": _checked(), **result.as_json()})
        return 0
    print(f"{result.from_version} -> {result.to_version}")
    for c in result.changes:
        where = f"para {c.paragraph}: " if c.paragraph else ""
        print(f"  {where}{c.field}: {c.old!r} -> {c.new!r}")
    return 0


def _timeline(args: argparse.Namespace) -> int:
    table = law.conduct_timeline(args.victim, args.material)
    if args.json:
        print_json({"kb_checked": _checked(), **table.as_json()})
        return 0
    print("conduct".ljust(11) + " ".join(d.isoformat() for d in table.dates))
    for conduct, cells in table.rows.items():
        marks = " ".join(("X" if c.criminal else "-").center(10) for c in cells)
        print(conduct.ljust(11) + marks)
    return 0


def _amendments(args: argparse.Namespace) -> int:
    items = law.amendments()
    if args.json:
        print_json(
            {"kb_checked": _checked(), "amendments": [a.model_dump(mode="json") for a in items]}
        )
        return 0
    for a in items:
        last = a.history[-1]
        print(f"{last.date}  {a.status:11} {a.id:32} {a.title.en}")
    return 0


def _check(args: argparse.Namespace) -> int:
    errors = [*check_kb(), *check_sources()]
    for error in errors:
        print(str(error), file=sys.stderr)
    if not errors:
        print("KB ok")
    return 1 if errors else 0


def _watch(args: argparse.Namespace) -> int:
    from pathlib import Path

    from casebook.law.watch import watch

    found = watch(Path(args.path))
    if args.json:
        print_json({"kb_checked": _checked(), "new": [p.as_json() for p in found]})
        return 1 if found else 0
    en = args.lang == "en"
    for p in found:
        arts = ", ".join(p.articles)
        if en:
            print(
                f"{p.law}: Act {p.act_no}, promulgated {p.promulgated}, in force "
                f"{p.in_force or '?'}; articles {arts}; commit {p.commit}"
            )
        else:
            print(
                f"{p.law}: 법률 제{p.act_no}호, 공포 {p.promulgated}, 시행 {p.in_force or '?'}; "
                f"조문 {arts}; 커밋 {p.commit}"
            )
    if not found:
        print(
            "nothing new since each law's checked date"
            if en
            else "각 법령의 확인 기준일 이후 새 공포가 없습니다"
        )
    return 1 if found else 0
