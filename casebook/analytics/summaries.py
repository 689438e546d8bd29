"""The whole summary table: every measure's triggers, rebuild and set-wise deltas.

casebook.analytics.cube holds the incident measures and the SQL pieces; .outcomes and
.advocacy add their measures on top of those pieces. This module puts the three
together (so the base never imports its extensions): the trigger DDL installed by the
migrations, ``rebuild_summaries`` and the deltas of a bulk write
(casebook.analytics.bulk_upkeep).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

from casebook.analytics import advocacy as advocacy_measures
from casebook.analytics import outcomes as outcome_measures
from casebook.analytics.cube import (
    ALL_INCIDENTS,
    CHILDREN,
    CONFLICT,
    CUBE_COLS,
    GROUP_ALL,
    POLICE_IN,
    VERSIONED_TABLES,
    base_adds,
    base_removes,
    bump_sql,
    changed_condition,
    child_add,
    child_remove,
    cube_dims,
    days_sql,
    json_arr,
    json_obj,
    police_event,
    room_bucket,
    signed,
)
from casebook.analytics.sql_triggers import block, live_condition, plpgsql, sqlite_trigger

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _children_delete(outcomes: bool) -> list[str]:
    """Child rows the incident's BEFORE DELETE trigger removes first, so that their own
    triggers take them out of the cube while the incident's dimensions can still be read."""
    tables = ["incidentconduct", "incidentinstitution", "incidentevent"]
    tables += list(outcome_measures.CHILD_TABLES) if outcomes else []
    return [f"DELETE FROM {t} WHERE incident_id = OLD.id" for t in tables]


def _update_body(dialect: str, outcomes: bool) -> list[str]:
    """An incident's dimensions changed: out of the old buckets, into the new ones."""
    body = base_removes(dialect, "OLD", True)
    if outcomes:
        body += outcome_measures.incident_removes(dialect, "OLD")
    body += base_adds(dialect, "NEW", True)
    if outcomes:
        body += outcome_measures.incident_adds(dialect, "NEW")
    return body


def sqlite_ddl(outcomes: bool = True) -> list[str]:
    """CREATE TRIGGER statements for SQLite (``outcomes=False``: as migration 0005 made them)."""
    d = "sqlite"
    children_delete = _children_delete(outcomes)
    out = [
        sqlite_trigger(
            "trg_cube_incident_ins", "AFTER INSERT ON incident", base_adds(d, "NEW", False)
        ),
        sqlite_trigger(
            "trg_cube_incident_upd",
            "AFTER UPDATE ON incident",
            _update_body(d, outcomes),
            changed_condition(d),
        ),
        sqlite_trigger(
            "trg_cube_incident_del",
            "BEFORE DELETE ON incident",
            children_delete + base_removes(d, "OLD", False),
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
                police_event(d, op),
                f"{row}.kind IN {POLICE_IN}",
            )
        )
    for table in VERSIONED_TABLES:
        for op in ("INSERT", "UPDATE", "DELETE"):
            out.append(
                sqlite_trigger(
                    f"trg_ver_{table}_{op.lower()}", f"AFTER {op} ON {table}", [bump_sql(d)]
                )
            )
    return out + (outcome_measures.sqlite_ddl() if outcomes else [])


def sqlite_drop() -> list[str]:
    names = ["trg_cube_incident_ins", "trg_cube_incident_upd", "trg_cube_incident_del"]
    names += [f"trg_cube_{m}_{op}" for m, _ in CHILDREN.values() for op in ("ins", "del")]
    names += ["trg_cube_police_ins", "trg_cube_police_del"]
    names += [
        f"trg_ver_{t}_{op}" for t in VERSIONED_TABLES for op in ("insert", "update", "delete")
    ]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names] + outcome_measures.sqlite_drop()


