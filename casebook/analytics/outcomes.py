"""What happened after the report, kept in ``analytics_cube`` by triggers (migration 0006).

Four outcome series used to be computed from their base tables on every dashboard
view (about half the cold time at a million incidents). They are now further measures
of the cube, with the reporting incident's month and filter dimensions like the rest:

- ``link``: key "conduct:gap"; n = incidents with a legal link flagging that gap (a
  removed link does not count; several links for one conduct and gap count once).
- ``release``: key = recorded reason ("" if none); n = incidents with such a release.
- ``takedown``: key = the platform asked; n = takedowns removed with a resolution date,
  total = their days from request to removal.
- ``discipline``: key = institution id; n = incidents of that institution with a
  school/employer discipline event, total = days from report to the first one.
- ``disc_events``: key = institution id; n = discipline events.

"Counts once per incident" is kept on write: a link or release adds 1 only if no other
row of the incident already gives the same key, and takes 1 away only if none is left.
Events are append-only apart from their note (casebook.incidents.erasure blanks notes), so the
event triggers handle INSERT and DELETE; links and takedowns change, so theirs handle
UPDATE too. The SQL is per dialect (SQLite, PostgreSQL) like casebook.analytics.cube.
"""

from __future__ import annotations

from casebook.analytics.cube import (
    CONFLICT,
    GROUP_ALL,
    INS,
    child_add,
    child_remove,
    cube_dims,
    cube_match,
    days_sql,
    first_dates,
    of_incident,
    signed,
)
from casebook.analytics.sql_triggers import (
    RowTriggers,
    drop_row_triggers,
    live_condition,
    pg_row_triggers,
    pg_trigger_body,
    plpgsql,
    sqlite_row_triggers,
    sqlite_trigger,
)

MEASURES = ("link", "release", "takedown", "discipline", "disc_events")
GAPS = ("not_criminal_then", "penalty_raised")
DISCIPLINE_KINDS = ("school_discipline", "employer_discipline")
GAPS_IN = "(" + ", ".join(f"'{g}'" for g in GAPS) + ")"
_DISC_IN = "(" + ", ".join(f"'{k}'" for k in DISCIPLINE_KINDS) + ")"


def link_ok(x: str) -> str:
    return f"{x}.gap IN {GAPS_IN} AND {x}.state <> 'removed'"


def _link_key(x: str) -> str:
    return f"{x}.conduct || ':' || {x}.gap"


def _removed(x: str) -> str:
    return f"{x}.outcome = 'removed' AND {x}.resolved_on IS NOT NULL"


def _first_disc(incident_id: str, exclude: str = "") -> str:
    skip = f" AND e.id <> {exclude}" if exclude else ""
    return (
        f"(SELECT MIN(e.occurred_on) FROM incidentevent e WHERE e.incident_id = {incident_id} "
        f"AND e.kind IN {_DISC_IN}{skip})"
    )


def _disc_count(incident_id: str) -> str:
    return (
        f"(SELECT COUNT(*) FROM incidentevent e WHERE e.incident_id = {incident_id} "
        f"AND e.kind IN {_DISC_IN})"
    )


def _insts(incident_id: str) -> str:
    return (
        f"(SELECT CAST(ii.institution_id AS VARCHAR) FROM incidentinstitution ii "
        f"WHERE ii.incident_id = {incident_id})"
    )


# --- one child row --------------------------------------------------------------------


def _no_other_link(x: str) -> str:
    """No other live link of the incident has link ``x``'s key (conduct and gap)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM legallink o WHERE o.incident_id = {x}.incident_id "
        f"AND o.conduct = {x}.conduct AND o.gap = {x}.gap AND o.state <> 'removed' "
        f"AND o.id <> {x}.id)"
    )


def _no_other_release(x: str) -> str:
    """No other release event of the incident gives event ``x``'s reason."""
    return (
        f"NOT EXISTS (SELECT 1 FROM incidentevent o WHERE o.incident_id = {x}.incident_id "
        f"AND o.kind = 'released' AND o.reason = {x}.reason AND o.id <> {x}.id)"
    )


def link_add(x: str) -> str:
    """Count link ``x`` (NEW) unless another live link of its incident has the same key."""
    return child_add("link", _link_key(x), x, f"{link_ok(x)} AND {_no_other_link(x)}")


def link_remove(x: str) -> str:
    """Take link ``x`` (OLD) out unless another live link of its incident has the key."""
    return child_remove("link", _link_key(x), x, f"{link_ok(x)} AND {_no_other_link(x)}")


def release_add(x: str) -> str:
    return child_add("release", f"{x}.reason", x, _no_other_release(x))


def release_remove(x: str) -> str:
    return child_remove("release", f"{x}.reason", x, _no_other_release(x))


