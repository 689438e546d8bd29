"""In a real browser against a real server: the Briefs page makes an incident brief and
offers it as Word and as Hangul; both downloads open, the HWPX is a valid package with
the same headings, tables and text as the DOCX, and neither holds the victim's details."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.briefs.test_briefs_hwpx import assert_same, xml_text
from tests.browser import CHROMIUM, CHROMIUM_ARGS, app_server, wait_for_app
from tests.e2e.test_journey_browser import _key, _nav, _sign_in
from tests.factories import Factory

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

VICTIM = "브라우저비밀이름"
T = 60_000


def _seed(factory: Factory) -> None:
    school = factory.institution(name="다운로드시험고등학교", kind="high_school")
    factory.incident(
        institution_ids=[school.id],
        conducts=["create", "view"],
        occurred_on=date(2024, 8, 1),
        reported_on=date(2024, 9, 1),
        victim_contact=VICTIM,
        summary=f"{VICTIM} 학생이 신고했다",
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with app_server(tmp_path, _seed) as served:
        yield served


def _download(page: Page, key: str, target: Path) -> bytes:
    button = _key(page, key).locator("button")
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    info.value.save_as(str(target))
    return target.read_bytes()


def test_briefs_page_downloads_the_same_brief_as_docx_and_hwpx(
    server: tuple[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, username = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ko-KR", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(T)
        _sign_in(page, base, username)
        _nav(page, "브리프")
        _key(page, "brief_generate").locator("button").click()
        wait_for_app(page)
        docx = _download(page, "brief_download", tmp_path / "brief.docx")
        hwpx = _download(page, "brief_download_hwpx", tmp_path / "brief.hwpx")
        page.screenshot(path=str(tmp_path / "briefs.png"), full_page=True)
        browser.close()
    read = assert_same(docx, hwpx)
    assert read.headings[0] == (1, "사실관계")
    assert VICTIM not in xml_text(hwpx) and "[비공개] 학생이 신고했다" in read.texts
