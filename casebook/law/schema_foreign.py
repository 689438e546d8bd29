"""Schema for foreign comparison law: ``kb/foreign/*.yaml``.

Each file holds ``provisions:``, a list of offences or duties abroad that a
Korean brief may set beside Korean law (TAKE IT DOWN Act, SOA 2003 s.66B, ...).
Summaries are our own words; the source says where the official text is.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from casebook.vocab import CONDUCTS

JURISDICTIONS = ("US", "GB-ENW", "EU", "AU")
FOREIGN_STATUSES = ("in_force", "enacted_not_in_force", "transposition_pending", "repealed")

Jurisdiction = Literal["US", "GB-ENW", "EU", "AU"]
ForeignStatus = Literal["in_force", "enacted_not_in_force", "transposition_pending", "repealed"]
VictimScope = Literal["adult", "minor", "any"]

_FROZEN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class LawSource(BaseModel):
    """Where the official text is and when we last looked at it."""

    model_config = _FROZEN

    citation: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://\S+$")
    checked_on: date


class ForeignProvision(BaseModel):
    """One foreign offence or platform duty, summarised for comparison."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z]{2}(-[a-z]+)?:[a-z0-9-]+:[a-z0-9.-]+$")
    jurisdiction: Jurisdiction
    jurisdiction_ko: str = Field(min_length=1)
    jurisdiction_en: str = Field(min_length=1)
    instrument: str = Field(min_length=3)
    section: str = Field(min_length=1)
    enacted_on: date
    in_force_from: date | None = None
    transposition_deadline: date | None = None
    status: ForeignStatus
    conducts: tuple[str, ...] = Field(min_length=1)
    victim_scope: VictimScope
    penalty_max_years: float | None = Field(default=None, ge=0)
    penalty_ko: str = Field(min_length=1)
    penalty_en: str = Field(min_length=1)
    platform_duty_ko: str | None = None
    platform_duty_en: str | None = None
    summary_ko: str = Field(min_length=10)
    summary_en: str = Field(min_length=10)
    source: LawSource
    verified: bool
    note: str | None = None

    @field_validator("conducts")
    @classmethod
    def _known_conducts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in value if c not in CONDUCTS]
        if unknown:
            raise ValueError(f"unknown conduct {unknown}; use one of {', '.join(CONDUCTS)}")
        if len(set(value)) != len(value):
            raise ValueError("a conduct is listed twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ForeignProvision:
        if self.id.split(":")[0] != self.jurisdiction.lower():
            raise ValueError(f"id must start with '{self.jurisdiction.lower()}:'")
        if self.in_force_from and self.in_force_from < self.enacted_on:
            raise ValueError("in_force_from is before enacted_on")
        if self.status == "in_force" and self.in_force_from is None:
            raise ValueError("status in_force needs in_force_from")
        if self.status == "transposition_pending" and self.transposition_deadline is None:
            raise ValueError("status transposition_pending needs transposition_deadline")
        if (self.platform_duty_ko is None) != (self.platform_duty_en is None):
            raise ValueError("give platform_duty_ko and platform_duty_en together")
        if not self.verified and not self.note:
            raise ValueError("an unverified provision needs a note saying what is unconfirmed")
        return self

    def in_force_on(self, day: date) -> bool:
        """True when the provision itself applied to conduct on ``day``."""
        # A repealed provision has no end date in this schema, so it answers False.
        if self.status != "in_force" or self.in_force_from is None:
            return False
        return day >= self.in_force_from


class ForeignFile(BaseModel):
    """The shape of one ``kb/foreign/*.yaml`` file."""

    model_config = _FROZEN

    provisions: tuple[ForeignProvision, ...] = Field(min_length=1)
