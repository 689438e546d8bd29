"""Spreadsheet import: clean files, row problems, all-or-nothing, idempotence, updates,
institution matching, CSV/XLSX with Korean text and BOM, hostile input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select

from casebook.access.audit import verify_chain
from casebook.errors import InvalidInput, PermissionDenied
from casebook.importing.cells import COLUMNS, template_bytes
from casebook.importing.report import RowProblem
from casebook.importing.run import import_incidents
from casebook.importing.spreadsheet import csv_bytes, xlsx_bytes
from db.models import AuditLog, Incident, IncidentConduct, IncidentInstitution, Institution

ROW = {
    "external_id": "SEOUL-1",
    "title": "인하대 텔레그램 합성물 방",
    "reported_on": "2024-09-02",
    "occurred_on": "2024-08-20",
    "institution": "인하대학교",
    "institution_kind": "university",
    "region": "incheon",
    "platform": "telegram",
    "room_members": "1,200",
    "victims": "12",
    "victims_minor": "2",
    "suspects": "3",
    "suspects_teen": "2",
    "conducts": "create; distribute",
    "status": "investigating",
    "summary": "동문 피해",
    "source_url": "https://example.org/a",
}


def _csv(*rows: dict, columns: list[str] = COLUMNS) -> bytes:
    return csv_bytes(columns, [[r.get(c, "") for c in columns] for r in rows])


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def inha(factory):
    return factory.institution(name="인하대학교", region="incheon", aliases=["Inha University"])


def test_clean_csv_with_bom_is_stored_exactly(session, factory, inha) -> None:
    admin = factory.admin
    second = ROW | {
        "external_id": "SEOUL-2",
        "title": "Second",
        "institution": "inha university",
        "conducts": "view",
        "status": "수사 중",
        "platform": "텔레그램",
    }
    data = _csv(ROW, second)
    assert data.startswith(b"\xef\xbb\xbf")
    audit_before = session.exec(select(func.max(AuditLog.id))).one() or 0
    report = import_incidents(session, actor=admin, data=data, filename="x.csv")
    assert report.problems == [] and report.committed
    assert report.summary()["create"] == 2
    inc = session.exec(select(Incident).where(Incident.external_id == "SEOUL-1")).one()
    got = {
        k: getattr(inc, k)
        for k in (
            "title",
            "reported_on",
            "occurred_on",
            "platform",
            "room_members",
            "victims_count",
            "victims_minor",
            "suspects_count",
            "suspects_by_age",
            "status",
            "summary",
            "sources",
            "region",
            "institution_kind",
            "reported_month",
            "has_minor",
            "version",
        )
    }
    assert got == {
        "title": "인하대 텔레그램 합성물 방",
        "reported_on": date(2024, 9, 2),
        "occurred_on": date(2024, 8, 20),
        "platform": "telegram",
        "room_members": 1200,
        "victims_count": 12,
        "victims_minor": 2,
        "suspects_count": 3,
        "suspects_by_age": {"14to19": 2},
        "status": "investigating",
        "summary": "동문 피해",
        "sources": [{"url": "https://example.org/a"}],
        "region": "incheon",
        "institution_kind": "university",
        "reported_month": "2024-09",
        "has_minor": True,
        "version": 1,
    }
    other = session.exec(select(Incident).where(Incident.external_id == "SEOUL-2")).one()
    assert (other.status, other.platform) == ("investigating", "telegram")
    links = session.exec(
        select(IncidentInstitution.incident_id, IncidentInstitution.institution_id).order_by(
            IncidentInstitution.incident_id
        )
    ).all()
    assert links == [(inc.id, inha.id), (other.id, inha.id)]
    conducts = session.exec(
        select(IncidentConduct.conduct)
        .where(IncidentConduct.incident_id == inc.id)
        .order_by(IncidentConduct.conduct)
    ).all()
    assert conducts == ["create", "distribute"]
    rows = session.exec(
        select(AuditLog).where(AuditLog.id > audit_before).order_by(AuditLog.id)
    ).all()
    assert [(r.action, r.entity_id) for r in rows] == [
        ("incident.create", str(inc.id)),
        ("incident.create", str(other.id)),
        ("incident.import", "x.csv"),
    ]
    assert rows[0].after["title"] == "인하대 텔레그램 합성물 방"
    assert verify_chain(session).ok


def test_bad_rows_are_listed_and_nothing_is_written(session, factory, inha) -> None:
    bad = [
        ROW | {"external_id": "B1", "reported_on": "2024-13-45"},
        ROW | {"external_id": "B2", "title": "", "victims": "many"},
        ROW | {"external_id": "B3", "conducts": "create;teleport", "platform": "myspace"},
        ROW | {"external_id": "B4", "victims": "1", "victims_minor": "5"},
        ROW | {"external_id": "B5", "source_url": "javascript:alert(1)"},
        ROW | {"external_id": "SEOUL-1"},
        ROW | {"external_id": "SEOUL-1", "title": "dup"},
    ]
    audit_before = _count(session, AuditLog)
    report = import_incidents(session, actor=factory.admin, data=_csv(*bad), filename="b.csv")
    assert not report.committed
    assert [(p.row, p.column, p.key) for p in report.problems] == [
        (2, "reported_on", "errors.bad_date"),
        (3, "title", "errors.required"),
        (3, "victims", "errors.not_a_number"),
        (4, "conducts", "errors.unknown_value"),
        (4, "platform", "errors.unknown_value"),
        (5, "victims_minor", "errors.minors_exceed_victims"),
        (6, "source_url", "errors.bad_url"),
        (8, "external_id", "imports.duplicate_id"),
    ]
    assert report.problems[0] == RowProblem(2, "reported_on", "errors.bad_date", "2024-13-45")
    assert _count(session, Incident) == 0
    assert _count(session, AuditLog) == audit_before


def test_one_bad_row_among_good_ones_writes_nothing(session, factory, inha) -> None:
    rows = [ROW | {"external_id": f"G{i}"} for i in range(5)] + [ROW | {"reported_on": "x"}]
    report = import_incidents(session, actor=factory.admin, data=_csv(*rows), filename="c.csv")
    assert [(p.row, p.column) for p in report.problems] == [(7, "reported_on")]
    assert _count(session, Incident) == 0


def test_reimport_changes_nothing_and_known_id_updates(session, factory, inha) -> None:
    admin = factory.admin
    no_id = ROW | {"external_id": "", "title": "외부 ID 없는 행"}
    data = _csv(ROW, no_id)
    import_incidents(session, actor=admin, data=data, filename="d.csv")
    audit_after_first = _count(session, AuditLog)
    again = import_incidents(session, actor=admin, data=data, filename="d.csv")
    assert again.summary() | {"file": ""} == {
        "file": "",
        "rows": 2,
        "create": 0,
        "update": 0,
        "unchanged": 2,
        "invalid_rows": 0,
        "new_institutions": [],
        "committed": True,
    }
    assert _count(session, Incident) == 2
    assert _count(session, AuditLog) == audit_after_first
    assert set(session.exec(select(Incident.version)).all()) == {1}
    inc = session.exec(select(Incident).where(Incident.external_id == "SEOUL-1")).one()
    inc.notes = "kept: not a spreadsheet column"
    session.add(inc)
    session.commit()
    changed = _csv(ROW | {"title": "제목 바뀜", "suspects_teen": "0"}, no_id)
    report = import_incidents(session, actor=admin, data=changed, filename="e.csv")
    assert (report.count("update"), report.count("unchanged"), report.count("create")) == (1, 1, 0)
    session.refresh(inc)
    assert (inc.title, inc.version, inc.notes, inc.suspects_by_age) == (
        "제목 바뀜",
        2,
        "kept: not a spreadsheet column",
        {},
    )
    last = session.exec(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert last.action == "incident.import"
    assert verify_chain(session).ok


def test_unknown_institution_gets_suggestions_or_is_created(session, factory, inha) -> None:
    admin = factory.admin
    row = ROW | {"institution": "인하대학 교 ", "region": "incheon"}
    report = import_incidents(session, actor=admin, data=_csv(row), filename="f.csv")
    assert [(p.row, p.column, p.key) for p in report.problems] == [
        (2, "institution", "imports.unknown_institution")
    ]
    assert report.suggestions == {"인하대학 교": ["인하대학교"]}
    assert _count(session, Institution) == 1
    report = import_incidents(
        session, actor=admin, data=_csv(row), filename="f.csv", create_institutions=True
    )
    assert report.committed and sorted(report.new_institutions) == ["인하대학 교"]
    created = session.exec(select(Institution).where(Institution.name == "인하대학 교")).one()
    assert (created.kind, created.region) == ("university", "incheon")
    inc = session.exec(select(Incident)).one()
    assert inc.region == "incheon"
    link = session.exec(select(IncidentInstitution)).one()
    assert link.institution_id == created.id


def test_creating_needs_kind_and_region(session, factory) -> None:
    row = ROW | {"institution": "새 학교", "institution_kind": "", "region": "atlantis"}
    report = import_incidents(
        session, actor=factory.admin, data=_csv(row), filename="g.csv", create_institutions=True
    )
    assert [(p.column, p.key) for p in report.problems] == [
        ("institution_kind", "imports.needed_to_create"),
        ("region", "imports.needed_to_create"),
    ]
    assert _count(session, Institution) == 0


def test_xlsx_with_korean_headers(session, factory, inha) -> None:
    header = ["관리번호", "제목", "신고일", "발생일", "기관명", "피해자 수", "행위", "상태", "메모"]
    rows = [
        [
            "X-1",
            "중학교 딥페이크 =SUM(A1)",
            date(2024, 9, 3),
            "2024.08.30",
            "인하대학교",
            7.0,
            "제작(편집·합성);반포(유포)",
            "체포",
            "무시되는 열",
        ]
    ]
    data = xlsx_bytes(header, rows)
    report = import_incidents(session, actor=factory.admin, data=data, filename="k.xlsx")
    assert report.problems == [] and report.ignored_columns == ["메모"]
    inc = session.exec(select(Incident)).one()
    assert (inc.title, inc.reported_on, inc.occurred_on, inc.victims_count, inc.status) == (
        "중학교 딥페이크 =SUM(A1)",
        date(2024, 9, 3),
        date(2024, 8, 30),
        7,
        "arrested",
    )


def test_cp949_csv_and_templates_import(session, factory) -> None:
    text = "title,reported_on,platform\n서울 사건,2024-09-01,디스코드\n"
    report = import_incidents(
        session, actor=factory.admin, data=text.encode("cp949"), filename="w.csv", dry_run=True
    )
    assert report.problems == [] and not report.committed
    assert report.rows[0].form.platform == "discord"
    assert _count(session, Incident) == 0
    for kind in ("csv", "xlsx"):
        report = import_incidents(
            session,
            actor=factory.admin,
            data=template_bytes(kind),
            filename=f"t.{kind}",
            dry_run=True,
            create_institutions=True,
        )
        assert report.problems == [], report.problems


def test_file_level_errors(session, factory) -> None:
    admin = factory.admin
    with pytest.raises(InvalidInput) as err:
        import_incidents(session, actor=admin, data=b"summary\nx\n", filename="a.csv")
    assert err.value.problems == {
        "title": "imports.missing_column",
        "reported_on": "imports.missing_column",
    }
    for data, name, key in [
        (b"", "a.csv", "imports.empty_file"),
        (b"PK\x03\x04junk", "a.xlsx", "imports.bad_file"),
        (b"x", "a.pdf", "imports.bad_file_type"),
    ]:
        with pytest.raises(InvalidInput) as err:
            import_incidents(session, actor=admin, data=data, filename=name)
        assert err.value.problems == {"file": key}


def test_viewer_may_not_import(session, factory) -> None:
    viewer = factory.user(role="viewer")
    with pytest.raises(PermissionDenied):
        import_incidents(session, actor=viewer, data=_csv(ROW), filename="a.csv")


HOSTILE = [
    "<script>alert('x')</script><b>굵게</b>",
    "'; DROP TABLE incident; --",
    "Robert'); DELETE FROM auditlog WHERE ('1'='1",
    "제목\x00\x07\x1b[31m 제어문자",
    '=HYPERLINK("http://evil","click")',
]


def test_hostile_text_is_stored_intact_or_refused(session, factory, inha) -> None:
    admin = factory.admin
    rows = [ROW | {"external_id": f"H{i}", "title": t, "summary": t} for i, t in enumerate(HOSTILE)]
    report = import_incidents(session, actor=admin, data=_csv(*rows), filename="h.csv")
    assert report.problems == []
    stored = dict(session.exec(select(Incident.external_id, Incident.title)).all())
    assert stored == {
        "H0": HOSTILE[0],
        "H1": HOSTILE[1],
        "H2": HOSTILE[2],
        "H3": "제목[31m 제어문자",
        "H4": HOSTILE[4],
    }
    huge = "가" * 1_000_000
    rows = [
        ROW | {"external_id": "BIG1", "title": huge},
        ROW | {"external_id": "BIG2", "summary": huge},
        ROW | {"external_id": huge},
        ROW | {"external_id": "BIG4", "institution": huge},
        ROW | {"external_id": "BIG5", "victims": "9" * 40},
    ]
    for data, name in [
        (_csv(*rows), "big.csv"),
        (xlsx_bytes(COLUMNS, [[r.get(c) for c in COLUMNS] for r in rows]), "big.xlsx"),
    ]:
        report = import_incidents(session, actor=admin, data=data, filename=name)
        assert [(p.row, p.column, p.key) for p in report.problems] == [
            (2, "title", "errors.too_long"),
            (3, "summary", "errors.too_long"),
            (4, "external_id", "errors.too_long"),
            (5, "institution", "errors.too_long"),
            (6, "victims", "errors.not_a_number"),
        ]
    assert _count(session, Incident) == 5


def test_progress_is_reported(session, factory, inha) -> None:
    seen: list[tuple[float, str]] = []
    rows = [ROW | {"external_id": f"P{i}"} for i in range(3)]
    import_incidents(
        session,
        actor=factory.admin,
        data=_csv(*rows),
        filename="p.csv",
        progress=lambda f, phase: seen.append((f, phase)),
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and seen[-1] == (1.0, "done")
    assert {"read", "validate", "write", "done"} <= {p for _, p in seen}


def test_status_change_the_workflow_refuses_is_a_row_problem(session, factory, inha) -> None:
    admin = factory.admin
    import_incidents(
        session, actor=admin, data=_csv(ROW | {"status": "convicted"}), filename="s.csv"
    )
    report = import_incidents(
        session, actor=admin, data=_csv(ROW | {"status": "reported"}), filename="s.csv"
    )
    assert [(p.row, p.column, p.key, p.value) for p in report.problems] == [
        (2, "status", "imports.illegal_transition", "convicted → reported")
    ]
    inc = session.exec(select(Incident)).one()
    assert (inc.status, inc.version) == ("convicted", 1)


def test_bulk_import_links_law_like_a_form_save(session, factory, inha) -> None:
    from db.models import LegalLink

    admin = factory.admin
    row = ROW | {
        "conducts": "view;possess;create",
        "occurred_on": "2024-08-20",
        "victims_minor": "0",
    }
    import_incidents(session, actor=admin, data=_csv(row), filename="l.csv")
    imported = session.exec(select(Incident).where(Incident.external_id == "SEOUL-1")).one()
    saved = factory.incident(
        title="form",
        reported_on=date(2024, 9, 2),
        occurred_on=date(2024, 8, 20),
        victims_count=12,
        victims_minor=0,
        conducts=["view", "possess", "create"],
    )

    def links(incident_id: int) -> set:
        return {
            (ln.conduct, ln.victim, ln.version_id, ln.basis, ln.gap, ln.origin, ln.state)
            for ln in session.exec(select(LegalLink).where(LegalLink.incident_id == incident_id))
        }

    assert links(imported.id) == links(saved.id) and links(saved.id)
    session.refresh(saved)
    assert imported.legal_gap == saved.legal_gap


def test_bulk_import_links_every_incident_like_the_engine(session, factory, inha) -> None:
    """Rows with different conducts, victim groups and dates (several kinds of link lists,
    one without conducts) each get the engine's links, in its order, stamped alike."""
    from casebook.incidents.legal_links import engine_links
    from db.models import LegalLink

    cases = [
        ("view;possess;create", "2024-08-20", "0"),
        ("create", "2019-05-01", "1"),
        ("", "2024-08-20", "0"),
        ("distribute;create", "2024-09-01", "2"),
        ("view;possess;create", "2024-08-21", "0"),
        ("create", "2019-05-01", "1"),
    ]
    rows = [
        ROW
        | {
            "external_id": f"K-{i}",
            "title": f"사건 {i}",
            "conducts": conducts,
            "occurred_on": on,
            "victims_minor": minor,
        }
        for i, (conducts, on, minor) in enumerate(cases)
    ]
    report = import_incidents(session, actor=factory.admin, data=_csv(*rows), filename="k.csv")
    assert report.committed
    stamps = set()
    for row in rows:
        inc = session.exec(select(Incident).where(Incident.external_id == row["external_id"])).one()
        conducts = [c.strip() for c in row["conducts"].split(";") if c.strip()]
        want = [
            (ln.conduct, ln.victim, ln.version_id, ln.basis, ln.gap)
            for ln in engine_links(inc, conducts)
        ]
        stored = session.exec(
            select(LegalLink).where(LegalLink.incident_id == inc.id).order_by(LegalLink.id)
        ).all()
        assert [(ln.conduct, ln.victim, ln.version_id, ln.basis, ln.gap) for ln in stored] == want
        assert all((ln.origin, ln.state, ln.note) == ("engine", "suggested", "") for ln in stored)
        assert inc.legal_gap == any(gap for *_, gap in want)
        stamps |= {ln.updated_at for ln in stored}
        assert bool(want) == bool(conducts)
    assert len(stamps) == 1 and None not in stamps


def test_write_report_refuses_a_report_with_problems(session, factory, inha) -> None:
    from casebook.importing.write import write_report

    rows = [ROW | {"external_id": "W1"}, ROW | {"reported_on": "x"}]
    report = import_incidents(
        session, actor=factory.admin, data=_csv(*rows), filename="w.csv", dry_run=True
    )
    assert not report.ok and report.count("create") == 1
    audits = _count(session, AuditLog)
    with pytest.raises(InvalidInput) as err:
        write_report(session, actor=factory.admin, report=report, progress=lambda f, p: None)
    assert err.value.problems == {"file": "imports.not_written"}
    assert _count(session, Incident) == 0 and _count(session, AuditLog) == audits
    assert not report.committed
