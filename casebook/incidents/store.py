"""Incidents: record, edit with optimistic locking, read (redacted by default), list.

One set of rules (IncidentCreate) serves the form, the spreadsheet importer and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, col, delete, select

from casebook.access import audit, crypto
from casebook.access.permissions import can, require
from casebook.access.visibility import FULL, Level, open_incident, redact, require_writable
from casebook.errors import InvalidInput, StaleEdit
from casebook.incidents.legal_links import link_incident
from casebook.incidents.locking import bump_version
from casebook.incidents.workflow import check_transition
from casebook.textnorm import clean_text
from casebook.validation import http_url, problems_from
from casebook.vocab import (
    CONDUCTS,
    OBSTACLES,
    PLATFORMS,
    STATUSES,
    SUSPECT_AGE_BANDS,
    VICTIM_GROUPS,
)
from db.models import (
    ChatRoom,
    Incident,
    IncidentConduct,
    IncidentEvent,
    IncidentInstitution,
    IncidentRoom,
    Institution,
    User,
    utcnow,
)

AUDIT_FIELDS = [
    "id",
    "external_id",
    "title",
    "summary",
    "reported_on",
    "occurred_on",
    "platform",
    "status",
    "victims_count",
    "victims_estimated",
    "victims_minor",
    "victim_groups",
    "suspects_count",
    "suspects_by_age",
    "suspect_relation",
    "room_members",
    "obstacles",
    "tags",
    "sources",
    "notes",
    "victim_contact_enc",
    "version",
]


def _vocab_list(values: Any, allowed: tuple[str, ...]) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace(",", ";").split(";")]
    words = [str(v).strip().lower() for v in (values or []) if str(v).strip()]
    if any(w not in allowed for w in words):
        raise ValueError("errors.unknown_value")
    return list(dict.fromkeys(words))


class IncidentCreate(BaseModel):
    """Validated incident input, whichever door it came through."""

    # Mutable defaults are made by a factory: pydantic deep-copies a plain [] or {} default
    # for every instance, about a quarter of validating a 10,000-row import.

    title: str = Field(max_length=300)
    summary: str = Field(default="", max_length=20000)
    reported_on: date
    occurred_on: date | None = None
    platform: str = "other"
    status: str = "reported"
    institution_ids: list[int] = Field(default_factory=list)
    room_ids: list[int] = Field(default_factory=list)
    victims_count: int | None = Field(default=None, ge=0)
    victims_estimated: bool = False
    victims_minor: int = Field(default=0, ge=0)
    victim_groups: list[str] = Field(default_factory=list)
    suspects_count: int | None = Field(default=None, ge=0)
    suspects_by_age: dict[str, int] = Field(default_factory=dict)
    suspect_relation: str = Field(default="", max_length=200)
    room_members: int | None = Field(default=None, ge=0)
    conducts: list[str] = Field(default_factory=list)
    obstacles: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    sources: list[dict[str, str]] = Field(default_factory=list)
    notes: str = Field(default="", max_length=20000)
    victim_contact: str | None = Field(default=None, max_length=2000)
    external_id: str | None = Field(default=None, max_length=100)
    is_demo: bool = False
    is_synthetic: bool = False

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: Any) -> str:
        text = clean_text(value).strip() if value is not None else ""
        if not text:
            raise ValueError("errors.required")
        return text

    @field_validator("summary", "notes", "suspect_relation", "victim_contact", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean_text(value).strip() if isinstance(value, str) else value

    @field_validator("external_id", mode="before")
    @classmethod
    def _external_id(cls, value: Any) -> str | None:
        text = clean_text(str(value)).strip() if value is not None else ""
        return text or None

    @field_validator("reported_on", "occurred_on")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        if value is not None and value > date.today():
            raise ValueError("errors.date_in_future")
        return value

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        value = (value or "other").strip().lower()
        if value not in PLATFORMS:
            raise ValueError("errors.unknown_value")
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        if value not in STATUSES:
            raise ValueError("errors.unknown_value")
        return value

    @field_validator("conducts", mode="before")
    @classmethod
    def _conducts(cls, value: Any) -> list[str]:
        return _vocab_list(value, CONDUCTS)

    @field_validator("obstacles", mode="before")
    @classmethod
    def _obstacles(cls, value: Any) -> list[str]:
        return _vocab_list(value, OBSTACLES)

    @field_validator("victim_groups", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> list[str]:
        return _vocab_list(value, VICTIM_GROUPS)

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> list[str]:
        if isinstance(value, str):
            value = value.split(";")
        return [clean_text(t, 60).strip() for t in (value or []) if clean_text(t).strip()]

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, value: Any) -> list[dict[str, str]]:
        out = []
        for source in value or []:
            if not isinstance(source, dict):
                raise ValueError("errors.invalid")
            cleaned = {str(k): clean_text(str(v)).strip() for k, v in source.items()}
            cleaned["url"] = http_url(source.get("url"))
            out.append(cleaned)
        return out

    @field_validator("suspects_by_age")
    @classmethod
    def _ages(cls, value: dict[str, int]) -> dict[str, int]:
        if any(k not in SUSPECT_AGE_BANDS for k in value):
            raise ValueError("errors.unknown_value")
        if any(v < 0 for v in value.values()):
            raise ValueError("errors.negative")
        return {k: v for k, v in value.items() if v}

    @model_validator(mode="after")
    def _consistent(self) -> IncidentCreate:
        if self.occurred_on and self.occurred_on > self.reported_on:
            raise InvalidInput({"occurred_on": "errors.occurred_after_reported"})
        if self.victims_count is not None and self.victims_minor > self.victims_count:
            raise InvalidInput({"victims_minor": "errors.minors_exceed_victims"})
        return self


def validate_incident(data: dict) -> IncidentCreate:
    try:
        return IncidentCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None


def _apply(session: Session, incident: Incident, form: IncidentCreate) -> None:
    values = form.model_dump(
        exclude={"institution_ids", "room_ids", "conducts", "victim_contact", "is_demo"}
    )
    for key, value in values.items():
        setattr(incident, key, value)
    incident.reported_month = form.reported_on.strftime("%Y-%m")
    incident.has_minor = form.victims_minor > 0
    if form.victim_contact is not None:
        incident.victim_contact_enc = crypto.encrypt(form.victim_contact)
    institutions = [_live_institution(session, i) for i in form.institution_ids]
    if any(inst is None for inst in institutions):
        raise InvalidInput({"institution_ids": "errors.unknown_institution"})
    if form.room_ids and len(set(form.room_ids)) != len(
        session.exec(select(ChatRoom.id).where(col(ChatRoom.id).in_(form.room_ids))).all()
    ):
        raise InvalidInput({"room_ids": "rooms.unknown_room"})
    # A merged institution stands for the one it was merged into.
    form.institution_ids = [inst.id for inst in institutions]  # type: ignore[union-attr]
    first = institutions[0] if institutions else None
    incident.region = first.region if first else None
    incident.institution_kind = first.kind if first else None


def _live_institution(session: Session, institution_id: int) -> Institution | None:
    inst = session.get(Institution, institution_id)
    for _ in range(10):  # follow merges; a chain is short, a loop would be a bug
        if inst is None or inst.merged_into_id is None:
            return inst
        inst = session.get(Institution, inst.merged_into_id)
    return inst


def _replace_links(session: Session, incident_id: int, form: IncidentCreate) -> None:
    for table in (IncidentInstitution, IncidentRoom, IncidentConduct):
        session.exec(delete(table).where(col(table.incident_id) == incident_id))
    for pos, inst_id in enumerate(dict.fromkeys(form.institution_ids)):
        session.add(
            IncidentInstitution(incident_id=incident_id, institution_id=inst_id, position=pos)
        )
    for room_id in dict.fromkeys(form.room_ids):
        session.add(IncidentRoom(incident_id=incident_id, room_id=room_id))
    for conduct in form.conducts:
        session.add(IncidentConduct(incident_id=incident_id, conduct=conduct))


def _links_snapshot(form: IncidentCreate) -> dict[str, Any]:
    return {
        "institution_ids": form.institution_ids,
        "room_ids": form.room_ids,
        "conducts": form.conducts,
    }


def record_incident(
    session: Session, *, actor: User | None, data: dict, commit: bool = True
) -> Incident:
    """Validate and store a new incident with its links; audited in the same transaction."""
    require(actor, "incident.write")
    form = validate_incident(data)
    audit.begin_write(session)
    incident = Incident(
        title=form.title,
        reported_on=form.reported_on,
        reported_month="",
        is_demo=form.is_demo,
        created_by_id=getattr(actor, "id", None),
        updated_by_id=getattr(actor, "id", None),
    )
    _apply(session, incident, form)
    session.add(incident)
    session.flush()
    _replace_links(session, incident.id, form)
    session.flush()
    link_incident(session, incident, form)
    audit.record(
        session,
        actor=actor,
        action="incident.create",
        entity="incident",
        entity_id=incident.id,
        after=audit.snapshot(incident, AUDIT_FIELDS) | _links_snapshot(form),
    )
    if commit:
        session.commit()
        session.refresh(incident)
    return incident


def update_incident(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    expected_version: int,
    data: dict,
    commit: bool = True,
) -> Incident:
    """Save an edit only if nobody saved since ``expected_version`` was read."""
    require(actor, "incident.write")
    form = validate_incident(data)
    incident = session.get(Incident, incident_id)
    require_writable(session, actor, incident)
    before = audit.snapshot(incident, AUDIT_FIELDS) | _current_links(session, incident_id)
    if incident.version != expected_version:
        raise StaleEdit()
    old_status = incident.status
    check_transition(old_status, form.status)
    # Compare-and-set on the version column before touching anything else: a concurrent
    # save that already bumped it makes this UPDATE match no row, and we refuse.
    try:
        bump_version(session, incident_id, expected_version)
    except StaleEdit:
        session.rollback()
        raise
    _apply(session, incident, form)
    incident.updated_at = utcnow()
    incident.updated_by_id = getattr(actor, "id", None)
    incident.version = expected_version + 1
    session.add(incident)
    _replace_links(session, incident_id, form)
    if form.status != old_status:
        # A status changed in the edit form is a timeline step like any other.
        session.add(
            IncidentEvent(
                incident_id=incident_id,
                kind=form.status,
                occurred_on=date.today(),
                note="edit",
                created_by_id=getattr(actor, "id", None),
            )
        )
    session.flush()
    link_incident(session, incident, form)
    audit.record(
        session,
        actor=actor,
        action="incident.update",
        entity="incident",
        entity_id=incident_id,
        before=before,
        after=audit.snapshot(incident, AUDIT_FIELDS) | _links_snapshot(form),
    )
    if commit:
        session.commit()
        session.refresh(incident)
    return incident


def _current_links(session: Session, incident_id: int) -> dict[str, Any]:
    return {
        "institution_ids": list(
            session.exec(
                select(IncidentInstitution.institution_id)
                .where(IncidentInstitution.incident_id == incident_id)
                .order_by(IncidentInstitution.position)
            )
        ),
        "room_ids": list(
            session.exec(
                select(IncidentRoom.room_id).where(IncidentRoom.incident_id == incident_id)
            )
        ),
        "conducts": list(
            session.exec(
                select(IncidentConduct.conduct).where(IncidentConduct.incident_id == incident_id)
            )
        ),
    }


@dataclass
class IncidentDetail:
    incident: Incident
    institutions: list[Institution]
    conducts: list[str]
    room_ids: list[int]
    victim_contact: str | None = None
    victim_contact_hidden: bool = False
    # A message key when the contact is stored but the configured key does not open it:
    # the page shows that error where the contact would be, never an empty field.
    victim_contact_error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # casebook.access.visibility: "full", or "redacted" (free text and names blanked).
    level: Level = FULL


def get_incident(
    session: Session, *, actor: User | None, incident_id: int, reveal_victim: bool = False
) -> IncidentDetail:
    """One incident as the actor may see it (casebook.access.visibility); victim contact
    details only for a role allowed who asks for them."""
    incident, level = open_incident(session, actor, incident_id)
    links = _current_links(session, incident_id)
    institutions = [session.get(Institution, i) for i in links["institution_ids"]]
    detail = IncidentDetail(
        incident=redact(incident, "incident", level),
        institutions=[redact(i, "institution", level) for i in institutions if i is not None],
        conducts=links["conducts"],
        room_ids=links["room_ids"],
        victim_contact_hidden=level == FULL and incident.victim_contact_enc is not None,
        level=level,
    )
    if reveal_victim and incident.victim_contact_enc:
        require(actor, "incident.victim_details")  # every such role reads in full
        audit.begin_write(session)
        try:
            detail.victim_contact = crypto.decrypt(incident.victim_contact_enc)
            detail.victim_contact_hidden = False
        except crypto.Undecryptable as exc:
            detail.victim_contact_error = exc.key
        audit.record(
            session,
            actor=actor,
            action="incident.reveal_victim",
            entity="incident",
            entity_id=incident_id,
        )
        session.commit()
    return detail


def form_data(detail: IncidentDetail) -> dict[str, Any]:
    """The editable fields of an incident, as a dict IncidentCreate accepts."""
    inc = detail.incident
    data = inc.model_dump(include=set(IncidentCreate.model_fields) - {"victim_contact"})
    data["institution_ids"] = [i.id for i in detail.institutions]
    data["room_ids"] = detail.room_ids
    data["conducts"] = detail.conducts
    return data


def can_reveal(actor: User | None) -> bool:
    return can(actor, "incident.victim_details")
