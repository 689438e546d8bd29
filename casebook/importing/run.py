"""Importing a spreadsheet of incidents: read, plan every row, then write them all in one
transaction (or nothing, if any row is bad).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from casebook.access.permissions import require
from casebook.importing.cells import read_file
from casebook.importing.plan import plan_rows
from casebook.importing.report import ImportReport, Progress
from casebook.importing.write import write_report
from db.models import User


def import_incidents(
    session: Session,
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    create_institutions: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row of a CSV/XLSX file and, unless ``dry_run`` or any row is bad,
    write them all in one transaction. The report lists what happened or would happen."""
    require(actor, "incident.import")
    if create_institutions:
        require(actor, "institution.write")
    step = progress or (lambda fraction, phase: None)
    mapping, ignored, body = read_file(data, filename)
    report = ImportReport(filename=filename, ignored_columns=ignored)
    with _collector_paused():
        plan_rows(session, report, mapping, body, create_institutions, step)
        if report.ok and not dry_run:
            write_report(session, actor=actor, report=report, progress=step)
    step(1.0, "done")
    return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while an import builds and writes its rows.

    The tens of thousands of forms, dicts and tuples an import keeps alive made the
    collector rescan them again and again: 0.3–0.5 s of CPU of a 10,000-row import
    (bench/README.md). Reference counting still frees what is dropped, and the collector
    is back on (if it was on) when the import returns or fails.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
