"""Platforms and chat rooms as entities: kind, parent room and sub-rooms, member counts.

Never the rooms' content. The room's identifier (a handle or numeric id) and invite link
are encrypted at rest and shown only to roles that may write rooms, with an audit row.
One 2024 room of about 1,300 members had some 70 sub-rooms by university: a sub-room
points at its parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import func
from sqlmodel import Session, col, select

from casebook.access import audit, crypto
from casebook.access.permissions import can, require
from casebook.errors import InvalidInput, NotFound
from casebook.textnorm import clean_text
from casebook.validation import http_url, problems_from
from casebook.vocab import PLATFORMS, ROOM_KINDS
from db.models import ChatRoom, IncidentRoom, RoomObservation, User

FIELDS = ["id", "platform", "kind", "label", "identifier_enc", "invite_link_enc", "parent_id"]


class RoomCreate(BaseModel):
    platform: str
    kind: str
    label: str = Field(max_length=200)
    identifier: str | None = Field(default=None, max_length=500)
    invite_link: str | None = Field(default=None, max_length=1000)
    parent_id: int | None = None

    @field_validator("label", mode="before")
    @classmethod
    def _label(cls, value: object) -> str:
        text = clean_text(str(value or "")).strip()
        if not text:
            raise ValueError("errors.required")
        return text

    @field_validator("identifier", mode="before")
    @classmethod
    def _secret(cls, value: object) -> str | None:
        text = clean_text(str(value)).strip() if value is not None else ""
        return text or None

    @field_validator("invite_link", mode="before")
    @classmethod
    def _link(cls, value: object) -> str | None:
        return http_url(value) or None

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError("errors.unknown_value")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in ROOM_KINDS:
            raise ValueError("errors.unknown_value")
        return value


def create_room(session: Session, *, actor: User | None, data: dict) -> ChatRoom:
    """Register a room; identifier and invite link are encrypted before they are stored."""
    require(actor, "room.write")
    try:
        form = RoomCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None
    if form.parent_id is not None and session.get(ChatRoom, form.parent_id) is None:
        raise InvalidInput({"parent_id": "rooms.unknown_parent"})
    audit.begin_write(session)  # before encrypting: a key rotation ahead of us commits first
    room = ChatRoom(
        platform=form.platform,
        kind=form.kind,
        label=form.label,
        identifier_enc=crypto.encrypt(form.identifier),
        invite_link_enc=crypto.encrypt(form.invite_link),
        parent_id=form.parent_id,
        is_demo=bool(data.get("is_demo", False)),
    )
    session.add(room)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="room.create",
        entity="room",
        entity_id=room.id,
        after=audit.snapshot(room, FIELDS),
    )
    session.commit()
    session.refresh(room)
    return room


def observe_members(
    session: Session,
    *,
    actor: User | None,
    room_id: int,
    observed_on: date,
    members: int,
    source: str = "",
) -> RoomObservation:
    """Record a member count seen on a date, with where it was seen (a report, a capture)."""
    require(actor, "room.write")
    if session.get(ChatRoom, room_id) is None:
        raise NotFound()
    if members is None or members < 0:
        raise InvalidInput({"members": "errors.negative"})
    if observed_on > date.today():
        raise InvalidInput({"observed_on": "errors.date_in_future"})
    row = RoomObservation(
        room_id=room_id,
        observed_on=observed_on,
        members=int(members),
        source=clean_text(source, 500).strip(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="room.observe",
        entity="room",
        entity_id=room_id,
        after=audit.snapshot(row),
    )
    session.commit()
    session.refresh(row)
    return row


@dataclass
class RoomDetail:
    room: ChatRoom
    parent: ChatRoom | None
    sub_rooms: list[ChatRoom]
    observations: list[RoomObservation]
    incident_ids: list[int]
    identifier: str | None = None
    invite_link: str | None = None
    # A message key when they are stored but the configured key does not open them.
    secret_error: str | None = None


def get_room(
    session: Session, *, actor: User | None, room_id: int, reveal: bool = False
) -> RoomDetail:
    """A room with its sub-rooms and member counts over time; secrets only if asked+allowed."""
    require(actor, "institution.read")
    room = session.get(ChatRoom, room_id)
    if room is None:
        raise NotFound()
    detail = RoomDetail(
        room=room,
        parent=session.get(ChatRoom, room.parent_id) if room.parent_id else None,
        sub_rooms=list(
            session.exec(
                select(ChatRoom).where(ChatRoom.parent_id == room_id).order_by(col(ChatRoom.label))
            )
        ),
        observations=list(
            session.exec(
                select(RoomObservation)
                .where(RoomObservation.room_id == room_id)
                .order_by(col(RoomObservation.observed_on))
            )
        ),
        incident_ids=list(
            session.exec(
                select(IncidentRoom.incident_id).where(IncidentRoom.room_id == room_id).limit(500)
            )
        ),
    )
    if reveal:
        require(actor, "room.write")
        try:
            detail.identifier = crypto.decrypt(room.identifier_enc)
            detail.invite_link = crypto.decrypt(room.invite_link_enc)
        except crypto.Undecryptable as exc:
            detail.identifier = detail.invite_link = None
            detail.secret_error = exc.key
        audit.record(session, actor=actor, action="room.reveal", entity="room", entity_id=room_id)
        session.commit()
    return detail


def can_reveal(actor: User | None) -> bool:
    return can(actor, "room.write")


@dataclass(frozen=True)
class RoomRow:
    id: int
    platform: str
    kind: str
    label: str
    parent_id: int | None
    sub_rooms: int
    latest_members: int | None


def list_rooms(
    session: Session,
    *,
    actor: User | None,
    platform: str | None = None,
    parent_id: int | None = None,
    top_level: bool = False,
    limit: int = 200,
) -> list[RoomRow]:
    """Rooms with their number of sub-rooms and latest observed member count."""
    require(actor, "institution.read")
    query = select(ChatRoom)
    if platform:
        query = query.where(ChatRoom.platform == platform)
    if parent_id is not None:
        query = query.where(ChatRoom.parent_id == parent_id)
    elif top_level:
        query = query.where(col(ChatRoom.parent_id).is_(None))
    rooms = list(session.exec(query.order_by(col(ChatRoom.label)).limit(limit)))
    return [
        RoomRow(
            r.id,
            r.platform,
            r.kind,
            r.label,
            r.parent_id,
            _count_subs(session, r.id),
            _latest(session, r.id),
        )
        for r in rooms
    ]


def _count_subs(session: Session, room_id: int | None) -> int:
    return session.exec(
        select(func.count()).select_from(ChatRoom).where(ChatRoom.parent_id == room_id)
    ).one()


def _latest(session: Session, room_id: int | None) -> int | None:
    return session.exec(
        select(RoomObservation.members)
        .where(RoomObservation.room_id == room_id)
        .order_by(col(RoomObservation.observed_on).desc(), col(RoomObservation.id).desc())
        .limit(1)
    ).first()
