"""Crash safety: a process killed with SIGKILL in the middle of an import leaves the
database exactly as it was before the import (one transaction, nothing half-written)."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlmodel import Session, func, select

from casebook.access.audit import verify_chain
from db.models import AuditLog, Incident, IncidentConduct, IncidentInstitution, Institution

ROOT = Path(__file__).resolve().parents[2]
ROWS = 400
# The child imports the file and, the first time the importer reports the "write" phase
# (rows inserted, transaction still open), says so and waits to be killed.
CHILD = textwrap.dedent(
    """
    import sys, time
    from sqlmodel import Session, select
    from casebook.importing.run import import_incidents
    from db.engine import engine_for
    from db.models import User

    url, username, path = sys.argv[1:4]

    def progress(fraction, phase):
        if phase == "write":
            print("WRITING", fraction, flush=True)
            time.sleep(120)

    with Session(engine_for(url)) as session:
        actor = session.exec(select(User).where(User.username == username)).one()
        data = open(path, "rb").read()
        import_incidents(session, actor=actor, data=data, filename="big.csv",
                         create_institutions=True, progress=progress)
    print("COMMITTED", flush=True)
    """
)


def _csv(rows: int) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        ["title", "reported_on", "institution", "institution_kind", "region", "conducts", "summary"]
    )
    for i in range(rows):
        writer.writerow(
            [
                f"대량 가져오기 사건 {i}",
                "2024-09-01",
                f"크래시고등학교{i % 7}",
                "high_school",
                "seoul",
                "view;create",
                "요약 " * 10,
            ]
        )
    return buf.getvalue().encode("utf-8")


def _state(session: Session) -> tuple:
    counts = tuple(
        session.exec(select(func.count()).select_from(m)).one()
        for m in (Incident, IncidentConduct, IncidentInstitution, Institution, AuditLog)
    )
    last = session.exec(select(AuditLog.hash).order_by(AuditLog.id.desc())).first()
    return counts, last


def test_sigkill_mid_import_leaves_database_unchanged(
    session: Session, factory, db_url: str, tmp_path: Path
) -> None:
    admin = factory.admin
    factory.incident(admin)  # something to keep: the chain and counts are not empty
    before = _state(session)
    session.close()
    path = tmp_path / "big.csv"
    path.write_bytes(_csv(ROWS))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, admin.username, str(path)],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("WRITING"), (line, child.stderr.read())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    session.expire_all()
    assert _state(session) == before
    report = verify_chain(session)
    assert report.ok and report.rows == before[0][4], report
    # The database is usable afterwards: no lock or half-open transaction left behind.
    factory.incident(admin)
    assert _state(session)[0][0] == before[0][0] + 1
