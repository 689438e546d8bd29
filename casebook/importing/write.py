"""The writing half of an import: one transaction, bulk inserts for new incidents,
their links and their audit rows; set-wise updates of known incidents
(casebook.importing.update), with the same optimistic check as a form save.

The rows go in with the per-row summary, search and version triggers paused and that
upkeep done set-wise afterwards (casebook.analytics.bulk_upkeep). Any failure rolls everything
back, so a file is imported whole or not at all.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.crypto import current_key
from casebook.access.permissions import require
from casebook.analytics.bulk_upkeep import Batch, bulk_write
from casebook.bulkinsert import bulk_insert, reserve_ids
from casebook.errors import InvalidInput
from casebook.importing.report import ImportReport, PlannedRow, Progress
from casebook.importing.update import incident_snapshot, update_rows
from casebook.incidents.institutions import FIELDS as INSTITUTION_FIELDS
from casebook.incidents.legal_links import links_for
from casebook.incidents.store import IncidentCreate
from casebook.textnorm import normalize_name
from db.models import (
    Incident,
    IncidentConduct,
    IncidentInstitution,
    Institution,
    LegalLink,
    User,
    utcnow,
)

CHUNK = 1000
_FORM_ONLY = {"institution_ids", "room_ids", "conducts", "victim_contact"}
_COLUMN_FIELDS = [name for name in IncidentCreate.model_fields if name not in _FORM_ONLY]


def write_report(
    session: Session, *, actor: User | None, report: ImportReport, progress: Progress
) -> None:
    """Write a problem-free report in one transaction and commit; roll back on any error.

    The callers check these too; checking here, before the report is read, keeps this
    public function from writing for an actor who may not (and from telling it anything).
    """
    require(actor, "incident.import")
    if report.new_institutions:
        require(actor, "institution.write")
    if not report.ok:  # all rows or none: a report with problems writes nothing
        raise InvalidInput({"file": "imports.not_written"})
    try:
        audit.begin_write(session)
        _create_institutions(session, actor, report)
        creates = [r for r in report.rows if r.action == "create"]
        updates = [r for r in report.rows if r.action == "update"]
        if creates or updates:
            _write_incidents(session, actor, creates, updates, progress)
        if creates or updates or report.new_institutions:
            audit.record(
                session,
                actor=actor,
                action="incident.import",
                entity="import",
                entity_id=report.filename[:64],
                after=report.summary(),
            )
        session.commit()
        report.committed = True
        # Rows were written with Core statements: loaded objects may be stale (the
        # caller's session may outlive this call, as the CLI's and tests' do).
        session.expire_all()
    except BaseException:
        session.rollback()
        raise
    if creates:
        refresh_statistics(session, len(creates))


# Tables a bulk import grows, whose planner statistics it makes stale.
_GROWN = ("incident", "incidentconduct", "incidentinstitution", "legallink", "auditlog")


def refresh_statistics(session: Session, created: int) -> None:
    """After the import has committed: on PostgreSQL, ANALYZE the tables it grew when it
    added more than a tenth of their rows (autovacuum's own threshold, which it reaches
    only a minute or so later). With statistics of a near-empty table the planner picks
    plans that made re-importing the same 10,000 rows take 13 s instead of 2.5 s.
    Best effort: the import is already stored, so a failure here is only logged."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite keeps no statistics unless asked to (ANALYZE), and has none here
    try:
        known = session.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = 'incident' AND relkind = 'r'")
        ).scalar()
        if known is None or created > 0.1 * max(known, 0):
            session.execute(text("ANALYZE " + ", ".join(_GROWN)))
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        logging.getLogger(__name__).warning("ANALYZE after an import failed", exc_info=True)


def _write_incidents(
    session: Session,
    actor: User | None,
    creates: list[PlannedRow],
    updates: list[PlannedRow],
    progress: Progress,
) -> None:
    """New and changed incidents with their links, legal links and audit rows, the
    triggers' upkeep done set-wise."""
    now, actor_id = utcnow(), getattr(actor, "id", None)
    with bulk_write(session, existing=[r.incident_id for r in updates]) as batch:
        entries = _insert_new(session, actor_id, creates, progress, batch, now)
        entries += update_rows(session, actor_id=actor_id, rows=updates, now=now)
    audit.record_many(session, actor=actor, entries=entries)


