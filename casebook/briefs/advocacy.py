"""Legislative advocacy brief, for lawmakers and ministries: a one-page summary, national
and tracked figures with charts, vignettes, gaps, amendments, recommendations backed by
figures, the comparison abroad, and sources. Pure: data in, bytes out."""

from __future__ import annotations

from datetime import datetime

from casebook.analytics import charts as dashboard_charts
from casebook.briefs import common
from casebook.briefs.advocacy_data import AdvocacyData
from casebook.briefs.charts import Chart, Column, Pivot, insert, make_chart
from casebook.briefs.common import lab, penalty_text, tr
from casebook.briefs.model import Brief, Document
from casebook.briefs.render import render
from casebook.law import engine as law
from casebook.law.foreign import foreign_provisions

STATUS_GROUPS = {
    "in_force": ("in_force",),
    "passed": ("passed", "promulgated"),
    "pending": ("proposed", "committee"),
    "closed": ("discarded", "merged"),
}
VIEWING = ("possess", "purchase", "store", "view")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def charts(data: AdvocacyData, lang: str, render: bool = True) -> list[Chart]:
    """The brief's six charts: the Statistics page's and the Dashboard page's own figure
    functions over the same series, each also as a data table (the fallback)."""
    t = tr(lang)
    d, figures, n = data.dashboard, dashboard_charts, t("col.incidents")
    specs = [
        (
            figures.figure_national_cases,
            data.national_cases,
            [
                Column("year", t("col.year"), "text"),
                Column("series", t("col.source"), "text"),
                Column("value", t("col.cases")),
            ],
        ),
        (
            figures.figure_by_month,
            d.by_month,
            Pivot(
                Column("month", t("col.month"), "text"),
                Column("kind", t("col.kind"), "institution_kind"),
                "count",
            ),
        ),
        (
            figures.figure_by_region,
            d.by_region,
            [Column("region", t("col.region"), "region"), Column("count", n)],
        ),
        (
            figures.figure_by_conduct,
            d.by_conduct,
            [Column("conduct", t("col.conduct"), "conduct"), Column("count", n)],
        ),
        (
            figures.figure_age_bands,
            d.age_bands,
            [
                Column("band", t("col.age_band"), "age_band"),
                Column("suspects", t("col.suspects")),
                Column("tracked_pct", t("col.tracked_pct")),
                Column("national_pct", t("col.national_pct")),
            ],
        ),
        (
            figures.figure_funnel,
            d.funnel,
            [Column("stage", t("col.status"), "status"), Column("count", n)],
        ),
    ]
    return [make_chart(fn, rows, lang, cols, render=render) for fn, rows, cols in specs]


def advocacy_document(
    data: AdvocacyData,
    *,
    lang: str,
    generated_at: datetime,
    render_charts: bool = True,
) -> Document:
    """The advocacy brief as data, for any format."""
    t, m = tr(lang), common.meta(generated_at)
    f = data.filters
    scope = t("adv.scope", start=f.get("date_from") or "…", end=f.get("date_to") or "…")
    extra = ", ".join(f"{k}={v}" for k, v in sorted(f.items()) if k not in ("date_from", "date_to"))
    brief = common.begin(
        lang,
        m,
        t("adv.title"),
        scope,
        [
            [t("adv.period"), scope],
            [t("adv.filters"), extra or t("none")],
        ],
        t("marking_public"),
    )
    recs = recommendations(data, lang)
    _summary(brief, data, recs, t)
    figures = charts(data, lang, render_charts)
    _national(brief, data, figures[0], t, lang)
    _tracked(brief, data, figures[1:], t, lang)
    _vignettes(brief, data, t, lang)
    _gaps(brief, data, t, lang)
    _amendments(brief, t, lang)
    _recommendations(brief, recs, t)
    _foreign(brief, t, lang)
    common.kb_checked_note(brief, t)
    brief.sources(t("sources"))
    return brief.document(title=t("adv.title"), author=m.org_name, when=generated_at)


def build_advocacy_brief(
    data: AdvocacyData,
    *,
    lang: str,
    generated_at: datetime,
    fmt: str = "docx",
    render_charts: bool = True,
) -> bytes:
    """The advocacy brief as .docx or .hwpx bytes (``fmt``)."""
    return render(
        advocacy_document(data, lang=lang, generated_at=generated_at, render_charts=render_charts),
        fmt,
    )


def _summary(brief: Brief, data: AdvocacyData, recs: list, t) -> None:
    tot = data.totals
    brief.heading(t("adv.summary"), 1)
    brief.para(
        t(
            "adv.summary_text",
            n=f"{tot['incidents']:,}",
            victims=f"{tot['victims']:,}",
            minors=_pct(tot["with_minor"], tot["incidents"]),
            gaps=_pct(tot["legal_gap"], tot["incidents"]),
            schools=_pct(tot["at_schools"], tot["incidents"]),
        )
    )
    brief.para(t("adv.key_asks"), bold=True)
    for title, _text, _rows in recs:
        brief.bullet(title)
    brief.page_break()


