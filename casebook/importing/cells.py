"""Spreadsheet import of incidents (CSV, XLSX): read, validate every row, then write all
rows or none.

Every row goes through casebook.incidents.store.IncidentCreate, the same rules as the form.
``import_incidents`` first builds an ImportReport (a preview: what each row would do
and every problem by row, column and message key); only a report without problems is
written, in one transaction, with bulk inserts (casebook.importing.write). A row whose
``external_id`` is known updates that incident; an unchanged row writes nothing.
docs/import.md documents the columns.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from casebook.config import get_settings
from casebook.errors import InvalidInput
from casebook.i18n import LANGS, catalog
from casebook.importing.spreadsheet import (
    cell_text,
    csv_bytes,
    read_table,
    unneutralise,
    xlsx_bytes,
)
from casebook.incidents.store import IncidentCreate, validate_incident
from casebook.textnorm import clean_text
from casebook.validation import http_url
from casebook.vocab import CONDUCTS, INSTITUTION_KINDS, PLATFORMS, REGIONS, STATUSES
from db.models import Incident, IncidentConduct, IncidentInstitution, IncidentRoom

COLUMNS = [
    "external_id",
    "title",
    "reported_on",
    "occurred_on",
    "institution",
    "institution_kind",
    "region",
    "platform",
    "room_members",
    "victims",
    "victims_minor",
    "suspects",
    "suspects_teen",
    "conducts",
    "status",
    "summary",
    "source_url",
]
REQUIRED = ("title", "reported_on")
# Korean headers people actually write, and English variants; compared after _header_key.
ALIASES = {
    "외부id": "external_id",
    "외부아이디": "external_id",
    "관리번호": "external_id",
    "제목": "title",
    "사건명": "title",
    "신고일": "reported_on",
    "접수일": "reported_on",
    "발생일": "occurred_on",
    "기관": "institution",
    "기관명": "institution",
    "학교": "institution",
    "기관유형": "institution_kind",
    "기관종류": "institution_kind",
    "지역": "region",
    "시도": "region",
    "플랫폼": "platform",
    "방인원": "room_members",
    "대화방인원": "room_members",
    "피해자": "victims",
    "피해자수": "victims",
    "미성년피해자": "victims_minor",
    "미성년피해자수": "victims_minor",
    "피의자": "suspects",
    "피의자수": "suspects",
    "가해자수": "suspects",
    "10대피의자": "suspects_teen",
    "10대피의자수": "suspects_teen",
    "행위": "conducts",
    "상태": "status",
    "요약": "summary",
    "출처": "source_url",
    "출처url": "source_url",
    "출처링크": "source_url",
    "victimscount": "victims",
    "suspectscount": "suspects",
    "source": "source_url",
}
# IncidentCreate field -> spreadsheet column, to report problems where the user looks.
FIELD_COLUMN = {
    "victims_count": "victims",
    "suspects_count": "suspects",
    "suspects_by_age": "suspects_teen",
    "sources": "source_url",
    "institution_ids": "institution",
}
TEEN_BAND = "14to19"
INT_COLUMNS = {
    "room_members": "room_members",
    "victims": "victims_count",
    "victims_minor": "victims_minor",
    "suspects": "suspects_count",
}
TEXT_COLUMNS = ("title", "summary", "external_id")
VOCAB_COLUMNS = {
    "platform": ("platform", PLATFORMS),
    "status": ("status", STATUSES),
    "institution_kind": ("institution_kind", INSTITUTION_KINDS),
    "region": ("region", REGIONS),
    "conducts": ("conduct", CONDUCTS),
}
_DATE = re.compile(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?(?:[ T].*)?$")


def _header_key(text: Any) -> str:
    return re.sub(r"[\s\-_·.()]+", "", cell_text(text).replace("\ufeff", "").casefold())


def map_header(header: list[Any]) -> tuple[dict[int, str], list[str]]:
    """Column index -> canonical column, and the header cells nothing matched."""
    known = {_header_key(c): c for c in COLUMNS} | ALIASES
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        name = known.get(_header_key(cell))
        if name and name not in mapping.values():
            mapping[index] = name
        elif cell_text(cell).strip():
            ignored.append(clean_text(cell_text(cell), 100))
    return mapping, ignored


@cache
def _vocab_lookup(group: str, words: tuple[str, ...]) -> dict[str, str]:
    """Word or its label in any language (casefolded, no spaces) -> vocabulary word."""
    out = {w.casefold(): w for w in words}
    for lang in LANGS:
        for w in words:
            text = catalog(lang).get(f"vocab.{group}.{w}")
            if text:
                out.setdefault(re.sub(r"\s+", "", text.casefold()), w)
    return out


@cache
def _vocab(column: str, raw: str) -> str:
    group, words = VOCAB_COLUMNS[column]
    found = _vocab_lookup(group, words).get(re.sub(r"\s+", "", raw.casefold()))
    return found or raw  # an unknown word is refused by IncidentCreate / here


def _date(raw: Any) -> date | str | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw).strip()
    if not text:
        return None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    match = _DATE.match(text)
    if not match:
        raise ValueError("errors.bad_date")
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError("errors.bad_date") from None


def _int(raw: Any) -> int | None:
    if isinstance(raw, bool):
        raise ValueError("errors.not_a_number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise ValueError("errors.not_a_number")
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 13:
        return int(raw)  # the common case, without the regexes below
    text = re.sub(r"[\s,]", "", cell_text(raw))
    if not text:
        return None
    if not re.fullmatch(r"-?\d{1,12}", text):
        raise ValueError("errors.not_a_number")
    return int(text)


def parse_cells(cells: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A row's cells -> typed values by column, and {column: problem key}."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for column, raw in cells.items():
        try:
            if column in ("reported_on", "occurred_on"):
                values[column] = _date(raw)
            elif column in INT_COLUMNS or column == "suspects_teen":
                values[column] = _int(raw)
            else:
                text = unneutralise(cell_text(raw)).strip()
                if column == "source_url":
                    text = http_url(text)
                elif column == "conducts":
                    text = ";".join(
                        _vocab(column, w.strip()) for w in re.split(r"[;,]", text) if w.strip()
                    )
                elif column in VOCAB_COLUMNS and text:
                    text = _vocab(column, text)
                values[column] = text
        except ValueError as exc:
            problems[column] = str(exc)
    return values, problems


def form_dict(values: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """IncidentCreate input from parsed columns, on top of ``base`` (an existing incident)."""
    data = dict(base or {})
    for column in (
        "external_id",
        "title",
        "summary",
        "reported_on",
        "occurred_on",
        "status",
        "platform",
        "conducts",
    ):
        if column in values:
            data[column] = values[column]
    for column, name in INT_COLUMNS.items():
        if column in values:
            data[name] = (
                values[column] if values[column] is not None or name != "victims_minor" else 0
            )
    if "platform" in data and not data["platform"]:
        data["platform"] = "other"
    if "status" in data and not data["status"]:
        data["status"] = "reported"
    if "suspects_teen" in values:
        ages = dict(data.get("suspects_by_age") or {})
        ages.pop(TEEN_BAND, None)
        if values["suspects_teen"]:
            ages[TEEN_BAND] = values["suspects_teen"]
        data["suspects_by_age"] = ages
    url = values.get("source_url")
    if url:
        sources = list(data.get("sources") or [])
        if url not in [s.get("url") for s in sources]:
            data["sources"] = [{"url": url}, *sources]
    return data


def auto_external_id(values: dict[str, Any]) -> str:
    """A stable id for a row without one, so re-importing the same file changes nothing."""
    key = "|".join(str(values.get(c) or "") for c in ("title", "reported_on", "institution"))
    return "row-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def read_file(data: bytes, filename: str) -> tuple[dict[int, str], list[str], list[list[Any]]]:
    """Header mapping, ignored headers and the data rows, each cut at the last mapped
    column; more than ``import_max_rows`` rows is refused while they stream."""
    found: dict[str, Any] = {}

    def width(header: list[Any]) -> int:
        found["mapping"], found["ignored"] = map_header(header)
        return max(found["mapping"], default=0) + 1

    header, rows = read_table(data, filename, width, get_settings().import_max_rows)
    if not header:
        raise InvalidInput({"file": "imports.empty_file"})
    mapping, ignored = found["mapping"], found["ignored"]
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise InvalidInput({c: "imports.missing_column" for c in missing})
    return mapping, ignored, list(rows)


def existing_forms(session: Session, external_ids: list[str]) -> dict[str, tuple[int, int, dict]]:
    """(id, version, IncidentCreate input) of incidents already stored under these ids."""
    found: dict[str, tuple[int, int, dict]] = {}
    table = Incident.__table__
    fields = [n for n in IncidentCreate.model_fields if n in table.c and n != "victim_contact"]
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start : start + 500]
        rows = list(
            session.execute(
                select(table.c.id, table.c.version, *[table.c[n] for n in fields]).where(
                    table.c.external_id.in_(chunk)
                )
            ).mappings()
        )
        links = current_links(session, [r["id"] for r in rows])
        for row in rows:
            data = {n: row[n] for n in fields} | links[row["id"]]
            found[row["external_id"]] = (row["id"], row["version"], data)
    return found


def current_links(session: Session, ids: list[int]) -> dict[int, dict[str, list]]:
    """Institution ids (in order), room ids and conducts of each of these incidents."""
    out: dict[int, dict[str, list]] = {
        i: {"institution_ids": [], "room_ids": [], "conducts": []} for i in ids
    }
    if not ids:
        return out
    for inc_id, inst_id in session.exec(
        select(IncidentInstitution.incident_id, IncidentInstitution.institution_id)
        .where(col(IncidentInstitution.incident_id).in_(ids))
        .order_by(IncidentInstitution.incident_id, IncidentInstitution.position)
    ):
        out[inc_id]["institution_ids"].append(inst_id)
    for inc_id, room_id in session.exec(
        select(IncidentRoom.incident_id, IncidentRoom.room_id).where(
            col(IncidentRoom.incident_id).in_(ids)
        )
    ):
        out[inc_id]["room_ids"].append(room_id)
    for inc_id, conduct in session.exec(
        select(IncidentConduct.incident_id, IncidentConduct.conduct).where(
            col(IncidentConduct.incident_id).in_(ids)
        )
    ):
        out[inc_id]["conducts"].append(conduct)
    return out


def validate_form(data: dict[str, Any]) -> tuple[IncidentCreate | None, dict[str, str]]:
    """IncidentCreate or the problems by spreadsheet column."""
    try:
        return validate_incident(data), {}
    except InvalidInput as exc:
        return None, {FIELD_COLUMN.get(f, f): key for f, key in exc.problems.items()}


def template_bytes(kind: str = "csv", lang: str = "ko") -> bytes:
    """A template file with the documented columns and one example row."""
    example = [
        "SEOUL-2024-001",
        "예시: 대학 동문 텔레그램 합성물 방"
        if lang == "ko"
        else "Example: alumni Telegram deepfake room",
        "2024-09-02",
        "2024-08-20",
        "예시대학교",
        "university",
        "seoul",
        "telegram",
        1200,
        12,
        0,
        3,
        2,
        "create;distribute",
        "investigating",
        "",
        "https://example.org/report",
    ]
    if kind == "xlsx":
        return xlsx_bytes(COLUMNS, [example], title="incidents")
    return csv_bytes(COLUMNS, [example])
