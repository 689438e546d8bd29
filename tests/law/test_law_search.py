"""search_law: substring matching in Korean (1-2 syllables) and English, ranked."""

from __future__ import annotations

import pytest

from casebook.law.engine import search_law


def ids(query: str, lang: str | None = None) -> list[str]:
    return [h.provision_id for h in search_law(query, lang)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("시청", "sexual-crimes-act:14-2"),  # two syllables
        ("소지", "sexual-crimes-act:14-2"),
        ("딥페이크", "sexual-crimes-act:14-2"),
        ("협박", "sexual-crimes-act:14-3"),
        ("강요", "child-protection-act:11-2"),
        ("촉법", "juvenile-act:4"),
        ("삭제", "sexual-violence-prevention-act:7-3"),
        ("위장수사", "sexual-crimes-act:22-2"),
        ("view", "sexual-crimes-act:14-2"),
        ("possession", "sexual-crimes-act:14-2"),
        ("deepfake", "sexual-crimes-act:14-2"),
        ("undercover", "child-protection-act:25-2"),
        ("14-2", "sexual-crimes-act:14-2"),
        ("허위 영상물", "sexual-crimes-act:14-2"),
    ],
)
def test_finds(query, expected):
    assert expected in ids(query)


def test_one_syllable_korean_word_matches():
    assert "sexual-crimes-act:14-3" in ids("협")


def test_deepfake_article_ranks_first():
    assert ids("딥페이크")[0] == "sexual-crimes-act:14-2"
    assert ids("deepfake")[0] == "sexual-crimes-act:14-2"


def test_language_filter():
    assert ids("시청", "en") == []
    assert ids("view", "ko") == []
    assert ids("시청", "ko")


def test_every_word_must_match_and_empty_query_finds_nothing():
    assert ids("딥페이크 zzzz") == []
    assert ids("   ") == []


def test_hits_are_json_ready():
    hit = search_law("시청")[0].as_json()
    assert {"provision_id", "law", "article", "title_ko", "title_en", "score", "snippet"} <= set(
        hit
    )


def test_unknown_search_language_is_refused():
    from casebook.law.engine import LawQueryError

    with pytest.raises(LawQueryError):
        search_law("시청", "fr")
