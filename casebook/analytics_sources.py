"""Where dashboard counts come from: the summary cube, or the base tables when the date
range cuts through a month.

Both sources have the same columns (key, month, region, kind, platform, status, gap,
n, total), so every aggregate in casebook.analytics is written once and runs on either.
Nothing here loads rows into Python: these are SQL expressions with bound parameters.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Integer,
    String,
    Text,
    case,
    cast,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select, TableClause
from sqlalchemy.sql import column as cube_column
from sqlalchemy.sql.functions import FunctionElement

from casebook import analytics_edges as edges
from casebook.analytics_cube import POLICE_KINDS, ROOM_BUCKETS
from casebook.analytics_outcomes import DISCIPLINE_KINDS, GAPS
from casebook.errors import InvalidInput
from casebook.vocab import (
    CONDUCTS,
    INSTITUTION_KINDS,
    PLATFORMS,
    REGIONS,
    STATUSES,
)
from db import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    Db = Session | Connection

MEASURES = ("incident", "conduct", "institution", "age", "room", "obstacle", "police",
            "link", "release", "takedown", "discipline", "disc_events",
            "minor", "link_gap", "takedown_req")  # fmt: skip


class days_between(FunctionElement):  # noqa: N801 (used like a SQL function)
    """Whole days from the second date to the first, in either dialect."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_pg(element, compiler, **kw) -> str:  # noqa: ANN001
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


class _CubeByIndex(TableClause):
    """``analytics_cube`` read, on SQLite, through the index named ``index`` (INDEXED BY).

    Without statistics SQLite prefers the primary key's ``measure = ?`` prefix to the
    partial covering indexes of the incident measure, then sorts every incident row of
    the cube to group it (no filter, 141,000 rows at a million skewed incidents: by
    status, region, kind and platform 157 -> 39 ms). One subclass per index: the class
    is part of the statement cache key."""

    inherit_cache = True
    index = ""
    columns_covered: frozenset[str] = frozenset()


class _CubeByDims(_CubeByIndex):
    inherit_cache = True
    index = "ix_analytics_cube_incident_dims"
    columns_covered = frozenset({"measure", "status", "region", "kind", "platform", "month"})


class _CubeByMonth(_CubeByIndex):
    inherit_cache = True
    index = "ix_analytics_cube_incident_month"
    columns_covered = frozenset({"measure", "month", "kind", "gap"})


@compiles(_CubeByIndex, "sqlite")
def _cube_by_index(element, compiler, asfrom: bool = False, **kw) -> str:  # noqa: ANN001
    sql = compiler.visit_table(element, asfrom=asfrom, **kw)
    return f"{sql} INDEXED BY {element.index}" if asfrom else sql


def _cube_via(names: tuple[str, ...], f: AnalyticsFilter) -> TableClause:
    """The cube table to read the incident measure's ``names`` under filters ``f`` on
    SQLite: through the partial covering index holding every column the query reads."""
    used = {"measure", "month", *names}
    used |= {name for name, value in _dim_values(f) if value}
    cols = [cube_column(c.name, c.type) for c in tables.analytics_cube.c]
    for via in (_CubeByMonth, _CubeByDims):
        if used <= via.columns_covered:
            return via("analytics_cube", *cols)
    return tables.analytics_cube


UNKNOWN = "unknown"  # label for an empty region / institution kind in results


@dataclass(frozen=True)
class AnalyticsFilter:
    """The dashboard's shared filters; hashable, so pages can key caches on it."""

    date_from: date | None = None
    date_to: date | None = None
    region: str | None = None
    kind: str | None = None
    platform: str | None = None
    status: str | None = None
    # Filters the cube has no dimension for (the advocacy brief offers them): when either
    # is set, every aggregate is computed from the base tables instead.
    conduct: str | None = None
    demo: bool | None = None

    @property
    def beyond_cube(self) -> bool:
        return bool(self.conduct) or self.demo is not None


