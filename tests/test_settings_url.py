"""casebook.config.database_url (read without pydantic, for commands that must start
fast) gives the URL Settings gives, for every way the environment can set it."""

from __future__ import annotations

import pytest

from casebook import config as settings

CASES = [
    {},  # nothing set: the SQLite file under data/
    {"DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:5432/x"},
    {"database_url": "postgresql+psycopg://lower@127.0.0.1:5432/x"},  # names in any case
    {"DATABASE_URL": ""},  # empty means unset
    {"CASEBOOK_DATA_DIR": "/srv/casebook"},
    {"casebook_data_dir": "relative/dir"},
    {"CASEBOOK_DATA_DIR": ""},  # pydantic reads "" as the current folder
    {"DATABASE_URL": "sqlite:////tmp/a.db", "CASEBOOK_DATA_DIR": "/srv/casebook"},
]


@pytest.mark.parametrize("env", CASES)
def test_database_url_equals_the_settings_url(env: dict, monkeypatch) -> None:  # noqa: ANN001
    for name in ("DATABASE_URL", "database_url", "CASEBOOK_DATA_DIR", "casebook_data_dir"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings.get_settings.cache_clear()
    try:
        light = settings.database_url()  # before Settings is built: the light path
        assert settings.get_settings.cache_info().currsize == 0
        assert light == settings.get_settings().url
        assert settings.database_url() == light  # and once it is built
    finally:
        settings.get_settings.cache_clear()
