"""Tasks of an incident: what must be done, by whom, by when, and whether it is done.

Every write is audited. Titles are free text that may name a person, so the audit trail
keeps a keyed digest of them (like notes), and calendar feeds never carry them.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import WRITERS, require
from casebook.errors import InvalidInput, NotFound, StaleEdit
from casebook.textnorm import clean_text
from db.models import Incident, Task, User, utcnow

FIELDS = ["id", "incident_id", "title", "assignee_id", "due_on", "done_on", "version"]
TITLE_MAX = 300


def check_assignee(session: Session, assignee_id: int | None) -> None:
    """An assignee must be an active user who may write (viewers cannot act on a task)."""
    if assignee_id is None:
        return
    user = session.get(User, assignee_id)
    if user is None or not user.active or user.role not in WRITERS:
        raise InvalidInput({"assignee": "tasks.unknown_assignee"})


def _title(title: str) -> str:
    text = " ".join(clean_text(title, TITLE_MAX).split())
    if not text:
        raise InvalidInput({"title": "errors.required"})
    return text


def _record(
    session: Session, actor: User | None, row: Task, action: str, before: dict | None
) -> Task:
    session.add(row)
    session.flush()
    key_fields = audit.snapshot(row, FIELDS)
    key_fields["title"] = audit.text_digest(row.title)
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="incident",
        entity_id=row.incident_id,
        before=before,
        after=key_fields,
    )
    session.commit()
    session.refresh(row)
    return row


def _before(row: Task) -> dict:
    snap = audit.snapshot(row, FIELDS)
    snap["title"] = audit.text_digest(row.title)
    return snap


def add_task(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    title: str,
    assignee_id: int | None = None,
    due_on: date | None = None,
) -> Task:
    """Add a task to an incident."""
    require(actor, "task.write")
    text = _title(title)
    check_assignee(session, assignee_id)
    audit.begin_write(session)
    if session.get(Incident, incident_id) is None:
        raise NotFound()
    row = Task(
        incident_id=incident_id,
        title=text,
        assignee_id=assignee_id,
        due_on=due_on,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    return _record(session, actor, row, "task.add", None)


def _task(session: Session, task_id: int, expected_version: int | None) -> Task:
    row = session.get(Task, task_id)
    if row is None:
        raise NotFound()
    if expected_version is not None and row.version != expected_version:
        raise StaleEdit()
    return row


def update_task(
    session: Session,
    *,
    actor: User | None,
    task_id: int,
    expected_version: int,
    title: str,
    assignee_id: int | None,
    due_on: date | None,
) -> Task:
    """Change what, who or when; refused if someone saved the task since it was read."""
    require(actor, "task.write")
    text = _title(title)
    check_assignee(session, assignee_id)
    audit.begin_write(session)
    row = _task(session, task_id, expected_version)
    before = _before(row)
    row.title, row.assignee_id, row.due_on = text, assignee_id, due_on
    row.version += 1
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    return _record(session, actor, row, "task.update", before)


def set_task_done(
    session: Session, *, actor: User | None, task_id: int, done_on: date | None
) -> Task:
    """Mark a task done on ``done_on``, or reopen it (None)."""
    require(actor, "task.write")
    if done_on is not None and done_on > date.today():
        raise InvalidInput({"done_on": "errors.date_in_future"})
    audit.begin_write(session)
    row = _task(session, task_id, None)
    before = _before(row)
    row.done_on = done_on
    row.version += 1
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    return _record(session, actor, row, "task.done" if done_on else "task.reopen", before)


def list_tasks(session: Session, *, actor: User | None, incident_id: int) -> list[Task]:
    """An incident's tasks: open ones first, by due date."""
    require(actor, "due.read")
    rows = session.exec(select(Task).where(col(Task.incident_id) == incident_id)).all()
    return sorted(rows, key=lambda t: (t.done_on is not None, t.due_on or date.max, t.id))
