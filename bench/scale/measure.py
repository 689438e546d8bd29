"""Time each feature on a generated database and the bare SQL query behind it.

Every figure is a median in milliseconds; ``ratio`` is app / floor, i.e. how much the
app (validation, permissions, ORM, rendering) adds to the query the database must run.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlmodel import Session, select

from db.engine import engine_for
from db.models import User

WHEN = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
LIST_SQL = (
    "SELECT id, title, reported_on, status, region, platform FROM incident"
    " ORDER BY reported_on DESC, id DESC LIMIT 50"
)
COUNT_SQL = "SELECT count(*) FROM incident"
CUBE_SQL = (
    "SELECT month, sum(n) FROM analytics_cube WHERE measure = 'incident'"
    " GROUP BY month ORDER BY month"
)
BASE_MONTH_SQL = "SELECT reported_month, count(*) FROM incident GROUP BY reported_month"
ONE_SQL = "SELECT * FROM incident WHERE id = :id"
KIDS_SQL = "SELECT conduct FROM incidentconduct WHERE incident_id = :id"
BUSIEST_SQL = (
    "SELECT institution_id FROM incidentinstitution GROUP BY institution_id"
    " ORDER BY count(*) DESC LIMIT 1"
)
INSTITUTION_COUNT_SQL = "SELECT count(*) FROM incidentinstitution WHERE institution_id = :id"
INSTITUTION_SQL = (
    "SELECT i.* FROM incident i JOIN incidentinstitution l ON l.incident_id = i.id"
    " WHERE l.institution_id = :id ORDER BY i.reported_on DESC, i.id DESC"
    " LIMIT 200"
)


def median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls after one warm-up call."""
    fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(runs), 3)


def _row(app: float, floor: float | None, **extra: object) -> dict:
    ratio = round(app / floor, 1) if floor else None
    return {"app_ms": app, "floor_ms": floor, "ratio": ratio, **extra}


def _sql(session: Session, *statements: str, **params: object) -> Callable[[], None]:
    def run() -> None:
        for stmt in statements:
            session.connection().execute(text(stmt), params).fetchall()

    return run


def bench_list(session: Session, actor: User) -> dict:
    from casebook.incidents.queries import IncidentFilter, list_incidents

    app = median_ms(lambda: list_incidents(session, actor=actor, filters=IncidentFilter()))
    return _row(app, median_ms(_sql(session, COUNT_SQL, LIST_SQL)))


def bench_dashboard(session: Session, actor: User) -> dict:
    from casebook.analytics.dashboards import dashboard
    from casebook.analytics.filters import AnalyticsFilter

    app = median_ms(lambda: dashboard(session, actor=actor, filters=AnalyticsFilter()), 3)
    base = median_ms(_sql(session, BASE_MONTH_SQL), 3)
    return _row(app, median_ms(_sql(session, CUBE_SQL)), base_table_scan_ms=base)


def bench_law() -> dict:
    from casebook.law.engine import applicable_law, search_law
    from casebook.vocab import CONDUCTS

    victims = ("adult", "minor")

    def apply_all() -> None:
        for conduct in CONDUCTS:
            for victim in victims:
                applicable_law(conduct, victim, date(2024, 9, 1))

    calls = len(CONDUCTS) * len(victims)
    per_call = median_ms(apply_all) / calls
    return {
        "applicable_law_ms": round(per_call, 4),
        "search_law_ms": median_ms(lambda: search_law("허위영상물")),
        "floor": "in memory (no SQL)",
    }


def bench_briefs(session: Session, actor: User) -> dict:
    """Each of the four briefs, built in memory from the data (no file written)."""
    from casebook.briefs import advocacy, advocacy_data, compare, incident, institution

    conn = session.connection()
    inc_id = conn.execute(text("SELECT min(id) FROM incident")).scalar()
    inst_id = conn.execute(text(BUSIEST_SQL)).scalar()

    def incident_brief() -> bytes:
        data = incident.collect_incident(
            session, actor=actor, incident_id=inc_id, as_of=WHEN.date()
        )
        return incident.build_incident_brief(data, lang="ko", generated_at=WHEN)

    def advocacy_brief(render_charts: bool) -> Callable[[], bytes]:
        def build() -> bytes:
            data = advocacy_data.collect_advocacy(
                session, actor=actor, params={}, as_of=WHEN.date()
            )
            return advocacy.build_advocacy_brief(
                data, lang="ko", generated_at=WHEN, render_charts=render_charts
            )

        return build

    def institution_report() -> bytes:
        data = institution.collect_institution(
            session, actor=actor, institution_id=inst_id, as_of=WHEN.date()
        )
        return institution.build_institution_report(data, lang="ko", generated_at=WHEN)

    def compare_memo() -> bytes:
        data = compare.collect_compare(actor=actor, provision_id="sexual-crimes-act:14-2")
        return compare.build_compare_memo(data, lang="ko", generated_at=WHEN)

    one = median_ms(_sql(session, ONE_SQL, KIDS_SQL, id=inc_id))
    cube = median_ms(_sql(session, CUBE_SQL))
    return {
        "incident": _row(median_ms(incident_brief), one),
        "advocacy_no_charts": _row(median_ms(advocacy_brief(False), 3), cube),
        "advocacy_charts": _row(median_ms(advocacy_brief(True), 3), cube),
        "institution": _row(
            median_ms(institution_report, 3),
            median_ms(_sql(session, INSTITUTION_COUNT_SQL, INSTITUTION_SQL, id=inst_id), 3),
        ),
        "compare": _row(median_ms(compare_memo), None),
    }


