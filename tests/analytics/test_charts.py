"""Chart functions: Korean labels, fonts, and PNG rendering through kaleido + Chromium."""

from __future__ import annotations

import json
import shutil
import threading
import time

import pytest

from casebook.analytics import charts
from casebook.cli import main

MONTHS = [
    {"month": "2024-08", "kind": "university", "count": 2},
    {"month": "2024-09", "kind": "high_school", "count": 1},
    {"month": "2024-09", "kind": "unknown", "count": 1},
]


def test_korean_labels_and_font() -> None:
    fig = charts.figure_by_month(MONTHS, "ko")
    assert [t.name for t in fig.data] == ["대학교", "고등학교", "미상"]
    assert [list(t.y) for t in fig.data] == [[2, 0], [0, 1], [0, 1]]
    assert fig.layout.title.text == "월별 사건 수 (기관 종류별)"
    assert "NanumGothic" in fig.layout.font.family
    assert charts.figure_by_month(MONTHS, "en").data[0].name == "University"


def test_every_dashboard_figure_builds_from_empty_and_real_rows() -> None:
    for name, make in charts.FIGURES.items():
        assert make([], "ko").layout.title.text, name
    fig = charts.figure_age_bands(
        [{"band": "14to19", "suspects": 3, "tracked_pct": 60.0, "national_pct": 65.1}], "ko"
    )
    assert [t.name for t in fig.data] == ["기록된 사건", "경찰 통계"]
    assert list(fig.data[0].x) == ["14~19세"]
    assert charts.figure_releases([{"reason": "only_viewed", "count": 1}], "ko").data[0].y == (
        "단순 시청 (2024.10.16. 전에는 처벌 규정 없음)",
    )


def test_png_bytes_start_with_signature() -> None:
    if not shutil.which("chromium") and not shutil.which("/usr/bin/chromium"):
        pytest.skip("no Chromium for kaleido (apt-get install -y chromium fonts-nanum)")
    png = charts.figure_png(charts.figure_by_month(MONTHS, "ko"), 600, 400)
    assert png is not None and png.startswith(charts.PNG_SIGNATURE)


def test_warm_renderer_starts_chromium_in_the_background_once() -> None:
    if not shutil.which("chromium") and not shutil.which("/usr/bin/chromium"):
        pytest.skip("no Chromium for kaleido (apt-get install -y chromium fonts-nanum)")
    import kaleido

    with charts._render_lock:  # start cold, even if an earlier test rendered in this process
        if charts._renderer_path:
            kaleido.stop_sync_server(silence_warnings=True)
            charts._renderer_path.clear()
    started = time.monotonic()
    thread = charts.warm_renderer()
    assert thread is not None and time.monotonic() - started < 0.5, "it must not block"
    assert charts.warm_renderer() is thread, "a second call while warming starts nothing new"
    thread.join(60)
    assert charts._renderer_path, "Chromium is up once the warm-up thread ends"
    assert charts.warm_renderer() is None, "nothing to do once it is up"
    png = charts.figure_png(charts.figure_by_month(MONTHS, "ko"), 600, 400)
    assert png is not None and png.startswith(charts.PNG_SIGNATURE)


def test_warm_renderer_without_a_browser_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from casebook.config import get_settings

    monkeypatch.setattr(get_settings(), "chromium_path", "/nonexistent/chromium")
    before = threading.active_count()
    assert charts.warm_renderer() is None
    assert threading.active_count() == before


def test_png_returns_none_instead_of_raising(monkeypatch: pytest.MonkeyPatch) -> None:
    from casebook.config import get_settings

    monkeypatch.setattr(get_settings(), "chromium_path", "/nonexistent/chromium")
    assert charts.figure_png(charts.figure_by_month(MONTHS, "ko")) is None


def test_a_render_that_never_answers_gives_none_and_tables_from_then_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import kaleido

    calls = []
    never = threading.Event()
    monkeypatch.setattr(charts, "_ensure_renderer", lambda kaleido, path: None)
    monkeypatch.setattr(kaleido, "calc_fig_sync", lambda *a, **k: calls.append(1) or never.wait())
    monkeypatch.setattr(charts, "RENDER_TIMEOUT_S", 0.2)
    monkeypatch.setattr(charts, "_renderer_wedged", [])
    started = time.monotonic()
    assert charts.figure_png(charts.figure_by_month(MONTHS, "ko")) is None
    assert charts.figure_png(charts.figure_by_month(MONTHS, "en")) is None
    assert calls == [1], "after one render hung, no other waits behind it"
    assert time.monotonic() - started < 5
    never.set()


def test_cli_stats_summary_json(session, factory, capsys) -> None:
    from tests.analytics_fixture import build

    build(factory)
    assert main(["stats", "summary", "--json", "--region", "seoul"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == {
        "total": 2,
        "by_month": {"2024-08": 2},
        "by_institution_kind": {"university": 2},
        "by_region": {"seoul": 2},
        "by_conduct": {"create": 1, "distribute": 1, "view": 1},
        "by_status": {"reported": 1, "arrested": 1},
        "legal_gaps": {
            "incidents": 0,
            "by_month": {},
            "links_by_conduct": {"create": {"penalty_raised": 1}},
        },
    }
    assert main(["stats", "summary", "--json", "--from", "2024-09-01", "--to", "2024-09-30"]) == 0
    assert json.loads(capsys.readouterr().out)["by_month"] == {"2024-09": 2}
    assert main(["stats", "summary", "--region", "mars"]) == 2
    assert capsys.readouterr().err == "Please check your input.\n- Region: Not an allowed value.\n"
