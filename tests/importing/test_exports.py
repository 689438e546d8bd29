"""Export: filters, formula neutralisation, victim details by role and ask, and the
CSV/XLSX/JSON files read back and compared."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from casebook.errors import PermissionDenied
from casebook.importing.export import columns, export_bytes
from casebook.importing.run import import_incidents
from casebook.incidents.queries import IncidentFilter
from db.models import AuditLog, Incident


@pytest.fixture
def data(factory):
    inst = factory.institution(name="서울예시고등학교", kind="high_school", region="seoul")
    a = factory.incident(
        title="=cmd|' /C calc'!A0",
        summary="+SUM(1)",
        external_id="EXP-A",
        institution_ids=[inst.id],
        victim_contact="010-1234-5678",
        sources=[{"url": "https://example.org/a"}],
        suspects_by_age={"14to19": 2},
        conducts=["view", "create"],
    )
    b = factory.incident(
        title="부산 중학교 사건",
        summary="-1 @home\tx",
        status="arrested",
        reported_on=date(2024, 10, 1),
        platform="discord",
    )
    return inst, a, b


EXPECTED_A = {
    "external_id": "EXP-A",
    "title": "'=cmd|' /C calc'!A0",
    "reported_on": "2024-09-01",
    "occurred_on": "2024-08-01",
    "institution": "서울예시고등학교",
    "institution_kind": "high_school",
    "region": "seoul",
    "platform": "telegram",
    "room_members": "",
    "victims": "3",
    "victims_minor": "0",
    "suspects": "1",
    "suspects_teen": "2",
    "conducts": "create;view",
    "status": "reported",
    "summary": "'+SUM(1)",
    "source_url": "https://example.org/a",
}


def test_csv_is_neutralised_and_reads_back(session, factory, data) -> None:
    _, a, b = data
    raw, count = export_bytes(session, actor=factory.admin, fmt="csv")
    assert count == 2 and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == columns(False)
    assert rows[0] == {"id": str(a.id)} | EXPECTED_A
    assert rows[1]["title"] == "부산 중학교 사건" and rows[1]["summary"] == "'-1 @home\tx"
    last = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (last.action, last.after["count"], last.after["victim_details"]) == (
        "incident.export",
        2,
        False,
    )


def test_filters_select_the_rows(session, factory, data) -> None:
    inst, a, b = data
    for filters, expected in [
        (IncidentFilter(status="arrested"), [b.id]),
        (IncidentFilter(region="seoul"), [a.id]),
        (IncidentFilter(text="중학교"), [b.id]),
        (IncidentFilter(institution_id=inst.id), [a.id]),
        (IncidentFilter(date_from=date(2024, 9, 15)), [b.id]),
        (IncidentFilter(), [a.id, b.id]),
    ]:
        raw, _ = export_bytes(session, actor=factory.admin, fmt="json", filters=filters)
        assert [r["id"] for r in json.loads(raw)["incidents"]] == expected, filters


def test_xlsx_reads_back_with_neutralised_cells(session, factory, data) -> None:
    _, a, _ = data
    raw, _ = export_bytes(session, actor=factory.admin, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(raw), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == columns(False)
    got = dict(zip(rows[0], rows[1], strict=True))
    assert got["title"] == "'=cmd|' /C calc'!A0" and got["summary"] == "'+SUM(1)"
    assert (got["id"], got["victims"], got["conducts"]) == (a.id, 3, "create;view")
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)


def test_export_imports_back_unchanged(session, factory, data) -> None:
    for fmt in ("csv", "xlsx"):
        raw, _ = export_bytes(
            session, actor=factory.admin, fmt=fmt, filters=IncidentFilter(region="seoul")
        )
        report = import_incidents(session, actor=factory.admin, data=raw, filename=f"e.{fmt}")
        assert report.problems == [] and report.count("unchanged") == 1, report.problems


def test_json_has_native_values(session, factory, data) -> None:
    _, a, _ = data
    raw, _ = export_bytes(session, actor=factory.admin, fmt="json")
    doc = json.loads(raw)
    assert doc["count"] == 2
    first = doc["incidents"][0]
    assert first == {"id": a.id} | EXPECTED_A | {
        "title": "=cmd|' /C calc'!A0",
        "summary": "+SUM(1)",
        "room_members": None,
        "victims": 3,
        "victims_minor": 0,
        "suspects": 1,
        "suspects_teen": 2,
        "conducts": ["create", "view"],
    }


def test_victim_details_need_role_and_ask(session, factory, data) -> None:
    lawyer = factory.user(role="lawyer")
    advocate = factory.user(role="advocate")
    raw, _ = export_bytes(session, actor=lawyer, fmt="json")
    assert "victim_contact" not in json.loads(raw)["incidents"][0]
    assert b"010-1234" not in raw
    raw, _ = export_bytes(session, actor=lawyer, fmt="csv", include_victim=True)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["victim_contact"] for r in rows] == ["010-1234-5678", ""]
    with pytest.raises(PermissionDenied):
        export_bytes(session, actor=advocate, fmt="csv", include_victim=True)
    raw, _ = export_bytes(session, actor=advocate, fmt="xlsx")
    assert b"010-1234" not in raw
    with pytest.raises(PermissionDenied):
        export_bytes(session, actor=factory.user(role="viewer"), fmt="csv")
    assert session.exec(select(Incident)).all()
