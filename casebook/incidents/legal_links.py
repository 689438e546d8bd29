"""Legal links: which provision versions applied to an incident's conduct, then and now.

On every save (casebook.incidents.store calls link_incident) the law engine is asked,
for each conduct and the victim group (minor if any victim is a minor, else adult),
which provisions applied on the date of the act (occurred_on, else reported_on) and
which apply today. The answers are stored as LegalLink rows with basis "then" / "now",
and the differences are flagged:

- ``not_criminal_then``: no provision covered the conduct then, one does now;
- ``penalty_raised``: the heaviest maximum penalty now exceeds the one then.

A lawyer confirms, removes or adds links with a note. Those decisions are kept on
re-save: only engine suggestions nobody has touched are recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlmodel import Session, col, delete, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.access.visibility import open_incident, redact, require_writable
from casebook.errors import InvalidInput, NotFound, StaleEdit
from casebook.law import engine as law
from casebook.law.answers import Applicability, LawQueryError, ProvisionAt
from casebook.textnorm import clean_text
from casebook.vocab import CONDUCTS, VICTIMS
from db.models import Incident, LegalLink, User, utcnow

BASES = ("then", "now")
STATES = ("suggested", "confirmed", "removed")
GAPS = ("not_criminal_then", "penalty_raised")
FIELDS = [
    "id",
    "incident_id",
    "conduct",
    "victim",
    "version_id",
    "basis",
    "gap",
    "origin",
    "state",
    "note",
]


@lru_cache(maxsize=4096)
def applicable_cached(conduct: str, victim: str, on: date) -> Applicability:
    # Cached: an import of thousands of incidents asks the same few questions.
    return law.applicable_law(conduct, victim, on)


def _severity(provisions: list[ProvisionAt]) -> tuple[bool, float, int]:
    return max(
        ((p.life, p.prison_max_years or 0.0, p.fine_max_krw or 0) for p in provisions),
        default=(False, 0.0, 0),
    )


def gap_between(then: Applicability, now: Applicability) -> str:
    """The gap flag of a conduct: how the law today differs from the law then."""
    if now.criminal and not then.criminal:
        return "not_criminal_then"
    if then.criminal and _severity(now.provisions) > _severity(then.provisions):
        return "penalty_raised"
    return ""


def victim_group(incident: Incident) -> str:
    return "minor" if incident.victims_minor > 0 or incident.has_minor else "adult"


def engine_links(incident: Incident, conducts: list[str], today: date | None = None) -> list:
    """The links the engine suggests for an incident, one per version, basis and conduct."""
    victim = victim_group(incident)
    on = incident.occurred_on or incident.reported_on
    out: dict[tuple, LegalLink] = {}
    for conduct in conducts:
        then = applicable_cached(conduct, victim, on)
        now = applicable_cached(conduct, victim, today or date.today())
        gap = gap_between(then, now)
        for basis, answer in (("then", then), ("now", now)):
            for prov in answer.provisions:
                key = (conduct, victim, prov.version_id, basis)
                flag = gap if basis == "now" else ""
                out.setdefault(
                    key,
                    LegalLink(
                        incident_id=incident.id,
                        conduct=conduct,
                        victim=victim,
                        version_id=prov.version_id,
                        basis=basis,
                        gap=flag,
                    ),
                )
    return list(out.values())


def links_for(conducts: tuple[str, ...], victim: str, on: date) -> tuple[list[tuple], bool]:
    """The engine's links for these conducts, victim group and date of the act, as
    (conduct, victim, version_id, basis, gap) tuples, and whether any flags a gap."""
    today = date.today()
    out: dict[tuple, tuple] = {}
    for conduct in conducts:
        then, now = (
            applicable_cached(conduct, victim, on),
            applicable_cached(conduct, victim, today),
        )
        gap = gap_between(then, now)
        for basis, answer in (("then", then), ("now", now)):
            for prov in answer.provisions:
                key = (conduct, victim, prov.version_id, basis)
                out.setdefault(key, (*key, gap if basis == "now" else ""))
    return list(out.values()), any(link[4] for link in out.values())


def _key(link: LegalLink) -> tuple:
    return (link.conduct, link.victim, link.version_id, link.basis)


def link_incident(session: Session, incident: Incident, form: Any) -> None:
    """After every save: recompute engine suggestions, keep every lawyer decision."""
    kept = list(
        session.exec(
            select(LegalLink).where(
                LegalLink.incident_id == incident.id,
                (col(LegalLink.state) != "suggested") | (col(LegalLink.origin) != "engine"),
            )
        )
    )
    session.exec(
        delete(LegalLink).where(
            col(LegalLink.incident_id) == incident.id,
            col(LegalLink.state) == "suggested",
            col(LegalLink.origin) == "engine",
        )
    )
    by_key = {_key(k): k for k in kept}
    for link in engine_links(incident, list(getattr(form, "conducts", []))):
        old = by_key.get(_key(link))
        if old is None:
            session.add(link)
        elif old.origin == "engine":
            old.gap = link.gap  # the flag follows the law; the decision stays the lawyer's
            session.add(old)
    session.flush()
    incident.legal_gap = _has_gap(session, incident.id)


def _has_gap(session: Session, incident_id: int | None) -> bool:
    return (
        session.exec(
            select(LegalLink.id)
            .where(
                LegalLink.incident_id == incident_id,
                col(LegalLink.gap) != "",
                col(LegalLink.state) != "removed",
            )
            .limit(1)
        ).first()
        is not None
    )


def _refresh_gap(session: Session, incident_id: int) -> None:
    # Only the derived flag changes (an UPDATE of that column alone), so the incident's
    # version (the edit lock) is left alone and a concurrent edit loses nothing.
    incident = session.get(Incident, incident_id)
    if incident is not None:
        incident.legal_gap = _has_gap(session, incident_id)
        session.add(incident)


def set_link_state(
    session: Session,
    *,
    actor: User | None,
    link_id: int,
    state: str,
    note: str = "",
    expected: tuple[str, str] | None = None,
) -> LegalLink:
    """A lawyer confirms or removes a link (removing keeps the row, so re-saves respect it).

    ``expected`` is the (state, note) the form showed: when another lawyer changed the
    link meanwhile, the save is refused (StaleEdit) instead of overwriting their decision.
    """
    require(actor, "legal_link.write")
    if state not in ("confirmed", "removed", "suggested"):
        raise InvalidInput({"state": "errors.unknown_value"})
    link = session.get(LegalLink, link_id)
    if link is None:
        raise NotFound()
    if expected is not None and (link.state, link.note) != expected:
        raise StaleEdit("errors.stale_record")
    before = audit.snapshot(link, FIELDS)
    link.state = state
    link.note = clean_text(note, 5000).strip()
    link.updated_by_id = getattr(actor, "id", None)
    link.updated_at = utcnow()
    session.add(link)
    session.flush()
    _refresh_gap(session, link.incident_id)
    audit.record(
        session,
        actor=actor,
        action=f"legal_link.{state}",
        entity="incident",
        entity_id=link.incident_id,
        before=before,
        after=audit.snapshot(link, FIELDS),
    )
    session.commit()
    session.refresh(link)
    return link


def add_link(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    version_id: str,
    conduct: str,
    basis: str,
    victim: str | None = None,
    note: str = "",
) -> LegalLink:
    """A lawyer links a provision version the engine did not suggest."""
    require(actor, "legal_link.write")
    incident = session.get(Incident, incident_id)
    require_writable(session, actor, incident)
    _check_new(version_id, conduct, basis, victim)
    link = LegalLink(
        incident_id=incident_id,
        conduct=conduct,
        victim=victim or victim_group(incident),
        version_id=version_id.strip(),
        basis=basis,
        origin="lawyer",
        state="confirmed",
        note=clean_text(note, 5000).strip(),
        updated_by_id=getattr(actor, "id", None),
    )
    session.add(link)
    session.flush()
    _refresh_gap(session, incident_id)
    audit.record(
        session,
        actor=actor,
        action="legal_link.add",
        entity="incident",
        entity_id=incident_id,
        after=audit.snapshot(link, FIELDS),
    )
    session.commit()
    session.refresh(link)
    return link


def _check_new(version_id: str, conduct: str, basis: str, victim: str | None) -> None:
    problems = {}
    try:
        law.get_version(version_id.strip())
    except LawQueryError:
        problems["version_id"] = "legal.unknown_version"
    if conduct not in CONDUCTS:
        problems["conduct"] = "errors.unknown_value"
    if basis not in BASES:
        problems["basis"] = "errors.unknown_value"
    if victim is not None and victim not in VICTIMS:
        problems["victim"] = "errors.unknown_value"
    if problems:
        raise InvalidInput(problems)


@dataclass(frozen=True)
class LinkView:
    """A stored link with what a reader needs: statute, article, penalty, in force."""

    link: LegalLink
    law: str
    law_en: str
    article: str
    article_en: str
    prison_max_years: float | None
    life: bool
    fine_max_krw: int | None
    in_force_from: date | None
    in_force_to: date | None
    summary_ko: str
    summary_en: str
    prison_min_years: float | None = None


def describe(link: LegalLink) -> LinkView:
    """Look the link's version up in the knowledge base (tolerates a vanished id)."""
    try:
        version = law.get_version(link.version_id)
        answer = applicable_cached(link.conduct, link.victim, version.in_force_from)
    except LawQueryError:
        return LinkView(
            link, link.version_id, link.version_id, "", "", None, False, None, None, None, "", ""
        )
    prov = next((p for p in answer.provisions if p.version_id == link.version_id), None)
    if prov is None:  # a lawyer linked a version for another conduct: show the bare facts
        pid = link.version_id.split("@")[0]
        p, lf = law.get_provision(pid), law.law_of(pid)
        return LinkView(
            link,
            lf.name_ko,
            lf.name_en,
            p.article,
            p.article_en,
            None,
            False,
            None,
            version.in_force_from,
            version.in_force_to,
            version.summary.ko,
            version.summary.en,
        )
    return LinkView(
        link,
        prov.law,
        prov.law_en,
        prov.article,
        prov.article_en,
        prov.prison_max_years,
        prov.life,
        prov.fine_max_krw,
        prov.in_force_from,
        prov.in_force_to,
        prov.summary_ko,
        prov.summary_en,
        prov.prison_min_years,
    )


def list_links(session: Session, *, actor: User | None, incident_id: int) -> list[LinkView]:
    """An incident's links by conduct, basis ("then" first) and version; a redacted reader
    gets the legal answer without the lawyers' notes."""
    _, level = open_incident(session, actor, incident_id)
    rows = session.exec(
        select(LegalLink)
        .where(LegalLink.incident_id == incident_id)
        .order_by(col(LegalLink.conduct), col(LegalLink.basis).desc(), col(LegalLink.version_id))
    )
    return [describe(redact(r, "legal_link", level)) for r in rows]
