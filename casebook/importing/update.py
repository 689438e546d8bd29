"""Updates of known incidents (rows whose external_id is stored), set-wise.

What ``update_incident`` does for one form save, done for all of a file's updated rows
at once inside casebook.analytics.bulk_upkeep.bulk_write: lock the rows and compare their versions
(a save since the file was checked refuses the whole import with StaleEdit), apply the
form's columns with the derived ones (month, minor flag, region and kind of the first
institution, legal gap), replace institution/room/conduct links, add a timeline event
when the status changes, recompute the engine's legal-link suggestions while keeping
every lawyer decision (casebook.incidents.legal_links.link_incident), and return one audit entry
per incident with its before and after. One update_incident call per row cost 20–35 ms
of CPU (bench/README.md); this is a handful of statements for the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session, col

from casebook.access import audit, crypto
from casebook.bulkinsert import bulk_insert
from casebook.errors import InvalidInput, StaleEdit
from casebook.importing.cells import current_links
from casebook.importing.report import PlannedRow
from casebook.incidents.legal_links import links_for
from casebook.incidents.store import AUDIT_FIELDS, IncidentCreate
from casebook.incidents.workflow import check_transition
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
_STAMP = ("updated_at", "updated_by_id", "version")
_DERIVED = [
    "reported_month",
    "has_minor",
    "region",
    "institution_kind",
    "legal_gap",
    "victim_contact_enc",
    *_STAMP,
]
_SETTABLE = [n for n in [*_FORM_COLUMNS, *_DERIVED] if n not in _STAMP]
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
    after = {
        r.incident_id: _values(r.form, stored[r.incident_id], firsts, actor_id, now) for r in rows
    }
    _relink_law(session, rows, after, now)
    _write_incidents(session, rows, stored, after)
    _replace_links(session, rows, ids)
    _status_events(session, rows, stored, actor_id)
    key = crypto.current_key()  # for the digests of free text, read once
    return [
        {
            "action": "incident.update",
            "entity": "incident",
            "entity_id": r.incident_id,
            "before": incident_snapshot(stored[r.incident_id], r.incident_id, key)
            | links[r.incident_id],
            "after": incident_snapshot(after[r.incident_id], r.incident_id, key)
            | _links_of(r.form),
        }
        for r in rows
    ]


def incident_snapshot(values: dict[str, Any], inc_id: int, key: bytes) -> dict[str, Any]:
    """``audit.snapshot(values, AUDIT_FIELDS)`` of an incident's column values, without
    its generic (slow) recursion: the values are JSON-ready but for the two dates. Same
    masks and keyed digests of free text (tests/analytics/test_bulk_upkeep.py compares the audit
    rows with update_incident's)."""
    out = {k: values.get(k) for k in AUDIT_FIELDS} | {"id": inc_id}
    for name in ("reported_on", "occurred_on"):
        out[name] = out[name].isoformat() if out[name] else None
    for name in audit.MASKED_FIELDS & out.keys():  # audit's own lists, not a copy of them
        if out[name]:
            out[name] = audit.MASK
    for name in audit.DIGEST_FIELDS & out.keys():
        out[name] = audit.digest_value(out[name], key)
    return out


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
        "reported_month": form.reported_on.isoformat()[:7],
        "has_minor": form.victims_minor > 0,
        "region": first.region if first else None,
        "institution_kind": first.kind if first else None,
        "updated_at": now,
        "updated_by_id": actor_id,
        "version": stored["version"] + 1,
    }
    if form.victim_contact is not None:
        out["victim_contact_enc"] = crypto.encrypt(form.victim_contact)
    return out


def _write_incidents(
    session: Session,
    rows: list[PlannedRow],
    stored: dict[int, dict[str, Any]],
    after: dict[int, dict[str, Any]],
) -> None:
    """SET only the columns that changed, and the edit stamp, as the ORM does for a form
    save: SQLite rewrites the entries of every index on a column an UPDATE sets, changed
    or not (incident has twelve). Rows changing the same columns share one executemany."""
    table = Incident.__table__
    stmt = update(table).where(table.c.id == bindparam("_id"))
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        old, new = stored[row.incident_id], after[row.incident_id]
        names = (*(n for n in _SETTABLE if new[n] != old[n]), *_STAMP)
        groups.setdefault(names, []).append({n: new[n] for n in names} | {"_id": row.incident_id})
    for params in groups.values():
        session.connection().execute(stmt, params)


def _replace_links(session: Session, rows: list[PlannedRow], ids: list[int]) -> None:

    for chunk in _chunks(ids):
        for table in (IncidentInstitution, IncidentRoom, IncidentConduct):
            session.execute(delete(table).where(col(table.incident_id).in_(chunk)))
    insts, rooms, conducts = [], [], []
    for row in rows:
        inc = row.incident_id
        insts += [
            {"incident_id": inc, "institution_id": i, "position": pos}
            for pos, i in enumerate(dict.fromkeys(row.form.institution_ids))
        ]
        rooms += [{"incident_id": inc, "room_id": i} for i in dict.fromkeys(row.form.room_ids)]
        conducts += [{"incident_id": inc, "conduct": c} for c in row.form.conducts]
    bulk_insert(session, IncidentInstitution.__table__, insts)
    bulk_insert(session, IncidentRoom.__table__, rooms)
    bulk_insert(session, IncidentConduct.__table__, conducts)


