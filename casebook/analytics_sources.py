"""Where dashboard counts come from: the summary cube, or the base tables when the date
range cuts through a month.

Both sources have the same columns (key, month, region, kind, platform, status, gap,
n, total), so every aggregate in casebook.analytics is written once and runs on either.
Nothing here loads rows into Python: these are SQL expressions with bound parameters.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import Integer, String, case, cast, exists, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import Select
from sqlalchemy.sql.functions import FunctionElement

from casebook.analytics_cube import POLICE_KINDS, ROOM_BUCKETS
from casebook.errors import InvalidInput
from casebook.vocab import (
    CONDUCTS,
    INSTITUTION_KINDS,
    OBSTACLES,
    PLATFORMS,
    REGIONS,
    STATUSES,
    SUSPECT_AGE_BANDS,
)
from db.models import (
    AnalyticsCube,
    Incident,
    IncidentConduct,
    IncidentEvent,
    IncidentInstitution,
)

MEASURES = ("incident", "conduct", "institution", "age", "room", "obstacle", "police")


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


def _cube(measure: str, f: AnalyticsFilter) -> Select:
    c = AnalyticsCube.__table__.c
    query = select(c.key, c.month, c.region, c.kind, c.platform, c.status, c.gap, c.n, c.total)
    query = query.where(c.measure == measure)
    if f.date_from:
        query = query.where(c.month >= f.date_from.strftime("%Y-%m"))
    if f.date_to:
        query = query.where(c.month <= f.date_to.strftime("%Y-%m"))
    return query


def _dims() -> list:
    i = Incident.__table__.c
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
    i = Incident.__table__.c
    if f.date_from:
        query = query.where(i.reported_on >= f.date_from)
    if f.date_to:
        query = query.where(i.reported_on <= f.date_to)
    return query.where(*_beyond_cube(f))


def _beyond_cube(f: AnalyticsFilter) -> list:
    i = Incident.__table__.c
    out = []
    if f.conduct:
        # An alias: the conduct measure already joins incidentconduct for its key.
        ic = IncidentConduct.__table__.alias("has_conduct").c
        out.append(exists().where(ic.incident_id == i.id, ic.conduct == f.conduct))
    if f.demo is not None:
        out.append(i.is_demo == f.demo)
    return out


def _room_bucket():  # noqa: ANN202
    m = Incident.__table__.c.room_members
    return case(
        (m.is_(None), "unknown"),
        (m < 100, ROOM_BUCKETS[0]),
        (m < 1000, ROOM_BUCKETS[1]),
        (m < 10000, ROOM_BUCKETS[2]),
        else_=ROOM_BUCKETS[3],
    )


def _base(measure: str, f: AnalyticsFilter) -> Select:
    """The same columns as the cube, computed from the base tables for the date range."""
    i = Incident.__table__.c
    one = literal(1).label("n")
    if measure == "incident":
        q = select(literal("").label("key"), *_dims(), one,
                   func.coalesce(i.victims_count, 0).label("total"))  # fmt: skip
    elif measure == "room":
        q = select(_room_bucket().label("key"), *_dims(), one,
                   func.coalesce(i.room_members, 0).label("total"))  # fmt: skip
    elif measure == "conduct":
        ic = IncidentConduct.__table__.c
        q = select(ic.conduct.label("key"), *_dims(), one, literal(0).label("total"))
        q = q.join_from(Incident.__table__, IncidentConduct.__table__, ic.incident_id == i.id)
    elif measure == "institution":
        ii = IncidentInstitution.__table__.c
        q = select(cast(ii.institution_id, String).label("key"), *_dims(), one,
                   literal(0).label("total"))  # fmt: skip
        q = q.join_from(Incident.__table__, IncidentInstitution.__table__, ii.incident_id == i.id)
    elif measure == "police":
        e = IncidentEvent.__table__.c
        first = (
            select(e.incident_id, func.min(e.occurred_on).label("first_on"))
            .where(e.kind.in_(POLICE_KINDS))
            .group_by(e.incident_id)
            .subquery("first_police")
        )
        q = select(literal("").label("key"), *_dims(), one,
                   days_between(first.c.first_on, i.reported_on).label("total"))  # fmt: skip
        q = q.join_from(Incident.__table__, first, first.c.incident_id == i.id)
    elif measure == "age":
        parts = []
        for band in SUSPECT_AGE_BANDS:
            value = i.suspects_by_age[band].as_integer()
            part = select(literal(band).label("key"), *_dims(), one, value.label("total"))
            parts.append(_dated(part.where(value.is_not(None)), f))
        return union_all(*parts)
    elif measure == "obstacle":
        parts = []
        for word in OBSTACLES:
            part = select(literal(word).label("key"), *_dims(), one, literal(0).label("total"))
            part = part.where(cast(i.obstacles, String).like(f'%"{word}"%'))
            parts.append(_dated(part, f))
        return union_all(*parts)
    else:
        raise ValueError(measure)
    return _dated(q, f)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def source(measure: str, f: AnalyticsFilter):  # noqa: ANN201 (a subquery)
    """A subquery for ``measure`` with the cube's columns, honouring the date range.

    Whole months come from the cube; the days of a month cut by the range (at either
    end) come from the base tables through the reported_on index, and the parts are
    added up with UNION ALL. A conduct or demo filter (no cube dimension) reads the base
    tables for the whole range.
    """
    if f.beyond_cube:
        return _base(measure, f).subquery(f"src_{measure}")
    if whole_months(f):
        return _cube(measure, f).subquery(f"src_{measure}")
    full_from, full_to = f.date_from, f.date_to
    if full_from is not None and full_from.day != 1:
        full_from = _month_end(full_from) + timedelta(days=1)
    if full_to is not None and full_to != _month_end(full_to):
        full_to = full_to.replace(day=1) - timedelta(days=1)
    if full_from is not None and full_to is not None and full_from > full_to:
        return _base(measure, f).subquery(f"src_{measure}")  # no whole month inside
    parts = [_cube(measure, replace(f, date_from=full_from, date_to=full_to))]
    if f.date_from is not None and f.date_from != full_from:
        edge = replace(f, date_from=f.date_from, date_to=full_from - timedelta(days=1))
        parts.append(_base(measure, edge))
    if f.date_to is not None and f.date_to != full_to:
        parts.append(_base(measure, replace(f, date_from=full_to + timedelta(days=1))))
    subs = [select(*part.subquery().c) for part in parts]
    return union_all(*subs).subquery(f"src_{measure}")


def dim_where(src, f: AnalyticsFilter) -> list:  # noqa: ANN001
    """Filter clauses on a source's dimension columns."""
    out = []
    for name, value in (("region", f.region), ("kind", f.kind), ("platform", f.platform),
                        ("status", f.status)):  # fmt: skip
        if value:
            out.append(src.c[name] == ("" if value == UNKNOWN else value))
    return out


def incident_where(f: AnalyticsFilter) -> list:
    """The same filters as clauses on the Incident table (for event/link/takedown queries)."""
    i = Incident.__table__.c
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
