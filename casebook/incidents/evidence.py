"""Evidence register: hashes of files read in memory, never the files themselves.

Storing sexual imagery can itself be an offence, so an uploaded file is hashed where it
lies in memory (SHA-256; for images also a 64-bit perceptual hash, imagehash pHash,
opened by Pillow from a BytesIO) and the bytes are dropped. Only the hashes, the size,
the media type, a note and custody events are stored. The file name is not stored
either: names of such files often identify a victim.

Matching: the same SHA-256 in another incident is an exact match; a pHash within
``PHASH_MAX_DISTANCE`` bits (Hamming distance, of 64) is a near match — the same
picture resized, recompressed or lightly cropped. 10 of 64 bits is imagehash's usual
cut-off for "same image"; it errs on the side of reporting a candidate that a person
then checks.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from sqlmodel import Session, col, select

from casebook.access import audit
from casebook.access.permissions import require
from casebook.access.visibility import open_incident, redact, require_writable, visible_clause
from casebook.errors import InvalidInput, NotFound
from casebook.textnorm import clean_text
from db.models import CustodyEvent, Evidence, Incident, User

PHASH_MAX_DISTANCE = 10
PHASH_KIND = "phash64"
CUSTODY_ACTIONS = (
    "registered",
    "received",
    "transferred",
    "submitted_to_police",
    "returned",
    "deleted_by_holder",
    "other",
)
MAX_BYTES = 200 * 1024 * 1024
# A pHash decodes the whole picture: 12,500 x 12,500 pixels is a 480 KB PNG that takes
# most of a gigabyte. Larger pictures get only the SHA-256 (security review M-4).
PHASH_MAX_PIXELS = 25_000_000
HASH_CHUNK = 1024 * 1024
FIELDS = ["id", "incident_id", "sha256", "phash", "phash_kind", "size_bytes", "media_type", "note"]


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    phash: str | None
    size_bytes: int
    media_type: str


def fingerprint(data: bytes | BinaryIO, media_type: str = "") -> Fingerprint:
    """Hash bytes (or a seekable stream, read in chunks, so no copy of the file is made)
    in memory; an image of at most PHASH_MAX_PIXELS also gets a pHash. Nothing touches
    the disk."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    phash, kind = None, media_type or "application/octet-stream"
    stream.seek(0)
    try:
        import imagehash
        from PIL import Image

        # Pillow warns at open (and refuses past twice its limit) when a picture is a
        # decompression bomb: that is an answer, "no pHash", not a warning to hide.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:  # reads the header only
                kind = Image.MIME.get(image.format or "", kind)
                width, height = image.size
                if width * height <= PHASH_MAX_PIXELS:
                    phash = str(imagehash.phash(image))
    except Exception:  # not an image Pillow can read (or a damaged one): the SHA-256 only
        phash = None
    return Fingerprint(digest.hexdigest(), phash, size, kind[:100])


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class EvidenceMatch:
    evidence_id: int
    incident_id: int
    exact: bool
    distance: int


def find_matches(session: Session, fp: Fingerprint, *, exclude_incident: int) -> list:
    """Evidence in other incidents with the same SHA-256 or a pHash within the threshold."""
    out: dict[int, EvidenceMatch] = {}
    exact = select(Evidence.id, Evidence.incident_id).where(
        Evidence.sha256 == fp.sha256, Evidence.incident_id != exclude_incident
    )
    for eid, iid in session.exec(exact):
        out[eid] = EvidenceMatch(eid, iid, True, 0)
    if fp.phash:
        # pHashes cannot be range-searched portably; the register holds thousands of
        # rows at most, streamed in batches, and only three short columns are read.
        near = select(Evidence.id, Evidence.incident_id, Evidence.phash).where(
            col(Evidence.phash).is_not(None), Evidence.incident_id != exclude_incident
        )
        for eid, iid, ph in session.exec(near.execution_options(yield_per=2000)):
            d = hamming(fp.phash, ph)
            if d <= PHASH_MAX_DISTANCE and eid not in out:
                out[eid] = EvidenceMatch(eid, iid, False, d)
    return sorted(out.values(), key=lambda m: (not m.exact, m.distance, m.evidence_id))


@dataclass
class Registered:
    evidence: Evidence
    matches: list[EvidenceMatch]


