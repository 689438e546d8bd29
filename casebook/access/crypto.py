"""Encryption at rest for victim contact details, room identifiers and TOTP secrets (Fernet).

The key comes from ``CASEBOOK_SECRET_KEY`` or a key file created on first use with
owner-only permissions (0600), outside the database: a stolen database file or backup
alone reveals none of these fields. Losing the key loses them for good
(docs/security.md, "Keys"); ``python -m casebook keys rotate`` replaces it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from casebook.config import get_settings


def write_key_file(path: Path, key: bytes) -> None:
    """Write ``key`` to a new file only its owner can read; refuses to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())


def _read_or_create_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    key = Fernet.generate_key()
    write_key_file(path, key)
    return key


def key_from_env() -> bool:
    """Whether the key comes from CASEBOOK_SECRET_KEY rather than the key file."""
    return bool(get_settings().secret_key)


def current_key() -> bytes:
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key.encode()
    return _read_or_create_key(settings.resolved_key_file)


@cache
def _fernet(key: bytes) -> MultiFernet:
    return MultiFernet([Fernet(key)])


def encrypt(text: str | None, key: bytes | None = None) -> str | None:
    if text is None or text == "":
        return None
    return _fernet(key or current_key()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str | None) -> str | None:
    """The clear text, or None when empty or not readable with the current key."""
    if not token:
        return None
    try:
        return decrypt_strict(token)
    except InvalidToken:
        return None


def decrypt_strict(token: str, key: bytes | None = None) -> str:
    """The clear text; raises InvalidToken when ``key`` (default: current) does not fit."""
    return _fernet(key or current_key()).decrypt(token.encode("ascii")).decode("utf-8")
