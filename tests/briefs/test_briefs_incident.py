"""Incident briefs: structure, provisions and penalties, fonts, redaction, hostile input,
records and regeneration."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlmodel import select

from casebook.briefs import generate_brief, incident, regenerate
from casebook.errors import PermissionDenied
from db.models import AuditLog, BriefRecord, Evidence, IncidentEvent
from tests.briefs_helpers import WHEN, all_xml, headings, part, reopen, rows_of, table_text

H1 = {
    "ko": [
        "사실관계",
        "경과",
        "기관과 대화방",
        "행위 당시(2024-08-01) 적용 법조와 법정형",
        "법적 공백",
        "증거 목록(해시값만)",
        "출처",
    ],
    "en": [
        "Facts",
        "Timeline",
        "Institutions and rooms",
        "Provisions that applied on the date of the act (2024-08-01) and their penalties",
        "Legal gaps",
        "Evidence register (hashes only)",
        "Sources",
    ],
}
NAME, CONTACT = "가나다비밀이름", "QZX-7731-unique@contact.example"


def _incident(factory, **overrides):
    inst = factory.institution(name="한빛대학교")
    data = {
        "institution_ids": [inst.id],
        "conducts": ["create", "distribute", "view"],
        "occurred_on": date(2024, 8, 1),
        "reported_on": date(2024, 9, 1),
        "victims_count": 3,
        "victims_minor": 1,
    } | overrides
    return factory.incident(**data)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_incident_brief_sections_provisions_and_penalties(session, factory, lang) -> None:
    inc = _incident(factory)
    session.add(
        IncidentEvent(
            incident_id=inc.id,
            kind="released",
            occurred_on=date(2024, 9, 5),
            reason="only_viewed",
            note="석방",
        )
    )
    session.commit()
    made = generate_brief(
        session,
        actor=factory.admin,
        kind="incident",
        lang=lang,
        params={"id": inc.id},
        generated_at=WHEN,
    )
    doc = reopen(made.content)
    assert not re.search(r"(briefs|vocab)\.[a-z_]+", all_xml(made.content))  # no raw keys
    assert headings(doc, 1) == H1[lang]
    released = {
        "ko": [
            "2024-09-05",
            "석방",
            "석방 / 단순 시청 주장(2024-10-16 전 성인 피해자 대상 시청은 처벌 규정 없음)",
        ],
        "en": [
            "2024-09-05",
            "Released",
            "석방 / 'Only viewed' (no offence for adult victims before 2024-10-16)",
        ],
    }[lang]
    assert released in rows_of(doc)
    assert "그 뒤 바뀐 법" in headings(doc, 2) or "What changed since" in headings(doc, 2)
    rows = rows_of(doc)
    # Creating a deepfake of an adult on 2024-08-01: sexual-crimes-act 14-2 as of 2020-06-25.
    create = [r for r in rows if r[-1] == "sexual-crimes-act:14-2@2020-06-25"]
    assert create, table_text(doc)
    penalty = (
        "5년 이하의 징역 또는 5천만 원 이하의 벌금"
        if lang == "ko"
        else "imprisonment for not more than 5 years or a fine not exceeding 50 million won"
    )
    assert penalty in [r[3] for r in create]
    # Viewing adult material was no offence then; the gap is listed.
    no_offence = "당시 처벌 규정 없음" if lang == "ko" else "No offence at the time"
    view = "시청" if lang == "ko" else "view"
    assert any(r[0].lower().startswith(view) and r[1] == no_offence for r in rows), rows
    # Issue 18: the brief says when the legal knowledge base was last checked.
    checked = {
        "ko": "법령 정보는 2026-06-05까지 공포된 법령을 기준으로 확인했습니다",
        "en": "checked against laws promulgated up to 2026-06-05",
    }[lang]
    assert checked in "\n".join(par.text for par in doc.paragraphs)
    assert "sexual-crimes-act:14-2@2024-10-16" not in [r[-1] for r in create]
    assert doc.core_properties.created.date() == WHEN.date()


def test_fonts_styles_header_footer_and_fields(session, factory) -> None:
    inc = _incident(factory)
    made = generate_brief(
        session,
        actor=factory.admin,
        kind="incident",
        lang="ko",
        params={"id": inc.id},
        generated_at=WHEN,
    )
    styles = part(made.content, "word/styles.xml")
    for style_id in ("Normal", "Heading1", "Heading2", "Heading3", "Caption", "TableGrid"):
        block = re.search(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>', styles, re.S)
        assert block and 'w:eastAsia="Malgun Gothic"' in block.group(0), style_id
        assert "w:eastAsiaTheme" not in block.group(0) and "w:asciiTheme" not in block.group(0)
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="Malgun Gothic"' in defaults and "Theme" not in defaults
    body = part(made.content, "word/document.xml")
    runs = re.findall(r"<w:r>.*?</w:r>", body, re.S)
    assert runs and all('w:eastAsia="Malgun Gothic"' in r for r in runs if "<w:t" in r)
    assert 'TOC \\o "1-3"' in body
    toc = [p.text for p in reopen(made.content).paragraphs if p.text.startswith("사실관계\n")]
    assert toc and toc[0].split("\n")[:3] == ["사실관계", "    개요", "경과"]
    header, footer = part(made.content, "word/header1.xml"), part(made.content, "word/footer1.xml")
    assert "Casebook" in header and "대외비" in header
    assert " PAGE " in footer and "2026-11-25 12:00 UTC" in footer


def test_redacted_brief_has_no_victim_details(session, factory) -> None:
    inc = _incident(
        factory,
        victim_contact=f"{NAME} {CONTACT}",
        notes=f"메모 {NAME}",
        summary=f"{NAME} 학생이 신고했다",
        tags=[NAME],
        suspect_relation=f"{NAME}의 동급생",
    )
    session.add(
        IncidentEvent(
            incident_id=inc.id,
            kind="note",
            occurred_on=date(2024, 9, 2),
            note=f"{NAME}에게 연락 {CONTACT}",
        )
    )
    session.add(
        Evidence(
            incident_id=inc.id,
            sha256="ab" * 32,
            size_bytes=10,
            media_type="image/png",
            note=f"{NAME} 제출",
        )
    )
    session.commit()
    for lang in ("ko", "en"):
        made = generate_brief(
            session,
            actor=factory.admin,
            kind="incident",
            lang=lang,
            params={"id": inc.id},
            generated_at=WHEN,
        )
        xml = all_xml(made.content)
        assert NAME not in xml and CONTACT not in xml and "QZX" not in xml
        assert "ab" * 32 in xml  # the evidence hash is there
    lawyer = factory.user(role="lawyer")
    made = generate_brief(
        session,
        actor=lawyer,
        kind="incident",
        lang="ko",
        params={"id": inc.id, "reveal_victim": True},
        generated_at=WHEN,
    )
    assert CONTACT in all_xml(made.content)
    assert "피해자 식별정보 포함" in part(made.content, "word/header1.xml")


def test_permissions(session, factory) -> None:
    inc = _incident(factory)
    advocate = factory.user(role="advocate", can_see_victim_details=True)
    with pytest.raises(PermissionDenied):
        generate_brief(session, actor=advocate, kind="incident", lang="ko", params={"id": inc.id})
    viewer = factory.user(role="viewer")
    for kind, params in (("advocacy", {}), ("compare", {"provision": "criminal-act:283"})):
        with pytest.raises(PermissionDenied):
            generate_brief(session, actor=viewer, kind=kind, lang="ko", params=params)
    assert session.exec(select(BriefRecord)).all() == []


HOSTILE = "제목\x00\x07\x1b<w:t>]]></w:t>&amp;\ud800 \uffff" + "길" * 50


def test_hostile_text_still_gives_a_valid_document(session, factory) -> None:
    inc = _incident(factory, title="정상 제목", summary="x")
    data = incident.collect_incident(
        session, actor=factory.admin, incident_id=inc.id, as_of=WHEN.date()
    )
    # Past the form's cleaning, straight into the builder: NUL, escapes, surrogates, markup.
    data.incident["title"] = HOSTILE
    data.incident["summary"] = "<w:p>]]>" + "가" * 30000 + "\x0c끝"
    data.incident["tags"] = ["\x00<w:t>", "]]>"]
    data.events.append(
        {
            "kind": "<b>\x01",
            "occurred_on": date(2024, 9, 3),
            "note": "]]>" * 50,
            "sentence": "\ud800",
            "reason": "",
        }
    )
    content = incident.build_incident_brief(data, lang="en", generated_at=WHEN)
    doc = reopen(content)
    subtitle = [p.text for p in doc.paragraphs if p.style.name == "Subtitle"][0]
    assert subtitle == "제목<w:t>]]></w:t>&amp; " + "길" * 50
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "…[truncated]" in text and "끝" not in text
    assert "<w:p>]]>" in text
    assert "<b>" in table_text(doc)


def test_record_audit_and_regenerate(session, factory) -> None:
    inc = _incident(factory)
    made = generate_brief(
        session,
        actor=factory.admin,
        kind="incident",
        lang="ko",
        params={"id": inc.id},
        generated_at=WHEN,
    )
    rec = session.get(BriefRecord, made.record.id)
    assert (rec.kind, rec.lang, rec.created_by_id) == ("incident", "ko", factory.admin.id)
    assert rec.params == {
        "id": inc.id,
        "reveal_victim": False,
        "audience": "internal",
        "charts": True,
        "generated_at": "2026-11-25T12:00:00+00:00",
    }
    assert rec.sha256 == hashlib.sha256(made.content).hexdigest()
    assert rec.filename == f"casebook-incident-{inc.id}-ko-20261125-1200.docx"
    audit = session.exec(select(AuditLog).where(AuditLog.action == "brief.generate")).one()
    assert audit.entity_id == str(rec.id) and audit.after["sha256"] == rec.sha256
    again = regenerate(session, actor=factory.admin, record_id=rec.id)
    assert again.matches_record is True and again.content == made.content
    assert again.record.params["regenerated_from"] == rec.id
    inc.victims_count = 9
    session.add(inc)
    session.commit()
    changed = regenerate(session, actor=factory.admin, record_id=rec.id)
    assert changed.matches_record is False


def test_unreadable_victim_details_withhold_all_free_text(session, factory) -> None:
    inc = _incident(factory, victim_contact=NAME, summary=f"{NAME} 학생이 신고했다")
    inc.victim_contact_enc = "gAAAAA-encrypted-with-a-lost-key"  # decrypts to None
    session.add(inc)
    session.commit()
    made = generate_brief(
        session,
        actor=factory.admin,
        kind="incident",
        lang="en",
        params={"id": inc.id},
        generated_at=WHEN,
    )
    doc = reopen(made.content)
    assert not re.search(r"(briefs|vocab)\.[a-z_]+", all_xml(made.content))  # no raw keys
    assert NAME not in all_xml(made.content)
    summary = [p.text for p in doc.paragraphs][
        [p.text for p in doc.paragraphs].index("Summary") + 1
    ]
    assert summary == "[redacted]"