def make_filter(**values: object) -> AnalyticsFilter:
    """An AnalyticsFilter from user input, refusing unknown words and reversed ranges."""
    vocab = {"region": REGIONS + (UNKNOWN,), "kind": INSTITUTION_KINDS + (UNKNOWN,),
             "platform": PLATFORMS, "status": STATUSES, "conduct": CONDUCTS}  # fmt: skip
    clean: dict = {}
    for name, allowed in vocab.items():
        value = values.get(name) or None
        if value is not None and value not in allowed:
            raise InvalidInput({name: "errors.unknown_value"})
        clean[name] = value
    for name in ("date_from", "date_to"):
        value = values.get(name) or None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise InvalidInput({name: "errors.bad_date"}) from None
        clean[name] = value
    if clean["date_from"] and clean["date_to"] and clean["date_from"] > clean["date_to"]:
        raise InvalidInput({"date_to": "analytics.errors.range_reversed"})
    demo = values.get("demo")
    return AnalyticsFilter(**clean, demo=None if demo is None else bool(demo))


def whole_months(f: AnalyticsFilter) -> bool:
    """Whether the date range starts and ends on month boundaries (the cube can answer)."""
    if f.date_from is not None and f.date_from.day != 1:
        return False
    if f.date_to is not None:
        last = calendar.monthrange(f.date_to.year, f.date_to.month)[1]
        if f.date_to.day != last:
            return False
    return True


def _cube(
    measure: str, f: AnalyticsFilter, keys: list[str] | None = None,
    cube: TableClause | None = None,
) -> Select:  # fmt: skip
    c = (tables.analytics_cube if cube is None else cube).c
    query = select(c.key, c.month, c.region, c.kind, c.platform, c.status, c.gap, c.n, c.total)
    if isinstance(cube, _CubeByIndex):  # a partial index's WHERE must match a literal
        query = query.where(c.measure == literal(measure, literal_execute=True))
    else:
        query = query.where(c.measure == measure)
    if keys is not None:
        query = query.where(c.key.in_(keys))
    if f.date_from:
        query = query.where(c.month >= f.date_from.strftime("%Y-%m"))
    if f.date_to:
        query = query.where(c.month <= f.date_to.strftime("%Y-%m"))
    return query


def _dims() -> list:
    i = tables.incident.c
    return [
        i.reported_month.label("month"),
        func.coalesce(i.region, "").label("region"),
        func.coalesce(i.institution_kind, "").label("kind"),
        i.platform.label("platform"),
        i.status.label("status"),
        case((i.legal_gap, 1), else_=0).label("gap"),
    ]


def _dated(query: Select, f: AnalyticsFilter) -> Select:
    """The date range, and the filters the cube cannot answer, on a base-table query."""
    i = tables.incident.c
    if f.date_from:
        query = query.where(i.reported_on >= f.date_from)
    if f.date_to:
        query = query.where(i.reported_on <= f.date_to)
    return query.where(*_beyond_cube(f))


def _beyond_cube(f: AnalyticsFilter) -> list:
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


def _room_bucket():  # noqa: ANN202
    m = tables.incident.c.room_members
    return case(
        (m.is_(None), "unknown"),
        (m < 100, ROOM_BUCKETS[0]),
        (m < 1000, ROOM_BUCKETS[1]),
        (m < 10000, ROOM_BUCKETS[2]),
        else_=ROOM_BUCKETS[3],
    )


def _json_entries(dialect: str, column, obj: bool):  # noqa: ANN001, ANN202 (table-valued)
    """A FROM item over a JSON column's entries: (key, value) of an object, or (value) of
    an array; PostgreSQL allows the reference to the incident row without LATERAL."""
    if dialect == "postgresql":
        if obj:
            return func.json_each_text(column).table_valued("key", "value").alias("j")
        return func.json_array_elements_text(column).table_valued("value").alias("j")
    return func.json_each(column).table_valued("key", "value").alias("j")


def _not_empty(column, empty: str):  # noqa: ANN001, ANN202
    """False for a JSON value stored as the empty object or array (as the app writes them),
    which has no entries: those rows skip the JSON function, a call per row that cost more
    than the rest of the query (most incidents record no obstacle). Any other spelling of
    an empty value still counts nothing; this only saves the call."""
    return cast(column, Text) != empty


