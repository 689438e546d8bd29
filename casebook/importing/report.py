"""What an import found and did: the rows it plans, the problems, the new institutions.

These types are shared by every step of an import (casebook.importing.cells parses,
.plan checks, .write and .update store), so they live apart from all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from casebook.incidents.store import IncidentCreate

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class RowProblem:
    """One problem: spreadsheet row (the header is row 1), column, message key, value."""

    row: int
    column: str
    key: str
    value: str = ""


@dataclass
class PlannedRow:
    row: int
    action: str  # "create", "update" or "unchanged"
    form: IncidentCreate
    institution: str = ""  # the name as written in the file
    incident_id: int | None = None
    expected_version: int | None = None


@dataclass
class NewInstitution:
    name: str
    kind: str
    region: str
    id: int | None = None


@dataclass
class ImportReport:
    """What an import did or would do; ``committed`` says whether anything was written."""

    filename: str
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    suggestions: dict[str, list[str]] = field(default_factory=dict)  # unknown name -> near
    new_institutions: dict[str, NewInstitution] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "rows": len(self.rows) + len(self._bad_rows()),
            "create": self.count("create"),
            "update": self.count("update"),
            "unchanged": self.count("unchanged"),
            "invalid_rows": len(self._bad_rows()),
            "new_institutions": sorted(self.new_institutions),
            "committed": self.committed,
        }

    def _bad_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row > 1}
