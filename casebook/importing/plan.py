"""The planning half of an import: parse and validate every row, match institutions,
decide create / update / unchanged. Nothing here writes (casebook.importing.write does)."""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from casebook.importing.cells import (
    auto_external_id,
    existing_forms,
    form_dict,
    parse_cells,
    validate_form,
)
from casebook.importing.report import ImportReport, NewInstitution, PlannedRow, Progress, RowProblem
from casebook.importing.spreadsheet import cell_text
from casebook.incidents.workflow import IllegalTransition, check_transition
from casebook.textnorm import clean_text, normalize_name
from casebook.vocab import INSTITUTION_KINDS, REGIONS
from db.models import Institution

MAX_NAME = 200
SUGGEST_CUTOFF = 70


def _problem(value: Any) -> str:
    return clean_text(cell_text(value), 80)


def parse_rows(
    report: ImportReport, mapping: dict[int, str], body: list[list[Any]], step: Progress
) -> list[tuple[int, dict[str, Any]]]:
    """(row number, typed values) for every non-blank row; problems go on the report."""
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for index, cells in enumerate(body):
        number = index + 2  # the header is row 1
        raw = {name: cells[i] if i < len(cells) else None for i, name in mapping.items()}
        if not any(cell_text(v).strip() for v in raw.values()):
            continue
        values, problems = parse_cells(raw)
        for column, key in problems.items():
            report.problems.append(RowProblem(number, column, key, _problem(raw[column])))
        ext = clean_text(values.get("external_id") or "").strip()
        values["external_id"] = ext or auto_external_id(values)
        if values["external_id"] in seen:
            report.problems.append(
                RowProblem(
                    number, "external_id", "imports.duplicate_id", _problem(values["external_id"])
                )
            )
        seen.setdefault(values["external_id"], number)
        parsed.append((number, values))
        if index % 1000 == 0:
            step(0.3 * index / max(1, len(body)), "read")
    return parsed


class Registry:
    """Every institution not merged into another, read once per import: exact matches by
    normalised name, then by normalised alias (as institutions.find_by_name, which reads
    the whole table per unknown name), and the names fuzzy suggestions are drawn from."""

    def __init__(self, session: Session) -> None:
        self.by_name: dict[str, int] = {}
        self.by_alias: dict[str, int] = {}
        self.choices: dict[str, str] = {}  # normalised name or alias -> name shown
        query = (
            select(
                Institution.id, Institution.name, Institution.name_normalized, Institution.aliases
            )
            .where(col(Institution.merged_into_id).is_(None))
            .order_by(Institution.id)
        )
        for inst_id, name, normalized, aliases in session.exec(query):
            self.by_name.setdefault(normalized, inst_id)
            self.choices.setdefault(normalized, name)
            for alias in aliases or []:
                key = normalize_name(alias)
                self.by_alias.setdefault(key, inst_id)
                self.choices.setdefault(key, name)
        self._keys = list(self.choices)

    def find(self, name: str) -> int | None:
        norm = normalize_name(name)
        found = self.by_name.get(norm)
        return found if found is not None else self.by_alias.get(norm)

    def suggest(self, name: str) -> list[str]:
        """Existing institution names that look like ``name`` (rapidfuzz, normalised)."""
        found = process.extract(
            normalize_name(name),
            self._keys,
            scorer=fuzz.WRatio,
            limit=5,
            score_cutoff=SUGGEST_CUTOFF,
        )
        return list(dict.fromkeys(self.choices[m[0]] for m in found))[:3]


def resolve_institutions(
    session: Session, report: ImportReport, parsed: list[tuple[int, dict]], create: bool
) -> dict[str, int | None]:
    """Name as written -> institution id (None: to be created). Unknown names that are not
    to be created become problems with suggestions."""
    resolved: dict[str, int | None] = {}
    registry: Registry | None = None
    for number, values in parsed:
        name = clean_text(values.get("institution") or "").strip()
        if not name or name in resolved:
            continue
        if len(name) > MAX_NAME:
            report.problems.append(RowProblem(number, "institution", "errors.too_long", ""))
            continue
        if name not in report.suggestions:  # first time this name is seen
            registry = registry or Registry(session)
            found = registry.find(name)
            if found is not None:
                resolved[name] = found
                continue
            report.suggestions[name] = registry.suggest(name)
        if create:
            if _plan_new(report, number, name, values):
                resolved[name] = None
        else:
            problem = RowProblem(number, "institution", "imports.unknown_institution", name[:80])
            report.problems.append(problem)
    return resolved


def _plan_new(report: ImportReport, number: int, name: str, values: dict) -> bool:
    kind, region = values.get("institution_kind") or "", values.get("region") or ""
    ok = True
    if kind not in INSTITUTION_KINDS:
        report.problems.append(
            RowProblem(number, "institution_kind", "imports.needed_to_create", kind[:80])
        )
        ok = False
    if region not in REGIONS:
        report.problems.append(
            RowProblem(number, "region", "imports.needed_to_create", region[:80])
        )
        ok = False
    if ok:
        report.new_institutions[name] = NewInstitution(name=name, kind=kind, region=region)
    return ok


def _transition_ok(current: str, new: str) -> bool:
    """Whether update_incident's workflow check would let the status change."""

    try:
        check_transition(current, new)
    except IllegalTransition:
        return False
    return True


def _comparable(form: Any) -> dict[str, Any]:
    """A form's values where the order of conducts and rooms (sets) does not count."""
    data = form.model_dump()
    data["conducts"], data["room_ids"] = sorted(data["conducts"]), sorted(data["room_ids"])
    return data


def plan_rows(
    session: Session,
    report: ImportReport,
    mapping: dict[int, str],
    body: list[list[Any]],
    create_institutions: bool,
    step: Progress,
) -> None:
    """Fill ``report`` with a PlannedRow per valid row and a RowProblem per problem."""
    parsed = parse_rows(report, mapping, body, step)
    existing = existing_forms(session, [v["external_id"] for _, v in parsed])
    institutions = resolve_institutions(session, report, parsed, create_institutions)
    bad_cells = {(p.row, p.column) for p in report.problems}
    for index, (number, values) in enumerate(parsed):
        if index % 1000 == 0:
            step(0.3 + 0.3 * index / max(1, len(parsed)), "validate")
        known = existing.get(values["external_id"])
        base = known[2] if known else None
        data = form_dict({k: v for k, v in values.items() if (number, k) not in bad_cells}, base)
        name = clean_text(values.get("institution") or "").strip()
        if name and institutions.get(name):
            others = [
                i for i in (base or {}).get("institution_ids", [])[1:] if i != institutions[name]
            ]
            data["institution_ids"] = [institutions[name], *others]
        form, problems = validate_form(data)
        for column, key in problems.items():
            if (number, column) not in bad_cells:
                report.problems.append(
                    RowProblem(number, column, key, _problem(values.get(column)))
                )
        if form is None:
            continue
        planned = PlannedRow(
            row=number,
            action="create",
            form=form,
            institution=name if name in report.new_institutions else "",
        )
        if known:
            if not _transition_ok(base["status"], form.status):
                report.problems.append(
                    RowProblem(
                        number,
                        "status",
                        "imports.illegal_transition",
                        f"{base['status']} → {form.status}",
                    )
                )
                continue
            planned.incident_id, planned.expected_version = known[0], known[1]
            same = validate_form(base)[0]
            unchanged = same is not None and _comparable(same) == _comparable(form)
            planned.action = "unchanged" if unchanged and not planned.institution else "update"
        report.rows.append(planned)
    report.problems.sort(key=lambda p: (p.row, p.column))
