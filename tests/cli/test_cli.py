import io
import json
import sys

from casebook.cli import main
from tests.factories import PASSWORD


def run(capsys, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def test_setup_creates_admin_once_and_prints_generated_password(session, capsys) -> None:
    code, out, _ = run(capsys, "setup")
    assert code == 0 and "admin password (shown once, not stored)" in out
    code, out, _ = run(capsys, "setup")
    assert code == 0 and "password" not in out


def test_user_add_reads_password_from_stdin_and_lists_json(session, factory, capsys) -> None:
    assert factory.admin.role == "admin"
    code, out, err = run(
        capsys, "user", "add", "--username", "lee", "--role", "lawyer", stdin=PASSWORD + "\n"
    )
    assert (code, err) == (0, "")
    code, out, _ = run(capsys, "user", "list", "--json")
    assert {"username": "lee", "role": "lawyer"}.items() <= next(
        u for u in json.loads(out) if u["username"] == "lee"
    ).items()


def test_user_add_refuses_short_password_with_exit_2(session, factory, capsys) -> None:
    assert factory.admin.role == "admin"
    code, out, err = run(
        capsys,
        "--lang",
        "ko",
        "user",
        "add",
        "--username",
        "kim",
        "--role",
        "viewer",
        stdin="short\n",
    )
    assert code == 2 and "12자 이상" in err and out == ""


def test_incidents_list_json(session, factory, capsys) -> None:
    factory.incident(title="첫 사건")
    factory.incident(title="둘째 사건", status="arrested")
    code, out, _ = run(capsys, "incidents", "list", "--json", "--status", "arrested")
    doc = json.loads(out)
    assert code == 0 and doc["total"] == 1
    assert doc["incidents"][0]["title"] == "둘째 사건"
    assert set(doc["incidents"][0]) >= {"id", "title", "reported_on", "status", "region"}


def test_incidents_list_bad_date_is_exit_2(session, factory, capsys) -> None:
    assert factory.admin.role == "admin"
    code, out, err = run(capsys, "incidents", "list", "--from", "2024-02-30")
    assert code == 2 and "YYYY-MM-DD" in err and out == ""


def test_demo_load_and_remove(session, factory, capsys) -> None:
    assert factory.admin.role == "admin"
    code, out, _ = run(capsys, "demo", "load")
    assert code == 0 and out.startswith("loaded ")
    code, out, _ = run(capsys, "demo", "remove")
    assert code == 0 and out.startswith("removed ")
    code, out, _ = run(capsys, "incidents", "list", "--json")
    assert json.loads(out)["total"] == 0


def test_db_upgrade_is_idempotent(session, capsys) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0


def test_help_lists_commands(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "incidents" in out and "demo" in out


def test_kb_load_reports_what_it_loaded(capsys) -> None:
    code, out, _ = run(capsys, "kb", "load", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["laws"] >= 8 and doc["versions"] > doc["provisions"]
    assert doc["foreign_provisions"] >= 4 and doc["national_figures"] > 0


def test_kb_load_names_file_line_and_field_of_a_broken_file(capsys, tmp_path, monkeypatch):
    import casebook.law.load as law_kb

    broken = tmp_path / "korea"
    (broken / "laws").mkdir(parents=True)
    (broken / "laws" / "bad.yaml").write_text("id: x\nname_ko: 1\n", encoding="utf-8")
    (broken / "amendments.yaml").write_text("amendments: []\n", encoding="utf-8")
    monkeypatch.setattr(law_kb, "KB_DIR", broken)
    monkeypatch.setattr(law_kb.check_kb, "__defaults__", (broken,))
    code, out, err = run(capsys, "kb", "load")
    assert code == 1 and "laws/bad.yaml:1: law: Field required" in err


def test_each_command_is_registered_by_the_module_the_cli_imports_for_it() -> None:
    import argparse
    import importlib

    from casebook.cli import COMMAND_MODULES, COMMAND_OWNERS

    for module in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module).register(sub)
        assert {name: module for name in sub.choices} == {
            name: owner for name, owner in COMMAND_OWNERS.items() if owner == module
        }


def test_stats_summary_imports_no_charting_law_or_password_modules() -> None:
    """`stats summary` starts fast: a fresh process parsing it imports only its command."""
    import subprocess

    heavy = (
        "plotly",
        "pandas",
        "streamlit",
        "docx",
        "argon2",
        "casebook.law.load",
        "casebook.law.national",
        "casebook.briefs",
    )
    code = (
        "import sys; from casebook.cli import build_parser; "
        "build_parser(['--lang', 'ko', 'stats', 'summary', '--json']); "
        "import casebook.analytics.dashboards; print(' '.join(sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "casebook.cli.commands.stats" in loaded and "casebook.cli.commands.brief" not in loaded
    assert not [m for m in loaded if m.startswith(heavy)]


def test_stats_summary_process_answers_without_the_orm(session, factory, capsys) -> None:
    """A `stats summary` process gives the in-process answer and never imports SQLModel,
    the ORM or the model classes (pydantic only for the one Settings)."""
    import os
    import subprocess

    from tests.analytics_fixture import build

    build(factory)
    assert main(["stats", "summary", "--json", "--from", "2024-08-15"]) == 0
    want = json.loads(capsys.readouterr().out)
    code = (
        "import sys; from casebook.cli import main; code = main(sys.argv[1:]); "
        "sys.stderr.write(' '.join(sys.modules)); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "stats", "summary", "--json", "--from", "2024-08-15"],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ),
    )
    assert json.loads(done.stdout) == want and want["total"] > 0
    loaded = done.stderr.split()
    assert "casebook.analytics.dashboards" in loaded
    heavy = ("sqlmodel", "sqlalchemy.orm", "db.models", "yaml")
    assert not [m for m in loaded if m.startswith(heavy)]
