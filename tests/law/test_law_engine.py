"""The point-in-time engine: each provision's own examples and the dates the law changed."""

from __future__ import annotations

from datetime import date

import pytest

from casebook.law.engine import (
    LawQueryError,
    amendments,
    applicable_law,
    conduct_timeline,
    diff_versions,
    get_provision,
    get_version,
    laws,
    version_on,
)
from casebook.law.load import load_kb

D = date.fromisoformat
EXAMPLES = [(p.id, ex) for p in load_kb().provision_by_id.values() for ex in p.examples]


@pytest.mark.parametrize(
    ("pid", "ex"), EXAMPLES, ids=[f"{p}-{e.conduct}-{e.date}" for p, e in EXAMPLES]
)
def test_provision_examples(pid, ex):
    result = applicable_law(ex.conduct, ex.victim, ex.date, material=ex.material)
    assert result.criminal is ex.criminal
    mine = {p.version_id for p in result.provisions if p.provision_id == pid}
    if ex.version:
        assert ex.version in mine
    else:
        assert not mine


# conduct, victim, date, criminal, a version id that must be among the answers (or None)
PINS = [
    # Art. 14-2 created 2020-06-25 (making deepfakes only with intent to distribute)
    ("create", "adult", "2020-06-24", False, None),
    ("create", "adult", "2020-06-25", True, "sexual-crimes-act:14-2@2020-06-25"),
    # 2024-10-16: possession, purchase, storage and viewing of adult deepfakes
    ("view", "adult", "2024-10-15", False, None),
    ("view", "adult", "2024-10-16", True, "sexual-crimes-act:14-2@2024-10-16"),
    ("possess", "adult", "2024-10-15", False, None),
    ("possess", "adult", "2024-10-16", True, "sexual-crimes-act:14-2@2024-10-16"),
    ("purchase", "adult", "2024-10-16", True, "sexual-crimes-act:14-2@2024-10-16"),
    ("store", "adult", "2024-10-16", True, "sexual-crimes-act:14-2@2024-10-16"),
    # threats with deepfakes: general threat offence until 14-3 covered them
    ("threaten", "adult", "2024-10-15", True, "criminal-act:283@1996-07-01"),
    ("threaten", "adult", "2024-10-16", True, "sexual-crimes-act:14-3@2024-10-16"),
    ("threaten", "minor", "2024-10-16", True, "child-protection-act:11-2@2024-10-16"),
    ("coerce", "minor", "2024-10-16", True, "child-protection-act:11-2@2024-10-16"),
    # minors: Child Protection Act Art. 11 (viewing named from 2020-06-02)
    ("view", "minor", "2020-06-01", False, None),
    ("view", "minor", "2020-06-02", True, "child-protection-act:11@2020-06-02"),
    ("view", "minor", "2024-08-01", True, "child-protection-act:11@2023-10-12"),
    # 2025-04-22: 'knowingly' dropped from possession/viewing of exploitation material
    ("possess", "minor", "2025-04-21", True, "child-protection-act:11@2023-10-12"),
    ("possess", "minor", "2025-04-22", True, "child-protection-act:11@2025-04-22"),
    ("purchase", "minor", "2020-06-01", False, None),
]


@pytest.mark.parametrize(("conduct", "victim", "day", "criminal", "version"), PINS)
def test_law_change_dates(conduct, victim, day, criminal, version):
    result = applicable_law(conduct, victim, D(day))
    assert result.criminal is criminal
    if version:
        assert version in {p.version_id for p in result.provisions}


def test_penalties_of_14_2_before_and_after_2024():
    old = applicable_law("create", "adult", D("2024-10-15")).provisions
    new = applicable_law("create", "adult", D("2024-10-16")).provisions
    [o] = [p for p in old if p.provision_id == "sexual-crimes-act:14-2"]
    [n] = [p for p in new if p.provision_id == "sexual-crimes-act:14-2"]
    assert (o.prison_max_years, o.fine_max_krw) == (5, 50_000_000)
    assert (n.prison_max_years, n.fine_max_krw) == (7, 50_000_000)
    assert any("목적" in r["ko"] for r in o.requirements)
    view = applicable_law("view", "adult", D("2024-10-16")).provisions[0]
    assert (view.prison_max_years, view.fine_max_krw, view.article) == (
        3,
        30_000_000,
        "제14조의2 제4항",
    )


def test_later_changes_tell_what_came_after():
    result = applicable_law("view", "adult", D("2024-08-01"))
    assert not result.criminal
    [change] = result.later_changes
    assert change.version_id == "sexual-crimes-act:14-2@2024-10-16"
    assert change.date == D("2024-10-16") and change.criminal_after
    assert change.new_penalty["prison_max_years"] == 3


def test_life_imprisonment_is_not_hidden_as_a_number():
    [p] = [
        p
        for p in applicable_law("create", "minor", D("2024-01-01")).provisions
        if p.provision_id == "child-protection-act:11"
    ]
    assert p.life and p.prison_max_years is None and p.prison_min_years == 5
    assert any("무기" in r["ko"] for r in p.requirements)


