"""Pydantic schema of the deadline rules and public holidays (kb/korea/deadlines/).

Every rule carries its source; ``verified: false`` marks a fact that was not confirmed
against the official text, and the app shows it as unconfirmed rather than guessing.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from casebook.law.schema import Frozen, Text

Counting = Literal["procedural", "limitation"]


class RuleSource(Frozen):
    citation: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://")
    mirror: str | None = Field(
        default=None, pattern=r"^https://github\.com/.+/blob/[0-9a-f]{7,40}/"
    )
    checked: date
    verified: bool


class CountingRule(Frozen):
    title: Text
    summary: Text
    wording: str = Field(min_length=1)
    source: RuleSource


class PeriodRule(Frozen):
    """A period in days that an incident event starts (appeal, objection, ruling)."""

    id: str = Field(pattern=r"^[a-z_]+$")
    title: Text
    summary: Text
    triggers: list[str] = Field(min_length=1)
    trigger_note: Text | None = None
    days: int = Field(gt=0)
    counting: Counting
    in_force_from: date | None = None
    in_force_to: date | None = None
    wording: str | None = None
    source: RuleSource
    successor_note: Text | None = None

    @model_validator(mode="after")
    def _window(self) -> PeriodRule:
        lo, hi = self.in_force_from, self.in_force_to
        if lo is not None and hi is not None and lo > hi:
            raise ValueError("in_force_from is after in_force_to")
        return self

    def in_force_on(self, day: date) -> bool:
        """Whether the rule governs a period that starts on ``day``."""
        after = self.in_force_from is None or self.in_force_from <= day
        return after and (self.in_force_to is None or day <= self.in_force_to)


class Band(Frozen):
    penalty: Literal["death", "life", "prison", "fine"]
    prison_max_at_least: float | None = Field(default=None, ge=0)
    years: int = Field(gt=0)


class MinorRule(Frozen):
    id: str
    summary: Text
    wording: str
    source: RuleSource


class NoLimitation(Frozen):
    id: str
    victims: Literal["any", "under13_or_disabled"]
    provisions: list[str] = Field(default_factory=list)
    articles: list[str] = Field(min_length=1)
    summary: Text
    note: Text | None = None
    source: RuleSource


class LimitationRule(Frozen):
    title: Text
    summary: Text
    counting: Counting
    source: RuleSource
    bands: list[Band] = Field(min_length=1)
    majority_age: int = Field(gt=0)
    majority_source: RuleSource
    minor_rules: list[MinorRule]
    no_limitation: list[NoLimitation]


class RulesFile(Frozen):
    counting: dict[Counting, CountingRule]
    rules: list[PeriodRule]
    limitation: LimitationRule

    @model_validator(mode="after")
    def _unique(self) -> RulesFile:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        return self


class Holiday(Frozen):
    # Not "on": YAML 1.1 reads an "on" key as true.
    date: date
    ko: str = Field(min_length=1)
    en: str = Field(min_length=1)


class HolidayYear(Frozen):
    year: int
    source: RuleSource
    days: list[Holiday] = Field(min_length=1)

    @model_validator(mode="after")
    def _in_year(self) -> HolidayYear:
        wrong = [d.date for d in self.days if d.date.year != self.year]
        if wrong:
            raise ValueError(f"dates outside {self.year}: {wrong}")
        return self


class HolidaysFile(Frozen):
    rule_source: RuleSource
    years: list[HolidayYear]
