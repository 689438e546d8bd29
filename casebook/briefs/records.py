"""Generate a brief of any kind, record it (BriefRecord + audit), and generate it again
from its record. Generation is deterministic apart from ``generated_at``, which the
record keeps, so a regenerated brief over unchanged data has the same SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from casebook.access import audit
from casebook.access.permissions import can, require
from casebook.briefs import advocacy, advocacy_data, compare, incident, institution
from casebook.briefs.common import KINDS, PERMISSION, tr
from casebook.briefs.model import Document, clean
from casebook.briefs.render import FORMATS, MEDIA_TYPES, render
from casebook.errors import InvalidInput, NotFound, PermissionDenied
from casebook.incidents.consent import AUDIENCES, require_consent
from casebook.law.answers import LawQueryError
from casebook.vocab import CONDUCTS, INSTITUTION_KINDS, PLATFORMS, REGIONS
from db.models import BriefRecord, User, utcnow

DOCX = MEDIA_TYPES["docx"]
OUTLINES = {
    "incident": (
        "incident.facts",
        "incident.timeline",
        "incident.places",
        "incident.law_outline",
        "incident.changed",
        "incident.gaps",
        "incident.evidence",
        "sources",
    ),
    "advocacy": (
        "adv.summary",
        "adv.national",
        "adv.tracked",
        "adv.vignettes",
        "adv.gaps",
        "adv.amendments",
        "adv.recommendations",
        "adv.foreign",
        "sources",
    ),
    "institution": ("inst.reported", "inst.law_outline", "inst.actions", "sources"),
    "compare": ("cmp.side_by_side", "cmp.changes", "cmp.foreign", "sources"),
}
_VOCAB = {"region": REGIONS, "kind": INSTITUTION_KINDS, "platform": PLATFORMS, "conduct": CONDUCTS}


@dataclass
class GeneratedBrief:
    record: BriefRecord
    filename: str
    content: bytes
    matches_record: bool | None = None  # set by regenerate: same SHA-256 as the original

    media_type: str = DOCX

    @property
    def format(self) -> str:
        return record_format(self.record)


def record_format(record: BriefRecord) -> str:
    """The file format of a recorded brief. Records keep ``format`` in their parameters
    when it is not DOCX (the only format before HWPX, so older records have none)."""
    return record.params.get("format", "docx")


BRIEF_AUDIENCES = ("internal", *AUDIENCES)


def outline(kind: str, lang: str) -> list[str]:
    """The top-level sections a brief of ``kind`` will have, in order (for the page)."""
    t = tr(lang)
    return [t(key) if "{" not in t(key) else t(key, on="…") for key in OUTLINES[kind]]


def clean_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Validated, JSON-ready parameters; InvalidInput names the bad field."""
    if kind not in KINDS:
        raise InvalidInput({"kind": "errors.unknown_value"})
    if kind in ("incident", "institution"):
        try:
            out: dict[str, Any] = {"id": int(params.get("id"))}
        except (TypeError, ValueError):
            raise InvalidInput({"id": "errors.required"}) from None
        if kind == "incident":
            out["reveal_victim"] = bool(params.get("reveal_victim"))
            # Who the brief is for: "internal" (the group's own lawyers) needs no consent;
            # any other audience needs the victim's (casebook.incidents.consent).
            audience = params.get("audience") or "internal"
            if audience not in BRIEF_AUDIENCES:
                raise InvalidInput({"audience": "errors.unknown_value"})
            out["audience"] = audience
        return out
    if kind == "compare":
        pid = clean(params.get("provision") or "", 120).strip()
        if not pid:
            raise InvalidInput({"provision": "errors.required"})
        return {"provision": pid}
    return _advocacy_params(params)


def _advocacy_params(params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("date_from", "date_to"):
        value = params.get(key)
        if value:
            try:
                out[key] = (
                    value if isinstance(value, date) else date.fromisoformat(str(value))
                ).isoformat()
            except ValueError:
                raise InvalidInput({key: "errors.bad_date"}) from None
    for key, allowed in _VOCAB.items():
        value = params.get(key)
        if value:
            if value not in allowed:
                raise InvalidInput({key: "errors.unknown_value"})
            out[key] = value
    if params.get("demo") is not None:
        out["demo"] = bool(params["demo"])
    return out


def _build(
    session: Session,
    actor: User | None,
    kind: str,
    lang: str,
    params: dict,
    when: datetime,
    render_charts: bool,
) -> Document:
    as_of = when.date()
    if kind == "incident":
        data = incident.collect_incident(
            session,
            actor=actor,
            incident_id=params["id"],
            as_of=as_of,
            reveal_victim=params["reveal_victim"],
        )
        audience = params.get("audience", "internal")  # records made before issue 19
        if audience != "internal":
            require_consent(session, incident_id=params["id"], audience=audience)
        return incident.incident_document(data, lang=lang, generated_at=when)
    if kind == "institution":
        data = institution.collect_institution(
            session, actor=actor, institution_id=params["id"], as_of=as_of
        )
        return institution.institution_document(data, lang=lang, generated_at=when)
    if kind == "compare":
        try:
            data = compare.collect_compare(actor=actor, provision_id=params["provision"])
        except LawQueryError:
            raise InvalidInput({"provision": "briefs.errors.unknown_provision"}) from None
        return compare.compare_document(data, lang=lang, generated_at=when)
    data = advocacy_data.collect_advocacy(
        session, actor=actor, params=params, as_of=as_of, lang=lang
    )
    return advocacy.advocacy_document(
        data, lang=lang, generated_at=when, render_charts=render_charts
    )


def filename(kind: str, lang: str, params: dict, when: datetime, fmt: str = "docx") -> str:
    ident = (
        params.get("id")
        or params.get("provision", "").replace(":", "-")
        or (f"{params.get('date_from', 'all')}_{params.get('date_to', 'now')}")
    )
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in str(ident))[:60]
    return f"casebook-{kind}-{safe}-{lang}-{when.strftime('%Y%m%d-%H%M')}.{fmt}"


