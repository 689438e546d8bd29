"""The law engine: which Korean provisions applied to conduct C against victim V on date D.

One question, asked by the law library, incident linking, dashboards, briefs and the
CLI. The knowledge base is YAML under kb/korea/, loaded once (casebook.law.load).
Version ids such as ``sexual-crimes-act:14-2@2024-10-16`` are stable: incidents store them.
This module never imports streamlit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from casebook.law.answers import (
    Applicability,
    FieldChange,
    LaterChange,
    LawQueryError,
    ProvisionAt,
    SearchHit,
    SpanApplicability,
    SpanPart,
    Timeline,
    TimelineCell,
    VersionDiff,
)
from casebook.law.load import load_kb
from casebook.law.schema import (
    MATERIALS,
    Amendment,
    BodyName,
    LawFile,
    Paragraph,
    Provision,
    Version,
)
from casebook.vocab import CONDUCTS, VICTIMS

__all__ = [
    "LawQueryError",
    "Applicability",
    "ProvisionAt",
    "SearchHit",
    "applicable_law",
    "applicable_span",
    "CONTINUING_CONDUCTS",
    "search_law",
    "get_provision",
    "version_on",
    "get_version",
    "diff_versions",
    "conduct_timeline",
    "amendments",
    "laws",
    "law_of",
    "body_name",
    "body_names_on",
    "kb_checked_on",
    "kb_is_stale",
    "STALE_AFTER_DAYS",
]

# Before this date the KB lacks earlier versions of some general provisions (Criminal Act
# Art. 324, Network Act Art. 74), so tables start here; see docs/kb.md.
COVERAGE_FROM = date(2016, 1, 6)
# Conducts that last (a state, not a single act): the law of each day of the span applies.
CONTINUING_CONDUCTS = ("possess", "store", "view")
# The law page warns when the knowledge base was last checked longer ago than this.
STALE_AFTER_DAYS = 90
LIFE_NOTE = {"ko": "무기징역도 선고할 수 있음", "en": "Life imprisonment is also possible"}


def _check_query(conduct: str, victim: str, material: str) -> None:
    if conduct not in CONDUCTS:
        raise LawQueryError(
            f"알 수 없는 행위: {conduct} (가능: {', '.join(CONDUCTS)})",
            f"unknown conduct: {conduct} (one of: {', '.join(CONDUCTS)})",
        )
    if victim not in VICTIMS:
        raise LawQueryError(
            f"알 수 없는 피해자 구분: {victim} (adult 또는 minor)",
            f"unknown victim: {victim} (adult or minor)",
        )
    if material not in MATERIALS:
        raise LawQueryError(f"알 수 없는 자료 종류: {material}", f"unknown material: {material}")


def _covers(par: Paragraph, conduct: str, victim: str, material: str) -> bool:
    return (
        conduct in par.conducts
        and par.victims in ("any", victim)
        and ("any" in par.materials or material in par.materials)
    )


def _offences() -> list[Provision]:
    return [p for p in load_kb().provision_by_id.values() if p.kind == "offence"]


def law_of(provision_id: str) -> LawFile:
    """The statute a provision belongs to."""
    get_provision(provision_id)
    return load_kb().law_of_provision[provision_id]


def _article(p: Provision, par: Paragraph) -> tuple[str, str]:
    if not par.para.isdigit() or "항" in p.article or "호" in p.article:
        return p.article, p.article_en
    return f"{p.article} 제{par.para}항", f"{p.article_en}({par.para})"


def _provision_at(p: Provision, v: Version, par: Paragraph) -> ProvisionAt:
    law = law_of(p.id)
    pen = par.penalty
    assert pen is not None  # offence paragraphs always carry a penalty (schema)
    reqs = [r.model_dump() for r in par.requirements] + ([LIFE_NOTE] if pen.life else [])
    ko, en = _article(p, par)
    return ProvisionAt(
        law=law.name_ko,
        law_en=law.name_en,
        article=ko,
        article_en=en,
        provision_id=p.id,
        version_id=v.id,
        paragraph=par.para,
        in_force_from=v.in_force_from,
        in_force_to=v.in_force_to,
        prison_min_years=pen.prison_min_years,
        prison_max_years=None if pen.life else pen.prison_max_years,
        life=pen.life,
        fine_max_krw=pen.fine_max_krw,
        requirements=reqs,
        aggravations=[a.model_dump() for a in pen.aggravations],
        summary_ko=f"{par.summary.ko} — {v.summary.ko}",
        summary_en=f"{par.summary.en} — {v.summary.en}",
        source=v.source.model_dump(mode="json"),
        verified=v.verified,
    )


def _penalty_json(v: Version, conduct: str, victim: str, material: str) -> dict[str, Any] | None:
    pars = [par for par in v.paragraphs if _covers(par, conduct, victim, material)]
    if not pars:
        return None
    pen = max((par.penalty for par in pars if par.penalty), key=_severity)
    return pen.model_dump(mode="json", exclude={"aggravations"})


def _severity(pen: Any) -> tuple[bool, float, int]:
    return (pen.life, pen.prison_max_years or 0, pen.fine_max_krw or 0)


def _later(on: date, conduct: str, victim: str, material: str) -> list[LaterChange]:
    out = []
    for p in _offences():
        relevant = any(
            _covers(par, conduct, victim, material) for v in p.versions for par in v.paragraphs
        )
        if not relevant:
            continue
        for v in p.versions:
            if v.in_force_from <= on:
                continue
            pen = _penalty_json(v, conduct, victim, material)
            what = v.changes or v.summary
            out.append(
                LaterChange(v.in_force_from, p.id, v.id, what.ko, what.en, pen is not None, pen)
            )
    return sorted(out, key=lambda c: (c.date, c.version_id))


def applicable_law(
    conduct: str, victim: str, on: date, material: str = "deepfake"
) -> Applicability:
    """Which offence provisions covered ``conduct`` against ``victim`` on ``on``.

    ``material`` defaults to deepfakes, the subject of Casebook; pass "filmed" for real
    recordings. Raises LawQueryError for an unknown conduct, victim or material.
    """
    _check_query(conduct, victim, material)
    if isinstance(on, datetime):
        on = on.date()
    if not isinstance(on, date):
        raise LawQueryError("날짜가 올바르지 않습니다", "date must be a date")
    hits = [
        _provision_at(p, v, par)
        for p in _offences()
        for v in p.versions
        if v.in_force_on(on)
        for par in v.paragraphs
        if _covers(par, conduct, victim, material)
    ]
    return Applicability(
        conduct,
        victim,
        on,
        bool(hits),
        hits,
        _later(on, conduct, victim, material),
        material,
        kb_checked_on(),
    )


def applicable_span(
    conduct: str, victim: str, start: date, end: date, material: str = "deepfake"
) -> SpanApplicability:
    """Which part of the span ``start``..``end`` (inclusive) was an offence, and under which
    provision versions: the span is cut at every date on which a relevant version began or
    ended, and consecutive stretches with the same versions are merged."""
    _check_query(conduct, victim, material)
    if end < start:
        raise LawQueryError(
            f"기간의 끝({end})이 시작({start})보다 앞섭니다",
            f"the end of the span ({end}) is before its start ({start})",
        )
    cuts = {start}
    for p in _offences():
        for v in p.versions:
            if not any(_covers(par, conduct, victim, material) for par in v.paragraphs):
                continue
            for day in (v.in_force_from, v.in_force_to and v.in_force_to + timedelta(days=1)):
                if day and start < day <= end:
                    cuts.add(day)
    bounds = sorted(cuts)
    parts: list[SpanPart] = []
    for i, day in enumerate(bounds):
        last = bounds[i + 1] - timedelta(days=1) if i + 1 < len(bounds) else end
        res = applicable_law(conduct, victim, day, material)
        ids = sorted({x.version_id for x in res.provisions})
        if parts and sorted({x.version_id for x in parts[-1].provisions}) == ids:
            parts[-1] = SpanPart(parts[-1].start, last, parts[-1].criminal, parts[-1].provisions)
        else:
            parts.append(SpanPart(day, last, res.criminal, res.provisions))
    return SpanApplicability(
        conduct,
        victim,
        start,
        end,
        conduct in CONTINUING_CONDUCTS,
        parts,
        material,
        kb_checked_on(),
    )


def get_provision(provision_id: str) -> Provision:
    try:
        return load_kb().provision_by_id[provision_id]
    except KeyError:
        raise LawQueryError(
            f"없는 조항: {provision_id}", f"no such provision: {provision_id}"
        ) from None


def get_version(version_id: str) -> Version:
    try:
        return load_kb().version_by_id[version_id]
    except KeyError:
        raise LawQueryError(f"없는 판본: {version_id}", f"no such version: {version_id}") from None


def version_on(provision_id: str, on: date) -> Version | None:
    """The version of a provision in force on ``on``, or None if none was."""
    return next((v for v in get_provision(provision_id).versions if v.in_force_on(on)), None)


def _par_fields(par: Paragraph) -> dict[str, Any]:
    pen = par.penalty
    return {
        "conducts": list(par.conducts),
        "victims": par.victims,
        "materials": list(par.materials),
        "prison_min_years": pen.prison_min_years if pen else None,
        "prison_max_years": pen.prison_max_years if pen else None,
        "life": pen.life if pen else False,
        "fine_max_krw": pen.fine_max_krw if pen else None,
        "requirements": [r.ko for r in par.requirements],
        "summary_ko": par.summary.ko,
        "summary_en": par.summary.en,
    }


def _diff_paragraphs(old: Version | None, new: Version | None) -> list[FieldChange]:
    a = {par.para: _par_fields(par) for par in (old.paragraphs if old else [])}
    b = {par.para: _par_fields(par) for par in (new.paragraphs if new else [])}
    out = []
    for para in sorted(set(a) | set(b), key=lambda s: (len(s), s)):
        fa, fb = a.get(para, {}), b.get(para, {})
        for key in fb.keys() | fa.keys():
            if fa.get(key) != fb.get(key):
                out.append(FieldChange(key, para, fa.get(key), fb.get(key)))
    return sorted(out, key=lambda c: (len(c.paragraph or ""), c.paragraph or "", c.field))


def diff_versions(provision_id: str, d1: date, d2: date) -> VersionDiff:
    """Field-level differences between the versions in force on ``d1`` and ``d2``."""
    old, new = version_on(provision_id, d1), version_on(provision_id, d2)
    changes = []
    for key in ("ko", "en"):
        sa = getattr(old.summary, key) if old else None
        sb = getattr(new.summary, key) if new else None
        if sa != sb:
            changes.append(FieldChange(f"summary_{key}", None, sa, sb))
    changes += _diff_paragraphs(old, new)
    return VersionDiff(provision_id, old.id if old else None, new.id if new else None, changes)


def _change_dates() -> list[date]:
    days = {COVERAGE_FROM}
    for p in _offences():
        for v in p.versions:
            days.add(v.in_force_from)
            if v.in_force_to:
                days.add(v.in_force_to + timedelta(days=1))
    return sorted(d for d in days if d >= COVERAGE_FROM)


def _cell(conduct: str, victim: str, on: date, material: str) -> TimelineCell:
    res = applicable_law(conduct, victim, on, material)
    top = max(res.provisions, key=lambda p: (p.life, p.prison_max_years or 0), default=None)
    fines = [p.fine_max_krw for p in res.provisions if p.fine_max_krw]
    return TimelineCell(
        on,
        res.criminal,
        top.prison_max_years if top else None,
        top.prison_min_years if top else None,
        bool(top and top.life),
        max(fines) if fines else None,
        sorted({p.version_id for p in res.provisions}),
    )


def conduct_timeline(victim: str, material: str = "deepfake") -> Timeline:
    """For every date the law changed: each conduct's criminality and heaviest penalty."""
    _check_query(CONDUCTS[0], victim, material)
    dates = _change_dates()
    rows = {c: [_cell(c, victim, d, material) for d in dates] for c in CONDUCTS}
    return Timeline(victim, material, dates, rows)


