"""The advocacy brief's own measures in ``analytics_cube`` (migration 0010), kept by triggers.

The advocacy brief reads everything else from the dashboard's series
(casebook.analytics.dashboards); three of its figures were still counted from the base
tables on every brief (seconds at a million incidents) because no measure held them:

- ``minor``: key ""; n = incidents with a minor victim (``has_minor``), total = their
  minor victims (``victims_minor``; ``has_minor`` is set exactly when it is above zero).
- ``link_gap``: key = the gap ("not_criminal_then", "penalty_raised"); n = incidents with
  a live legal link flagging it, each incident once whatever the conduct (the ``link``
  measure counts once per conduct and gap, so its sums cannot give this).
- ``takedown_req``: key = outcome (pending, removed, refused); n = takedown requests.

They carry the incident's month and filter dimensions like every measure, so a filtered
or dated brief reads them as the dashboard reads its own. The triggers are separate from
the incident and outcome triggers (casebook.analytics.cube, casebook.analytics.outcomes)
so that migration 0010 adds them without touching those; ``rebuild_sql`` recomputes
them from the base tables like ``rebuild_summaries`` does for the rest.
"""

from __future__ import annotations

from casebook.analytics.cube import (
    ALL_INCIDENTS,
    CONFLICT,
    CUBE_COLS,
    GROUP_ALL,
    INS,
    child_add,
    child_remove,
    cube_dims,
    cube_match,
    signed,
)
from casebook.analytics.outcomes import GAPS_IN, link_ok
from casebook.analytics.sql_triggers import (
    RowTriggers,
    drop_row_triggers,
    pg_row_triggers,
    sqlite_row_triggers,
)

MEASURES = ("minor", "link_gap", "takedown_req")
# Incident columns whose change moves the incident's rows of these measures: its cube
# dimensions, and the two minor-victim columns the ``minor`` measure counts.
WATCHED = (
    "reported_month",
    "region",
    "institution_kind",
    "platform",
    "status",
    "legal_gap",
    "has_minor",
    "victims_minor",
)
_LINK_CHANGED = ("incident_id", "gap", "state")
_TAKEDOWN_CHANGED = ("incident_id", "outcome")


# --- minor victims (incident rows) ----------------------------------------------------


def minor_add(x: str) -> str:
    return (
        f"{INS} 'minor', '', {cube_dims(x)}, 1, COALESCE({x}.victims_minor, 0) "
        f"WHERE {x}.has_minor {CONFLICT}"
    )


def minor_remove(x: str) -> str:
    return (
        f"UPDATE analytics_cube SET n = n - 1, total = total - COALESCE({x}.victims_minor, 0) "
        f"WHERE measure = 'minor' AND key = '' AND {cube_match(x)} AND {x}.has_minor"
    )


# --- gaps per incident (legal links) --------------------------------------------------


def _no_other_gap(x: str) -> str:
    """No other live link of the incident flags the same gap (whatever its conduct)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = {x}.incident_id "
        f"AND o.gap = {x}.gap AND o.state <> 'removed' AND o.id <> {x}.id)"
    )


def gap_add(x: str) -> str:
    return child_add("link_gap", f"{x}.gap", x, f"{link_ok(x)} AND {_no_other_gap(x)}")


def gap_remove(x: str) -> str:
    return child_remove("link_gap", f"{x}.gap", x, f"{link_ok(x)} AND {_no_other_gap(x)}")


# --- takedown requests by outcome -----------------------------------------------------


def request_add(x: str) -> str:
    return child_add("takedown_req", f"{x}.outcome", x)


def request_remove(x: str) -> str:
    return child_remove("takedown_req", f"{x}.outcome", x)


# --- a whole incident (its dimensions or minor victims changed) -----------------------


def incident_removes(x: str) -> list[str]:
    """Take incident ``x`` (OLD) out of the three measures' buckets."""
    return [
        minor_remove(x),
        f"UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link_gap' AND {cube_match(x)} "
        f"AND key IN (SELECT l.gap FROM legallink l WHERE l.incident_id = {x}.id "
        f"AND {link_ok('l')})",
        f"UPDATE analytics_cube SET n = n - (SELECT COUNT(*) FROM takedown t WHERE "
        f"t.incident_id = {x}.id AND t.outcome = analytics_cube.key) WHERE measure = "
        f"'takedown_req' AND {cube_match(x)} AND key IN (SELECT t.outcome FROM takedown t "
        f"WHERE t.incident_id = {x}.id)",
    ]


