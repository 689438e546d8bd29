"""Schema for national figures on deepfake sexual crime: ``kb/statistics/*.yaml``.

Each file holds ``figures:``, one entry per number a public body published for
one period. When two sources give different numbers for the same metric and
period, both entries stay: the page shows the disagreement instead of hiding it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from casebook.vocab import SUSPECT_AGE_BANDS, VICTIM_GROUPS

UNITS = ("cases", "persons", "percent", "requests")
SCHOOL_LEVELS = ("elementary_school", "middle_school", "high_school")
BREAKDOWN_KEYS: dict[str, tuple[str, ...]] = {
    "age_band": SUSPECT_AGE_BANDS,
    "victim_group": VICTIM_GROUPS,
    "school_level": SCHOOL_LEVELS,
}

Unit = Literal["cases", "persons", "percent", "requests"]
BreakdownBy = Literal["age_band", "victim_group", "school_level"]

_FROZEN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class FigureSource(BaseModel):
    """Who published the number, where we read it, and when we checked."""

    model_config = _FROZEN

    publisher: str = Field(min_length=2)
    via: str | None = None
    title: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://\S+$")
    published_on: date | None = None
    checked_on: date


class NationalFigure(BaseModel):
    """One published number for one metric over one period."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z0-9]+(\.[a-z0-9_-]+)+$")
    metric: str = Field(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    label_ko: str = Field(min_length=2)
    label_en: str = Field(min_length=2)
    period_start: date
    period_end: date
    value: float = Field(ge=0)
    unit: Unit
    breakdown_by: BreakdownBy | None = None
    breakdown: dict[str, float] | None = None
    source: FigureSource
    verified: bool
    note_ko: str | None = None
    note_en: str | None = None
    # A value kept exactly as a report printed it although it is an evident misprint, so
    # that the page can show the discrepancy; never used as a data point.
    misprint: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> NationalFigure:
        if self.misprint and self.verified:
            raise ValueError("a misprint cannot be verified")
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        if self.unit == "percent" and self.value > 100:
            raise ValueError("a percent value must lie between 0 and 100")
        if (self.breakdown is None) != (self.breakdown_by is None):
            raise ValueError("give breakdown and breakdown_by together")
        if self.breakdown is not None:
            self._check_breakdown()
        if not self.verified and not (self.note_ko and self.note_en):
            raise ValueError("an unverified figure needs note_ko and note_en")
        if (self.note_ko is None) != (self.note_en is None):
            raise ValueError("give note_ko and note_en together")
        return self

    def _check_breakdown(self) -> None:
        allowed = BREAKDOWN_KEYS[self.breakdown_by or ""]
        unknown = [k for k in self.breakdown or {} if k not in allowed]
        if unknown:
            raise ValueError(f"unknown breakdown key {unknown}; use {', '.join(allowed)}")
        if self.unit == "percent":
            raise ValueError("a breakdown holds counts; give it on the count, not the share")
        total = sum((self.breakdown or {}).values())
        if abs(total - self.value) > 0.5:
            raise ValueError(f"breakdown sums to {total:g}, value is {self.value:g}")

    @property
    def is_full_year(self) -> bool:
        """True when the period is one whole calendar year (1 Jan - 31 Dec)."""
        start, end = self.period_start, self.period_end
        return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
            start.year == end.year
        )


class StatisticsFile(BaseModel):
    """The shape of one ``kb/statistics/*.yaml`` file."""

    model_config = _FROZEN

    figures: tuple[NationalFigure, ...] = Field(min_length=1)
