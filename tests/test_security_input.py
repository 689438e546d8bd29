"""Input hygiene from the security review: one http(s) rule for links at every front door
(M-3), invisible format characters out of titles and names (L-7), no bound values in a
failed query's error (L-6), owner-only files in every entry point (L-8)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import traceback
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import select

from casebook.cli import main
from casebook.errors import InvalidInput
from casebook.importing.cells import COLUMNS
from casebook.importing.run import import_incidents
from casebook.importing.spreadsheet import csv_bytes
from casebook.incidents.rooms import create_room
from casebook.incidents.store import record_incident
from casebook.textnorm import clean_text
from db.models import Incident

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_URLS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "http://",
    "https://user@evil.example/",
    "ftp://example.org/x",
    "http://exa mple.org/",
]


def _incident(**overrides) -> dict:
    return {"title": "링크 확인", "reported_on": "2024-09-02"} | overrides


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_form_refuses_non_http_source(session, factory, url) -> None:
    # The incident form hands record_incident exactly this shape (ui/incident/form.py).
    with pytest.raises(InvalidInput) as caught:
        record_incident(
            session, actor=factory.admin, data=_incident(sources=[{"title": url, "url": url}])
        )
    assert caught.value.problems == {"sources": "errors.bad_url"}
    assert session.exec(select(Incident)).all() == []


def test_form_keeps_http_sources(session, factory) -> None:
    url = "https://example.org/news?id=1&x=%EA%B0%80#top"
    inc = record_incident(
        session, actor=factory.admin, data=_incident(sources=[{"title": "기사", "url": url}])
    )
    assert session.get(Incident, inc.id).sources == [{"title": "기사", "url": url}]


def test_cli_add_and_import_refuse_javascript(session, factory, capsys, tmp_path) -> None:
    assert factory.admin.id
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_incident(sources=[{"url": "javascript:alert(1)"}])), "utf-8")
    assert main(["incidents", "add", "--file", str(path)]) == 2
    assert "http://" in capsys.readouterr().err
    row = ["X1", "링크", "2024-09-02"] + [""] * 13 + ["javascript:alert(1)"]
    sheet = tmp_path / "links.csv"
    sheet.write_bytes(csv_bytes(COLUMNS, [row]))
    assert main(["incidents", "import", str(sheet), "--json"]) == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["column"], p["problem"]) for p in problems] == [("source_url", "errors.bad_url")]
    assert session.exec(select(Incident)).all() == []


def test_import_refuses_the_same_urls(session, factory) -> None:
    rows = [
        [f"U{i}", "링크", "2024-09-02"] + [""] * 13 + [url] for i, url in enumerate(HOSTILE_URLS)
    ]
    report = import_incidents(
        session, actor=factory.admin, data=csv_bytes(COLUMNS, rows), filename="u.csv"
    )
    assert {(p.column, p.key) for p in report.problems} == {("source_url", "errors.bad_url")}
    assert sorted(p.row for p in report.problems) == list(range(2, 2 + len(HOSTILE_URLS)))
    assert session.exec(select(Incident)).all() == []


def test_room_invite_link_must_be_http(session, factory) -> None:
    room = {"platform": "telegram", "kind": "group", "label": "방"}
    with pytest.raises(InvalidInput) as caught:
        create_room(session, actor=factory.admin, data=room | {"invite_link": "javascript:x"})
    assert caught.value.problems == {"invite_link": "errors.bad_url"}
    create_room(session, actor=factory.admin, data=room | {"invite_link": "https://t.me/+abc"})


# L-7: every format character (category Cf) and the Unicode line separators.
INVISIBLE = sorted(
    {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"} | {"\u2028", "\u2029"}
)


@given(
    st.text(alphabet=st.characters(codec="utf-8"))
    | st.lists(st.sampled_from(INVISIBLE + ["가", "a", " ", "\n", "👩", "\u0301"])).map("".join)
)
def test_clean_text_leaves_no_invisible_characters(value: str) -> None:
    cleaned = clean_text(value)
    assert not set(cleaned) & set(INVISIBLE)
    assert clean_text(cleaned) == cleaned
    visible = "".join(c for c in value if c not in INVISIBLE and c.isprintable())
    assert clean_text(visible) == unicodedata.normalize("NFC", visible)


def test_titles_and_names_lose_bidi_and_zero_width(session, factory) -> None:
    spoof = "\u202e\u2066정상\u2069 제목\u200b\u200c\u200d\u2060\ufeff\u2028끝\u202c"
    inc = record_incident(session, actor=factory.admin, data=_incident(title=spoof))
    assert session.get(Incident, inc.id).title == "정상 제목 끝"
    inst = factory.institution(name="\u202e가나\u200b대학교")
    assert inst.name == "가나대학교"


# L-6
def test_failed_query_error_has_no_parameter_values(session) -> None:
    marker = "김지은 010-1234-5678"
    with pytest.raises(Exception) as caught:
        session.execute(text("SELECT id FROM no_such_table WHERE title = :t"), {"t": marker})
    session.rollback()
    logged = "".join(traceback.format_exception(caught.value))
    assert "no_such_table" in logged and marker not in logged
    assert "parameters hidden" in logged


# L-8
def test_entry_points_create_owner_only_files(tmp_path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{folder / 'casebook.db'}",
        CASEBOOK_DATA_DIR=str(folder / "data"),
        CASEBOOK_BACKUP_PASSPHRASE="an owner-only test passphrase",
    )
    cli = [sys.executable, "-m", "casebook"]
    for argv in (["setup"], ["backup", "create", str(folder / "b.zip")]):
        done = subprocess.run(
            cli + argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
    made = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert "casebook.db" in made and "b.zip" in made
    modes = {name: stat.S_IMODE((folder / name).stat().st_mode) for name in made}
    assert modes == dict.fromkeys(made, 0o600)


def test_app_sets_an_owner_only_umask(settings_env) -> None:
    from tests.pagetest import new_app

    before = os.umask(0o022)
    try:
        new_app()  # runs app.py as streamlit does, as __main__
        assert os.umask(0o022) == 0o077
    finally:
        os.umask(before)


@given(st.text())
def test_plain_leaves_no_markdown_or_bare_address(value: str) -> None:
    import ui

    shown = ui.plain(value)
    assert not set(shown) & set("\\`*_{}[]()#+-.!|<>~$:\"'=^@/%") - set("&#;")
    assert "://" not in shown and "\n" not in shown
