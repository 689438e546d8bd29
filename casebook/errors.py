"""Errors a user may see. Each carries a message key from the catalogs, never SQL
or a stack trace; pages and the CLI translate it into the user's language."""

from __future__ import annotations


class CasebookError(Exception):
    """Base for every error meant for a person; ``key`` names a catalog message."""

    key = "errors.generic"

    def __init__(self, key: str | None = None, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)

    def message(self, lang: str = "ko") -> str:
        from casebook.i18n import translate

        return translate(self.key, lang, **self.params)


class InvalidInput(CasebookError):
    """Input that does not fit; ``problems`` maps field name to a message key."""

    key = "errors.invalid_input"

    def __init__(self, problems: dict[str, str], key: str | None = None) -> None:
        super().__init__(key)
        self.problems = problems

    def message(self, lang: str = "ko") -> str:
        from casebook.i18n import translate

        lines = [
            f"{translate('fields.' + field, lang)}: {translate(problem, lang)}"
            for field, problem in self.problems.items()
        ]
        return translate(self.key, lang) + "\n" + "\n".join(f"- {line}" for line in lines)


class PermissionDenied(CasebookError):
    key = "errors.permission_denied"


class NotFound(CasebookError):
    key = "errors.not_found"


class StaleEdit(CasebookError):
    """Someone else saved first; the caller keeps the user's input and shows this."""

    key = "errors.stale_edit"


class AuthFailed(CasebookError):
    key = "login.invalid"
