"""Advocacy brief, institution report, comparison memo, charts fallback, CLI, PDF, page."""

from __future__ import annotations

import base64
import re
import shutil
from datetime import date

import pytest

from casebook import cli
from casebook.analytics import charts
from casebook.briefs import generate_brief, outline
from casebook.briefs.pdf import to_pdf
from casebook.errors import InvalidInput
from db.models import Takedown
from tests.briefs_helpers import WHEN, all_xml, headings, reopen, rows_of, table_text
from tests.pagetest import goto, signed_in, texts

# A 1x1 PNG: what a chart renderer returns, without starting Chromium in tests.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
ADV_H1 = [
    "Summary",
    "National statistics",
    "Tracked incidents",
    "Case vignettes",
    "Legal gaps found",
    "Amendments tracker",
    "Recommendations",
    "Other jurisdictions",
    "Sources",
]


def _cases(factory):
    uni = factory.institution(name="비밀대학교", kind="university", region="seoul")
    school = factory.institution(name="비밀고등학교", kind="high_school", region="busan")
    a = factory.incident(
        institution_ids=[uni.id],
        conducts=["create", "view"],
        occurred_on=date(2024, 8, 1),
        reported_on=date(2024, 8, 20),
        victims_count=4,
        victims_minor=0,
        obstacles=["server_abroad"],
        suspects_by_age={"20s": 2},
        title="비밀대학교 사건",
    )
    b = factory.incident(
        institution_ids=[school.id],
        conducts=["distribute", "possess"],
        occurred_on=date(2024, 11, 1),
        reported_on=date(2024, 11, 5),
        victims_count=2,
        victims_minor=2,
        suspects_by_age={"14to19": 3},
        obstacles=["platform_uncooperative"],
    )
    factory.incident(reported_on=date(2023, 5, 1), occurred_on=date(2023, 5, 1))  # outside
    factory.session.add(
        Takedown(
            incident_id=b.id, platform="telegram", requested_on=date(2024, 11, 6), outcome="refused"
        )
    )
    factory.session.commit()
    return uni, school, a, b


def test_advocacy_brief_with_charts_as_images(session, factory, monkeypatch) -> None:
    _cases(factory)
    monkeypatch.setattr(charts, "figure_png", lambda fig, *size: PNG)
    made = generate_brief(
        session,
        actor=factory.user(role="advocate"),
        kind="advocacy",
        lang="en",
        params={"date_from": "2024-01-01", "date_to": "2024-12-31"},
        generated_at=WHEN,
    )
    doc = reopen(made.content)
    assert not re.search(r"(briefs|vocab)\.[a-z_]+", all_xml(made.content))  # no raw keys
    assert headings(doc, 1) == ADV_H1
    assert len(doc.inline_shapes) == 6
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [  # the Statistics and Dashboard pages' chart titles
        "Tracked incidents and police cases per year",
        "Incidents per month, by institution kind",
        "Incidents by region",
        "Incidents by conduct",
        "Suspects' age bands — tracked incidents and police figures",
        "Enforcement funnel",
    ]
    rows = rows_of(doc)
    assert ["2024-08", "1", "4"] in rows and ["2024-11", "1", "2"] in rows  # by month
    assert ["University", "1", "4"] in rows and ["High school", "1", "2"] in rows
    assert ["Tracked incidents at schools", "1 (50.0%)"] in rows
    assert ["Suspects under 20 (tracked incidents)", "3 (60.0%)"] in rows
    assert ["Takedown requests by outcome", "Refused 1"] in rows
    # Viewing on 2024-08-01 (adult victims) was no offence yet; possession on 2024-11-01 was
    # (the legal links the law engine made on save say so).
    assert ["Of which no offence at the time (provisions linked to the incidents)", "1"] in rows
    xml = all_xml(made.content)
    assert "비밀대학교" not in xml and "비밀고등학교" not in xml  # vignettes: no names
    assert "TAKE IT DOWN" in table_text(doc)


