"""The law library page, headless (AppTest). Read-only KB data; no database needed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from pages.law_library import render
st.session_state.setdefault("lang", LANG)
render()
"""


def page(lang: str = "ko", **query: str) -> AppTest:
    at = AppTest.from_string(SCRIPT.replace("LANG", repr(lang)), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.success] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [h.value for h in at.subheader]
    return "\n".join(map(str, parts))


def test_renders_without_errors_in_both_languages():
    for lang in ("ko", "en"):
        at = page(lang)
        assert not at.exception, at.exception
        assert at.title[0].value in ("법령 자료실", "Law library")


def test_shareable_link_opens_provision_on_date():
    at = page("en", provision="sexual-crimes-act:14-2", date="2024-10-15")
    assert not at.exception
    assert at.selectbox(key="law_provision").value == "sexual-crimes-act:14-2"
    assert str(at.date_input(key="law_date").value) == "2024-10-15"
    assert "sexual-crimes-act:14-2@2020-06-25" in texts(at)


def test_bad_query_values_fall_back():
    at = page("en", provision="nope:1", date="not-a-date")
    assert not at.exception
    assert at.selectbox(key="law_provision").value == "sexual-crimes-act:14-2"


def test_before_creation_says_not_in_force():
    at = page("en", provision="sexual-crimes-act:14-2", date="2019-01-01")
    assert "not in force" in texts(at)


def test_unverified_version_is_flagged():
    at = page("en", provision="network-act:44-10", date="2026-07-07")
    assert any("Unverified" in w.value for w in at.warning)


def test_ask_tab_answers_and_search_finds_two_syllable_word():
    at = page("ko")
    at.selectbox(key="law_ask_conduct").set_value("view")
    at.selectbox(key="law_ask_victim").set_value("adult")
    at.date_input(key="law_ask_date").set_value("2024-10-15").run()
    assert any("처벌하는 조항" in w.value for w in at.warning)
    at.date_input(key="law_ask_date").set_value("2024-10-16").run()
    assert any("처벌 대상" in s.value for s in at.success)
    at.text_input(key="law_search").input("시청").run()
    assert not at.exception
    assert any("sexual-crimes-act:14-2" in df.value.to_string() for df in at.dataframe)


def test_foreign_tab_is_guarded():
    at = page("en")
    assert not at.exception


def test_foreign_comparison_lists_other_jurisdictions():
    at = page("en")
    at.selectbox(key="law_foreign_conduct").set_value("view").run()
    assert not at.exception
    assert any(len(df.value) for df in at.dataframe)


def test_viewer_reaches_the_library_through_the_app(factory):
    from tests.pagetest import goto, signed_in, texts

    viewer = factory.user(role="viewer")
    at = signed_in(viewer.username, lang="en")
    goto(at, "law", provision="child-protection-act:11", date="2020-06-01")
    assert not at.exception
    shown = texts(at)
    assert "Law library" in shown and "child-protection-act:11@2013-06-19" in shown


def test_signed_out_visitor_gets_only_the_login_form():
    from tests.pagetest import goto, new_app

    at = goto(new_app(), "law", provision="sexual-crimes-act:14-2")
    assert not any(t.value == "Law library" or t.value == "법령 자료실" for t in at.title)


def test_page_says_when_the_kb_was_checked_and_warns_when_stale():
    from datetime import date

    from casebook.law import engine as law

    at = page("en")
    checked = law.kb_checked_on().isoformat()
    assert any(checked in c.value and "checked" in c.value for c in at.caption)
    stale = any("more than 90 days ago" in w.value for w in at.warning)
    assert stale == law.kb_is_stale(date.today())
    at = page("ko")
    assert any(f"법령 정보 확인 기준일: {checked}" in c.value for c in at.caption)


def test_browse_shows_the_names_of_renamed_bodies_in_force_on_the_date():
    before = page("ko", provision="sexual-crimes-act:23-2", date="2025-09-30")
    assert any("방송통신심의위원회" in c.value and "여성가족부" in c.value for c in before.caption)
    after = page("ko", provision="sexual-crimes-act:23-2", date="2025-10-01")
    assert any(
        "방송미디어통신심의위원회" in c.value and "성평등가족부" in c.value for c in after.caption
    )