def takedown_add(dialect: str, x: str) -> str:
    days = days_sql(dialect, f"{x}.resolved_on", f"{x}.requested_on")
    return child_add("takedown", f"{x}.platform", x, _removed(x), total=days)


def takedown_remove(dialect: str, x: str) -> str:
    days = days_sql(dialect, f"{x}.resolved_on", f"{x}.requested_on")
    return child_remove("takedown", f"{x}.platform", x, _removed(x), total=days)


def discipline_event(dialect: str, op: str) -> list[str]:
    """Re-count an incident's discipline for each of its institutions after an event
    insert/delete: take out the first-discipline days as they were, add them as they are,
    and count the event itself (the pattern of the first police step)."""
    inc = ("NEW" if op == "INSERT" else "OLD") + ".incident_id"
    old_first, new_first = first_dates(dialect, op, _first_disc)
    if op == "INSERT":
        count = (
            f"{INS} 'disc_events', CAST(ii.institution_id AS VARCHAR), {cube_dims('i')}, 1, 0 "
            f"FROM incident i, incidentinstitution ii WHERE ii.incident_id = i.id "
            f"AND i.id = {inc} {CONFLICT}"
        )
    else:
        count = (
            f"UPDATE analytics_cube SET n = n - 1 WHERE measure = 'disc_events' "
            f"AND key IN {_insts(inc)} AND {of_incident(inc)}"
        )
    return [
        f"UPDATE analytics_cube SET n = n - 1, total = total - "
        f"(SELECT {days_sql(dialect, old_first, 'i.reported_on')} FROM incident i "
        f"WHERE i.id = {inc}) WHERE measure = 'discipline' AND key IN {_insts(inc)} "
        f"AND {of_incident(inc)} AND {old_first} IS NOT NULL",
        f"{INS} 'discipline', CAST(ii.institution_id AS VARCHAR), {cube_dims('i')}, 1, "
        f"{days_sql(dialect, new_first, 'i.reported_on')} FROM incident i, "
        f"incidentinstitution ii WHERE ii.incident_id = i.id AND i.id = {inc} "
        f"AND {new_first} IS NOT NULL {CONFLICT}",
        count,
    ]


def discipline_institution(dialect: str, op: str) -> list[str]:
    """Add (INSERT) or take out (DELETE) the incident's discipline for one institution."""
    x = "NEW" if op == "INSERT" else "OLD"
    key = f"CAST({x}.institution_id AS VARCHAR)"
    days = days_sql(dialect, _first_disc("i.id"), "i.reported_on")
    if op == "INSERT":
        return [
            f"{INS} 'discipline', {key}, {cube_dims('i')}, 1, {days} FROM incident i "
            f"WHERE i.id = {x}.incident_id AND {_first_disc('i.id')} IS NOT NULL {CONFLICT}",
            f"{INS} 'disc_events', {key}, {cube_dims('i')}, {_disc_count('i.id')}, 0 "
            f"FROM incident i WHERE i.id = {x}.incident_id AND {_disc_count('i.id')} > 0 "
            f"{CONFLICT}",
        ]
    return [
        f"UPDATE analytics_cube SET n = n - 1, total = total - (SELECT {days} FROM incident i "
        f"WHERE i.id = {x}.incident_id) WHERE measure = 'discipline' AND key = {key} "
        f"AND {of_incident(x + '.incident_id')} AND {_first_disc(x + '.incident_id')} "
        "IS NOT NULL",
        f"UPDATE analytics_cube SET n = n - {_disc_count(x + '.incident_id')} "
        f"WHERE measure = 'disc_events' AND key = {key} AND {of_incident(x + '.incident_id')}",
    ]


# --- a whole incident (its dimensions or report date changed) -------------------------


def incident_removes(dialect: str, x: str) -> list[str]:
    """Take incident ``x`` (OLD) out of every outcome measure's buckets."""
    days_t = days_sql(dialect, "t.resolved_on", "t.requested_on")
    live_t = f"t.incident_id = {x}.id AND {_removed('t')}"
    return [
        f"UPDATE analytics_cube SET n = n - 1 WHERE measure = 'link' AND {cube_match(x)} "
        f"AND key IN (SELECT {_link_key('l')} FROM legallink l WHERE l.incident_id = {x}.id "
        f"AND {link_ok('l')})",
        f"UPDATE analytics_cube SET n = n - 1 WHERE measure = 'release' AND {cube_match(x)} "
        f"AND key IN (SELECT e.reason FROM incidentevent e WHERE e.incident_id = {x}.id "
        "AND e.kind = 'released')",
        f"UPDATE analytics_cube SET n = n - (SELECT COUNT(*) FROM takedown t WHERE {live_t} "
        f"AND t.platform = analytics_cube.key), total = total - (SELECT SUM({days_t}) FROM "
        f"takedown t WHERE {live_t} AND t.platform = analytics_cube.key) WHERE measure = "
        f"'takedown' AND {cube_match(x)} AND key IN (SELECT t.platform FROM takedown t "
        f"WHERE {live_t})",
        f"UPDATE analytics_cube SET n = n - 1, total = total - "
        f"{days_sql(dialect, _first_disc(x + '.id'), x + '.reported_on')} WHERE measure = "
        f"'discipline' AND {cube_match(x)} AND key IN {_insts(x + '.id')} "
        f"AND {_first_disc(x + '.id')} IS NOT NULL",
        f"UPDATE analytics_cube SET n = n - {_disc_count(x + '.id')} WHERE measure = "
        f"'disc_events' AND {cube_match(x)} AND key IN {_insts(x + '.id')}",
    ]


