"""Helpers for brief tests: reopen a .docx and read it as python-docx and as raw XML."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document

WHEN = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def reopen(content: bytes):
    return Document(io.BytesIO(content))


def all_xml(content: bytes) -> str:
    """Every XML part of the package (body, headers, footers, properties), concatenated."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "\n".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))
        )


def part(content: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read(name).decode("utf-8")


def headings(doc, level: int = 1) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def table_text(doc) -> str:
    return "\n".join(
        " | ".join(cell.text for cell in row.cells) for table in doc.tables for row in table.rows
    )


def rows_of(doc) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
