"""Issue 18: the enacted changes to 2026, pinned on the days they took effect.

Each pair of dates is the day before and the day a change took force, read from the
official-text mirror (commits in docs/kb.md). A wrong date in the KB fails here.
"""

from __future__ import annotations

from datetime import date

import pytest

from casebook.law import engine as law
from casebook.law.answers import LawQueryError


@pytest.mark.parametrize(
    ("provision", "before", "on", "old", "new"),
    [
        # Child Protection Act Act 21274: in force on promulgation, 2025-12-30.
        ("child-protection-act:11", "2025-12-29", "2025-12-30", "11@2025-04-22", "11@2025-12-30"),
        ("child-protection-act:20", "2025-12-29", "2025-12-30", "20@2021-09-24", "20@2025-12-30"),
        # Act 17972 (2021-09-24): grooming and imprescriptible production.
        ("child-protection-act:20", "2021-09-23", "2021-09-24", "20@2013-06-19", "20@2021-09-24"),
        ("child-protection-act:15-2", "2021-09-23", "2021-09-24", None, "15-2@2021-09-24"),
        # Act 20931: Art. 15-2 and Art. 25-2(1) six months after 2025-04-22.
        (
            "child-protection-act:15-2",
            "2025-10-22",
            "2025-10-23",
            "15-2@2021-09-24",
            "15-2@2025-10-23",
        ),
        (
            "child-protection-act:25-2",
            "2025-10-22",
            "2025-10-23",
            "25-2@2025-04-17",
            "25-2@2025-10-23",
        ),
        # Act 20462: Art. 38-2 six months after 2024-10-16; renamed commission 2025-10-01.
        ("child-protection-act:38-2", "2025-04-16", "2025-04-17", None, "38-2@2025-04-17"),
        (
            "child-protection-act:38-2",
            "2025-09-30",
            "2025-10-01",
            "38-2@2025-04-17",
            "38-2@2025-10-01",
        ),
        # Sexual Crimes Act Act 20575: six months after 2024-12-20.
        ("sexual-crimes-act:15-3", "2025-06-20", "2025-06-21", None, "15-3@2025-06-21"),
        ("sexual-crimes-act:23-2", "2025-06-20", "2025-06-21", None, "23-2@2025-06-21"),
        (
            "sexual-crimes-act:23-2",
            "2025-09-30",
            "2025-10-01",
            "23-2@2025-06-21",
            "23-2@2025-10-01",
        ),
        ("sexual-crimes-act:15", "2020-06-24", "2020-06-25", None, "15@2020-06-25"),
        # SVPA Art. 7-3: Acts 16896 (3 months) and 17895 (6 months).
        (
            "sexual-violence-prevention-act:7-3",
            "2020-04-29",
            "2020-04-30",
            "7-3@2018-09-14",
            "7-3@2020-04-30",
        ),
        (
            "sexual-violence-prevention-act:7-3",
            "2021-07-12",
            "2021-07-13",
            "7-3@2020-04-30",
            "7-3@2021-07-13",
        ),
        (
            "sexual-violence-prevention-act:7-3",
            "2025-04-16",
            "2025-04-17",
            "7-3@2021-07-13",
            "7-3@2025-04-17",
        ),
        # Network Act Acts 20534 (2025-06-04) and 21305 (2026-07-07).
        ("network-act:4-2", "2025-06-03", "2025-06-04", None, "4-2@2025-06-04"),
        ("network-act:44-7", "2026-07-06", "2026-07-07", "44-7@2025-06-04", "44-7@2026-07-07"),
        ("network-act:44-10", "2026-07-06", "2026-07-07", None, "44-10@2026-07-07"),
        # AI Basic Act: one year after 2025-01-21.
        ("ai-basic-act:31", "2026-01-21", "2026-01-22", None, "31@2026-01-22"),
    ],
)
def test_version_changes_on_the_day_it_took_force(
    provision: str, before: str, on: str, old: str | None, new: str
) -> None:
    law_slug = provision.split(":")[0]
    v_before = law.version_on(provision, date.fromisoformat(before))
    v_on = law.version_on(provision, date.fromisoformat(on))
    assert (v_before.id if v_before else None) == (f"{law_slug}:{old}" if old else None)
    assert v_on is not None and v_on.id == f"{law_slug}:{new}"


def test_possession_of_a_minor_deepfake_today_uses_the_2025_12_30_version() -> None:
    res = law.applicable_law("possess", "minor", date(2026, 12, 3))
    ids = {p.version_id for p in res.provisions}
    assert "child-protection-act:11@2025-12-30" in ids
    para5 = next(
        p for p in res.provisions if p.version_id.endswith("2025-12-30") and p.paragraph == "5"
    )
    assert "알면서" not in para5.summary_ko.split(" — ")[0]


def test_deepfake_threat_lists_extortion() -> None:
    res = law.applicable_law("threaten", "adult", date(2024, 10, 15))
    assert "criminal-act:350@1996-07-01" in {p.version_id for p in res.provisions}


def test_related_offences_are_not_answers_of_applicable_law() -> None:
    # Grooming (CPA 15-2) and a provider's failure to remove (TBA 95-2) carry penalties but
    # are outside the conduct vocabulary.
    for conduct in ("distribute", "view", "create"):
        ids = {
            p.provision_id
            for p in law.applicable_law(conduct, "minor", date(2026, 1, 1)).provisions
        }
        assert not ids & {"child-protection-act:15-2", "telecom-business-act:95-2"}


def test_undercover_change_of_2025_does_not_claim_to_add_grooming() -> None:
    v = law.get_version("child-protection-act:25-2@2025-10-23")
    assert "2021-09-24" in v.changes.en and "Adds online grooming" not in v.changes.en
    first = law.get_version("child-protection-act:25-2@2021-09-24")
    assert "15-2" in first.summary.en


def test_svpa_history_note_no_longer_claims_a_2026_08_04_change() -> None:
    note = law.get_provision("sexual-violence-prevention-act:7-3").history_note
    assert "cannot be found" in note.en


@pytest.mark.parametrize(
    ("body", "on", "ko"),
    [
        ("kcsc", "2025-09-30", "방송통신심의위원회"),
        ("kcsc", "2025-10-01", "방송미디어통신심의위원회"),
        ("kcc", "2025-10-01", "방송미디어통신위원회"),
        ("mogef", "2025-09-30", "여성가족부"),
        ("mogef", "2025-10-01", "성평등가족부"),
    ],
)
def test_body_name_in_force_on_each_date(body: str, on: str, ko: str) -> None:
    assert law.body_name(body, date.fromisoformat(on)).name_ko == ko


def test_unknown_body_is_a_clear_error() -> None:
    with pytest.raises(LawQueryError):
        law.body_name("nope", date(2025, 1, 1))


def test_kb_is_stale_after_90_days() -> None:
    checked = date(2026, 6, 5)
    assert not law.kb_is_stale(date(2026, 9, 3), checked)  # 90 days
    assert law.kb_is_stale(date(2026, 9, 4), checked)  # 91 days
    assert law.kb_checked_on() == min(x.checked for x in law.laws())