def test_advocacy_charts_fall_back_to_tables(session, factory, monkeypatch) -> None:
    _cases(factory)

    def broken(fig, *size):
        raise RuntimeError("no chromium")

    monkeypatch.setattr(charts, "figure_png", broken)
    made = generate_brief(
        session,
        actor=factory.admin,
        kind="advocacy",
        lang="ko",
        params={"date_from": "2024-01-01"},
        generated_at=WHEN,
    )
    doc = reopen(made.content)
    assert not re.search(r"(briefs|vocab)\.[a-z_]+", all_xml(made.content))  # no raw keys
    assert len(doc.inline_shapes) == 0
    ages = {row[0]: row[1:3] for row in rows_of(doc)}  # age band: suspects, share
    assert ages["20대"] == ["2", "40"] and ages["14~19세"] == ["3", "60"]


def test_advocacy_bad_parameters(session, factory) -> None:
    with pytest.raises(InvalidInput) as err:
        generate_brief(
            session,
            actor=factory.admin,
            kind="advocacy",
            lang="ko",
            params={"date_from": "2024-13-01"},
        )
    assert err.value.problems == {"date_from": "errors.bad_date"}
    with pytest.raises(InvalidInput):
        generate_brief(
            session, actor=factory.admin, kind="advocacy", lang="ko", params={"region": "atlantis"}
        )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_institution_report(session, factory, lang) -> None:
    _uni, school, _a, _b = _cases(factory)
    made = generate_brief(
        session,
        actor=factory.user(role="advocate"),
        kind="institution",
        lang=lang,
        params={"id": school.id},
        generated_at=WHEN,
    )
    doc = reopen(made.content)
    assert not re.search(r"(briefs|vocab)\.[a-z_]+", all_xml(made.content))  # no raw keys
    expected = {
        "ko": [
            "이 기관에서 신고된 사건",
            "현재(2026-11-25) 적용되는 법",
            "기관에 요청하는 조치",
            "출처",
        ],
        "en": [
            "What was reported here",
            "What the law says today (2026-11-25)",
            "Actions asked of the institution",
            "Sources",
        ],
    }[lang]
    assert headings(doc, 1) == expected
    assert len(headings(doc, 2)) >= 4  # duties + three actions
    assert "child-protection-act" not in table_text(doc)  # ids stay out; names are shown
    law = (
        "아동·청소년의 성보호에 관한 법률" if lang == "ko" else "Act on the Protection of Children"
    )
    assert law in table_text(doc), table_text(doc)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_compare_memo(session, factory, lang) -> None:
    made = generate_brief(
        session,
        actor=factory.user(role="advocate"),
        kind="compare",
        lang=lang,
        params={"provision": "sexual-crimes-act:14-2"},
        generated_at=WHEN,
    )
    doc = reopen(made.content)
    assert not re.search(r"(briefs|vocab)\.[a-z_]+", all_xml(made.content))  # no raw keys
    assert len(headings(doc, 1)) == 4
    header = [c.text for c in doc.tables[1].rows[0].cells]
    assert header[1].startswith("sexual-crimes-act:14-2@2020-06-25")
    assert header[2].startswith("sexual-crimes-act:14-2@2024-10-16")
    assert headings(doc, 2) == ["2020-06-25 → 2024-10-16"]
    label = "징역 상한(년) (1)" if lang == "ko" else "Maximum prison (years) (1)"
    assert [label, "5", "7"] in rows_of(doc)
    assert "TAKE IT DOWN" in table_text(doc)
    with pytest.raises(InvalidInput):
        generate_brief(
            session,
            actor=factory.admin,
            kind="compare",
            lang=lang,
            params={"provision": "no-such:law"},
        )


def test_outline() -> None:
    assert outline("compare", "en") == [
        "Versions side by side",
        "Changes between versions",
        "The same conduct in other jurisdictions",
        "Sources",
    ]
    assert outline("incident", "ko")[0] == "사실관계"


