"""The import / export page: upload a CSV, see the preview with every problem, import."""

from __future__ import annotations

from sqlmodel import select

from casebook.importing.cells import COLUMNS
from casebook.importing.spreadsheet import csv_bytes
from db.models import Incident
from tests.pagetest import goto, signed_in, texts


def _file(*titles: str) -> bytes:
    rows = [[f"P{i}", t, "2024-09-01"] + [""] * 14 for i, t in enumerate(titles)]
    return csv_bytes(COLUMNS, rows)


def test_preview_lists_problems_and_imports_nothing(session, factory) -> None:
    at = goto(signed_in(factory.admin.username), "import-export")
    assert "스프레드시트 가져오기" in texts(at)
    at.file_uploader(key="import_file").set_value(("bad.csv", _file("좋은 행", ""), "text/csv"))
    at.run()
    at.button(key="import_preview").click().run()
    shown = texts(at)
    assert "필수 입력 항목" in shown or "필수" in shown, shown
    problems = at.dataframe[0].value
    assert problems.iloc[0].tolist() == [3, "제목", problems.iloc[0, 2], ""]
    assert not [b for b in at.button if b.key == "import_commit"]
    assert session.exec(select(Incident)).all() == []


def test_clean_file_imports_after_preview(session, factory) -> None:
    at = goto(signed_in(factory.admin.username, lang="en"), "import-export")
    at.file_uploader(key="import_file").set_value(
        ("ok.csv", _file("<b>첫 사건</b>", "둘째 사건"), "text/csv")
    )
    at.run()
    at.button(key="import_preview").click().run()
    assert "2 rows: 2 new" in texts(at), texts(at)
    assert session.exec(select(Incident)).all() == []
    at.button(key="import_commit").click().run()
    assert "Imported: 2 new, 0 updated, 0 unchanged." in [s.value for s in at.success]
    titles = sorted(session.exec(select(Incident.title)).all())
    assert titles == ["<b>첫 사건</b>", "둘째 사건"]


def test_viewer_does_not_get_the_page(session, factory) -> None:
    viewer = factory.user(role="viewer")
    at = goto(signed_in(viewer.username), "import-export")
    assert "스프레드시트 가져오기" not in texts(at)
