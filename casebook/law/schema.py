"""Pydantic schema of the Korean-law knowledge base (kb/korea/).

Every model is frozen: the loaded knowledge base is read-only data, like
reporters-db in eyecite. Rules that span several entries of one file (versions
that must not overlap, ids that must follow the provision id) are checked here,
so that ``casebook.law.yamlload.load_model`` reports them with file, line and field.
Rules that span files (an amendment naming a provision) live in casebook.law.load.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from casebook.vocab import CONDUCTS

Conduct = Literal[CONDUCTS]  # type: ignore[valid-type]
VictimScope = Literal["adult", "minor", "any"]
Victim = Literal["adult", "minor"]
# What kind of material a paragraph is about: synthetic (deepfake) material,
# real recordings (filmed), sexual-exploitation material of minors, or any.
Material = Literal["deepfake", "filmed", "exploitation", "any"]
MATERIALS: tuple[str, ...] = ("deepfake", "filmed", "exploitation", "any")
# offence: a crime in the conduct vocabulary, answered by applicable_law.
# related_offence: a crime outside that vocabulary (grooming, a provider's failure to remove),
# shown with its penalty but never returned by applicable_law.
# general_rule: attempts, limitation periods; sanction: confiscation, surcharges, fines on
# providers; remedy: civil damages.
Kind = Literal[
    "offence",
    "related_offence",
    "definition",
    "procedure",
    "duty",
    "support",
    "age_rule",
    "general_rule",
    "sanction",
    "remedy",
]
Status = Literal[
    "proposed", "committee", "passed", "promulgated", "in_force", "discarded", "merged"
]
ID_PATTERN = r"^[a-z0-9-]+:[a-z0-9-]+$"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A short text in our own words, in Korean and English."""

    ko: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Source(Frozen):
    citation: str = Field(min_length=3, description="official citation, e.g. 법률 제20459호")
    url: str = Field(pattern=r"^https?://")
    checked: date
    citation_verified: bool = Field(default=True, description="false: statute number unconfirmed")
    secondary: list[str] = Field(default_factory=list, description="URLs that confirmed facts")


class Penalty(Frozen):
    prison_min_years: float | None = Field(default=None, ge=0)
    prison_max_years: float | None = Field(default=None, ge=0)
    life: bool = False
    fine_max_krw: int | None = Field(default=None, ge=0)
    aggravations: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _range(self) -> Penalty:
        lo, hi = self.prison_min_years, self.prison_max_years
        if lo is not None and hi is not None and lo > hi:
            raise ValueError("prison_min_years is greater than prison_max_years")
        return self


class Paragraph(Frozen):
    para: str = Field(min_length=1, description="paragraph number as printed, e.g. 4")
    conducts: list[Conduct] = Field(default_factory=list)
    victims: VictimScope = "any"
    materials: list[Material] = Field(default_factory=lambda: ["any"])
    penalty: Penalty | None = None
    requirements: list[Text] = Field(default_factory=list)
    summary: Text


class Version(Frozen):
    id: str
    in_force_from: date
    in_force_to: date | None = None
    promulgated: date | None = None
    amended_by: str | None = None
    changes: Text | None = None
    summary: Text
    paragraphs: list[Paragraph] = Field(default_factory=list)
    source: Source
    verified: bool
    verification_note: str | None = None
    gap_reason: str | None = None

    @model_validator(mode="after")
    def _checks(self) -> Version:
        if self.in_force_to is not None and self.in_force_to < self.in_force_from:
            raise ValueError("in_force_to is before in_force_from")
        if not self.verified and not self.verification_note:
            raise ValueError("an unverified version needs a verification_note")
        return self

    def in_force_on(self, on: date) -> bool:
        """The one question every caller asks: was this version law on ``on``?"""
        return self.in_force_from <= on and (self.in_force_to is None or on <= self.in_force_to)


class Example(Frozen):
    conduct: Conduct
    victim: Victim
    date: date
    material: Material = "deepfake"
    criminal: bool
    version: str | None = Field(default=None, description="expected version id, or none")
    note: str | None = None


