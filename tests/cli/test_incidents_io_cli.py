"""`python -m casebook incidents add|import|export`: exit codes, JSON and files."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import func
from sqlmodel import select

from casebook.cli import main
from casebook.importing.cells import COLUMNS
from casebook.importing.spreadsheet import csv_bytes
from db.models import Incident


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _count(session) -> int:
    return session.exec(select(func.count()).select_from(Incident)).one()


def test_add_with_options_and_json_file(session, factory, capsys, tmp_path) -> None:
    assert factory.admin.id
    code, out, _ = _run(
        capsys,
        "incidents",
        "add",
        "--title",
        "CLI 사건",
        "--reported-on",
        "2024-09-03",
        "--conduct",
        "view",
        "--conduct",
        "store",
        "--victims-count",
        "4",
        "--json",
    )
    assert code == 0
    made = json.loads(out)
    inc = session.get(Incident, made["id"])
    assert (inc.title, inc.victims_count, made["version"]) == ("CLI 사건", 4, 1)
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps({"title": "파일 사건", "reported_on": "2024-09-04", "platform": "discord"}),
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "incidents", "add", "--file", str(path), "--json")
    assert code == 0 and session.get(Incident, json.loads(out)["id"]).platform == "discord"
    code, _, err = _run(capsys, "incidents", "add", "--title", "x", "--reported-on", "2099-01-01")
    assert code == 2 and "future" in err


def test_import_bad_file_prints_rows_and_writes_nothing(session, factory, capsys, tmp_path):
    assert factory.admin.id
    path = tmp_path / "bad.csv"
    rows = [["A1", "좋은 행"] + [""] * 15, ["A2", ""] + [""] * 15]
    rows[0][2] = rows[1][2] = "2024-09-01"
    path.write_bytes(csv_bytes(COLUMNS, rows))
    code, out, err = _run(capsys, "incidents", "import", str(path))
    assert code == 2 and "row 3, title" in err
    assert _count(session) == 0
    code, out, _ = _run(capsys, "incidents", "import", str(path), "--json")
    doc = json.loads(out)
    expected = {
        "row": 3,
        "column": "title",
        "problem": "errors.required",
        "message": "This field is required.",
        "value": "",
    }
    assert code == 2 and doc["problems"] == [expected]


def test_import_dry_run_then_import_then_export(session, factory, capsys, tmp_path) -> None:
    assert factory.admin.id
    path = tmp_path / "ok.csv"
    rows = [[f"B{i}", f"=사건 {i}", "2024-09-01"] + [""] * 14 for i in range(3)]
    path.write_bytes(csv_bytes(COLUMNS, rows))
    code, out, _ = _run(capsys, "incidents", "import", str(path), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["create"] == 3 and _count(session) == 0
    code, out, _ = _run(capsys, "incidents", "import", str(path), "--json")
    assert code == 0 and json.loads(out)["committed"] and _count(session) == 3
    target = tmp_path / "all.csv"
    code, out, _ = _run(
        capsys, "incidents", "export", "--format", "csv", "-o", str(target), "--json"
    )
    assert code == 0 and json.loads(out) == {"count": 3, "format": "csv", "output": str(target)}
    exported = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["title"] for r in exported] == ["'=사건 0", "'=사건 1", "'=사건 2"]
    code, out, _ = _run(
        capsys,
        "incidents",
        "export",
        "--format",
        "json",
        "-o",
        str(tmp_path / "f.json"),
        "--text",
        "사건 1",
    )
    doc = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert code == 0 and [r["external_id"] for r in doc["incidents"]] == ["B1"]
    code, _, err = _run(
        capsys,
        "incidents",
        "export",
        "-o",
        str(tmp_path / "v.csv"),
        "--with-victim-details",
        "--as",
        factory.user(role="advocate").username,
    )
    assert code == 2 and not (tmp_path / "v.csv").exists()
