"""Turn pydantic errors into {field: message key} for InvalidInput; the one rule for
addresses users give."""

from __future__ import annotations

import re

from pydantic import ValidationError

from casebook.textnorm import clean_text

# http(s) and a host, nothing else: javascript:, data:, file: and friends would run or
# read something when a viewer follows the link (security review M-3).
_HTTP_URL = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]\S*)?$", re.IGNORECASE)
MAX_URL_LENGTH = 2000


def http_url(value: object) -> str:
    """A cleaned http(s) address, or "" for nothing; anything else raises ValueError
    ``errors.bad_url``. Form, import, CLI and API all validate links through this."""
    text = clean_text(str(value)).strip() if value is not None else ""
    if text and (len(text) > MAX_URL_LENGTH or not _HTTP_URL.match(text)):
        raise ValueError("errors.bad_url")
    return text


_PYDANTIC_TO_KEY = {
    "missing": "errors.required",
    "string_too_short": "errors.required",
    "string_too_long": "errors.too_long",
    "date_from_datetime_parsing": "errors.bad_date",
    "date_parsing": "errors.bad_date",
    "date_type": "errors.bad_date",
    "int_parsing": "errors.not_a_number",
    "int_type": "errors.not_a_number",
    "greater_than_equal": "errors.negative",
}


def problems_from(exc: ValidationError) -> dict[str, str]:
    problems: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "form"
        custom = str(err.get("ctx", {}).get("error", ""))
        if custom.startswith("errors."):
            problems.setdefault(field, custom)
        else:
            problems.setdefault(field, _PYDANTIC_TO_KEY.get(err["type"], "errors.invalid"))
    return problems
