"""Dashboard rows from the base tables, for what the summary cube cannot answer: the days
of a month cut by the date range, and filters the cube has no dimension for (a conduct,
demo or not).

Every query here has the cube's columns (key, month, region, kind, platform, status,
gap, n, total), one row per incident and key (or per distinct JSON document,
``by_document``), so casebook.analytics.sources can add them to cube rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Integer, String, Text, case, cast, func, literal, null, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select
from sqlalchemy.sql.functions import FunctionElement

from casebook.analytics.cube import POLICE_KINDS, ROOM_BUCKETS
from casebook.analytics.filters import AnalyticsFilter
from casebook.analytics.outcomes import DISCIPLINE_KINDS, GAPS
from db import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    Db = Session | Connection  # what the read side runs its queries on


class days_between(FunctionElement):
    """Whole days from the second date to the first, in either dialect."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_sqlite(element, compiler, **kw) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_pg(element, compiler, **kw) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


def dims() -> list:
    i = tables.incident.c
    return [
        i.reported_month.label("month"),
        func.coalesce(i.region, "").label("region"),
        func.coalesce(i.institution_kind, "").label("kind"),
        i.platform.label("platform"),
        i.status.label("status"),
        case((i.legal_gap, 1), else_=0).label("gap"),
    ]


def dated(query: Select, f: AnalyticsFilter) -> Select:
    """The date range, and the filters the cube cannot answer, on a base-table query."""
    i = tables.incident.c
    if f.date_from:
        query = query.where(i.reported_on >= f.date_from)
    if f.date_to:
        query = query.where(i.reported_on <= f.date_to)
    return query.where(*beyond_cube(f))


def beyond_cube(f: AnalyticsFilter) -> list:
    i = tables.incident.c
    out = []
    if f.conduct:
        # An alias: the conduct measure already joins incidentconduct for its key. IN, not
        # a correlated EXISTS: SQLite then starts from the (conduct, incident_id) index
        # and looks up only those incidents (1.3 s at 1M) instead of probing for every
        # incident in another index's order (4-15 s); PostgreSQL plans both as a semi-join.
        ic = tables.incident_conduct.alias("has_conduct").c
        out.append(i.id.in_(select(ic.incident_id).where(ic.conduct == f.conduct)))
    if f.demo is not None:
        out.append(i.is_demo == f.demo)
    return out


def _room_bucket():
    m = tables.incident.c.room_members
    return case(
        (m.is_(None), "unknown"),
        (m < 100, ROOM_BUCKETS[0]),
        (m < 1000, ROOM_BUCKETS[1]),
        (m < 10000, ROOM_BUCKETS[2]),
        else_=ROOM_BUCKETS[3],
    )


def _json_entries(dialect: str, column, obj: bool):
    """A FROM item over a JSON column's entries: (key, value) of an object, or (value) of
    an array; PostgreSQL allows the reference to the incident row without LATERAL."""
    if dialect == "postgresql":
        if obj:
            return func.json_each_text(column).table_valued("key", "value").alias("j")
        return func.json_array_elements_text(column).table_valued("value").alias("j")
    return func.json_each(column).table_valued("key", "value").alias("j")


def _not_empty(column, empty: str):
    """False for a JSON value stored as the empty object or array (as the app writes them),
    which has no entries: those rows skip the JSON function, a call per row that cost more
    than the rest of the query (most incidents record no obstacle). Any other spelling of
    an empty value still counts nothing; this only saves the call."""
    return cast(column, Text) != empty


INSTITUTION_KEYED = frozenset({"institution", "discipline", "disc_events"})


