"""Institution registry: Korean-aware duplicates, alias search, merge, edit."""

from datetime import date

import pytest
from sqlmodel import select

from casebook.errors import InvalidInput, PermissionDenied, StaleEdit
from casebook.incidents.institutions import (
    likely_duplicates,
    list_institutions,
    merge_institutions,
    update_institution,
)
from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.incidents.store import update_incident
from casebook.textnorm import match_key
from db.models import AuditLog, Incident, IncidentInstitution, Institution

# (name as typed, its match key) — one line per normalisation rule
KEYS = [
    ("서울대학교", "서울대"),  # 대학교 → 대
    ("서울 대학교", "서울대"),  # spacing is ignored
    ("(주)한국여자고등학교", "한국여고"),  # corporate marker dropped, 여자고등학교 → 여고
    ("한빛중학교", "한빛중"),
    ("Seoul National University", "seoulnational대"),
    ("ＫＡＩＳＴ", "kaist"),  # full-width letters fold to half-width (NFKC)
    ("한국  과학기술원 (KAIST)", "한국과학기술원kaist"),  # punctuation and spaces go
]


@pytest.mark.parametrize(("name", "key"), KEYS)
def test_match_key(name: str, key: str) -> None:
    assert match_key(name) == key


def test_likely_duplicates_by_name_and_alias(session, factory) -> None:
    snu = factory.institution(name="서울대학교", aliases=["SNU", "서울대"])
    factory.institution(name="부산대학교", region="busan")
    hits = likely_duplicates(session, "서울 대학교")
    assert [(h.institution.id, h.score, h.matched) for h in hits] == [(snu.id, 100.0, "서울대학교")]
    assert [h.institution.id for h in likely_duplicates(session, "snu")] == [snu.id]
    assert likely_duplicates(session, "한빛고등학교") == []


def test_list_finds_aliases(session, factory) -> None:
    snu = factory.institution(name="서울대학교", aliases=["SNU"])
    factory.institution(name="연세대학교")
    assert [i.id for i in list_institutions(session, text="snu")] == [snu.id]
    assert [i.id for i in list_institutions(session, text="서울")] == [snu.id]


def test_merge_moves_incidents_and_is_audited(session, factory) -> None:
    a = factory.institution(name="한국대학교", region="seoul", kind="university")
    b = factory.institution(name="한국대", region="daejeon", kind="university", aliases=["KU"])
    c = factory.institution(name="한빛고등학교", region="busan", kind="high_school")
    only_b = factory.incident(institution_ids=[b.id])
    both = factory.incident(institution_ids=[a.id, b.id])
    b_first = factory.incident(institution_ids=[b.id, c.id])
    target = merge_institutions(session, actor=factory.admin, source_id=b.id, target_id=a.id)
    assert target.aliases == ["한국대", "KU"]
    assert session.get(Institution, b.id).merged_into_id == a.id
    rows = session.exec(
        select(
            IncidentInstitution.incident_id,
            IncidentInstitution.institution_id,
            IncidentInstitution.position,
        )
    ).all()
    assert sorted(rows) == sorted(
        [(only_b.id, a.id, 0), (both.id, a.id, 0), (b_first.id, a.id, 0), (b_first.id, c.id, 1)]
    )
    for inc in (only_b, b_first):
        fresh = session.get(Incident, inc.id)
        assert (fresh.region, fresh.institution_kind, fresh.version) == ("seoul", "university", 2)
    assert session.get(Incident, both.id).region == "seoul"
    page = list_incidents(session, actor=factory.admin, filters=IncidentFilter(institution_id=a.id))
    assert sorted(r.id for r in page.rows) == sorted([only_b.id, both.id, b_first.id])
    audit = session.exec(select(AuditLog).where(AuditLog.action == "institution.merge")).one()
    assert sorted(audit.after["incidents_moved"]) == sorted([only_b.id, both.id, b_first.id])
    assert audit.before["target"]["aliases"] == []
    # A stale edit opened before the merge is refused; a fresh one cannot re-link b.
    with pytest.raises(StaleEdit):
        update_incident(
            session,
            actor=factory.admin,
            incident_id=only_b.id,
            expected_version=1,
            data={"title": "x", "reported_on": date(2024, 9, 1), "institution_ids": [b.id]},
        )
    session.rollback()
    update_incident(
        session,
        actor=factory.admin,
        incident_id=only_b.id,
        expected_version=2,
        data={"title": "x", "reported_on": date(2024, 9, 1), "institution_ids": [b.id]},
    )
    links = session.exec(
        select(IncidentInstitution.institution_id).where(
            IncidentInstitution.incident_id == only_b.id
        )
    ).all()
    assert links == [a.id]
    assert b.id not in [i.id for i in list_institutions(session)]


def test_merge_rules(session, factory) -> None:
    a, b = factory.institution(), factory.institution()
    with pytest.raises(PermissionDenied):
        merge_institutions(session, actor=factory.user("advocate"), source_id=b.id, target_id=a.id)
    with pytest.raises(InvalidInput) as err:
        merge_institutions(session, actor=factory.admin, source_id=a.id, target_id=a.id)
    assert err.value.problems == {"target_id": "institutions.merge_same"}
    merge_institutions(session, actor=factory.admin, source_id=b.id, target_id=a.id)
    with pytest.raises(InvalidInput) as err:
        merge_institutions(session, actor=factory.admin, source_id=b.id, target_id=a.id)
    assert err.value.problems == {"target_id": "institutions.already_merged"}


def test_update_institution_refreshes_incidents(session, factory) -> None:
    a = factory.institution(name="한국대학교", region="seoul")
    inc = factory.incident(institution_ids=[a.id])
    update_institution(
        session,
        actor=factory.admin,
        institution_id=a.id,
        expected_version=1,
        data={
            "name": "한국대학교",
            "kind": "university",
            "region": "gyeonggi",
            "aliases": "한국대; KU",
        },
    )
    fresh = session.get(Institution, a.id)
    assert (fresh.region, fresh.aliases, fresh.version) == ("gyeonggi", ["한국대", "KU"], 2)
    session.expire_all()
    assert session.get(Incident, inc.id).region == "gyeonggi"
    with pytest.raises(StaleEdit):
        update_institution(
            session,
            actor=factory.admin,
            institution_id=a.id,
            expected_version=1,
            data={"name": "x", "kind": "university", "region": "seoul"},
        )
