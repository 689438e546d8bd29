"""Updates of known incidents (rows whose external_id is stored), set-wise.

What ``update_incident`` does for one form save, done for all of a file's updated rows
at once inside casebook.bulk_upkeep.bulk_write: lock the rows and compare their versions
(a save since the file was checked refuses the whole import with StaleEdit), apply the
form's columns with the derived ones (month, minor flag, region and kind of the first
institution, legal gap), replace institution/room/conduct links, add a timeline event
when the status changes, recompute the engine's legal-link suggestions while keeping
every lawyer decision (casebook.legal_links.link_incident), and return one audit entry
per incident with its before and after. One update_incident call per row cost 20–35 ms
of CPU (bench/README.md); this is a handful of statements for the whole file.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session, col

from casebook import audit, crypto
from casebook.errors import InvalidInput, StaleEdit
from casebook.imports import PlannedRow, current_links
from casebook.incidents import AUDIT_FIELDS, IncidentCreate
from casebook.workflow import check_transition
from db.models import (
    ChatRoom,
    Incident,
    IncidentConduct,
    IncidentEvent,
    IncidentInstitution,
    IncidentRoom,
    Institution,
    LegalLink,
)

CHUNK = 500
_NOT_COLUMNS = {"institution_ids", "room_ids", "conducts", "victim_contact", "is_demo"}
_FORM_COLUMNS = [n for n in IncidentCreate.model_fields if n not in _NOT_COLUMNS]
_DERIVED = ["reported_month", "has_minor", "region", "institution_kind", "legal_gap",
            "victim_contact_enc", "updated_at", "updated_by_id", "version"]  # fmt: skip
_READ = list(dict.fromkeys(["id", *AUDIT_FIELDS, *_FORM_COLUMNS, *_DERIVED]))


def update_rows(
    session: Session, *, actor_id: int | None, rows: list[PlannedRow], now: datetime
) -> list[dict[str, Any]]:
    """Apply every planned update in the caller's transaction; the audit entries."""
    if not rows:
        return []
    ids = [r.incident_id for r in rows]
    stored = _lock(session, ids)
    links = current_links(session, ids)
    for row in rows:
        current = stored.get(row.incident_id)
        if current is None or current["version"] != row.expected_version:
            raise StaleEdit()
        check_transition(current["status"], row.form.status)
    firsts = _first_institutions(session, rows)
    _check_rooms(session, rows)
    after = {r.incident_id: _values(r.form, stored[r.incident_id], firsts, actor_id, now)
             for r in rows}  # fmt: skip
    _relink_law(session, rows, after, now)
    _write_incidents(session, rows, after)
    _replace_links(session, rows, ids)
    _status_events(session, rows, stored, actor_id)
    key = crypto.current_key()  # for the digests of free text, read once
    return [
        {"action": "incident.update", "entity": "incident", "entity_id": r.incident_id,
         "before": audit.snapshot(stored[r.incident_id], AUDIT_FIELDS, key)
         | links[r.incident_id],
         "after": audit.snapshot(after[r.incident_id], AUDIT_FIELDS, key) | _links_of(r.form)}
        for r in rows
    ]  # fmt: skip


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _lock(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The stored rows, locked until commit (PostgreSQL; SQLite's bulk write already
    holds the database's write lock), so what is compared is what is overwritten."""
    table = Incident.__table__
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        query = select(*[table.c[n] for n in _READ]).where(table.c.id.in_(chunk))
        for row in session.execute(query.with_for_update()).mappings():
            out[row["id"]] = dict(row)
    return out


def _first_institutions(session: Session, rows: list[PlannedRow]) -> dict[int, Institution]:
    """Point each form at live institutions (merges followed, as ``incidents._apply``)
    and return them by id; an id that does not exist refuses the import."""
    wanted = {i for r in rows for i in r.form.institution_ids}
    found: dict[int, Institution] = {}
    todo = set(wanted)
    for _ in range(10):  # follow merges; a chain is short, a loop would be a bug
        if not todo:
            break
        insts = session.scalars(select(Institution).where(col(Institution.id).in_(todo))).all()
        found |= {i.id: i for i in insts}
        todo = {i.merged_into_id for i in insts if i.merged_into_id} - set(found)
    if any(i not in found for i in wanted):
        raise InvalidInput({"institution_ids": "errors.unknown_institution"})

    def live(inst_id: int) -> Institution:
        inst = found[inst_id]
        for _ in range(10):
            if inst.merged_into_id is None or inst.merged_into_id not in found:
                break
            inst = found[inst.merged_into_id]
        return inst

    for row in rows:  # a merged institution stands for the one it was merged into
        row.form.institution_ids = [live(i).id for i in row.form.institution_ids]
    return {live(i).id: live(i) for i in wanted}


def _check_rooms(session: Session, rows: list[PlannedRow]) -> None:
    wanted = {i for r in rows for i in r.form.room_ids}
    if wanted and len(wanted) != len(
        session.scalars(select(ChatRoom.id).where(col(ChatRoom.id).in_(wanted))).all()
    ):
        raise InvalidInput({"room_ids": "rooms.unknown_room"})


def _values(
    form: IncidentCreate,
    stored: dict[str, Any],
    insts: dict[int, Institution],
    actor_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    """The row as ``update_incident`` leaves it (legal_gap is set by _relink_law)."""
    first = insts.get(form.institution_ids[0]) if form.institution_ids else None
    out = dict(stored) | {name: getattr(form, name) for name in _FORM_COLUMNS}
    out |= {
        "reported_month": form.reported_on.isoformat()[:7], "has_minor": form.victims_minor > 0,
        "region": first.region if first else None,
        "institution_kind": first.kind if first else None,
        "updated_at": now, "updated_by_id": actor_id, "version": stored["version"] + 1,
    }  # fmt: skip
    if form.victim_contact is not None:
        out["victim_contact_enc"] = crypto.encrypt(form.victim_contact)
    return out


def _write_incidents(
    session: Session, rows: list[PlannedRow], after: dict[int, dict[str, Any]]
) -> None:
    # An UPDATE without .values() sets the columns each parameter set names.
    table = Incident.__table__
    names = [*_FORM_COLUMNS, *_DERIVED]
    params = [{n: after[r.incident_id][n] for n in names} | {"_id": r.incident_id}
              for r in rows]  # fmt: skip
    session.connection().execute(update(table).where(table.c.id == bindparam("_id")), params)


def _replace_links(session: Session, rows: list[PlannedRow], ids: list[int]) -> None:
    from casebook.bulkinsert import bulk_insert

    for chunk in _chunks(ids):
        for table in (IncidentInstitution, IncidentRoom, IncidentConduct):
            session.execute(delete(table).where(col(table.incident_id).in_(chunk)))
    insts, rooms, conducts = [], [], []
    for row in rows:
        inc = row.incident_id
        insts += [{"incident_id": inc, "institution_id": i, "position": pos}
                  for pos, i in enumerate(dict.fromkeys(row.form.institution_ids))]  # fmt: skip
        rooms += [{"incident_id": inc, "room_id": i} for i in dict.fromkeys(row.form.room_ids)]
        conducts += [{"incident_id": inc, "conduct": c} for c in row.form.conducts]
    bulk_insert(session, IncidentInstitution.__table__, insts)
    bulk_insert(session, IncidentRoom.__table__, rooms)
    bulk_insert(session, IncidentConduct.__table__, conducts)


def _status_events(
    session: Session, rows: list[PlannedRow], stored: dict, actor_id: int | None
) -> None:
    """A status changed by the file is a timeline step, as in the edit form."""
    from casebook.bulkinsert import bulk_insert

    events = [{"incident_id": r.incident_id, "kind": r.form.status, "occurred_on": date.today(),
               "note": "edit", "created_by_id": actor_id}
              for r in rows if r.form.status != stored[r.incident_id]["status"]]  # fmt: skip
    bulk_insert(session, IncidentEvent.__table__, events)


def _relink_law(
    session: Session, rows: list[PlannedRow], after: dict[int, dict[str, Any]], now: datetime
) -> None:
    """casebook.legal_links.link_incident for every row: drop untouched engine
    suggestions, suggest afresh, keep lawyer decisions (the gap of the engine's own links
    follows the law), and set each incident's legal_gap from the links it is left with."""
    from casebook.bulkinsert import bulk_insert
    from casebook.import_write import links_for, uses_legal_links

    if not uses_legal_links():
        return
    kept = _kept_links(session, [r.incident_id for r in rows])
    cache: dict[tuple, tuple[list[tuple], bool]] = {}
    new_rows: list[dict[str, Any]] = []
    gap_changes: list[dict[str, Any]] = []
    for row in rows:
        values, links = after[row.incident_id], kept[row.incident_id]
        victim = "minor" if values["victims_minor"] > 0 or values["has_minor"] else "adult"
        key = (tuple(row.form.conducts), victim, values["occurred_on"] or values["reported_on"])
        if key not in cache:
            cache[key] = links_for(*key)
        by_key = {(k["conduct"], k["victim"], k["version_id"], k["basis"]): k for k in links}
        added = []
        for conduct, victim_, version, basis, gap in cache[key][0]:
            old = by_key.get((conduct, victim_, version, basis))
            if old is None:
                added.append({"incident_id": row.incident_id, "conduct": conduct,
                              "victim": victim_, "version_id": version, "basis": basis,
                              "gap": gap, "origin": "engine", "state": "suggested",
                              "note": "", "updated_at": now})  # fmt: skip
            elif old["origin"] == "engine" and old["gap"] != gap:
                gap_changes.append({"_id": old["id"], "gap": gap})
                old["gap"] = gap
        new_rows += added
        live = [k["gap"] for k in links if k["state"] != "removed"] + [a["gap"] for a in added]
        values["legal_gap"] = any(live)
    link = LegalLink.__table__
    if gap_changes:
        session.connection().execute(update(link).where(link.c.id == bindparam("_id")),
                                     gap_changes)  # fmt: skip
    bulk_insert(session, link, new_rows)


def _kept_links(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each incident's links a lawyer made or decided on (kept), after deleting the
    engine's untouched suggestions (recomputed)."""
    link = LegalLink.__table__
    decided = (link.c.state != "suggested") | (link.c.origin != "engine")
    untouched = (link.c.state == "suggested") & (link.c.origin == "engine")
    kept: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        query = select(link).where(link.c.incident_id.in_(chunk), decided).order_by(link.c.id)
        for row in session.execute(query).mappings():
            kept[row["incident_id"]].append(dict(row))
        session.execute(delete(link).where(link.c.incident_id.in_(chunk), untouched))
    return kept


def _links_of(form: IncidentCreate) -> dict[str, Any]:
    return {"institution_ids": form.institution_ids, "room_ids": form.room_ids,
            "conducts": form.conducts}  # fmt: skip
