"""Property: any CSV either imports cleanly or is refused with row errors (or a file error)
and leaves the database exactly as it was; the importer never raises anything else."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, func, select

from casebook.access.audit import verify_chain
from casebook.errors import CasebookError
from casebook.i18n import catalog
from casebook.importing.cells import COLUMNS
from casebook.importing.run import import_incidents
from casebook.vocab import CONDUCTS, PLATFORMS, REGIONS, STATUSES
from db.models import AuditLog, Incident, IncidentConduct, Institution

HEADERS = [*COLUMNS, "제목", "신고일", "기관명", "지역", "행위", "요약", "비고", ""]
KOREAN = st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=12)
CONTROL = st.text(
    st.sampled_from(
        ["\x00", "\x07", "\x1b", "\r", "\n", "\t", "\u200b", "\ufeff", '"', ",", "'", "=", "+"]
    ),
    max_size=6,
)
CELL = st.one_of(
    st.text(max_size=30),
    KOREAN,
    CONTROL,
    st.builds(lambda a, b: a + b, KOREAN, CONTROL),
    st.sampled_from(
        [
            "2024-09-01",
            "2024.10.15",
            "2024년 10월 3일",
            "2099-01-01",
            "0",
            "-1",
            "1e9",
            "",
            " ",
            "telegram",
            "create;view",
            "사건",
            "NaN",
        ]
    ),
    st.sampled_from([*CONDUCTS, *PLATFORMS, *REGIONS, *STATUSES]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.just("가" * 20_000),  # a huge cell
)
HEADER = st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=10)), min_size=1, max_size=8)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV bytes: a header, a few rows of arbitrary cells, sometimes broken quoting."""
    header = draw(HEADER)
    if draw(st.booleans()):  # usually a file that can import: the required columns
        header = ["title", "reported_on", *header]
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 1), max_size=4))
    if draw(st.integers(0, 9)) == 0:  # hand-written, quotes not escaped
        text = "\n".join(",".join(r) for r in [header, *rows])
    else:
        buf = io.StringIO()
        csv.writer(buf).writerows([header, *rows])
        text = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _state(session: Session) -> tuple:
    counts = tuple(
        session.exec(select(func.count()).select_from(m)).one()
        for m in (Incident, IncidentConduct, Institution, AuditLog)
    )
    last = session.exec(select(AuditLog.hash).order_by(AuditLog.id.desc())).first()
    return counts, last


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=csv_files(), create_institutions=st.booleans())
# A clean import is always among the examples (random files are mostly refused).
@example(
    data="title,reported_on,conducts\n정상 사건,2024-09-01,view\n".encode(),
    create_institutions=False,
)
def test_any_csv_imports_cleanly_or_changes_nothing(
    session: Session, factory, data: bytes, create_institutions: bool
) -> None:
    admin = factory.admin
    before = _state(session)
    messages = catalog("ko")
    try:
        report = import_incidents(
            session,
            actor=admin,
            data=data,
            filename="in.csv",
            create_institutions=create_institutions,
        )
    except CasebookError as err:  # a whole-file problem (encoding, header, size): shown
        event("file refused")
        session.rollback()
        assert _state(session) == before
        for key in getattr(err, "problems", {err.key: err.key}).values():
            assert key in messages, key
        return
    event("imported" if report.ok else "row errors")
    if report.ok:
        assert report.committed
        counts, _ = _state(session)
        assert counts[0] == before[0][0] + report.count("create")
    else:
        session.rollback()
        assert not report.committed
        assert _state(session) == before
        for problem in report.problems:
            assert problem.row >= 1 and problem.column, problem
            assert problem.key in messages, problem
    assert verify_chain(session).ok
