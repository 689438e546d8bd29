"""Deadline rules at their edges, each case pinned to the provision it follows.

Sources (kb/korea/deadlines/rules.yaml; official-text mirror xxyy89890-wq/legalize-kr at
7460e2a0 unless noted): Criminal Procedure Act Art. 66 (counting), 249-252 (limitation),
260(3) (ruling, 10 days), 358 (appeal, 7 days); Prosecutors' Office Act Art. 10(4)
(objection, 30 days; mirror e6fda746, repealed from 2026-10-02 by Act No. 21490);
Sexual Crimes Act Art. 21; Child Protection Act Art. 20; Civil Act Art. 4 (majority at
19); Regulation on public holidays Art. 2-3 (bcdd66d8).
"""

from __future__ import annotations

from datetime import date

import pytest

from casebook.law.deadline_schema import HolidaysFile, RulesFile
from casebook.law.periods import (
    DEADLINES_DIR,
    count_days,
    deadline_rules,
    holiday_on,
    holidays,
    is_closed,
    limitation,
    limitation_years,
    majority_day,
    period_rule,
    rules_for_event,
)
from casebook.law.yamlload import KBError, load_model

D = date


def test_files_validate_and_every_rule_has_a_source() -> None:
    rules = deadline_rules()
    assert isinstance(rules, RulesFile) and isinstance(holidays(), HolidaysFile)
    for rule in rules.rules:
        assert rule.source.url.startswith("https://www.law.go.kr/")
        assert rule.source.mirror is None or "/blob/" in rule.source.mirror
    assert [y.year for y in holidays().years] == [2024, 2025, 2026, 2027]


def test_a_broken_rules_file_names_file_line_and_field(tmp_path) -> None:
    text = (DEADLINES_DIR / "rules.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "rules.yaml"
    bad.write_text(text.replace("    days: 7\n", "    days: -7\n", 1), encoding="utf-8")
    with pytest.raises(KBError) as err:
        load_model(bad, RulesFile)
    assert err.value.field == "rules.0.days" and err.value.line is not None


# (rule, start, expected last day, why) — Art. 66(1): the first day is not counted;
# Art. 66(3): a last day on a Saturday or public holiday moves to the next working day.
PERIODS = [
    ("appeal", D(2026, 12, 1), D(2026, 12, 8), "Tue + 7 = Tue, a working day"),
    ("appeal", D(2026, 12, 5), D(2026, 12, 14), "Sat + 7 = Sat 12-12 -> Sun -> Mon 12-14"),
    ("appeal", D(2026, 12, 6), D(2026, 12, 14), "Sun + 7 = Sun 12-13 -> Mon 12-14"),
    ("appeal", D(2026, 9, 18), D(2026, 9, 28), "Fri 9-25 Chuseok, 9-26 Sat, 9-27 Sun"),
    ("appeal", D(2026, 12, 18), D(2026, 12, 28), "Fri 12-25 Christmas, then the weekend"),
    ("appeal", D(2027, 2, 1), D(2027, 2, 10), "Mon 2-8 Seollal, 2-9 substitute holiday"),
    ("appeal", D(2026, 7, 10), D(2026, 7, 20), "Fri 7-17 Constitution Day (from 2026-05-11)"),
    ("appeal", D(2026, 4, 24), D(2026, 5, 4), "Fri 5-1 Labour Day (from 2026-05-01)"),
    ("objection", D(2026, 9, 1), D(2026, 10, 1), "Tue + 30 = Thu 10-1, a working day"),
    ("objection", D(2026, 9, 3), D(2026, 10, 6), "Sat 10-3, Sun, Mon 10-5 substitute -> Tue"),
    ("ruling", D(2026, 9, 29), D(2026, 10, 12), "Fri 10-9 Hangul Day, then the weekend"),
    ("ruling", D(2026, 11, 20), D(2026, 11, 30), "Mon, a working day"),
]


@pytest.mark.parametrize("rule_id,start,expected,why", PERIODS, ids=[p[3] for p in PERIODS])
def test_period_last_day(rule_id: str, start: date, expected: date, why: str) -> None:
    assert count_days(start, period_rule(rule_id).days).due_on == expected


def test_moved_days_are_reported() -> None:
    counted = count_days(D(2026, 9, 18), 7)
    assert counted.nominal == D(2026, 9, 25)
    assert counted.moved == (D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27))
    # 2026's calendar is seen only in news copies of KASI's 월력요항: flagged unverified.
    assert counted.holidays_known and counted.unverified


def test_a_year_without_holiday_data_is_flagged() -> None:
    counted = count_days(D(2027, 12, 28), 7)
    assert counted.due_on == D(2028, 1, 4) and counted.holidays_known is False


