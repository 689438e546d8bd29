"""Optimistic locking of an incident: the version column compared and set in one UPDATE.

Every write to an incident (a form save, a timeline step, an import's update) goes
through ``bump_version`` first, so a save made since the form was opened is refused.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from casebook.access import audit
from casebook.errors import StaleEdit
from db.models import Incident


def bump_version(session: Session, incident_id: int, expected_version: int) -> None:
    """Compare-and-set the version column; StaleEdit when someone saved since."""
    audit.begin_write(session)

    result = session.execute(
        update(Incident)
        .where(col(Incident.id) == incident_id, col(Incident.version) == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleEdit()
