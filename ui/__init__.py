"""The few Streamlit helpers every page uses. Pages import from here and from casebook;
they never open a database session themselves (ui.run does, one per action)."""

from ui.core import (
    FAILED,
    current_user,
    lang,
    page_buttons,
    page_link,
    plain,
    run,
    set_lang,
    show_error,
    sign_in,
    sign_out,
    t,
)

__all__ = [
    "FAILED",
    "current_user",
    "lang",
    "page_buttons",
    "page_link",
    "plain",
    "run",
    "set_lang",
    "show_error",
    "sign_in",
    "sign_out",
    "t",
]
