"""Encryption at rest for victim contact details and room identifiers (Fernet).

The key comes from ``CASEBOOK_SECRET_KEY`` or a key file created on first use with
owner-only permissions, outside the database: a stolen database file alone reveals
nothing. Losing the key loses those fields (README, "Keys").
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from casebook.settings import get_settings


def _read_or_create_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def current_key() -> bytes:
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key.encode()
    return _read_or_create_key(settings.resolved_key_file)


@cache
def _fernet(key: bytes) -> MultiFernet:
    return MultiFernet([Fernet(key)])


def encrypt(text: str | None) -> str | None:
    if text is None or text == "":
        return None
    return _fernet(current_key()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str | None) -> str | None:
    if not token:
        return None
    try:
        return _fernet(current_key()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return None
