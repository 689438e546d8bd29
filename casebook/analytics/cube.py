"""The analytics summary table (``analytics_cube``) and its upkeep.

Dashboards count incidents by reported month and the filter dimensions (region,
institution kind, platform, status, legal gap). Counting a million incidents on every
page view scans; so the counts live in ``analytics_cube``, one row per measure, key and
dimension bucket, and database triggers keep them right on every write: the form, the
importer's bulk inserts, demo removal, purges and raw SQL alike. An update moves the
incident from its old bucket (−1) to its new one (+1); a delete takes it out.

Triggers rather than the AFTER_SAVE hook in casebook/incidents/store.py because the hook only
sees writes made through ``record_incident``/``update_incident``; deletes, purges and
bulk inserts would each need their own call, and one forgotten call would make the
dashboard silently wrong. ``rebuild_summaries`` recomputes everything from the base
tables (after a restore, or to check the triggers).

A bulk write (casebook.analytics.bulk_upkeep) does the same upkeep set-wise: the cube rows of the
incidents it touches come from ``delta_sql``, the rebuild SQL restricted to them. On
PostgreSQL every row trigger checks ``live_condition`` (casebook.analytics.sql_triggers) first (0008),
which is false inside a bulk write's own transaction; on SQLite the bulk write drops the
triggers inside its transaction and puts them back before it commits.

The SQL here is generated per dialect (SQLite and PostgreSQL) and used by migrations
0005_analytics, 0006 and 0008; keep both in step if it changes (write a new migration).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import text

from casebook.analytics.sql_triggers import block, live_condition, plpgsql, sqlite_trigger

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CUBE_COLS = "measure, key, month, region, kind, platform, status, gap, n, total"
INS = f"INSERT INTO analytics_cube ({CUBE_COLS}) SELECT"
DIMS_COLS = "(month, region, kind, platform, status, gap)"
CONFLICT = (
    "ON CONFLICT (measure, key, month, region, kind, platform, status, gap) "
    "DO UPDATE SET n = analytics_cube.n + excluded.n, "
    "total = analytics_cube.total + excluded.total"
)
# The state row is created on the first write with a random epoch: a database emptied
# and refilled (tests, a fresh install) never repeats an earlier (epoch, version) key.
RANDOM_EPOCH = {
    "sqlite": "abs(random() % 1000000000000)",
    "postgresql": "floor(random() * 1000000000000)::bigint",
}


def bump_sql(dialect: str) -> str:
    """Statement bumping the data version (creating the state row if it is missing)."""
    return (
        f"INSERT INTO analytics_state (id, version, epoch) VALUES (1, 1, {RANDOM_EPOCH[dialect]}) "
        "ON CONFLICT (id) DO UPDATE SET version = analytics_state.version + 1"
    )


# Tables whose writes change what a dashboard shows (each bumps the data version).
VERSIONED_TABLES = (
    "incident",
    "incidentconduct",
    "incidentinstitution",
    "incidentevent",
    "legallink",
    "takedown",
)
# Columns whose change moves an incident to another bucket or changes a total.
WATCHED = (
    "reported_on", "reported_month", "region", "institution_kind", "platform", "status",
    "legal_gap", "victims_count", "room_members", "suspects_by_age", "obstacles",
)  # fmt: skip
# IncidentEvent kinds that are steps the police take (casebook.incidents.workflow makes them).
POLICE_KINDS = ("investigating", "suspect_identified", "arrested", "released", "referred")
_POLICE_IN = "(" + ", ".join(f"'{k}'" for k in POLICE_KINDS) + ")"
ROOM_BUCKETS = ("lt100", "100to999", "1000to9999", "10000plus", "unknown")


def cube_dims(x: str) -> str:
    return (
        f"{x}.reported_month, COALESCE({x}.region, ''), COALESCE({x}.institution_kind, ''), "
        f"{x}.platform, {x}.status, CASE WHEN {x}.legal_gap THEN 1 ELSE 0 END"
    )


def cube_match(x: str) -> str:
    return f"{DIMS_COLS} = ({cube_dims(x)})"


def of_incident(incident_id: str) -> str:
    """The cube rows of the incident ``incident_id`` (an SQL expression)'s bucket."""
    return f"{DIMS_COLS} IN (SELECT {cube_dims('i')} FROM incident i WHERE i.id = {incident_id})"


