"""Turn pydantic errors into {field: message key} for InvalidInput."""

from __future__ import annotations

from pydantic import ValidationError

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
