"""Turn pydantic errors into {field: message key} for InvalidInput; the one rule for
addresses users give."""

from __future__ import annotations

import re
from datetime import date

from pydantic import ValidationError

from casebook.errors import InvalidInput
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


def check_date(
    field: str, value: date | None, *, not_before: date | None = None, before_key: str
) -> None:
    """A required date, not in the future and, when ``not_before`` is given, not before
    it (``before_key`` names that rule's message): refused as InvalidInput on ``field``."""
    if value is None:
        raise InvalidInput({field: "errors.required"})
    if value > date.today():
        raise InvalidInput({field: "errors.date_in_future"})
    if not_before is not None and value < not_before:
        raise InvalidInput({field: before_key})


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