def _national(brief: Brief, data: AdvocacyData, chart: Chart, t, lang: str) -> None:
    brief.heading(t("adv.national"), 1)
    insert(brief, chart, t("none"))
    rows = []
    for f in data.national:
        note = brief.cite(f["source"])
        rows.append(
            [
                f["label_ko"] if lang == "ko" else f["label_en"],
                common.period(f["start"], f["end"], lang),
                f"{f['value']:,.1f}".removesuffix(".0") + f" ({t('unit.' + f['unit'])})",
                f"[{note}]" + ("" if f["verified"] else f" {t('unverified')}"),
            ]
        )
    brief.table(
        [t("col.metric"), t("col.period"), t("col.value"), t("col.source")],
        rows,
        widths=[6.5, 4.5, 3, 2.5],
    )


def _tracked(brief: Brief, data: AdvocacyData, figures: list[Chart], t, lang: str) -> None:
    brief.heading(t("adv.tracked"), 1)
    brief.para(t("adv.tracked_note"), italic=True)
    for chart in figures:
        brief.heading(chart.title, 2)
        insert(brief, chart, t("none"))
    brief.heading(t("adv.aggregates"), 2)
    for name in ("kind", "region", "month"):
        group = {"kind": "institution_kind", "region": "region"}.get(name)
        rows = [
            [lab(group, k or None, lang) if group else k, f"{n:,}", f"{v:,}"]
            for k, n, v in data.by[name]
        ]
        brief.heading(t(f"adv.by_{name}"), 3)
        brief.table(
            [t(f"col.{name}"), t("col.incidents"), t("col.victims")], rows or [[t("none"), "", ""]]
        )


def _vignettes(brief: Brief, data: AdvocacyData, t, lang: str) -> None:
    brief.heading(t("adv.vignettes"), 1)
    brief.para(t("adv.vignettes_note"), italic=True)
    for v in data.vignettes:
        ages = ", ".join(f"{lab('age_band', k, lang)} {n}" for k, n in v["ages"].items())
        brief.bullet(
            t(
                "adv.vignette",
                month=v["month"],
                kind=lab("institution_kind", v["kind"], lang),
                region=lab("region", v["region"], lang),
                platform=lab("platform", v["platform"], lang),
                victims=v["victims"] if v["victims"] is not None else "—",
                minors=v["minors"],
                suspects=v["suspects"] if v["suspects"] is not None else "—",
                ages=ages or "—",
                status=lab("status", v["status"], lang),
                conducts=", ".join(lab("conduct", c, lang) for c in v["conducts"]) or "—",
                obstacles=", ".join(lab("obstacle", o, lang) for o in v["obstacles"]) or "—",
            )
        )


def _gaps(brief: Brief, data: AdvocacyData, t, lang: str) -> None:
    brief.heading(t("adv.gaps"), 1)
    rows = [[t("gap.flagged"), f"{data.totals['legal_gap']:,}"]]
    rows += [[t(f"gap.{g}"), f"{n:,}"] for g, n in sorted(data.link_gaps.items())]
    rows += [
        [t("gap.not_criminal_conduct", conduct=lab("conduct", c, lang)), f"{n:,}"]
        for c, n in data.not_criminal_then.items()
    ]
    rows += [[lab("obstacle", o, lang), f"{n:,}"] for o, n in data.obstacles.items()]
    brief.table([t("subject"), t("col.incidents")], rows, widths=[12, 4])


def _amendments(brief: Brief, t, lang: str) -> None:
    brief.heading(t("adv.amendments"), 1)
    items = law.amendments()
    names = {f.law: f.short_ko if lang == "ko" else f.short_en for f in law.laws()}
    for group, statuses in STATUS_GROUPS.items():
        rows = []
        for a in items:
            if a.status not in statuses:
                continue
            note = brief.cite(common.source_text(a.source.model_dump(mode="json"), lang))
            rows.append(
                [
                    (a.title.ko if lang == "ko" else a.title.en) + f" [{note}]",
                    names.get(a.law, a.law),
                    a.bill_no or a.statute_no or "",
                    lab("amendment_status", a.status, lang),
                    a.history[-1].date.isoformat(),
                ]
            )
        brief.heading(t(f"adv.amend_{group}"), 2)
        brief.table(
            [t("col.bill"), t("col.law"), t("col.number"), t("col.status"), t("date")],
            rows or [[t("none"), "", "", "", ""]],
            widths=[7, 3, 2.5, 2, 2.5],
        )


