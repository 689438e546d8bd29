"""Evidence register: hashes only; no uploaded byte reaches the database, disk or temp."""

import hashlib
import io
import os
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import String, cast, inspect
from sqlmodel import SQLModel, select

from casebook.errors import PermissionDenied
from casebook.incidents.evidence import (
    PHASH_MAX_DISTANCE,
    add_custody_event,
    fingerprint,
    list_evidence,
    register_evidence,
)
from db.models import CustodyEvent


def _png(seed: int, size: int = 64, marker: bytes = b"") -> bytes:
    img = Image.new("L", (size, size))
    img.putdata([((x * seed) ^ (y * 7 + seed)) % 256 for y in range(size) for x in range(size)])
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue() + marker  # PNG readers ignore trailing bytes


def test_fingerprint_of_image_and_of_other_bytes() -> None:
    data = _png(3)
    fp = fingerprint(data, "image/png")
    assert fp.sha256 == hashlib.sha256(data).hexdigest()
    assert fp.size_bytes == len(data) and fp.media_type == "image/png"
    assert fp.phash is not None and len(fp.phash) == 16
    other = fingerprint(b"%PDF-1.4 not an image", "application/pdf")
    assert (other.phash, other.media_type) == (None, "application/pdf")


def test_exact_and_near_matches_in_other_incidents(session, factory) -> None:
    adv = factory.user("advocate")
    a, b, c = factory.incident(), factory.incident(), factory.incident()
    original = _png(5, 128)
    first = register_evidence(
        session,
        actor=adv,
        incident_id=a.id,
        data=original,
        media_type="image/png",
        note="피해자 제공",
    )
    assert first.matches == []
    same = register_evidence(session, actor=adv, incident_id=b.id, data=original)
    assert [(m.evidence_id, m.incident_id, m.exact, m.distance) for m in same.matches] == [
        (first.evidence.id, a.id, True, 0)
    ]
    # The same picture resized and re-encoded as JPEG: different bytes, near pHash.
    img = Image.open(io.BytesIO(original)).resize((100, 100))
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=70)
    near = register_evidence(session, actor=adv, incident_id=c.id, data=buf.getvalue())
    assert near.evidence.media_type == "image/jpeg"
    assert sorted((m.incident_id, m.exact) for m in near.matches) == [(a.id, False), (b.id, False)]
    assert all(m.distance <= PHASH_MAX_DISTANCE for m in near.matches)

    def seen(role: str) -> list:
        views = list_evidence(session, actor=factory.user(role), incident_id=a.id)
        return [
            (
                v.evidence.note,
                [e.action for e in v.custody],
                sorted(m.incident_id for m in v.matches),
            )
            for v in views
        ]

    assert seen("advocate") == [("피해자 제공", ["registered"], sorted([b.id, c.id]))]
    # A viewer gets the fingerprints and the matches, not the note (issue 19).
    assert seen("viewer") == [("", ["registered"], sorted([b.id, c.id]))]


def test_custody_events_and_permissions(session, factory) -> None:
    adv = factory.user("advocate")
    inc = factory.incident()
    ev = register_evidence(session, actor=adv, incident_id=inc.id, data=b"abc").evidence
    add_custody_event(
        session, actor=adv, evidence_id=ev.id, action="submitted_to_police", note="서울청 제출"
    )
    rows = session.exec(select(CustodyEvent).order_by(CustodyEvent.id)).all()
    assert [(r.action, r.note, r.actor_id) for r in rows] == [
        ("registered", "", adv.id),
        ("submitted_to_police", "서울청 제출", adv.id),
    ]
    with pytest.raises(PermissionDenied):
        register_evidence(session, actor=factory.user("viewer"), incident_id=inc.id, data=b"abc")


def _all_text(session) -> str:
    """Every column of every table, cast to text, concatenated."""
    parts = []
    for table in SQLModel.metadata.sorted_tables:
        cols = [cast(c, String) for c in table.columns]
        for row in session.execute(select(*cols)):
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def _files_under(path: Path) -> dict[str, bytes]:
    out = {}
    for p in path.rglob("*") if path.exists() else []:
        if p.is_file():
            try:
                out[str(p)] = p.read_bytes()
            except OSError:
                continue
    return out


def test_no_uploaded_byte_reaches_db_disk_or_temp(session, factory, tmp_path, monkeypatch):
    marker = b"CASEBOOK-EVIDENCE-MARKER-7f3a9c"
    data = _png(9, 96, marker)
    inc = factory.incident()
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    created = []
    for name in (
        "mkstemp",
        "mkdtemp",
        "NamedTemporaryFile",
        "TemporaryFile",
        "SpooledTemporaryFile",
        "TemporaryDirectory",
    ):
        real = getattr(tempfile, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            created.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(tempfile, name, spy)
    opened = []
    real_open = Image.open

    def image_open(fp, *args, **kwargs):
        opened.append(type(fp).__name__)
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", image_open)
    data_dir = Path(os.environ["CASEBOOK_DATA_DIR"])
    before_files = _files_under(data_dir)
    result = register_evidence(
        session,
        actor=factory.admin,
        incident_id=inc.id,
        data=data,
        media_type="image/png",
        note="메모",
    )
    assert result.evidence.phash and opened == ["BytesIO"] and created == []
    text = _all_text(session)
    assert marker.decode() not in text
    assert data.hex() not in text and data[:64].hex() not in text
    assert result.evidence.sha256 in text  # the hash is there, the bytes are not
    for blob in list(_files_under(tmpdir).values()) + [
        b for p, b in _files_under(data_dir).items() if before_files.get(p) != b
    ]:
        assert marker not in blob and data[:64] not in blob
    # Nothing but the declared columns exists on the evidence table.
    cols = {c["name"] for c in inspect(session.get_bind()).get_columns("evidence")}
    assert cols == {
        "id",
        "incident_id",
        "sha256",
        "phash",
        "phash_kind",
        "size_bytes",
        "media_type",
        "note",
        "registered_by_id",
        "registered_at",
    }


def _blank_png(width: int, height: int) -> bytes:
    """A valid RGB PNG written row by row, so the test never holds the picture."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    packer, row, parts = zlib.compressobj(9), b"\0" * (1 + 3 * width), []
    for _ in range(height):
        parts.append(packer.compress(row))
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def test_pixel_bomb_gets_only_a_sha256_in_bounded_memory(tmp_path) -> None:
    import json
    import subprocess
    import sys

    path = tmp_path / "bomb.png"
    path.write_bytes(_blank_png(12_500, 12_500))  # 156 million pixels in about 0.5 MB
    child = (
        "import json, resource, sys, time, warnings\n"
        "warnings.simplefilter('error')\n"  # a silenced decompression-bomb warning fails
        "from casebook.incidents.evidence import fingerprint\n"
        "data = open(sys.argv[1], 'rb').read(); start = time.monotonic()\n"
        "fp = fingerprint(data, 'image/png')\n"
        "print(json.dumps({'phash': fp.phash, 'kind': fp.media_type, 'size': fp.size_bytes,"
        " 's': time.monotonic() - start,"
        " 'kb': int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])}))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", child, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert (out["phash"], out["kind"], out["size"]) == (None, "image/png", path.stat().st_size)
    # Decoding it for a pHash took 837 MB (VmHWM: this process's own peak, not the parent's).
    assert out["s"] < 1.5 and out["kb"] < 250 * 1024, out  # imports included
