"""Bulk imports write with the per-row summary triggers off (casebook.analytics.bulk_upkeep)
and keep the summary cube, the search index, the data version and the audit chain exactly as
one-by-one saves would: on SQLite and PostgreSQL, for new and for updated incidents,
and nothing of it is left when the import fails."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from casebook.access import audit
from casebook.access.audit import verify_chain
from casebook.analytics.bulk_upkeep import bulk_write
from casebook.analytics.summaries import rebuild_summaries
from casebook.errors import StaleEdit
from casebook.importing import write as import_write
from casebook.importing.cells import COLUMNS
from casebook.importing.run import import_incidents
from casebook.importing.spreadsheet import csv_bytes
from casebook.importing.write import write_report
from casebook.incidents.legal_links import set_link_state
from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.incidents.store import form_data, get_incident, update_incident
from casebook.incidents.takedowns import request_takedown, resolve_takedown
from casebook.incidents.workflow import add_event
from db.engine import engine_for
from db.models import (
    AuditLog,
    Incident,
    IncidentConduct,
    IncidentEvent,
    IncidentInstitution,
    LegalLink,
)

ROW = {
    "title": "텔레그램 합성물 방",
    "reported_on": "2024-09-02",
    "occurred_on": "2024-07-20",
    "institution": "인하대학교",
    "platform": "telegram",
    "room_members": "120",
    "victims": "4",
    "victims_minor": "1",
    "suspects": "2",
    "suspects_teen": "1",
    "conducts": "create;distribute",
    "status": "investigating",
    "summary": "동문 피해",
}
KNOWN = [
    ROW
    | {
        "external_id": f"K-{i}",
        "title": f"기존 사건 {i}",
        "reported_on": f"2024-08-1{i}",
        "occurred_on": "2024-08-01",
        "suspects_teen": str(i + 1),
        "room_members": str(50 * (i + 1)),
        "victims": "3",
        "victims_minor": str(i % 2),
    }
    for i in range(3)
]


def _csv(*rows: dict) -> bytes:
    return csv_bytes(COLUMNS, [[r.get(c, "") for c in COLUMNS] for r in rows])


MEASURES = {
    "incident",
    "conduct",
    "institution",
    "age",
    "room",
    "obstacle",
    "police",
    "link",
    "release",
    "takedown",
    "discipline",
    "disc_events",
    "minor",
    "link_gap",
    "takedown_req",
}
CUBE = (
    "SELECT measure, key, month, region, kind, platform, status, gap, n, total FROM "
    "analytics_cube WHERE n <> 0 OR total <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
)


def _cube(session: Session) -> list[tuple]:
    return [tuple(r) for r in session.execute(text(CUBE))]


def _assert_cube_is_a_rebuild(session: Session) -> list[tuple]:
    """The kept cube equals a recomputation from the base tables (none negative)."""
    session.commit()
    kept = _cube(session)
    assert kept and all(row[8] >= 0 for row in kept), kept
    rebuild_summaries(session)
    assert _cube(session) == kept
    return kept


def _data_version(session: Session) -> int:
    return session.execute(text("SELECT version FROM analytics_state")).scalar() or 0


def _triggers(session: Session) -> list[tuple]:
    if session.get_bind().dialect.name == "postgresql":
        sql = "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"
    else:
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY 1"
    return [tuple(r) for r in session.execute(text(sql))]


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def world(session, factory):
    """Two institutions and three incidents imported earlier, then given an obstacle, a
    police step and a school discipline step, a removed takedown and lawyer decisions on
    legal links."""
    inha = factory.institution(name="인하대학교", region="incheon")
    school = factory.institution(name="서울고등학교", kind="high_school", region="seoul")
    admin = factory.admin
    import_incidents(session, actor=admin, data=_csv(*KNOWN), filename="k.csv")
    known = session.exec(
        select(Incident)
        .where(col(Incident.external_id).in_(["K-0", "K-1", "K-2"]))
        .order_by(Incident.external_id)
    ).all()
    k0 = known[0]
    data = form_data(get_incident(session, actor=admin, incident_id=k0.id))
    update_incident(
        session,
        actor=admin,
        incident_id=k0.id,
        expected_version=k0.version,
        data=data | {"obstacles": ["only_viewed_claim"]},
    )
    for kind, day in (("arrested", 20), ("school_discipline", 25)):
        session.refresh(k0)
        add_event(
            session,
            actor=admin,
            incident_id=k0.id,
            expected_version=k0.version,
            kind=kind,
            occurred_on=date(2024, 8, day),
        )
    take = request_takedown(
        session,
        actor=admin,
        incident_id=known[1].id,
        platform="telegram",
        requested_on=date(2024, 8, 15),
    )
    resolve_takedown(
        session, actor=admin, takedown_id=take.id, outcome="removed", resolved_on=date(2024, 8, 18)
    )
    links = session.exec(
        select(LegalLink).where(LegalLink.incident_id == k0.id).order_by(LegalLink.id)
    ).all()
    set_link_state(session, actor=admin, link_id=links[0].id, state="confirmed", note="확인")
    set_link_state(session, actor=admin, link_id=links[-1].id, state="removed", note="해당 없음")
    for inc in known:
        session.refresh(inc)
    return {"inha": inha, "school": school, "known": known, "admin": admin}


def _mixed_file() -> bytes:
    """Four new rows, two changed known incidents (one moves institution, month, status,
    conducts and minors; one its summary, room and ages), one unchanged."""
    new = [
        ROW
        | {
            "external_id": f"N-{i}",
            "title": f"새 사건 {i}",
            "institution": ("인하대학교", "서울고등학교")[i % 2],
            "reported_on": f"2024-{8 + i % 3:02d}-0{i + 1}",
            "room_members": str(900 * i),
            "victims_minor": str(i % 2),
            "conducts": ("view", "create;possess")[i % 2],
        }
        for i in range(4)
    ]
    changed = [
        KNOWN[0]
        | {
            "institution": "서울고등학교",
            "reported_on": "2024-09-15",
            "status": "released",
            "conducts": "view",
            "victims_minor": "2",
            "summary": "바뀐 요약",
        },
        KNOWN[1] | {"room_members": "5000", "summary": "둘째 요약", "suspects_teen": "3"},
    ]
    return _csv(*new, *changed, KNOWN[2])


def test_creates_and_updates_keep_the_cube_equal_to_a_rebuild(session, world) -> None:
    _assert_cube_is_a_rebuild(session)
    version, triggers = _data_version(session), _triggers(session)
    report = import_incidents(session, actor=world["admin"], data=_mixed_file(), filename="m.csv")
    assert report.committed, report.problems
    assert (report.count("create"), report.count("update"), report.count("unchanged")) == (4, 2, 1)
    kept = _assert_cube_is_a_rebuild(session)
    assert {r[0] for r in kept} == MEASURES
    assert _data_version(session) != version
    assert _triggers(session) == triggers  # put back exactly as they were
    assert session.execute(text("SELECT COUNT(*) FROM bulk_write")).scalar() == 0
    assert verify_chain(session).ok
    # After the bulk write, form saves are counted by the triggers again.
    k0 = session.get(Incident, world["known"][0].id)
    form = {
        "title": "폼 저장",
        "reported_on": date(2024, 10, 2),
        "status": "arrested",
        "institution_ids": [world["inha"].id],
        "conducts": ["sell"],
    }
    update_incident(
        session, actor=world["admin"], incident_id=k0.id, expected_version=k0.version, data=form
    )
    _assert_cube_is_a_rebuild(session)


def test_updates_keep_lawyer_decisions_and_add_a_status_step(session, world) -> None:
    k0 = world["known"][0]

    def decisions() -> set[tuple]:
        query = select(LegalLink).where(
            LegalLink.incident_id == k0.id, LegalLink.state != "suggested"
        )
        return {
            (ln.conduct, ln.version_id, ln.basis, ln.state, ln.note) for ln in session.exec(query)
        }

    def link_rows(incident_id: int) -> list[tuple]:
        query = select(LegalLink.id, LegalLink.version_id, LegalLink.gap, LegalLink.updated_at)
        return session.exec(query.where(LegalLink.incident_id == incident_id)).all()

    decided, k1_links = decisions(), link_rows(world["known"][1].id)
    assert {d[3] for d in decided} == {"confirmed", "removed"}
    import_incidents(session, actor=world["admin"], data=_mixed_file(), filename="m.csv")
    assert decisions() == decided
    # K-1's conducts, victims and date did not change: its suggestions stay as they were
    assert link_rows(world["known"][1].id) == k1_links and k1_links
    stored = session.get(Incident, k0.id)
    session.refresh(stored)
    got = (stored.status, stored.region, stored.institution_kind, stored.reported_month)
    assert got == ("released", "seoul", "high_school", "2024-09")
    assert stored.obstacles == ["only_viewed_claim"]  # not a column of the file: kept
    steps = session.exec(
        select(IncidentEvent.kind, IncidentEvent.note)
        .where(IncidentEvent.incident_id == k0.id)
        .order_by(IncidentEvent.id)
    ).all()
    # two steps through the workflow, then the file's status change, as an edit makes it
    assert steps == [("arrested", ""), ("school_discipline", ""), ("released", "edit")]


def test_a_batch_update_stores_what_update_incident_stores(session, factory) -> None:
    """The same change to two identical incidents, one through the file and one through
    the form's update_incident: the same row, links, legal links, events and audit."""
    admin = factory.admin
    inha = factory.institution(name="인하대학교", region="incheon")
    factory.institution(name="서울고등학교", kind="high_school", region="seoul")
    base = {
        "institution_ids": [inha.id],
        "reported_on": date(2024, 8, 10),
        "title": "같은 사건",
        "occurred_on": date(2024, 8, 1),
        "conducts": ["view", "possess"],
        "status": "reported",
        "victims_count": 5,
        "victims_minor": 0,
    }
    by_file = factory.incident(external_id="F", **base)
    by_form = factory.incident(external_id="G", **base)
    for inc in (by_file, by_form):  # a lawyer decision on each, to be kept
        first = session.exec(
            select(LegalLink).where(LegalLink.incident_id == inc.id).order_by(LegalLink.id)
        ).first()
        set_link_state(session, actor=admin, link_id=first.id, state="confirmed", note="ok")
    change = ROW | {
        "title": "같은 사건",
        "institution": "서울고등학교",
        "status": "investigating",
        "reported_on": "2024-09-01",
        "conducts": "create;view",
        "victims": "5",
        "victims_minor": "2",
        "summary": "새 요약",
        "room_members": "70",
    }
    planned = import_incidents(
        session,
        actor=admin,
        data=_csv(change | {"external_id": "G"}),
        filename="g.csv",
        dry_run=True,
    ).rows[0]
    session.refresh(by_form)
    update_incident(
        session,
        actor=admin,
        incident_id=by_form.id,
        expected_version=by_form.version,
        data=planned.form.model_dump(),
    )
    report = import_incidents(
        session, actor=admin, data=_csv(change | {"external_id": "F"}), filename="f.csv"
    )
    assert report.count("update") == 1 and report.committed

    def state(inc_id: int) -> dict:
        def rows(*fields) -> list:
            table = fields[0].class_
            return sorted(session.exec(select(*fields).where(table.incident_id == inc_id)).all())

        row = session.get(Incident, inc_id)
        session.refresh(row)
        skip = {"id", "external_id", "created_at", "updated_at"}
        updated = (AuditLog.action == "incident.update", AuditLog.entity_id == str(inc_id))
        entry = session.exec(select(AuditLog).where(*updated)).one()
        ln, ev = LegalLink, IncidentEvent
        return {
            "row": {k: v for k, v in row.model_dump().items() if k not in skip},
            "institutions": rows(IncidentInstitution.institution_id),
            "conducts": rows(IncidentConduct.conduct),
            "legal": rows(
                ln.conduct, ln.victim, ln.version_id, ln.basis, ln.gap, ln.origin, ln.state, ln.note
            ),
            "events": rows(ev.kind, ev.occurred_on, ev.note),
            # conducts are a set; the order they are read back in does not count
            "audit": [
                {k: sorted(v) if k == "conducts" else v for k, v in side.items() if k not in skip}
                for side in (entry.before, entry.after)
            ],
        }

    file_state, form_state = state(by_file.id), state(by_form.id)
    assert file_state == form_state
    assert file_state["row"]["region"] == "seoul" and file_state["row"]["version"] == 2
    assert file_state["events"][-1][0] == "investigating"
    assert file_state["audit"][1]["summary"] == audit.text_digest("새 요약")
    _assert_cube_is_a_rebuild(session)


