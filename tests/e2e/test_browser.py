"""Browser tests: a fresh `streamlit run` server, Debian Chromium, Playwright."""

from __future__ import annotations

import importlib
import os
from datetime import date

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, app_server, wait_for_app
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip(
        "Debian chromium is not installed (make test installs it as root)", allow_module_level=True
    )

SECRET_TITLE = "브라우저 비밀 사건 7731"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    def seed(factory: Factory) -> None:
        factory.incident(
            title=SECRET_TITLE, victims_count=9, victims_minor=4, reported_on=date(2024, 8, 20)
        )

    with app_server(tmp_path_factory.mktemp("browser"), seed) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _page_paths() -> list[str]:
    app = importlib.import_module("app")
    return [spec.url_path for spec in app.PAGES]


def test_first_request_to_every_page_shows_only_the_login_form(server, browser) -> None:
    base, _ = server
    for path in _page_paths() + ["", "login", "no-such-page"]:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/{path}")
        wait_for_app(page)
        page.locator("input[type=password]").wait_for(timeout=30_000)
        body = page.inner_text("body")
        assert page.get_by_label("사용자 이름").count() == 1, path
        assert page.locator("input[type=password]").count() == 1, path
        for leaked in (SECRET_TITLE, "상태별 사건 수", "사용자 추가", "Traceback"):
            assert leaked not in body, (path, leaked)
        # No navigation to other pages is offered before sign-in.
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0, path
        context.close()


def test_sign_in_see_numbers_and_switch_to_english(server, browser, tmp_path) -> None:
    base, username = server
    context = browser.new_context(locale="ko-KR")
    page = context.new_page()
    page.goto(base)
    wait_for_app(page)
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.get_by_text("상태별 사건 수").wait_for(timeout=30_000)
    wait_for_app(page)
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any("피해자" in m and "9" in m for m in metrics), metrics
    assert any("미성년 피해자" in m and "4" in m for m in metrics), metrics
    page.screenshot(path=str(tmp_path / "overview-ko.png"))
    page.get_by_text("English").click()
    page.get_by_text("Incidents by status").wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Overview").is_visible()
    page.screenshot(path=str(tmp_path / "overview-en.png"))
    context.close()


def test_a_deep_link_opens_its_page_right_after_sign_in(server, browser) -> None:
    base, username = server
    page = browser.new_context().new_page()
    page.goto(base)  # Streamlit maps a path to a page once a session has registered them
    wait_for_app(page)
    page = browser.new_context().new_page()
    page.goto(f"{base}/incidents?id=1")
    wait_for_app(page)
    assert SECRET_TITLE not in page.inner_text("body")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    # The title is user text, shown with st.text under the "사건 #1" heading.
    page.get_by_role("heading", name="사건 #1").wait_for(timeout=30_000)
    page.get_by_text(SECRET_TITLE, exact=True).first.wait_for(timeout=30_000)
    assert page.url.endswith("/incidents?id=1")
