"""Property: any Unicode text in an incident's free-text fields gives an incident brief
that python-docx reopens, in both languages, redacted or revealed."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from casebook.briefs.incident import IncidentData, build_incident_brief, collect_incident

WHEN = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
# Every code point class: controls, surrogates are excluded by hypothesis's text() only
# when they cannot be encoded, so ask for them explicitly too (python-docx refuses them).
ANY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=60),
    st.lists(
        st.sampled_from(
            [
                "\x00",
                "\x0b",
                "\x1f",
                "\ud800",
                "\ufffe",
                "\uffff",
                "가",
                "<w:t>",
                "&amp;",
                "{{ x }}",
                "\u202e",
                "🙂",
            ]
        ),
        max_size=30,
    ).map("".join),
    st.just("합성물 " * 5000),
)
FIELDS = ("title", "summary", "notes", "external_id", "suspect_relation")


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.fixed_dictionaries({f: ANY_TEXT for f in FIELDS}),
    institution=ANY_TEXT,
    event_note=ANY_TEXT,
    contact=ANY_TEXT,
    lang=st.sampled_from(["ko", "en"]),
    reveal=st.booleans(),
)
def test_any_text_gives_a_brief_python_docx_reopens(
    base: IncidentData,
    texts: dict,
    institution: str,
    event_note: str,
    contact: str,
    lang: str,
    reveal: bool,
) -> None:
    inc = base.incident | texts
    data = dataclasses.replace(
        base,
        incident=inc,
        institutions=[i | {"name": institution} for i in base.institutions],
        events=[e | {"note": event_note} for e in base.events],
        reveal=reveal,
        victim_contact=contact if reveal else None,
        secret=contact,
    )
    out = build_incident_brief(data, lang=lang, generated_at=WHEN)
    text = _docx_text(out)
    assert f"#{inc['id']}" in text
    # The law read at the act date is always in the brief, whatever the free text was.
    assert "성폭력범죄의 처벌 등에 관한 특례법" in text or "Sexual" in text


def _seed(session: Session, factory) -> IncidentData:
    admin = factory.admin
    inst = factory.institution(admin, name="새솔고등학교")
    inc = factory.incident(
        admin, occurred_on=date(2024, 8, 1), conducts=["view", "create"], institution_ids=[inst.id]
    )
    return collect_incident(session, actor=admin, incident_id=inc.id, as_of=date(2025, 3, 1))


@pytest.fixture
def base(session: Session, factory) -> IncidentData:
    return _seed(session, factory)
