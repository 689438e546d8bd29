"""casebook.bulkinsert stores exactly what SQLAlchemy's insert stores: the same values,
column defaults and conversions (dates, tz-aware datetimes, JSON, booleans), on both
backends; and PostgreSQL ids reserved for a bulk insert come from the id sequence."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, text

from casebook.bulkinsert import bulk_insert, reserve_ids
from db.models import AuditLog, Incident, LegalLink

WHEN = datetime(2024, 9, 2, 8, 30, 15, 123456, tzinfo=UTC)
INCIDENT = {
    "title": "텔레그램 합성물 방 'x' \"y\"",
    "summary": "요약\n둘째 줄\t탭",
    "external_id": None,
    "reported_on": date(2024, 9, 2),
    "occurred_on": None,
    "reported_month": "2024-09",
    "platform": "telegram",
    "status": "investigating",
    "region": "seoul",
    "institution_kind": None,
    "victims_count": 12,
    "victims_minor": 2,
    "has_minor": True,
    "victim_groups": ["students"],
    "suspects_count": 3,
    "suspects_by_age": {"14to19": 2},
    "room_members": None,
    "obstacles": [],
    "tags": ["태그", "a,b"],
    "notes": "",
    "sources": [{"url": "https://example.org/a?b=1&c=\\d"}],
    "victim_contact_enc": None,
    "created_at": WHEN,
    "updated_at": WHEN,
}


def _raw(session, table: str, ids: list[int]) -> list[dict]:
    marks = ", ".join(str(int(i)) for i in ids)
    rows = session.connection().exec_driver_sql(
        f'SELECT * FROM "{table}" WHERE id IN ({marks}) ORDER BY id'
    )
    return [{k: v for k, v in row._mapping.items() if k != "id"} for row in rows]


def _pair(session, table, row: dict, first_id: int) -> list[dict]:
    """The same row written once by SQLAlchemy and once by bulk_insert, read back raw."""
    session.execute(insert(table), [row | {"id": first_id}])
    bulk_insert(session, table, [row | {"id": first_id + 1}])
    return _raw(session, table.name, [first_id, first_id + 1])


def test_incident_rows_are_stored_identically(session) -> None:
    orm, bulk = _pair(session, Incident.__table__, INCIDENT, 900_001)
    assert orm == bulk
    # Filled in from the column defaults, as SQLAlchemy does.
    assert (bool(bulk["is_demo"]), bool(bulk["legal_gap"]), bulk["version"]) == (False, False, 1)
    session.rollback()


def test_legal_link_and_audit_rows_are_stored_identically(session) -> None:
    session.execute(insert(Incident.__table__), [INCIDENT | {"id": 900_100}])
    link = {
        "incident_id": 900_100,
        "conduct": "create",
        "victim": "minor",
        "version_id": "kr-act/art-14-2@2024-10-16",
        "basis": "now",
        "gap": "penalty_raised",
        "note": "",
        "updated_at": WHEN,
    }
    orm, bulk = _pair(session, LegalLink.__table__, link, 900_200)
    assert orm == bulk and bulk["origin"] == "engine" and bulk["state"] == "suggested"
    entry = {
        "at": WHEN,
        "actor_id": None,
        "actor_name": "system",
        "action": "incident.create",
        "entity": "incident",
        "entity_id": "7",
        "before": None,
        "after": {"title": "한글", "n": 1, "none": None},
        "prev_hash": "0" * 64,
        "hash": "f" * 64,
    }
    orm, bulk = _pair(session, AuditLog.__table__, entry, 900_300)
    assert orm == bulk
    session.rollback()


def test_empty_insert_does_nothing(session) -> None:
    bulk_insert(session, LegalLink.__table__, [])
    assert session.connection().execute(text("SELECT count(*) FROM legallink")).scalar() == 0


def test_reserved_ids_come_from_the_sequence(session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite numbers rows after taking the write lock (import_write)
    ids = reserve_ids(session, Incident.__table__, 5)
    assert ids == sorted(ids) and len(set(ids)) == 5
    bulk_insert(session, Incident.__table__, [INCIDENT | {"id": i} for i in ids])
    later = session.execute(
        insert(Incident.__table__).returning(Incident.__table__.c.id), [INCIDENT]
    ).scalar()
    assert later > max(ids)
    session.rollback()


def test_callable_defaults_are_filled_in(session) -> None:
    from db.models import utcnow

    session.execute(insert(Incident.__table__), [INCIDENT | {"id": 900_400}])
    started = utcnow()
    link = {
        "incident_id": 900_400,
        "conduct": "view",
        "victim": "adult",
        "version_id": "v",
        "basis": "then",
        "note": "",
    }
    bulk_insert(session, LegalLink.__table__, [link])
    link = (
        session.connection()
        .execute(text("SELECT gap, origin, state, note, updated_at FROM legallink"))
        .one()
    )
    assert tuple(link[:4]) == ("", "engine", "suggested", "")
    stamp = link[4] if isinstance(link[4], datetime) else datetime.fromisoformat(link[4])
    assert stamp.replace(tzinfo=UTC) >= started.replace(microsecond=0)
    session.rollback()