def incident_adds(dialect: str, x: str) -> list[str]:
    """Add incident ``x`` (NEW) to every outcome measure (its child rows already exist)."""
    days_t = days_sql(dialect, "t.resolved_on", "t.requested_on")
    return [
        f"{INS} DISTINCT 'link', {_link_key('l')}, {cube_dims(x)}, 1, 0 FROM legallink l "
        f"WHERE l.incident_id = {x}.id AND {link_ok('l')} {CONFLICT}",
        f"{INS} DISTINCT 'release', e.reason, {cube_dims(x)}, 1, 0 FROM incidentevent e "
        f"WHERE e.incident_id = {x}.id AND e.kind = 'released' {CONFLICT}",
        f"{INS} 'takedown', t.platform, {cube_dims(x)}, COUNT(*), SUM({days_t}) FROM takedown t "
        f"WHERE t.incident_id = {x}.id AND {_removed('t')} GROUP BY t.platform {CONFLICT}",
        f"{INS} 'discipline', CAST(ii.institution_id AS VARCHAR), {cube_dims(x)}, 1, "
        f"{days_sql(dialect, _first_disc(x + '.id'), x + '.reported_on')} FROM "
        f"incidentinstitution ii WHERE ii.incident_id = {x}.id "
        f"AND {_first_disc(x + '.id')} IS NOT NULL {CONFLICT}",
        f"{INS} 'disc_events', CAST(ii.institution_id AS VARCHAR), {cube_dims(x)}, "
        f"{_disc_count(x + '.id')}, 0 FROM incidentinstitution ii WHERE ii.incident_id = "
        f"{x}.id AND {_disc_count(x + '.id')} > 0 {CONFLICT}",
    ]


CHILD_TABLES = ("legallink", "takedown")  # deleted by the incident's BEFORE DELETE trigger


# --- triggers -----------------------------------------------------------------------

_LINK_CHANGED = ("incident_id", "conduct", "gap", "state")
_TAKEDOWN_CHANGED = ("incident_id", "platform", "outcome", "requested_on", "resolved_on")


def _changed(dialect: str, cols: tuple[str, ...]) -> str:
    if dialect == "postgresql":
        return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in cols)
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in cols)


# PostgreSQL runs AFTER row triggers at the end of the statement, when all rows of a
# multi-row INSERT/DELETE (the ORM batches them) are visible, so "is there another row
# with this key?" and "the first date without this row" would see rows not yet counted.
# These triggers run BEFORE each row there (they see earlier rows only); SQLite's AFTER
# row triggers already run one row at a time.
PG_BEFORE = frozenset({"link", "release", "discipline"})


def _row_triggers(dialect: str) -> RowTriggers:
    d = dialect
    return {
        "link": (
            "legallink",
            {
                "INSERT": [link_add("NEW")],
                "DELETE": [link_remove("OLD")],
                "UPDATE": [link_remove("OLD"), link_add("NEW")],
            },
            _LINK_CHANGED,
        ),
        "takedown": (
            "takedown",
            {
                "INSERT": [takedown_add(d, "NEW")],
                "DELETE": [takedown_remove(d, "OLD")],
                "UPDATE": [takedown_remove(d, "OLD"), takedown_add(d, "NEW")],
            },
            _TAKEDOWN_CHANGED,
        ),
        "discinst": (
            "incidentinstitution",
            {
                "INSERT": discipline_institution(d, "INSERT"),
                "DELETE": discipline_institution(d, "DELETE"),
            },
            (),
        ),
    }


def _event_triggers(dialect: str) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """name -> (WHEN condition on the row, {op: statements}) for incidentevent."""
    return {
        "release": (
            "{x}.kind = 'released'",
            {"INSERT": [release_add("NEW")], "DELETE": [release_remove("OLD")]},
        ),
        "discipline": (
            f"{{x}}.kind IN {_DISC_IN}",
            {
                "INSERT": discipline_event(dialect, "INSERT"),
                "DELETE": discipline_event(dialect, "DELETE"),
            },
        ),
    }


