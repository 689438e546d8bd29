"""Session state (who is signed in, which language), one DB session per action, and
errors shown as messages in the user's language, never as stack traces or SQL."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from casebook.access.auth import session_actor
from casebook.config import get_settings
from casebook.errors import CasebookError, StaleEdit
from casebook.i18n import DEFAULT_LANG, LANGS, translate
from db.engine import engine_for, session_scope
from db.models import User

log = logging.getLogger("casebook.ui")
T = TypeVar("T")
FAILED: Any = object()  # what run() returns when it showed an error instead


@st.cache_resource
def _engine(url: str):
    return engine_for(url)


def engine():
    return _engine(get_settings().url)


def lang() -> str:
    value = st.session_state.get("lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def set_lang(value: str) -> None:
    st.session_state["lang"] = value if value in LANGS else DEFAULT_LANG


def t(key: str, **params: object) -> str:
    return translate(key, lang(), **params)


# Streamlit renders Markdown (with its own :color[...] and :icon: directives) in titles,
# headers, captions, alerts and widget labels. A numeric character reference is always a
# literal character there, never markup. GFM then links bare addresses in the rendered
# text (http://, www., e-mail), which a word joiner (invisible) inside them prevents.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^@/%]")
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)


def plain(text: object) -> str:
    """User text for an element that renders Markdown, shown as typed on one line: no
    image, link or style. Where no heading or label is needed, st.text is simpler."""
    one_line = _AUTOLINK.sub("\u2060", " ".join(str(text or "").split()))
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", one_line)


def show_error(exc: CasebookError) -> None:
    st.error(exc.message(lang()))


def run(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a casebook function with a fresh session; show any failure as a message.

    Returns the function's result, or FAILED after an error was shown.
    """
    try:
        with session_scope(engine()) as session:
            return fn(session=session, **kwargs)
    except CasebookError as exc:
        show_error(exc)
    except StaleDataError:
        show_error(StaleEdit())
    except OperationalError:
        log.exception("database unavailable")
        st.error(t("errors.db_unavailable"))
    except SQLAlchemyError:
        log.exception("database error")
        st.error(t("errors.generic"))
    return FAILED


_keys_checked = False


def keys_ready() -> bool:
    """The start-up key check (casebook.access.keys.resolve_keys), once per server process: False
    after showing that the app cannot start (no key, an invalid key, data the key does not
    open; the reason goes to the server log); what it fixed (an interrupted rotation) is
    logged for the operator."""
    global _keys_checked
    if _keys_checked:
        return True
    from casebook.access.keys import resolve_keys

    try:
        with session_scope(engine()) as session:
            notes = resolve_keys(session)
    except CasebookError as exc:
        # The details (file paths, which key) are for the operator, in the server log;
        # whoever opens the page learns only that the app cannot start.
        log.error("refusing to start: %s", exc.message("en"))
        st.error(t("security.app_key_problem"))
        return False
    except SQLAlchemyError:
        log.exception("database unavailable at start-up")
        st.error(t("errors.db_unavailable"))
        return False
    for key, params in notes:
        log.warning(translate(key, "en", **params))
    _keys_checked = True
    return True


def _touch() -> None:
    st.session_state["last_seen"] = time.monotonic()


def current_user() -> User | None:
    """The signed-in, still active user, or None (also after the idle timeout)."""
    user_id = st.session_state.get("user_id")
    if user_id is None:
        return None
    idle = time.monotonic() - st.session_state.get("last_seen", 0)
    if idle > get_settings().session_idle_minutes * 60:
        sign_out()
        st.session_state["flash"] = "app.idle_signed_out"
        return None
    # Over when the account's session epoch moved on: password, two-factor, role or
    # active changed, or "sign out everywhere" (casebook.access.auth.session_actor).
    epoch = st.session_state.get("session_epoch")
    user = run(session_actor, user_id=user_id, epoch=epoch)
    if user is FAILED or user is None:
        sign_out()
        return None
    _touch()
    return user


# What survives a sign-in or sign-out on the same tab: the language only. The router
# needs nothing kept: app.py registers its pages again on every run.
_KEPT_ACROSS_USERS = frozenset({"lang"})


def _clear_session_state() -> None:
    """Forget everything the previous person left in this tab (briefs, import reports,
    revealed details, open editors, widget values), so the next one starts clean."""
    for key in list(st.session_state.keys()):
        if key not in _KEPT_ACROSS_USERS:
            del st.session_state[key]


def user_key(name: str) -> str:
    """A session-state (or widget) key private to the signed-in user.

    Per-user state is cleared at sign-in and sign-out; keying it by user id as well means
    that state a clear missed is still never shown to another account.
    """
    return f"u{st.session_state.get('user_id', 'anon')}:{name}"


def sign_in(user: User) -> None:
    _clear_session_state()
    st.session_state["user_id"] = user.id
    st.session_state["session_epoch"] = user.session_epoch
    _touch()


def keep_signed_in(epoch: int) -> None:
    """After this session changed its own password or two-factor set-up (which ends the
    user's other sign-ins), carry on under the new epoch."""
    st.session_state["session_epoch"] = epoch


def client_address() -> str | None:
    """The browser's address as Streamlit saw it (None on localhost): only used, as an
    HMAC, to throttle failed sign-ins per address (casebook.access.throttle)."""
    return st.context.ip_address


def sign_out() -> None:
    _clear_session_state()


def page_link(name: str, label: str, **query: Any) -> None:
    """A link to a registered page (app.py registers them in session state)."""
    page = st.session_state.get("_pages", {}).get(name)
    if page is not None:
        st.page_link(page, label=label, query_params=query or None)


def page_buttons(prev_col, next_col, page, state_key: str, keys: tuple[str, str]) -> None:
    """Previous / next buttons for a server-side paged list; the page number lives in
    ``st.session_state[state_key]``."""
    if prev_col.button(t("common.previous"), disabled=page.page <= 1, key=keys[0]):
        st.session_state[state_key] = page.page - 1
        st.rerun()
    if next_col.button(t("common.next"), disabled=page.page >= page.pages, key=keys[1]):
        st.session_state[state_key] = page.page + 1
        st.rerun()