INSTITUTION_KEYED = frozenset({"institution", "discipline", "disc_events"})


def _base(measure: str, f: AnalyticsFilter, dialect: str, keys: list[str] | None = None) -> Select:
    """The same columns as the cube, computed from the base tables for the date range
    (for institution-keyed measures, only the institutions in ``keys`` if given)."""
    if keys is not None and measure in INSTITUTION_KEYED:
        ii = tables.incident_institution.c
        q = _base(measure, f, dialect)
        # _plain: the top institutions hold many incidents; start from the date range
        ids = [int(k) for k in keys]
        column = func.coalesce(ii.institution_id, 0) if dialect == "sqlite" else ii.institution_id
        return q.where(column.in_(ids))
    i = tables.incident.c
    one = literal(1).label("n")
    if measure == "incident":
        q = select(literal("").label("key"), *_dims(), one,
                   func.coalesce(i.victims_count, 0).label("total"))  # fmt: skip
    elif measure == "room":
        q = select(_room_bucket().label("key"), *_dims(), one,
                   func.coalesce(i.room_members, 0).label("total"))  # fmt: skip
    elif measure == "conduct":
        ic = tables.incident_conduct.c
        q = select(ic.conduct.label("key"), *_dims(), one, literal(0).label("total"))
        q = q.join_from(tables.incident, tables.incident_conduct, ic.incident_id == i.id)
    elif measure == "institution":
        ii = tables.incident_institution.c
        q = select(cast(ii.institution_id, String).label("key"), *_dims(), one,
                   literal(0).label("total"))  # fmt: skip
        q = q.join_from(tables.incident, tables.incident_institution, ii.incident_id == i.id)
    elif measure in OUTCOME_BASES:
        q = OUTCOME_BASES[measure](dialect)
    elif measure == "age":
        # one pass over the JSON object's entries, as the cube's triggers count them
        j = _json_entries(dialect, i.suspects_by_age, obj=True)
        q = select(j.c.key.label("key"), *_dims(), one, cast(j.c.value, Integer).label("total"))
        q = q.join_from(tables.incident, j, true()).where(_not_empty(i.suspects_by_age, "{}"))
    elif measure == "obstacle":
        j = _json_entries(dialect, i.obstacles, obj=False)
        q = select(j.c.value.label("key"), *_dims(), one, literal(0).label("total"))
        q = q.join_from(tables.incident, j, true()).where(_not_empty(i.obstacles, "[]"))
    else:
        raise ValueError(measure)
    return _dated(q, f)


# The base-table forms below start from the incidents in the date range (reported_on
# index) and reach child rows through their incident_id indexes, grouping per incident;
# a subquery over a whole child table would be computed in full first (seconds at 1M).
# SQLite underestimates how selective a date range is and would rather walk the child
# table's kind/gap/outcome index and look each incident up (every release, link or
# removal in the database); wrapping those columns in COALESCE (_plain) takes that
# index out of its choices. PostgreSQL plans the plain form well (and the COALESCE form
# badly: it hashes the whole child table), so there the columns stay bare.


def _plain(column, dialect: str):  # noqa: ANN001, ANN202
    return func.coalesce(column, "") if dialect == "sqlite" else column


def _link_base(dialect: str) -> Select:
    """One row per incident and (conduct, gap) flagged by a live legal link."""
    i, lt = tables.incident.c, tables.legal_link.c
    q = select((lt.conduct + ":" + lt.gap).label("key"), *_dims(), literal(1).label("n"),
               literal(0).label("total"))  # fmt: skip
    q = q.join_from(tables.incident, tables.legal_link, lt.incident_id == i.id)
    q = q.where(_plain(lt.gap, dialect).in_(GAPS), lt.state != "removed")
    return q.group_by(i.id, lt.conduct, lt.gap)


def _link_gap_base(dialect: str) -> Select:
    """One row per incident and gap flagged by a live legal link (whatever the conduct)."""
    i, lt = tables.incident.c, tables.legal_link.c
    q = select(lt.gap.label("key"), *_dims(), literal(1).label("n"), literal(0).label("total"))
    q = q.join_from(tables.incident, tables.legal_link, lt.incident_id == i.id)
    q = q.where(_plain(lt.gap, dialect).in_(GAPS), lt.state != "removed")
    return q.group_by(i.id, lt.gap)


