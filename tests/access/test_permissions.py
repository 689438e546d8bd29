"""Every guarded casebook function, for every kind of actor, against permissions.MATRIX.

CASES lists each public casebook function that takes a keyword-only ``actor``, the
action it must enforce and how to call it. ``test_every_guarded_function_is_listed``
discovers those functions, so a new one fails here until it is added (or exempted with
a reason).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import io
import itertools
import json
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pyotp
import pytest
from sqlmodel import Session, func, select

import casebook
from casebook.access import audit, keys, users
from casebook.access import totp as account
from casebook.access.permissions import MATRIX
from casebook.access.visibility import level_for
from casebook.analytics import dashboards as analytics
from casebook.analytics import overview
from casebook.analytics import statistics as analytics_national
from casebook.analytics.filters import AnalyticsFilter
from casebook.briefs import advocacy_data as brief_advocacy
from casebook.briefs import compare as brief_compare
from casebook.briefs import incident as brief_incident
from casebook.briefs import institution as brief_institution
from casebook.briefs import records as brief_records
from casebook.errors import InvalidInput, NotFound, PermissionDenied
from casebook.importing import export as exports
from casebook.importing import report as import_report
from casebook.importing import run as imports
from casebook.importing import write as import_write
from casebook.incidents import (
    confidential,
    consent,
    deadlines,
    due,
    erasure,
    evidence,
    institutions,
    legal_links,
    removals,
    rooms,
    takedowns,
    tasks,
    workflow,
)
from casebook.incidents import (
    queries as incident_queries,
)
from casebook.incidents import (
    store as incidents,
)
from casebook.ops import backup, demo
from db.models import AuditLog, BriefRecord, Deadline, Incident, Institution, LegalLink, User
from tests.factories import PASSWORD

_n = itertools.count(1)


@dataclass
class World:
    session: Session
    factory: Any
    tmp: Any
    incident_id: int
    target_id: int
    # Rows only some cases need, made on first use (see _once), and what the current
    # case's setup returned for the call about to be made.
    rows: dict[str, Any] = field(default_factory=dict)
    arg: Any = None


@dataclass(frozen=True)
class Case:
    action: str
    call: Callable[[World, User | None], Any]
    # An error that still means "allowed" (the permission check passed first).
    allowed_error: type[Exception] | None = None
    # Makes the rows the call needs, as the admin, before each call and outside the
    # audit count the walk compares; the call finds the result in ``w.arg``.
    setup: Callable[[World], Any] | None = None


def _incident(w: World) -> dict:
    return {"title": f"권한 시험 {next(_n)}", "reported_on": date(2024, 9, 1)}


def _totp_confirm(w: World, a: User | None) -> None:
    if a and a.active:
        setup = account.begin_totp(w.session, actor=a, password=PASSWORD)
        secret, token = setup.secret, setup.token
    else:
        secret, token = "A" * 32, ""
    account.confirm_totp(w.session, actor=a, token=token, code=pyotp.totp.TOTP(secret).now())


def _once(w: World, key: str, make: Callable[[], Any]) -> Any:
    if key not in w.rows:
        w.rows[key] = make()
    return w.rows[key]


def _institution(w: World) -> int:
    return _once(w, "institution", lambda: w.factory.institution().id)


def _institution_pair(w: World) -> tuple[int, int]:
    """A fresh pair each time: a merge consumes its source."""
    return w.factory.institution().id, w.factory.institution().id


def _evidence(w: World) -> int:
    return _once(
        w,
        "evidence",
        lambda: (
            evidence.register_evidence(
                w.session,
                actor=w.factory.admin,
                incident_id=w.incident_id,
                data=b"evidence",
                media_type="application/octet-stream",
            ).evidence.id
        ),
    )


def _link(w: World) -> int:
    def first_link() -> int:
        query = select(LegalLink.id).where(LegalLink.incident_id == w.incident_id)
        link_id = w.session.exec(query.order_by(LegalLink.id)).first()
        assert link_id is not None, "the engine links the world's incident (create, distribute)"
        return link_id

    return _once(w, "link", first_link)


def _room(w: World) -> int:
    return _once(
        w,
        "room",
        lambda: (
            rooms.create_room(
                w.session,
                actor=w.factory.admin,
                data={
                    "platform": "telegram",
                    "kind": "group",
                    "label": "권한 시험 방",
                    "identifier": "@secret_room",
                },
            ).id
        ),
    )


def _takedown(w: World) -> int:
    return _once(
        w,
        "takedown",
        lambda: (
            takedowns.request_takedown(
                w.session,
                actor=w.factory.admin,
                incident_id=w.incident_id,
                platform="telegram",
                requested_on=date(2024, 9, 2),
            ).id
        ),
    )


def _fresh_day() -> date:
    """A start date no earlier case used: a deadline is unique per rule and start."""
    return date(2020, 1, 1) + timedelta(days=next(_n))


def _task(w: World) -> int:
    return tasks.add_task(
        w.session, actor=w.factory.admin, incident_id=w.incident_id, title="권한 시험 할 일"
    ).id


def _deadline(w: World) -> Deadline:
    return deadlines.start_deadline(
        w.session,
        actor=w.factory.admin,
        incident_id=w.incident_id,
        rule_id="ruling",
        trigger_on=_fresh_day(),
    )


def _removed(w: World) -> int:
    """A fresh request whose location was deleted, ready for a re-check."""
    [req] = removals.request_removals(
        w.session,
        actor=w.factory.admin,
        incident_id=w.incident_id,
        locations=["@post/1"],
        location_kind="post",
        channel="platform",
        requested_on=date(2024, 9, 2),
    )
    removals.add_removal_step(
        w.session,
        actor=w.factory.admin,
        request_id=req.id,
        step="deleted",
        occurred_on=date(2024, 9, 3),
    )
    return req.id


# The cheapest parameters of each kind (no charts: the walk checks who may, not the look).
BRIEF_PARAMS: dict[str, Callable[[World], dict]] = {
    "compare": lambda w: {"provision": "sexual-crimes-act:14-2"},
    "institution": lambda w: {"id": _institution(w)},
    "incident": lambda w: {"id": w.incident_id},
    "advocacy": lambda w: {"date_from": "2024-01-01"},
}


def _brief(w: World, a: User | None, kind: str) -> brief_records.GeneratedBrief:
    params = BRIEF_PARAMS[kind](w)
    return brief_records.generate_brief(
        w.session, actor=a, kind=kind, lang="ko", params=params, render_charts=False
    )


def _brief_record(kind: str) -> Callable[[World], int]:
    return lambda w: _once(w, f"brief_{kind}", lambda: _brief(w, w.factory.admin, kind).record.id)


def _import_plan(w: World, csv: str = "") -> import_report.ImportReport:
    """A fresh dry-run report with a new institution (writing one twice would import its
    rows twice)."""
    csv = csv or (
        "title,reported_on,institution,institution_kind,region\n"
        f"권한 시험 {next(_n)},2024-09-01,권한대학교 {next(_n)},university,seoul\n"
    )
    return imports.import_incidents(
        w.session,
        actor=w.factory.admin,
        filename="권한.csv",
        data=csv.encode(),
        dry_run=True,
        create_institutions=True,
    )


def _no_progress(fraction: float, phase: str) -> None:
    return None


S = "session"
CASES: dict[str, list[Case]] = {
    "casebook.access.totp.begin_totp": [
        Case(
            "account.enrol", lambda w, a: account.begin_totp(w.session, actor=a, password=PASSWORD)
        )
    ],
    "casebook.access.totp.confirm_totp": [Case("account.enrol", _totp_confirm)],
    "casebook.access.totp.sign_out_everywhere": [
        Case("account.enrol", lambda w, a: account.sign_out_everywhere(w.session, actor=a))
    ],
    "casebook.access.totp.disable_totp": [
        Case(
            "account.self", lambda w, a: account.disable_totp(w.session, actor=a, password=PASSWORD)
        )
    ],
    "casebook.access.totp.reset_totp": [
        Case(
            "user.manage", lambda w, a: account.reset_totp(w.session, actor=a, user_id=w.target_id)
        )
    ],
    "casebook.access.totp.set_totp_policy": [
        Case(
            "security.policy",
            lambda w, a: account.set_totp_policy(w.session, actor=a, roles=["admin"]),
        )
    ],
    "casebook.access.audit.audit_choices": [
        Case("audit.read", lambda w, a: audit.audit_choices(w.session, actor=a))
    ],
    "casebook.access.audit.check_chain": [
        Case("audit.read", lambda w, a: audit.check_chain(w.session, actor=a))
    ],
    "casebook.access.audit.audit_page": [
        Case("audit.read", lambda w, a: audit.audit_page(w.session, actor=a))
    ],
    "casebook.access.audit.list_audit": [
        Case("audit.read", lambda w, a: audit.list_audit(w.session, actor=a))
    ],
    "casebook.ops.backup.create_backup": [
        Case(
            "backup.manage",
            lambda w, a: backup.create_backup(
                w.session,
                actor=a,
                path=w.tmp / f"b{next(_n)}.zip",
                passphrase="permission-test-passphrase",
            ),
        )
    ],
    "casebook.ops.demo.load_demo": [
        Case("demo.manage", lambda w, a: demo.load_demo(w.session, actor=a))
    ],
    "casebook.ops.demo.remove_demo": [
        Case("demo.manage", lambda w, a: demo.remove_demo(w.session, actor=a))
    ],
    "casebook.incidents.erasure.purge_incident_details": [
        Case(
            "incident.purge",
            lambda w, a: erasure.purge_incident_details(
                w.session, actor=a, incident_id=w.incident_id
            ),
        )
    ],
    "casebook.incidents.erasure.purge_incident": [
        Case(
            "incident.purge",
            lambda w, a: erasure.purge_incident(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.queries.iter_incident_ids": [
        Case(
            "incident.read",
            lambda w, a: list(
                incident_queries.iter_incident_ids(
                    w.session, actor=a, filters=incident_queries.IncidentFilter()
                )
            ),
        )
    ],
    "casebook.incidents.queries.list_incidents": [
        Case("incident.read", lambda w, a: incident_queries.list_incidents(w.session, actor=a))
    ],
    "casebook.incidents.store.get_incident": [
        Case(
            "incident.read",
            lambda w, a: incidents.get_incident(w.session, actor=a, incident_id=w.incident_id),
        ),
        Case(
            "incident.victim_details",
            lambda w, a: incidents.get_incident(
                w.session, actor=a, incident_id=w.incident_id, reveal_victim=True
            ),
        ),
    ],
    "casebook.incidents.store.record_incident": [
        Case(
            "incident.write",
            lambda w, a: incidents.record_incident(w.session, actor=a, data=_incident(w)),
        )
    ],
    "casebook.incidents.store.update_incident": [
        Case(
            "incident.write",
            lambda w, a: incidents.update_incident(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                expected_version=incidents.get_incident(
                    w.session, actor=w.factory.admin, incident_id=w.incident_id
                ).incident.version,
                data=_incident(w),
            ),
        )
    ],
    "casebook.incidents.institutions.create_institution": [
        Case(
            "institution.write",
            lambda w, a: institutions.create_institution(
                w.session,
                actor=a,
                data={"name": f"기관 {next(_n)}", "kind": "university", "region": "seoul"},
            ),
        )
    ],
    "casebook.access.keys.rotate_keys": [
        Case(
            "keys.manage",
            lambda w, a: keys.rotate_keys(w.session, actor=a, out=w.tmp / f"k{next(_n)}"),
        )
    ],
    "casebook.analytics.overview.overview": [
        Case("dashboard.read", lambda w, a: overview.overview(w.session, actor=a))
    ],
    "casebook.access.users.change_password": [
        Case(
            "account.self",
            lambda w, a: users.change_password(
                w.session, actor=a, current_password=PASSWORD, new_password=PASSWORD
            ),
        )
    ],
    "casebook.access.users.create_user": [
        Case(
            "user.manage",
            lambda w, a: users.create_user(
                w.session,
                actor=a,
                data={"username": f"made{next(_n)}", "role": "viewer", "password": PASSWORD},
            ),
        )
    ],
    "casebook.access.users.list_users": [
        Case("user.manage", lambda w, a: users.list_users(w.session, actor=a))
    ],
    "casebook.access.users.set_password": [
        Case(
            "user.manage",
            lambda w, a: users.set_password(
                w.session, actor=a, user_id=w.target_id, new_password=PASSWORD
            ),
        )
    ],
    "casebook.access.users.unlock_user": [
        Case("user.manage", lambda w, a: users.unlock_user(w.session, actor=a, user_id=w.target_id))
    ],
    "casebook.access.users.update_user": [
        Case(
            "user.manage",
            lambda w, a: users.update_user(
                w.session, actor=a, user_id=w.target_id, can_see_victim_details=True
            ),
        )
    ],
    "casebook.incidents.evidence.list_evidence": [
        Case(
            "incident.read",
            lambda w, a: evidence.list_evidence(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.legal_links.list_links": [
        Case(
            "incident.read",
            lambda w, a: legal_links.list_links(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.legal_links.add_link": [
        Case(
            "legal_link.write",
            lambda w, a: legal_links.add_link(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                conduct="view",
                basis="now",
                version_id="sexual-crimes-act:14-2@2024-10-16",
                note="권한 시험",
            ),
        )
    ],
    "casebook.incidents.rooms.list_rooms": [
        Case("institution.read", lambda w, a: rooms.list_rooms(w.session, actor=a))
    ],
    "casebook.incidents.rooms.create_room": [
        Case(
            "room.write",
            lambda w, a: rooms.create_room(
                w.session,
                actor=a,
                data={"platform": "telegram", "kind": "group", "label": f"방 {next(_n)}"},
            ),
        )
    ],
    "casebook.incidents.takedowns.list_takedowns": [
        Case(
            "incident.read",
            lambda w, a: takedowns.list_takedowns(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.takedowns.request_takedown": [
        Case(
            "takedown.write",
            lambda w, a: takedowns.request_takedown(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                platform="telegram",
                requested_on=date(2024, 9, 2),
            ),
        )
    ],
    "casebook.incidents.tasks.add_task": [
        Case(
            "task.write",
            lambda w, a: tasks.add_task(
                w.session, actor=a, incident_id=w.incident_id, title="권한 시험"
            ),
        )
    ],
    "casebook.incidents.tasks.update_task": [
        Case(
            "task.write",
            lambda w, a: tasks.update_task(
                w.session,
                actor=a,
                task_id=w.arg,
                expected_version=1,
                title="고침",
                assignee_id=None,
                due_on=date(2024, 9, 9),
            ),
            setup=_task,
        )
    ],
    "casebook.incidents.tasks.set_task_done": [
        Case(
            "task.write",
            lambda w, a: tasks.set_task_done(
                w.session, actor=a, task_id=w.arg, done_on=date(2024, 9, 9)
            ),
            setup=_task,
        )
    ],
    "casebook.incidents.tasks.list_tasks": [
        Case(
            "due.read", lambda w, a: tasks.list_tasks(w.session, actor=a, incident_id=w.incident_id)
        )
    ],
    "casebook.incidents.deadlines.incident_deadlines": [
        Case(
            "due.read",
            lambda w, a: deadlines.incident_deadlines(
                w.session, actor=a, incident_id=w.incident_id
            ),
        )
    ],
    "casebook.incidents.deadlines.start_deadline": [
        Case(
            "deadline.write",
            lambda w, a: deadlines.start_deadline(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                rule_id="ruling",
                trigger_on=_fresh_day(),
            ),
        )
    ],
    "casebook.incidents.deadlines.add_limitation": [
        Case(
            "deadline.write",
            lambda w, a: deadlines.add_limitation(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                act_ended_on=_fresh_day(),
                prison_max_years=7,
            ),
        )
    ],
    "casebook.incidents.deadlines.confirm_deadline": [
        Case(
            "deadline.write",
            lambda w, a: deadlines.confirm_deadline(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                rule_id="ruling",
                trigger_on=w.arg.trigger_on,
                due_on=w.arg.due_on,
                expected_version=w.arg.version,
            ),
            setup=_deadline,
        )
    ],
    "casebook.incidents.deadlines.set_deadline_done": [
        Case(
            "deadline.write",
            lambda w, a: deadlines.set_deadline_done(
                w.session, actor=a, deadline_id=w.arg.id, done_on=date(2024, 9, 9)
            ),
            setup=_deadline,
        )
    ],
    "casebook.incidents.deadlines.assign_deadline": [
        Case(
            "deadline.write",
            lambda w, a: deadlines.assign_deadline(
                w.session, actor=a, deadline_id=w.arg.id, assignee_id=None
            ),
            setup=_deadline,
        )
    ],
    "casebook.incidents.removals.request_removals": [
        Case(
            "takedown.write",
            lambda w, a: removals.request_removals(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                locations=[f"@post/{next(_n)}"],
                location_kind="post",
                channel="regulator",
                requested_on=date(2024, 9, 2),
            ),
        )
    ],
    "casebook.incidents.removals.add_removal_step": [
        Case(
            "takedown.write",
            lambda w, a: removals.add_removal_step(
                w.session, actor=a, request_id=w.arg, step="blocked", occurred_on=date(2024, 9, 4)
            ),
            setup=_removed,
        )
    ],
    "casebook.incidents.removals.record_recheck": [
        Case(
            "takedown.write",
            lambda w, a: removals.record_recheck(
                w.session,
                actor=a,
                request_id=w.arg,
                checked_on=date(2024, 9, 10),
                result="reuploaded",
                new_location="@post/2",
            ),
            setup=_removed,
        )
    ],
    "casebook.incidents.removals.due_rechecks": [
        Case("due.read", lambda w, a: removals.due_rechecks(w.session, actor=a))
    ],
    "casebook.incidents.removals.removal_requests": [
        Case(
            "due.read",
            lambda w, a: removals.removal_requests(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.due.what_is_due": [
        Case("due.read", lambda w, a: due.what_is_due(w.session, actor=a, scope="group")),
        Case("due.read", lambda w, a: due.what_is_due(w.session, actor=a, scope="mine")),
    ],
    "casebook.incidents.due.due_count": [
        Case("due.read", lambda w, a: due.due_count(w.session, actor=a))
    ],
    "casebook.incidents.due.calendar_feed": [
        Case("due.read", lambda w, a: due.calendar_feed(w.session, actor=a))
    ],
    "casebook.incidents.due.assignable_users": [
        Case("due.read", lambda w, a: due.assignable_users(w.session, actor=a))
    ],
    "casebook.incidents.workflow.timeline": [
        Case(
            "incident.read",
            lambda w, a: workflow.timeline(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.workflow.add_event": [
        Case(
            "incident.write",
            lambda w, a: workflow.add_event(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                kind="note",
                occurred_on=date(2024, 9, 3),
                note="권한 시험",
                expected_version=incidents.get_incident(
                    w.session, actor=w.factory.admin, incident_id=w.incident_id
                ).incident.version,
            ),
        )
    ],
    "casebook.analytics.dashboards.dashboard": [
        Case(
            "dashboard.read",
            lambda w, a: analytics.dashboard(w.session, actor=a, filters=AnalyticsFilter()),
        )
    ],
    "casebook.analytics.dashboards.stats_summary": [
        Case(
            "dashboard.read",
            lambda w, a: analytics.stats_summary(w.session, actor=a, filters=AnalyticsFilter()),
        )
    ],
    "casebook.analytics.dashboards.data_version": [
        Case("dashboard.read", lambda w, a: analytics.data_version(w.session, actor=a))
    ],
    "casebook.analytics.statistics.comparison": [
        Case(
            "dashboard.read",
            lambda w, a: analytics_national.comparison(
                w.session, actor=a, filters=AnalyticsFilter()
            ),
        )
    ],
    "casebook.briefs.records.list_records": [
        Case("brief.advocacy", lambda w, a: brief_records.list_records(w.session, actor=a))
    ],
    "casebook.incidents.evidence.register_evidence": [
        Case(
            "evidence.write",
            lambda w, a: evidence.register_evidence(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                data=f"권한 시험 {next(_n)}".encode(),
                media_type="application/octet-stream",
            ),
        )
    ],
    "casebook.importing.export.export_incidents": [
        Case(
            "incident.export",
            lambda w, a: exports.export_incidents(w.session, actor=a, out=io.BytesIO(), fmt="csv"),
        )
    ],
    "casebook.importing.run.import_incidents": [
        Case(
            "incident.import",
            lambda w, a: imports.import_incidents(
                w.session,
                actor=a,
                filename="권한.csv",
                dry_run=True,
                data="title,reported_on\n권한 시험,2024-09-01\n".encode(),
            ),
        )
    ],
    "casebook.briefs.compare.collect_compare": [
        Case(
            "brief.compare",
            lambda w, a: brief_compare.collect_compare(
                actor=a, provision_id="sexual-crimes-act:14-2"
            ),
        )
    ],
    "casebook.briefs.incident.collect_incident": [
        Case(
            "brief.incident",
            lambda w, a: brief_incident.collect_incident(
                w.session, actor=a, incident_id=w.incident_id, as_of=date(2025, 1, 1)
            ),
        )
    ],
    "casebook.briefs.advocacy_data.collect_advocacy": [
        Case(
            "brief.advocacy",
            lambda w, a: brief_advocacy.collect_advocacy(
                w.session, actor=a, params={}, as_of=date(2025, 1, 1)
            ),
        )
    ],
    "casebook.incidents.evidence.add_custody_event": [
        Case(
            "evidence.write",
            lambda w, a: evidence.add_custody_event(
                w.session, actor=a, evidence_id=w.arg, action="received", note="권한 시험"
            ),
            setup=_evidence,
        )
    ],
    "casebook.incidents.institutions.merge_institutions": [
        Case(
            "institution.merge",
            lambda w, a: institutions.merge_institutions(
                w.session, actor=a, source_id=w.arg[0], target_id=w.arg[1]
            ),
            setup=_institution_pair,
        )
    ],
    "casebook.incidents.institutions.update_institution": [
        Case(
            "institution.write",
            lambda w, a: institutions.update_institution(
                w.session,
                actor=a,
                institution_id=w.arg,
                expected_version=w.session.get(Institution, w.arg).version,
                data={"name": f"기관 {next(_n)}", "kind": "university", "region": "busan"},
            ),
            setup=_institution,
        )
    ],
    "casebook.incidents.legal_links.set_link_state": [
        Case(
            "legal_link.write",
            lambda w, a: legal_links.set_link_state(
                w.session, actor=a, link_id=w.arg, state="confirmed"
            ),
            setup=_link,
        )
    ],
    "casebook.incidents.rooms.get_room": [
        Case(
            "institution.read",
            lambda w, a: rooms.get_room(w.session, actor=a, room_id=w.arg),
            setup=_room,
        ),
        Case(
            "room.write",
            lambda w, a: rooms.get_room(w.session, actor=a, room_id=w.arg, reveal=True),
            setup=_room,
        ),
    ],
    "casebook.incidents.rooms.observe_members": [
        Case(
            "room.write",
            lambda w, a: rooms.observe_members(
                w.session, actor=a, room_id=w.arg, observed_on=date(2024, 9, 4), members=10
            ),
            setup=_room,
        )
    ],
    "casebook.incidents.takedowns.resolve_takedown": [
        Case(
            "takedown.write",
            lambda w, a: takedowns.resolve_takedown(
                w.session,
                actor=a,
                takedown_id=w.arg,
                outcome="removed",
                resolved_on=date(2024, 9, 5),
            ),
            setup=_takedown,
        )
    ],
    "casebook.briefs.institution.collect_institution": [
        Case(
            "brief.institution",
            lambda w, a: brief_institution.collect_institution(
                w.session, actor=a, institution_id=w.arg, as_of=date(2025, 1, 1)
            ),
            setup=_institution,
        )
    ],
    "casebook.briefs.records.generate_brief": [
        Case(f"brief.{kind}", lambda w, a, kind=kind: _brief(w, a, kind)) for kind in BRIEF_PARAMS
    ],
    "casebook.briefs.records.generate_briefs": [
        Case(
            f"brief.{kind}",
            lambda w, a, kind=kind: brief_records.generate_briefs(
                w.session,
                actor=a,
                kind=kind,
                lang="ko",
                params=BRIEF_PARAMS[kind](w),
                render_charts=False,
            ),
        )
        for kind in BRIEF_PARAMS
    ],
    "casebook.briefs.records.regenerate": [
        Case(
            f"brief.{kind}",
            lambda w, a: brief_records.regenerate(w.session, actor=a, record_id=w.arg),
            setup=_brief_record(kind),
        )
        for kind in ("compare", "incident")
    ],
    "casebook.importing.export.export_bytes": [
        Case("incident.export", lambda w, a: exports.export_bytes(w.session, actor=a, fmt="json")),
        Case(
            "incident.victim_details",
            lambda w, a: exports.export_bytes(w.session, actor=a, fmt="csv", include_victim=True),
        ),
    ],
    "casebook.importing.write.write_report": [
        Case(
            "incident.import",
            lambda w, a: import_write.write_report(
                w.session, actor=a, report=w.arg, progress=_no_progress
            ),
            setup=_import_plan,
        )
    ],
}

EXEMPT = {
    # Appends the trail for a caller that has already checked its own action.
    "casebook.incidents.confidential.case_access": [
        Case(
            "incident.text",
            lambda w, a: confidential.case_access(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.confidential.set_confidential": [
        Case(
            "incident.write",
            lambda w, a: confidential.set_confidential(
                w.session, actor=a, incident_id=w.incident_id, confidential=False, team=[]
            ),
        )
    ],
    "casebook.incidents.consent.get_consent": [
        Case(
            "incident.read",
            lambda w, a: consent.get_consent(w.session, actor=a, incident_id=w.incident_id),
        )
    ],
    "casebook.incidents.consent.record_consent": [
        Case(
            "incident.write",
            lambda w, a: consent.record_consent(
                w.session,
                actor=a,
                incident_id=w.incident_id,
                given_on=date(2024, 9, 2),
                agreed={"statistics": True},
            ),
        )
    ],
    "casebook.access.audit.record": "not an action: the writer of the audit trail",
    "casebook.access.audit.record_many": "not an action: the bulk writer of the audit trail",
}

ACTORS = ["admin", "lawyer", "advocate", "advocate_granted", "viewer", "inactive_admin", None]


def allowed(actor_kind: str | None, action: str) -> bool:
    """The expectation, read from MATRIX plus the two rules DESIGN.md states in words."""
    if actor_kind is None or actor_kind == "inactive_admin":
        return False  # anonymous visitors and deactivated users may do nothing
    if action == "incident.victim_details" and actor_kind == "advocate_granted":
        return True  # advocates see victim contact details only when granted
    role = actor_kind.removesuffix("_granted")
    return role in MATRIX[action]


def _guarded_functions() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(casebook.__path__, "casebook."):
        if ".commands" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != info.name or name.startswith("_"):
                continue
            param = inspect.signature(fn).parameters.get("actor")
            if param is not None and param.kind is inspect.Parameter.KEYWORD_ONLY:
                found.add(f"{info.name}.{name}")
    return found


def test_every_guarded_function_is_listed() -> None:
    found = _guarded_functions()
    missing = found - set(CASES) - set(EXEMPT)
    assert not missing, f"add these to tests/access/test_permissions.py CASES: {sorted(missing)}"
    assert not (set(CASES) - found), "listed functions that are gone"


def test_every_case_names_a_matrix_action() -> None:
    assert all(c.action in MATRIX for cases in CASES.values() for c in cases)


def test_matrix_follows_the_design_role_table() -> None:
    own = ("account.self", "account.enrol")
    writes = {a for a in MATRIX if not a.endswith((".read",)) and a not in own}
    assert all("viewer" not in MATRIX[a] for a in writes), "viewers may not write anything"
    assert all("admin" in roles for roles in MATRIX.values()), "admins may do everything"
    assert "lawyer" not in MATRIX["user.manage"] and "advocate" not in MATRIX["user.manage"]
    assert MATRIX["incident.victim_details"] == {"admin", "lawyer"}
    assert MATRIX["audit.read"] == MATRIX["backup.manage"] == {"admin"}


@pytest.fixture
def world(session, factory, tmp_path, monkeypatch) -> tuple[World, dict]:
    monkeypatch.setattr(demo, "SYNTHETIC_COUNT", 2)
    admin = factory.admin
    actors: dict[str | None, User | None] = {
        "admin": admin,
        "lawyer": factory.user(role="lawyer"),
        "advocate": factory.user(role="advocate"),
        "advocate_granted": factory.user(role="advocate", can_see_victim_details=True),
        "viewer": factory.user(role="viewer"),
        "inactive_admin": factory.user(role="admin"),
        None: None,
    }
    users.update_user(session, actor=admin, user_id=actors["inactive_admin"].id, active=False)
    actors["inactive_admin"] = session.get(User, actors["inactive_admin"].id)
    target = factory.user(role="viewer")
    inc = factory.incident(victim_contact="010-0000-0000")
    return World(session, factory, tmp_path, inc.id, target.id), actors


def _audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditLog)).one()


@pytest.mark.parametrize("name", sorted(CASES))
def test_function_enforces_the_matrix(world, name: str) -> None:
    w, actors = world
    for case in CASES[name]:
        for kind in ACTORS:
            actor = actors[kind]
            w.arg = case.setup(w) if case.setup else None
            before = _audit_count(w.session)
            if allowed(kind, case.action):
                try:
                    case.call(w, actor)
                except PermissionDenied:
                    pytest.fail(f"{name} refused {kind} ({case.action})")
                except Exception as exc:
                    if not (case.allowed_error and isinstance(exc, case.allowed_error)):
                        raise
            else:
                with pytest.raises(PermissionDenied):
                    case.call(w, actor)
                w.session.rollback()
                assert _audit_count(w.session) == before, f"{name} wrote for {kind}"


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.exec(select(func.count()).select_from(t)).one()
        for t in (AuditLog, BriefRecord, Incident, Institution)
    )


def test_refused_before_the_input_is_read(world) -> None:
    """Functions that check their input are refused first: a refused actor gets
    PermissionDenied whatever it sends, nothing is written and nothing is told."""
    w, actors = world
    bad_report = _import_plan(w, "title,reported_on\n,not-a-date\n")
    assert not bad_report.ok
    before = _counts(w.session)
    calls = [
        (brief_records.generate_brief, {"kind": "no-such-kind", "lang": "xx", "params": {}}),
        (brief_records.regenerate, {"record_id": 10**9}),
        (import_write.write_report, {"report": bad_report, "progress": _no_progress}),
    ]
    for kind in ("viewer", "inactive_admin", None):
        for fn, kwargs in calls:
            with pytest.raises(PermissionDenied):
                fn(w.session, actor=actors[kind], **kwargs)
            w.session.rollback()
    # An advocate may make some briefs, but not an incident brief: refused before the
    # (unreadable) incident id is looked at.
    with pytest.raises(PermissionDenied):
        brief_records.generate_brief(
            w.session,
            actor=actors["advocate"],
            kind="incident",
            lang="ko",
            params={"id": "not a number"},
        )
    assert _counts(w.session) == before
    # Allowed actors still get the input errors they got before.
    admin = actors["admin"]
    with pytest.raises(InvalidInput) as err:
        brief_records.generate_brief(
            w.session, actor=admin, kind="no-such-kind", lang="ko", params={}
        )
    assert err.value.problems == {"kind": "errors.unknown_value"}
    with pytest.raises(NotFound):
        brief_records.regenerate(w.session, actor=admin, record_id=10**9)
    assert _counts(w.session) == before


_DUMMY = {
    "int": 1,
    "str": "x",
    "date": date(2024, 9, 1),
    "bytes": b"x",
    "dict": {},
    "list": [],
    "bool": False,
}


def _dummy_kwargs(fn: Callable) -> dict[str, Any]:
    """Placeholder values for required keyword arguments: the permission check comes first."""
    out = {}
    for name, param in inspect.signature(fn).parameters.items():
        if param.kind is inspect.Parameter.KEYWORD_ONLY and param.default is param.empty:
            kind = str(param.annotation).split("|")[0].strip().split("[")[0]
            out[name] = _DUMMY.get(kind)
    return out


@pytest.mark.parametrize("name", sorted(_guarded_functions() - set(EXEMPT)))
def test_every_guarded_function_refuses_anonymous_and_inactive(world, name: str) -> None:
    w, actors = world
    module, _, attr = name.rpartition(".")
    fn = getattr(importlib.import_module(module), attr)
    params = inspect.signature(fn).parameters
    for kind in (None, "inactive_admin"):
        kwargs = _dummy_kwargs(fn) | {"actor": actors[kind]}
        if "session" in params and params["session"].kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs["session"] = w.session
            args: tuple = ()
        else:
            args = (w.session,) if "session" in params else ()
        with pytest.raises(PermissionDenied):
            result = fn(*args, **kwargs)
            if inspect.isgenerator(result):
                list(result)
        w.session.rollback()


# ---------------------------------------------------------------------------------------
# What each role gets back (issue 19): every read of an incident, for every role, on an
# open incident and on a confidential one, against casebook.access.visibility's rule.

MARK = "표식MARK"
WALK_ROLES = ("admin", "lawyer", "advocate", "viewer", "team_lawyer", "team_viewer")


@dataclass
class Marked:
    """An incident with the marker in every free-text field and every row hanging off it."""

    session: Session
    actors: dict[str, User]
    open_id: int
    secret_id: int


def _mark_incident(session: Session, factory: Any) -> int:
    admin = factory.admin
    inst = factory.institution(name=f"{MARK} 대학교")
    inc = factory.incident(
        title=f"{MARK} 제목",
        summary=f"{MARK} 요약",
        notes=f"{MARK} 메모",
        suspect_relation=f"{MARK} 관계",
        tags=[f"{MARK}태그"],
        external_id=f"{MARK}-{next(_n)}",
        sources=[{"title": f"{MARK} 출처", "url": "https://example.org/a"}],
        institution_ids=[inst.id],
        victim_contact=f"{MARK} 연락처",
    )
    ev = evidence.register_evidence(
        session, actor=admin, incident_id=inc.id, data=b"x" * 9, note=f"{MARK} 증거"
    )
    evidence.add_custody_event(
        session, actor=admin, evidence_id=ev.evidence.id, action="transferred", note=f"{MARK} 인계"
    )
    version = session.get(Incident, inc.id).version
    workflow.add_event(
        session,
        actor=admin,
        incident_id=inc.id,
        expected_version=version,
        kind="note",
        occurred_on=date(2024, 9, 3),
        note=f"{MARK} 경과",
        sentence=f"{MARK} 선고",
    )
    link = session.exec(select(LegalLink).where(LegalLink.incident_id == inc.id)).first()
    legal_links.set_link_state(
        session, actor=admin, link_id=link.id, state="confirmed", note=f"{MARK} 법률 메모"
    )
    takedowns.request_takedown(
        session,
        actor=admin,
        incident_id=inc.id,
        platform="telegram",
        requested_on=date(2024, 9, 2),
        requested_by=f"{MARK} 요청자",
        note=f"{MARK} 삭제",
    )
    return inc.id


@pytest.fixture
def marked(session, factory) -> Marked:
    actors = {
        r: (factory.admin if r == "admin" else factory.user(role=r.removeprefix("team_")))
        for r in WALK_ROLES
    }
    open_id, secret_id = _mark_incident(session, factory), _mark_incident(session, factory)
    team = [actors["team_lawyer"].id, actors["team_viewer"].id]
    confidential.set_confidential(
        session, actor=factory.admin, incident_id=secret_id, confidential=True, team=team
    )
    return Marked(session, actors, open_id, secret_id)


def _paths(value: Any, prefix: str = "") -> set[str]:
    """Dotted paths (list positions left out) of every string holding the marker."""
    if isinstance(value, str):
        return {prefix} if MARK in value else set()
    if isinstance(value, list | tuple):
        return set().union(*(_paths(v, prefix) for v in value)) if value else set()
    if isinstance(value, dict):
        return set().union(*(_paths(v, f"{prefix}.{k}".lstrip(".")) for k, v in value.items()))
    if hasattr(value, "__dataclass_fields__"):
        return _paths({f: getattr(value, f) for f in value.__dataclass_fields__}, prefix)
    if hasattr(type(value), "model_fields"):
        return _paths({f: getattr(value, f) for f in type(value).model_fields}, prefix)
    return set()


def _export(m: Marked, a: User, incident_id: int) -> Any:
    data, _ = exports.export_bytes(m.session, actor=a, fmt="json")
    return [r for r in json.loads(data)["incidents"] if r["id"] == incident_id]


def _listed(m: Marked, a: User, incident_id: int) -> Any:
    rows = incident_queries.list_incidents(m.session, actor=a, page_size=500).rows
    return [r for r in rows if r.id == incident_id]


def _incident_brief(m: Marked, a: User, incident_id: int) -> Any:
    data = brief_incident.collect_incident(
        m.session, actor=a, incident_id=incident_id, as_of=date(2025, 1, 1)
    )
    return dataclasses.replace(data, secret=None)  # the secret only redacts, never printed


# Each read: how to call it, the permission it needs first, what a full reader gets back
# with the marker (the free text of FREE_TEXT, by the read's own field names), and whether
# a hidden incident is left out of a list ([]) rather than NotFound.
@dataclass(frozen=True)
class Read:
    call: Callable[[Marked, User, int], Any]
    action: str
    full: frozenset[str]
    lists: bool = False


READS: dict[str, Read] = {
    "casebook.incidents.store.get_incident": Read(
        lambda m, a, i: incidents.get_incident(m.session, actor=a, incident_id=i),
        "incident.read",
        frozenset(
            {
                "incident.title",
                "incident.summary",
                "incident.notes",
                "incident.suspect_relation",
                "incident.tags",
                "incident.sources.title",
                "incident.external_id",
                "institutions.name",
            }
        ),
    ),
    "casebook.incidents.queries.list_incidents": Read(
        _listed, "incident.read", frozenset({"title"}), lists=True
    ),
    "casebook.incidents.evidence.list_evidence": Read(
        lambda m, a, i: evidence.list_evidence(m.session, actor=a, incident_id=i),
        "incident.read",
        frozenset({"evidence.note", "custody.note"}),
    ),
    "casebook.incidents.legal_links.list_links": Read(
        lambda m, a, i: legal_links.list_links(m.session, actor=a, incident_id=i),
        "incident.read",
        frozenset({"link.note"}),
    ),
    "casebook.incidents.takedowns.list_takedowns": Read(
        lambda m, a, i: takedowns.list_takedowns(m.session, actor=a, incident_id=i),
        "incident.read",
        frozenset({"requested_by", "note"}),
    ),
    "casebook.incidents.workflow.timeline": Read(
        lambda m, a, i: workflow.timeline(m.session, actor=a, incident_id=i),
        "incident.read",
        frozenset({"note", "sentence"}),
    ),
    "casebook.incidents.consent.get_consent": Read(
        lambda m, a, i: consent.get_consent(m.session, actor=a, incident_id=i),
        "incident.read",
        frozenset(),
    ),
    "casebook.importing.export.export_bytes": Read(
        _export,
        "incident.export",
        frozenset({"title", "summary", "external_id", "institution"}),
        lists=True,
    ),
    "casebook.briefs.incident.collect_incident": Read(
        _incident_brief,
        "brief.incident",
        frozenset(
            {
                "incident.title",
                "incident.summary",
                "incident.notes",
                "incident.suspect_relation",
                "incident.tags",
                "incident.sources.title",
                "incident.external_id",
                "institutions.name",
                "evidence.note",
                "events.note",
                "events.sentence",
                "links.note",
                "takedowns.requested_by",
                "takedowns.note",
            }
        ),
    ),
}


def _may(role: str, action: str) -> bool:
    return role.removeprefix("team_") in MATRIX[action]


def _level(role: str, confidential_: bool) -> str:
    return level_for(
        role.removeprefix("team_"), confidential=confidential_, on_team=role.startswith("team_")
    )


def test_every_incident_read_is_walked() -> None:
    """Every guarded function that reads one incident's rows or a list of incidents."""
    readers = {
        name
        for name, cases in CASES.items()
        if isinstance(cases, list)
        and name.startswith(
            ("casebook.incidents.", "casebook.importing.export.", "casebook.briefs.incident.")
        )
        and any(c.action in ("incident.read", "incident.export", "brief.incident") for c in cases)
    }
    # Ids only, and the writer export_bytes calls: both walked through export_bytes.
    walked_elsewhere = {
        "casebook.incidents.queries.iter_incident_ids",
        "casebook.importing.export.export_incidents",
    }
    missing = readers - walked_elsewhere - set(READS)
    assert not missing, sorted(missing)


@pytest.mark.parametrize("name", sorted(READS))
def test_what_each_role_gets_back(marked, name: str) -> None:
    read, m = READS[name], marked
    for role in WALK_ROLES:
        actor = m.actors[role]
        if not _may(role, read.action):
            continue  # test_function_enforces_the_matrix refuses them
        for incident_id, secret in ((m.open_id, False), (m.secret_id, True)):
            level = _level(role, secret)
            where = f"{name} as {role} on a {'confidential' if secret else 'open'} incident"
            if level == "hidden":
                if read.lists:
                    assert read.call(m, actor, incident_id) == [], where
                else:
                    with pytest.raises(NotFound):
                        read.call(m, actor, incident_id)
                continue
            got = _paths(read.call(m, actor, incident_id))
            assert got == (read.full if level == "full" else set()), where
