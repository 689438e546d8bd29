"""Full-text search in Korean and English on SQLite (FTS5 trigram) and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from casebook.incidents.queries import IncidentFilter, list_incidents
from casebook.incidents.search import fts_query, terms


@pytest.fixture
def corpus(factory):
    admin = factory.admin
    made = {
        "inha": factory.incident(title="인하대 텔레그램 합성물 방", summary="대학 동문 피해"),
        "school": factory.incident(title="중학교 딥페이크 유포", summary="학생 12명 피해"),
        "army": factory.incident(title="군 간부 합성 사진", summary="Deepfake images of soldiers"),
        "english": factory.incident(title="Nudify bot room", summary="A Telegram bot for fakes"),
        "tricky": factory.incident(title='100% "quoted" name_x', summary="OR AND NOT *"),
    }
    return admin, {k: v.id for k, v in made.items()}


def _found(session, admin, query: str) -> set[int]:
    page = list_incidents(session, actor=admin, filters=IncidentFilter(text=query), page_size=500)
    return {r.id for r in page.rows}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("군", {"army"}),  # one syllable: LIKE fallback
        ("피해", {"inha", "school"}),  # two syllables: LIKE fallback
        ("합성물", {"inha"}),  # three syllables: FTS on SQLite
        ("텔레그램", {"inha"}),
        ("딥페이크 유포", {"school"}),  # two words, both must match
        ("대 합성물", {"inha"}),  # a short and a long word together
        ("피해 12명", {"school"}),
        ("telegram", {"english"}),  # English, case-insensitive
        ("DEEPFAKE", {"army"}),
        ("bot", {"english"}),
        ('"quoted"', {"tricky"}),  # FTS syntax characters are searched for, not run
        ("100%", {"tricky"}),  # LIKE wildcards are escaped
        ("name_x", {"tricky"}),
        ("NOT", {"tricky"}),  # an FTS operator word, searched as text
        ("없는검색어", set()),
    ],
)
def test_text_search_finds_the_right_incidents(session, corpus, query, expected) -> None:
    admin, ids = corpus
    assert _found(session, admin, query) == {ids[k] for k in expected}


def test_search_follows_edits_and_deletes(session, corpus) -> None:
    from casebook.incidents.store import form_data, get_incident, update_incident
    from db.models import Incident

    admin, ids = corpus
    detail = get_incident(session, actor=admin, incident_id=ids["inha"])
    data = form_data(detail) | {"title": "수정된 제목 바뀐사건"}
    update_incident(
        session,
        actor=admin,
        incident_id=ids["inha"],
        expected_version=detail.incident.version,
        data=data,
    )
    assert _found(session, admin, "바뀐사건") == {ids["inha"]}
    assert _found(session, admin, "합성물") == set()
    session.delete(session.get(Incident, ids["army"]))
    session.commit()
    assert _found(session, admin, "DEEPFAKE") == set()


def test_sqlite_plan_uses_the_fts_table(session, corpus) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    from sqlmodel import select

    from casebook.incidents.search import text_clause
    from db.models import Incident

    query = select(Incident.id).where(text_clause("합성물"))
    compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "VIRTUAL TABLE INDEX" in details and "incident_fts" in details, details


def test_sqlite_triggers_exist_at_head(session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'incident'"
        names = set(session.execute(text(sql)).scalars())
        assert {"ix_incident_title_trgm", "ix_incident_summary_trgm"} <= names
        return
    names = set(
        session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
    )
    assert {"incident_fts_ai", "incident_fts_ad", "incident_fts_au"} <= names


def test_terms_and_fts_query_quote_everything() -> None:
    assert terms("  인하대   합성  인하대 ") == ["인하대", "합성"]
    assert fts_query(['a"b', "NEAR"]) == '"a""b" AND "NEAR"'


def test_text_search_combines_with_other_filters(session, corpus) -> None:
    admin, ids = corpus
    page = list_incidents(
        session, actor=admin, page_size=500, filters=IncidentFilter(text="피해", status="arrested")
    )
    assert page.rows == [] and page.total == 0
