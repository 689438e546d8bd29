"""Concurrent processes on PostgreSQL (tests/incidents/test_concurrency.py covers SQLite):
form saves and a spreadsheet import at once lose nothing and keep one unforked audit chain."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlmodel import Session, func, select

from casebook.access.audit import verify_chain
from db.engine import make_engine
from db.models import AuditLog, Incident, User
from tests.incidents.test_concurrency import _writer

IMPORT_ROWS = 20


def _importer(url: str, admin_id: int, errors) -> None:
    from casebook.importing.run import import_incidents

    lines = ["title,reported_on,conducts"]
    lines += [f"동시 가져오기 사건 {i},2024-09-0{1 + i % 9},view" for i in range(IMPORT_ROWS)]
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            report = import_incidents(
                s, actor=s.get(User, admin_id), filename="c.csv", data="\n".join(lines).encode()
            )
            if not report.committed:
                errors.put(f"import not committed: {report.problems[:3]}")
    except Exception as exc:
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


def test_processes_saving_and_importing_at_once_on_postgresql(session, factory, db_url) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite processes are in tests/incidents/test_concurrency.py")
    admin = factory.admin
    ctx = multiprocessing.get_context("spawn")
    errors = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(db_url, admin.id, w, 10, errors)) for w in range(3)]
    procs.append(ctx.Process(target=_importer, args=(db_url, admin.id, errors)))
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=180)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert session.exec(select(func.count()).select_from(Incident)).one() == 30 + IMPORT_ROWS
    ids = session.exec(select(AuditLog.id).order_by(AuditLog.id)).all()
    assert ids == list(range(ids[0], ids[0] + len(ids)))  # one chain, no gaps, no fork
    report = verify_chain(session)
    assert report.ok and report.rows == len(ids), report
