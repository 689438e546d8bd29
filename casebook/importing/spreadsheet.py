"""Reading and writing spreadsheet files (CSV, XLSX) row by row, with bounded memory.

Shared by the importer and the exporter: header aliases, the formula guard, and
readers that yield one row at a time (openpyxl read-only mode, csv over a text stream).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from casebook.errors import InvalidInput

# A cell a spreadsheet would run as a formula starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Long text cells (summaries) are allowed through the reader; IncidentCreate refuses
# what is too long with a message instead of csv raising "field larger than field limit".
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))


def neutralise(value: Any) -> Any:
    """Prefix a single quote to text a spreadsheet would evaluate (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """Undo ``neutralise`` so an exported file imports back to the same text."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def kind_of(filename: str) -> str:
    """'csv' or 'xlsx' from a file name; anything else is refused."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    raise InvalidInput({"file": "imports.bad_file_type"})


def iter_rows(data: bytes, filename: str) -> Iterator[list[Any]]:
    """Every row of the first sheet (header included) as a list of cell values."""
    if kind_of(filename) == "csv":
        yield from _csv_rows(data)
    else:
        yield from _xlsx_rows(data)


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # spreadsheets saved by older Korean Excel use CP949
            text = data.decode("cp949")
        except UnicodeDecodeError:
            raise InvalidInput({"file": "imports.bad_encoding"}) from None
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error:
        raise InvalidInput({"file": "imports.bad_file"}) from None


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (zip, XML or openpyxl errors all mean "not a workbook")
        raise InvalidInput({"file": "imports.bad_file"}) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A cell as text: dates ISO, whole floats without '.0', None as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """A small CSV (UTF-8 with BOM so Excel reads Korean) with neutralised cells."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list[Any]], title: str = "incidents") -> bytes:
    """A small XLSX with every text cell neutralised."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
