"""Incident lists: filters, sorting and server-side paging. Nothing loads the whole table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook.access.permissions import require
from casebook.access.visibility import (
    escape_like,
    list_level,
    redact,
    require_text,
    visible_clause,
)
from casebook.incidents.consent import consent_clause
from casebook.incidents.search import text_clause
from db.models import Incident, IncidentConduct, IncidentInstitution, LegalLink, User

SORTS = {
    "reported_desc": (col(Incident.reported_on).desc(), col(Incident.id).desc()),
    "reported_asc": (col(Incident.reported_on).asc(), col(Incident.id).asc()),
    "victims_desc": (col(Incident.victims_count).desc(), col(Incident.id).desc()),
    "updated_desc": (col(Incident.updated_at).desc(), col(Incident.id).desc()),
}


@dataclass(frozen=True)
class IncidentFilter:
    text: str = ""
    institution_id: int | None = None
    kind: str | None = None
    region: str | None = None
    platform: str | None = None
    status: str | None = None
    conduct: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    minors: bool | None = None
    legal_gap: bool | None = None
    demo: bool | None = None
    # Legal links (not removed by a lawyer): an exact provision version, any version of
    # a provision ("sexual-crimes-act:14-2"), or words in a lawyer's note.
    version_id: str | None = None
    provision_id: str | None = None
    legal_note: str = ""
    # Only incidents whose victim agreed to sharing with this audience
    # (casebook.incidents.consent.AUDIENCES); exports for an audience set it.
    consent: str | None = None


@dataclass(frozen=True)
class IncidentRow:
    id: int
    title: str
    reported_on: date
    occurred_on: date | None
    status: str
    platform: str
    region: str | None
    institution_kind: str | None
    victims_count: int | None
    victims_minor: int
    legal_gap: bool
    is_demo: bool
    is_synthetic: bool


@dataclass
class IncidentPage:
    rows: list[IncidentRow]
    total: int
    page: int
    page_size: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.page_size))


def filter_clauses(f: IncidentFilter) -> list:
    clauses = []
    if f.text.strip():
        clauses.append(text_clause(f.text.strip()))
    for name in ("region", "platform", "status"):
        value = getattr(f, name)
        if value:
            clauses.append(getattr(Incident, name) == value)
    if f.kind:
        clauses.append(Incident.institution_kind == f.kind)
    if f.date_from:
        clauses.append(Incident.reported_on >= f.date_from)
    if f.date_to:
        clauses.append(Incident.reported_on <= f.date_to)
    if f.minors is not None:
        clauses.append(Incident.has_minor == f.minors)
    if f.legal_gap is not None:
        clauses.append(Incident.legal_gap == f.legal_gap)
    if f.demo is not None:
        clauses.append(Incident.is_demo == f.demo)
    if f.conduct:
        sub = select(IncidentConduct.incident_id).where(IncidentConduct.conduct == f.conduct)
        clauses.append(col(Incident.id).in_(sub))
    clauses += _legal_where(f)
    if f.consent:
        clauses.append(consent_clause(f.consent))
    if f.institution_id:
        sub = select(IncidentInstitution.incident_id).where(
            IncidentInstitution.institution_id == f.institution_id
        )
        clauses.append(col(Incident.id).in_(sub))
    return clauses


def _legal_where(f: IncidentFilter) -> list:
    live = col(LegalLink.state) != "removed"
    out = []
    if f.version_id:
        sub = select(LegalLink.incident_id).where(LegalLink.version_id == f.version_id, live)
        out.append(col(Incident.id).in_(sub))
    if f.provision_id:
        # Every version id of a provision starts "<provision>@"; '@' + 1 is 'A', so this
        # range is that prefix, and unlike LIKE it is answered from the index everywhere.
        pid = f.provision_id.strip()
        sub = select(LegalLink.incident_id).where(
            col(LegalLink.version_id) >= pid + "@", col(LegalLink.version_id) < pid + "A", live
        )
        out.append(col(Incident.id).in_(sub))
    if f.legal_note.strip():
        pattern = f"%{escape_like(f.legal_note.strip())}%"
        sub = select(LegalLink.incident_id).where(
            col(LegalLink.note).like(pattern, escape="\\"), live
        )
        out.append(col(Incident.id).in_(sub))
    return out


_ROW_COLUMNS = [getattr(Incident, name) for name in IncidentRow.__dataclass_fields__]


def list_incidents(
    session: Session,
    *,
    actor: User | None,
    filters: IncidentFilter = IncidentFilter(),
    page: int = 1,
    page_size: int = 50,
    sort: str = "reported_desc",
) -> IncidentPage:
    """One page of the incidents ``actor`` may see matching ``filters``, and their count.

    Confidential incidents outside the actor's teams are left out (count included);
    rows are redacted for a reader without ``incident.text`` (casebook.access.visibility)."""
    clauses = _readable_clauses(session, actor, filters)
    page_size = max(1, min(page_size, 500))
    total = session.exec(select(func.count()).select_from(Incident).where(*clauses)).one()
    pages = max(1, -(-total // page_size))
    page = max(1, min(page, pages))
    query = (
        select(*_ROW_COLUMNS)
        .where(*clauses)
        .order_by(*SORTS.get(sort, SORTS["reported_desc"]))
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    level = list_level(actor)
    rows = [redact(IncidentRow(*r), "incident_row", level) for r in session.exec(query)]
    return IncidentPage(rows=rows, total=total, page=page, page_size=page_size)


def _readable_clauses(session: Session, actor: User | None, filters: IncidentFilter) -> list:
    require(actor, "incident.read")
    require_text(actor, used=bool(filters.text.strip() or filters.legal_note.strip()))
    return visible_clause(session, actor) + filter_clauses(filters)


def iter_incident_ids(session: Session, *, actor: User | None, filters: IncidentFilter):
    """Every matching id the actor may see, in pages of 1,000 (exports stream through this)."""
    last = 0
    clauses = _readable_clauses(session, actor, filters)
    while True:
        ids = list(
            session.exec(
                select(Incident.id)
                .where(*clauses, col(Incident.id) > last)
                .order_by(Incident.id)
                .limit(1000)
            )
        )
        if not ids:
            return
        yield from ids
        last = ids[-1]
