"""Incident brief, for a lawyer, the police or a court.

``collect_incident`` reads everything from the database (victim details only when the
role allows and the user asks); ``build_incident_brief`` turns that data into .docx bytes
without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from casebook.access import crypto
from casebook.access.permissions import require
from casebook.access.visibility import open_incident
from casebook.briefs import common
from casebook.briefs.common import lab, penalty_text, period, tr
from casebook.briefs.model import Document
from casebook.briefs.render import render
from casebook.law.answers import LawQueryError
from casebook.law.engine import get_version, law_of
from casebook.vocab import STATUSES
from db.models import (
    ChatRoom,
    CustodyEvent,
    Evidence,
    IncidentConduct,
    IncidentEvent,
    IncidentInstitution,
    IncidentRoom,
    Institution,
    LegalLink,
    RoomObservation,
    Takedown,
    User,
)


@dataclass
class IncidentData:
    """Everything an incident brief shows, as plain values."""

    incident: dict[str, Any]
    institutions: list[dict[str, Any]]
    rooms: list[dict[str, Any]]
    conducts: list[str]
    events: list[dict[str, Any]]
    links: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    takedowns: list[dict[str, Any]]
    as_of: date
    reveal: bool = False
    victim_contact: str | None = None
    secret: str | None = field(default=None, repr=False)  # only to redact, never printed
    secret_unreadable: bool = False  # details stored but not decryptable here


def _rows(session: Session, model: type, *where: Any, order: Any = None) -> list[dict]:
    query = select(model).where(*where)
    if order is not None:
        query = query.order_by(*order)
    return [row.model_dump() for row in session.exec(query)]


def collect_incident(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    as_of: date,
    reveal_victim: bool = False,
) -> IncidentData:
    """Read one incident and all that hangs off it; checks brief.incident (and
    incident.victim_details when ``reveal_victim``)."""
    require(actor, "brief.incident")
    if reveal_victim:
        require(actor, "incident.victim_details")
    # brief.incident is for roles that read incidents in full; a confidential incident
    # outside the actor's team is NotFound, and a team member's read is audited.
    inc, _ = open_incident(session, actor, incident_id)
    secret, unreadable = None, False
    try:
        secret = crypto.decrypt(inc.victim_contact_enc)
    except crypto.Undecryptable:
        if reveal_victim:  # asked for the details: say they cannot be read
            raise
        unreadable = True  # every free text is withheld instead (common.Redactor)
    insts = session.exec(
        select(Institution, IncidentInstitution.position)
        .join(IncidentInstitution, col(IncidentInstitution.institution_id) == Institution.id)
        .where(IncidentInstitution.incident_id == incident_id)
        .order_by(IncidentInstitution.position)
    ).all()
    conducts = session.exec(
        select(IncidentConduct.conduct).where(IncidentConduct.incident_id == incident_id)
    ).all()
    evidence = _rows(session, Evidence, Evidence.incident_id == incident_id, order=[Evidence.id])
    for ev in evidence:
        ev["custody"] = len(
            session.exec(select(CustodyEvent.id).where(CustodyEvent.evidence_id == ev["id"])).all()
        )
    return IncidentData(
        incident=inc.model_dump(exclude={"victim_contact_enc"}),
        institutions=[
            {"id": i.id, "name": i.name, "kind": i.kind, "region": i.region} for i, _ in insts
        ],
        rooms=_rooms(session, incident_id),
        conducts=common.ordered_conducts(list(conducts)),
        events=_rows(
            session,
            IncidentEvent,
            IncidentEvent.incident_id == incident_id,
            order=[IncidentEvent.occurred_on, IncidentEvent.id],
        ),
        links=_rows(
            session,
            LegalLink,
            LegalLink.incident_id == incident_id,
            col(LegalLink.state) != "removed",
            order=[LegalLink.id],
        ),
        evidence=evidence,
        takedowns=_rows(
            session,
            Takedown,
            Takedown.incident_id == incident_id,
            order=[Takedown.requested_on, Takedown.id],
        ),
        as_of=as_of,
        reveal=reveal_victim,
        victim_contact=secret if reveal_victim else None,
        secret=secret,
        secret_unreadable=unreadable,
    )


def _rooms(session: Session, incident_id: int) -> list[dict[str, Any]]:
    rooms = session.exec(
        select(ChatRoom)
        .join(IncidentRoom, col(IncidentRoom.room_id) == ChatRoom.id)
        .where(IncidentRoom.incident_id == incident_id)
        .order_by(ChatRoom.id)
    ).all()
    out = []
    for room in rooms:
        obs = session.exec(
            select(RoomObservation)
            .where(RoomObservation.room_id == room.id)
            .order_by(col(RoomObservation.observed_on).desc())
        ).first()
        out.append(
            {
                "platform": room.platform,
                "kind": room.kind,
                "label": room.label,
                "members": obs.members if obs else None,
                "observed_on": obs.observed_on if obs else None,
            }
        )
    return out


def act_date(data: IncidentData) -> date:
    """The date the law is read at: when it happened, else when it was reported."""
    return data.incident.get("occurred_on") or data.incident["reported_on"]


def incident_document(data: IncidentData, *, lang: str, generated_at: datetime) -> Document:
    """The incident brief as data, for any format (pure: no database, no clock)."""
    t, m = tr(lang), common.meta(generated_at)
    red = (
        (lambda s: "" if s is None else str(s))
        if data.reveal
        else common.Redactor(data.secret, lang, withhold_all=data.secret_unreadable)
    )
    inc = data.incident
    marking = t("marking_revealed") if data.reveal else t("marking")
    brief = common.begin(
        lang,
        m,
        t("incident.title"),
        red(inc["title"]),
        [
            [
                t("incident.number"),
                f"#{inc['id']}"
                + (f" ({red(inc['external_id'])})" if inc.get("external_id") else ""),
            ],
            [t("incident.reported_on"), inc["reported_on"].isoformat()],
            [t("incident.redaction"), t("revealed") if data.reveal else t("redacted")],
        ],
        marking,
    )
    _facts(brief, data, red, t, lang)
    _timeline(brief, data, red, t, lang)
    _places(brief, data, red, t, lang)
    gaps = _law(brief, data, t, lang)
    _gaps(brief, data, gaps, t, lang)
    _evidence(brief, data, red, t, lang)
    _sources(brief, data, red, t)
    common.kb_checked_note(brief, t)
    brief.sources(t("sources"))
    return brief.document(title=t("incident.title"), author=m.org_name, when=generated_at)


def build_incident_brief(
    data: IncidentData, *, lang: str, generated_at: datetime, fmt: str = "docx"
) -> bytes:
    """The incident brief as .docx or .hwpx bytes (``fmt``)."""
    return render(incident_document(data, lang=lang, generated_at=generated_at), fmt)


def _facts(brief, data: IncidentData, red, t, lang: str) -> None:
    inc = data.incident
    brief.heading(t("incident.facts"), 1)
    ages = ", ".join(f"{lab('age_band', k, lang)} {v}" for k, v in inc["suspects_by_age"].items())
    rows = [
        [t("f.occurred_on"), inc["occurred_on"].isoformat() if inc["occurred_on"] else None],
        [t("f.reported_on"), inc["reported_on"].isoformat()],
        [t("f.platform"), lab("platform", inc["platform"], lang)],
        [t("f.status"), lab("status", inc["status"], lang)],
        [t("f.conducts"), ", ".join(lab("conduct", c, lang) for c in data.conducts)],
        [
            t("f.victims"),
            t("victims_line", n=_n(inc["victims_count"]), minors=inc["victims_minor"])
            + (f" ({t('estimated')})" if inc["victims_estimated"] else ""),
        ],
        [
            t("f.victim_groups"),
            ", ".join(lab("victim_group", g, lang) for g in inc["victim_groups"]),
        ],
        [t("f.suspects"), _n(inc["suspects_count"]) + (f" ({ages})" if ages else "")],
        [t("f.room_members"), _n(inc["room_members"])],
        [t("f.obstacles"), ", ".join(lab("obstacle", o, lang) for o in inc["obstacles"])],
        [t("f.tags"), red(", ".join(inc["tags"]))],
    ]
    if data.reveal:
        rows.append([t("f.suspect_relation"), inc["suspect_relation"]])
        rows.append([t("f.victim_contact"), data.victim_contact])
    brief.table([t("field"), t("value")], rows, widths=[4.5, 12])
    brief.heading(t("incident.summary"), 2)
    for line in red(inc["summary"]).split("\n") or [""]:
        brief.para(line)
    if data.reveal and inc["notes"]:
        brief.heading(t("incident.notes"), 2)
        brief.para(inc["notes"])
    else:
        brief.para(t("incident.redaction_note"), italic=True)


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _timeline(brief, data: IncidentData, red, t, lang: str) -> None:
    brief.heading(t("incident.timeline"), 1)
    inc = data.incident
    rows = []
    if inc["occurred_on"]:
        rows.append([inc["occurred_on"].isoformat(), t("ev_occurred"), ""])
    rows.append([inc["reported_on"].isoformat(), t("ev_reported"), ""])
    for ev in data.events:
        # Status changes are events named after the new status (casebook.incidents.workflow).
        kind = lab("status" if ev["kind"] in STATUSES else "event", ev["kind"], lang)
        reason = lab("reason", ev["reason"], lang) if ev["reason"] else ""
        detail = " / ".join(red(x) for x in (ev["note"], ev["sentence"]) if x)
        rows.append(
            [ev["occurred_on"].isoformat(), kind, " / ".join(x for x in (detail, reason) if x)]
        )
    for td in data.takedowns:
        rows.append(
            [
                td["requested_on"].isoformat(),
                t(
                    "ev_takedown",
                    platform=lab("platform", td["platform"], lang),
                    outcome=lab("takedown_outcome", td["outcome"], lang),
                ),
                red(td["note"]),
            ]
        )
    rows.sort(key=lambda r: r[0])
    brief.table([t("date"), t("event"), t("detail")], rows, widths=[3, 5, 8.5])


def _places(brief, data: IncidentData, red, t, lang: str) -> None:
    brief.heading(t("incident.places"), 1)
    brief.heading(t("incident.institutions"), 2)
    brief.table(
        [t("name"), t("kind"), t("region")],
        [
            [
                red(i["name"]),
                lab("institution_kind", i["kind"], lang),
                lab("region", i["region"], lang),
            ]
            for i in data.institutions
        ]
        or [[t("none"), "", ""]],
    )
    brief.heading(t("incident.rooms"), 2)
    brief.table(
        [t("platform"), t("kind"), t("label"), t("members")],
        [
            [
                lab("platform", r["platform"], lang),
                lab("room_kind", r["kind"], lang),
                red(r["label"]),
                (f"{r['members']:,} ({r['observed_on']})" if r["members"] is not None else None),
            ]
            for r in data.rooms
        ]
        or [[t("none"), "", "", ""]],
    )


def _law(brief, data: IncidentData, t, lang: str) -> list[list[str]]:
    """Provisions then and changes since; returns the gap rows it found."""
    on = act_date(data)
    victims = common.victims_of(data.incident["victims_count"], data.incident["victims_minor"])
    brief.heading(t("incident.law_then", on=on.isoformat()), 1)
    rows, later, gaps = [], {}, []
    for conduct in data.conducts:
        for victim in victims:
            res = common.law_on(conduct, victim, on)
            now = common.law_on(conduct, victim, max(data.as_of, on))
            who = f"{lab('conduct', conduct, lang)} / {lab('victim', victim, lang)}"
            if not res.criminal:
                rows.append([who, t("not_criminal"), "", "", ""])
                if now.criminal:
                    gaps.append([who, t("gap.not_criminal_then")])
            for p in res.provisions:
                note = brief.cite(common.source_text(p.source, lang))
                rows.append(
                    [
                        who,
                        f"{p.law if lang == 'ko' else p.law_en} "
                        f"{p.article if lang == 'ko' else p.article_en} [{note}]",
                        period(p.in_force_from, p.in_force_to, lang),
                        penalty_text(
                            p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw, lang
                        ),
                        p.version_id,
                    ]
                )
            for ch in res.later_changes:
                # One row per change and penalty: conducts whose new penalty is the same
                # share a row, others (e.g. viewing vs. distributing) get their own.
                key = (ch.date, ch.version_id, repr(sorted((ch.new_penalty or {}).items())))
                later.setdefault(key, (ch, set()))[1].add(who)
    brief.table(
        [t("conduct_victim"), t("provision"), t("in_force"), t("penalty"), t("version")],
        rows or [[t("no_conduct"), "", "", "", ""]],
        widths=[3, 4.5, 3, 4, 2.5],
    )
    _links(brief, data, t, lang)
    _later(brief, later, t, lang)
    return gaps


def _links(brief, data: IncidentData, t, lang: str) -> None:
    if not data.links:
        return
    brief.heading(t("incident.links"), 2)
    rows = []
    for link in data.links:
        try:
            v, law = get_version(link["version_id"]), law_of(link["version_id"].split("@")[0])
            name = f"{law.short_ko if lang == 'ko' else law.short_en} {v.id.split(':')[1]}"
        except LawQueryError:
            name = link["version_id"]
        rows.append(
            [
                f"{lab('conduct', link['conduct'], lang)} / {lab('victim', link['victim'], lang)}",
                name,
                t(f"basis.{link['basis']}") if link["basis"] else "",
                t(f"gap.{link['gap']}") if link["gap"] else "",
                f"{t('state.' + link['state'])} ({t('origin.' + link['origin'])})",
            ]
        )
    brief.table(
        [t("conduct_victim"), t("version"), t("basis_col"), t("gap_col"), t("state_col")], rows
    )


def _later(brief, later: dict, t, lang: str) -> None:
    brief.heading(t("incident.changed"), 2)
    rows = []
    for _key, (ch, whos) in sorted(later.items()):
        pen = ch.new_penalty or {}
        rows.append(
            [
                ch.date.isoformat(),
                ch.what_ko if lang == "ko" else ch.what_en,
                ", ".join(sorted(whos)),
                penalty_text(
                    pen.get("prison_min_years"),
                    pen.get("prison_max_years"),
                    bool(pen.get("life")),
                    pen.get("fine_max_krw"),
                    lang,
                )
                if ch.criminal_after
                else t("not_criminal"),
            ]
        )
    brief.table(
        [t("date"), t("change"), t("conduct_victim"), t("penalty_after")],
        rows or [[t("none"), "", "", ""]],
        widths=[2.5, 7, 3.5, 3.5],
    )


def _gaps(brief, data: IncidentData, gaps: list, t, lang: str) -> None:
    brief.heading(t("incident.gaps"), 1)
    for link in data.links:
        if link["gap"]:
            gaps.append(
                [
                    f"{lab('conduct', link['conduct'], lang)} / "
                    f"{lab('victim', link['victim'], lang)}",
                    t(f"gap.{link['gap']}"),
                ]
            )
    for obstacle in data.incident["obstacles"]:
        gaps.append([lab("obstacle", obstacle, lang), t("gap.practical")])
    unique = list(dict.fromkeys(tuple(g) for g in gaps))
    brief.table([t("subject"), t("gap_col")], [list(g) for g in unique] or [[t("none"), ""]])


def _evidence(brief, data: IncidentData, red, t, lang: str) -> None:
    brief.heading(t("incident.evidence"), 1)
    brief.para(t("incident.evidence_note"), italic=True)
    brief.table(
        [
            t("no"),
            "SHA-256",
            t("phash"),
            t("media"),
            t("size"),
            t("registered"),
            t("custody"),
            t("note"),
        ],
        [
            [
                f"E{e['id']}",
                e["sha256"],
                f"{e['phash_kind'] or ''} {e['phash'] or ''}".strip(),
                e["media_type"],
                f"{e['size_bytes']:,}",
                e["registered_at"].strftime("%Y-%m-%d"),
                e["custody"],
                red(e["note"]),
            ]
            for e in data.evidence
        ]
        or [[t("none")] + [""] * 7],
    )


def _sources(brief, data: IncidentData, red, t) -> None:
    for src in data.incident["sources"]:
        text = " — ".join(red(src.get(k, "")) for k in ("title", "url") if src.get(k))
        if text:
            brief.cite(text)
