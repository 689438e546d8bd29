from sqlmodel import func, select

from casebook.analytics.overview import overview
from casebook.ops import demo
from db.models import ChatRoom, Incident, Institution


def test_demo_loads_labelled_cases_and_removes_exactly_them(session, factory) -> None:
    admin = factory.admin
    mine = factory.incident(title="실제 기록")
    added = demo.load_demo(session, actor=admin)
    assert added == len(demo.CASES) + demo.SYNTHETIC_COUNT
    titles = list(
        session.exec(select(Incident.title).where(Incident.is_demo, ~Incident.is_synthetic))
    )
    assert any("Inha" in t for t in titles) and any("Busan" in t for t in titles)
    for case in session.exec(select(Incident).where(Incident.is_demo, ~Incident.is_synthetic)):
        assert case.sources, case.title  # every real case names its public source
    synthetic = session.exec(select(Incident).where(Incident.is_synthetic)).all()
    assert all(i.is_demo and "[합성" in i.title for i in synthetic)
    assert demo.load_demo(session, actor=admin) == 0  # idempotent
    removed = demo.remove_demo(session, actor=admin)
    assert removed == added
    assert [i.id for i in session.exec(select(Incident))] == [mine.id]
    assert session.exec(select(func.count()).select_from(ChatRoom)).one() == 0
    assert (
        session.exec(select(func.count()).select_from(Institution).where(Institution.is_demo)).one()
        == 0
    )


def test_overview_counts(session, factory) -> None:
    factory.institution()
    factory.incident(victims_count=5, victims_minor=2, status="arrested")
    factory.incident(victims_count=3, victims_minor=0)
    factory.incident(victims_count=None, victims_minor=0)
    data = overview(session, actor=factory.user(role="viewer"))
    assert (data.incidents, data.institutions, data.victims, data.minors) == (3, 1, 8, 2)
    assert data.by_status == {"arrested": 1, "reported": 2}
