"""Generate a synthetic Casebook database for benchmarks: fixed seed, N incidents,
bulk inserts, realistic skew (most reports in the August–October 2024 wave, a few
regions and institutions with most incidents, telegram dominant, most suspects teens).

    python -m bench.generate --n 100000 --db /tmp/casebook-bench.db

Other benches call ``generate(url, n)`` or ``ensure_db(path, n)``. Rows are marked
``is_synthetic``; no audit rows are written for them (they are not user actions).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from casebook.analytics import summaries as analytics_cube
from casebook.ops import migrate as dbadmin
from casebook.textnorm import normalize_name
from casebook.vocab import CONDUCTS, INSTITUTION_KINDS, PLATFORMS, REGIONS, STATUSES
from db.engine import make_engine
from db.models import Incident, IncidentConduct, IncidentInstitution, Institution, User, utcnow

SEED = 20241016
BENCH_USER = "bench"
BENCH_PASSWORD = "correct horse battery"
CHUNK = 5000
# Words of titles and summaries, drawn with Zipf weights: a few are in most incidents,
# most are rare, as in real case notes.
WORDS = [
    "텔레그램",
    "합성물",
    "딥페이크",
    "사진",
    "학생",
    "유포",
    "지인",
    "동문",
    "협박",
    "교사",
    "능욕방",
    "봇",
    "피해자",
    "가해자",
    "수사",
    "경찰",
    "신고",
    "학교폭력위원회",
    "징계",
    "졸업생",
    "재학생",
    "프로필",
    "인스타그램",
    "카카오톡",
    "디스코드",
    "채널",
    "초대",
    "링크",
    "대화방",
    "얼굴",
    "합성",
    "제작",
    "판매",
    "구매",
    "시청",
    "소지",
    "저장",
    "군",
    "간부",
    "직장",
    "동료",
    "상사",
    "Telegram",
    "deepfake",
    "bot",
    "room",
    "nudify",
    "alumni",
    "school",
    "police",
    "report",
    "victims",
    "channel",
    "invite",
    "학부모",
    "담임",
    "교육청",
    "압수수색",
    "구속",
    "기소",
]
WORD_WEIGHTS = [1 / (i + 1) for i in range(len(WORDS))]
KIND_WEIGHTS = [40, 25, 20, 5, 6, 2, 2]
STATUS_WEIGHTS = [30, 25, 10, 8, 2, 8, 6, 5, 1, 3, 2]
PLATFORM_WEIGHTS = [70, 8, 8, 6, 5, 3]


def _when(rng: random.Random) -> date:
    if rng.random() < 0.6:  # the 2024 wave
        return date(2024, 8, 15) + timedelta(days=int(rng.expovariate(1 / 20)) % 80)
    return date(2020, 1, 1) + timedelta(days=rng.randrange(0, 6 * 365))


def _institutions(rng: random.Random, count: int) -> list[dict]:
    region_weights = [30 if r in ("seoul", "gyeonggi") else 6 for r in REGIONS]
    out = []
    for i in range(count):
        kind = rng.choices(INSTITUTION_KINDS, KIND_WEIGHTS)[0]
        name = f"{rng.choice(['한빛', '새솔', '가람', '누리', '다온'])}{kind[:3]} {i}"
        out.append(
            {
                "name": name,
                "name_normalized": normalize_name(name),
                "kind": kind,
                "region": rng.choices(REGIONS, region_weights)[0],
                "aliases": [],
                "is_demo": False,
                "created_at": utcnow(),
                "version": 1,
            }
        )
    return out


def _incident(rng: random.Random, n: int, inst: dict, now) -> dict:
    reported = _when(rng)
    victims = max(1, int(rng.paretovariate(1.5)))
    minors = rng.randint(0, victims) if inst["kind"].endswith("school") else 0
    title = f"{inst['name']} {' '.join(rng.choices(WORDS, WORD_WEIGHTS, k=3))} 사건 {n}"
    summary = " ".join(rng.choices(WORDS, WORD_WEIGHTS, k=rng.randint(3, 15)))
    return {
        "title": title,
        "summary": summary,
        "reported_on": reported,
        "occurred_on": reported - timedelta(days=rng.randint(0, 60)),
        "reported_month": reported.strftime("%Y-%m"),
        "platform": rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0],
        "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
        "region": inst["region"],
        "institution_kind": inst["kind"],
        "victims_count": victims,
        "victims_estimated": False,
        "victims_minor": minors,
        "victim_groups": [],
        "suspects_count": rng.randint(1, 5),
        "suspects_by_age": {"14to19": rng.randint(0, 3)},
        "suspect_relation": "",
        "room_members": rng.choice([None, rng.randint(10, 5000)]),
        "obstacles": [],
        "tags": [],
        "sources": [],
        "notes": "",
        "has_minor": minors > 0,
        "legal_gap": rng.random() < 0.1,
        "is_demo": False,
        "is_synthetic": True,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def generate(url: str, n: int, seed: int = SEED, institutions: int = 800) -> None:
    """Migrate ``url`` and add a bench user, institutions and ``n`` incidents."""
    from casebook.access.auth import hash_password

    dbadmin.upgrade(url)
    rng = random.Random(seed)
    engine = make_engine(url)
    with engine.begin() as conn:
        dialect = conn.dialect.name
        # The summary triggers would upsert a dozen cube rows per incident: load without them,
        # then count the cube once from the base tables and put the triggers back.
        for stmt in analytics_cube.uninstall_sql(dialect):
            conn.execute(text(stmt))
        conn.execute(
            insert(User.__table__),
            [
                {
                    "username": BENCH_USER,
                    "display_name": "bench",
                    "role": "admin",
                    "password_hash": hash_password(BENCH_PASSWORD),
                    "active": True,
                    "failed_logins": 0,
                    "totp_enabled": False,
                    "can_see_victim_details": False,
                    "password_changed_at": utcnow(),
                    "created_at": utcnow(),
                    "version": 1,
                }
            ],
        )
        insts = _institutions(rng, institutions)
        conn.execute(insert(Institution.__table__), insts)
        ids = list(conn.execute(select(Institution.id).order_by(Institution.id)).scalars())
        for inst, inst_id in zip(insts, ids, strict=True):
            inst["id"] = inst_id
        weights = [1 / (i + 1) for i in range(len(insts))]  # Zipf: a few hot institutions
        first = (conn.execute(select(func.max(Incident.id))).scalar() or 0) + 1
        now = utcnow()
        for start in range(0, n, CHUNK):
            count = min(CHUNK, n - start)
            picked = rng.choices(insts, weights, k=count)
            rows = [
                _incident(rng, start + i, inst, now) | {"id": first + start + i}
                for i, inst in enumerate(picked)
            ]
            conn.execute(insert(Incident.__table__), rows)
            conn.execute(
                insert(IncidentInstitution.__table__),
                [
                    {"incident_id": r["id"], "institution_id": inst["id"], "position": 0}
                    for r, inst in zip(rows, picked, strict=True)
                ],
            )
            conn.execute(
                insert(IncidentConduct.__table__),
                [
                    {"incident_id": r["id"], "conduct": c}
                    for r in rows
                    for c in rng.sample(CONDUCTS, rng.randint(1, 3))
                ],
            )
        if dialect == "postgresql":
            _move_sequences(conn)
        for stmt in analytics_cube.rebuild_sql(dialect) + analytics_cube.install_sql(dialect):
            conn.execute(text(stmt))
    engine.dispose()


def _move_sequences(conn) -> None:
    """Rows went in with explicit ids: move each id sequence past them so the app's own
    inserts (an import bench, a form save) do not collide with generated rows."""
    for table in ("incident", "institution", "user"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT coalesce(max(id), 1) FROM "{table}"))'
            )
        )


def ensure_db(path: Path, n: int) -> str:
    """The URL of a generated database at ``path`` with ``n`` incidents (made if missing)."""
    url = f"sqlite:///{path}"
    if not path.exists():
        generate(url, n)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/casebook-bench.db")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    path = Path(args.db)
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    generate(f"sqlite:///{path}", args.n, seed=args.seed)
    print(f"{args.n:,} incidents in {time.perf_counter() - started:.1f} s -> {path}")


if __name__ == "__main__":
    main()