def test_imported_and_updated_rows_are_found_by_search(session, world) -> None:
    admin = world["admin"]
    rows = [ROW | {"external_id": f"S-{i}", "title": f"능욕방 압수수색 사건 {i}"} for i in range(3)]
    import_incidents(session, actor=admin, data=_csv(*rows), filename="s.csv")

    def found(words: str) -> set[str]:
        page = list_incidents(session, actor=admin, filters=IncidentFilter(text=words))
        return {session.get(Incident, r.id).external_id for r in page.rows}

    assert found("압수수색") == {"S-0", "S-1", "S-2"}
    renamed = rows[:1] + [rows[1] | {"title": "대화방 구속영장 사건"}] + rows[2:]
    import_incidents(session, actor=admin, data=_csv(*renamed), filename="s.csv")
    assert found("압수수색") == {"S-0", "S-2"}
    assert found("구속영장") == {"S-1"}
    if session.get_bind().dialect.name == "sqlite":  # the index agrees with its table
        session.execute(
            text("INSERT INTO incident_fts(incident_fts, rank) VALUES ('integrity-check', 1)")
        )
    session.rollback()


def test_importing_the_same_file_again_changes_nothing(session, world) -> None:
    data = _mixed_file()
    import_incidents(session, actor=world["admin"], data=data, filename="m.csv")
    before = (
        _data_version(session),
        _cube(session),
        _count(session, AuditLog),
        _count(session, LegalLink),
        _count(session, IncidentEvent),
    )
    again = import_incidents(session, actor=world["admin"], data=data, filename="m.csv")
    assert again.count("unchanged") == 7 and again.count("update") == 0
    after = (
        _data_version(session),
        _cube(session),
        _count(session, AuditLog),
        _count(session, LegalLink),
        _count(session, IncidentEvent),
    )
    assert after == before