def _require_some_brief(actor: User | None) -> None:
    """Refuse an actor who may make no brief at all before any input is looked at: a
    refused caller learns nothing, not even whether the kind it asked for is known."""
    if not any(can(actor, action) for action in PERMISSION.values()):
        raise PermissionDenied(action=PERMISSION["advocacy"])


def generate_brief(
    session: Session,
    *,
    actor: User | None,
    kind: str,
    lang: str,
    params: dict[str, Any],
    generated_at: datetime | None = None,
    render_charts: bool = True,
    commit: bool = True,
    fmt: str = "docx",
) -> GeneratedBrief:
    """Build a brief as DOCX or HWPX (``fmt``), record who made it, when, with what
    parameters, in what format and its SHA-256."""
    return generate_briefs(
        session,
        actor=actor,
        kind=kind,
        lang=lang,
        params=params,
        formats=(fmt,),
        generated_at=generated_at,
        render_charts=render_charts,
        commit=commit,
    )[0]


def generate_briefs(
    session: Session,
    *,
    actor: User | None,
    kind: str,
    lang: str,
    params: dict[str, Any],
    formats: tuple[str, ...] = FORMATS,
    generated_at: datetime | None = None,
    render_charts: bool = True,
    commit: bool = True,
) -> list[GeneratedBrief]:
    """Build a brief once and write it in each of ``formats``: the files have the same
    content; each gets its own record (format, SHA-256) and audit row."""
    _require_some_brief(actor)
    if kind not in KINDS:
        raise InvalidInput({"kind": "errors.unknown_value"})
    require(actor, PERMISSION[kind])  # before the parameters are read
    lang = lang if lang in ("ko", "en") else "ko"
    if not formats or any(fmt not in FORMATS for fmt in formats):
        raise InvalidInput({"format": "errors.unknown_value"})
    params = clean_params(kind, params)
    when = (generated_at or utcnow()).astimezone(UTC).replace(microsecond=0)
    document = _build(session, actor, kind, lang, params, when, render_charts)
    made = [
        _record(session, actor, kind, lang, params, when, render_charts, fmt, document)
        for fmt in formats
    ]
    if commit:
        session.commit()
        for one in made:
            session.refresh(one.record)
    return made


def _record(
    session: Session,
    actor: User | None,
    kind: str,
    lang: str,
    params: dict[str, Any],
    when: datetime,
    render_charts: bool,
    fmt: str,
    document: Document,
) -> GeneratedBrief:
    """One file of the brief, with its record and audit row. DOCX records keep the
    parameters they always had; others add ``format``."""
    content = render(document, fmt)
    name = filename(kind, lang, params, when, fmt)
    stored: dict[str, Any] = {"generated_at": when.isoformat(), "charts": render_charts}
    if fmt != "docx":
        stored["format"] = fmt
    record = BriefRecord(
        kind=kind,
        lang=lang,
        sha256=hashlib.sha256(content).hexdigest(),
        params=params | stored,
        filename=name,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="brief.generate",
        entity="brief",
        entity_id=record.id,
        after={"kind": kind, "lang": lang, "params": record.params, "sha256": record.sha256},
    )
    return GeneratedBrief(record, name, content, media_type=MEDIA_TYPES[fmt])


def regenerate(
    session: Session, *, actor: User | None, record_id: int, commit: bool = True
) -> GeneratedBrief:
    """Build the brief of a record again, with its parameters and generation time; the
    result says whether the bytes match the recorded SHA-256 (data unchanged).

    Whoever may see the records (list_records) may ask, so a refused caller learns not
    even whether the record exists; generate_brief then checks the record's own kind
    before anything is built."""
    require(actor, "brief.advocacy")
    old = session.get(BriefRecord, record_id)
    if old is None:
        raise NotFound()
    params = dict(old.params)
    when = datetime.fromisoformat(params.pop("generated_at"))
    charts = bool(params.pop("charts", True))
    fmt = params.pop("format", "docx")
    params.pop("regenerated_from", None)
    new = generate_brief(
        session,
        actor=actor,
        kind=old.kind,
        lang=old.lang,
        params=params,
        generated_at=when,
        render_charts=charts,
        commit=False,
        fmt=fmt,
    )
    new.record.params = new.record.params | {"regenerated_from": old.id}
    session.add(new.record)
    if commit:
        session.commit()
        session.refresh(new.record)
    new.matches_record = new.record.sha256 == old.sha256
    return new


def list_records(session: Session, *, actor: User | None, limit: int = 50) -> list[BriefRecord]:
    """The newest brief records (anyone who may write an advocacy brief may see them)."""
    from sqlmodel import col, select

    require(actor, "brief.advocacy")
    return list(session.exec(select(BriefRecord).order_by(col(BriefRecord.id).desc()).limit(limit)))