def _room(x: str) -> str:
    m = f"{x}.room_members"
    return (
        f"CASE WHEN {m} IS NULL THEN 'unknown' WHEN {m} < 100 THEN 'lt100' "
        f"WHEN {m} < 1000 THEN '100to999' WHEN {m} < 10000 THEN '1000to9999' "
        "ELSE '10000plus' END"
    )


def _json_obj(dialect: str, expr: str) -> str:
    """A FROM item yielding (key, value) text pairs of a JSON object column."""
    if dialect == "postgresql":
        return f"json_each_text({expr}) AS j(key, value)"
    return f"json_each({expr}) AS j"


def _json_arr(dialect: str, expr: str) -> str:
    """A FROM item yielding the text elements (as ``value``) of a JSON array column."""
    if dialect == "postgresql":
        return f"json_array_elements_text({expr}) AS j(value)"
    return f"json_each({expr}) AS j"


def days_sql(dialect: str, later: str, earlier: str) -> str:
    """Whole days between two DATE expressions."""
    if dialect == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _first_police(incident_id: str, exclude: str = "") -> str:
    """The date of an incident's first police step (optionally leaving one event out)."""
    skip = f" AND e.id <> {exclude}" if exclude else ""
    return (
        f"(SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = {incident_id} "
        f"AND e.kind IN {_POLICE_IN}{skip})"
    )


def _adds(dialect: str, x: str, children: bool) -> list[str]:
    """INSERT ... ON CONFLICT statements adding row ``x`` (NEW) to every measure."""
    out = [
        f"{INS} 'incident', '', {cube_dims(x)}, 1, COALESCE({x}.victims_count, 0) WHERE 1=1 "
        f"{CONFLICT}",
        f"{INS} 'room', {_room(x)}, {cube_dims(x)}, 1, COALESCE({x}.room_members, 0) WHERE 1=1 "
        f"{CONFLICT}",
        f"{INS} 'age', j.key, {cube_dims(x)}, 1, CAST(j.value AS INTEGER) "
        f"FROM {_json_obj(dialect, x + '.suspects_by_age')} WHERE 1=1 {CONFLICT}",
        f"{INS} 'obstacle', j.value, {cube_dims(x)}, 1, 0 "
        f"FROM {_json_arr(dialect, x + '.obstacles')} WHERE 1=1 {CONFLICT}",
    ]
    if children:
        out += [
            f"{INS} 'conduct', c.conduct, {cube_dims(x)}, 1, 0 FROM incidentconduct c "
            f"WHERE c.incident_id = {x}.id {CONFLICT}",
            f"{INS} 'institution', CAST(c.institution_id AS VARCHAR), {cube_dims(x)}, 1, 0 "
            f"FROM incidentinstitution c WHERE c.incident_id = {x}.id {CONFLICT}",
            f"{INS} 'police', '', {cube_dims(x)}, 1, "
            f"{days_sql(dialect, _first_police(x + '.id'), x + '.reported_on')} "
            f"WHERE {_first_police(x + '.id')} IS NOT NULL {CONFLICT}",
        ]
    return out


def _removes(dialect: str, x: str, children: bool) -> list[str]:
    """UPDATE statements taking row ``x`` (OLD) out of every measure's bucket."""
    upd = "UPDATE analytics_cube SET n = n - 1"
    age_total = (
        f"total = total - COALESCE((SELECT CAST(j.value AS INTEGER) FROM "
        f"{_json_obj(dialect, x + '.suspects_by_age')} WHERE j.key = analytics_cube.key), 0)"
    )
    out = [
        f"{upd}, total = total - COALESCE({x}.victims_count, 0) "
        f"WHERE measure = 'incident' AND key = '' AND {cube_match(x)}",
        f"{upd}, total = total - COALESCE({x}.room_members, 0) "
        f"WHERE measure = 'room' AND key = {_room(x)} AND {cube_match(x)}",
        f"{upd}, {age_total} WHERE measure = 'age' AND {cube_match(x)} AND key IN "
        f"(SELECT j.key FROM {_json_obj(dialect, x + '.suspects_by_age')})",
        f"{upd} WHERE measure = 'obstacle' AND {cube_match(x)} AND key IN "
        f"(SELECT j.value FROM {_json_arr(dialect, x + '.obstacles')})",
    ]
    if children:
        out += [
            f"{upd} WHERE measure = 'conduct' AND {cube_match(x)} AND key IN "
            f"(SELECT conduct FROM incidentconduct WHERE incident_id = {x}.id)",
            f"{upd} WHERE measure = 'institution' AND {cube_match(x)} AND key IN "
            f"(SELECT CAST(institution_id AS VARCHAR) FROM incidentinstitution "
            f"WHERE incident_id = {x}.id)",
            f"{upd}, total = total - "
            f"{days_sql(dialect, _first_police(x + '.id'), x + '.reported_on')} "
            f"WHERE measure = 'police' AND key = '' AND {cube_match(x)} "
            f"AND {_first_police(x + '.id')} IS NOT NULL",
        ]
    return out