def base_rows(
    measure: str, f: AnalyticsFilter, dialect: str, keys: list[str] | None = None
) -> Select:
    """The same columns as the cube, computed from the base tables for the date range
    (for institution-keyed measures, only the institutions in ``keys`` if given)."""
    if keys is not None and measure in INSTITUTION_KEYED:
        ii = tables.incident_institution.c
        q = base_rows(measure, f, dialect)
        # _plain: the top institutions hold many incidents; start from the date range
        ids = [int(k) for k in keys]
        column = func.coalesce(ii.institution_id, 0) if dialect == "sqlite" else ii.institution_id
        return q.where(column.in_(ids))
    i = tables.incident.c
    one = literal(1).label("n")
    if measure == "incident":
        q = select(
            literal("").label("key"), *dims(), one, func.coalesce(i.victims_count, 0).label("total")
        )
    elif measure == "room":
        q = select(
            _room_bucket().label("key"),
            *dims(),
            one,
            func.coalesce(i.room_members, 0).label("total"),
        )
    elif measure == "conduct":
        ic = tables.incident_conduct.c
        q = select(ic.conduct.label("key"), *dims(), one, literal(0).label("total"))
        q = q.join_from(tables.incident, tables.incident_conduct, ic.incident_id == i.id)
    elif measure == "institution":
        ii = tables.incident_institution.c
        q = select(
            cast(ii.institution_id, String).label("key"), *dims(), one, literal(0).label("total")
        )
        q = q.join_from(tables.incident, tables.incident_institution, ii.incident_id == i.id)
    elif measure in OUTCOME_BASES:
        q = OUTCOME_BASES[measure](dialect)
    elif measure == "age":
        # one pass over the JSON object's entries, as the cube's triggers count them
        j = _json_entries(dialect, i.suspects_by_age, obj=True)
        q = select(j.c.key.label("key"), *dims(), one, cast(j.c.value, Integer).label("total"))
        q = q.join_from(tables.incident, j, true()).where(_not_empty(i.suspects_by_age, "{}"))
    elif measure == "obstacle":
        j = _json_entries(dialect, i.obstacles, obj=False)
        q = select(j.c.value.label("key"), *dims(), one, literal(0).label("total"))
        q = q.join_from(tables.incident, j, true()).where(_not_empty(i.obstacles, "[]"))
    else:
        raise ValueError(measure)
    return dated(q, f)


# The base-table forms below start from the incidents in the date range (reported_on
# index) and reach child rows through their incident_id indexes, grouping per incident;
# a subquery over a whole child table would be computed in full first (seconds at 1M).
# SQLite underestimates how selective a date range is and would rather walk the child
# table's kind/gap/outcome index and look each incident up (every release, link or
# removal in the database); wrapping those columns in COALESCE (_plain) takes that
# index out of its choices. PostgreSQL plans the plain form well (and the COALESCE form
# badly: it hashes the whole child table), so there the columns stay bare.


def _plain(column, dialect: str):
    return func.coalesce(column, "") if dialect == "sqlite" else column


def _link_base(dialect: str) -> Select:
    """One row per incident and (conduct, gap) flagged by a live legal link."""
    i, lt = tables.incident.c, tables.legal_link.c
    q = select(
        (lt.conduct + ":" + lt.gap).label("key"),
        *dims(),
        literal(1).label("n"),
        literal(0).label("total"),
    )
    q = q.join_from(tables.incident, tables.legal_link, lt.incident_id == i.id)
    q = q.where(_plain(lt.gap, dialect).in_(GAPS), lt.state != "removed")
    return q.group_by(i.id, lt.conduct, lt.gap)


def _link_gap_base(dialect: str) -> Select:
    """One row per incident and gap flagged by a live legal link (whatever the conduct)."""
    i, lt = tables.incident.c, tables.legal_link.c
    q = select(lt.gap.label("key"), *dims(), literal(1).label("n"), literal(0).label("total"))
    q = q.join_from(tables.incident, tables.legal_link, lt.incident_id == i.id)
    q = q.where(_plain(lt.gap, dialect).in_(GAPS), lt.state != "removed")
    return q.group_by(i.id, lt.gap)


def _minor_base(dialect: str) -> Select:
    i = tables.incident.c
    q = select(
        literal("").label("key"),
        *dims(),
        literal(1).label("n"),
        func.coalesce(i.victims_minor, 0).label("total"),
    )
    return q.where(i.has_minor)


def _takedown_req_base(dialect: str) -> Select:
    i, t = tables.incident.c, tables.takedown.c
    q = select(t.outcome.label("key"), *dims(), literal(1).label("n"), literal(0).label("total"))
    return q.join_from(tables.incident, tables.takedown, t.incident_id == i.id)


def _release_base(dialect: str) -> Select:
    i, e = tables.incident.c, tables.incident_event.c
    q = select(e.reason.label("key"), *dims(), literal(1).label("n"), literal(0).label("total"))
    q = q.join_from(tables.incident, tables.incident_event, e.incident_id == i.id)
    return q.where(_plain(e.kind, dialect) == "released").group_by(i.id, e.reason)


