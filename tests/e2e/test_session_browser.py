"""Signing out in a real browser leaves nothing for the next person on the same tab
(security review H-2: the next user downloaded the previous one's brief with the
victim's contact)."""

from __future__ import annotations

import os
from datetime import date

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, app_server, wait_for_app
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    ids: dict[str, int] = {}

    def seed(factory: Factory) -> None:
        inc = factory.incident(victim_contact="010-2468-1357", occurred_on=date(2024, 8, 1))
        ids["incident"] = inc.id
        factory.user(role="lawyer", username="lawyer_next")

    with app_server(tmp_path_factory.mktemp("session_browser"), seed) as (base, admin):
        yield base, admin, ids["incident"]


def _sign_in(page, username: str) -> None:
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.locator("input[type=password]").wait_for(state="detached")
    wait_for_app(page)


def _open_briefs(page) -> None:
    page.locator('[data-testid="stSidebarNav"] a[href$="/briefs"]').click()
    wait_for_app(page)
    page.locator(".st-key-brief_generate").wait_for(timeout=30_000)


def test_the_next_user_on_the_tab_gets_no_brief(served) -> None:
    from playwright.sync_api import sync_playwright

    base, admin, incident_id = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="ko-KR").new_page()
        page.goto(base)
        wait_for_app(page)
        _sign_in(page, admin)
        _open_briefs(page)
        box = page.locator(".st-key-brief_incident_id input")
        box.fill(str(incident_id))
        box.press("Tab")
        wait_for_app(page)
        page.get_by_text("피해자 식별정보 포함").click()
        wait_for_app(page)
        page.locator(".st-key-brief_generate button").click()
        page.locator(".st-key-brief_download").wait_for(timeout=60_000)
        page.locator(".st-key-sign_out button").click()
        page.locator("input[type=password]").wait_for(timeout=30_000)
        wait_for_app(page)
        _sign_in(page, "lawyer_next")
        _open_briefs(page)
        assert page.locator(".st-key-brief_download").count() == 0
        assert "작성 완료" not in page.inner_text("body")
        browser.close()
