"""The document toolkit alone: sanitising, redaction, penalties, determinism."""

from __future__ import annotations

import pytest

from casebook.briefs.common import Redactor, penalty_text
from casebook.briefs.docx_kit import clean, new_brief, to_bytes
from tests.briefs_helpers import WHEN, reopen


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain 한글", "plain 한글"),
        ("a\x00b\x07c\x1bd", "abcd"),  # control characters go
        ("tab\tand\nnewline", "tab\tand\nnewline"),  # these two stay
        ("x\ud800y\uffffz", "xyz"),  # lone surrogates and non-characters go
        ("<w:t>]]>&amp;", "<w:t>]]>&amp;"),  # markup is text; python-docx escapes it
        ("cr\r\nlf\r", "cr\nlf\n"),
        ("e\u0301", "é"),  # NFC
        (None, ""),
    ],
)
def test_clean(raw, expected) -> None:
    assert clean(raw) == expected


def test_clean_truncates_with_a_marker() -> None:
    assert clean("가" * 20, max_length=5, lang="ko") == "가가가가가 …[이하 생략]"
    assert clean("a" * 20, max_length=5) == "aaaaa …[truncated]"


def test_redactor_removes_every_piece_of_the_victim_details() -> None:
    red = Redactor("김민지, 010-1234-5678 (mj@example.com)", "en")
    assert red("김민지 학생이 010-1234-5678로 연락") == "[redacted] 학생이 [redacted]로 연락"
    assert red("MJ@EXAMPLE.COM wrote") == "[redacted] wrote"
    assert Redactor(None, "ko")("그대로") == "그대로"
    assert Redactor("010 1234 5678", "ko")("2024년 1234건") == "2024년 1234건"
    assert Redactor(None, "en", withhold_all=True)("any free text") == "[redacted]"


@pytest.mark.parametrize(
    ("args", "ko", "en"),
    [
        (
            (None, 5.0, False, 50_000_000),
            "5년 이하의 징역 또는 5천만 원 이하의 벌금",
            "imprisonment for not more than 5 years or a fine not exceeding 50 million won",
        ),
        ((3.0, None, False, None), "3년 이상의 유기징역", "imprisonment for not less than 3 years"),
        (
            (1.0, 7.0, False, None),
            "1년 이상 7년 이하의 징역",
            "imprisonment for not less than 1 year and not more than 7 years",
        ),
        (
            (5.0, None, True, None),
            "무기 또는 5년 이상의 징역",
            "imprisonment for life or for not less than 5 years",
        ),
        ((None, None, False, None), "형벌 없음", "no criminal penalty"),
    ],
)
def test_penalty_text(args, ko, en) -> None:
    assert penalty_text(*args, "ko") == ko
    assert penalty_text(*args, "en") == en


def _doc() -> bytes:
    brief = new_brief(
        lang="ko", org_name="단체\x00", marking="대외비", page_label="쪽", generated="2026-11-25"
    )
    brief.heading("제목", 1)
    brief.table(["a", "b"], [["1", None], ["\x01x", 2]])
    return to_bytes(brief, title="t", author="단체", when=WHEN)


def test_same_input_gives_the_same_bytes() -> None:
    first, second = _doc(), _doc()
    assert first == second
    doc = reopen(first)
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows] == [
        ["a", "b"],
        ["1", "—"],
        ["x", "2"],
    ]
    assert doc.tables[0].style.name == "Table Grid"
    assert doc.sections[0].header.paragraphs[0].text == "단체  |  대외비"
