"""Write a finished brief in a format: DOCX (Word) or HWPX (Hangul, KS X 6101)."""

from __future__ import annotations

from casebook.briefs.docx_kit import render_docx
from casebook.briefs.hwpx_kit import render_hwpx
from casebook.briefs.model import Document

FORMATS = ("docx", "hwpx")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "hwpx": "application/hwp+zip",
}


def render(document: Document, fmt: str = "docx") -> bytes:
    """The document's bytes in ``fmt`` (one of FORMATS)."""
    if fmt == "hwpx":
        return render_hwpx(document)
    if fmt != "docx":
        raise ValueError(f"unknown brief format {fmt!r}")
    return render_docx(document)