def _minor_base(dialect: str) -> Select:  # noqa: ARG001 (the same on both)
    i = tables.incident.c
    q = select(literal("").label("key"), *_dims(), literal(1).label("n"),
               func.coalesce(i.victims_minor, 0).label("total"))  # fmt: skip
    return q.where(i.has_minor)


def _takedown_req_base(dialect: str) -> Select:  # noqa: ARG001 (the same on both)
    i, t = tables.incident.c, tables.takedown.c
    q = select(t.outcome.label("key"), *_dims(), literal(1).label("n"), literal(0).label("total"))
    return q.join_from(tables.incident, tables.takedown, t.incident_id == i.id)


def _release_base(dialect: str) -> Select:
    i, e = tables.incident.c, tables.incident_event.c
    q = select(e.reason.label("key"), *_dims(), literal(1).label("n"),
               literal(0).label("total"))  # fmt: skip
    q = q.join_from(tables.incident, tables.incident_event, e.incident_id == i.id)
    return q.where(_plain(e.kind, dialect) == "released").group_by(i.id, e.reason)


def _takedown_base(dialect: str) -> Select:
    i, t = tables.incident.c, tables.takedown.c
    q = select(t.platform.label("key"), *_dims(), literal(1).label("n"),
               days_between(t.resolved_on, t.requested_on).label("total"))  # fmt: skip
    q = q.join_from(tables.incident, tables.takedown, t.incident_id == i.id)
    return q.where(_plain(t.outcome, dialect) == "removed", t.resolved_on.is_not(None))


def _police_base(dialect: str) -> Select:
    i, e = tables.incident.c, tables.incident_event.c
    if dialect == "sqlite":
        # Grouped by incident, SQLite walks the whole incident table in id order (no sort
        # needed) rather than the date range (cut days at a million: 460 ms); per incident
        # of the range, the first police step is one probe of (incident_id, kind) instead.
        first = (select(func.min(e.occurred_on))
                 .where(e.incident_id == i.id, _plain(e.kind, dialect).in_(POLICE_KINDS))
                 .scalar_subquery())  # fmt: skip
        q = select(literal("").label("key"), *_dims(), literal(1).label("n"),
                   days_between(first, i.reported_on).label("total"))  # fmt: skip
        return q.where(first.is_not(None))
    q = select(literal("").label("key"), *_dims(), literal(1).label("n"),
               days_between(func.min(e.occurred_on), i.reported_on).label("total"))  # fmt: skip
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
    q = select(cast(ii.institution_id, String).label("key"), *_dims(), n.label("n"),
               total.label("total"))  # fmt: skip
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
    # the advocacy brief's measures (casebook.analytics_advocacy)
    "minor": _minor_base,
    "link_gap": _link_gap_base,
    "takedown_req": _takedown_req_base,
}


def choose_edges(db: Db, f: AnalyticsFilter) -> None:
    """Count which side of each month cut by the range holds fewer incidents, once per
    range (casebook.analytics_edges); call before the series' queries."""
    if not f.beyond_cube and not whole_months(f):
        edges.choose(db, f.date_from, f.date_to)


def _negated(query: Select) -> Select:
    """The same rows with n and total negated (days subtracted from a whole month)."""
    sub = query.subquery()
    c = sub.c
    return select(c.key, c.month, c.region, c.kind, c.platform, c.status, c.gap,
                  (-c.n).label("n"), (-c.total).label("total"))  # fmt: skip


JSON_MEASURES = {"age": ("suspects_by_age", "{}", True), "obstacle": ("obstacles", "[]", False)}