def _status_events(
    session: Session, rows: list[PlannedRow], stored: dict, actor_id: int | None
) -> None:
    """A status changed by the file is a timeline step, as in the edit form."""

    events = [
        {
            "incident_id": r.incident_id,
            "kind": r.form.status,
            "occurred_on": date.today(),
            "note": "edit",
            "created_by_id": actor_id,
        }
        for r in rows
        if r.form.status != stored[r.incident_id]["status"]
    ]
    bulk_insert(session, IncidentEvent.__table__, events)


def _relink_law(
    session: Session, rows: list[PlannedRow], after: dict[int, dict[str, Any]], now: datetime
) -> None:
    """casebook.incidents.legal_links.link_incident for every row, as a difference: the engine's
    untouched suggestions it would make again are kept (their gap follows the law), the
    others deleted, the missing ones added; links a lawyer made or decided on are kept
    (the gap of the engine's own follows the law). Each incident's legal_gap is set from
    the links it is left with. The same links as link_incident's delete-and-add, without
    rewriting the ~10 rows per incident that do not change."""
    current = _links_of_incidents(session, [r.incident_id for r in rows])
    cache: dict[tuple, tuple[list[tuple], bool]] = {}
    added: list[dict[str, Any]] = []
    gap_changes: list[dict[str, Any]] = []
    dropped: list[int] = []
    for row in rows:
        values = after[row.incident_id]
        victim = "minor" if values["victims_minor"] > 0 or values["has_minor"] else "adult"
        key = (tuple(row.form.conducts), victim, values["occurred_on"] or values["reported_on"])
        if key not in cache:
            cache[key] = links_for(*key)
        decided, untouched = _split(current[row.incident_id], dropped)
        by_key = {k.key: k for k in decided}  # the last of a key wins, as in link_incident
        kept, gaps = list(decided), []
        for conduct, victim_, version, basis, gap in cache[key][0]:
            old = by_key.get((conduct, victim_, version, basis))
            old = old or untouched.pop((conduct, victim_, version, basis), None)
            if old is None:
                added.append(
                    {
                        "incident_id": row.incident_id,
                        "conduct": conduct,
                        "victim": victim_,
                        "version_id": version,
                        "basis": basis,
                        "gap": gap,
                        "origin": "engine",
                        "state": "suggested",
                        "note": "",
                        "updated_at": now,
                    }
                )
                gaps.append(gap)
                continue
            if not old.decided:
                kept.append(old)
            if old.engine and old.gap != gap:
                gap_changes.append({"_id": old.id, "gap": gap})
                old.gap = gap
        dropped += [k.id for k in untouched.values()]  # not suggested any more
        values["legal_gap"] = any(gaps) or any(k.gap for k in kept if not k.removed)
    _write_links(session, dropped, gap_changes)
    bulk_insert(session, LegalLink.__table__, added)


@dataclass(slots=True)
class _Link:
    """What _relink_law needs of a stored legal link (96,000 of them for 10,000 rows)."""

    id: int
    key: tuple[str, str, str, str]  # conduct, victim, version_id, basis
    gap: str
    engine: bool  # the engine's (origin), rather than a lawyer's
    decided: bool  # made or decided on by a lawyer: never dropped
    removed: bool


def _links_of_incidents(session: Session, ids: list[int]) -> dict[int, list[_Link]]:
    c = LegalLink.__table__.c
    out: dict[int, list[_Link]] = {i: [] for i in ids}
    columns = (
        c.id,
        c.incident_id,
        c.conduct,
        c.victim,
        c.version_id,
        c.basis,
        c.gap,
        c.origin,
        c.state,
    )
    for chunk in _chunks(ids):
        query = select(*columns).where(c.incident_id.in_(chunk)).order_by(c.id)
        for link_id, inc, conduct, victim, version, basis, gap, origin, state in session.execute(
            query
        ):
            engine = origin == "engine"
            decided = state != "suggested" or not engine
            key = (conduct, victim, version, basis)
            out[inc].append(_Link(link_id, key, gap, engine, decided, state == "removed"))
    return out


def _split(links: list[_Link], dropped: list[int]) -> tuple[list[_Link], dict[tuple, _Link]]:
    """An incident's links a lawyer made or decided on, and the engine's untouched
    suggestions by key; a suggestion with the key of a decided link or of an earlier
    suggestion goes into ``dropped`` (link_incident would not make it again)."""
    decided = [k for k in links if k.decided]
    taken = {k.key for k in decided}
    untouched: dict[tuple, _Link] = {}
    for link in links:
        if not link.decided:
            if link.key in taken or link.key in untouched:
                dropped.append(link.id)
            else:
                untouched[link.key] = link
    return decided, untouched


def _write_links(session: Session, dropped: list[int], gap_changes: list[dict]) -> None:
    link = LegalLink.__table__
    for chunk in _chunks(dropped):
        session.execute(delete(link).where(link.c.id.in_(chunk)))
    if gap_changes:
        session.connection().execute(update(link).where(link.c.id == bindparam("_id")), gap_changes)


def _links_of(form: IncidentCreate) -> dict[str, Any]:
    return {
        "institution_ids": form.institution_ids,
        "room_ids": form.room_ids,
        "conducts": form.conducts,
    }