def register_evidence(
    session: Session,
    *,
    actor: User | None,
    incident_id: int,
    data: bytes | BinaryIO,
    media_type: str = "",
    note: str = "",
) -> Registered:
    """Fingerprint ``data`` (bytes or a seekable stream such as an upload) and register
    the hashes; the caller drops the bytes. The same file twice on one incident is
    refused (``evidence.duplicate``) rather than registered again."""
    require(actor, "evidence.write")
    require_writable(session, actor, session.get(Incident, incident_id))
    fp = fingerprint(data, media_type)
    del data  # from here on only the fingerprint exists in this function
    if not fp.size_bytes:
        raise InvalidInput({"file": "errors.required"})
    if fp.size_bytes > MAX_BYTES:
        raise InvalidInput({"file": "evidence.too_large"})
    same = select(Evidence.id).where(
        Evidence.incident_id == incident_id, Evidence.sha256 == fp.sha256
    )
    if session.exec(same).first() is not None:
        raise InvalidInput({"file": "evidence.duplicate"})
    ev = Evidence(
        incident_id=incident_id,
        sha256=fp.sha256,
        phash=fp.phash,
        phash_kind=PHASH_KIND if fp.phash else None,
        size_bytes=fp.size_bytes,
        media_type=fp.media_type,
        note=clean_text(note, 5000).strip(),
        registered_by_id=getattr(actor, "id", None),
    )
    session.add(ev)
    session.flush()
    session.add(
        CustodyEvent(
            evidence_id=ev.id, actor_id=getattr(actor, "id", None), action="registered", note=""
        )
    )
    matches = find_matches(session, fp, exclude_incident=incident_id)
    audit.record(
        session,
        actor=actor,
        action="evidence.register",
        entity="incident",
        entity_id=incident_id,
        after=audit.snapshot(ev, FIELDS) | {"matches": [m.evidence_id for m in matches]},
    )
    session.commit()
    session.refresh(ev)
    return Registered(ev, matches)


def add_custody_event(
    session: Session, *, actor: User | None, evidence_id: int, action: str, note: str = ""
) -> CustodyEvent:
    """Who held, passed on or submitted the original, and when (the register's chain)."""
    require(actor, "evidence.write")
    ev = session.get(Evidence, evidence_id)
    if ev is None:
        raise NotFound()
    if action not in CUSTODY_ACTIONS:
        raise InvalidInput({"action": "errors.unknown_value"})
    row = CustodyEvent(
        evidence_id=evidence_id,
        actor_id=getattr(actor, "id", None),
        action=action,
        note=clean_text(note, 2000).strip(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="evidence.custody",
        entity="incident",
        entity_id=ev.incident_id,
        after=audit.snapshot({"evidence_id": evidence_id, "action": action, "note": row.note}),
    )
    session.commit()
    session.refresh(row)
    return row


@dataclass
class EvidenceView:
    evidence: Evidence
    custody: list[CustodyEvent]
    matches: list[EvidenceMatch]


def list_evidence(session: Session, *, actor: User | None, incident_id: int) -> list:
    """An incident's evidence with custody events and matches in other incidents, as the
    actor may see them (notes redacted; matches only in incidents the actor may see)."""
    _, level = open_incident(session, actor, incident_id)
    seen = visible_clause(session, actor)
    rows = session.exec(
        select(Evidence).where(Evidence.incident_id == incident_id).order_by(col(Evidence.id))
    ).all()
    out = []
    for ev in rows:
        custody = session.exec(
            select(CustodyEvent)
            .where(CustodyEvent.evidence_id == ev.id)
            .order_by(col(CustodyEvent.at), col(CustodyEvent.id))
        ).all()
        fp = Fingerprint(ev.sha256, ev.phash, ev.size_bytes, ev.media_type)
        matches = find_matches(session, fp, exclude_incident=incident_id)
        if seen and matches:
            ids = {m.incident_id for m in matches}
            ok = set(session.exec(select(Incident.id).where(col(Incident.id).in_(ids), *seen)))
            matches = [m for m in matches if m.incident_id in ok]
        custody = [redact(c, "custody", level) for c in custody]
        out.append(EvidenceView(redact(ev, "evidence", level), custody, matches))
    return out