def _by_document(measure: str, f: AnalyticsFilter, dialect: str, keep: tuple[str, ...]) -> Select:
    """The rows of a JSON measure (age bands, obstacles) for the date range with the cube's
    columns, the entries of each distinct JSON document read once: incidents are grouped
    by the document's text and the dimensions in ``keep`` (the only dimensions the caller
    reads; the others are NULL), each entry counting that many incidents.

    Reports repeat a few age-band documents: the age bands of 74,000 cut-day incidents at
    a million took PostgreSQL 116 ms with a JSON call per incident, 30 ms so."""
    i = tables.incident.c
    name, empty, obj = JSON_MEASURES[measure]
    column = i[name]
    dims = [d for d in _dims() if d.name in keep]
    doc = cast(column, Text).label("doc")
    docs = select(doc, *dims, func.count().label("c")).select_from(tables.incident)
    docs = _dated(docs.where(_not_empty(column, empty)), f).group_by(doc, *dims).subquery("docs")
    parsed = cast(docs.c.doc, JSON) if dialect == "postgresql" else docs.c.doc
    j = _json_entries(dialect, parsed, obj)
    if obj:
        key, total = j.c.key, docs.c.c * cast(j.c.value, Integer)
    else:
        key, total = j.c.value, literal(0)
    cube = tables.analytics_cube.c
    cols = [docs.c[d] if d in keep else cast(null(), cube[d].type).label(d) for d in _DIM_NAMES]
    q = select(key.label("key"), *cols, docs.c.c.label("n"), total.label("total"))
    return q.select_from(docs).join(j, true())


_DIM_NAMES = ("month", "region", "kind", "platform", "status", "gap")


def _parts(
    measure: str, f: AnalyticsFilter, dialect: str, keys: list[str] | None,
    cube: TableClause | None = None, names: tuple[str, ...] | None = None,
) -> list[Select]:  # fmt: skip
    """The parts whose rows add up to ``measure`` over the date range: the cube (the
    table ``cube`` if given) for whole months and, for a month cut by the range, the base
    tables for the days inside it (added) or outside it (negated, subtracted from the
    whole month). With ``names``, the caller reads only those columns and the filtered
    dimensions of the rows (the JSON measures then read each document once)."""

    def base(g: AnalyticsFilter) -> Select:
        if names is None or measure not in JSON_MEASURES:
            return _base(measure, g, dialect, keys)
        filtered = tuple(name for name, value in _dim_values(f) if value)
        keep = tuple(d for d in _DIM_NAMES if d in names or d in filtered)
        return _by_document(measure, g, dialect, keep)

    if f.beyond_cube:
        return [base(f)]
    if whole_months(f):
        return [_cube(measure, f, keys, cube)]
    how = edges.plan(f.date_from, f.date_to)
    parts = []
    if how.cube is not None:
        months = replace(f, date_from=how.cube[0], date_to=how.cube[1])
        parts.append(_cube(measure, months, keys, cube))
    for first, last, sign in how.base:
        part = base(replace(f, date_from=first, date_to=last))
        parts.append(part if sign > 0 else _negated(part))
    return parts


def source(  # noqa: ANN201 (a subquery)
    measure: str, f: AnalyticsFilter, dialect: str, keys: list[str] | None = None,
    names: tuple[str, ...] | None = None,
):  # fmt: skip
    """A subquery for ``measure`` with the cube's columns, honouring the date range.

    Whole months come from the cube; for a month cut by the range (at either end) the
    base tables count, through the reported_on index, either the days inside the range
    (added) or those outside it (subtracted from the whole month), whichever holds fewer
    incidents (casebook.analytics_edges); the parts are added up with UNION ALL. A
    conduct or demo filter (no cube dimension) reads the base tables for the whole range.
    With ``names``, only those columns and the filtered dimensions may be read.
    """
    parts = _parts(measure, f, dialect, keys, names=names)
    if len(parts) == 1:
        return parts[0].subquery(f"src_{measure}")
    subs = [select(*part.subquery().c) for part in parts]
    return union_all(*subs).subquery(f"src_{measure}")


