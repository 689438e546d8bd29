"""The incident page as each role sees it under issue 19: a viewer's page shows no free
text, and admins or the team set confidentiality and the team in a small section."""

from __future__ import annotations

from datetime import date

from casebook.incidents.takedowns import request_takedown
from db.models import Incident, IncidentTeam
from tests.pagetest import goto, signed_in, texts

MARKS = {
    "title": "제목표식",
    "summary": "요약표식",
    "notes": "메모표식",
    "suspect_relation": "관계표식",
    "tags": ["태그표식"],
}


def test_viewer_page_shows_no_free_text(session, factory) -> None:
    inc = factory.incident(**MARKS)
    request_takedown(
        session,
        actor=factory.admin,
        incident_id=inc.id,
        platform="telegram",
        requested_on=date(2024, 9, 2),
        requested_by="요청자표식",
    )
    at = goto(signed_in(factory.user("viewer").username), "incidents", id=str(inc.id))
    assert not at.exception
    shown = texts(at) + "".join(i.value for i in at.info)
    assert "표식" not in shown
    assert "가림 보기" in shown
    at = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    shown = texts(at)
    assert all(m in shown for m in ("제목표식", "요약표식", "메모표식", "요청자표식"))


def test_admin_marks_an_incident_confidential_with_a_team(session, factory) -> None:
    inc = factory.incident()
    lawyer = factory.user("lawyer")
    at = goto(signed_in(factory.admin.username), "incidents", id=str(inc.id))
    at.checkbox(key=f"acc_conf_{inc.id}").check()
    at.multiselect(key=f"acc_team_{inc.id}").select(lawyer.id)
    at.button(key=f"acc_save_{inc.id}").click().run()
    assert not at.error, [e.value for e in at.error]
    session.expire_all()
    assert session.get(Incident, inc.id).confidential is True
    assert [t.user_id for t in session.query(IncidentTeam).all()] == [lawyer.id]
    # Another advocate no longer finds it.
    at = goto(signed_in(factory.user("advocate").username), "incidents", id=str(inc.id))
    assert any("찾을 수 없" in e.value for e in at.error), [e.value for e in at.error]


def test_consent_is_recorded_and_withdrawn_on_the_incident_page(session, factory) -> None:
    from casebook.incidents.consent import get_consent

    inc = factory.incident()
    adv = factory.user("advocate")
    at = goto(signed_in(adv.username), "incidents", id=str(inc.id))
    assert "기록된 동의가 없습니다" in texts(at)
    at.checkbox(key=f"cons_press_{inc.id}").check()
    at.button(key=f"cons_save_{inc.id}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert get_consent(session, actor=adv, incident_id=inc.id).agreed["press"] is True
    at.checkbox(key=f"cons_press_{inc.id}").uncheck()
    at.button(key=f"cons_save_{inc.id}").click().run()
    session.expire_all()
    assert get_consent(session, actor=adv, incident_id=inc.id).agreed["press"] is False
