"""Institutions where incidents were reported: universities, schools, workplaces..."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import update
from sqlmodel import Session, col, func, or_, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.errors import InvalidInput, NotFound, StaleEdit
from casebook.textnorm import clean_text, match_key, normalize_name
from casebook.validation import problems_from
from casebook.vocab import INSTITUTION_KINDS, REGIONS
from db.models import Incident, IncidentInstitution, Institution, User

FIELDS = ["id", "name", "kind", "region", "aliases", "merged_into_id"]


class InstitutionCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str
    region: str
    aliases: list[str] = []

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: str) -> str:
        value = clean_text(value).strip()
        if not value:
            raise ValueError("errors.required")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in INSTITUTION_KINDS:
            raise ValueError("errors.unknown_value")
        return value

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if value not in REGIONS:
            raise ValueError("errors.unknown_value")
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, value: list[str] | str | None) -> list[str]:
        if isinstance(value, str):
            value = value.split(";")
        return [clean_text(a, 200).strip() for a in (value or []) if clean_text(a).strip()]


def create_institution(session: Session, *, actor: User | None, data: dict) -> Institution:
    require(actor, "institution.write")
    try:
        form = InstitutionCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None
    inst = Institution(
        name=form.name,
        name_normalized=normalize_name(form.name),
        kind=form.kind,
        region=form.region,
        aliases=form.aliases,
        is_demo=bool(data.get("is_demo", False)),
        created_by_id=getattr(actor, "id", None),
    )
    session.add(inst)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="institution.create",
        entity="institution",
        entity_id=inst.id,
        after=audit.snapshot(inst, FIELDS),
    )
    session.commit()
    session.refresh(inst)
    return inst


def get_institution(session: Session, institution_id: int) -> Institution:
    inst = session.get(Institution, institution_id)
    if inst is None:
        raise NotFound()
    return inst


def list_institutions(
    session: Session,
    *,
    text: str = "",
    kind: str | None = None,
    region: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[Institution]:
    query = select(Institution).where(col(Institution.merged_into_id).is_(None))
    if text.strip():
        needle = f"%{normalize_name(text)}%"
        by_alias = _alias_hits(session, text)
        query = query.where(
            or_(
                col(Institution.name_normalized).like(needle),
                col(Institution.name).like(f"%{text.strip()}%"),
                col(Institution.id).in_(by_alias or [-1]),
            )
        )
    if kind:
        query = query.where(Institution.kind == kind)
    if region:
        query = query.where(Institution.region == region)
    return list(session.exec(query.order_by(Institution.name).offset(offset).limit(limit)))


def count_institutions(session: Session) -> int:
    return session.exec(
        select(func.count())
        .select_from(Institution)
        .where(col(Institution.merged_into_id).is_(None))
    ).one()


def find_by_name(session: Session, name: str) -> Institution | None:
    """Exact match on the normalised name or any alias."""
    norm = normalize_name(name)
    found = session.exec(
        select(Institution).where(
            Institution.name_normalized == norm, col(Institution.merged_into_id).is_(None)
        )
    ).first()
    if found:
        return found
    for inst in session.exec(select(Institution).where(col(Institution.merged_into_id).is_(None))):
        if any(normalize_name(alias) == norm for alias in inst.aliases):
            return inst
    return None


def _alias_hits(session: Session, text: str) -> list[int]:
    # Aliases live in a JSON list (stored escaped), so they are matched here, not in SQL;
    # the registry is small (thousands of rows) and only ids and aliases are read.
    key = match_key(text)
    rows = session.exec(
        select(Institution.id, Institution.aliases).where(col(Institution.merged_into_id).is_(None))
    )
    return [i for i, aliases in rows if any(key in match_key(a) for a in aliases or [])]


# rapidfuzz ratio (0-100) on match_key() above which a name counts as a likely duplicate.
DUPLICATE_THRESHOLD = 85


@dataclass(frozen=True)
class Duplicate:
    institution: Institution
    score: float
    matched: str  # the existing name or alias that came close


def likely_duplicates(
    session: Session, name: str, aliases: list[str] | None = None, *, limit: int = 5
) -> list[Duplicate]:
    """Live institutions whose name or an alias is close to ``name`` or its ``aliases``.

    Names are compared by match_key ("서울 대학교" = "서울대"), then by rapidfuzz ratio;
    the form shows these before it lets anyone create a new institution.
    """
    from rapidfuzz import fuzz

    probes = [match_key(n) for n in [name, *(aliases or [])] if n and match_key(n)]
    if not probes:
        return []
    best: dict[int, tuple[float, str]] = {}
    rows = session.exec(
        select(Institution.id, Institution.name, Institution.aliases).where(
            col(Institution.merged_into_id).is_(None)
        )
    )
    for inst_id, inst_name, inst_aliases in rows:
        for known in [inst_name, *(inst_aliases or [])]:
            key = match_key(known)
            score = max(fuzz.ratio(p, key) for p in probes)
            if score >= DUPLICATE_THRESHOLD and score > best.get(inst_id, (0, ""))[0]:
                best[inst_id] = (score, known)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    return [Duplicate(session.get(Institution, i), round(s, 1), m) for i, (s, m) in ranked]


def merge_institutions(
    session: Session, *, actor: User | None, source_id: int, target_id: int
) -> Institution:
    """Fold ``source`` into ``target``: every incident moves, names become aliases.

    Moved incidents get their denormalised region/kind recomputed and their version
    bumped, so an edit form opened before the merge cannot put the old link back.
    """
    require(actor, "institution.merge")
    if source_id == target_id:
        raise InvalidInput({"target_id": "institutions.merge_same"})
    source, target = get_institution(session, source_id), get_institution(session, target_id)
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise InvalidInput({"target_id": "institutions.already_merged"})
    before = {"source": audit.snapshot(source, FIELDS), "target": audit.snapshot(target, FIELDS)}
    moved = _move_links(session, source_id, target_id)
    _refresh_denormalised(session, moved)
    aliases = [a for a in [*target.aliases, source.name, *source.aliases] if a != target.name]
    target.aliases = list(dict.fromkeys(aliases))
    target.version += 1
    source.merged_into_id = target_id
    source.version += 1
    session.add_all([source, target])
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="institution.merge",
        entity="institution",
        entity_id=target_id,
        before=before,
        after={
            "source": audit.snapshot(source, FIELDS),
            "target": audit.snapshot(target, FIELDS),
            "incidents_moved": moved,
        },
    )
    session.commit()
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Incident):  # updated in SQL above; reload on next access
            session.expire(obj)
    session.refresh(target)
    return target


def update_institution(
    session: Session,
    *,
    actor: User | None,
    institution_id: int,
    expected_version: int,
    data: dict,
) -> Institution:
    """Edit name, kind, region or aliases; incidents' denormalised fields follow."""
    require(actor, "institution.write")
    try:
        form = InstitutionCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None
    inst = get_institution(session, institution_id)
    if inst.version != expected_version:
        raise StaleEdit("errors.stale_record")
    before = audit.snapshot(inst, FIELDS)
    audit.begin_write(session)
    # Compare-and-set on the version the editor showed: of two people who opened the
    # editor on the same version, the second save is refused even when both are in flight.
    bumped = session.execute(
        update(Institution)
        .where(col(Institution.id) == institution_id, col(Institution.version) == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        raise StaleEdit("errors.stale_record")
    inst.name, inst.name_normalized = form.name, normalize_name(form.name)
    inst.kind, inst.region, inst.aliases = form.kind, form.region, form.aliases
    inst.version = expected_version + 1
    session.add(inst)
    session.flush()
    linked = list(
        session.exec(
            select(IncidentInstitution.incident_id).where(
                IncidentInstitution.institution_id == institution_id
            )
        )
    )
    _refresh_denormalised(session, linked)
    audit.record(
        session,
        actor=actor,
        action="institution.update",
        entity="institution",
        entity_id=institution_id,
        before=before,
        after=audit.snapshot(inst, FIELDS),
    )
    session.commit()
    session.refresh(inst)
    return inst


def _move_links(session: Session, source_id: int, target_id: int) -> list[int]:
    from sqlalchemy import delete, update

    moved = list(
        session.exec(
            select(IncidentInstitution.incident_id).where(
                IncidentInstitution.institution_id == source_id
            )
        )
    )
    both = select(IncidentInstitution.incident_id).where(
        IncidentInstitution.institution_id == target_id
    )
    # An incident linked to both keeps its target row; the source row goes.
    session.execute(
        delete(IncidentInstitution).where(
            col(IncidentInstitution.institution_id) == source_id,
            col(IncidentInstitution.incident_id).in_(both),
        )
    )
    session.execute(
        update(IncidentInstitution)
        .where(col(IncidentInstitution.institution_id) == source_id)
        .values(institution_id=target_id)
    )
    return moved


def _refresh_denormalised(session: Session, incident_ids: list[int]) -> None:
    """Incident.region/institution_kind follow the first institution (lowest position)."""
    from sqlalchemy import update

    for start in range(0, len(incident_ids), 500):
        chunk = incident_ids[start : start + 500]
        first = (
            select(IncidentInstitution.institution_id)
            .where(IncidentInstitution.incident_id == Incident.id)
            .order_by(col(IncidentInstitution.position), col(IncidentInstitution.institution_id))
            .limit(1)
            .correlate(Incident)
            .scalar_subquery()
        )
        region = select(Institution.region).where(Institution.id == first).scalar_subquery()
        kind = select(Institution.kind).where(Institution.id == first).scalar_subquery()
        session.execute(
            update(Incident)
            .where(col(Incident.id).in_(chunk))
            .values(region=region, institution_kind=kind, version=Incident.version + 1)
            .execution_options(synchronize_session=False)
        )
