"""A newcomer's whole journey in a real browser against a real server: sign in, add an
institution and an incident (viewing and creating, before 16 October 2024), see the
provisions that applied and the legal gap, register an evidence file and see only its
hash, make and download the incident brief and find the provisions in it, then switch to
English and see the same page in English. Screenshots stay in the test's tmp_path."""

from __future__ import annotations

import hashlib
import io
import os
import re

import docx
import pytest

from casebook.i18n import label
from tests.browser import CHROMIUM, CHROMIUM_ARGS, app_server, wait_for_app
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

SCHOOL = "여정시험고등학교"
TITLE = "여정 시험 사건: 동문 합성물 시청·제작"
ACT = "성폭력범죄의 처벌 등에 관한 특례법"
EVIDENCE = b"journey evidence bytes 5521 - never stored, only hashed"
T = 60_000


@pytest.fixture
def server(tmp_path):
    with app_server(tmp_path) as served:
        yield served


def _key(page, key: str):
    """The element container Streamlit marks with a widget's key."""
    return page.locator(f".st-key-{key}")


def _fill(page, key: str, text: str) -> None:
    box = _key(page, key).locator("input, textarea").first
    box.click()
    box.fill(text)
    box.press("Tab")


def _date(page, key: str, year: str, month: str, day: str) -> None:
    """Type a date into Streamlit's date field (react-aria spinbuttons, year first)."""
    for part, value in (("year", year), ("month", month), ("day", day)):
        _key(page, key).locator(f'[role="spinbutton"][data-type="{part}"]').click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")


def _pick(page, key: str, option: str) -> None:
    """Choose ``option`` in a selectbox or multiselect by typing it and pressing Enter."""
    box = _key(page, key).locator("input").first
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option).first.click()
    page.keyboard.press("Escape")


def _nav(page, name: str) -> None:
    """Follow a sidebar link: in-app navigation keeps the signed-in session (a reload
    would start a new Streamlit session and show the login form again)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=name).first.click()
    wait_for_app(page)


def _shot(page, tmp_path, name: str) -> None:
    wait_for_app(page)
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_newcomer_journey(server, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    base, username = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(
            locale="ko-KR", accept_downloads=True, viewport={"width": 1400, "height": 1000}
        ).new_page()
        page.set_default_timeout(T)
        _sign_in(page, base, username)
        _add_institution(page, tmp_path)
        incident_id = _add_incident(page, tmp_path)
        _see_law_and_gap(page, tmp_path)
        _register_evidence(page, tmp_path)
        _brief(page, tmp_path)
        _english(page, incident_id, tmp_path)
        browser.close()


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base)
    wait_for_app(page)
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.locator("input[type=password]").wait_for(state="detached")
    wait_for_app(page)


def _add_institution(page, tmp_path) -> None:
    _nav(page, "기관")
    _fill(page, "ni_name", SCHOOL)
    wait_for_app(page)
    _key(page, "ni_check").locator("button").click()
    page.get_by_text("기관을 등록했습니다.").wait_for()
    _shot(page, tmp_path, "1-institution")


def _add_incident(page, tmp_path) -> int:
    _nav(page, "사건")
    _key(page, "new_incident").locator("button").click()
    wait_for_app(page)
    _fill(page, "f_title", TITLE)
    _date(page, "f_reported_on", "2024", "09", "02")
    _date(page, "f_occurred_on", "2024", "08", "20")
    _pick(page, "f_institutions", f"{SCHOOL} (서울)")
    _pick(page, "f_conducts", "시청")
    _pick(page, "f_conducts", "제작(편집·합성)")
    _shot(page, tmp_path, "2-incident-form")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(re.compile(r".*[?&]id=\d+"))
    wait_for_app(page)
    page.get_by_role("heading", name="적용 법령").wait_for()
    return int(re.search(r"[?&]id=(\d+)", page.url).group(1))


def _grid_text(page, expect: str = "") -> str:
    """Text of the page including data grids (their cells are in an accessible table).

    Grids paint after the script finishes, so wait (bounded) until ``expect`` shows.
    """
    text = ""
    for _ in range(60):
        cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts()
        text = page.inner_text("body") + "\n" + "\n".join(cells)
        if expect in text:
            break
        page.wait_for_timeout(500)
    return text


def _see_law_and_gap(page, tmp_path) -> None:
    # Viewing was no offence on 2024-08-20: the gap is flagged on the page.
    flag = "공백: " + label("legal_gap", "not_criminal_then", "ko")
    page.locator('[data-testid="stAlert"]', has_text=flag).wait_for()
    text = _grid_text(page, "2020-06-25 ~ 2024-10-15")
    # Creating was an offence then: the deepfake provision in force on the act date.
    assert "성폭력범죄의 처벌 등에 관한 특례법 제14조의2 제1항" in text, text[-3000:]
    assert "2020-06-25 ~ 2024-10-15" in text
    _shot(page, tmp_path, "3-law-and-gap")


def _register_evidence(page, tmp_path) -> None:
    path = tmp_path / "capture.bin"
    path.write_bytes(EVIDENCE)
    # The uploader's key changes after each registration (it is emptied): match its stem.
    uploader = page.locator('[class*="st-key-evidence_file_"]')
    uploader.locator("input[type=file]").set_input_files(str(path))
    wait_for_app(page)
    _key(page, "evidence_register").locator("button").click()
    sha = hashlib.sha256(EVIDENCE).hexdigest()
    page.get_by_text(f"SHA-256 {sha}").wait_for()
    body = _grid_text(page)
    assert sha in body
    assert "journey evidence bytes" not in body  # the content itself is never shown
    _shot(page, tmp_path, "4-evidence")


def _brief(page, tmp_path) -> None:
    page.get_by_text("이 사건의 브리프 만들기").click()
    wait_for_app(page)
    _key(page, "brief_generate").locator("button").click()
    wait_for_app(page)
    button = _key(page, "brief_download").locator("button")
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    target = tmp_path / "brief.docx"
    info.value.save_as(str(target))
    document = docx.Document(io.BytesIO(target.read_bytes()))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert ACT in text and "제14조의2" in text, text[:2000]
    assert TITLE in text
    _shot(page, tmp_path, "5-brief")


def _english(page, incident_id: int, tmp_path) -> None:
    _nav(page, "사건")
    _pick(page, "open_incident", f"#{incident_id}")
    page.get_by_role("heading", name="적용 법령").wait_for()
    page.get_by_text("English").first.click()
    page.get_by_role("heading", name="Applicable law").wait_for()
    wait_for_app(page)
    flag = "Gap: " + label("legal_gap", "not_criminal_then", "en")
    page.locator('[data-testid="stAlert"]', has_text=flag).wait_for()
    body = _grid_text(page)
    assert TITLE in body and "적용 법령" not in body
    _shot(page, tmp_path, "6-english")