def child_add(measure: str, key_expr: str, x: str = "NEW", cond: str = "",
              total: str = "0") -> str:  # fmt: skip
    """Count the incident of child row ``x`` once in ``measure`` under ``key_expr`` (and
    ``total``), where ``cond`` holds."""
    where = f" AND {cond}" if cond else ""
    return (
        f"{INS} '{measure}', {key_expr}, {cube_dims('i')}, 1, {total} FROM incident i "
        f"WHERE i.id = {x}.incident_id{where} {CONFLICT}"
    )


def child_remove(measure: str, key_expr: str, x: str = "OLD", cond: str = "",
                 total: str = "") -> str:  # fmt: skip
    """Take what ``child_add`` counted for child row ``x`` out again."""
    minus = f", total = total - {total}" if total else ""
    where = f" AND {cond}" if cond else ""
    return (
        f"UPDATE analytics_cube SET n = n - 1{minus} WHERE measure = '{measure}' "
        f"AND key = {key_expr} AND {of_incident(x + '.incident_id')}{where}"
    )


def least_sql(dialect: str, a: str, b: str) -> str:
    """The earlier of a date ``a`` and a date-or-NULL ``b``."""
    if dialect == "postgresql":
        return f"LEAST({a}, {b})"  # LEAST ignores NULL
    return f"MIN({a}, COALESCE({b}, {a}))"


def first_dates(dialect: str, op: str, first: Callable[..., str]) -> tuple[str, str]:
    """(an incident's first such date before this event's INSERT/DELETE, after it).

    Both are written without relying on whether the event row itself is visible: SQLite
    runs AFTER row triggers one row at a time, but PostgreSQL runs AFTER row triggers at
    the end of the statement, when every row of a multi-row INSERT is visible (the ORM
    batches inserts), so there these are BEFORE triggers and the row is not yet visible.
    """
    row = "NEW" if op == "INSERT" else "OLD"
    others = first(f"{row}.incident_id", exclude=f"{row}.id")
    with_row = least_sql(dialect, f"{row}.occurred_on", others)
    return (others, with_row) if op == "INSERT" else (with_row, others)


def _police_event(dialect: str, op: str) -> list[str]:
    """Statements re-counting an incident's first police step on an event insert/delete.

    Take out the incident's old contribution (the first step as it was before this
    event), then add the new one; the cube keeps n = incidents with a police step
    and total = the sum of their days from report to first step.
    """
    inc = ("NEW" if op == "INSERT" else "OLD") + ".incident_id"
    old_first, new_first = first_dates(dialect, op, _first_police)
    return [
        f"UPDATE analytics_cube SET n = n - 1, total = total - "
        f"(SELECT {days_sql(dialect, old_first, 'i.reported_on')} FROM incident i "
        f"WHERE i.id = {inc}) WHERE measure = 'police' AND key = '' "
        f"AND {of_incident(inc)} AND {old_first} IS NOT NULL",
        f"{INS} 'police', '', {cube_dims('i')}, 1, "
        f"{days_sql(dialect, new_first, 'i.reported_on')} FROM incident i "
        f"WHERE i.id = {inc} AND {new_first} IS NOT NULL {CONFLICT}",
    ]


CHILDREN = {
    "incidentconduct": ("conduct", "{x}.conduct"),
    "incidentinstitution": ("institution", "CAST({x}.institution_id AS VARCHAR)"),
}


def _changed(dialect: str) -> str:
    if dialect == "postgresql":
        return " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" for c in WATCHED)
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)


