"""`python -m casebook law ...`: JSON shapes and exit codes."""

from __future__ import annotations

import json

import pytest

from casebook.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_applicable_json(capsys):
    code, out, _ = run(
        capsys,
        "law",
        "applicable",
        "--conduct",
        "view",
        "--victim",
        "adult",
        "--date",
        "2024-08-01",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "conduct",
        "victim",
        "date",
        "criminal",
        "provisions",
        "later_changes",
        "kb_checked",
    }
    assert data["criminal"] is False and data["provisions"] == []
    assert data["later_changes"][0]["version_id"] == "sexual-crimes-act:14-2@2024-10-16"


def test_applicable_json_provision_fields(capsys):
    code, out, _ = run(
        capsys,
        "law",
        "applicable",
        "--conduct",
        "view",
        "--victim",
        "adult",
        "--date",
        "2024-10-16",
        "--json",
    )
    [p] = json.loads(out)["provisions"]
    assert set(p) == {
        "law",
        "law_en",
        "article",
        "in_force_from",
        "in_force_to",
        "prison_min_years",
        "prison_max_years",
        "fine_max_krw",
        "requirements",
        "summary_ko",
        "summary_en",
        "source",
        "version_id",
        "verified",
    }
    assert p["version_id"] == "sexual-crimes-act:14-2@2024-10-16"


@pytest.mark.parametrize(
    "args",
    [
        ["--conduct", "peek", "--victim", "adult", "--date", "2024-10-16"],
        ["--conduct", "view", "--victim", "child", "--date", "2024-10-16"],
        ["--conduct", "view", "--victim", "adult", "--date", "16/10/2024"],
        ["--conduct", "view", "--victim", "adult", "--date", "2024-02-30"],
    ],
)
def test_bad_input_exits_2_with_message(capsys, args):
    code, out, err = run(capsys, "law", "applicable", *args, "--json")
    assert code == 2 and out == "" and err.strip()


def test_search_json(capsys):
    code, out, _ = run(capsys, "law", "search", "소지", "--json")
    hits = json.loads(out)["hits"]
    assert code == 0 and any(h["provision_id"] == "sexual-crimes-act:14-2" for h in hits)


def test_show_on_date(capsys):
    code, out, _ = run(
        capsys, "law", "show", "sexual-crimes-act:14-2", "--date", "2024-10-15", "--json"
    )
    assert code == 0 and json.loads(out)["version"]["id"] == "sexual-crimes-act:14-2@2020-06-25"
    code, _, err = run(capsys, "law", "show", "nope:1", "--json")
    assert code == 2 and "nope:1" in err


def test_diff(capsys):
    code, out, _ = run(
        capsys,
        "law",
        "diff",
        "sexual-crimes-act:14-2",
        "--from",
        "2024-10-15",
        "--to",
        "2024-10-16",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["to_version"] == "sexual-crimes-act:14-2@2024-10-16"
    code, out, _ = run(
        capsys,
        "law",
        "diff",
        "sexual-crimes-act:14-2",
        "--from",
        "2024-10-15",
        "--to",
        "2024-10-16",
    )
    assert code == 0 and "prison_max_years" in out


def test_check_ok(capsys):
    code, out, err = run(capsys, "law", "check")
    assert code == 0 and err == ""


def test_check_reports_broken_kb(capsys, monkeypatch, tmp_path):
    from casebook.cli.commands import law as law_cmd
    from casebook.law.yamlload import KBError

    monkeypatch.setattr(law_cmd, "check_kb", lambda: [KBError("laws/x.yaml", 7, "law", "bad")])
    code, _, err = run(capsys, "law", "check")
    assert code == 1 and "laws/x.yaml:7: law: bad" in err


def test_timeline_and_amendments_json(capsys):
    code, out, _ = run(capsys, "law", "timeline", "--victim", "adult", "--json")
    assert code == 0 and "view" in json.loads(out)["rows"]
    code, out, _ = run(capsys, "law", "amendments", "--json")
    assert code == 0 and json.loads(out)["amendments"][0]["status"]


def test_help_lists_law(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "law" in out


def test_applicable_prints_the_penalty_as_a_lawyer_writes_it(capsys):
    # Issue 18: the CLI printed "life or 5-".
    code, out, _ = run(
        capsys,
        "--lang",
        "en",
        "law",
        "applicable",
        "--conduct",
        "create",
        "--victim",
        "minor",
        "--date",
        "2024-10-15",
    )
    assert code == 0 and "imprisonment for life or for not less than 5 years" in out
    assert "life or 5-" not in out
    code, out, _ = run(
        capsys,
        "--lang",
        "ko",
        "law",
        "applicable",
        "--conduct",
        "create",
        "--victim",
        "minor",
        "--date",
        "2024-10-15",
    )
    assert "무기 또는 5년 이상의 징역" in out


@pytest.mark.parametrize(
    "argv",
    [
        ("applicable", "--conduct", "view", "--victim", "adult", "--date", "2024-10-16"),
        ("search", "소지"),
        ("show", "sexual-crimes-act:14-2"),
        ("show", "sexual-crimes-act:14-2", "--date", "2024-10-16"),
        ("diff", "sexual-crimes-act:14-2", "--from", "2024-10-15", "--to", "2024-10-16"),
        ("timeline", "--victim", "adult"),
        ("amendments",),
    ],
)
def test_every_json_answer_says_when_the_kb_was_checked(capsys, argv):
    from casebook.law import engine as law

    code, out, _ = run(capsys, "law", *argv, "--json")
    assert code == 0 and json.loads(out)["kb_checked"] == law.kb_checked_on().isoformat()


def test_text_answer_says_when_the_kb_was_checked(capsys):
    code, out, _ = run(
        capsys,
        "--lang",
        "ko",
        "law",
        "applicable",
        "--conduct",
        "view",
        "--victim",
        "adult",
        "--date",
        "2024-10-16",
    )
    assert code == 0 and "지식베이스 확인 기준일: 2026-06-05" in out
