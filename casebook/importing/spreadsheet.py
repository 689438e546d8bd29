"""Reading and writing spreadsheet files (CSV, XLSX) row by row, with bounded memory.

Shared by the importer and the exporter: header aliases, the formula guard, and
readers that yield one row at a time (openpyxl read-only mode, csv over a text stream).

A file is untrusted input to a process shared by every user, so ``read_table`` bounds
what it costs before it is kept: the archive's unpacked size is checked from its
directory before any XML is parsed, XML with a document type (entity expansion,
external entities) is refused, a sheet's declared dimension is ignored, rows are cut
at the last column the caller wants, cells at MAX_CELL_CHARS, and rows are counted
while they stream.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from casebook.errors import InvalidInput

# A cell a spreadsheet would run as a formula starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Long text cells (summaries) are allowed through the reader; IncidentCreate refuses
# what is too long with a message instead of csv raising "field larger than field limit".
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
# Header cells read at most: a header is a handful of columns, but a sheet may declare
# (or a CSV line may hold) up to 16,384, each of which would be a cell of every row.
MAX_COLUMNS = 1024
# Excel's own limit for one cell. Longer cells are cut to one character more, so the
# row's validation still refuses them as too long without keeping megabytes per cell.
MAX_CELL_CHARS = 32_767
# The most an XLSX may unpack to, summed over its parts, read from the zip directory
# before parsing (zipfile never inflates a part past the size its directory states).
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
MAX_XLSX_PARTS = 10_000
# A CSV physical line longer than this is not a spreadsheet row (16 columns of
# MAX_CELL_CHARS fit many times over).
MAX_CSV_LINE = 4 * 1024 * 1024


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


def read_table(
    data: bytes, filename: str, width_of: Callable[[list[Any]], int], max_rows: int
) -> tuple[list[Any], Iterator[list[Any]]]:
    """The first sheet's header row and an iterator over its data rows.

    ``width_of(header)`` says how many columns of each data row to read (the last
    column the caller maps); the iterator raises InvalidInput ``imports.too_many_rows``
    as soon as a row past ``max_rows`` appears, before the caller keeps it.
    """
    if kind_of(filename) == "csv":
        rows = _csv_rows(data)
        header = _capped(next(rows, None) or [], MAX_COLUMNS)
        width = width_of(header)
        body = (_capped(r, width) for r in rows)
    else:
        header, body = _xlsx_table(data, width_of, max_rows)
    return header, _counted(body, max_rows)


def _capped(row: list[Any] | tuple[Any, ...], width: int) -> list[Any]:
    return [v[: MAX_CELL_CHARS + 1] if isinstance(v, str) else v for v in row[:width]]


def _counted(rows: Iterator[list[Any]], max_rows: int) -> Iterator[list[Any]]:
    for count, row in enumerate(rows):
        if count >= max_rows:
            raise InvalidInput({"file": "imports.too_many_rows"})
        yield row


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # spreadsheets saved by older Korean Excel use CP949
            text = data.decode("cp949")
        except UnicodeDecodeError:
            raise InvalidInput({"file": "imports.bad_encoding"}) from None
    try:
        yield from csv.reader(_csv_lines(text))
    except csv.Error as exc:
        key = "imports.cell_too_long" if "field limit" in str(exc) else "imports.bad_file"
        raise InvalidInput({"file": key}) from None


def _csv_lines(text: str) -> Iterator[str]:
    for line in io.StringIO(text, newline=""):
        if len(line) > MAX_CSV_LINE:
            raise InvalidInput({"file": "imports.line_too_long"})
        yield line


def _xlsx_table(
    data: bytes, width_of: Callable[[list[Any]], int], max_rows: int
) -> tuple[list[Any], Iterator[list[Any]]]:
    from openpyxl import load_workbook

    check_xlsx(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # The declared <dimension> is the attacker's word: without this, every row is
        # padded to it (A1:XFD50000 is 800 million cells from a 2 KB file).
        sheet.reset_dimensions()
        header = _capped(next(_xlsx_iter(sheet, 1, 1, MAX_COLUMNS), ()), MAX_COLUMNS)
    except Exception:  # zip, XML or openpyxl errors all mean "not a workbook"
        raise InvalidInput({"file": "imports.bad_file"}) from None
    width = max(1, width_of(header))
    return header, _xlsx_body(book, sheet, width, max_rows)


def _xlsx_iter(sheet: Any, first: int, last: int, width: int) -> Iterator[tuple[Any, ...]]:
    return sheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)


def _xlsx_body(book: Any, sheet: Any, width: int, max_rows: int) -> Iterator[list[Any]]:
    # One row past the cap is read, so that _counted can refuse it; rows past that
    # (or a gap up to row 10^9) are never parsed or padded.
    try:
        for row in _xlsx_iter(sheet, 2, max_rows + 2, width):
            yield _capped(row, width)
    except Exception:  # a damaged or hostile part surfaces only while it streams
        raise InvalidInput({"file": "imports.bad_file"}) from None
    finally:
        book.close()


class _PrologEnd(Exception):
    """The root element began: no document type can follow."""


class _HasDoctype(Exception):
    """The part declares a document type (where entity bombs and XXE live)."""


def check_xlsx(data: bytes) -> None:
    """Refuse an archive that unpacks too large, or whose XML declares a document type.

    Reads only the zip directory and each XML part's prolog; nothing is parsed in full.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput({"file": "imports.bad_file"}) from None
    if len(parts) > MAX_XLSX_PARTS or sum(p.file_size for p in parts) > MAX_XLSX_UNPACKED:
        raise InvalidInput({"file": "imports.too_large_unpacked"})
    for part in parts:
        if part.filename.endswith((".xml", ".rels", ".vml")):
            _check_prolog(archive, part)


def _check_prolog(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    from xml.parsers import expat

    def doctype(*_: Any) -> None:
        raise _HasDoctype

    def root(*_: Any) -> None:
        raise _PrologEnd

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(64 * 1024):
                parser.Parse(chunk, False)
    except _PrologEnd:
        return
    except _HasDoctype:
        raise InvalidInput({"file": "imports.xml_doctype"}) from None
    except Exception:  # expat, zlib and zipfile raise many kinds on damaged data
        raise InvalidInput({"file": "imports.bad_file"}) from None


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
