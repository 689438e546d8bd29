"""Casebook's only entry point: configuration, the login gate and a role-aware router.

Signed out, the navigation holds the login page alone, so a direct request to any
page URL lands on the login form (DESIGN.md, "Routing without a back door").
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.access.totp import totp_setup_needed
from casebook.config import owner_only_files
from casebook.i18n import label


@dataclass(frozen=True)
class PageSpec:
    module: str  # pages.<module> defines render()
    url_path: str
    title_key: str
    icon: str
    section: str  # nav.section_* key
    action: str  # permission the role needs to see the page


PAGES: list[PageSpec] = [
    PageSpec(
        "overview", "overview", "nav.overview", ":material/dashboard:", "work", "dashboard.read"
    ),
    PageSpec(
        "incidents", "incidents", "nav.incidents", ":material/folder_open:", "work", "incident.read"
    ),
    PageSpec(
        "institutions",
        "institutions",
        "nav.institutions",
        ":material/apartment:",
        "work",
        "institution.read",
    ),
    PageSpec(
        "import_export",
        "import-export",
        "nav.import_export",
        ":material/swap_vert:",
        "work",
        "incident.import",
    ),
    PageSpec("due", "due", "due.nav", ":material/event:", "work", "due.read"),
    PageSpec("law_library", "law", "law.nav", ":material/gavel:", "work", "law.read"),
    PageSpec("briefs", "briefs", "nav.briefs", ":material/description:", "work", "brief.advocacy"),
    PageSpec(
        "dashboard",
        "dashboard",
        "analytics.nav_dashboard",
        ":material/bar_chart:",
        "work",
        "dashboard.read",
    ),
    PageSpec(
        "statistics",
        "statistics",
        "analytics.nav_statistics",
        ":material/query_stats:",
        "work",
        "dashboard.read",
    ),
    PageSpec("users", "users", "nav.users", ":material/group:", "admin", "user.manage"),
    PageSpec("audit", "audit", "nav.audit", ":material/policy:", "admin", "audit.read"),
    PageSpec(
        "account", "account", "nav.account", ":material/manage_accounts:", "work", "account.enrol"
    ),
]


def _page(spec: PageSpec, default: bool = False) -> st.Page:
    module = importlib.import_module(f"pages.{spec.module}")
    return st.Page(
        module.render,
        title=ui.t(spec.title_key),
        icon=spec.icon,
        url_path=spec.url_path,
        default=default,
    )


def _sidebar(user) -> None:
    with st.sidebar:
        choice = st.radio(
            ui.t("app.language"),
            ["ko", "en"],
            horizontal=True,
            index=0 if ui.lang() == "ko" else 1,
            format_func=lambda v: "한국어" if v == "ko" else "English",
            key="lang_choice",
        )
        if choice != ui.lang():
            ui.set_lang(choice)
            st.rerun()
        if user is not None:
            st.text(
                ui.t(
                    "app.signed_in_as",
                    name=user.display_name or user.username,
                    role=label("role", user.role, ui.lang()),
                )
            )
            if st.button(ui.t("app.sign_out"), key="sign_out"):
                ui.sign_out()
                st.rerun()


def _signed_out_navigation() -> None:
    """Signed out, every page address runs the login form and nothing else.

    Each known url_path is bound to the login renderer, so a deep link such as
    /law?provision=... shows the login form (not "page not found") and, once the user
    signs in, the rerun lands on the page that was asked for, if the role may see it.
    """
    login = importlib.import_module("pages.login")
    title = ui.t("nav.login")
    pages = [
        st.Page(login.render, title=title, url_path="login", default=True, icon=":material/login:")
    ]
    pages += [st.Page(login.render, title=title, url_path=spec.url_path) for spec in PAGES]
    st.navigation(pages, position="hidden").run()


def main() -> None:
    st.set_page_config(page_title="Casebook", page_icon=":material/gavel:", layout="wide")
    if not ui.keys_ready():  # no key, a bad key, or data it cannot open: refuse to start
        st.stop()
    user = ui.current_user()
    _sidebar(user)
    if user is None:
        _signed_out_navigation()
        return
    # Policy requires two-factor sign-in for this role and it is not set up yet:
    # the Account page is the only one reachable until it is.
    forced = ui.run(totp_setup_needed, user=user) is True
    st.session_state["totp_forced"] = forced
    sections: dict[str, list[st.Page]] = {}
    registry = {}
    first = True
    for spec in PAGES:
        if not can(user, spec.action) or (forced and spec.module != "account"):
            continue
        page = _page(spec, default=first)
        first = False
        registry[spec.module] = page
        sections.setdefault(ui.t(f"nav.section_{spec.section}"), []).append(page)
    st.session_state["_pages"] = registry
    st.navigation(sections).run()


if __name__ == "__main__":  # streamlit runs this file as __main__
    owner_only_files()  # before the first rerun opens the database or writes a file
    main()