def test_cli_writes_briefs(session, factory, tmp_path, capsys) -> None:
    uni, _school, a, _b = _cases(factory)
    out = tmp_path / "inc.docx"
    assert cli.main(["brief", "incident", "--id", str(a.id), "--lang", "ko", "-o", str(out)]) == 0
    assert headings(reopen(out.read_bytes()), 1)[0] == "사실관계"
    out2 = tmp_path / "adv.docx"
    code = cli.main(
        [
            "brief",
            "advocacy",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--lang",
            "en",
            "--no-charts",
            "-o",
            str(out2),
            "--json",
        ]
    )
    assert code == 0 and headings(reopen(out2.read_bytes()), 1) == ADV_H1
    assert '"record_id"' in capsys.readouterr().out
    assert (
        cli.main(["brief", "institution", "--id", str(uni.id), "-o", str(tmp_path / "i.docx")]) == 0
    )
    assert (
        cli.main(
            ["brief", "compare", "--provision", "criminal-act:283", "-o", str(tmp_path / "c.docx")]
        )
        == 0
    )
    assert cli.main(["brief", "compare", "--provision", "nope:1", "-o", str(tmp_path / "x")]) == 2


def test_cli_refuses_what_the_role_may_not_do(session, factory, tmp_path, capsys) -> None:
    _uni, _school, a, _b = _cases(factory)
    advocate = factory.user(role="advocate")
    out = tmp_path / "x.docx"
    args = ["brief", "incident", "--id", str(a.id), "-o", str(out), "--as", advocate.username]
    assert cli.main(args) == 2
    assert not out.exists()
    lawyer = factory.user(role="lawyer")
    args = [
        "brief",
        "incident",
        "--id",
        str(a.id),
        "-o",
        str(out),
        "--as",
        lawyer.username,
        "--reveal-victim",
        "--json",
    ]
    assert cli.main(args) == 0 and out.exists()
    assert '"matches_record": null' in capsys.readouterr().out


# Korean font families LibreOffice may embed (make test installs fonts-nanum).
KOREAN_FONTS = (b"Nanum", b"NotoSansCJK", b"NotoSerifCJK", b"Malgun", b"UnBatang", b"UnDotum")


@pytest.mark.skipif(
    shutil.which("libreoffice") is None and shutil.which("soffice") is None,
    reason="LibreOffice is not installed (PDF is optional)",
)
def test_every_brief_converts_to_pdf(session, factory) -> None:
    uni, _school, a, _b = _cases(factory)
    for kind, params in (
        ("incident", {"id": a.id}),
        ("institution", {"id": uni.id}),
        ("compare", {"provision": "sexual-crimes-act:14-2"}),
        ("advocacy", {"date_from": "2024-01-01"}),
    ):
        made = generate_brief(
            session, actor=factory.admin, kind=kind, lang="ko", params=params, render_charts=False
        )
        pdf = to_pdf(made.content)
        assert pdf.startswith(b"%PDF")
        # The Korean text was set in a Korean font, not replaced by empty boxes.
        fonts = re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z0-9_-]+)", pdf)
        assert any(f.startswith(KOREAN_FONTS) for f in fonts), (kind, fonts)


def test_briefs_page_preselects_incident(session, factory) -> None:
    _uni, _school, a, _b = _cases(factory)
    lawyer = factory.user(role="lawyer")
    at = goto(signed_in(lawyer.username), "briefs", kind="incident", id=str(a.id))
    assert not at.exception, at.exception
    assert at.selectbox(key="brief_kind").value == "incident"
    assert at.number_input(key="brief_incident_id").value == a.id
    assert "1. 사실관계" in texts(at)
    assert "아직 만든 브리프가 없습니다" in texts(at)
    at.button(key="brief_generate").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"작성 완료: casebook-incident-{a.id}-ko-")
    assert "아직 만든 브리프가 없습니다" not in texts(at)


