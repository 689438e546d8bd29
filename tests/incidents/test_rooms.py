"""Chat rooms: encrypted identifiers, sub-rooms, member counts over time."""

from datetime import date

import pytest
from sqlmodel import select

from casebook.errors import InvalidInput, PermissionDenied
from casebook.incidents.rooms import RoomRow, create_room, get_room, list_rooms, observe_members
from db.models import AuditLog, ChatRoom


def test_room_secrets_encrypted_and_revealed_only_to_writers(session, factory) -> None:
    adv = factory.user("advocate")
    room = create_room(
        session,
        actor=adv,
        data={
            "platform": "telegram",
            "kind": "group",
            "label": "지인능욕방",
            "identifier": "-100123456",
            "invite_link": "https://t.me/+secretXYZ",
        },
    )
    stored = session.exec(select(ChatRoom.identifier_enc, ChatRoom.invite_link_enc)).one()
    assert "-100123456" not in str(stored) and "secretXYZ" not in str(stored)
    audit_text = str(session.exec(select(AuditLog.after)).all())
    assert "secretXYZ" not in audit_text and "-100123456" not in audit_text
    viewer = factory.user("viewer")
    hidden = get_room(session, actor=viewer, room_id=room.id)
    assert (hidden.identifier, hidden.invite_link) == (None, None)
    with pytest.raises(PermissionDenied):
        get_room(session, actor=viewer, room_id=room.id, reveal=True)
    shown = get_room(session, actor=adv, room_id=room.id, reveal=True)
    assert (shown.identifier, shown.invite_link) == ("-100123456", "https://t.me/+secretXYZ")
    assert session.exec(select(AuditLog.action).order_by(AuditLog.id.desc())).first() == (
        "room.reveal"
    )


def test_sub_rooms_and_member_counts(session, factory) -> None:
    adv = factory.user("advocate")
    parent = create_room(
        session, actor=adv, data={"platform": "telegram", "kind": "group", "label": "대학별 합성방"}
    )
    subs = [
        create_room(
            session,
            actor=adv,
            data={
                "platform": "telegram",
                "kind": "group",
                "label": f"{n} 대학",
                "parent_id": parent.id,
            },
        )
        for n in ("가", "나")
    ]
    observe_members(
        session,
        actor=adv,
        room_id=parent.id,
        observed_on=date(2024, 8, 20),
        members=1200,
        source="한겨레 2024-08-21",
    )
    observe_members(
        session,
        actor=adv,
        room_id=parent.id,
        observed_on=date(2024, 8, 26),
        members=1300,
        source="기사",
    )
    inc = factory.incident(room_ids=[subs[0].id])
    detail = get_room(session, actor=factory.user("viewer"), room_id=parent.id)
    assert [r.label for r in detail.sub_rooms] == ["가 대학", "나 대학"]
    assert [(o.observed_on, o.members, o.source) for o in detail.observations] == [
        (date(2024, 8, 20), 1200, "한겨레 2024-08-21"),
        (date(2024, 8, 26), 1300, "기사"),
    ]
    assert get_room(session, actor=adv, room_id=subs[0].id).incident_ids == [inc.id]
    assert list_rooms(session, actor=adv, top_level=True) == [
        RoomRow(parent.id, "telegram", "group", "대학별 합성방", None, 2, 1300)
    ]
    assert [r.label for r in list_rooms(session, actor=adv, parent_id=parent.id)] == [
        "가 대학",
        "나 대학",
    ]


def test_room_validation_and_permissions(session, factory) -> None:
    with pytest.raises(InvalidInput) as err:
        create_room(
            session,
            actor=factory.admin,
            data={"platform": "myspace", "kind": "room", "label": " ", "parent_id": 999},
        )
    assert err.value.problems == {
        "platform": "errors.unknown_value",
        "kind": "errors.unknown_value",
        "label": "errors.required",
    }
    with pytest.raises(PermissionDenied):
        create_room(
            session,
            actor=factory.user("viewer"),
            data={"platform": "x", "kind": "bot", "label": "b"},
        )
    with pytest.raises(InvalidInput) as err:
        factory.incident(room_ids=[12345])
    assert err.value.problems == {"room_ids": "rooms.unknown_room"}
