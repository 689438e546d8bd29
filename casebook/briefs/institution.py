"""Institution report, for a university or school: what was reported there, what the law
says, and the actions asked of the institution (education, a reporting channel, victim
support), with sources. Cases appear as structured facts only, never names or summaries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from casebook.access.permissions import require
from casebook.briefs import common
from casebook.briefs.advocacy_data import SCHOOL_KINDS
from casebook.briefs.common import lab, penalty_text, tr
from casebook.briefs.model import Document, clean
from casebook.briefs.render import render
from casebook.errors import NotFound
from casebook.law.engine import law_of, version_on
from casebook.law.load import load_kb
from db.models import Incident, IncidentConduct, IncidentInstitution, Institution, User

MAX_CASES = 200
# Duties and support the report cites (ids in kb/korea); schools add the school-violence act.
DUTY_PROVISIONS = (
    "sexual-violence-prevention-act:3",
    "sexual-violence-prevention-act:7-3",
    "network-act:44-9",
    "telecom-business-act:22-5",
)
SCHOOL_PROVISIONS = ("school-violence-act:2",)
ACTIONS = ("education", "channel", "support")


@dataclass
class InstitutionData:
    institution: dict[str, Any]
    cases: list[dict[str, Any]]
    total: int
    as_of: date


def collect_institution(
    session: Session, *, actor: User | None, institution_id: int, as_of: date
) -> InstitutionData:
    """The institution and its incidents (newest first, at most MAX_CASES in the table)."""
    require(actor, "brief.institution")
    inst = session.get(Institution, institution_id)
    if inst is None:
        raise NotFound()
    linked = select(IncidentInstitution.incident_id).where(
        IncidentInstitution.institution_id == institution_id
    )
    # A university in a wave can have tens of thousands of incidents: count them in the
    # database and load only the rows the table shows.
    total = session.exec(
        select(func.count()).where(col(IncidentInstitution.institution_id) == institution_id)
    ).one()
    incidents = session.exec(
        select(Incident)
        .where(col(Incident.id).in_(linked))
        .order_by(col(Incident.reported_on).desc(), col(Incident.id).desc())
        .limit(MAX_CASES)
    ).all()
    conducts: dict[int, list[str]] = defaultdict(list)
    for incident_id, conduct in session.exec(
        select(IncidentConduct.incident_id, IncidentConduct.conduct).where(
            col(IncidentConduct.incident_id).in_([inc.id for inc in incidents])
        )
    ):
        conducts[incident_id].append(conduct)
    cases = [
        {
            "id": inc.id,
            "reported_on": inc.reported_on,
            "occurred_on": inc.occurred_on,
            "status": inc.status,
            "platform": inc.platform,
            "victims": inc.victims_count,
            "minors": inc.victims_minor,
            "suspects": inc.suspects_count,
            "conducts": common.ordered_conducts(conducts[inc.id]),
        }
        for inc in incidents
    ]
    return InstitutionData(
        institution={"id": inst.id, "name": inst.name, "kind": inst.kind, "region": inst.region},
        cases=cases,
        total=total,
        as_of=as_of,
    )


def institution_document(data: InstitutionData, *, lang: str, generated_at: datetime) -> Document:
    """The institution report as data, for any format."""
    t, m = tr(lang), common.meta(generated_at)
    inst = data.institution
    name = clean(inst["name"], 200)
    brief = common.begin(
        lang,
        m,
        t("inst.title"),
        name,
        [
            [t("name"), name],
            [t("kind"), lab("institution_kind", inst["kind"], lang)],
            [t("region"), lab("region", inst["region"], lang)],
            [t("inst.count"), f"{data.total:,}"],
        ],
        t("marking"),
    )
    _reported(brief, data, t, lang)
    _law(brief, data, t, lang)
    _actions(brief, data, t, lang)
    common.kb_checked_note(brief, t)
    brief.sources(t("sources"))
    return brief.document(title=t("inst.title"), author=m.org_name, when=generated_at)


def build_institution_report(
    data: InstitutionData, *, lang: str, generated_at: datetime, fmt: str = "docx"
) -> bytes:
    """The institution report as .docx or .hwpx bytes (``fmt``)."""
    return render(institution_document(data, lang=lang, generated_at=generated_at), fmt)


def _reported(brief, data: InstitutionData, t, lang: str) -> None:
    brief.heading(t("inst.reported"), 1)
    victims = sum(c["victims"] or 0 for c in data.cases)
    minors = sum(c["minors"] for c in data.cases)
    brief.para(
        t("inst.reported_text", n=f"{data.total:,}", victims=f"{victims:,}", minors=f"{minors:,}")
    )
    rows = [
        [
            c["reported_on"].isoformat(),
            lab("status", c["status"], lang),
            lab("platform", c["platform"], lang),
            ", ".join(lab("conduct", x, lang) for x in c["conducts"]),
            "—" if c["victims"] is None else f"{c['victims']:,}",
            f"{c['minors']:,}",
        ]
        for c in data.cases
    ]
    brief.table(
        [
            t("f.reported_on"),
            t("f.status"),
            t("f.platform"),
            t("f.conducts"),
            t("col.victims"),
            t("col.minors"),
        ],
        rows or [[t("none")] + [""] * 5],
    )
    if data.total > len(data.cases):
        brief.para(t("inst.more", n=data.total - len(data.cases)), italic=True)


def _victims(data: InstitutionData) -> list[str]:
    school = data.institution["kind"] in SCHOOL_KINDS
    minors = school or any(c["minors"] for c in data.cases)
    adults = not school or any((c["victims"] or 0) > c["minors"] for c in data.cases)
    return [v for v, on in (("adult", adults), ("minor", minors)) if on]


def _law(brief, data: InstitutionData, t, lang: str) -> None:
    brief.heading(t("inst.law", on=data.as_of.isoformat()), 1)
    conducts = common.ordered_conducts(sorted({x for c in data.cases for x in c["conducts"]}))
    rows = []
    for conduct in conducts or ["create", "distribute", "possess", "view"]:
        for victim in _victims(data):
            res = common.law_on(conduct, victim, data.as_of)
            who = f"{lab('conduct', conduct, lang)} / {lab('victim', victim, lang)}"
            if not res.criminal:
                rows.append([who, t("not_criminal"), ""])
            for p in res.provisions:
                note = brief.cite(common.source_text(p.source, lang))
                rows.append(
                    [
                        who,
                        f"{p.law if lang == 'ko' else p.law_en} "
                        f"{p.article if lang == 'ko' else p.article_en} [{note}]",
                        penalty_text(
                            p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw, lang
                        ),
                    ]
                )
    brief.table([t("conduct_victim"), t("provision"), t("penalty")], rows, widths=[4, 7, 5.5])
    brief.heading(t("inst.duties"), 2)
    ids = DUTY_PROVISIONS + (SCHOOL_PROVISIONS if data.institution["kind"] in SCHOOL_KINDS else ())
    for pid in ids:
        if pid not in load_kb().provision_by_id:
            continue
        v = version_on(pid, data.as_of)
        if v is None:
            continue
        lawfile, p = law_of(pid), load_kb().provision_by_id[pid]
        note = brief.cite(common.source_text(v.source.model_dump(mode="json"), lang))
        head = (
            f"{lawfile.short_ko} {p.article} ({p.title.ko})"
            if lang == "ko"
            else f"{lawfile.short_en} {p.article_en} ({p.title.en})"
        )
        brief.bullet(f"{head}: {v.summary.ko if lang == 'ko' else v.summary.en}", note=note)


def _actions(brief, data: InstitutionData, t, lang: str) -> None:
    brief.heading(t("inst.actions"), 1)
    school = data.institution["kind"] in SCHOOL_KINDS
    for n, action in enumerate(ACTIONS, start=1):
        brief.heading(f"{n}. {t(f'inst.action.{action}')}", 2)
        brief.para(
            t(f"inst.action.{action}_text" + ("_school" if school else ""), n=f"{data.total:,}")
        )
