"""Optional PDF conversion with LibreOffice (never required for a brief)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from casebook.errors import CasebookError

TIMEOUT_S = 180


def libreoffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("libreoffice") or shutil.which("soffice")


def to_pdf(docx: bytes) -> bytes:
    """Convert .docx bytes to PDF bytes in a private temp dir; CasebookError on failure."""
    exe = libreoffice()
    if exe is None:
        raise CasebookError("briefs.errors.no_libreoffice")
    with tempfile.TemporaryDirectory(prefix="casebook-pdf-") as tmp:
        src = Path(tmp) / "brief.docx"
        src.write_bytes(docx)
        # A private profile dir: parallel conversions must not share LibreOffice's lock.
        cmd = [
            exe,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=TIMEOUT_S)
        except (subprocess.SubprocessError, OSError):
            raise CasebookError("briefs.errors.pdf_failed") from None
        out = Path(tmp) / "brief.pdf"
        if not out.exists():
            raise CasebookError("briefs.errors.pdf_failed")
        return out.read_bytes()