def test_briefs_page_starts_chromium_only_for_the_brief_with_charts(
    session, factory, monkeypatch
) -> None:
    from casebook.analytics import charts

    warmed = []
    monkeypatch.setattr(charts, "warm_renderer", lambda: warmed.append(1))
    at = goto(signed_in(factory.user(role="advocate").username), "briefs", kind="compare")
    assert not at.exception and warmed == [], "the comparison memo has no charts"
    at.selectbox(key="brief_kind").set_value("advocacy").run()
    assert not at.exception and warmed, "picking the advocacy brief starts Chromium early"


def test_incident_page_links_to_its_brief(session, factory) -> None:
    _uni, _school, a, _b = _cases(factory)
    at = goto(signed_in(factory.user(role="lawyer").username), "incidents", id=str(a.id))
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["이 사건의 브리프 만들기"]
    assert links[0].proto.query_string == f"kind=incident&id={a.id}"


def test_briefs_page_hides_incident_kind_from_advocates(session, factory) -> None:
    advocate = factory.user(role="advocate")
    at = goto(signed_in(advocate.username), "briefs", kind="incident", id="1")
    assert at.selectbox(key="brief_kind").options == [
        "입법 정책 브리프",
        "기관 보고서",
        "법조문 비교 메모",
    ]


def test_briefs_page_compare_memo_and_record(session, factory) -> None:
    # Korean UI: AppTest evaluates widgets' format_func outside the session (in Korean).
    at = goto(
        signed_in(factory.user(role="advocate").username),
        "briefs",
        kind="compare",
        provision="sexual-crimes-act:14-2",
    )
    assert at.selectbox(key="brief_provision").value == "sexual-crimes-act:14-2"
    assert "1. 판본 대조" in texts(at)
    at.radio(key="brief_lang").set_value("en").run()
    assert "1. Versions side by side" in texts(at)
    at.button(key="brief_generate").click().run()
    assert at.success[0].value.startswith("작성 완료: casebook-compare-sexual-crimes-act-14-2-en-")
    assert [b.proto.label for b in at.get("download_button")][0] == "내려받기 (.docx)"
    at.button(key="brief_regenerate").click().run()
    assert "기록과 동일한 문서입니다(SHA-256 일치)." in texts(at)


def test_institution_report_counts_every_case_and_lists_the_newest(
    session, factory, monkeypatch
) -> None:
    from casebook.briefs import institution

    monkeypatch.setattr(institution, "MAX_CASES", 2)
    inst = factory.institution(name="가득대학교", kind="university", region="seoul")
    for day, conducts in ((1, ["view"]), (3, ["sell", "create"]), (2, ["possess"])):
        factory.incident(
            reported_on=date(2024, 9, day), conducts=conducts, institution_ids=[inst.id]
        )
    factory.incident(reported_on=date(2024, 9, 9))  # another institution's case
    data = institution.collect_institution(
        session, actor=factory.admin, institution_id=inst.id, as_of=date(2026, 11, 25)
    )
    assert data.total == 3
    assert [(c["reported_on"].day, c["conducts"]) for c in data.cases] == [
        (3, ["create", "sell"]),
        (2, ["possess"]),
    ]


@pytest.mark.skipif(
    shutil.which("libreoffice") is None and shutil.which("soffice") is None,
    reason="LibreOffice is not installed (PDF is optional)",
)
def test_briefs_page_offers_the_pdf(session, factory) -> None:
    _uni, _school, a, _b = _cases(factory)
    lawyer = factory.user(role="lawyer")
    at = goto(signed_in(lawyer.username), "briefs", kind="incident", id=str(a.id))
    at.checkbox(key="brief_pdf").check().run()
    at.button(key="brief_generate").click().run(timeout=240)
    assert not at.exception, at.exception
    labels = {b.proto.id.rsplit("-", 1)[-1]: b.proto.label for b in at.get("download_button")}
    assert labels == {
        "brief_download": "내려받기 (.docx)",
        "brief_download_hwpx": "내려받기 (.hwpx, 한글)",
        "brief_download_pdf": "내려받기 (.pdf)",
    }
    assert not at.error