def _children_delete(outcomes: bool) -> list[str]:
    """Child rows the incident's BEFORE DELETE trigger removes first, so that their own
    triggers take them out of the cube while the incident's dimensions can still be read."""
    tables = ["incidentconduct", "incidentinstitution", "incidentevent"]
    tables += list(_outcomes().CHILD_TABLES) if outcomes else []
    return [f"DELETE FROM {t} WHERE incident_id = OLD.id" for t in tables]


def _outcomes():  # noqa: ANN202 (the module)
    # Imported late: casebook.analytics.outcomes builds on this module's SQL pieces.
    from casebook.analytics import outcomes as analytics_outcomes

    return analytics_outcomes


def _update_body(dialect: str, outcomes: bool) -> list[str]:
    """An incident's dimensions changed: out of the old buckets, into the new ones."""
    body = _removes(dialect, "OLD", True)
    if outcomes:
        body += _outcomes().incident_removes(dialect, "OLD")
    body += _adds(dialect, "NEW", True)
    if outcomes:
        body += _outcomes().incident_adds(dialect, "NEW")
    return body


def sqlite_ddl(outcomes: bool = True) -> list[str]:
    """CREATE TRIGGER statements for SQLite (``outcomes=False``: as migration 0005 made them)."""
    d = "sqlite"
    children_delete = _children_delete(outcomes)
    out = [
        sqlite_trigger("trg_cube_incident_ins", "AFTER INSERT ON incident", _adds(d, "NEW", False)),
        sqlite_trigger(
            "trg_cube_incident_upd",
            "AFTER UPDATE ON incident",
            _update_body(d, outcomes),
            _changed(d),
        ),
        sqlite_trigger(
            "trg_cube_incident_del",
            "BEFORE DELETE ON incident",
            children_delete + _removes(d, "OLD", False),
        ),
    ]
    for table, (measure, key) in CHILDREN.items():
        out.append(
            sqlite_trigger(
                f"trg_cube_{measure}_ins",
                f"AFTER INSERT ON {table}",
                [child_add(measure, key.format(x="NEW"))],
            )
        )
        out.append(
            sqlite_trigger(
                f"trg_cube_{measure}_del",
                f"AFTER DELETE ON {table}",
                [child_remove(measure, key.format(x="OLD"))],
            )
        )
    for op, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        out.append(
            sqlite_trigger(
                f"trg_cube_police_{op.lower()[:3]}",
                f"AFTER {op} ON incidentevent",
                _police_event(d, op),
                f"{row}.kind IN {_POLICE_IN}",
            )
        )
    for table in VERSIONED_TABLES:
        for op in ("INSERT", "UPDATE", "DELETE"):
            out.append(sqlite_trigger(f"trg_ver_{table}_{op.lower()}", f"AFTER {op} ON {table}",
                                       [bump_sql(d)]))  # fmt: skip
    return out + (_outcomes().sqlite_ddl() if outcomes else [])


def sqlite_drop() -> list[str]:
    names = ["trg_cube_incident_ins", "trg_cube_incident_upd", "trg_cube_incident_del"]
    names += [f"trg_cube_{m}_{op}" for m, _ in CHILDREN.values() for op in ("ins", "del")]
    names += ["trg_cube_police_ins", "trg_cube_police_del"]
    names += [
        f"trg_ver_{t}_{op}" for t in VERSIONED_TABLES for op in ("insert", "update", "delete")
    ]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names] + _outcomes().sqlite_drop()


