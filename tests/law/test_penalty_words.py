"""Issue 18: every penalty reads as a lawyer writes it, in both languages (one function)."""

from __future__ import annotations

from datetime import date

import pytest

from casebook.law import engine as law
from casebook.law.penalty import penalty_words, won_ko


@pytest.mark.parametrize(
    ("args", "ko", "en"),
    [
        (
            (5, 30, True, None),
            "무기 또는 5년 이상의 징역",
            "imprisonment for life or for not less than 5 years",
        ),
        (
            (None, 3, False, 30_000_000),
            "3년 이하의 징역 또는 3천만 원 이하의 벌금",
            "imprisonment for not more than 3 years or a fine not exceeding 30 million won",
        ),
        ((3, 30, False, None), "3년 이상의 유기징역", "imprisonment for not less than 3 years"),
        (
            (None, 10, False, 20_000_000),
            "10년 이하의 징역 또는 2천만 원 이하의 벌금",
            "imprisonment for not more than 10 years or a fine not exceeding 20 million won",
        ),
        (
            (None, 3, False, 100_000_000),
            "3년 이하의 징역 또는 1억 원 이하의 벌금",
            "imprisonment for not more than 3 years or a fine not exceeding 100 million won",
        ),
        ((1, 30, False, None), "1년 이상의 유기징역", "imprisonment for not less than 1 year"),
        ((None, 0.5, False, None), "6개월 이하의 징역", "imprisonment for not more than 6 months"),
        (
            (1, 10, False, None),
            "1년 이상 10년 이하의 징역",
            "imprisonment for not less than 1 year and not more than 10 years",
        ),
        ((None, None, False, None), "형벌 없음", "no criminal penalty"),
    ],
)
def test_penalty_words(args: tuple, ko: str, en: str) -> None:
    assert penalty_words(*args, "ko") == ko
    assert penalty_words(*args, "en") == en


def test_korean_amounts() -> None:
    assert won_ko(5_000_000) == "5백만 원"
    assert won_ko(50_000_000) == "5천만 원"
    assert won_ko(150_000_000) == "1억 5천만 원"
    assert won_ko(1_234) == "1,234원"


def test_every_kb_penalty_has_no_dangling_dash() -> None:
    for conduct in ("create", "distribute", "possess", "view", "threaten", "coerce"):
        for victim in ("adult", "minor"):
            res = law.applicable_law(conduct, victim, date(2026, 12, 3))
            for p in res.provisions:
                for lang in ("ko", "en"):
                    words = penalty_words(
                        p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw, lang
                    )
                    assert not words.endswith("-") and "life or 5-" not in words
