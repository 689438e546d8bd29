"""The Overview page's headline numbers, aggregated in the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, func
from sqlmodel import Session, col, select

from casebook.access.permissions import require
from casebook.incidents.consent import statistics_clause
from casebook.incidents.institutions import count_institutions
from db.models import Incident, User


@dataclass(frozen=True)
class Overview:
    incidents: int
    institutions: int
    victims: int
    minors: int
    by_status: dict[str, int]
    demo_incidents: int


def overview(session: Session, *, actor: User | None) -> Overview:
    require(actor, "dashboard.read")
    counted = statistics_clause()  # leaves out incidents whose victim declined statistics
    incidents, victims, minors, demo = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(Incident.victims_count), 0),
            func.coalesce(func.sum(Incident.victims_minor), 0),
            func.coalesce(func.sum(func.cast(col(Incident.is_demo), Integer())), 0),
        )
        .select_from(Incident)
        .where(counted)
    ).one()
    by_status = dict(
        session.exec(
            select(Incident.status, func.count()).where(counted).group_by(Incident.status)
        ).all()
    )
    return Overview(
        incidents=int(incidents),
        institutions=count_institutions(session),
        victims=int(victims),
        minors=int(minors),
        by_status={k: int(v) for k, v in by_status.items()},
        demo_incidents=int(demo),
    )