def _create_institutions(session: Session, actor: User | None, report: ImportReport) -> None:
    for new in report.new_institutions.values():
        inst = Institution(
            name=new.name,
            name_normalized=normalize_name(new.name),
            kind=new.kind,
            region=new.region,
            aliases=[],
            created_by_id=getattr(actor, "id", None),
        )
        session.add(inst)
        session.flush()
        new.id = inst.id
        audit.record(
            session,
            actor=actor,
            action="institution.create",
            entity="institution",
            entity_id=inst.id,
            after=audit.snapshot(inst, INSTITUTION_FIELDS),
        )
    for row in report.rows:
        if row.institution:
            new_id = report.new_institutions[row.institution].id
            row.form.institution_ids = [new_id, *row.form.institution_ids]


def incident_values(
    form: IncidentCreate, inst: Institution | None, actor_id: int | None, now: datetime
) -> dict[str, Any]:
    """The column values record_incident would store for ``form`` (no victim contact)."""
    # Plain attribute reads, not model_dump: at 10,000 rows the copy costs a second. The
    # lists and dicts are shared with ``form``, which nothing changes afterwards.
    values = {name: getattr(form, name) for name in _COLUMN_FIELDS}
    values.update(
        reported_month=form.reported_on.isoformat()[:7],
        has_minor=form.victims_minor > 0,
        legal_gap=False,
        region=inst.region if inst else None,
        institution_kind=inst.kind if inst else None,
        victim_contact_enc=None,
        created_at=now,
        updated_at=now,
        created_by_id=actor_id,
        updated_by_id=actor_id,
        version=1,
    )
    return values


def _insert_new(
    session: Session,
    actor_id: int | None,
    rows: list[PlannedRow],
    progress: Progress,
    batch: Batch,
    now: datetime,
) -> list[dict[str, Any]]:
    """Insert the new incidents, their links and legal links; their audit entries."""
    first_ids = {r.form.institution_ids[0] for r in rows if r.form.institution_ids}
    insts = {
        i.id: i
        for i in session.exec(select(Institution).where(col(Institution.id).in_(first_ids or [0])))
    }
    entries: list[dict] = []
    key = current_key()  # for the audit's digests of free text, read once
    legal = LegalRows()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        values = [
            incident_values(
                r.form, insts.get(next(iter(r.form.institution_ids), -1)), actor_id, now
            )
            for r in chunk
        ]
        kinds = [legal.kind(v, r.form) for v, r in zip(values, chunk, strict=True)]
        ids = _insert_incidents(session, values)
        batch.add_created(ids)
        legal.add(ids, kinds)
        _insert_links(session, chunk, ids)
        for row, value, inc_id in zip(chunk, values, ids, strict=True):
            links = {
                "institution_ids": row.form.institution_ids,
                "room_ids": row.form.room_ids,
                "conducts": row.form.conducts,
            }
            after = incident_snapshot(value, inc_id, key) | links
            entries.append(
                {
                    "action": "incident.create",
                    "entity": "incident",
                    "entity_id": inc_id,
                    "after": after,
                }
            )
        progress(0.6 + 0.3 * (start + len(chunk)) / len(rows), "write")
    _insert_legal_links(session, legal, now)
    return entries


