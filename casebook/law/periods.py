"""Deadline rules and day counting as the Criminal Procedure Act counts them.

Pure functions over the data in kb/korea/deadlines/: no database. Two ways of counting:

- procedural periods (Art. 66(1), (3)): the first day is not counted, and a last day on a
  public holiday (Sundays included) or a Saturday moves to the next working day;
- limitation periods (Art. 66(1) proviso, (3) proviso): the first day counts as a whole
  day, and the last day never moves.

A last day in a year whose holidays are not in the data is flagged (``holidays_known``),
so the page can say that the date could not be checked against holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from casebook.law.deadline_schema import (
    Holiday,
    HolidaysFile,
    NoLimitation,
    PeriodRule,
    RulesFile,
    RuleSource,
)
from casebook.law.yamlload import load_model

ROOT = Path(__file__).resolve().parents[2]
DEADLINES_DIR = ROOT / "kb" / "korea" / "deadlines"


@cache
def deadline_rules(kb_dir: Path = DEADLINES_DIR) -> RulesFile:
    """The deadline rules, validated once per process (KBError names file and line)."""
    return load_model(kb_dir / "rules.yaml", RulesFile, root=ROOT)


@cache
def holidays(kb_dir: Path = DEADLINES_DIR) -> HolidaysFile:
    return load_model(kb_dir / "holidays.yaml", HolidaysFile, root=ROOT)


@cache
def _holiday_index(kb_dir: Path = DEADLINES_DIR) -> tuple[dict[date, Holiday], frozenset[int]]:
    data = holidays(kb_dir)
    days = {h.date: h for y in data.years for h in y.days}
    return days, frozenset(y.year for y in data.years)


def holiday_on(day: date) -> Holiday | None:
    """The listed public holiday on ``day`` (Sundays are holidays too, but not listed)."""
    return _holiday_index()[0].get(day)


def is_closed(day: date) -> bool:
    """Saturday, Sunday or a listed public holiday: a day a period cannot end on."""
    return day.weekday() >= 5 or day in _holiday_index()[0]


def holidays_known(year: int) -> bool:
    return year in _holiday_index()[1]


@dataclass(frozen=True)
class Computed:
    """A computed last day and how it was reached, for the page and the tests."""

    due_on: date
    nominal: date  # the last day before any move past closed days
    moved: tuple[date, ...]  # the closed days the last day moved past
    holidays_known: bool  # every year the count touched has holiday data
    unverified: bool  # the rule or a holiday year is marked verified: false


def _year_unverified(year: int) -> bool:
    return any(y.year == year and not y.source.verified for y in holidays().years)


def count_days(start: date, days: int) -> Computed:
    """The last day of a period of ``days`` days that starts on ``start`` (Art. 66)."""
    nominal = start + timedelta(days=days)
    due, moved = nominal, []
    while is_closed(due):
        moved.append(due)
        due += timedelta(days=1)
    years = {nominal.year, due.year}
    known = all(holidays_known(y) for y in years)
    unverified = any(_year_unverified(y) for y in years)
    return Computed(due, nominal, tuple(moved), known, unverified)


def period_rule(rule_id: str) -> PeriodRule:
    return next(r for r in deadline_rules().rules if r.id == rule_id)


def rules_for_event(kind: str, on: date) -> list[PeriodRule]:
    """The period rules an event of ``kind`` on ``on`` starts (by each rule's window)."""
    return [r for r in deadline_rules().rules if kind in r.triggers and r.in_force_on(on)]


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def majority_day(birth: date) -> date:
    """The day a person comes of age (Civil Act Art. 4: 19; the birthday counts, Art. 158)."""
    return add_years(birth, deadline_rules().limitation.majority_age)


def limitation_years(
    *, prison_max_years: float | None, life: bool = False, death: bool = False
) -> int:
    """Years of the limitation period by the heaviest penalty (Art. 249(1), Art. 250)."""
    for band in deadline_rules().limitation.bands:
        if band.penalty == "death" and death:
            return band.years
        if band.penalty == "life" and life:
            return band.years
        floor = band.prison_max_at_least or 0
        if band.penalty == "prison" and prison_max_years is not None and prison_max_years >= floor:
            return band.years
    return next(b.years for b in deadline_rules().limitation.bands if b.penalty == "fine")


@dataclass(frozen=True)
class Limitation:
    """A limitation period worked out: ``last_day`` is None when no limitation applies."""

    runs_from: date
    years: int | None
    last_day: date | None
    minor_rule: bool
    no_limitation: NoLimitation | None
    sources: tuple[RuleSource, ...]


def limitation(
    *,
    act_ended_on: date,
    prison_max_years: float | None,
    life: bool = False,
    death: bool = False,
    victim_birth: date | None = None,
    minor_rule_applies: bool = True,
    no_limitation_id: str | None = None,
) -> Limitation:
    """When prosecution becomes time-barred.

    The period runs from the end of the act (Criminal Procedure Act Art. 252(1)), or for
    a victim who was a minor then, from the day the victim comes of age (Sexual Crimes
    Act Art. 21(1); Child Protection Act Art. 20(1)). The first day counts as a whole
    day, so N years from day D end on the day before D's N-th anniversary; the last day
    does not move for holidays (Art. 66(1) and (3), provisos). ``no_limitation_id``
    names the entry of the no-limitation list a lawyer found to apply.
    """
    rules = deadline_rules().limitation
    sources = [rules.source]
    runs_from, minor = act_ended_on, False
    if victim_birth is not None and minor_rule_applies:
        majority = majority_day(victim_birth)
        if act_ended_on < majority:
            runs_from, minor = majority, True
            sources += [rules.majority_source] + [m.source for m in rules.minor_rules]
    if no_limitation_id is not None:
        entry = next(n for n in rules.no_limitation if n.id == no_limitation_id)
        return Limitation(runs_from, None, None, minor, entry, (*sources, entry.source))
    years = limitation_years(prison_max_years=prison_max_years, life=life, death=death)
    last = add_years(runs_from, years) - timedelta(days=1)
    return Limitation(runs_from, years, last, minor, None, tuple(sources))
