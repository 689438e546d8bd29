"""Docs that tests keep honest: settings and CLI commands are documented."""

from pathlib import Path

from casebook.cli import build_parser
from casebook.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in doc]
    assert missing == []


def test_readme_opens_with_purpose_and_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "deepfake" in readme.split("## Set up")[0]
    setup = readme.split("## Set up")[1].split("##")[0]
    commands = [line.split()[0:2] for line in setup.splitlines() if line.startswith("make ")]
    assert commands == [["make", "run"], ["make", "test"]]


def test_cli_help_lists_every_command_group() -> None:
    help_text = build_parser().format_help()
    for group in [
        "db",
        "setup",
        "demo",
        "user",
        "incidents",
        "law",
        "kb",
        "audit",
        "keys",
        "backup",
        "erase",
        "account",
    ]:
        assert group in help_text


def test_security_doc_who_sees_what_matches_the_code() -> None:
    from casebook.access.visibility import who_sees_what

    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    start, end = "<!-- who-sees-what:start -->\n", "<!-- who-sees-what:end -->"
    assert text[text.index(start) + len(start) : text.index(end)] == who_sees_what()
