"""Helpers for page tests with streamlit.testing.v1.AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from tests.factories import PASSWORD

ENTRY = str(Path(__file__).parent / "apptest" / "entry.py")


def new_app() -> AppTest:
    return AppTest.from_file(ENTRY, default_timeout=30).run()


def signed_in(username: str, password: str = PASSWORD, lang: str = "ko") -> AppTest:
    """An app whose session has signed in through the real login form."""
    at = new_app()
    if lang != "ko":
        at.radio(key="lang_choice").set_value(lang).run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    assert "user_id" in at.session_state, [e.value for e in at.error]
    return at


def goto(at: AppTest, url_path: str, **query: str) -> AppTest:
    """Open a page by its url_path, as a click in the navigation would."""
    for key, value in query.items():
        at.query_params[key] = value
    # AppTest.switch_page only resolves page files; our pages are callables whose
    # script hash is the hash of their url_path, exactly as st.Page computes it.
    at._page_hash = calc_hash(url_path)
    return at.run()


def texts(at: AppTest) -> str:
    """Everything visible as text, for assertions that a value does or does not show."""
    parts = [t.value for t in at.title] + [m.value for m in at.markdown]
    parts += [str(m.value) + m.label for m in at.metric] + [c.value for c in at.caption]
    parts += (
        [e.value for e in at.error] + [i.value for i in at.info] + [s.value for s in at.subheader]
    )
    parts += [str(x.value) for x in at.text]
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    for table in at.table:
        parts.append(table.value.to_string())
    return "\n".join(str(p) for p in parts)