def test_unverified_holiday_years_are_flagged() -> None:
    assert count_days(D(2027, 3, 2), 7).unverified is True  # 2027 lunar days: KASI data
    assert count_days(D(2026, 3, 3), 7).unverified is True  # 2026: news copies only


def test_holidays_and_weekends() -> None:
    assert holiday_on(D(2026, 2, 17)).en == "Seollal"
    assert is_closed(D(2026, 12, 5)) and is_closed(D(2026, 12, 6))  # Sat, Sun
    assert not is_closed(D(2026, 12, 7))
    assert not is_closed(D(2025, 7, 17))  # Constitution Day was no holiday before 2026


def test_objection_rule_follows_the_repeal_of_the_prosecutors_office_act() -> None:
    assert [r.id for r in rules_for_event("dismissed", D(2026, 10, 1))] == ["objection"]
    after = rules_for_event("dismissed", D(2026, 10, 2))
    assert [r.id for r in after] == ["objection_after_repeal"]
    assert after[0].source.verified is False
    assert [r.id for r in rules_for_event("convicted", D(2026, 10, 2))] == ["appeal"]
    assert rules_for_event("arrested", D(2026, 10, 2)) == []


# Art. 249(1) by the heaviest penalty (Art. 250).
@pytest.mark.parametrize(
    "prison,life,death,years",
    [
        (7, False, False, 7),
        (10, False, False, 10),
        (9.9, False, False, 7),
        (5, False, False, 7),
        (4, False, False, 5),
        (None, False, False, 5),
        (None, True, False, 15),
        (30, False, True, 25),
    ],
)
def test_limitation_years(prison, life, death, years) -> None:
    assert limitation_years(prison_max_years=prison, life=life, death=death) == years


def test_limitation_counts_the_first_day_and_never_moves() -> None:
    # Art. 66(1) and (3), provisos: act ended 2020-03-10, 7 years: last day 2027-03-09
    # (a Tuesday); 2019-10-04 + 7 years ends on 2026-10-03, a holiday, and stays there.
    assert limitation(act_ended_on=D(2020, 3, 10), prison_max_years=7).last_day == D(2027, 3, 9)
    assert limitation(act_ended_on=D(2019, 10, 4), prison_max_years=7).last_day == D(2026, 10, 3)


def test_minor_victim_runs_from_majority() -> None:
    # Sexual Crimes Act Art. 21(1); Civil Act Art. 4: majority at 19.
    birth = D(2010, 5, 5)
    assert majority_day(birth) == D(2029, 5, 5)
    worked = limitation(act_ended_on=D(2024, 3, 10), prison_max_years=7, victim_birth=birth)
    assert (worked.runs_from, worked.minor_rule, worked.last_day) == (
        D(2029, 5, 5),
        True,
        D(2036, 5, 4),
    )


@pytest.mark.parametrize(
    "act,minor,runs_from",
    [
        (D(2029, 5, 4), True, D(2029, 5, 5)),  # the day before the 19th birthday: a minor
        (D(2029, 5, 5), False, D(2029, 5, 5)),  # on the birthday: an adult, runs from the act
        (D(2029, 5, 6), False, D(2029, 5, 6)),
    ],
)
def test_victim_turning_19(act: date, minor: bool, runs_from: date) -> None:
    worked = limitation(act_ended_on=act, prison_max_years=7, victim_birth=D(2010, 5, 5))
    assert (worked.minor_rule, worked.runs_from) == (minor, runs_from)


def test_minor_rule_only_when_it_applies() -> None:
    worked = limitation(
        act_ended_on=D(2024, 3, 10),
        prison_max_years=7,
        victim_birth=D(2010, 5, 5),
        minor_rule_applies=False,
    )
    assert worked.runs_from == D(2024, 3, 10) and not worked.minor_rule


def test_leap_day_birth() -> None:
    assert majority_day(D(2008, 2, 29)) == D(2027, 2, 28)


@pytest.mark.parametrize(
    "entry", ["sexual-crimes-act:21-3", "sexual-crimes-act:21-4", "child-protection-act:20-4"]
)
def test_offences_without_limitation(entry: str) -> None:
    worked = limitation(
        act_ended_on=D(2024, 3, 10),
        prison_max_years=None,
        victim_birth=D(2015, 1, 1),
        no_limitation_id=entry,
    )
    assert worked.last_day is None and worked.years is None
    assert worked.no_limitation.id == entry
    assert worked.sources[-1].citation.endswith(("제21조제3항", "제21조제4항", "개정)"))


def test_no_limitation_list_is_pinned() -> None:
    entries = {n.id: n for n in deadline_rules().limitation.no_limitation}
    assert entries["sexual-crimes-act:21-3"].victims == "under13_or_disabled"
    assert "형법 제297조" in entries["sexual-crimes-act:21-3"].articles
    assert "청소년성보호법 제11조제1항" in entries["child-protection-act:20-4"].articles