class Provision(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    article: str = Field(min_length=2, description="as printed in Korean, e.g. 제14조의2")
    article_en: str = Field(min_length=2)
    title: Text
    kind: Kind
    keywords: list[str] = Field(default_factory=list)
    history_note: Text | None = None
    versions: list[Version] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)

    @field_validator("versions")
    @classmethod
    def _timeline(cls, versions: list[Version], info: ValidationInfo) -> list[Version]:
        pid = info.data.get("id", "?")
        for i, v in enumerate(versions):
            if v.id != f"{pid}@{v.in_force_from.isoformat()}":
                raise ValueError(f"versions[{i}].id must be {pid}@{v.in_force_from}")
            if i == 0:
                continue
            prev = versions[i - 1]
            if prev.in_force_to is None or prev.in_force_to >= v.in_force_from:
                raise ValueError(f"versions[{i}] ({v.id}) overlaps versions[{i - 1}]")
            if prev.in_force_to + timedelta(days=1) != v.in_force_from and not v.gap_reason:
                raise ValueError(f"gap before versions[{i}] ({v.id}) needs a gap_reason")
        return versions

    @field_validator("examples")
    @classmethod
    def _examples(cls, examples: list[Example], info: ValidationInfo) -> list[Example]:
        ids = {v.id for v in info.data.get("versions", [])}
        for i, ex in enumerate(examples):
            if ex.version is not None and ex.version not in ids:
                raise ValueError(f"examples[{i}].version {ex.version} is not a version here")
        return examples

    @model_validator(mode="after")
    def _offences_need_examples(self) -> Provision:
        if self.kind == "offence" and not self.examples:
            raise ValueError("an offence provision needs examples")
        if self.kind in ("offence", "related_offence"):
            for v in self.versions:
                if not v.paragraphs or any(p.penalty is None for p in v.paragraphs):
                    raise ValueError(f"{v.id}: every offence paragraph needs a penalty")
        return self


class LawFile(Frozen):
    """One statute: kb/korea/laws/<law>.yaml."""

    law: str = Field(pattern=r"^[a-z0-9-]+$")
    name_ko: str
    name_en: str
    short_ko: str
    short_en: str
    url: str = Field(pattern=r"^https?://")
    checked: date = Field(description="promulgations up to this date were reviewed")
    checked_commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{40}$")
    mirror_path: str | None = Field(default=None, description="the statute's file in the mirror")
    provisions: list[Provision] = Field(min_length=1)

    @field_validator("provisions")
    @classmethod
    def _ids(cls, provisions: list[Provision], info: ValidationInfo) -> list[Provision]:
        law = info.data.get("law", "?")
        seen: set[str] = set()
        for i, p in enumerate(provisions):
            if not p.id.startswith(f"{law}:"):
                raise ValueError(f"provisions[{i}].id must start with {law}:")
            if p.id in seen:
                raise ValueError(f"provisions[{i}].id {p.id} is repeated")
            seen.add(p.id)
        return provisions


class StatusEvent(Frozen):
    status: Status
    date: date
    note: str | None = None
    verified: bool = True


class Change(Frozen):
    provision: str = Field(pattern=ID_PATTERN)
    version: str | None = Field(default=None, description="version this change produced")
    what: Text
    old_penalty: str | None = None
    new_penalty: str | None = None


class Amendment(Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    law: str
    title: Text
    bill_no: str | None = None
    proposer: str
    statute_no: str | None = None
    status: Status
    history: list[StatusEvent] = Field(min_length=1)
    changes: list[Change] = Field(min_length=1)
    source: Source
    verified: bool
    verification_note: str | None = None

    @model_validator(mode="after")
    def _checks(self) -> Amendment:
        dates = [e.date for e in self.history]
        if dates != sorted(dates):
            raise ValueError("history must be in date order")
        if self.history[-1].status != self.status:
            raise ValueError("status must equal the last history entry")
        if not self.verified and not self.verification_note:
            raise ValueError("an unverified amendment needs a verification_note")
        return self


class AmendmentFile(Frozen):
    """kb/korea/amendments.yaml."""

    amendments: list[Amendment] = Field(min_length=1)


class BodyName(Frozen):
    """The name a public body bore from ``from_`` to ``to`` (inclusive; open while current)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name_ko: str = Field(min_length=2)
    name_en: str = Field(min_length=2)
    from_: date = Field(alias="from")
    to: date | None = None


class Body(Frozen):
    """A commission or ministry named in the provisions, renamed over time."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    names: list[BodyName] = Field(min_length=1)
    source: Source
    note: str | None = None

    @field_validator("names")
    @classmethod
    def _contiguous(cls, names: list[BodyName]) -> list[BodyName]:
        for i in range(1, len(names)):
            prev = names[i - 1]
            if prev.to is None or prev.to + timedelta(days=1) != names[i].from_:
                raise ValueError(f"names[{i}] must start the day after names[{i - 1}] ends")
        if names[-1].to is not None:
            raise ValueError("the last name must be open (no 'to')")
        return names

    def name_on(self, on: date) -> BodyName | None:
        return next((n for n in self.names if n.from_ <= on and (n.to is None or on <= n.to)), None)


class BodyFile(Frozen):
    """kb/korea/bodies.yaml."""

    bodies: list[Body] = Field(min_length=1)
