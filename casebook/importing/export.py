"""Export the incidents that match an IncidentFilter as CSV, XLSX or JSON.

Rows stream through casebook.incidents.queries.iter_incident_ids in chunks, so the whole
table is never in memory (XLSX uses openpyxl's write-only mode, which spools to disk).
Victim contact details are left out unless the role allows them and the caller asks.
Text cells a spreadsheet would run as a formula are neutralised in CSV and XLSX.
The columns are the importer's, so an exported file imports back unchanged.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import asdict, replace
from typing import Any, BinaryIO

from sqlmodel import Session, col, select

from casebook.access import audit, crypto
from casebook.access.permissions import require
from casebook.errors import InvalidInput
from casebook.importing.cells import COLUMNS, TEEN_BAND
from casebook.importing.spreadsheet import neutralise
from casebook.incidents.queries import IncidentFilter, iter_incident_ids
from db.models import Incident, IncidentConduct, IncidentInstitution, Institution, User

FORMATS = ("csv", "xlsx", "json")
CHUNK = 500
VICTIM_COLUMN = "victim_contact"


def columns(include_victim: bool) -> list[str]:
    return ["id", *COLUMNS] + ([VICTIM_COLUMN] if include_victim else [])


def _chunks(ids: Iterator[int], size: int = CHUNK) -> Iterator[list[int]]:
    chunk: list[int] = []
    for incident_id in ids:
        chunk.append(incident_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _links(session: Session, ids: list[int]) -> tuple[dict[int, Institution], dict[int, list]]:
    first: dict[int, Institution] = {}
    query = (
        select(IncidentInstitution.incident_id, Institution)
        .join(Institution, col(Institution.id) == IncidentInstitution.institution_id)
        .where(col(IncidentInstitution.incident_id).in_(ids), IncidentInstitution.position == 0)
    )
    for incident_id, inst in session.exec(query):
        first[incident_id] = inst
    conducts: dict[int, list] = {i: [] for i in ids}
    query = select(IncidentConduct.incident_id, IncidentConduct.conduct).where(
        col(IncidentConduct.incident_id).in_(ids)
    )
    for incident_id, conduct in session.exec(query.order_by(IncidentConduct.conduct)):
        conducts[incident_id].append(conduct)
    return first, conducts


def iter_records(
    session: Session, ids: Iterator[int], include_victim: bool
) -> Iterator[dict[str, Any]]:
    """One flat record per incident, in id order, a chunk of rows loaded at a time."""
    table = Incident.__table__
    for chunk in _chunks(ids):
        query = select(table).where(table.c.id.in_(chunk)).order_by(table.c.id)
        rows = list(session.execute(query).mappings())
        first, conducts = _links(session, chunk)
        for row in rows:
            yield _record(row, first.get(row["id"]), conducts[row["id"]], include_victim)


def _record(row: Any, inst: Institution | None, conducts: list, include_victim: bool) -> dict:
    sources = row["sources"] or []
    record = {
        "id": row["id"],
        "external_id": row["external_id"] or "",
        "title": row["title"],
        "reported_on": row["reported_on"],
        "occurred_on": row["occurred_on"],
        "institution": inst.name if inst else "",
        "institution_kind": inst.kind if inst else "",
        "region": inst.region if inst else "",
        "platform": row["platform"],
        "room_members": row["room_members"],
        "victims": row["victims_count"],
        "victims_minor": row["victims_minor"],
        "suspects": row["suspects_count"],
        "suspects_teen": (row["suspects_by_age"] or {}).get(TEEN_BAND),
        "conducts": conducts,
        "status": row["status"],
        "summary": row["summary"],
        "source_url": sources[0].get("url", "") if sources else "",
    }
    if include_victim:
        enc = row["victim_contact_enc"]
        try:
            record[VICTIM_COLUMN] = crypto.decrypt(enc) if enc else ""
        except crypto.Undecryptable:
            raise crypto.Undecryptable("security.undecryptable_row", id=row["id"]) from None
    return record


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        value = ";".join(value)
    return "" if value is None else value


def _write_csv(out: BinaryIO, header: list[str], records: Iterator[dict]) -> int:
    import csv

    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    count = 0
    for record in records:
        writer.writerow([neutralise(str(_cell(record[c]))) for c in header])
        count += 1
    text.flush()
    text.detach()  # leave ``out`` open for the caller
    return count


def _write_xlsx(out: BinaryIO, header: list[str], records: Iterator[dict]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("incidents")
    sheet.append(header)
    count = 0
    for record in records:
        cells = []
        for c in header:
            value = _cell(record[c])
            if isinstance(value, str):
                value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
            cells.append(value)
        sheet.append(cells)
        count += 1
    book.save(out)
    return count


def _write_json(out: BinaryIO, header: list[str], records: Iterator[dict]) -> int:
    out.write(b'{"incidents": [')
    count = 0
    for record in records:
        out.write(
            (b",\n" if count else b"\n")
            + json.dumps({c: record[c] for c in header}, ensure_ascii=False, default=str).encode(
                "utf-8"
            )
        )
        count += 1
    out.write(f'\n], "count": {count}}}\n'.encode())
    return count


_WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json}


def export_incidents(
    session: Session,
    *,
    actor: User | None,
    out: BinaryIO,
    fmt: str = "csv",
    filters: IncidentFilter = IncidentFilter(),
    include_victim: bool = False,
    audience: str | None = None,
) -> int:
    """Write every incident matching ``filters`` to ``out``; returns how many. Audited.

    An export meant for an ``audience`` (casebook.incidents.consent.AUDIENCES) holds only
    the incidents whose victim agreed to sharing with it."""
    require(actor, "incident.export")
    if fmt not in FORMATS:
        raise InvalidInput({"format": "imports.bad_format"})
    if audience is not None:
        filters = replace(filters, consent=audience)
    if include_victim:
        require(actor, "incident.victim_details")
    ids = iter_incident_ids(session, actor=actor, filters=filters)
    header = columns(include_victim)
    count = _WRITERS[fmt](out, header, iter_records(session, ids, include_victim))
    audit.record(
        session,
        actor=actor,
        action="incident.export",
        entity="incident",
        after={
            "format": fmt,
            "count": count,
            "victim_details": include_victim,
            "filters": asdict(filters),
        },
    )
    session.commit()
    return count


def export_bytes(session: Session, *, actor: User | None, **kwargs: Any) -> tuple[bytes, int]:
    """The export as bytes (for a download button) and the number of incidents."""
    buf = io.BytesIO()
    count = export_incidents(session, actor=actor, out=buf, **kwargs)
    return buf.getvalue(), count
