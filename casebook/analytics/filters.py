"""The dashboards' shared filters: what a page, the briefs and `stats summary` pass to
casebook.analytics.dashboards, checked against the vocabulary before any query runs."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from casebook.errors import InvalidInput
from casebook.vocab import CONDUCTS, INSTITUTION_KINDS, PLATFORMS, REGIONS, STATUSES

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
    vocab = {
        "region": REGIONS + (UNKNOWN,),
        "kind": INSTITUTION_KINDS + (UNKNOWN,),
        "platform": PLATFORMS,
        "status": STATUSES,
        "conduct": CONDUCTS,
    }
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
