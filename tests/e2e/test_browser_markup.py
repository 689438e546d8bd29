"""User text is shown as text in a real browser (security review M-3): an institution named
with a Markdown image, an HTML link and a style, on its own page (the title) and in the
dashboard's chart, renders no image, no link and no style, and a tracker on loopback gets
no request."""

from __future__ import annotations

import os
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, app_server, wait_for_app
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)


class _Tracker(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _Tracker.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tracker():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tracker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _hostile(base: str) -> str:
    # 200 characters at most (an institution's name): the port is five digits at most.
    return (
        f'마크업대 ![i]({base}/m.png) <a href="{base}/a">HTMLLINK</a> '
        f'<span style="font-size:60px">BIG</span> :red[RED] **BOLD**'
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory, tracker):
    ids: dict[str, int] = {}

    def seed(factory: Factory) -> None:
        inst = factory.institution(name=_hostile(tracker))
        ids["inst"] = inst.id
        factory.incident(institution_ids=[inst.id], reported_on=date(2024, 8, 20))

    with app_server(tmp_path_factory.mktemp("markup"), seed) as (base, username):
        yield base, username, ids


def test_hostile_institution_name_renders_as_text(served, tracker, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    base, username, ids = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first = browser.new_context().new_page()
        first.goto(base)  # Streamlit maps a path to a page once a session registered them
        wait_for_app(first)
        # A reload starts a new session, so the deep link is signed into directly.
        page = browser.new_context(locale="ko-KR").new_page()
        page.goto(f"{base}/institutions?id={ids['inst']}")
        wait_for_app(page)
        page.get_by_label("사용자 이름").fill(username)
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_role("button", name="로그인").click()
        shown = page.locator('[data-testid="stText"]').filter(has_text="마크업대")
        shown.wait_for(timeout=30_000)
        wait_for_app(page)
        assert shown.inner_text() == _hostile(tracker)
        _assert_inert(page, tracker)
        page.screenshot(path=str(tmp_path / "institution.png"), full_page=True)
        page.get_by_role("link", name="대시보드").click()
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        wait_for_app(page)
        page.wait_for_timeout(1500)  # let plotly draw every chart
        svg_text = " ".join(page.locator(".js-plotly-plot svg text").all_text_contents())
        assert "<a href=" in svg_text and "HTMLLINK" in svg_text, svg_text[:500]
        _assert_inert(page, tracker)
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        browser.close()
    assert _Tracker.hits == []


def _assert_inert(page, tracker: str) -> None:
    main = page.locator('[data-testid="stMain"]')
    found = main.locator(f'img[src^="{tracker}"], [href^="{tracker}"]')
    html = "e => e.outerHTML.slice(0, 300)"
    assert found.count() == 0, [found.nth(i).evaluate(html) for i in range(found.count())]
    assert main.locator("svg a, a:has-text('HTMLLINK')").count() == 0
    assert main.locator("span[style*='60px'], strong:has-text('BOLD')").count() == 0