def _insert_incidents(session: Session, values: list[dict[str, Any]]) -> list[int]:
    """Insert rows in bulk (the ORM path costs seconds at 10,000) and return their ids in
    order. The ids are taken first: on PostgreSQL from the id sequence, on SQLite after
    the write lock (which no other writer can then take) from the largest id."""
    table = Incident.__table__
    if session.get_bind().dialect.name == "postgresql":
        ids = reserve_ids(session, table, len(values))
    else:
        session.execute(text("UPDATE incident SET id = id WHERE 0"))  # RESERVED lock
        first = (session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        ids = list(range(first, first + len(values)))
    bulk_insert(session, table, [v | {"id": i} for v, i in zip(values, ids, strict=True)])
    return ids


def _insert_links(session: Session, rows: list[PlannedRow], ids: list[int]) -> None:
    insts, conducts = [], []
    for row, inc_id in zip(rows, ids, strict=True):
        for pos, inst_id in enumerate(dict.fromkeys(row.form.institution_ids)):
            insts.append({"incident_id": inc_id, "institution_id": inst_id, "position": pos})
        conducts += [{"incident_id": inc_id, "conduct": c} for c in row.form.conducts]
    bulk_insert(session, IncidentInstitution.__table__, insts)
    bulk_insert(session, IncidentConduct.__table__, conducts)


class LegalRows:
    """What casebook.incidents.legal_links.link_incident would add for new incidents (no links exist
    yet, so nothing is kept), without building a LegalLink object or even a row per link
    in Python (96,000 rows for a 10,000-row file; tests/importing/test_imports.py checks the import
    stores the hook's links). The answer depends only on the conducts, the victim group
    and the date of the act, which most rows of a file share, and the engine gives the
    same links for most of those keys (the law changes rarely): each distinct list of
    links is kept once, as a *kind*, and each new incident is given its kind; one
    INSERT ... SELECT then writes every incident's links (``_insert_legal_links``)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple, tuple[int, bool]] = {}  # key -> (kind, gap)
        self.kinds: dict[tuple, int] = {}  # list of (conduct, victim, version, basis, gap)
        self.incidents: list[int] = []
        self.incident_kinds: list[int] = []

    def kind(self, values: dict[str, Any], form: IncidentCreate) -> int:
        """The kind of links of a new incident, and its ``legal_gap`` set as the hook
        would (-1: no links)."""
        victim = "minor" if values["victims_minor"] > 0 or values["has_minor"] else "adult"
        key = (tuple(form.conducts), victim, values["occurred_on"] or values["reported_on"])
        if key not in self.by_key:
            links, gap = links_for(*key)
            self.by_key[key] = (self.kinds.setdefault(tuple(links), len(self.kinds)), gap)
        kind, values["legal_gap"] = self.by_key[key]
        return kind

    def add(self, ids: list[int], kinds: list[int]) -> None:
        for inc_id, kind in zip(ids, kinds, strict=True):
            if kind >= 0:
                self.incidents.append(inc_id)
                self.incident_kinds.append(kind)

    def link_rows(self) -> list[list]:
        """[kind, position, conduct, victim, version_id, basis, gap] for every link kind."""
        return [
            [kind, pos, *link]
            for links, kind in self.kinds.items()
            for pos, link in enumerate(links)
        ]


# The links of every new incident in one statement: each incident (in order) joined with
# the rows of its kind of links (LegalRows), as the form save's hook would add them.
_LEGAL_COLUMNS = (
    "INSERT INTO legallink (incident_id, conduct, victim, version_id, basis, gap, "
    "origin, state, note, updated_at) "
)
_LEGAL_VALUES = "l.conduct, l.victim, l.version_id, l.basis, l.gap, 'engine', 'suggested', '', :now"
_LEGAL_SQL = {
    # The link rows are computed once (LIMIT -1 OFFSET 0 keeps SQLite from flattening the
    # CTE, which re-read the JSON for every incident: 0.56 s instead of 0.24; MATERIALIZED
    # would need SQLite 3.35) and CROSS JOIN keeps the incidents as the outer loop, so
    # SQLite indexes the few link rows on the fly and writes the rows in incident order.
    "sqlite": "WITH l AS (SELECT json_extract(value, '$[0]') AS k, "
    "json_extract(value, '$[1]') AS pos, json_extract(value, '$[2]') AS conduct, "
    "json_extract(value, '$[3]') AS victim, json_extract(value, '$[4]') AS version_id, "
    "json_extract(value, '$[5]') AS basis, json_extract(value, '$[6]') AS gap "
    "FROM json_each(:links) LIMIT -1 OFFSET 0) "
    f"{_LEGAL_COLUMNS}SELECT json_extract(i.value, '$[0]'), {_LEGAL_VALUES} "
    "FROM json_each(:incidents) AS i CROSS JOIN l ON l.k = json_extract(i.value, '$[1]') "
    "ORDER BY i.key, l.pos",
    "postgresql": f"{_LEGAL_COLUMNS}SELECT i.id, {_LEGAL_VALUES} "
    "FROM unnest(CAST(:ids AS integer[]), CAST(:kinds AS integer[])) "
    "WITH ORDINALITY AS i(id, k, n) JOIN unnest(CAST(:k AS integer[]), "
    "CAST(:pos AS integer[]), CAST(:conduct AS text[]), CAST(:victim AS text[]), "
    "CAST(:version_id AS text[]), CAST(:basis AS text[]), CAST(:gap AS text[])) "
    "AS l(k, pos, conduct, victim, version_id, basis, gap) ON l.k = i.k ORDER BY i.n, l.pos",
}


def _insert_legal_links(session: Session, legal: LegalRows, now: datetime) -> None:
    if not legal.incidents:
        return
    dialect = session.get_bind().dialect.name
    links = legal.link_rows()
    if dialect == "postgresql":
        names = ("k", "pos", "conduct", "victim", "version_id", "basis", "gap")
        params = {"ids": legal.incidents, "kinds": legal.incident_kinds}
        params |= {name: [link[j] for link in links] for j, name in enumerate(names)}
    else:
        pairs = json.dumps(list(zip(legal.incidents, legal.incident_kinds, strict=True)))
        params = {"incidents": pairs, "links": json.dumps(links)}
    stamp = bindparam("now", now, type_=LegalLink.__table__.c.updated_at.type)
    session.execute(text(_LEGAL_SQL[dialect]).bindparams(stamp), params)
