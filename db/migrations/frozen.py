"""The SQL a revision ran, frozen beside it as ``<revision file>.<dialect>.<direction>.sql``.

Migrations must do on a new database what they did when they were written, whatever the
application's code has become since; so the statements once rendered by code are kept as
text, each after a line ``-- statement N`` (the lines before the first are a header).
"""

from __future__ import annotations

import re
from pathlib import Path

MARKER = re.compile(r"^-- statement \d+\n", re.MULTILINE)


def dump(header: str, statements: list[str]) -> str:
    """The file's text: ``header`` as comment lines, then the statements, byte for byte."""
    head = "".join(f"-- {line}".rstrip() + "\n" for line in header.splitlines())
    body = "".join(f"-- statement {n}\n{s}\n" for n, s in enumerate(statements, 1))
    return head + body


def parse(text: str) -> list[str]:
    """The statements of a file written by ``dump`` (each without the newline ending it)."""
    return [chunk[:-1] for chunk in MARKER.split(text)[1:]]


def statements(revision_file: str, dialect: str, direction: str) -> list[str]:
    """What the revision in ``revision_file`` runs on ``dialect`` for ``direction``
    ("upgrade" or "downgrade")."""
    path = Path(revision_file)
    frozen = path.with_name(f"{path.stem}.{dialect}.{direction}.sql")
    return parse(frozen.read_text(encoding="utf-8"))