def postgresql_ddl(outcomes: bool = True, pausable: bool = True) -> list[str]:
    """Trigger functions and triggers for PostgreSQL (``outcomes=False``: as in 0005;
    ``pausable=False``: without the bulk-write check, as before 0008). The data-version
    triggers run once per statement and are left on."""
    d = "postgresql"

    def when(cond: str = "") -> str:
        return live_condition(cond, pausable)

    incident_body = (
        "IF TG_OP = 'INSERT' THEN\n" + block(_adds(d, "NEW", False)) + "  RETURN NEW;\n"
        "ELSIF TG_OP = 'UPDATE' THEN\n"
        + block(_update_body(d, outcomes))
        + "  RETURN NEW;\nEND IF;\n"
        + block(_children_delete(outcomes))
        + block(_removes(d, "OLD", False))
        + "RETURN OLD;"
    )
    out = [
        plpgsql("casebook_cube_incident", incident_body),
        f"CREATE TRIGGER trg_cube_incident_ins AFTER INSERT ON incident "
        f"FOR EACH ROW{when()} EXECUTE FUNCTION casebook_cube_incident()",
        f"CREATE TRIGGER trg_cube_incident_upd AFTER UPDATE ON incident FOR EACH ROW"
        f"{when(_changed(d))} EXECUTE FUNCTION casebook_cube_incident()",
        f"CREATE TRIGGER trg_cube_incident_del BEFORE DELETE ON incident "
        f"FOR EACH ROW{when()} EXECUTE FUNCTION casebook_cube_incident()",
        plpgsql("casebook_bump_version", f"{bump_sql(d)};\nRETURN NULL;"),
    ]
    for table, (measure, key) in CHILDREN.items():
        body = (
            f"IF TG_OP = 'INSERT' THEN\n  {child_add(measure, key.format(x='NEW'))};\n"
            f"  RETURN NEW;\nEND IF;\n{child_remove(measure, key.format(x='OLD'))};\nRETURN OLD;"
        )
        out.append(plpgsql(f"casebook_cube_{measure}", body))
        out.append(
            f"CREATE TRIGGER trg_cube_{measure} AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW{when()} EXECUTE FUNCTION casebook_cube_{measure}()"
        )
    police = (
        "IF TG_OP = 'INSERT' THEN\n" + block(_police_event(d, "INSERT")) + "  RETURN NEW;\n"
        "END IF;\n" + block(_police_event(d, "DELETE")) + "RETURN OLD;"
    )
    out.append(plpgsql("casebook_cube_police", police))
    for op, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        out.append(
            f"CREATE TRIGGER trg_cube_police_{op.lower()[:3]} BEFORE {op} ON incidentevent "
            f"FOR EACH ROW{when(f'{row}.kind IN {_POLICE_IN}')} "
            "EXECUTE FUNCTION casebook_cube_police()"
        )
    for table in VERSIONED_TABLES:
        out.append(
            f"CREATE TRIGGER trg_ver_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()"
        )
    return out + (_outcomes().postgresql_ddl(pausable) if outcomes else [])


def postgresql_drop() -> list[str]:
    out = _outcomes().postgresql_drop()
    out += [f"DROP TRIGGER IF EXISTS trg_ver_{t} ON {t}" for t in VERSIONED_TABLES]
    out += [f"DROP TRIGGER IF EXISTS trg_cube_{m} ON {t}" for t, (m, _) in CHILDREN.items()]
    out += [f"DROP TRIGGER IF EXISTS trg_cube_police_{op} ON incidentevent" for op in
            ("ins", "del")]  # fmt: skip
    out += ["DROP FUNCTION IF EXISTS casebook_cube_police()"]
    out += [f"DROP TRIGGER IF EXISTS trg_cube_incident_{op} ON incident" for op in
            ("ins", "upd", "del")]  # fmt: skip
    out += [f"DROP FUNCTION IF EXISTS casebook_cube_{m}()" for _, (m, _) in CHILDREN.items()]
    out += ["DROP FUNCTION IF EXISTS casebook_cube_incident()",
            "DROP FUNCTION IF EXISTS casebook_bump_version()"]  # fmt: skip
    return out


ALL_INCIDENTS = "1=1"
GROUP_ALL = "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"


def signed(sign: int) -> Callable[[str], str]:
    """``n`` and ``total`` expressions as they are (+1) or negated (-1)."""
    return (lambda expr: expr) if sign > 0 else (lambda expr: f"-({expr})")


