"""Statute comparison memo: the versions of one provision side by side, what changed
between them, and the same conduct in other jurisdictions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from casebook.access.permissions import require
from casebook.briefs import common
from casebook.briefs.advocacy import foreign_row
from casebook.briefs.common import lab, penalty_text, tr
from casebook.briefs.model import Brief, Document
from casebook.briefs.render import render
from casebook.law.engine import diff_versions, get_provision, law_of
from casebook.law.foreign import foreign_provisions
from casebook.law.schema import Provision
from db.models import User

COLUMNS_PER_TABLE = 3


@dataclass
class CompareData:
    provision: Provision
    law_ko: str
    law_en: str


def collect_compare(*, actor: User | None, provision_id: str) -> CompareData:
    """The provision from the knowledge base (checks brief.compare; LawQueryError if unknown)."""
    require(actor, "brief.compare")
    p = get_provision(provision_id)
    lawfile = law_of(provision_id)
    return CompareData(p, lawfile.name_ko, lawfile.name_en)


def compare_document(data: CompareData, *, lang: str, generated_at: datetime) -> Document:
    """The comparison memo as data, for any format."""
    t, m, p = tr(lang), common.meta(generated_at), data.provision
    ko = lang == "ko"
    name = f"{data.law_ko if ko else data.law_en} {p.article if ko else p.article_en}"
    brief = common.begin(
        lang,
        m,
        t("cmp.title"),
        f"{name} — {p.title.ko if ko else p.title.en}",
        [
            [t("provision"), name],
            [t("cmp.id"), p.id],
            [t("cmp.versions"), str(len(p.versions))],
        ],
        t("marking_public"),
    )
    if p.history_note:
        brief.para(p.history_note.ko if ko else p.history_note.en)
    _side_by_side(brief, p, t, lang)
    _changes(brief, p, t, lang)
    _foreign(brief, p, t, lang)
    common.kb_checked_note(brief, t)
    brief.sources(t("sources"))
    return brief.document(title=t("cmp.title"), author=m.org_name, when=generated_at)


def build_compare_memo(
    data: CompareData, *, lang: str, generated_at: datetime, fmt: str = "docx"
) -> bytes:
    """The comparison memo as .docx or .hwpx bytes (``fmt``)."""
    return render(compare_document(data, lang=lang, generated_at=generated_at), fmt)


def _paragraph_text(par, lang: str) -> str:
    t = tr(lang)
    pen = par.penalty
    parts = [
        f"({par.para}) {par.summary.ko if lang == 'ko' else par.summary.en}",
        t(
            "cmp.covers",
            conducts=", ".join(lab("conduct", c, lang) for c in par.conducts) or "—",
            victims=lab("victim", par.victims, lang),
        ),
    ]
    if pen:
        parts.append(
            penalty_text(
                pen.prison_min_years, pen.prison_max_years, pen.life, pen.fine_max_krw, lang
            )
        )
    parts += [r.ko if lang == "ko" else r.en for r in par.requirements]
    return "\n".join(parts)


def _side_by_side(brief: Brief, p: Provision, t, lang: str) -> None:
    brief.heading(t("cmp.side_by_side"), 1)
    versions = list(p.versions)
    for start in range(0, len(versions), COLUMNS_PER_TABLE):
        chunk = versions[start : start + COLUMNS_PER_TABLE]
        notes = [
            brief.cite(common.source_text(v.source.model_dump(mode="json"), lang)) for v in chunk
        ]
        header = [t("field")] + [f"{v.id} [{n}]" for v, n in zip(chunk, notes, strict=True)]
        rows = [
            [t("in_force")] + [common.period(v.in_force_from, v.in_force_to, lang) for v in chunk],
            [t("cmp.amended_by")] + [v.amended_by or "" for v in chunk],
            [t("cmp.summary")] + [v.summary.ko if lang == "ko" else v.summary.en for v in chunk],
            [t("cmp.paragraphs")]
            + ["\n\n".join(_paragraph_text(x, lang) for x in v.paragraphs) for v in chunk],
            [t("cmp.verified")]
            + [t("yes") if v.verified else f"{t('no_')}: {v.verification_note}" for v in chunk],
        ]
        brief.table(header, rows)


def _changes(brief: Brief, p: Provision, t, lang: str) -> None:
    brief.heading(t("cmp.changes"), 1)
    for old, new in zip(p.versions, p.versions[1:], strict=False):
        brief.heading(f"{old.in_force_from} → {new.in_force_from}", 2)
        if new.changes:
            brief.para(new.changes.ko if lang == "ko" else new.changes.en)
        diff = diff_versions(p.id, old.in_force_from, new.in_force_from)
        other = "_en" if lang == "ko" else "_ko"
        rows = [
            [
                t(f"cmp.f.{c.field}") + (f" ({c.paragraph})" if c.paragraph else ""),
                _show(c.old),
                _show(c.new),
            ]
            for c in diff.changes
            if not c.field.endswith(other)
        ]
        brief.table(
            [t("field"), t("cmp.before"), t("cmp.after")],
            rows or [[t("none"), "", ""]],
            widths=[3.5, 6.5, 6.5],
        )
    if len(p.versions) == 1:
        brief.para(t("cmp.one_version"))


def _show(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10000:
        return f"{value:,}"
    return str(value)


def _foreign(brief: Brief, p: Provision, t, lang: str) -> None:
    brief.heading(t("cmp.foreign"), 1)
    conducts = {c for v in p.versions for par in v.paragraphs for c in par.conducts}
    brief.para(
        t(
            "cmp.foreign_note",
            conducts=", ".join(
                lab("conduct", c, lang) for c in common.ordered_conducts(sorted(conducts))
            )
            or "—",
        )
    )
    rows = [foreign_row(brief, f, lang) for f in foreign_provisions() if conducts & set(f.conducts)]
    brief.table(
        [
            t("col.jurisdiction"),
            t("col.instrument"),
            t("col.conducts"),
            t("col.penalty"),
            t("col.platform_duty"),
            t("col.status"),
        ],
        rows or [[t("none")] + [""] * 5],
        widths=[2.2, 3.8, 3, 3, 3, 2],
    )
