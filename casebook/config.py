"""Every knob Casebook has, read once from the environment (prefix ``CASEBOOK_``).

Nothing else in the code base reads ``os.environ``; docs/settings.md documents each
field and a test keeps the two in step. One ``Settings`` object, built on first use by
``get_settings()`` and shared from then on.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
# New files (the SQLite file and its -wal/-shm, backups, exports, key files) hold
# victims' data: owner-only whatever the mode of the folder they land in.
OWNER_ONLY_UMASK = 0o077


def owner_only_files() -> None:
    """Make every file this process creates owner-only; each entry point calls it first."""
    os.umask(OWNER_ONLY_UMASK)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEBOOK_", extra="ignore")

    database_url: str = Field(
        default="",
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL; empty means the SQLite file data/casebook.db.",
    )
    data_dir: Path = Field(
        default=ROOT / "data", description="Folder for the SQLite file and keys."
    )
    secret_key: str = Field(default="", description="Fernet key for encrypted fields.")
    key_file: Path | None = Field(
        default=None, description="Key file; default data_dir/secret.key."
    )
    org_name: str = Field(default="Casebook", description="Organisation name on briefs.")
    demo: bool = Field(default=True, description="Load demo data into an empty database.")
    admin_password: str = Field(default="", description="First admin's password.")
    admin_username: str = Field(default="admin", description="First admin's user name.")
    session_idle_minutes: int = Field(default=30, description="Sign out after this idle time.")
    lockout_attempts: int = Field(default=5, description="Failed sign-ins before lockout.")
    lockout_minutes: int = Field(default=15, description="How long a lockout lasts.")
    address_attempts: int = Field(
        default=20, description="Failed sign-ins from one client address before it waits."
    )
    global_attempts: int = Field(
        default=200, description="Failed sign-ins in all before every sign-in waits."
    )
    new_password: str = Field(
        default="", description="Password for `user add` when stdin is not used."
    )
    backup_passphrase: str = Field(
        default="", description="Passphrase for `backup create|restore` (else a file or stdin)."
    )
    page_size: int = Field(default=50, description="Rows per page in lists.")
    brief_font_east_asian: str = Field(
        default="Malgun Gothic", description="Korean (East Asian) font named in Word briefs."
    )
    brief_font_latin: str = Field(default="Calibri", description="Latin font named in briefs.")
    chromium_path: Path = Field(
        default=Path("/usr/bin/chromium"),
        description="Chromium that kaleido drives to render charts as PNG.",
    )
    dashboard_cache_seconds: int = Field(
        default=600, description="How long a dashboard's figures stay cached (same data)."
    )
    import_max_rows: int = Field(
        default=50_000, description="Most data rows one spreadsheet import may hold."
    )

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'casebook.db'}"

    @property
    def resolved_key_file(self) -> Path:
        return self.key_file or self.data_dir / "secret.key"


@cache
def get_settings() -> Settings:
    return Settings()


def database_url() -> str:
    """The SQLAlchemy URL of the database (``Settings.url``)."""
    return get_settings().url
