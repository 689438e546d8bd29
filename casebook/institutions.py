"""Institutions where incidents were reported: universities, schools, workplaces..."""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlmodel import Session, col, func, or_, select

from casebook import audit
from casebook.errors import InvalidInput, NotFound
from casebook.permissions import require
from casebook.textnorm import clean_text, normalize_name
from casebook.validation import problems_from
from casebook.vocab import INSTITUTION_KINDS, REGIONS
from db.models import Institution, User

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
    if text:
        needle = f"%{normalize_name(text)}%"
        query = query.where(
            or_(col(Institution.name_normalized).like(needle), col(Institution.name).like(needle))
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