def amendments() -> list[Amendment]:
    """Every bill and amendment, newest first."""
    return sorted(load_kb().amendments, key=lambda a: a.history[-1].date, reverse=True)


def laws() -> list[LawFile]:
    return list(load_kb().laws)


def search_law(query: str, lang: str | None = None) -> list[SearchHit]:
    """Substring search in Korean and English (1- and 2-syllable words work)."""
    from casebook.law.search import search

    if lang not in (None, "ko", "en"):
        raise LawQueryError(
            f"검색 언어는 ko 또는 en: {lang}", f"search language is ko or en: {lang}"
        )
    return search(query, lang)


def body_name(body_id: str, on: date) -> BodyName:
    """The name a commission or ministry bore on ``on`` (e.g. kcsc: 방송통신심의위원회 until
    2025-09-30, 방송미디어통신심의위원회 from 2025-10-01)."""
    body = load_kb().bodies.get(body_id)
    if body is None:
        raise LawQueryError(f"없는 기관: {body_id}", f"no such body: {body_id}")
    name = body.name_on(on)
    if name is None:
        raise LawQueryError(
            f"{on}에는 {body_id} 기관 이름이 입력되어 있지 않습니다",
            f"no name of {body_id} is entered for {on}",
        )
    return name


def kb_checked_on() -> date:
    """The date up to which every statute's promulgations were reviewed (the oldest law's)."""
    return min(x.checked for x in load_kb().laws)


def kb_is_stale(today: date, checked: date | None = None) -> bool:
    """True when the KB was last checked more than STALE_AFTER_DAYS before ``today``."""
    return (today - (checked or kb_checked_on())).days > STALE_AFTER_DAYS


def body_names_on(on: date) -> list[BodyName]:
    """The name each renamed body bore on ``on`` (bodies that did not exist yet are left out)."""
    names = (b.name_on(on) for b in load_kb().bodies.values())
    return [n for n in names if n is not None]
