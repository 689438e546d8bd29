"""Incident list filters at scale: legal-gap, provision, institution and combined filters.

python -m bench.incident_filters [N]   (default 100,000 synthetic incidents, SQLite)

Builds a scratch database under a temporary folder with N incidents, their conduct,
institution and legal-link rows inserted in bulk (no hooks: the figures are about the
queries), then times one page of 50 plus the total count per filter and prints a
Markdown table, also written into bench/README.md under "Incident filters".
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.ops import migrate as dbadmin
from db.engine import engine_for
from db.models import Incident, IncidentConduct, IncidentInstitution, Institution, LegalLink, User

VIEW_NOW = "sexual-crimes-act:14-2@2024-10-16"
CREATE_THEN = "sexual-crimes-act:14-2@2020-06-25"
RARE = "network-act:74@2014-01-01"  # on 1% of incidents


def _build(session: Session, n: int) -> None:
    rnd = random.Random(6)
    session.execute(insert(User), [{"username": "bench", "password_hash": "x", "role": "admin"}])
    session.execute(
        insert(Institution),
        [
            {
                "name": f"기관 {i}",
                "name_normalized": f"기관 {i}",
                "kind": "university",
                "region": "seoul",
                "aliases": [],
            }
            for i in range(1, 501)
        ],
    )
    start = date(2020, 1, 1)
    for lo in range(1, n + 1, 10_000):
        ids = range(lo, min(n, lo + 9_999) + 1)
        incidents, conducts, insts, links = [], [], [], []
        for i in ids:
            day = start + timedelta(days=rnd.randrange(0, 1800))
            gap = day < date(2024, 10, 16) and i % 3 == 0
            incidents.append(
                {
                    "id": i,
                    "title": f"사건 {i}",
                    "summary": "",
                    "reported_on": day,
                    "reported_month": day.strftime("%Y-%m"),
                    "platform": "telegram",
                    "status": "reported",
                    "legal_gap": gap,
                    "has_minor": i % 4 == 0,
                    "victims_minor": 1 if i % 4 == 0 else 0,
                    "region": "seoul",
                    "institution_kind": "university",
                    "victim_groups": [],
                    "suspects_by_age": {},
                    "obstacles": [],
                    "tags": [],
                    "sources": [],
                    "notes": "",
                }
            )
            conducts.append({"incident_id": i, "conduct": "view" if gap else "create"})
            insts.append({"incident_id": i, "institution_id": 1 + i % 500, "position": 0})
            links.append(
                {
                    "incident_id": i,
                    "conduct": "create",
                    "victim": "adult",
                    "version_id": RARE if i % 100 == 0 else CREATE_THEN,
                    "basis": "then",
                    "gap": "",
                    "note": "",
                }
            )
            links.append(
                {
                    "incident_id": i,
                    "conduct": "view" if gap else "create",
                    "victim": "adult",
                    "version_id": VIEW_NOW,
                    "basis": "now",
                    "gap": "not_criminal_then" if gap else "",
                    "note": "소급 검토" if i % 1000 == 0 else "",
                }
            )
        session.execute(insert(Incident), incidents)
        session.execute(insert(IncidentConduct), conducts)
        session.execute(insert(IncidentInstitution), insts)
        session.execute(insert(LegalLink), links)
    session.commit()


CASES = [
    ("no filter", IncidentFilter()),
    ("legal_gap", IncidentFilter(legal_gap=True)),
    ("legal_gap + minors", IncidentFilter(legal_gap=True, minors=True)),
    ("version_id (on every incident)", IncidentFilter(version_id=VIEW_NOW)),
    ("version_id on 1%", IncidentFilter(version_id=RARE)),
    ("provision_id", IncidentFilter(provision_id="sexual-crimes-act:14-2")),
    ("provision_id on 1%", IncidentFilter(provision_id="network-act:74")),
    ("legal note words", IncidentFilter(legal_note="소급")),
    ("institution", IncidentFilter(institution_id=7)),
    ("institution + legal_gap", IncidentFilter(institution_id=7, legal_gap=True)),
]


def _time(session: Session, actor: User, f: IncidentFilter) -> tuple[float, int]:
    best = float("inf")
    total = 0
    for _ in range(3):
        t = time.perf_counter()
        page = list_incidents(session, actor=actor, filters=f, page=1, page_size=50)
        best = min(best, time.perf_counter() - t)
        total = page.total
    return best * 1000, total


def main(n: int = 100_000) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        dbadmin.upgrade(url)
        engine = engine_for(url)
        with Session(engine) as session:
            t = time.perf_counter()
            _build(session, n)
            built = time.perf_counter() - t
            actor = session.get(User, 1)
            lines = [
                f"{n:,} incidents (built in {built:.1f} s), SQLite, page of 50 + count, best of 3:",
                "",
                "| filter | matches | ms |",
                "|---|---:|---:|",
            ]
            for name, f in CASES:
                ms, total = _time(session, actor, f)
                lines.append(f"| {name} | {total:,} | {ms:.1f} |")
        engine.dispose()
    return "\n".join(lines)


def _write_readme(table: str) -> None:
    path = Path(__file__).parent / "README.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    head = "## Incident filters (incidents helper)"
    section = f"{head}\n\n`python -m bench.incident_filters [N]`\n\n{table}\n"
    if head in text:
        before, _, rest = text.partition(head)
        after = rest.split("\n## ", 1)
        text = before + section + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    result = main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    print(result)
    _write_readme(result)
