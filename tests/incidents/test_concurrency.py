"""Concurrent saves: none is lost, none silently overwrites, no "database is locked"."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date

import pytest
from sqlmodel import Session, func, select

from casebook.errors import StaleEdit
from casebook.incidents import store as incidents
from db.engine import make_engine
from db.models import AuditLog, Incident, User


def test_threads_saving_the_same_incident_never_lose_a_save(session, factory, engine) -> None:
    inc = factory.incident(title="동시 편집")
    admin = factory.admin
    base = incidents.form_data(incidents.get_incident(session, actor=admin, incident_id=inc.id))
    outcomes: list[tuple[str, int]] = []
    barrier = threading.Barrier(6)

    def save(n: int) -> None:
        with Session(engine, expire_on_commit=False) as s:
            actor = s.get(User, admin.id)
            version = s.get(Incident, inc.id).version  # every thread reads version 1 ...
            barrier.wait()  # ... then all save at once
            try:
                incidents.update_incident(
                    s,
                    actor=actor,
                    incident_id=inc.id,
                    expected_version=version,
                    data=base | {"title": f"저장 {n}"},
                )
                outcomes.append(("saved", n))
            except StaleEdit:
                outcomes.append(("refused", n))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = [n for kind, n in outcomes if kind == "saved"]
    assert len(outcomes) == 6 and len(saved) == 1
    session.expire_all()
    final = session.get(Incident, inc.id)
    assert (final.version, final.title) == (2, f"저장 {saved[0]}")
    updates = session.exec(select(AuditLog).where(AuditLog.action == "incident.update")).all()
    assert [u.after["title"] for u in updates] == [f"저장 {saved[0]}"]


def test_sequential_saves_each_land_on_the_version_they_read(session, factory) -> None:
    inc = factory.incident()
    admin = factory.admin
    data = incidents.form_data(incidents.get_incident(session, actor=admin, incident_id=inc.id))
    for n in range(1, 4):
        saved = incidents.update_incident(
            session,
            actor=admin,
            incident_id=inc.id,
            expected_version=n,
            data=data | {"title": f"v{n}"},
        )
        assert saved.version == n + 1


def _writer(url: str, admin_id: int, worker: int, count: int, errors) -> None:
    engine = make_engine(url)
    try:
        for n in range(count):
            with Session(engine) as s:
                actor = s.get(User, admin_id)
                incidents.record_incident(
                    s,
                    actor=actor,
                    data={
                        "title": f"프로세스 {worker} 사건 {n}",
                        "reported_on": date(2024, 9, 1),
                        "conducts": ["create"],
                    },
                )
    except Exception as exc:
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


def test_processes_writing_at_once_on_sqlite_never_see_locked(session, factory, db_url) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the SQLite locking test")
    admin = factory.admin
    ctx = multiprocessing.get_context("spawn")
    errors = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(db_url, admin.id, w, 15, errors)) for w in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert session.exec(select(func.count()).select_from(Incident)).one() == 60
    from casebook.access.audit import verify_chain

    assert verify_chain(session).ok
