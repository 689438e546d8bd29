"""Where dashboard counts come from: the summary cube, or the base tables when the date
range cuts through a month.

Both sources have the same columns (key, month, region, kind, platform, status, gap,
n, total), so every aggregate in casebook.analytics.dashboards is written once and runs on either.
Nothing here loads rows into Python: these are SQL expressions with bound parameters.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select, TableClause
from sqlalchemy.sql import column as cube_column

from casebook.analytics import edges
from casebook.analytics.base import DIM_NAMES, JSON_MEASURES, base_rows, beyond_cube, by_document
from casebook.analytics.filters import UNKNOWN, AnalyticsFilter, whole_months
from db import tables

if TYPE_CHECKING:
    from casebook.analytics.base import Db

MEASURES = (
    "incident",
    "conduct",
    "institution",
    "age",
    "room",
    "obstacle",
    "police",
    "link",
    "release",
    "takedown",
    "discipline",
    "disc_events",
    "minor",
    "link_gap",
    "takedown_req",
)


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
def _cube_by_index(element, compiler, asfrom: bool = False, **kw) -> str:
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


def _cube(
    measure: str,
    f: AnalyticsFilter,
    keys: list[str] | None = None,
    cube: TableClause | None = None,
) -> Select:
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


def choose_edges(db: Db, f: AnalyticsFilter) -> None:
    """Count which side of each month cut by the range holds fewer incidents, once per
    range (casebook.analytics.edges); call before the series' queries."""
    if not f.beyond_cube and not whole_months(f):
        edges.choose(db, f.date_from, f.date_to)


def _negated(query: Select) -> Select:
    """The same rows with n and total negated (days subtracted from a whole month)."""
    sub = query.subquery()
    c = sub.c
    return select(
        c.key,
        c.month,
        c.region,
        c.kind,
        c.platform,
        c.status,
        c.gap,
        (-c.n).label("n"),
        (-c.total).label("total"),
    )


def _parts(
    measure: str,
    f: AnalyticsFilter,
    dialect: str,
    keys: list[str] | None,
    cube: TableClause | None = None,
    names: tuple[str, ...] | None = None,
) -> list[Select]:
    """The parts whose rows add up to ``measure`` over the date range: the cube (the
    table ``cube`` if given) for whole months and, for a month cut by the range, the base
    tables for the days inside it (added) or outside it (negated, subtracted from the
    whole month). With ``names``, the caller reads only those columns and the filtered
    dimensions of the rows (the JSON measures then read each document once)."""

    def base(g: AnalyticsFilter) -> Select:
        if names is None or measure not in JSON_MEASURES:
            return base_rows(measure, g, dialect, keys)
        filtered = tuple(name for name, value in _dim_values(f) if value)
        keep = tuple(d for d in DIM_NAMES if d in names or d in filtered)
        return by_document(measure, g, dialect, keep)

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


def source(
    measure: str,
    f: AnalyticsFilter,
    dialect: str,
    keys: list[str] | None = None,
    names: tuple[str, ...] | None = None,
):
    """A subquery for ``measure`` with the cube's columns, honouring the date range.

    Whole months come from the cube; for a month cut by the range (at either end) the
    base tables count, through the reported_on index, either the days inside the range
    (added) or those outside it (subtracted from the whole month), whichever holds fewer
    incidents (casebook.analytics.edges); the parts are added up with UNION ALL. A
    conduct or demo filter (no cube dimension) reads the base tables for the whole range.
    With ``names``, only those columns and the filtered dimensions may be read.
    """
    parts = _parts(measure, f, dialect, keys, names=names)
    if len(parts) == 1:
        return parts[0].subquery(f"src_{measure}")
    subs = [select(*part.subquery().c) for part in parts]
    return union_all(*subs).subquery(f"src_{measure}")


def summed(
    measure: str,
    f: AnalyticsFilter,
    dialect: str,
    names: tuple[str, ...],
    keys: list[str] | None = None,
):
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
    return (("region", f.region), ("kind", f.kind), ("platform", f.platform), ("status", f.status))


def dim_where(src, f: AnalyticsFilter) -> list:
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
    return [
        (*r[:-2], int(r[-2]), None if r[-1] is None else int(r[-1])) for r in session.execute(query)
    ]


def incident_where(f: AnalyticsFilter) -> list:
    """The same filters as clauses on the Incident table (for event/link/takedown queries)."""
    i = tables.incident.c
    out = []
    if f.date_from:
        out.append(i.reported_on >= f.date_from)
    if f.date_to:
        out.append(i.reported_on <= f.date_to)
    for column, value in (
        (i.region, f.region),
        (i.institution_kind, f.kind),
        (i.platform, f.platform),
        (i.status, f.status),
    ):
        if value:
            out.append(column.is_(None) if value == UNKNOWN else column == value)
    return out + beyond_cube(f)