def summed(  # noqa: ANN201 (a subquery)
    measure: str, f: AnalyticsFilter, dialect: str, names: tuple[str, ...],
    keys: list[str] | None = None,
):  # fmt: skip
    """A subquery of (``names``..., n, total): ``measure`` summed by those columns for the
    filters (only the cube keys in ``keys``, if given); groups that sum to nothing kept.

    On SQLite each part of the source (see source) is summed on its own before the parts
    are added: the cube's part then groups in its primary key's or a covering index's
    order, and the final grouping sees a few hundred rows instead of every cube row and
    cut-day incident, which SQLite would sort in a temporary B-tree (conduct counts of a
    mid-month range at a million incidents: 290 -> 200 ms)."""
    if dialect != "sqlite":
        # PostgreSQL hashes the union and shares the cut days' join among parallel
        # workers; summed part by part, each part's join ran in one process (conduct
        # counts, mid-month at a million: 315-359 ms as a union, 311-686 ms by parts)
        src = source(measure, f, dialect, keys, names)
        cols = [src.c[name] for name in names]
        where = dim_where(src, f) + ([src.c.key.in_(keys)] if keys is not None else [])
        n, total = func.sum(src.c.n).label("n"), func.sum(src.c.total).label("total")
        return select(*cols, n, total).where(*where).group_by(*cols).subquery(f"sum_{measure}")
    via = _cube_via(names, f) if measure == "incident" and keys is None else None
    parts = _parts(measure, f, dialect, keys, via, names)
    sums = []
    for part in parts:
        sub = part.subquery()
        cols = [sub.c[name] for name in names]
        where = dim_where(sub, f) + ([sub.c.key.in_(keys)] if keys is not None else [])
        n, total = func.sum(sub.c.n).label("n"), func.sum(sub.c.total).label("total")
        sums.append(select(*cols, n, total).where(*where).group_by(*cols))
    if len(sums) == 1:
        return sums[0].subquery(f"sum_{measure}")
    both = union_all(*sums).subquery()
    cols = [both.c[name] for name in names]
    n, total = func.sum(both.c.n).label("n"), func.sum(both.c.total).label("total")
    return select(*cols, n, total).group_by(*cols).subquery(f"sum_{measure}")


def _dim_values(f: AnalyticsFilter) -> tuple[tuple[str, str | None], ...]:
    return (("region", f.region), ("kind", f.kind), ("platform", f.platform),
            ("status", f.status))  # fmt: skip


def dim_where(src, f: AnalyticsFilter) -> list:  # noqa: ANN001
    """Filter clauses on a source's dimension columns."""
    out = []
    for name, value in _dim_values(f):
        if value:
            out.append(src.c[name] == ("" if value == UNKNOWN else value))
    return out


def dialect_of(db: Db) -> str:
    """The dialect name of a Session or a Connection (`stats summary` runs on a plain
    Connection, so that it need not import the ORM)."""
    return (db.get_bind() if hasattr(db, "get_bind") else db).dialect.name


def grouped(
    session: Db, measure: str, f: AnalyticsFilter, *names: str, keys: list[str] | None = None
) -> list[tuple]:
    """(group values..., n, total) rows of ``measure`` summed by the columns ``names``,
    for the filters (and only the given cube keys, if ``keys``); empty groups left out."""
    sums = summed(measure, f, dialect_of(session), names, keys)
    cols = [sums.c[name] for name in names]
    query = select(*cols, sums.c.n, sums.c.total).where(sums.c.n > 0).order_by(*cols)
    # ints: PostgreSQL sums the JSON measures' per-document counts (bigint) to numeric
    return [(*r[:-2], int(r[-2]), None if r[-1] is None else int(r[-1]))
            for r in session.execute(query)]  # fmt: skip


def incident_where(f: AnalyticsFilter) -> list:
    """The same filters as clauses on the Incident table (for event/link/takedown queries)."""
    i = tables.incident.c
    out = []
    if f.date_from:
        out.append(i.reported_on >= f.date_from)
    if f.date_to:
        out.append(i.reported_on <= f.date_to)
    for column, value in ((i.region, f.region), (i.institution_kind, f.kind),
                          (i.platform, f.platform), (i.status, f.status)):  # fmt: skip
        if value:
            out.append(column.is_(None) if value == UNKNOWN else column == value)
    return out + _beyond_cube(f)
