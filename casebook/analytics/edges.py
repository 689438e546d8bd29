"""Which days of a month cut by a date range the base tables are asked for.

The cube counts whole months. For a month that the range cuts (say 1-14 September of a
range ending on the 14th), the days inside the range can be counted from the base tables
and added, or the whole month taken from the cube and the days outside the range counted
and subtracted: every measure of the cube is a sum over the incidents reported in the
month, so both give the same figures. The base tables cost time per incident, so the
side with fewer incidents is read. Reports come in waves (60 % of bench.generate's data
falls in August-October 2024: 1-14 September holds 134,000 incidents, 15-30 September
74,000), so the side is chosen by counting the incidents of each side once per date range
in a process (counts over the reported_on index, 50-150 ms for a wave month at a million
incidents), not by the number of days; until counted, the side with fewer days is read.
A stale choice only costs time, never a wrong figure.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select

from db import tables

if TYPE_CHECKING:
    from casebook.analytics.base import Db

Days = tuple[date, date]
# (date_from, date_to) -> (read outside the range at the start cut, ... at the end cut)
_CHOICES: dict[tuple[date | None, date | None], tuple[bool, bool]] = {}
_MAX_CHOICES = 512


@dataclass(frozen=True)
class Plan:
    """The cube's date range (None: no cube part; None ends: open) and the base-table
    day ranges to add (sign 1) or subtract (sign -1)."""

    cube: tuple[date | None, date | None] | None
    base: tuple[tuple[date, date, int], ...]


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _cuts(date_from: date | None, date_to: date | None) -> list[tuple[list[Days], list[Days]]]:
    """For each cut month: (the days inside the range, the days outside it)."""
    cut_from = date_from is not None and date_from.day != 1
    cut_to = date_to is not None and date_to != _month_end(date_to)
    if cut_from and cut_to and date_from.replace(day=1) == date_to.replace(day=1):
        start, end = date_from.replace(day=1), _month_end(date_from)
        outside = [(start, date_from - timedelta(days=1)), (date_to + timedelta(days=1), end)]
        return [([(date_from, date_to)], outside)]
    out = []
    if cut_from:
        end = _month_end(date_from)
        if date_to is not None:
            end = min(end, date_to)
        before = (date_from.replace(day=1), date_from - timedelta(days=1))
        out.append(([(date_from, end)], [before]))
    if cut_to:
        start = date_to.replace(day=1)
        if date_from is not None:
            start = max(start, date_from)
        out.append(([(start, date_to)], [(date_to + timedelta(days=1), _month_end(date_to))]))
    return out


def _days(ranges: list[Days]) -> int:
    return sum((b - a).days + 1 for a, b in ranges)


def plan(date_from: date | None, date_to: date | None) -> Plan:
    """How to count the range: the cube for whole months, the base tables for cut days."""
    cuts = _cuts(date_from, date_to)
    chosen = _CHOICES.get((date_from, date_to))
    if chosen is None:
        chosen = tuple(_days(out) < _days(inside) for inside, out in cuts) + (False, False)
    cube_from, cube_to = date_from, date_to
    base: list[tuple[date, date, int]] = []
    for (inside, outside), read_outside in zip(cuts, chosen, strict=False):
        first, last = min(a for a, _ in inside + outside), max(b for _, b in inside + outside)
        if read_outside:  # the whole month from the cube, less the days outside
            base += [(a, b, -1) for a, b in outside if a <= b]
            cube_from = first if cube_from is not None and cube_from >= first else cube_from
            cube_to = last if cube_to is not None and cube_to <= last else cube_to
        else:
            base += [(a, b, 1) for a, b in inside]
            if cube_from is not None and first <= cube_from <= last:
                cube_from = last + timedelta(days=1)
            if cube_to is not None and first <= cube_to <= last:
                cube_to = first - timedelta(days=1)
    empty = cube_from is not None and cube_to is not None and cube_from > cube_to
    return Plan(None if empty else (cube_from, cube_to), tuple(base))


def choose(db: Db, date_from: date | None, date_to: date | None) -> None:
    """Count the incidents on each side of every cut month once, and remember which side
    of each to read from the base tables."""
    key = (date_from, date_to)
    cuts = _cuts(date_from, date_to)
    if key in _CHOICES or not cuts:
        return
    day = tables.incident.c.reported_on
    sides = [side for inside, outside in cuts for side in (inside, outside)]

    def count(ranges: list[Days]):
        # a plain count over the reported_on index (a CASE per row cost SQLite 0.4 s)
        hit = or_(*[and_(day >= a, day <= b) for a, b in ranges if a <= b])
        return select(func.count()).select_from(tables.incident).where(hit).scalar_subquery()

    counts = [int(n or 0) for n in db.execute(select(*[count(r) for r in sides])).one()]
    if len(_CHOICES) >= _MAX_CHOICES:
        _CHOICES.clear()
    _CHOICES[key] = tuple(counts[2 * i + 1] < counts[2 * i] for i in range(len(cuts)))
