"""The analytics summary table (``analytics_cube``) and its upkeep.

Dashboards count incidents by reported month and the filter dimensions (region,
institution kind, platform, status, legal gap). Counting a million incidents on every
page view scans; so the counts live in ``analytics_cube``, one row per measure, key and
dimension bucket, and database triggers keep them right on every write: the form, the
importer's bulk inserts, demo removal, purges and raw SQL alike. An update moves the
incident from its old bucket (−1) to its new one (+1); a delete takes it out.

Triggers rather than a call from casebook/incidents/store.py because that only
sees writes made through ``record_incident``/``update_incident``; deletes, purges and
bulk inserts would each need their own call, and one forgotten call would make the
dashboard silently wrong. ``rebuild_summaries`` recomputes everything from the base
tables (after a restore, or to check the triggers).

A bulk write (casebook.analytics.bulk_upkeep) does the same upkeep set-wise: the cube
rows of the incidents it touches come from ``delta_sql``, the rebuild SQL restricted to
them. On PostgreSQL every row trigger checks ``live_condition``
(casebook.analytics.sql_triggers) first (0008), which is false inside a bulk write's own
transaction; on SQLite the bulk write drops the triggers inside its transaction and puts
them back before it commits.

casebook.analytics.summaries puts these pieces together with the measures of .outcomes
and .advocacy. The SQL here is generated per dialect (SQLite and PostgreSQL) and used by migrations
0005_analytics, 0006 and 0008; keep both in step if it changes (write a new migration).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

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
    "reported_on",
    "reported_month",
    "region",
    "institution_kind",
    "platform",
    "status",
    "legal_gap",
    "victims_count",
    "room_members",
    "suspects_by_age",
    "obstacles",
)
# IncidentEvent kinds that are steps the police take (casebook.incidents.workflow makes them).
POLICE_KINDS = ("investigating", "suspect_identified", "arrested", "released", "referred")
POLICE_IN = "(" + ", ".join(f"'{k}'" for k in POLICE_KINDS) + ")"
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


def room_bucket(x: str) -> str:
    m = f"{x}.room_members"
    return (
        f"CASE WHEN {m} IS NULL THEN 'unknown' WHEN {m} < 100 THEN 'lt100' "
        f"WHEN {m} < 1000 THEN '100to999' WHEN {m} < 10000 THEN '1000to9999' "
        "ELSE '10000plus' END"
    )


def json_obj(dialect: str, expr: str) -> str:
    """A FROM item yielding (key, value) text pairs of a JSON object column."""
    if dialect == "postgresql":
        return f"json_each_text({expr}) AS j(key, value)"
    return f"json_each({expr}) AS j"


def json_arr(dialect: str, expr: str) -> str:
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
        f"AND e.kind IN {POLICE_IN}{skip})"
    )


def base_adds(dialect: str, x: str, children: bool) -> list[str]:
    """INSERT ... ON CONFLICT statements adding row ``x`` (NEW) to every measure."""
    out = [
        f"{INS} 'incident', '', {cube_dims(x)}, 1, COALESCE({x}.victims_count, 0) WHERE 1=1 "
        f"{CONFLICT}",
        f"{INS} 'room', {room_bucket(x)}, {cube_dims(x)}, 1, COALESCE({x}.room_members, 0) "
        f"WHERE 1=1 {CONFLICT}",
        f"{INS} 'age', j.key, {cube_dims(x)}, 1, CAST(j.value AS INTEGER) "
        f"FROM {json_obj(dialect, x + '.suspects_by_age')} WHERE 1=1 {CONFLICT}",
        f"{INS} 'obstacle', j.value, {cube_dims(x)}, 1, 0 "
        f"FROM {json_arr(dialect, x + '.obstacles')} WHERE 1=1 {CONFLICT}",
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


def base_removes(dialect: str, x: str, children: bool) -> list[str]:
    """UPDATE statements taking row ``x`` (OLD) out of every measure's bucket."""
    upd = "UPDATE analytics_cube SET n = n - 1"
    age_total = (
        f"total = total - COALESCE((SELECT CAST(j.value AS INTEGER) FROM "
        f"{json_obj(dialect, x + '.suspects_by_age')} WHERE j.key = analytics_cube.key), 0)"
    )
    out = [
        f"{upd}, total = total - COALESCE({x}.victims_count, 0) "
        f"WHERE measure = 'incident' AND key = '' AND {cube_match(x)}",
        f"{upd}, total = total - COALESCE({x}.room_members, 0) "
        f"WHERE measure = 'room' AND key = {room_bucket(x)} AND {cube_match(x)}",
        f"{upd}, {age_total} WHERE measure = 'age' AND {cube_match(x)} AND key IN "
        f"(SELECT j.key FROM {json_obj(dialect, x + '.suspects_by_age')})",
        f"{upd} WHERE measure = 'obstacle' AND {cube_match(x)} AND key IN "
        f"(SELECT j.value FROM {json_arr(dialect, x + '.obstacles')})",
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


def child_add(measure: str, key_expr: str, x: str = "NEW", cond: str = "", total: str = "0") -> str:
    """Count the incident of child row ``x`` once in ``measure`` under ``key_expr`` (and
    ``total``), where ``cond`` holds."""
    where = f" AND {cond}" if cond else ""
    return (
        f"{INS} '{measure}', {key_expr}, {cube_dims('i')}, 1, {total} FROM incident i "
        f"WHERE i.id = {x}.incident_id{where} {CONFLICT}"
    )


def child_remove(
    measure: str, key_expr: str, x: str = "OLD", cond: str = "", total: str = ""
) -> str:
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


def police_event(dialect: str, op: str) -> list[str]:
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


def changed_condition(dialect: str) -> str:
    if dialect == "postgresql":
        return " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" for c in WATCHED)
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)


ALL_INCIDENTS = "1=1"
GROUP_ALL = "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"


def signed(sign: int) -> Callable[[str], str]:
    """``n`` and ``total`` expressions as they are (+1) or negated (-1)."""
    return (lambda expr: expr) if sign > 0 else (lambda expr: f"-({expr})")