# The advocacy brief's filters as the Briefs page and the CLI offer them: none, whole
# months (the summary cube alone), a range cutting months (the cube plus the cut days from
# the base tables) and a conduct (no cube dimension: the base tables).
ADVOCACY_FILTERS = {
    "none": {},
    "whole months (2024)": {"date_from": "2024-01-01", "date_to": "2024-12-31"},
    "mid-month (2024-03-15 – 09-14)": {"date_from": "2024-03-15", "date_to": "2024-09-14"},
    "conduct = view": {"conduct": "view"},
}


def bench_advocacy(session: Session, actor: User, repeat: int = 3) -> dict:
    """Per filter: the median of ``repeat`` briefs after one warm-up, split into
    collecting the data and building the document with charts as tables; with no filter,
    also the whole brief with the charts rendered to PNG: first with Chromium still to start
    (nothing in this process has rendered yet), then warm."""
    from casebook.briefs import advocacy, advocacy_data

    def brief(params: dict, render: bool) -> tuple[float, float]:
        started = time.perf_counter()
        data = advocacy_data.collect_advocacy(
            session, actor=actor, params=params, as_of=WHEN.date()
        )
        collected = time.perf_counter()
        advocacy.build_advocacy_brief(data, lang="ko", generated_at=WHEN, render_charts=render)
        return (collected - started) * 1000, (time.perf_counter() - started) * 1000

    out = {}
    for name, params in ADVOCACY_FILTERS.items():
        brief(params, False)
        runs = [brief(params, False) for _ in range(repeat)]
        out[name] = {
            "collect_ms": round(statistics.median(r[0] for r in runs), 1),
            "tables_ms": round(statistics.median(r[1] for r in runs), 1),
        }
    # The first PNG brief of the process starts Chromium: the slowest a user can wait.
    out["none"]["png_first_ms"] = round(brief({}, True)[1], 1)
    out["none"]["png_ms"] = round(statistics.median(brief({}, True)[1] for _ in range(repeat)), 1)
    return out


def measure_advocacy(url: str, username: str) -> dict:
    """The advocacy brief per filter on the existing database at ``url``."""
    with Session(engine_for(url), expire_on_commit=False) as session:
        actor = session.exec(select(User).where(User.username == username)).one()
        n = session.connection().execute(text(COUNT_SQL)).scalar()
        loads = [os.getloadavg()[0]]
        figures = bench_advocacy(session, actor)
        loads.append(os.getloadavg()[0])
    return {"n": n, "filters": figures, "load": [round(x, 1) for x in loads]}


def bench_import(url: str, session: Session, actor: User, rows: int = 1000) -> dict:
    """Import ``rows`` new incidents; the floor inserts as many bare rows and rolls back."""
    from bench.import_speed import make_file
    from casebook.importing.run import import_incidents

    names = list(
        session.connection().execute(text("SELECT name FROM institution LIMIT 50")).scalars()
    )
    data = make_file(rows, names)
    started = time.perf_counter()
    report = import_incidents(session, actor=actor, data=data, filename="bench.csv")
    app = (time.perf_counter() - started) * 1000
    assert report.ok, report.problems[:3]
    return _row(
        round(app, 1),
        round(_floor_insert(url, rows), 1),
        rows=rows,
        rows_per_s=round(rows / app * 1000),
    )


def _floor_insert(url: str, rows: int) -> float:
    """One Core executemany of ``rows`` copies of an existing incident row, rolled back."""
    from sqlalchemy import insert

    from db.models import Incident

    table = Incident.__table__
    engine = engine_for(url)
    with engine.connect() as conn:
        template = dict(conn.execute(table.select().limit(1)).mappings().one())
        template.pop("id")
        template["external_id"] = None
        params = [dict(template) for _ in range(rows)]
        conn.rollback()  # the template read began a transaction; time the insert alone
        started = time.perf_counter()
        conn.execute(insert(table), params)
        elapsed = (time.perf_counter() - started) * 1000
        conn.rollback()
    return elapsed


def measure_db(url: str, username: str) -> dict:
    """Every domain-level figure for the database at ``url``."""
    with Session(engine_for(url), expire_on_commit=False) as session:
        actor = session.exec(select(User).where(User.username == username)).one()
        out = {}
        for name, fn in (
            ("list", bench_list),
            ("dashboard", bench_dashboard),
            ("law", lambda s, a: bench_law()),
            ("briefs", bench_briefs),
            ("import", lambda s, a: bench_import(url, s, a)),
        ):
            started = time.perf_counter()
            out[name] = fn(session, actor)
            print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)
    out["pid_load"] = round(os.getloadavg()[0], 1)
    return out