def contribution_selects(
    dialect: str,
    outcomes: bool = True,
    only: str = ALL_INCIDENTS,
    sign: int = 1,
    advocacy: bool = True,
) -> list[str]:
    """SELECTs of cube rows (CUBE_COLS) counting the incidents that ``only`` admits.

    ``only`` is a condition on an incident id written ``{id}`` (it is applied to child
    tables' incident_id too, so that subqueries read only those incidents' rows). Every
    measure is a sum over incidents of what each one, with its child rows, contributes:
    over all incidents this is the whole cube (``rebuild_sql``); over the incidents a bulk
    write touched, taken before (``sign=-1``) and after, it is the write's change
    (casebook.analytics.bulk_upkeep).
    """
    m, dims, grp = signed(sign), cube_dims("i"), GROUP_ALL
    where = "WHERE " + only.format(id="i.id")
    sub = "AND " + only.format(id="incident_id")
    return [
        f"SELECT 'incident', '', {dims}, {m('COUNT(*)')}, "
        f"{m('SUM(COALESCE(i.victims_count, 0))')} FROM incident i {where} {grp}",
        f"SELECT 'room', {_room('i')}, {dims}, {m('COUNT(*)')}, "
        f"{m('SUM(COALESCE(i.room_members, 0))')} FROM incident i {where} {grp}",
        f"SELECT 'age', j.key, {dims}, {m('COUNT(*)')}, {m('SUM(CAST(j.value AS INTEGER))')} "
        f"FROM incident i CROSS JOIN {_json_obj(dialect, 'i.suspects_by_age')} {where} {grp}",
        f"SELECT 'obstacle', j.value, {dims}, {m('COUNT(*)')}, 0 "
        f"FROM incident i CROSS JOIN {_json_arr(dialect, 'i.obstacles')} {where} {grp}",
        f"SELECT 'conduct', c.conduct, {dims}, {m('COUNT(*)')}, 0 "
        f"FROM incident i JOIN incidentconduct c ON c.incident_id = i.id {where} {grp}",
        f"SELECT 'institution', CAST(c.institution_id AS VARCHAR), {dims}, {m('COUNT(*)')}, 0 "
        f"FROM incident i JOIN incidentinstitution c ON c.incident_id = i.id {where} {grp}",
        f"SELECT 'police', '', {dims}, {m('COUNT(*)')}, "
        f"{m('SUM(' + days_sql(dialect, 'f.first_on', 'i.reported_on') + ')')} FROM incident i "
        f"JOIN (SELECT incident_id, MIN(occurred_on) AS first_on FROM incidentevent "
        f"WHERE kind IN {_POLICE_IN} {sub} GROUP BY incident_id) f ON f.incident_id = i.id "
        f"{where} {grp}",
        *(_outcomes().contribution_selects(dialect, only, sign) if outcomes else []),
        *(_advocacy().contribution_selects(dialect, only, sign) if advocacy else []),
    ]


def rebuild_sql(dialect: str, outcomes: bool = True, advocacy: bool = True) -> list[str]:
    """Statements that recompute the whole cube from the base tables (``outcomes=False``:
    only the measures migration 0005 made; ``advocacy=False``: none of migration 0010's)."""
    ins = f"INSERT INTO analytics_cube ({CUBE_COLS}) "
    selects = contribution_selects(dialect, outcomes, advocacy=advocacy)
    return ["DELETE FROM analytics_cube", *(ins + s for s in selects), bump_sql(dialect)]


def delta_sql(dialect: str, only: str, sign: int) -> list[str]:
    """Statements adding (``sign=1``) or taking out (-1) what the incidents ``only``
    admits contribute to the cube, as they are when the statements run."""
    ins = f"INSERT INTO analytics_cube ({CUBE_COLS}) "
    return [f"{ins}{s} {CONFLICT}" for s in contribution_selects(dialect, True, only, sign)]


def _advocacy():  # noqa: ANN202 (the module)
    # Imported late, as _outcomes: casebook.analytics.advocacy builds on this module.
    from casebook.analytics import advocacy as analytics_advocacy

    return analytics_advocacy


def install_sql(
    dialect: str, outcomes: bool = True, pausable: bool = True, advocacy: bool = True
) -> list[str]:
    """Every trigger (``outcomes=False``: as migration 0005 made them; ``pausable``:
    PostgreSQL's with the bulk-write check of 0008; ``advocacy=False``: without migration
    0010's)."""
    pg = dialect == "postgresql"
    ddl = postgresql_ddl(outcomes, pausable) if pg else sqlite_ddl(outcomes)
    return ddl + (_advocacy().install_sql(dialect, pausable) if advocacy else [])


def uninstall_sql(dialect: str) -> list[str]:
    drop = postgresql_drop() if dialect == "postgresql" else sqlite_drop()
    return _advocacy().uninstall_sql(dialect) + drop


def rebuild_summaries(session: Session, *, commit: bool = True) -> None:
    """Recompute ``analytics_cube`` from the base tables (and bump the data version).

    The triggers already keep the cube right on every insert, update and delete, bulk
    ones included; call this after restoring a backup, after loading rows with triggers
    disabled, or to repair a cube you suspect.
    """
    dialect = session.get_bind().dialect.name
    for stmt in rebuild_sql(dialect):
        session.execute(text(stmt))
    if commit:
        session.commit()
