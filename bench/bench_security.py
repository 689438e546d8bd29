"""Time the security operations on a synthetic SQLite database of N incidents.

python -m bench.bench_security [N]   (default 10,000)

Each incident has an encrypted victim contact and one audit row. Measures: audit verify
over the whole chain, backup create, restore into a fresh database, key rotation.
Runs in a temporary folder with its own key; touches no real data.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from cryptography.fernet import Fernet


def _timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<32} {time.perf_counter() - start:8.2f} s")
    return result


PASSPHRASE = "bench-backup-passphrase"


def main(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="casebook-bench-"))
    os.environ.update(
        CASEBOOK_DATA_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'a.db'}",
        CASEBOOK_SECRET_KEY=Fernet.generate_key().decode(),
    )
    from sqlmodel import Session

    from casebook.access import audit, crypto, users
    from casebook.access.keys import rotate_keys
    from casebook.config import get_settings
    from casebook.ops import migrate as dbadmin
    from casebook.ops.backup import create_backup
    from casebook.ops.restore import restore_backup
    from db.engine import engine_for
    from db.models import Incident

    dbadmin.upgrade()
    engine = engine_for(get_settings().url)
    with Session(engine, expire_on_commit=False) as s:
        admin = users.create_user(
            s,
            actor=None,
            data={"username": "bench", "role": "admin", "password": "bench password 1"},
        )

        def fill() -> None:
            rows = [
                Incident(
                    title=f"사건 {i}",
                    reported_on=date(2024, 9, 1),
                    reported_month="2024-09",
                    summary="요약 " * 20,
                    victim_contact_enc=crypto.encrypt(f"010-0000-{i:04d}"),
                )
                for i in range(n)
            ]
            s.add_all(rows)
            s.flush()
            for inc in rows:
                after = audit.snapshot(inc, ["title", "summary"])
                audit.record(
                    s,
                    actor=admin,
                    action="incident.create",
                    entity="incident",
                    entity_id=inc.id,
                    after=after,
                )
            s.commit()

        _timed(f"insert {n:,} incidents + audit", fill)
        _timed("audit verify", lambda: audit.verify_chain(s))
        path = tmp / "b.zip"
        _timed(
            "backup create", lambda: create_backup(s, actor=admin, path=path, passphrase=PASSPHRASE)
        )
        print(f"{'backup size':<32} {path.stat().st_size / 1e6:8.2f} MB")
        _timed(
            f"keys rotate ({n:,} values)", lambda: rotate_keys(s, actor=admin, out=tmp / "new.key")
        )
    fresh = f"sqlite:///{tmp / 'b.db'}"
    dbadmin.upgrade(fresh)
    with Session(engine_for(fresh)) as s2:
        _timed("backup restore (fresh SQLite)", lambda: restore_backup(s2, path, PASSPHRASE))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
