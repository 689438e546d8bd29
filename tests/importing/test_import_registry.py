"""The import reads the institution registry once and matches names as
institutions.find_by_name does: normalised name first, then aliases, merged ones never."""

from __future__ import annotations

from casebook.importing.plan import Registry
from casebook.incidents.institutions import find_by_name, merge_institutions


def test_registry_matches_like_find_by_name(session, factory) -> None:
    inha = factory.institution(name="인하대학교", region="incheon", aliases=["Inha Univ."])
    other = factory.institution(name="Inha Univ", aliases=["인하대학교"])  # name = inha's alias
    gone = factory.institution(name="옛 학교", aliases=["옛날학교"])
    kept = factory.institution(name="새 학교")
    merge_institutions(session, actor=factory.admin, source_id=gone.id, target_id=kept.id)
    registry = Registry(session)
    for name in [
        "인하대학교",
        " 인하대학교 ",
        "inha univ",
        "INHA UNIV.",
        "옛 학교",
        "옛날학교",
        "새 학교",
        "없는 학교",
        "(주)인하대학교",
    ]:
        expected = find_by_name(session, name)
        assert registry.find(name) == (expected.id if expected else None), name
    assert registry.find("inha univ") == other.id  # a name beats another's alias
    assert registry.find("인하대학교") == inha.id
    # The merged institution's names became aliases of the one it was merged into.
    assert registry.find("옛날학교") == registry.find("옛 학교") == kept.id != gone.id


def test_registry_suggests_names_and_aliases(session, factory) -> None:
    factory.institution(name="인하대학교", aliases=["Inha University"])
    factory.institution(name="서울대학교")
    registry = Registry(session)
    assert registry.suggest("인하대학 교") == ["인하대학교"]
    assert registry.suggest("Inha Universty") == ["인하대학교"]
    assert registry.suggest("전혀 다른 이름 xyz") == []
