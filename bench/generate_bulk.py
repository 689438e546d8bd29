"""Fast synthetic data for the analytics benchmark: raw executemany inserts, one transaction.

    python -m bench.generate_bulk --db data/bench.db --incidents 1000000 [--triggers]

Creates (or replaces) a migrated SQLite file with institutions, incidents, conducts,
institution links, events, takedowns and legal links. By default the analytics triggers
and secondary indexes are dropped for the load, the cube is counted in memory as the rows
are made and written at the end (the outcome measures by SQL after the load), and indexes
and triggers are recreated (tests/test_analytics*.py check that the triggers and
``rebuild_summaries`` agree); ``--triggers`` keeps the triggers on to measure what
per-row upkeep costs.
Every row is marked is_synthetic. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from casebook.analytics import advocacy as analytics_advocacy
from casebook.analytics import outcomes as analytics_outcomes
from casebook.analytics.cube import ALL_INCIDENTS, CUBE_COLS, POLICE_KINDS, bump_sql
from casebook.analytics.summaries import install_sql, uninstall_sql
from casebook.ops import migrate as dbadmin
from casebook.vocab import CONDUCTS, INSTITUTION_KINDS, OBSTACLES, REGIONS, STATUSES

PLATFORMS = ("telegram",) * 6 + ("discord", "kakaotalk", "x", "instagram", "other")
START = date(2021, 1, 1)
DAYS = (date(2025, 12, 31) - START).days
NOW = "2026-01-01 00:00:00.000000"
BANDS = ("under14", "14to19", "14to19", "14to19", "20s", "30plus", "unknown")
REASONS = ("only_viewed", "insufficient_evidence", "minor_offender", "bail", "other")

INCIDENT_SQL = (
    "INSERT INTO incident (id, title, summary, reported_on, occurred_on, reported_month, "
    "platform, status, region, institution_kind, victims_count, victims_estimated, "
    "victims_minor, victim_groups, suspects_count, suspects_by_age, suspect_relation, "
    "room_members, obstacles, tags, sources, notes, has_minor, legal_gap, is_demo, "
    "is_synthetic, created_at, updated_at, version) VALUES "
    "(?, ?, '', ?, NULL, ?, ?, ?, ?, ?, ?, 0, ?, '[]', ?, ?, '', ?, ?, '[]', '[]', '', ?, ?, "
    "0, 1, ?, ?, 1)"
)


def _institutions(conn: sqlite3.Connection, count: int, rng: random.Random) -> list[tuple]:
    rows = [
        (i, f"합성기관 {i}", f"합성기관 {i}", rng.choice(INSTITUTION_KINDS), rng.choice(REGIONS))
        for i in range(1, count + 1)
    ]
    conn.executemany(
        "INSERT INTO institution (id, name, name_normalized, kind, region, aliases, is_demo, "
        "created_at, version) VALUES (?, ?, ?, ?, ?, '[]', 0, ?, 1)",
        [r + (NOW,) for r in rows],
    )
    return rows


LINK_SQL = (
    "INSERT INTO legallink (incident_id, conduct, victim, version_id, basis, gap, origin, "
    "state, note, updated_at) VALUES (?, ?, 'adult', 'synthetic', 'then', ?, 'engine', "
    f"'suggested', '', '{NOW}')"
)


def _pools(rng: random.Random) -> dict[str, list]:
    """Pre-serialised JSON values, so the row loop does no json.dumps."""
    ages = []
    for _ in range(300):
        found: dict[str, int] = {}
        for _ in range(rng.randint(1, 3)):
            band = rng.choice(BANDS)
            found[band] = found.get(band, 0) + 1
        ages.append((json.dumps(found), sum(found.values())))
    ages += [("{}", None)] * 200  # 60% of incidents break suspects down by age
    obstacles = [json.dumps([o]) for o in OBSTACLES] + ["[]"] * 24
    rooms = [None] * 10 + [rng.randint(5, 20000) for _ in range(10)]
    return {"ages": ages, "obstacles": obstacles, "rooms": rooms}


def _incidents(start: int, insts: list, size: int, rng: random.Random, pools: dict) -> list:
    """``size`` incident rows (ids from ``start``), columns drawn in bulk for speed."""
    days = [START + timedelta(days=d) for d in rng.choices(range(DAYS), k=size)]
    picks = [insts[int(rng.paretovariate(1.2)) % len(insts)] for _ in range(size)]
    ages = rng.choices(pools["ages"], k=size)
    obstacles = rng.choices(pools["obstacles"], k=size)
    rooms = rng.choices(pools["rooms"], k=size)
    platforms = rng.choices(PLATFORMS, k=size)
    statuses = rng.choices(STATUSES, k=size)
    minors = rng.choices((0, 0, 1, 2), k=size)
    victims = rng.choices(range(1, 31), k=size)
    gaps = [r < 0.1 for r in (rng.random() for _ in range(size))]
    rows = []
    for k in range(size):
        n, d, inst = start + k, days[k], picks[k]
        rows.append(
            (
                n,
                f"합성 사건 {n}",
                d.isoformat(),
                d.strftime("%Y-%m"),
                platforms[k],
                statuses[k],
                inst[4],
                inst[3],
                max(victims[k], minors[k]),
                minors[k],
                ages[k][1],
                ages[k][0],
                rooms[k],
                obstacles[k],
                minors[k] > 0,
                gaps[k],
                NOW,
                NOW,
                inst,
                d,
            )
        )
    return rows


def _children(n: int, inst: tuple, reported: date, rng: random.Random, out: dict) -> date | None:
    """Append the incident's child rows to ``out``; return its first police step's date."""
    first_event = len(out["event"])
    for conduct in rng.sample(CONDUCTS, rng.randint(1, 3)):
        out["conduct"].append((n, conduct))
    out["inst"].append((n, inst[0], 0))
    r = rng.random()
    if r < 0.4:
        out["event"].append((n, "investigating", reported + timedelta(days=rng.randint(0, 60)), ""))
    if r < 0.1:
        out["event"].append(
            (n, "released", reported + timedelta(days=rng.randint(5, 90)), rng.choice(REASONS))
        )
    if rng.random() < 0.05:
        out["event"].append(
            (n, "school_discipline", reported + timedelta(days=rng.randint(3, 120)), "")
        )
    if rng.random() < 0.1:
        outcome = rng.choice(("removed", "removed", "refused", "pending"))
        resolved = reported + timedelta(days=rng.randint(1, 30)) if outcome != "pending" else None
        out["takedown"].append((n, rng.choice(PLATFORMS), reported, outcome, resolved))
    if rng.random() < 0.15:
        out["link"].append(
            (n, rng.choice(CONDUCTS), rng.choice(("not_criminal_then", "penalty_raised")))
        )
    police = [e[2] for e in out["event"][first_event:] if e[1] in POLICE_KINDS]
    return min(police) if police else None


@cache
def _parsed(text: str):
    return json.loads(text)


def _room_bucket(members: int | None) -> str:
    if members is None:
        return "unknown"
    for limit, bucket in ((100, "lt100"), (1000, "100to999"), (10000, "1000to9999")):
        if members < limit:
            return bucket
    return "10000plus"


def _count(
    cube: dict, row: tuple, kids_conducts: list[str], inst_id: int, police: date | None
) -> None:
    """Add one incident to the in-memory cube (what the triggers would have counted)."""
    dims = (row[3], row[6] or "", row[7] or "", row[4], row[5], int(row[15]))

    def add(measure: str, key: str, total: int) -> None:
        slot = cube.setdefault((measure, key) + dims, [0, 0])
        slot[0] += 1
        slot[1] += total

    add("incident", "", row[8] or 0)
    add("room", _room_bucket(row[12]), row[12] or 0)
    for band, value in _parsed(row[11]).items():
        add("age", band, value)
    for word in _parsed(row[13]):
        add("obstacle", word, 0)
    for conduct in kids_conducts:
        add("conduct", conduct, 0)
    add("institution", str(inst_id), 0)
    if police is not None:
        add("police", "", (police - row[-1]).days)


def _flush(conn: sqlite3.Connection, incidents: list, kids: dict) -> None:
    conn.executemany(INCIDENT_SQL, incidents)
    conn.executemany(
        "INSERT INTO incidentconduct (incident_id, conduct) VALUES (?, ?)", kids["conduct"]
    )
    conn.executemany(
        "INSERT INTO incidentinstitution (incident_id, institution_id, position) VALUES (?, ?, ?)",
        kids["inst"],
    )
    conn.executemany(
        "INSERT INTO incidentevent (incident_id, kind, occurred_on, reason, note, "
        "sentence, created_at) VALUES (?, ?, ?, ?, '', '', '" + NOW + "')",
        [(a, b, c.isoformat(), d) for a, b, c, d in kids["event"]],
    )
    conn.executemany(
        "INSERT INTO takedown (incident_id, platform, requested_on, outcome, "
        "resolved_on, requested_by, note) VALUES (?, ?, ?, ?, ?, '', '')",
        [
            (a, b, c.isoformat(), d, e.isoformat() if e else None)
            for a, b, c, d, e in kids["takedown"]
        ],
    )
    conn.executemany(LINK_SQL, kids["link"])


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the load tables' secondary indexes; return the DDL that recreates them
    (building an index once over sorted data beats updating it per row)."""
    tables = (
        "incident",
        "incidentconduct",
        "incidentinstitution",
        "incidentevent",
        "takedown",
        "legallink",
    )
    marks = ",".join("?" * len(tables))
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def generate(path: Path, incidents: int, institutions: int, triggers: bool, seed: int) -> float:
    """Write the synthetic database; return the seconds it took."""
    if path.exists():
        path.unlink()
    dbadmin.upgrade(f"sqlite:///{path}")
    started = time.perf_counter()
    rng = random.Random(seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    conn.execute("BEGIN")
    indexes: list[str] = []
    if not triggers:
        for stmt in uninstall_sql("sqlite"):
            conn.execute(stmt)
        indexes = _drop_indexes(conn)
    insts = _institutions(conn, institutions, rng)
    pools = _pools(rng)
    cube: dict = {}
    done = 0
    while done < incidents:
        rows = _incidents(done + 1, insts, min(50_000, incidents - done), rng, pools)
        kids: dict = {"conduct": [], "inst": [], "event": [], "takedown": [], "link": []}
        for row in rows:
            before = len(kids["conduct"])
            police = _children(row[0], row[-2], row[-1], rng, kids)
            if not triggers:
                conducts = [c for _, c in kids["conduct"][before:]]
                _count(cube, row, conducts, row[-2][0], police)
        _flush(conn, [r[:-2] for r in rows], kids)
        done += len(rows)
    print(f"rows inserted: {time.perf_counter() - started:.1f} s", flush=True)
    if not triggers:
        for stmt in indexes:
            conn.execute(stmt)
        conn.executemany(
            f"INSERT INTO analytics_cube ({CUBE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [key + tuple(value) for key, value in cube.items()],
        )
        # The outcome measures (legal-link gaps, releases, takedowns, discipline) and the
        # advocacy brief's are counted by SQL over the loaded rows, as rebuild_summaries
        # would (analytics_outcomes.rebuild_sql, which this called, is gone since bulk_write).
        selects = analytics_outcomes.contribution_selects("sqlite", ALL_INCIDENTS, 1)
        selects += analytics_advocacy.contribution_selects("sqlite", ALL_INCIDENTS, 1)
        for select in selects:
            conn.execute(f"INSERT INTO analytics_cube ({CUBE_COLS}) {select}")
        conn.execute(bump_sql("sqlite"))
        for stmt in install_sql("sqlite"):
            conn.execute(stmt)
    conn.execute("COMMIT")
    conn.execute("PRAGMA analysis_limit=2000")
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("data/bench.db"))
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--institutions", type=int, default=3_000)
    parser.add_argument("--triggers", action="store_true", help="keep triggers on during load")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    seconds = generate(args.db, args.incidents, args.institutions, args.triggers, args.seed)
    print(f"{args.incidents:,} incidents in {seconds:.1f} s -> {args.db}")


if __name__ == "__main__":
    main()
