"""The Users page's change form in a real browser: it shows the picked user's stored
values, deactivating a viewer keeps them a viewer, and a role change needs the tick
(UX review B1: the form kept the previous user's role and Save made a viewer admin)."""

from __future__ import annotations

import os

import pytest
from sqlmodel import Session, select

from db.engine import engine_for
from db.models import AuditLog, User
from tests.browser import CHROMIUM, CHROMIUM_ARGS, app_server, wait_for_app
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("users_browser")

    def seed(factory: Factory) -> None:
        factory.user(role="viewer", username="viewer_a")
        factory.user(role="lawyer", username="lawyer_b", can_see_victim_details=True)

    with app_server(tmp, seed) as (base, admin):
        yield base, admin, f"sqlite:///{tmp / 'casebook.db'}"


@pytest.fixture(scope="module")
def page(served):
    from playwright.sync_api import sync_playwright

    base, admin, _url = served
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="ko-KR").new_page()
        page.goto(base)
        wait_for_app(page)
        page.get_by_label("사용자 이름").fill(admin)
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_role("button", name="로그인").click()
        page.locator("input[type=password]").wait_for(state="detached")
        wait_for_app(page)
        yield page
        browser.close()


def _user(url: str, username: str) -> User:
    with Session(engine_for(url)) as session:
        return session.exec(select(User).where(User.username == username)).one()


def _updates(url: str, user_id: int) -> list[AuditLog]:
    with Session(engine_for(url)) as session:
        query = select(AuditLog).where(
            AuditLog.action == "user.update", AuditLog.entity_id == str(user_id)
        )
        return list(session.exec(query))


def _open_users(page, base: str) -> None:
    # Through the navigation: a reload starts a new, signed-out session.
    page.locator('[data-testid="stSidebarNav"] a[href$="/users"]').click()
    wait_for_app(page)
    page.locator(".st-key-eu_target").wait_for(timeout=30_000)


def _choose(page, key: str, option: str) -> None:
    box = page.locator(f".st-key-{key} input").first
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_for_app(page)


def _pick(page, user: User) -> str:
    _choose(page, "eu_target", user.username)
    return f"{user.id}_{user.version}"


def _role_shown(page, k: str) -> str:
    return page.locator(f".st-key-eu_role_{k} input").first.input_value()


def _ticked(page, key: str) -> bool:
    return page.locator(f".st-key-{key} input[type=checkbox]").is_checked()


def _save(page) -> None:
    page.locator(".st-key-eu_save button").click()
    wait_for_app(page)


def test_picking_a_then_b_shows_bs_stored_values(served, page) -> None:
    base, _admin, url = served
    a, b = _user(url, "viewer_a"), _user(url, "lawyer_b")
    _open_users(page, base)
    k = _pick(page, a)
    assert "열람자" in _role_shown(page, k)
    assert not _ticked(page, f"eu_grant_{k}")
    k = _pick(page, b)
    assert "변호사" in _role_shown(page, k)
    assert _ticked(page, f"eu_active_{k}") and _ticked(page, f"eu_grant_{k}")


def test_saving_unchanged_changes_nothing(served, page) -> None:
    base, _admin, url = served
    b = _user(url, "lawyer_b")
    _open_users(page, base)
    _pick(page, b)
    _save(page)
    page.get_by_text("바뀐 내용이 없어 저장하지 않았습니다.").wait_for(timeout=10_000)
    assert _user(url, "lawyer_b").version == b.version
    assert _updates(url, b.id) == []


def test_deactivating_a_viewer_keeps_them_a_viewer(served, page) -> None:
    base, _admin, url = served
    a = _user(url, "viewer_a")
    _open_users(page, base)
    _pick(page, _user(url, "lawyer_b"))  # someone else's values were on screen first
    k = _pick(page, a)
    page.locator(f".st-key-eu_active_{k} label").click()
    wait_for_app(page)
    _save(page)
    page.get_by_text("viewer_a 사용자 정보를 저장했습니다").wait_for(timeout=10_000)
    stored = _user(url, "viewer_a")
    assert (stored.role, stored.active, stored.can_see_victim_details) == ("viewer", False, False)
    (row,) = _updates(url, a.id)
    assert row.before["role"] == row.after["role"] == "viewer"


def test_a_role_change_needs_the_confirmation(served, page) -> None:
    base, _admin, url = served
    b = _user(url, "lawyer_b")
    _open_users(page, base)
    k = _pick(page, b)
    _choose(page, f"eu_role_{k}", "활동가")
    _save(page)
    page.get_by_text("역할을 바꾸려면 확인란에 표시하세요.").wait_for(timeout=10_000)
    assert _user(url, "lawyer_b").role == "lawyer"
    page.locator(f".st-key-eu_confirm_{k}_advocate label").click()
    wait_for_app(page)
    _save(page)
    page.get_by_text("lawyer_b 사용자 정보를 저장했습니다").wait_for(timeout=10_000)
    assert _user(url, "lawyer_b").role == "advocate"
    (row,) = _updates(url, b.id)
    assert (row.before["role"], row.after["role"]) == ("lawyer", "advocate")