def _state(session: Session) -> tuple:
    counts = [_count(session, m) for m in (Incident, LegalLink, IncidentEvent, AuditLog)]
    return _cube(session), _data_version(session), _triggers(session), counts


def _fails(*args, **kwargs) -> None:
    raise RuntimeError("disk full")


@pytest.mark.parametrize("where", ["_insert_legal_links", "update_rows"])
def test_a_failure_while_writing_leaves_everything_as_it_was(
    session, world, monkeypatch, where
) -> None:
    _assert_cube_is_a_rebuild(session)
    state = _state(session)
    monkeypatch.setattr(import_write, where, _fails)
    with pytest.raises(RuntimeError):
        import_incidents(session, actor=world["admin"], data=_mixed_file(), filename="m.csv")
    assert _state(session) == state
    assert session.execute(text("SELECT COUNT(*) FROM bulk_write")).scalar() == 0
    assert verify_chain(session).ok
    monkeypatch.undo()  # the triggers work again for the next write
    report = import_incidents(session, actor=world["admin"], data=_mixed_file(), filename="m.csv")
    assert report.committed
    _assert_cube_is_a_rebuild(session)


def test_a_save_since_the_check_refuses_the_whole_file(session, world) -> None:
    report = import_incidents(
        session, actor=world["admin"], data=_mixed_file(), filename="m.csv", dry_run=True
    )
    k1 = session.get(Incident, world["known"][1].id)
    update_incident(
        session,
        actor=world["admin"],
        incident_id=k1.id,
        expected_version=k1.version,
        data={
            "title": "누군가 먼저 저장",
            "reported_on": date(2024, 8, 11),
            "status": "investigating",
            "conducts": ["view"],
        },
    )
    kept, incidents = _cube(session), _count(session, Incident)
    with pytest.raises(StaleEdit):
        write_report(session, actor=world["admin"], report=report, progress=lambda f, p: None)
    assert (_cube(session), _count(session, Incident)) == (kept, incidents)
    assert session.get(Incident, k1.id).title == "누군가 먼저 저장"


