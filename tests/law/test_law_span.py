"""Issue 18: possession and viewing are continuing acts; a question about a span says which
part was an offence and under which version (engine, CLI, law page, incident page)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from casebook.cli import main
from casebook.law import engine as law
from casebook.law.answers import LawQueryError

D = date.fromisoformat


def test_possession_across_2024_10_16_is_split_at_that_day() -> None:
    res = law.applicable_span("possess", "adult", D("2024-09-01"), D("2024-11-30"))
    assert res.continuing
    assert [(p.start, p.end, p.criminal, p.version_ids) for p in res.parts] == [
        (D("2024-09-01"), D("2024-10-15"), False, []),
        (D("2024-10-16"), D("2024-11-30"), True, ["sexual-crimes-act:14-2@2024-10-16"]),
    ]


@pytest.mark.parametrize(
    ("start", "end"), [("2024-10-15", "2024-10-15"), ("2024-10-16", "2024-10-16")]
)
def test_one_day_span_equals_the_point_answer(start: str, end: str) -> None:
    span = law.applicable_span("view", "adult", D(start), D(end))
    point = law.applicable_law("view", "adult", D(start))
    assert len(span.parts) == 1
    assert span.parts[0].criminal == point.criminal
    assert span.parts[0].version_ids == sorted({p.version_id for p in point.provisions})


def test_minor_possession_follows_each_version_of_art_11() -> None:
    res = law.applicable_span("possess", "minor", D("2025-04-01"), D("2026-01-31"))
    cpa = [
        [v for v in p.version_ids if v.startswith("child-protection-act:11@")] for p in res.parts
    ]
    assert cpa == [
        ["child-protection-act:11@2023-10-12"],
        ["child-protection-act:11@2025-04-22"],
        ["child-protection-act:11@2025-12-30"],
    ]
    assert [p.start for p in res.parts] == [D("2025-04-01"), D("2025-04-22"), D("2025-12-30")]
    assert all(p.criminal for p in res.parts)


def test_creation_is_not_continuing_but_still_split() -> None:
    res = law.applicable_span("create", "adult", D("2020-06-01"), D("2020-07-01"))
    assert not res.continuing
    assert [p.criminal for p in res.parts] == [False, True]


def test_span_end_before_start_is_a_clear_error() -> None:
    with pytest.raises(LawQueryError) as err:
        law.applicable_span("view", "adult", D("2024-11-30"), D("2024-09-01"))
    assert "before" in err.value.en and "앞섭니다" in err.value.ko


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_from_to_json(capsys) -> None:
    code, out, _ = _run(
        capsys,
        "law",
        "applicable",
        "--conduct",
        "possess",
        "--victim",
        "adult",
        "--from",
        "2024-09-01",
        "--to",
        "2024-11-30",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["continuing"] is True
    assert [(p["from"], p["to"], p["criminal"]) for p in data["parts"]] == [
        ("2024-09-01", "2024-10-15", False),
        ("2024-10-16", "2024-11-30", True),
    ]
    assert data["parts"][1]["version_ids"] == ["sexual-crimes-act:14-2@2024-10-16"]
    assert data["kb_checked"] == law.kb_checked_on().isoformat()


def test_cli_from_to_text(capsys) -> None:
    argv = ["--lang", "en", "law", "applicable", "--conduct", "view", "--victim", "adult"]
    code, out, _ = _run(capsys, *argv, "--from", "2024-10-01", "--to", "2024-10-31")
    assert code == 0
    assert "2024-10-01 .. 2024-10-15: not criminal" in out
    assert "2024-10-16 .. 2024-10-31: criminal" in out


@pytest.mark.parametrize(
    "extra",
    [
        ("--from", "2024-09-01"),
        ("--from", "2024-09-01", "--to", "2024-09-30", "--date", "2024-09-05"),
        ("--from", "2024-11-30", "--to", "2024-09-01"),
        (),
    ],
)
def test_cli_bad_span_exits_2_with_a_message(capsys, extra: tuple[str, ...]) -> None:
    code, out, err = _run(
        capsys, "law", "applicable", "--conduct", "view", "--victim", "adult", *extra
    )
    assert code == 2 and out == "" and err.strip()


SCRIPT = """
import streamlit as st
st.session_state["lang"] = "en"
from pages import law_library
law_library.render()
"""


def test_law_page_ask_tab_shows_the_split() -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    at.selectbox(key="law_ask_conduct").set_value("possess")
    at.selectbox(key="law_ask_victim").set_value("adult")
    at.toggle(key="law_ask_span").set_value(True).run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "Part of the span" in df.value.columns)
    assert list(table["Part of the span"]) == ["2024-09-01 ~ 2024-10-15", "2024-10-16 ~ 2024-11-30"]
    assert "sexual-crimes-act:14-2@2024-10-16" in table.to_string()
