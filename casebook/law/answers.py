"""Answer objects of the law engine: small frozen dataclasses with ``as_json()``.

Kept apart from casebook.law.engine so that the engine reads as a handful of verbs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# Keys of one provision in `law applicable --json` (the CLI contract of issue 4).
CLI_PROVISION_KEYS = (
    "law",
    "law_en",
    "article",
    "in_force_from",
    "in_force_to",
    "prison_min_years",
    "prison_max_years",
    "fine_max_krw",
    "requirements",
    "summary_ko",
    "summary_en",
    "source",
    "version_id",
    "verified",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class LawQueryError(ValueError):
    """A question the engine cannot answer (unknown conduct, victim, id, date)."""

    def __init__(self, ko: str, en: str) -> None:
        self.ko, self.en = ko, en
        super().__init__(f"{ko} / {en}")

    def message(self, lang: str = "ko") -> str:
        return self.en if lang == "en" else self.ko


@dataclass(frozen=True)
class ProvisionAt:
    """One paragraph of one provision version that applied on the asked date."""

    law: str
    law_en: str
    article: str
    article_en: str
    provision_id: str
    version_id: str
    paragraph: str
    in_force_from: date
    in_force_to: date | None
    prison_min_years: float | None
    prison_max_years: float | None
    life: bool
    fine_max_krw: int | None
    requirements: list[dict[str, str]]
    aggravations: list[dict[str, str]]
    summary_ko: str
    summary_en: str
    source: dict[str, Any]
    verified: bool

    def as_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))

    def as_cli_json(self) -> dict[str, Any]:
        full = self.as_json()
        return {key: full[key] for key in CLI_PROVISION_KEYS}


@dataclass(frozen=True)
class LaterChange:
    """A version that took force after the asked date and touches the same conduct."""

    date: date
    provision_id: str
    version_id: str
    what_ko: str
    what_en: str
    criminal_after: bool
    new_penalty: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Applicability:
    """The answer to: conduct C against victim V on date D — which law, what penalty?"""

    conduct: str
    victim: str
    date: date
    criminal: bool
    provisions: list[ProvisionAt]
    later_changes: list[LaterChange]
    material: str = "deepfake"
    # The date up to which the KB's statutes were reviewed (casebook.law.engine.kb_checked_on).
    kb_checked: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "conduct": self.conduct,
            "victim": self.victim,
            "date": self.date.isoformat(),
            "criminal": self.criminal,
            "provisions": [p.as_cli_json() for p in self.provisions],
            "later_changes": [c.as_json() for c in self.later_changes],
            "kb_checked": self.kb_checked.isoformat() if self.kb_checked else None,
        }


@dataclass(frozen=True)
class SearchHit:
    provision_id: str
    law: str
    law_en: str
    article: str
    article_en: str
    title_ko: str
    title_en: str
    kind: str
    score: float
    snippet: str
    matched: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class FieldChange:
    field: str
    paragraph: str | None
    old: Any
    new: Any

    def as_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class VersionDiff:
    provision_id: str
    from_version: str | None
    to_version: str | None
    changes: list[FieldChange]

    def as_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class TimelineCell:
    date: date
    criminal: bool
    max_prison_years: float | None
    min_prison_years: float | None
    life: bool
    max_fine_krw: int | None
    version_ids: list[str]


@dataclass(frozen=True)
class Timeline:
    """Conduct x time: for each change date, was each conduct criminal and how heavily?"""

    victim: str
    material: str
    dates: list[date]
    rows: dict[str, list[TimelineCell]]

    def as_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class SpanPart:
    """One stretch of a span during which the same provision versions applied."""

    start: date
    end: date
    criminal: bool
    provisions: list[ProvisionAt]

    @property
    def version_ids(self) -> list[str]:
        return sorted({p.version_id for p in self.provisions})

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "criminal": self.criminal,
            "version_ids": self.version_ids,
            "provisions": [p.as_cli_json() for p in self.provisions],
        }


@dataclass(frozen=True)
class SpanApplicability:
    """Conduct C against victim V from D1 to D2: which part was an offence, under which law.

    Possession, storing and viewing are continuing acts (``continuing``): each day of the span
    is judged by the law of that day, so only the part on or after an offence's in-force date
    is punishable (Criminal Act Art. 1(1)). For a one-off act the parts say which law applied
    depending on when within the span it happened.
    """

    conduct: str
    victim: str
    start: date
    end: date
    continuing: bool
    parts: list[SpanPart]
    material: str = "deepfake"
    kb_checked: date | None = None

    @property
    def criminal_parts(self) -> list[SpanPart]:
        return [p for p in self.parts if p.criminal]

    def as_json(self) -> dict[str, Any]:
        return {
            "conduct": self.conduct,
            "victim": self.victim,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "continuing": self.continuing,
            "parts": [p.as_json() for p in self.parts],
            "kb_checked": self.kb_checked.isoformat() if self.kb_checked else None,
        }
