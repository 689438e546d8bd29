"""HWPX briefs: every kind, in Korean and English, is a valid package that python-hwpx
reopens, and reads back with the same headings, table cells and figures as its DOCX twin;
redaction, fonts, header and footer, records, regeneration and the CLI."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from hwpx import HwpxDocument
from hwpx.tools.package_validator import validate_package
from lxml import etree
from sqlmodel import Session, select

from casebook import cli
from casebook.analytics import charts
from casebook.briefs import generate_briefs, regenerate
from casebook.briefs.records import GeneratedBrief, record_format
from db.models import AuditLog, BriefRecord, Evidence, IncidentEvent, User
from tests.briefs.test_briefs_incident import CONTACT, NAME
from tests.briefs.test_briefs_incident import _incident as incident_with
from tests.briefs.test_briefs_other import PNG, _cases
from tests.briefs_helpers import WHEN, reopen

HWPX_MIMETYPE = b"application/hwp+zip"
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"


@dataclass
class Read:
    """What a reader sees in a brief: headings (level, text) in order, every table's
    cells, the number of figures, and the other paragraphs' text in order (without the
    table of contents, which each editor fills in its own way)."""

    headings: list[tuple[int, str]]
    tables: list[list[list[str]]]
    figures: int
    texts: list[str]


def read_docx(content: bytes) -> Read:
    doc = reopen(content)
    heads = [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in doc.paragraphs
        if p.style.name.startswith("Heading ")
    ]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    texts = [
        p.text
        for p in doc.paragraphs
        if p.text and not p.style.name.startswith("Heading ") and "TOC \\o" not in p._p.xml
    ]
    return Read(heads, tables, len(doc.inline_shapes), texts)


def read_hwpx(content: bytes) -> Read:
    doc = HwpxDocument.open(content)
    outline = {
        sid: int(m.group(1))
        for sid, style in doc.styles.items()
        if (m := re.fullmatch(r"개요 (\d+)", style.name or ""))
    }
    heads = [(outline[p.style_id_ref], p.text) for p in doc.paragraphs if p.style_id_ref in outline]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables.all]
    texts, toc = [], None  # toc: the id of the open TABLEOFCONTENTS field
    for p in doc.paragraphs:
        for el in p.element.iter(f"{HP}fieldBegin", f"{HP}fieldEnd"):
            if el.get("type") == "TABLEOFCONTENTS":
                toc = el.get("id")
            elif toc and el.get("beginIDRef") == toc:
                toc = ""  # closed: this paragraph is the region's last
        if toc is None and p.text and p.style_id_ref not in outline:
            texts.append(p.text)
        toc = None if toc == "" else toc
    return Read(heads, tables, len(doc.media.picture_references()), texts)


def check_package(content: bytes) -> None:
    """python-hwpx's validators, and the package read by hand: mimetype first and
    stored, every XML part well-formed."""
    report = validate_package(content)
    assert report.ok, [str(i) for i in report.errors]
    # The schema check of header.xml and section0.xml: no errors. python-hwpx 6.9.0 puts
    # the bullet list definition (hh:bullets) where the OWPML schema does not expect it,
    # which its validator reports as a warning (docs/briefs.md).
    issues = HwpxDocument.open(content).validate().issues
    assert [i for i in issues if i.severity != "warning" or "bullets" not in i.message] == []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == HWPX_MIMETYPE
        for name in z.namelist():
            if name.endswith((".xml", ".hpf", ".rdf")):
                etree.fromstring(z.read(name))


def xml_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "\n".join(
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.endswith((".xml", ".hpf", ".rdf", ".txt"))
        )


def twins(
    session: Session, actor: User, kind: str, lang: str, params: dict
) -> tuple[GeneratedBrief, GeneratedBrief]:
    made = generate_briefs(
        session, actor=actor, kind=kind, lang=lang, params=params, generated_at=WHEN
    )
    assert [m.format for m in made] == ["docx", "hwpx"]
    return made[0], made[1]


def assert_same(docx: bytes, hwpx: bytes) -> Read:
    check_package(hwpx)
    a, b = read_docx(docx), read_hwpx(hwpx)
    assert b.headings == a.headings
    assert len(b.tables) == len(a.tables)
    for left, right in zip(a.tables, b.tables, strict=True):
        assert right == left
    assert b.figures == a.figures
    assert b.texts == a.texts
    return b


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_brief_in_hwpx_reads_back_as_its_docx_twin(
    session, factory, monkeypatch, lang
) -> None:
    monkeypatch.setattr(charts, "figure_png", lambda fig, *size: PNG)
    uni, school, a, _b = _cases(factory)
    actor = factory.admin
    seen = {}
    for kind, params in (
        ("incident", {"id": a.id}),
        ("institution", {"id": school.id}),
        ("compare", {"provision": "sexual-crimes-act:14-2"}),
        ("advocacy", {"date_from": "2024-01-01", "date_to": "2024-12-31"}),
    ):
        docx, hwpx = twins(session, actor, kind, lang, params)
        seen[kind] = assert_same(docx.content, hwpx.content)
        assert hwpx.filename.endswith(".hwpx") and hwpx.media_type == "application/hwp+zip"
    assert seen["advocacy"].figures == 6  # the charts, as images
    assert seen["incident"].headings[0] == (1, "사실관계" if lang == "ko" else "Facts")
    assert len(seen["compare"].tables) >= 4


def test_charts_as_tables_are_tables_in_both(session, factory, monkeypatch) -> None:
    def broken(fig: object, *size: object) -> bytes:
        raise RuntimeError("no chromium")

    monkeypatch.setattr(charts, "figure_png", broken)
    _cases(factory)
    docx, hwpx = twins(session, factory.admin, "advocacy", "ko", {"date_from": "2024-01-01"})
    read = assert_same(docx.content, hwpx.content)
    assert read.figures == 0
    ages = {row[0]: row[1:3] for table in read.tables for row in table}
    assert ages["20대"] == ["2", "40"] and ages["14~19세"] == ["3", "60"]


def test_hwpx_is_redacted_as_the_docx(session, factory) -> None:
    inc = incident_with(
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
        docx, hwpx = twins(session, factory.admin, "incident", lang, {"id": inc.id})
        assert_same(docx.content, hwpx.content)
        text = xml_text(hwpx.content)
        assert NAME not in text and CONTACT not in text and "QZX" not in text
        assert "ab" * 32 in text and ("[비공개]" if lang == "ko" else "[redacted]") in text
    lawyer = factory.user(role="lawyer")
    _docx, hwpx = twins(session, lawyer, "incident", "ko", {"id": inc.id, "reveal_victim": True})
    assert CONTACT in xml_text(hwpx.content)
    assert "피해자 식별정보 포함" in xml_text(hwpx.content)


def test_fonts_header_footer_and_table_style(session, factory) -> None:
    _uni, _school, a, _b = _cases(factory)
    _docx, hwpx = twins(session, factory.admin, "incident", "ko", {"id": a.id})
    doc = HwpxDocument.open(hwpx.content)
    faces = {f.face for f in doc.styles.fonts("HANGUL").values()}
    assert {"함초롬바탕", "맑은 고딕"} <= faces
    title = doc.paragraphs[0]
    assert title.text == "사건 브리프"
    assert doc.styles.font_face(title.runs[-1].char_pr_id_ref, "HANGUL") == "맑은 고딕"
    heading = next(p for p in doc.paragraphs if p.text == "사실관계")
    assert doc.styles.font_face(heading.runs[0].char_pr_id_ref, "LATIN") == "맑은 고딕"
    summary = next(p for p in doc.paragraphs if p.text == "개요")
    after = doc.paragraphs[doc.paragraphs.index(summary) + 1]
    assert doc.styles.font_face(after.runs[0].char_pr_id_ref, "HANGUL") == "함초롬바탕"
    table = doc.tables.all[0]
    head = table.rows[0].cells[0]
    assert head.paragraphs[0].runs[0].bold and head.element.get("header") == "1"
    assert doc.styles.border_fill_info(head.element.get("borderFillIDRef")).fill == "#D9E2F3"
    assert table.element.get("repeatHeader") == "1"
    section = xml_text(hwpx.content)
    assert "Casebook" in section and "대외비" in section and "2026-11-25 12:00 UTC" in section
    assert 'numType="PAGE"' in section and 'numType="TOTAL_PAGE"' in section
    assert 'type="TABLEOFCONTENTS"' in section


def test_hwpx_record_and_regeneration(session, factory) -> None:
    _uni, _school, a, _b = _cases(factory)
    docx, hwpx = twins(session, factory.admin, "incident", "ko", {"id": a.id})
    rec = session.get(BriefRecord, hwpx.record.id)
    assert record_format(rec) == "hwpx" and rec.params["format"] == "hwpx"
    assert record_format(session.get(BriefRecord, docx.record.id)) == "docx"
    assert rec.filename == f"casebook-incident-{a.id}-ko-20261125-1200.hwpx"
    assert rec.sha256 == hashlib.sha256(hwpx.content).hexdigest() != docx.record.sha256
    audits = session.exec(select(AuditLog).where(AuditLog.action == "brief.generate")).all()
    assert sorted(x.after["params"].get("format", "docx") for x in audits) == ["docx", "hwpx"]
    again = regenerate(session, actor=factory.admin, record_id=rec.id)
    assert again.format == "hwpx" and again.content == hwpx.content and again.matches_record


def test_cli_writes_hwpx_by_suffix_or_format(session, factory, tmp_path, capsys) -> None:
    _uni, _school, a, _b = _cases(factory)
    out = tmp_path / "brief.hwpx"
    assert cli.main(["brief", "incident", "--id", str(a.id), "-o", str(out), "--json"]) == 0
    check_package(out.read_bytes())
    assert '"format": "hwpx"' in capsys.readouterr().out
    named = tmp_path / "memo"
    args = ["brief", "compare", "--provision", "criminal-act:283", "--format", "hwpx"]
    assert cli.main([*args, "-o", str(named)]) == 0
    check_package(named.read_bytes())
    wrong = tmp_path / "memo.docx"
    assert cli.main([*args, "-o", str(wrong)]) == 2 and not wrong.exists()
    assert ".hwpx" in capsys.readouterr().err
    assert cli.main([*args, "-o", str(out), "--pdf"]) == 2
    assert "PDF" in capsys.readouterr().err


def test_briefs_page_offers_both_formats_and_records_them(session, factory) -> None:
    from tests.pagetest import goto, signed_in, texts

    at = goto(
        signed_in(factory.user(role="advocate").username),
        "briefs",
        kind="compare",
        provision="sexual-crimes-act:14-2",
    )
    at.button(key="brief_generate").click().run()
    assert not at.exception, at.exception
    labels = {b.proto.id.rsplit("-", 1)[-1]: b.proto.label for b in at.get("download_button")}
    assert labels == {
        "brief_download": "내려받기 (.docx)",
        "brief_download_hwpx": "내려받기 (.hwpx, 한글)",
    }
    made = [re.search(r"\.(docx|hwpx) ", s.value).group(1) for s in at.success]
    assert made == ["docx", "hwpx"]
    records = session.exec(select(BriefRecord).order_by(BriefRecord.id)).all()
    assert [record_format(r) for r in records] == ["docx", "hwpx"]
    assert at.dataframe[0].value["형식"].tolist() == ["HWPX", "DOCX"]
    at.button(key="brief_regenerate").click().run()  # the newest record: the HWPX file
    assert "기록과 동일한 문서입니다(SHA-256 일치)." in texts(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["내려받기 (.hwpx, 한글)"]


def test_hostile_text_gives_a_valid_hwpx(session, factory) -> None:
    from casebook.briefs import incident
    from casebook.briefs.docx_kit import render_docx
    from casebook.briefs.hwpx_kit import render_hwpx
    from tests.briefs.test_briefs_incident import HOSTILE

    inc = incident_with(factory, title="정상 제목", summary="x")
    data = incident.collect_incident(
        session, actor=factory.admin, incident_id=inc.id, as_of=WHEN.date()
    )
    data.incident["title"] = HOSTILE
    data.incident["summary"] = "<hp:p>]]>\t" + "가" * 30000 + "\x0c끝"
    data.incident["tags"] = ["\x00<hp:t>", "]]>"]
    document = incident.incident_document(data, lang="en", generated_at=WHEN)
    hwpx = render_hwpx(document)
    read = assert_same(render_docx(document), hwpx)
    assert read.texts[1] == "제목<w:t>]]></w:t>&amp; " + "길" * 50  # the subtitle
    summary = next(t for t in read.texts if t.startswith("<hp:p>]]>"))
    assert summary.endswith("…[truncated]") and "끝" not in summary
    assert render_hwpx(document) == hwpx  # the same document, the same bytes
