"""Clearly labelled demo data: the cases publicly reported in Korea in 2024, plus
synthetic incidents (fixed seed, marked synthetic) so lists and charts mean something.

Everything created here has ``is_demo`` set; ``remove_demo`` deletes exactly that.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import Session, col, delete, func, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.incidents.institutions import create_institution
from casebook.incidents.store import record_incident
from casebook.vocab import CONDUCTS, PLATFORMS, REGIONS, STATUSES
from db.models import (
    ChatRoom,
    Incident,
    IncidentInstitution,
    IncidentRoom,
    Institution,
    RoomObservation,
    User,
)

SEED = 20240826
SYNTHETIC_COUNT = 240
DEMO_TAG = "demo"

KH_INHA = "https://www.koreaherald.com/view.php?ud=20240820050444"
YONHAP_ROOMS = "http://khnews.kheraldm.com/view.php?ud=20240826050649"
MBC_BUSAN = "https://v.daum.net/v/20240821201614252"
NEWS1_BUSAN = "https://n.news.naver.com/mnews/article/421/0007741818"
READABLE_BOT = "https://thereadable.co/abuse-telegram-ai-bot-deepfake-pornography-response"
ALLKPOP_LIST = (
    "https://allkpop.com/buzz/2024/08/existence-of-over-230-telegram-deepfake-chatrooms-"
    "at-middle-schools-high-schools-universities-across-korea-causing-terror-and-shock"
)

INSTITUTIONS = [
    {
        "key": "inha",
        "name": "인하대학교",
        "kind": "university",
        "region": "incheon",
        "aliases": ["Inha University", "인하대"],
    },
    {
        "key": "snu",
        "name": "서울대학교",
        "kind": "university",
        "region": "seoul",
        "aliases": ["Seoul National University", "서울대"],
    },
    {
        "key": "busan_ms",
        "name": "부산 소재 중학교 (학교명 비공개)",
        "kind": "middle_school",
        "region": "busan",
        "aliases": ["Busan middle school (name withheld)"],
    },
]

ROOMS = [
    {
        "key": "inha_room",
        "platform": "telegram",
        "kind": "group",
        "label": "인하대 관련 텔레그램 방 / Inha-related Telegram room",
        "members": 1200,
        "observed_on": date(2024, 8, 20),
        "source": KH_INHA,
    },
    {
        "key": "uni_hub",
        "platform": "telegram",
        "kind": "group",
        "label": "대학별 하위 방 70여 개를 둔 방 / Room with ~70 university sub-rooms",
        "members": 1300,
        "observed_on": date(2024, 8, 26),
        "source": YONHAP_ROOMS,
    },
    {
        "key": "nudify_bot",
        "platform": "telegram",
        "kind": "bot",
        "label": "나체 합성 봇 방 / Nudify bot room",
        "members": 220000,
        "observed_on": date(2024, 8, 28),
        "source": READABLE_BOT,
    },
]

CASES = [
    {
        "title": "인하대 텔레그램 딥페이크 방 사건 / Inha University Telegram deepfake room",
        "summary": "약 1,200명이 참여한 텔레그램 방에서 인하대 재학생·졸업생 20명 이상의 "
        "합성 이미지와 연락처가 공유됨. 한 피의자는 '보기만 했다'고 진술해 석방됨(당시 시청은 "
        "처벌 규정 없음). Deepfake images and contact details of 20+ Inha students and graduates "
        "were shared in a ~1,200-member Telegram room; one suspect was released after saying he "
        "had only viewed the images, which was then no offence.",
        "reported_on": date(2024, 8, 20),
        "occurred_on": date(2024, 3, 1),
        "platform": "telegram",
        "status": "released",
        "victims_count": 20,
        "victims_estimated": True,
        "suspects_count": 3,
        "suspects_by_age": {"20s": 2, "30plus": 1},
        "conducts": ["create", "distribute", "view"],
        "obstacles": ["server_abroad", "only_viewed_claim", "victim_gathered_evidence"],
        "institutions": ["inha"],
        "rooms": ["inha_room"],
        "room_members": 1200,
        "sources": [{"title": "The Korea Herald, 2024-08-20", "url": KH_INHA}],
    },
    {
        "title": "서울대 딥페이크 사건 / Seoul National University deepfake case",
        "summary": "서울대 졸업생들이 여성 동문 등의 합성 성적 이미지를 만들어 텔레그램 방에 "
        "유포. 보도에 따르면 피해자 61명(서울대생 12명), 4명이 재판을 받음. SNU graduates made "
        "and spread sexual deepfakes of women including fellow alumni on Telegram; reports say 61 "
        "victims (12 SNU students) and four defendants on trial.",
        "reported_on": date(2024, 5, 20),
        "occurred_on": date(2021, 7, 1),
        "platform": "telegram",
        "status": "indicted",
        "victims_count": 61,
        "suspects_count": 4,
        "suspects_by_age": {"20s": 2, "30plus": 2},
        "conducts": ["create", "distribute"],
        "obstacles": ["victim_gathered_evidence"],
        "institutions": ["snu"],
        "rooms": [],
        "sources": [{"title": "The Korea Herald, 2024-08-20", "url": KH_INHA}],
    },
    {
        "title": "대학별 하위 방 70여 개의 텔레그램 방 / 1,300-member room with 70 university "
        "sub-rooms",
        "summary": "약 1,300명이 참여하고 대학별 하위 방 70여 개를 둔 텔레그램 방이 드러남. "
        "A Telegram room of about 1,300 members with some 70 sub-rooms, one per university, "
        "came to light.",
        "reported_on": date(2024, 8, 26),
        "occurred_on": None,
        "platform": "telegram",
        "status": "investigating",
        "victims_count": None,
        "suspects_count": None,
        "conducts": ["create", "distribute", "view"],
        "obstacles": ["server_abroad", "platform_uncooperative", "suspect_unidentified"],
        "institutions": [],
        "rooms": ["uni_hub"],
        "room_members": 1300,
        "sources": [
            {"title": "Yonhap via The Korea Herald, 2024-08-26", "url": YONHAP_ROOMS},
            {"title": "allkpop, 2024-08 (list of affected schools)", "url": ALLKPOP_LIST},
        ],
    },
    {
        "title": "22만 명 규모 나체 합성 봇 방 / Nudify bot room with 220,000+ members",
        "summary": "일반 사진을 나체 이미지로 바꿔 주는 텔레그램 봇 방에 22만 명 이상이 참여. "
        "Seoul police reported some 227,000 users of a Telegram bot that turned ordinary photos "
        "into nude images.",
        "reported_on": date(2024, 8, 28),
        "occurred_on": None,
        "platform": "telegram",
        "status": "investigating",
        "victims_count": None,
        "suspects_count": None,
        "conducts": ["create", "distribute", "purchase"],
        "obstacles": ["server_abroad", "platform_uncooperative"],
        "institutions": [],
        "rooms": ["nudify_bot"],
        "room_members": 220000,
        "sources": [{"title": "The Readable, 2024-08-29", "url": READABLE_BOT}],
    },
    {
        "title": "부산 중학생 4명 동급생·교사 합성물 제작 / Busan: four middle-school boys made "
        "images of classmates and teachers",
        "summary": "부산 해운대구의 한 중학교 남학생 4명이 같은 학교와 인근 학교 여학생 18명, "
        "교사 1명의 얼굴로 합성 성적 이미지 80여 장을 만들어 SNS 채팅방에서 공유한 혐의로 "
        "고소됨. 학교폭력대책심의위원회는 출석정지 12~20일과 특별교육을 결정함. Four boys at a "
        "middle school in Haeundae, Busan, were reported to police for making some 80 sexual "
        "deepfakes of 18 girls from their own and nearby schools and one teacher, shared in a "
        "social-media chat room; the school violence committee suspended them for 12 to 20 days.",
        "reported_on": date(2024, 8, 21),
        "occurred_on": date(2024, 6, 1),
        "platform": "other",
        "status": "investigating",
        "victims_count": 19,
        "victim_groups": ["students", "teachers"],
        "victims_minor": 18,
        "suspects_count": 4,
        "suspects_by_age": {"unknown": 4},
        "conducts": ["create", "distribute"],
        "obstacles": [],
        "institutions": ["busan_ms"],
        "rooms": [],
        "sources": [
            {"title": "MBC 뉴스데스크, 2024-08-21", "url": MBC_BUSAN},
            {"title": "News1 (Naver), 2024-08-21", "url": NEWS1_BUSAN},
        ],
    },
]


def has_demo(session: Session) -> bool:
    return (
        session.exec(select(func.count()).select_from(Incident).where(Incident.is_demo)).one() > 0
    )


def _rooms(session: Session) -> dict[str, int]:
    ids = {}
    for spec in ROOMS:
        room = ChatRoom(
            platform=spec["platform"], kind=spec["kind"], label=spec["label"], is_demo=True
        )
        session.add(room)
        session.flush()
        session.add(
            RoomObservation(
                room_id=room.id,
                observed_on=spec["observed_on"],
                members=spec["members"],
                source=spec["source"],
            )
        )
        ids[spec["key"]] = room.id
    hub = ids["uni_hub"]
    for n, name in enumerate(["A대", "B대", "C대", "D대", "E대"], start=1):
        session.add(
            ChatRoom(
                platform="telegram",
                kind="group",
                parent_id=hub,
                is_demo=True,
                label=f"하위 방 {n} ({name}) / sub-room {n}",
            )
        )
    return ids


def load_demo(session: Session, *, actor: User) -> int:
    """Load the demo set into the database; returns the number of incidents added."""
    require(actor, "demo.manage")
    if has_demo(session):
        return 0
    insts = {}
    for spec in INSTITUTIONS:
        data = {k: v for k, v in spec.items() if k != "key"} | {"is_demo": True}
        insts[spec["key"]] = create_institution(session, actor=actor, data=data).id
    rooms = _rooms(session)
    for case in CASES:
        data = {k: v for k, v in case.items() if k not in ("institutions", "rooms")}
        data |= {
            "institution_ids": [insts[k] for k in case["institutions"]],
            "room_ids": [rooms[k] for k in case["rooms"]],
            "is_demo": True,
            "tags": [DEMO_TAG, "2024"],
        }
        record_incident(session, actor=actor, data=data, commit=False)
    synthetic = _synthetic_institutions(session, actor)
    added = _synthetic_incidents(session, actor, synthetic)
    session.commit()
    return len(CASES) + added


_KINDS_WEIGHTED = (
    ["university"] * 4
    + ["high_school"] * 3
    + ["middle_school"] * 3
    + ["elementary_school", "workplace", "military", "other"]
)
_NAME_BY_KIND = {
    "university": "가상대학교",
    "high_school": "가상고등학교",
    "middle_school": "가상중학교",
    "elementary_school": "가상초등학교",
    "workplace": "가상회사",
    "military": "가상부대",
    "other": "가상기관",
}


def _synthetic_institutions(session: Session, actor: User) -> list[Institution]:
    rng = random.Random(SEED)
    out = []
    for n in range(1, 41):
        kind = rng.choice(_KINDS_WEIGHTED)
        region = rng.choice(REGIONS)
        data = {
            "name": f"[합성] {_NAME_BY_KIND[kind]} {n:02d}",
            "kind": kind,
            "region": region,
            "aliases": [f"Synthetic {kind} {n:02d}"],
            "is_demo": True,
        }
        out.append(create_institution(session, actor=actor, data=data))
    return out


def _synthetic_incidents(session: Session, actor: User, insts: list[Institution]) -> int:
    rng = random.Random(SEED)
    start = date(2023, 1, 1)
    span = (date(2025, 10, 31) - start).days
    for n in range(1, SYNTHETIC_COUNT + 1):
        # Skew towards the August 2024 wave, when most reports came in.
        offset = int(rng.triangular(0, span, (date(2024, 8, 28) - start).days))
        reported = start + timedelta(days=offset)
        occurred = reported - timedelta(days=rng.randint(0, 120))
        inst = rng.choice(insts)
        victims = rng.randint(1, 30)
        minors = rng.randint(0, victims) if inst.kind.endswith("school") else 0
        suspects = rng.randint(1, 5)
        band = (
            "14to19"
            if inst.kind in ("high_school", "middle_school")
            else rng.choice(["14to19", "20s", "20s", "30plus", "unknown"])
        )
        data = {
            "title": f"[합성 데이터] 사건 {n:03d} / [Synthetic] incident {n:03d}",
            "summary": "시연용 합성 사건입니다. Synthetic incident for demonstration.",
            "reported_on": reported,
            "occurred_on": occurred,
            "platform": rng.choice(["telegram"] * 6 + list(PLATFORMS)),
            "status": rng.choice(STATUSES),
            "institution_ids": [inst.id],
            "victims_count": victims,
            "victims_minor": minors,
            "suspects_count": suspects,
            "suspects_by_age": {band: suspects},
            "conducts": rng.sample(list(CONDUCTS), rng.randint(1, 3)),
            "room_members": rng.choice([None, rng.randint(20, 3000)]),
            "tags": [DEMO_TAG, "synthetic"],
            "is_demo": True,
            "is_synthetic": True,
        }
        record_incident(session, actor=actor, data=data, commit=False)
    return SYNTHETIC_COUNT


def remove_demo(session: Session, *, actor: User) -> int:
    """Delete every demo incident, institution and room; returns incidents removed."""
    require(actor, "demo.manage")
    ids = list(session.exec(select(Incident.id).where(Incident.is_demo)))
    session.exec(delete(IncidentInstitution).where(col(IncidentInstitution.incident_id).in_(ids)))
    session.exec(delete(IncidentRoom).where(col(IncidentRoom.incident_id).in_(ids)))
    # Events, links, evidence and takedowns go with their incident (ON DELETE CASCADE).
    session.exec(delete(Incident).where(col(Incident.id).in_(ids)))
    demo_rooms = select(ChatRoom.id).where(ChatRoom.is_demo)
    session.exec(delete(RoomObservation).where(col(RoomObservation.room_id).in_(demo_rooms)))
    session.exec(delete(ChatRoom).where(ChatRoom.is_demo, col(ChatRoom.parent_id).is_not(None)))
    session.exec(delete(ChatRoom).where(ChatRoom.is_demo))
    session.exec(delete(Institution).where(Institution.is_demo))
    audit.record(
        session,
        actor=actor,
        action="demo.remove",
        entity="demo",
        after={"incidents_removed": len(ids)},
    )
    session.commit()
    return len(ids)
