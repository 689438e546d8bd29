"""The few Streamlit helpers every page uses. Pages import from here and from casebook;
they never open a database session themselves (ui.run does, one per action)."""

from ui.core import (
    FAILED,
    client_address,
    current_user,
    keep_signed_in,
    keys_ready,
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
    user_key,
)

__all__ = [
    "FAILED",
    "client_address",
    "current_user",
    "keep_signed_in",
    "keys_ready",
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
    "user_key",
]
