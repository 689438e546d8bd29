"""casebook.access.visibility: text filters, LIKE escaping, redacted copies (issue 19).

What each role gets back from each read is walked in test_permissions.py; this file
checks the filters and the rule's own edges.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from casebook.access.visibility import FREE_TEXT, escape_like, level_for
from casebook.errors import PermissionDenied
from casebook.incidents.legal_links import add_link, list_links
from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.incidents.store import get_incident
from db.models import Incident, LegalLink


def _ids(session, actor, **filters) -> list[int]:
    page = list_incidents(session, actor=actor, filters=IncidentFilter(**filters))
    return sorted(r.id for r in page.rows)


@pytest.mark.parametrize("field", ["text", "legal_note"])
def test_viewer_text_filters_are_refused_with_a_translated_message(session, factory, field):
    factory.incident()
    with pytest.raises(PermissionDenied) as exc:
        list_incidents(
            session, actor=factory.user("viewer"), filters=IncidentFilter(**{field: "합성물"})
        )
    assert "검색할 수 없습니다" in exc.value.message("ko")
    assert "may not search" in exc.value.message("en")
    # The same filter is fine for a role that reads the text.
    assert _ids(session, factory.user("advocate"), **{field: "합성물"}) is not None


def test_percent_and_underscore_in_the_legal_note_filter_match_themselves(session, factory):
    lawyer = factory.user("lawyer")
    plain, marked = factory.incident(), factory.incident()
    for inc, note in ((plain, "시청죄 검토"), (marked, "감경 50% 검토_1")):
        link = session.exec(select(LegalLink).where(LegalLink.incident_id == inc.id)).first()
        add_link(
            session,
            actor=lawyer,
            incident_id=inc.id,
            conduct=link.conduct,
            version_id=link.version_id,
            basis=link.basis,
            note=note,
        )
    # Before the fix a bare "%" matched every incident with any note.
    assert _ids(session, lawyer, legal_note="%") == [marked.id]
    assert _ids(session, lawyer, legal_note="_1") == [marked.id]
    assert _ids(session, lawyer, legal_note="50%") == [marked.id]
    assert _ids(session, lawyer, legal_note="검토") == sorted([plain.id, marked.id])


def test_escape_like() -> None:
    assert escape_like("a%b_c\\d") == "a\\%b\\_c\\\\d"


def test_a_redacted_copy_leaves_the_stored_row_alone(session, factory):
    inc = factory.incident(notes="내부 메모", tags=["태그"])
    detail = get_incident(session, actor=factory.user("viewer"), incident_id=inc.id)
    assert (detail.level, detail.incident.notes, detail.incident.tags) == ("redacted", "", [])
    assert detail.incident.victims_count == 3 and detail.conducts
    session.commit()  # a flush of the copy would blank the row; it is not in the session
    session.expire_all()
    stored = session.get(Incident, inc.id)
    assert (stored.notes, stored.tags) == ("내부 메모", ["태그"])
    assert [v.link.note for v in list_links(session, actor=factory.admin, incident_id=inc.id)]


@pytest.mark.parametrize(
    ("role", "confidential", "on_team", "level"),
    [
        ("admin", True, False, "full"),  # admins open everything
        ("lawyer", False, False, "full"),
        ("advocate", False, False, "full"),
        ("viewer", False, False, "redacted"),
        ("lawyer", True, False, "hidden"),
        ("advocate", True, True, "full"),  # the team
        ("viewer", True, True, "redacted"),  # a viewer on a team still reads no text
        ("viewer", True, False, "hidden"),
    ],
)
def test_level_rule(role, confidential, on_team, level) -> None:
    assert level_for(role, confidential=confidential, on_team=on_team) == level


def test_every_redacted_field_exists_on_its_row() -> None:
    from dataclasses import fields

    from casebook.incidents.queries import IncidentRow
    from db.models import CustodyEvent, Evidence, IncidentEvent, Institution, Takedown

    rows = {
        "incident": Incident,
        "institution": Institution,
        "evidence": Evidence,
        "custody": CustodyEvent,
        "event": IncidentEvent,
        "legal_link": LegalLink,
        "takedown": Takedown,
    }
    for kind, hidden in FREE_TEXT.items():
        names = (
            {f.name for f in fields(IncidentRow)}
            if kind == "incident_row"
            else set(rows[kind].model_fields)
        )
        assert set(hidden) <= names, kind