def incident_adds(x: str) -> list[str]:
    """Add incident ``x`` (NEW) to the three measures (its child rows already exist)."""
    return [
        minor_add(x),
        f"{INS} DISTINCT 'link_gap', l.gap, {cube_dims(x)}, 1, 0 FROM legallink l "
        f"WHERE l.incident_id = {x}.id AND {link_ok('l')} {CONFLICT}",
        f"{INS} 'takedown_req', t.outcome, {cube_dims(x)}, COUNT(*), 0 FROM takedown t "
        f"WHERE t.incident_id = {x}.id GROUP BY t.outcome {CONFLICT}",
    ]


# --- triggers -----------------------------------------------------------------------


def _changed(dialect: str, cols: tuple[str, ...]) -> str:
    if dialect == "postgresql":
        return " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" for c in cols)
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in cols)


def _triggers() -> RowTriggers:
    return {
        "adv_incident": (
            "incident",
            {
                "INSERT": [minor_add("NEW")],
                "DELETE": [minor_remove("OLD")],
                "UPDATE": incident_removes("OLD") + incident_adds("NEW"),
            },
            WATCHED,
        ),
        "link_gap": (
            "legallink",
            {
                "INSERT": [gap_add("NEW")],
                "DELETE": [gap_remove("OLD")],
                "UPDATE": [gap_remove("OLD"), gap_add("NEW")],
            },
            _LINK_CHANGED,
        ),
        "takedown_req": (
            "takedown",
            {
                "INSERT": [request_add("NEW")],
                "DELETE": [request_remove("OLD")],
                "UPDATE": [request_remove("OLD"), request_add("NEW")],
            },
            _TAKEDOWN_CHANGED,
        ),
    }


# PostgreSQL runs AFTER row triggers at the end of the statement, when every row of a
# multi-row INSERT or DELETE is visible; "another live link of this incident with the
# same gap" must see earlier rows only, so that one runs BEFORE each row (as the link
# measure's does). The incident's own triggers run AFTER: at BEFORE INSERT the incident
# has no id yet, and its rows need nothing but OLD/NEW.
PG_BEFORE = frozenset({"link_gap"})


def sqlite_ddl() -> list[str]:
    return sqlite_row_triggers(_triggers(), _changed)


def sqlite_drop() -> list[str]:
    return drop_row_triggers("sqlite", _triggers())


def postgresql_ddl(pausable: bool = True) -> list[str]:
    return pg_row_triggers(_triggers(), _changed, PG_BEFORE, pausable)


def postgresql_drop() -> list[str]:
    return drop_row_triggers("postgresql", _triggers())


def install_sql(dialect: str, pausable: bool = True) -> list[str]:
    return postgresql_ddl(pausable) if dialect == "postgresql" else sqlite_ddl()


def uninstall_sql(dialect: str) -> list[str]:
    return postgresql_drop() if dialect == "postgresql" else sqlite_drop()


def contribution_selects(dialect: str, only: str, sign: int) -> list[str]:
    """SELECTs of the three measures' cube rows for the incidents ``only`` admits (see
    casebook.analytics.summaries.contribution_selects; the same SQL on both databases)."""
    m, i, grp = signed(sign), cube_dims("i"), GROUP_ALL
    where = only.format(id="i.id")
    sub = "AND " + only.format(id="incident_id")
    return [
        f"SELECT 'minor', '', {i}, {m('COUNT(*)')}, {m('SUM(COALESCE(i.victims_minor, 0))')} "
        f"FROM incident i WHERE i.has_minor AND {where} {grp}",
        f"SELECT 'link_gap', l.gap, {i}, {m('COUNT(*)')}, 0 FROM incident i JOIN (SELECT "
        f"DISTINCT incident_id, gap FROM legallink WHERE gap IN {GAPS_IN} AND state <> "
        f"'removed' {sub}) l ON l.incident_id = i.id WHERE {where} {grp}",
        f"SELECT 'takedown_req', t.outcome, {i}, {m('COUNT(*)')}, 0 FROM incident i "
        f"JOIN takedown t ON t.incident_id = i.id WHERE {where} {grp}",
    ]


def rebuild_sql(dialect: str) -> list[str]:
    """INSERTs recomputing the three measures (the caller empties them first)."""
    return [
        f"INSERT INTO analytics_cube ({CUBE_COLS}) {q}"
        for q in contribution_selects(dialect, ALL_INCIDENTS, 1)
    ]


def refresh_sql(dialect: str) -> list[str]:
    """Statements recomputing only these measures (migration 0010 on existing data)."""
    names = ", ".join(f"'{m}'" for m in MEASURES)
    return [f"DELETE FROM analytics_cube WHERE measure IN ({names})", *rebuild_sql(dialect)]