def recommendations(data: AdvocacyData, lang: str) -> list[tuple[str, str, list[list[str]]]]:
    """Each recommendation with the figures from the data that back it."""
    t, tot = tr(lang), data.totals
    conducts = dict(data.conducts)
    viewing = sum(conducts.get(c, 0) for c in VIEWING)
    view_now = common.law_on("view", "adult", data.as_of)
    top = max(view_now.provisions, key=lambda p: p.prison_max_years or 0, default=None)
    nat = {f["metric"]: f for f in data.national}  # last figure of each metric (by period)
    ages = data.age_bands
    teen = ages.get("under14", 0) + ages.get("14to19", 0)
    obst = data.obstacles
    duties = [p for p in foreign_provisions() if p.platform_duty_en]
    fig = lambda m: f"{nat[m]['value']:,.0f} ({nat[m]['end'].year})" if m in nat else "—"  # noqa: E731
    return [
        (
            t("rec.possession"),
            t("rec.possession_text"),
            [
                [t("rec.f.viewing_incidents"), f"{viewing:,}"],
                [
                    t("rec.f.not_criminal_then"),
                    f"{sum(data.not_criminal_then.get(c, 0) for c in VIEWING):,}",
                ],
                [
                    t("rec.f.view_penalty_now"),
                    penalty_text(
                        top.prison_min_years, top.prison_max_years, top.life, top.fine_max_krw, lang
                    )
                    if top
                    else t("not_criminal"),
                ],
            ],
        ),
        (
            t("rec.undercover"),
            t("rec.undercover_text"),
            [
                [t("rec.f.adult_incidents"), f"{tot['incidents'] - tot['with_minor']:,}"],
                [t("rec.f.unidentified"), f"{obst.get('suspect_unidentified', 0):,}"],
                [t("rec.f.server_abroad"), f"{obst.get('server_abroad', 0):,}"],
            ],
        ),
        (
            t("rec.platform"),
            t("rec.platform_text"),
            [
                [t("rec.f.uncooperative"), f"{obst.get('platform_uncooperative', 0):,}"],
                [
                    t("rec.f.takedowns"),
                    ", ".join(
                        f"{lab('takedown_outcome', k, lang)} {v:,}"
                        for k, v in sorted(data.takedowns.items())
                    )
                    or "—",
                ],
                [t("rec.f.kcsc"), fig("kcsc_deepfake_correction_requests")],
                [t("rec.f.foreign_duties"), f"{len(duties)}"],
            ],
        ),
        (
            t("rec.schools"),
            t("rec.schools_text"),
            [
                [
                    t("rec.f.at_schools"),
                    f"{tot['at_schools']:,} ({_pct(tot['at_schools'], tot['incidents'])})",
                ],
                [t("rec.f.teen_suspects"), f"{teen:,} ({_pct(teen, sum(ages.values()))})"],
                [t("rec.f.school_reports"), fig("school_deepfake_reports")],
                [
                    t("rec.f.teen_share"),
                    (
                        f"{nat['suspects_teen_share']['value']:.1f}%"
                        if "suspects_teen_share" in nat
                        else "—"
                    ),
                ],
            ],
        ),
    ]


def _recommendations(brief: Brief, recs: list, t) -> None:
    brief.heading(t("adv.recommendations"), 1)
    for n, (title, text, rows) in enumerate(recs, start=1):
        brief.heading(f"{n}. {title}", 2)
        brief.para(text)
        brief.table([t("rec.figure"), t("col.value")], rows, widths=[11, 5.5])


def _foreign(brief: Brief, t, lang: str) -> None:
    brief.heading(t("adv.foreign"), 1)
    rows = [foreign_row(brief, p, lang) for p in foreign_provisions()]
    brief.table(
        [
            t("col.jurisdiction"),
            t("col.instrument"),
            t("col.conducts"),
            t("col.penalty"),
            t("col.platform_duty"),
            t("col.status"),
        ],
        rows,
        widths=[2.2, 3.8, 3, 3, 3, 2],
    )


def foreign_row(brief: Brief, p, lang: str) -> list[str]:
    """One foreign provision as a table row, its source cited."""
    note = brief.cite(f"{p.source.citation} — {p.source.url} ({p.source.checked_on})")
    ko = lang == "ko"
    status = lab("foreign_status", p.status, lang)
    if p.in_force_from:
        status += f" ({p.in_force_from})"
    return [
        p.jurisdiction_ko if ko else p.jurisdiction_en,
        f"{p.instrument} {p.section} [{note}]",
        ", ".join(lab("conduct", c, lang) for c in p.conducts)
        + f" / {lab('victim', p.victim_scope, lang)}",
        p.penalty_ko if ko else p.penalty_en,
        (p.platform_duty_ko if ko else p.platform_duty_en) or "—",
        status,
    ]