def test_a_commit_inside_a_bulk_write_is_refused(session, world) -> None:
    """The pause cannot outlive its transaction: committing before the upkeep is done
    fails (the deferred foreign key of bulk_write), and a rollback restores everything."""
    triggers, kept = _triggers(session), _cube(session)
    with pytest.raises(IntegrityError), bulk_write(session, existing=[world["known"][0].id]):
        session.execute(text("UPDATE incident SET status = 'convicted'"))
        session.commit()
    session.rollback()
    assert (_triggers(session), _cube(session)) == (triggers, kept)
    assert session.execute(text("SELECT COUNT(*) FROM bulk_write")).scalar() == 0


def test_other_connections_see_none_or_all_of_an_import(session, world, db_url, monkeypatch):
    """While the import's transaction is open, another connection sees neither its rows
    nor its cube counts, and the triggers are on for it; after the commit, all of them."""
    seen: list[tuple] = []
    other = engine_for(db_url)

    def look() -> tuple:
        with other.connect() as conn:
            new = conn.execute(text("SELECT COUNT(*) FROM incident WHERE external_id LIKE 'N-%'"))
            counted = conn.execute(
                text("SELECT COALESCE(SUM(n), 0) FROM analytics_cube WHERE measure = 'incident'")
            )
            total = conn.execute(text("SELECT COUNT(*) FROM incident"))
            if conn.dialect.name == "sqlite":
                live = conn.execute(
                    text(
                        "SELECT COUNT(*) FROM sqlite_master WHERE "
                        "type = 'trigger' AND name LIKE 'trg_%'"
                    )
                )
            else:
                live = conn.execute(
                    text(
                        "SELECT current_setting('casebook.bulk_write', true) "
                        "IS NOT DISTINCT FROM 'on'"
                    )
                )
            return new.scalar(), counted.scalar(), total.scalar(), live.scalar()

    real = import_write.update_rows

    def update_and_look(*args, **kwargs):
        out = real(*args, **kwargs)  # inside the bulk write: new rows in, triggers off
        seen.append(look())
        return out

    monkeypatch.setattr(import_write, "update_rows", update_and_look)
    before = look()
    import_incidents(session, actor=world["admin"], data=_mixed_file(), filename="m.csv")
    after = look()
    assert seen == [before]
    assert before[0] == 0 and before[1] == before[2]
    assert before[3] is False or before[3] >= 20  # not paused; SQLite: every trigger there
    assert after[0] == 4 and after[1] == after[2] == before[2] + 4 and after[3] == before[3]