def sqlite_ddl() -> list[str]:
    out = sqlite_row_triggers(_row_triggers("sqlite"), _changed)
    for name, (when, ops) in _event_triggers("sqlite").items():
        for op, body in ops.items():
            row = "NEW" if op == "INSERT" else "OLD"
            out.append(
                sqlite_trigger(
                    f"trg_cube_{name}_{op.lower()[:3]}",
                    f"AFTER {op} ON incidentevent",
                    body,
                    when.format(x=row),
                )
            )
    return out


def sqlite_drop() -> list[str]:
    names = [
        f"trg_cube_{n}_{op.lower()[:3]}"
        for n, (_, ops) in _event_triggers("sqlite").items()
        for op in ops
    ]
    return drop_row_triggers("sqlite", _row_triggers("sqlite")) + [
        f"DROP TRIGGER IF EXISTS {n}" for n in names
    ]


def postgresql_ddl(pausable: bool = True) -> list[str]:
    d = "postgresql"

    def when(cond: str = "") -> str:
        return live_condition(cond, pausable)

    out = pg_row_triggers(_row_triggers(d), _changed, PG_BEFORE, pausable)
    for name, (kinds, ops) in _event_triggers(d).items():
        out.append(plpgsql(f"casebook_cube_{name}", pg_trigger_body(ops)))
        for op in ops:
            row = "NEW" if op == "INSERT" else "OLD"
            out.append(
                f"CREATE TRIGGER trg_cube_{name}_{op.lower()[:3]} BEFORE {op} ON "
                f"incidentevent FOR EACH ROW{when(kinds.format(x=row))} "
                f"EXECUTE FUNCTION casebook_cube_{name}()"
            )
    return out


def postgresql_drop() -> list[str]:
    d = "postgresql"
    out = drop_row_triggers(d, _row_triggers(d))
    for name, (_, ops) in _event_triggers(d).items():
        out += [
            f"DROP TRIGGER IF EXISTS trg_cube_{name}_{op.lower()[:3]} ON incidentevent"
            for op in ops
        ]
        out.append(f"DROP FUNCTION IF EXISTS casebook_cube_{name}()")
    return out


def contribution_selects(dialect: str, only: str, sign: int) -> list[str]:
    """SELECTs of the outcome measures' cube rows for the incidents ``only`` admits (see
    casebook.analytics.summaries.contribution_selects)."""
    m, i, grp = signed(sign), cube_dims("i"), GROUP_ALL
    where = "WHERE " + only.format(id="i.id")
    sub = "AND " + only.format(id="incident_id")
    disc = (
        f"(SELECT incident_id, MIN(occurred_on) AS first_on, COUNT(*) AS events FROM "
        f"incidentevent WHERE kind IN {_DISC_IN} {sub} GROUP BY incident_id) f"
    )
    return [
        f"SELECT 'link', {_link_key('l')}, {i}, {m('COUNT(*)')}, 0 FROM incident i JOIN "
        f"(SELECT DISTINCT incident_id, conduct, gap FROM legallink WHERE gap IN {GAPS_IN} "
        f"AND state <> 'removed' {sub}) l ON l.incident_id = i.id {where} {grp}",
        f"SELECT 'release', r.reason, {i}, {m('COUNT(*)')}, 0 FROM incident i JOIN (SELECT "
        f"DISTINCT incident_id, reason FROM incidentevent WHERE kind = 'released' {sub}) r "
        f"ON r.incident_id = i.id {where} {grp}",
        f"SELECT 'takedown', t.platform, {i}, {m('COUNT(*)')}, "
        f"{m('SUM(' + days_sql(dialect, 't.resolved_on', 't.requested_on') + ')')} "
        f"FROM incident i JOIN takedown t ON t.incident_id = i.id {where} "
        f"AND {_removed('t')} {grp}",
        f"SELECT 'discipline', CAST(ii.institution_id AS VARCHAR), {i}, {m('COUNT(*)')}, "
        f"{m('SUM(' + days_sql(dialect, 'f.first_on', 'i.reported_on') + ')')} "
        f"FROM incident i JOIN incidentinstitution ii ON ii.incident_id = i.id JOIN {disc} "
        f"ON f.incident_id = i.id {where} {grp}",
        f"SELECT 'disc_events', CAST(ii.institution_id AS VARCHAR), {i}, "
        f"{m('SUM(f.events)')}, 0 FROM incident i JOIN incidentinstitution ii "
        f"ON ii.incident_id = i.id JOIN {disc} ON f.incident_id = i.id {where} {grp}",
    ]
