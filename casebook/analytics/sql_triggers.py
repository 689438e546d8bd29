"""Trigger DDL for both dialects: the pieces every summary measure builds its triggers from.

A measure module (casebook.analytics.cube, analytics_outcomes, analytics_advocacy) says
what each row operation does to the cube as SQL statements; this module wraps them into
SQLite ``CREATE TRIGGER`` blocks or PostgreSQL trigger functions and triggers, and makes
the matching drops. On PostgreSQL every row trigger can be paused for one transaction
(``live_condition``): a bulk write (casebook.analytics.bulk_upkeep) sets ``PAUSE_SETTING`` and
does the upkeep set-wise instead.
"""

from __future__ import annotations

from collections.abc import Callable

# A bulk write's own transaction sets this (set_config(..., true): it ends with the
# transaction, and no other session sees it); PostgreSQL row triggers then do nothing.
PAUSE_SETTING = "casebook.bulk_write"
PG_LIVE = f"current_setting('{PAUSE_SETTING}', true) IS DISTINCT FROM 'on'"


def live_condition(cond: str = "", pausable: bool = True) -> str:
    """A PostgreSQL row trigger's WHEN clause (or ""): ``cond``, and no bulk write
    running if ``pausable``."""
    parts = [f"({cond})" if cond and pausable else cond, PG_LIVE if pausable else ""]
    cond = " AND ".join(p for p in parts if p)
    return f" WHEN ({cond})" if cond else ""


def sqlite_trigger(name: str, when: str, body: list[str], cond: str = "") -> str:
    cond_sql = f" WHEN {cond}" if cond else ""
    stmts = "".join(f"  {s};\n" for s in body)
    return f"CREATE TRIGGER {name} {when} FOR EACH ROW{cond_sql}\nBEGIN\n{stmts}END"


def plpgsql(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nEND;\n$$"
    )


def block(stmts: list[str]) -> str:
    return "".join(f"  {s};\n" for s in stmts)


# A measure module's row triggers: name -> (table, {op: statements}, watched columns for
# UPDATE). One trigger per operation, named trg_cube_<name>_<ins|del|upd>, and on
# PostgreSQL one function per name.
RowTriggers = dict[str, tuple[str, dict[str, list[str]], tuple[str, ...]]]
Changed = Callable[[str, tuple[str, ...]], str]  # (dialect, columns) -> "row changed" SQL


def _trigger_name(name: str, op: str) -> str:
    return f"trg_cube_{name}_{op.lower()[:3]}"


def sqlite_row_triggers(triggers: RowTriggers, changed: Changed) -> list[str]:
    out = []
    for name, (table, ops, watched) in triggers.items():
        for op, body in ops.items():
            cond = changed("sqlite", watched) if op == "UPDATE" else ""
            out.append(
                sqlite_trigger(_trigger_name(name, op), f"AFTER {op} ON {table}", body, cond)
            )
    return out


def pg_trigger_body(ops: dict[str, list[str]]) -> str:
    """A trigger function's body running each operation's statements."""
    parts = []
    for op, body in ops.items():
        ret = "OLD" if op == "DELETE" else "NEW"
        parts.append(f"IF TG_OP = '{op}' THEN\n{block(body)}  RETURN {ret};\nEND IF;")
    return "\n".join(parts) + "\nRETURN NULL;"


def pg_row_triggers(
    triggers: RowTriggers, changed: Changed, before: frozenset[str], pausable: bool
) -> list[str]:
    """Functions and triggers; those named in ``before`` run BEFORE each row."""
    out = []
    for name, (table, ops, watched) in triggers.items():
        out.append(plpgsql(f"casebook_cube_{name}", pg_trigger_body(ops)))
        timing = "BEFORE" if name in before else "AFTER"
        for op in ops:
            cond = live_condition(
                changed("postgresql", watched) if op == "UPDATE" else "", pausable
            )
            out.append(
                f"CREATE TRIGGER {_trigger_name(name, op)} {timing} {op} ON {table} "
                f"FOR EACH ROW{cond} EXECUTE FUNCTION casebook_cube_{name}()"
            )
    return out


def drop_row_triggers(dialect: str, triggers: RowTriggers) -> list[str]:
    out = []
    for name, (table, ops, _) in triggers.items():
        on = f" ON {table}" if dialect == "postgresql" else ""
        out += [f"DROP TRIGGER IF EXISTS {_trigger_name(name, op)}{on}" for op in ops]
        if dialect == "postgresql":
            out.append(f"DROP FUNCTION IF EXISTS casebook_cube_{name}()")
    return out