def _takedown_base(dialect: str) -> Select:
    i, t = tables.incident.c, tables.takedown.c
    q = select(
        t.platform.label("key"),
        *dims(),
        literal(1).label("n"),
        days_between(t.resolved_on, t.requested_on).label("total"),
    )
    q = q.join_from(tables.incident, tables.takedown, t.incident_id == i.id)
    return q.where(_plain(t.outcome, dialect) == "removed", t.resolved_on.is_not(None))


def _police_base(dialect: str) -> Select:
    i, e = tables.incident.c, tables.incident_event.c
    if dialect == "sqlite":
        # Grouped by incident, SQLite walks the whole incident table in id order (no sort
        # needed) rather than the date range (cut days at a million: 460 ms); per incident
        # of the range, the first police step is one probe of (incident_id, kind) instead.
        first = (
            select(func.min(e.occurred_on))
            .where(e.incident_id == i.id, _plain(e.kind, dialect).in_(POLICE_KINDS))
            .scalar_subquery()
        )
        q = select(
            literal("").label("key"),
            *dims(),
            literal(1).label("n"),
            days_between(first, i.reported_on).label("total"),
        )
        return q.where(first.is_not(None))
    q = select(
        literal("").label("key"),
        *dims(),
        literal(1).label("n"),
        days_between(func.min(e.occurred_on), i.reported_on).label("total"),
    )
    q = q.join_from(tables.incident, tables.incident_event, e.incident_id == i.id)
    return q.where(_plain(e.kind, dialect).in_(POLICE_KINDS)).group_by(i.id)


def _discipline(events: bool, dialect: str) -> Select:
    """Per (incident, institution): 1 and days to the first discipline event, or the
    number of discipline events (``events``)."""
    i, e = tables.incident.c, tables.incident_event.c
    ii = tables.incident_institution.c
    if events:
        n, total = func.count(), literal(0)
    else:
        n, total = literal(1), days_between(func.min(e.occurred_on), i.reported_on)
    q = select(
        cast(ii.institution_id, String).label("key"), *dims(), n.label("n"), total.label("total")
    )
    q = q.join_from(tables.incident, tables.incident_institution, ii.incident_id == i.id)
    q = q.join(tables.incident_event, e.incident_id == i.id)
    return q.where(_plain(e.kind, dialect).in_(DISCIPLINE_KINDS)).group_by(i.id, ii.institution_id)


OUTCOME_BASES = {
    "police": _police_base,
    "link": _link_base,
    "release": _release_base,
    "takedown": _takedown_base,
    "discipline": lambda dialect: _discipline(False, dialect),
    "disc_events": lambda dialect: _discipline(True, dialect),
    # the advocacy brief's measures (casebook.analytics.advocacy)
    "minor": _minor_base,
    "link_gap": _link_gap_base,
    "takedown_req": _takedown_req_base,
}


JSON_MEASURES = {"age": ("suspects_by_age", "{}", True), "obstacle": ("obstacles", "[]", False)}


def by_document(measure: str, f: AnalyticsFilter, dialect: str, keep: tuple[str, ...]) -> Select:
    """The rows of a JSON measure (age bands, obstacles) for the date range with the cube's
    columns, the entries of each distinct JSON document read once: incidents are grouped
    by the document's text and the dimensions in ``keep`` (the only dimensions the caller
    reads; the others are NULL), each entry counting that many incidents.

    Reports repeat a few age-band documents: the age bands of 74,000 cut-day incidents at
    a million took PostgreSQL 116 ms with a JSON call per incident, 30 ms so."""
    i = tables.incident.c
    name, empty, obj = JSON_MEASURES[measure]
    column = i[name]
    kept = [d for d in dims() if d.name in keep]
    doc = cast(column, Text).label("doc")
    docs = select(doc, *kept, func.count().label("c")).select_from(tables.incident)
    docs = dated(docs.where(_not_empty(column, empty)), f).group_by(doc, *kept).subquery("docs")
    parsed = cast(docs.c.doc, JSON) if dialect == "postgresql" else docs.c.doc
    j = _json_entries(dialect, parsed, obj)
    if obj:
        key, total = j.c.key, docs.c.c * cast(j.c.value, Integer)
    else:
        key, total = j.c.value, literal(0)
    cube = tables.analytics_cube.c
    cols = [docs.c[d] if d in keep else cast(null(), cube[d].type).label(d) for d in DIM_NAMES]
    q = select(key.label("key"), *cols, docs.c.c.label("n"), total.label("total"))
    return q.select_from(docs).join(j, true())


DIM_NAMES = ("month", "region", "kind", "platform", "status", "gap")
