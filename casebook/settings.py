"""Every knob Casebook has, read once from the environment (prefix ``CASEBOOK_``).

Nothing else in the code base reads ``os.environ``; docs/settings.md documents each
field (casebook/settings_model.py) and a test keeps the two in step.

The pydantic class is imported on first use: pydantic-settings costs about 0.1 s to
import, and `python -m casebook stats summary` must finish within a second at a million
incidents while it needs only the database URL (``database_url``).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casebook.settings_model import Settings

ROOT = Path(__file__).resolve().parent.parent
# New files (the SQLite file and its -wal/-shm, backups, exports, key files) hold
# victims' data: owner-only whatever the mode of the folder they land in.
OWNER_ONLY_UMASK = 0o077


def owner_only_files() -> None:
    """Make every file this process creates owner-only; each entry point calls it first."""
    os.umask(OWNER_ONLY_UMASK)


@cache
def get_settings() -> Settings:
    from casebook.settings_model import Settings

    return Settings()


def database_url() -> str:
    """``get_settings().url`` without building Settings when it is not built yet: the same
    two variables read the same way (names in any case; an empty DATABASE_URL means the
    SQLite file). tests/test_settings_url.py checks the two agree."""
    if get_settings.cache_info().currsize:
        return get_settings().url
    env = {name.upper(): value for name, value in os.environ.items()}
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    data_dir = Path(env["CASEBOOK_DATA_DIR"]) if "CASEBOOK_DATA_DIR" in env else ROOT / "data"
    return f"sqlite:///{data_dir / 'casebook.db'}"


def __getattr__(name: str) -> Any:
    # `from casebook.settings import Settings` keeps working (docs test, type hints).
    if name == "Settings":
        from casebook.settings_model import Settings

        return Settings
    raise AttributeError(name)
