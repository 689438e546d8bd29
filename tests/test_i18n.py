from datetime import date, datetime

import pytest

from casebook import vocab
from casebook.i18n import catalog, fmt_date, fmt_number, label, translate


def test_catalogs_have_the_same_keys() -> None:
    ko, en = set(catalog("ko")), set(catalog("en"))
    assert sorted(ko - en) == [] and sorted(en - ko) == []


def test_catalogs_have_no_empty_messages() -> None:
    for lang in ("ko", "en"):
        assert [k for k, v in catalog(lang).items() if not v.strip()] == []


@pytest.mark.parametrize(
    "group,values",
    [
        ("conduct", vocab.CONDUCTS),
        ("role", vocab.ROLES),
        ("institution_kind", vocab.INSTITUTION_KINDS),
        ("region", vocab.REGIONS),
        ("platform", vocab.PLATFORMS),
        ("status", vocab.STATUSES),
        ("age_band", vocab.SUSPECT_AGE_BANDS),
        ("obstacle", vocab.OBSTACLES),
        ("victim_group", vocab.VICTIM_GROUPS),
        ("room_kind", vocab.ROOM_KINDS),
    ],
)
def test_every_vocabulary_word_has_a_label_in_both_languages(group, values) -> None:
    for lang in ("ko", "en"):
        missing = [v for v in values if f"vocab.{group}.{v}" not in catalog(lang)]
        assert missing == [], (lang, group)


def test_translate_formats_and_falls_back() -> None:
    assert translate("login.locked", "en", minutes=15).endswith("15 minutes.")
    assert translate("login.locked", "ko", minutes=15) == (
        "로그인 실패가 반복되어 계정이 15분 동안 잠겼습니다."
    )
    assert translate("no.such.key", "en") == "no.such.key"
    assert translate("login.title", "fr") == "로그인"


def test_formats() -> None:
    assert fmt_date(date(2024, 10, 16)) == "2024-10-16"
    assert fmt_date(datetime(2024, 10, 16, 9, 5)) == "2024-10-16 09:05"
    assert fmt_date(None) == "—"
    assert fmt_number(1234567) == "1,234,567"
    assert fmt_number(None) == "—"
    assert label("status", "arrested", "en") == "Arrested"
    assert label("region", "busan", "ko") == "부산"
