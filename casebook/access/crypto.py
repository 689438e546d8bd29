"""Encryption at rest for victim contact details, room identifiers and TOTP secrets (Fernet).

The key comes from ``CASEBOOK_SECRET_KEY`` or a key file with owner-only permissions
(0600), outside the database: a stolen database file or backup alone reveals none of
these fields. The key file is created only by ``setup`` on an empty database
(``create_key_file``): a lost variable or a missing file must not silently start a
second key while data exist under the first (docs/security.md, "Keys"). Losing the key
loses these fields for good; ``python -m casebook keys rotate`` replaces it.
"""

from __future__ import annotations

import binascii
import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from casebook.config import get_settings
from casebook.errors import CasebookError


class Undecryptable(CasebookError):
    """A stored value that the configured key does not open: shown as an error, never as
    an empty field, so nobody takes a lost contact for one that was never recorded."""

    key = "security.undecryptable"


def write_key_file(path: Path, key: bytes) -> None:
    """Write ``key`` to a new file only its owner can read; refuses to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())


def checked_key(key: bytes, source: str) -> bytes:
    """``key`` when it is a Fernet key; otherwise a clear error naming where it came from."""
    try:
        Fernet(key)
    except (ValueError, binascii.Error):
        raise CasebookError("security.bad_key", source=source) from None
    return key


def read_key_file(path: Path) -> bytes:
    return checked_key(path.read_bytes().strip(), str(path))


def key_from_env() -> bool:
    """Whether the key comes from CASEBOOK_SECRET_KEY rather than the key file."""
    return bool(get_settings().secret_key)


def key_file() -> Path:
    return get_settings().resolved_key_file


def current_key() -> bytes:
    """The configured key; an error (never a new key) when none is configured."""
    settings = get_settings()
    if settings.secret_key:
        return checked_key(settings.secret_key.encode(), "CASEBOOK_SECRET_KEY")
    path = settings.resolved_key_file
    if not path.exists():
        raise CasebookError("security.no_key", path=str(path))
    return read_key_file(path)


def create_key_file() -> Path:
    """Create the key file (setup, on an empty database only: casebook.access.keys.ensure_key)."""
    path = key_file()
    write_key_file(path, Fernet.generate_key())
    return path


@cache
def _fernet(key: bytes) -> MultiFernet:
    return MultiFernet([Fernet(key)])


def encrypt(text: str | None, key: bytes | None = None) -> str | None:
    if text is None or text == "":
        return None
    return _fernet(key or current_key()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str | None) -> str | None:
    """The clear text, or None when nothing is stored; Undecryptable when the configured
    key does not open it."""
    if not token:
        return None
    try:
        return decrypt_strict(token)
    except InvalidToken:
        raise Undecryptable() from None


def opens(token: str, key: bytes) -> bool:
    """Whether ``key`` opens ``token``."""
    try:
        decrypt_strict(token, key)
    except InvalidToken:
        return False
    return True


def decrypt_strict(token: str, key: bytes | None = None) -> str:
    """The clear text; raises InvalidToken when ``key`` (default: current) does not fit."""
    return _fernet(key or current_key()).decrypt(token.encode("ascii")).decode("utf-8")