def test_json_shape():
    data = applicable_law("view", "adult", D("2024-10-16")).as_json()
    assert list(data) == [
        "conduct",
        "victim",
        "date",
        "criminal",
        "provisions",
        "later_changes",
        "kb_checked",
    ]
    assert data["date"] == "2024-10-16"
    assert set(data["provisions"][0]) == {
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


@pytest.mark.parametrize(("conduct", "victim"), [("peek", "adult"), ("view", "child"), ("", "")])
def test_unknown_words_raise_in_both_languages(conduct, victim):
    with pytest.raises(LawQueryError) as info:
        applicable_law(conduct, victim, D("2024-10-16"))
    assert isinstance(info.value, ValueError)
    assert info.value.ko and info.value.en and info.value.ko != info.value.en


def test_lookups():
    assert get_provision("sexual-crimes-act:14-2").article == "제14조의2"
    assert version_on("sexual-crimes-act:14-2", D("2020-06-24")) is None
    assert version_on("sexual-crimes-act:14-2", D("2024-10-16")).id.endswith("@2024-10-16")
    assert get_version("sexual-crimes-act:14-2@2020-06-25").in_force_to == D("2024-10-15")
    with pytest.raises(LawQueryError):
        get_provision("sexual-crimes-act:99")
    with pytest.raises(LawQueryError):
        get_version("sexual-crimes-act:14-2@2019-01-01")
    assert {law.law for law in laws()} >= {"sexual-crimes-act", "child-protection-act"}


# In-force dates taken from the official addenda (2026-11-30 check); the day before and the day of.
DATE_PINS = [
    ("school-violence-act:2", "2025-07-31", "@2024-03-01"),  # deepfake wording not yet in force
    ("school-violence-act:2", "2025-08-01", "@2025-08-01"),  # Act 20724 (2025-01-31) + 6 months
    ("juvenile-act:4", "2008-06-21", None),  # Act 8722 not yet in force
    ("juvenile-act:4", "2008-06-22", "@2008-06-22"),
    ("network-act:44-9", "2020-12-10", "@2020-12-10"),  # Act 17358, six months after 2020-06-09
    ("criminal-act:283", "1996-07-01", "@1996-07-01"),  # Act 5057 addenda
]


@pytest.mark.parametrize(("provision", "day", "suffix"), DATE_PINS)
def test_version_dates_follow_the_addenda(provision: str, day: str, suffix: str | None):
    version = version_on(provision, D(day))
    assert (version.id.removeprefix(provision) if version else None) == suffix


def test_diff_marks_penalty_conduct_and_requirement_changes():
    diff = diff_versions("sexual-crimes-act:14-2", D("2024-10-15"), D("2024-10-16"))
    assert diff.from_version == "sexual-crimes-act:14-2@2020-06-25"
    assert diff.to_version == "sexual-crimes-act:14-2@2024-10-16"
    found = {(c.paragraph, c.field): (c.old, c.new) for c in diff.changes}
    assert found[("1", "prison_max_years")] == (5, 7)
    assert found[("3", "prison_min_years")] == (None, 3)
    assert found[("4", "conducts")] == (None, ["possess", "purchase", "store", "view"])
    assert ("1", "requirements") in found
    assert ("2", "conducts") not in found
    assert diff.as_json()["changes"]


def test_diff_against_a_date_before_the_provision():
    diff = diff_versions("sexual-crimes-act:14-2", D("2019-01-01"), D("2021-01-01"))
    assert diff.from_version is None and diff.changes


def test_conduct_timeline_for_adults():
    table = conduct_timeline("adult")
    assert D("2024-10-16") in table.dates and D("2020-06-25") in table.dates
    view = dict(zip(table.dates, table.rows["view"], strict=True))
    assert not view[D("2020-06-25")].criminal
    assert view[D("2024-10-16")].criminal and view[D("2024-10-16")].max_prison_years == 3
    create = dict(zip(table.dates, table.rows["create"], strict=True))
    assert create[D("2020-06-25")].max_prison_years == 5
    assert create[D("2024-10-16")].max_prison_years == 7
    assert table.as_json()["rows"]["view"][0]["date"] == table.dates[0].isoformat()


def test_amendments_reference_real_versions_and_are_newest_first():
    items = amendments()
    kb = load_kb()
    assert [a.history[-1].date for a in items] == sorted(
        (a.history[-1].date for a in items), reverse=True
    )
    for a in items:
        for ch in a.changes:
            assert ch.provision in kb.provision_by_id
            assert ch.version is None or ch.version in kb.version_by_id
    assert {"in_force", "discarded", "merged"} <= {a.status for a in items}
    assert any(a.id == "sca-2024-deepfake" for a in items)


def test_datetime_is_accepted_as_its_day():
    from datetime import datetime

    assert applicable_law("view", "adult", datetime(2024, 10, 16, 23, 59)).criminal


def test_possession_for_sale_of_child_material_is_listed_with_its_purpose():
    result = applicable_law("possess", "minor", D("2024-01-01"))
    paras = {p.article for p in result.provisions if p.provision_id == "child-protection-act:11"}
    assert paras == {"제11조 제2항", "제11조 제5항"}


def test_knowledge_wording_removed_in_2025_shows_in_the_diff():
    diff = diff_versions("child-protection-act:11", D("2025-04-21"), D("2025-04-22"))
    fields = {(c.paragraph, c.field) for c in diff.changes}
    assert ("5", "requirements") in fields
    assert ("5", "prison_min_years") not in fields


def test_habitual_aggravation_of_child_material_applies_to_production_only():
    result = applicable_law("view", "minor", D("2025-06-01"))
    [p] = [p for p in result.provisions if p.provision_id == "child-protection-act:11"]
    assert p.aggravations == []
    [c] = [
        p
        for p in applicable_law("create", "minor", D("2025-06-01")).provisions
        if p.provision_id == "child-protection-act:11"
    ]
    assert c.aggravations
