"""The one written permission matrix (DESIGN.md, "The people and what they do").

Every domain function that reads sensitive data or writes calls ``require`` with the
acting user; hiding a button in a page is never the only guard. tests/access/test_permissions.py
walks this matrix for every role.
"""

from __future__ import annotations

from typing import Protocol

from casebook.errors import PermissionDenied

ALL = frozenset({"admin", "lawyer", "advocate", "viewer"})
WRITERS = frozenset({"admin", "lawyer", "advocate"})
LEGAL = frozenset({"admin", "lawyer"})
ADMIN = frozenset({"admin"})
# The role a signed-in user acts with until they set up the two-factor sign-in that policy
# requires for their real role (casebook.access.auth.session_actor): they may only do that.
ENROLLING = "enrolling"

MATRIX: dict[str, frozenset[str]] = {
    "incident.read": ALL,
    # Free text and names of incidents (casebook.access.visibility): others get them redacted.
    "incident.text": WRITERS,
    "incident.write": WRITERS,
    "incident.import": WRITERS,
    "incident.export": WRITERS,
    "incident.victim_details": LEGAL,  # advocates only when granted (see can())
    "incident.purge": ADMIN,
    "institution.read": ALL,
    "institution.write": WRITERS,
    "institution.merge": ADMIN,
    "room.write": WRITERS,
    "evidence.write": WRITERS,
    "takedown.write": WRITERS,
    # What is due (issue 22): task texts are free text, so viewers see none of it.
    "due.read": WRITERS,
    "task.write": WRITERS,
    "deadline.write": LEGAL,  # start, confirm or correct a legal deadline
    "legal_link.write": LEGAL,
    "brief.incident": LEGAL,
    "brief.advocacy": WRITERS,
    "brief.institution": WRITERS,
    "brief.compare": WRITERS,
    "dashboard.read": ALL,
    "law.read": ALL,
    "user.manage": ADMIN,
    "audit.read": ADMIN,
    "backup.manage": ADMIN,
    "keys.manage": ADMIN,
    "demo.manage": ADMIN,
    "security.policy": ADMIN,
    "account.self": ALL,  # own password and two-factor settings
    "account.enrol": ALL | {ENROLLING},  # set up two-factor sign-in, sign out everywhere
}


class Actor(Protocol):
    id: int | None
    username: str
    role: str
    active: bool
    can_see_victim_details: bool


def can(actor: Actor | None, action: str) -> bool:
    """Whether ``actor`` may do ``action``; unknown actions are refused."""
    if actor is None or not actor.active:
        return False
    if action == "incident.victim_details" and actor.role == "advocate":
        return bool(actor.can_see_victim_details)
    return actor.role in MATRIX.get(action, frozenset())


def require(actor: Actor | None, action: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(action=action)
