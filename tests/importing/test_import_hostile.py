"""Hostile spreadsheets (security review H-4, L-4): each is built here, read by the real
importer in a child process whose address space is capped at 1 GB, and must be refused
with a translated message, quickly, without a traceback or a MemoryError."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from casebook.errors import InvalidInput
from casebook.i18n import translate
from casebook.importing.cells import read_file

ROOT = Path(__file__).resolve().parents[2]
LIMIT_BYTES = 1024 * 1024 * 1024
# The child reads the file through casebook.importing.cells.read_file, the first step of every
# import (page, CLI), and prints what happened and what it cost.
CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from casebook.errors import InvalidInput
from casebook.importing.cells import read_file
path = sys.argv[1]
data = open(path, "rb").read()
start = time.monotonic()
try:
    mapping, ignored, body = read_file(data, path)
    out = {{"rows": len(body), "width": max((len(r) for r in body), default=0)}}
except InvalidInput as exc:
    out = {{"refused": exc.problems}}
out["seconds"] = time.monotonic() - start
# ru_maxrss would include the parent's peak (kept across fork and exec); VmHWM is ours
out["peak_kb"] = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
print(json.dumps(out))
"""


def _read_capped(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=LIMIT_BYTES), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def _workbook(*rows: list) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, part: str, edit) -> bytes:
    """The same archive with one part's XML edited (``edit`` takes and returns bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(
                info.filename, edit(body) if info.filename == part else body, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["title", "reported_on"]


def dimension_bomb() -> bytes:
    """5 KB: three cells, the last at XFD50000, in a sheet that declares A1:XFD50000
    (800 million cells if every row is padded to the declared width)."""
    data = _workbook(HEADER)
    last = b'<row r="50000"><c r="XFD50000" t="inlineStr"><is><t>x</t></is></c></row>'

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'ref="A1:B1"', b'ref="A1:XFD50000"')
        return xml.replace(b"</sheetData>", last + b"</sheetData>")

    return _rewrite(data, SHEET, edit)


def zip_bomb(megabytes: int = 400) -> bytes:
    """A sheet whose one inline-string cell unpacks to ``megabytes`` of text."""
    data = _workbook(HEADER, ["one", "2024-09-02"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info.filename, src.read(info), zipfile.ZIP_DEFLATED)
                continue
            head, tail = src.read(info).split(b"</sheetData>")
            entry = zipfile.ZipInfo(SHEET)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(entry, "w", force_zip64=True) as part:
                part.write(head + b'<row r="3"><c r="A3" t="inlineStr"><is><t>')
                chunk = b"A" * (1024 * 1024)
                for _ in range(megabytes):
                    part.write(chunk)
                part.write(b"</t></is></c></row></sheetData>" + tail)
    return out.getvalue()


def _with_doctype(doctype: bytes) -> bytes:
    data = _workbook(HEADER, ["one", "2024-09-02"])
    cell = b'<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>'

    def edit(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[-1].replace(b"</sheetData>", cell + b"</sheetData>")
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + body

    return _rewrite(data, SHEET, edit)


def billion_laughs() -> bytes:
    lol = [b'<!ENTITY lol0 "lol">']
    lol += [b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10)]
    return _with_doctype(b"<!DOCTYPE worksheet [" + b"".join(lol) + b"]>")


def external_entity() -> bytes:
    return _with_doctype(b'<!DOCTYPE worksheet [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>')


def wide_rows(rows: int = 3000) -> bytes:
    """Every row also has a cell in the sheet's last column (XFD)."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append([f"t{i}", "2024-09-02"])
        sheet.cell(row=i + 2, column=16384, value="x")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def far_row() -> bytes:
    """A header, one row, and a cell at row 1,000,000: a gap the reader must not pad."""
    data = _workbook(HEADER, ["one", "2024-09-02"])
    far = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    return _rewrite(data, SHEET, lambda x: x.replace(b"</sheetData>", far + b"</sheetData>"))


@pytest.mark.parametrize(
    ("build", "key", "seconds"),
    [
        (dimension_bomb, None, 5),  # read as 49,999 rows of 2 columns
        (zip_bomb, "imports.too_large_unpacked", 2),
        (billion_laughs, "imports.xml_doctype", 2),
        (external_entity, "imports.xml_doctype", 2),
        (far_row, "imports.too_many_rows", 10),
    ],
)
def test_hostile_xlsx_is_refused_in_bounded_memory(tmp_path, build, key, seconds) -> None:
    path = tmp_path / f"{build.__name__}.xlsx"
    path.write_bytes(build())
    out = _read_capped(path)
    if key is None:
        assert (out.get("rows"), out.get("width")) == (49_999, 2), out
    else:
        assert out.get("refused") == {"file": key}, out
    assert out["seconds"] < seconds, out
    assert out["peak_kb"] < 400 * 1024, out


def test_wide_rows_are_cut_at_the_last_mapped_column(tmp_path) -> None:
    path = tmp_path / "wide.xlsx"
    path.write_bytes(wide_rows())
    out = _read_capped(path)
    assert (out.get("rows"), out.get("width")) == (3000, 2), out
    assert out["peak_kb"] < 400 * 1024, out


def test_hostile_messages_are_translated() -> None:
    for key in (
        "imports.too_large_unpacked",
        "imports.xml_doctype",
        "imports.cell_too_long",
        "imports.line_too_long",
    ):
        ko, en = translate(key, "ko"), translate(key, "en")
        assert ko != key and en != key and ko != en


def test_csv_line_and_cell_caps() -> None:
    wide = b"title,reported_on\n" + b"," * (5 * 1024 * 1024) + b"\n"
    with pytest.raises(InvalidInput) as caught:
        read_file(wide, "wide.csv")
    assert caught.value.problems == {"file": "imports.line_too_long"}
    long_cell = "title,reported_on,summary\nT,2024-09-02," + "가" * 100_000 + "\n"
    _, _, body = read_file(long_cell.encode("utf-8"), "long.csv")
    assert [len(c) for c in body[0]] == [1, 10, 32_768]  # cut, still refused as too long
    many = "title,reported_on,a,b,c\n" + "T,2024-09-02,1,2,3\n"
    mapping, _, body = read_file(many.encode("utf-8"), "many.csv")
    assert body == [["T", "2024-09-02"]] and mapping == {0: "title", 1: "reported_on"}
