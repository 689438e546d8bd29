"""A hand-built set of incidents whose dashboard numbers are known (tests/test_analytics*)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, delete

from db.models import Incident, IncidentEvent, LegalLink, Takedown


def build(factory) -> dict:
    """Five incidents over Aug-Oct 2024 with events, takedowns and legal links."""
    s: Session = factory.session
    a = factory.institution(name="가나대학교", kind="university", region="seoul")
    b = factory.institution(name="다라고등학교", kind="high_school", region="busan")
    c = factory.institution(name="마바중학교", kind="middle_school", region="gyeonggi")
    i1 = factory.incident(
        institution_ids=[a.id],
        reported_on=date(2024, 8, 5),
        occurred_on=date(2024, 8, 1),
        conducts=["create", "distribute"],
        suspects_by_age={"14to19": 2},
        room_members=50,
        obstacles=["only_viewed_claim"],
        victims_count=3,
    )
    i2 = factory.incident(
        institution_ids=[a.id, b.id],
        reported_on=date(2024, 8, 20),
        status="arrested",
        conducts=["view"],
        suspects_by_age={"20s": 1},
        room_members=1500,
        victims_count=2,
    )
    i3 = factory.incident(
        institution_ids=[b.id],
        reported_on=date(2024, 9, 3),
        platform="discord",
        status="convicted",
        conducts=["create"],
        suspects_by_age={"14to19": 1, "under14": 1},
        victims_count=1,
    )
    i4 = factory.incident(
        reported_on=date(2024, 9, 30),
        occurred_on=date(2024, 9, 1),
        platform="kakaotalk",
        status="released",
        conducts=["view", "possess"],
        victims_count=4,
    )
    i5 = factory.incident(
        institution_ids=[c.id],
        reported_on=date(2024, 10, 15),
        occurred_on=date(2024, 10, 1),
        status="indicted",
        conducts=["distribute"],
        room_members=20000,
        victims_count=None,
    )
    # The law engine links incidents on save (casebook.incidents.legal_links); this fixture wants
    # only the links and gap flags written below, so the expected numbers stay hand-made.
    s.exec(delete(LegalLink))
    for inc in (i1, i2, i3, i4, i5):
        row = s.get(Incident, inc.id)
        row.legal_gap = inc is i4
        s.add(row)
    s.add_all(
        [
            IncidentEvent(incident_id=i2.id, kind="arrested", occurred_on=date(2024, 8, 25)),
            IncidentEvent(incident_id=i4.id, kind="investigating", occurred_on=date(2024, 10, 2)),
            IncidentEvent(
                incident_id=i4.id,
                kind="released",
                occurred_on=date(2024, 10, 5),
                reason="only_viewed",
            ),
            IncidentEvent(
                incident_id=i3.id, kind="school_discipline", occurred_on=date(2024, 9, 13)
            ),
            Takedown(
                incident_id=i1.id,
                platform="telegram",
                requested_on=date(2024, 8, 6),
                resolved_on=date(2024, 8, 16),
                outcome="removed",
            ),
            Takedown(
                incident_id=i3.id,
                platform="discord",
                requested_on=date(2024, 9, 4),
                resolved_on=date(2024, 9, 6),
                outcome="removed",
            ),
            Takedown(incident_id=i5.id, platform="telegram", requested_on=date(2024, 10, 16)),
            LegalLink(
                incident_id=i4.id,
                conduct="view",
                victim="adult",
                version_id="v1",
                basis="then",
                gap="not_criminal_then",
            ),
            LegalLink(
                incident_id=i1.id,
                conduct="create",
                victim="adult",
                version_id="v2",
                basis="then",
                gap="penalty_raised",
            ),
            LegalLink(
                incident_id=i1.id,
                conduct="distribute",
                victim="adult",
                version_id="v3",
                basis="then",
                gap="penalty_raised",
                state="removed",
            ),
        ]
    )
    s.commit()
    return {"a": a, "b": b, "c": c, "incidents": [i1, i2, i3, i4, i5]}