def postgresql_ddl(outcomes: bool = True, pausable: bool = True) -> list[str]:
    """Trigger functions and triggers for PostgreSQL (``outcomes=False``: as in 0005;
    ``pausable=False``: without the bulk-write check, as before 0008). The data-version
    triggers run once per statement and are left on."""
    d = "postgresql"

    def when(cond: str = "") -> str:
        return live_condition(cond, pausable)

    incident_body = (
        "IF TG_OP = 'INSERT' THEN\n" + block(base_adds(d, "NEW", False)) + "  RETURN NEW;\n"
        "ELSIF TG_OP = 'UPDATE' THEN\n"
        + block(_update_body(d, outcomes))
        + "  RETURN NEW;\nEND IF;\n"
        + block(_children_delete(outcomes))
        + block(base_removes(d, "OLD", False))
        + "RETURN OLD;"
    )
    out = [
        plpgsql("casebook_cube_incident", incident_body),
        f"CREATE TRIGGER trg_cube_incident_ins AFTER INSERT ON incident "
        f"FOR EACH ROW{when()} EXECUTE FUNCTION casebook_cube_incident()",
        f"CREATE TRIGGER trg_cube_incident_upd AFTER UPDATE ON incident FOR EACH ROW"
        f"{when(changed_condition(d))} EXECUTE FUNCTION casebook_cube_incident()",
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
        "IF TG_OP = 'INSERT' THEN\n" + block(police_event(d, "INSERT")) + "  RETURN NEW;\n"
        "END IF;\n" + block(police_event(d, "DELETE")) + "RETURN OLD;"
    )
    out.append(plpgsql("casebook_cube_police", police))
    for op, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
        out.append(
            f"CREATE TRIGGER trg_cube_police_{op.lower()[:3]} BEFORE {op} ON incidentevent "
            f"FOR EACH ROW{when(f'{row}.kind IN {POLICE_IN}')} "
            "EXECUTE FUNCTION casebook_cube_police()"
        )
    for table in VERSIONED_TABLES:
        out.append(
            f"CREATE TRIGGER trg_ver_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION casebook_bump_version()"
        )
    return out + (outcome_measures.postgresql_ddl(pausable) if outcomes else [])


def postgresql_drop() -> list[str]:
    out = outcome_measures.postgresql_drop()
    out += [f"DROP TRIGGER IF EXISTS trg_ver_{t} ON {t}" for t in VERSIONED_TABLES]
    out += [f"DROP TRIGGER IF EXISTS trg_cube_{m} ON {t}" for t, (m, _) in CHILDREN.items()]
    out += [
        f"DROP TRIGGER IF EXISTS trg_cube_police_{op} ON incidentevent" for op in ("ins", "del")
    ]
    out += ["DROP FUNCTION IF EXISTS casebook_cube_police()"]
    out += [
        f"DROP TRIGGER IF EXISTS trg_cube_incident_{op} ON incident" for op in ("ins", "upd", "del")
    ]
    out += [f"DROP FUNCTION IF EXISTS casebook_cube_{m}()" for _, (m, _) in CHILDREN.items()]
    out += [
        "DROP FUNCTION IF EXISTS casebook_cube_incident()",
        "DROP FUNCTION IF EXISTS casebook_bump_version()",
    ]
    return out


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
        f"SELECT 'room', {room_bucket('i')}, {dims}, {m('COUNT(*)')}, "
        f"{m('SUM(COALESCE(i.room_members, 0))')} FROM incident i {where} {grp}",
        f"SELECT 'age', j.key, {dims}, {m('COUNT(*)')}, {m('SUM(CAST(j.value AS INTEGER))')} "
        f"FROM incident i CROSS JOIN {json_obj(dialect, 'i.suspects_by_age')} {where} {grp}",
        f"SELECT 'obstacle', j.value, {dims}, {m('COUNT(*)')}, 0 "
        f"FROM incident i CROSS JOIN {json_arr(dialect, 'i.obstacles')} {where} {grp}",
        f"SELECT 'conduct', c.conduct, {dims}, {m('COUNT(*)')}, 0 "
        f"FROM incident i JOIN incidentconduct c ON c.incident_id = i.id {where} {grp}",
        f"SELECT 'institution', CAST(c.institution_id AS VARCHAR), {dims}, {m('COUNT(*)')}, 0 "
        f"FROM incident i JOIN incidentinstitution c ON c.incident_id = i.id {where} {grp}",
        f"SELECT 'police', '', {dims}, {m('COUNT(*)')}, "
        f"{m('SUM(' + days_sql(dialect, 'f.first_on', 'i.reported_on') + ')')} FROM incident i "
        f"JOIN (SELECT incident_id, MIN(occurred_on) AS first_on FROM incidentevent "
        f"WHERE kind IN {POLICE_IN} {sub} GROUP BY incident_id) f ON f.incident_id = i.id "
        f"{where} {grp}",
        *(outcome_measures.contribution_selects(dialect, only, sign) if outcomes else []),
        *(advocacy_measures.contribution_selects(dialect, only, sign) if advocacy else []),
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


def install_sql(
    dialect: str, outcomes: bool = True, pausable: bool = True, advocacy: bool = True
) -> list[str]:
    """Every trigger (``outcomes=False``: as migration 0005 made them; ``pausable``:
    PostgreSQL's with the bulk-write check of 0008; ``advocacy=False``: without migration
    0010's)."""
    pg = dialect == "postgresql"
    ddl = postgresql_ddl(outcomes, pausable) if pg else sqlite_ddl(outcomes)
    return ddl + (advocacy_measures.install_sql(dialect, pausable) if advocacy else [])


def uninstall_sql(dialect: str) -> list[str]:
    drop = postgresql_drop() if dialect == "postgresql" else sqlite_drop()
    return advocacy_measures.uninstall_sql(dialect) + drop


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
