"""National figures: every file validates, errors name file/line/field, queries answer."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from casebook.law.national import (
    STATISTICS_DIR,
    age_band_shares,
    figures_by_metric,
    load_statistics,
    metrics,
    national_figures,
    series,
)
from casebook.law.schema_stats import (
    BREAKDOWN_KEYS,
    SCHOOL_LEVELS,
    UNITS,
    FigureSource,
    NationalFigure,
    StatisticsFile,
)
from casebook.law.yamlload import KBError
from casebook.vocab import SUSPECT_AGE_BANDS

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "kb-foreign-and-statistics.md"


def make_figure(**overrides: object) -> dict:
    """A valid figure as a plain dict; tests override one thing at a time."""
    base: dict = {
        "id": "test.cases.2024",
        "metric": "deepfake_cases_reported",
        "label_ko": "사건 수",
        "label_en": "Cases",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "value": 10,
        "unit": "cases",
        "source": {
            "publisher": "경찰청",
            "title": "Example",
            "url": "https://example.org/a",
            "published_on": "2025-01-01",
            "checked_on": "2026-11-25",
        },
        "verified": True,
    }
    base.update(overrides)
    return base


def test_every_file_validates_and_loads() -> None:
    names = {f.name for f in STATISTICS_DIR.glob("*.yaml")}
    assert names == {"knpa.yaml", "kcsc.yaml", "moe.yaml", "kwhrp.yaml"}
    assert len(load_statistics()) == len(national_figures()) >= 40


def test_ids_are_unique() -> None:
    ids = [f.id for f in national_figures()]
    assert len(ids) == len(set(ids))


def test_every_entry_has_a_dated_source() -> None:
    for f in national_figures():
        assert f.source.checked_on <= date.today(), f.id
        assert f.source.publisher and f.source.url.startswith(("http://", "https://")), f.id
        if f.source.published_on:
            assert f.source.published_on >= f.period_end, f.id  # published after the period


def test_periods_are_ordered_and_percent_in_range() -> None:
    for f in national_figures():
        assert f.period_start <= f.period_end, f.id
        if f.unit == "percent":
            assert 0 <= f.value <= 100, f.id


def test_each_metric_has_one_unit() -> None:
    units: dict[str, set[str]] = defaultdict(set)
    for f in national_figures():
        units[f.metric].add(f.unit)
    assert all(len(u) == 1 for u in units.values()), units


def test_partial_periods_say_so() -> None:
    # A figure that is not a calendar year says so in its label or its note.
    for f in national_figures():
        if not f.is_full_year:
            said = f"{f.label_ko} {f.label_en} {f.note_en or ''}".lower()
            assert any(
                w in said
                for w in ("partial", "cumulative", "누적", "quarter", "jan-", "crackdown", "1~")
            ), f.id


def test_unverified_entries_are_flagged_with_notes() -> None:
    for f in national_figures():
        if not f.verified:
            assert f.note_ko and f.note_en, f.id
    unverified = {f.id for f in national_figures() if not f.verified}
    # A sample of entries we know we could not confirm; each note says why.
    assert {
        "knpa.teen-share.crackdown-2024-2025",  # computed by us
        "kwhrp.deletion.2024-segye",  # misprint kept visible
        "knpa.cases.2024",  # exact count read only in a repost
    } <= unverified


def test_mislabelled_and_forum_figures_are_corrected() -> None:
    """Issue 18: 649 is the crackdown count, not Jan-Nov; forum-only shares are gone."""
    by_id = {f.id: f for f in national_figures()}
    crackdown = by_id["knpa.cases.2024-1130-asiae"]
    assert (crackdown.period_start, crackdown.period_end, crackdown.value) == (
        date(2024, 8, 28),
        date(2024, 11, 30),
        649,
    )
    assert "knpa.20s-share.2024-1130-asiae" not in by_id
    assert "knpa.teen-share.2024-intra" not in by_id


def test_misprint_is_listed_but_not_charted() -> None:
    misprint = next(f for f in national_figures() if f.id == "kwhrp.deletion.2024-segye")
    assert misprint.misprint and not misprint.verified
    values = [p.value for p in series(misprint.metric)]
    assert misprint.value not in values and 300237 in values


def test_disagreeing_sources_are_both_kept() -> None:
    # Segye's misprint and the KWHRP release disagree for the same metric and period: both
    # entries stay listed (the 2024 share and count disagreements were mislabels, corrected
    # in issue 18).
    figs = [
        f
        for f in figures_by_metric("deletion_support_cases")
        if (f.period_start, f.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    ]
    assert {f.value for f in figs} == {300237, 30237}
    assert len({f.source.url for f in figs}) == 2


@pytest.mark.parametrize(
    ("metric", "year", "value"),
    [
        ("deepfake_cases_reported", 2021, 156),  # KNPA via Newsis
        ("deepfake_cases_reported", 2022, 160),
        ("deepfake_cases_reported", 2023, 180),
        ("deepfake_cases_reported", 2024, 1202),  # full year, Yonhap 2025-02-13
        ("deepfake_persons_booked", 2024, 682),
        ("kcsc_deepfake_correction_requests", 2023, 7187),
        ("dsc_synthetic_harm_cases", 2024, 1384),
        ("dsc_victims_supported", 2024, 10305),
    ],
)
def test_full_year_values(metric: str, year: int, value: float) -> None:
    full = [f for f in figures_by_metric(metric) if f.is_full_year and f.period_start.year == year]
    assert [f.value for f in full] == [value]


def test_figures_by_metric_ordered_by_period() -> None:
    for metric in metrics():
        figures = figures_by_metric(metric)
        keys = [(f.period_start, f.period_end, f.id) for f in figures]
        assert keys == sorted(keys)


def test_metrics_sorted_and_complete() -> None:
    assert metrics() == sorted(metrics())
    assert {
        "deepfake_cases_reported",
        "deepfake_persons_booked",
        "suspects_teen_share",
        "suspects_20s_share",
        "school_victims_reported",
        "kcsc_deepfake_correction_requests",
        "deletion_support_cases",
    } <= set(metrics())


def test_series_points_carry_sources() -> None:
    points = series("deepfake_cases_reported")
    assert [p.value for p in points[:3]] == [156, 160, 180]
    assert all(isinstance(p.source, FigureSource) for p in points)
    assert series("no_such_metric") == []


def test_age_band_shares_2024_uses_full_year() -> None:
    result = age_band_shares(2024)
    assert result is not None
    assert result.figure.id == "knpa.booked.2024"
    assert list(result.shares) == list(SUSPECT_AGE_BANDS)
    assert result.shares["under14"] + result.shares["14to19"] == pytest.approx(80.3, abs=0.2)
    assert sum(result.shares.values()) == pytest.approx(100, abs=0.3)


@pytest.mark.parametrize("year", [2021, 2023, 2025])
def test_age_band_shares_absent_years(year: int) -> None:
    # No age-banded count lies inside these years (the crackdown spans 2024-2025).
    assert age_band_shares(year) is None


def test_breakdowns_add_up() -> None:
    for f in national_figures():
        if f.breakdown:
            assert set(f.breakdown) <= set(BREAKDOWN_KEYS[f.breakdown_by or ""]), f.id
            assert sum(f.breakdown.values()) == pytest.approx(f.value), f.id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unit": "percent", "value": 120}, "between 0 and 100"),
        ({"period_start": "2025-01-01"}, "before period_start"),
        ({"value": -1}, "greater than or equal"),
        ({"unit": "euros"}, "unit"),
        ({"metric": "Cases Reported"}, "pattern"),
        ({"breakdown": {"under14": 10}}, "together"),
        ({"breakdown_by": "age_band", "breakdown": {"toddlers": 10}}, "unknown breakdown key"),
        ({"breakdown_by": "age_band", "breakdown": {"20s": 4}}, "breakdown sums to 4"),
        ({"verified": False}, "needs note_ko and note_en"),
        ({"note_ko": "한국어만"}, "together"),
    ],
)
def test_schema_rejects(overrides: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NationalFigure.model_validate(make_figure(**overrides))


@pytest.mark.parametrize(
    ("start", "end", "full"),
    [
        ("2024-01-01", "2024-12-31", True),
        ("2024-01-01", "2024-11-30", False),
        ("2024-08-28", "2025-03-31", False),
    ],
)
def test_is_full_year(start: str, end: str, full: bool) -> None:
    assert (
        NationalFigure.model_validate(make_figure(period_start=start, period_end=end)).is_full_year
        is full
    )


def _write_stats(root: Path, name: str, figures: list[dict]) -> Path:
    folder = root / "statistics"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump({"figures": figures}, allow_unicode=True), "utf-8")
    return path


def test_broken_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = _write_stats(
        tmp_path, "bad.yaml", [make_figure(), make_figure(id="test.b.1", unit="percent")]
    )
    text = path.read_text("utf-8").replace("value: 10", "value: 150")
    path.write_text(text, "utf-8")
    lines = text.splitlines()
    second = [
        i
        for i, line in enumerate(lines, 1)
        if line.strip().startswith("- id:") or "id: test.b.1" in line
    ]
    with pytest.raises(KBError) as info:
        load_statistics(tmp_path / "statistics", tmp_path)
    err = info.value
    # The model-level check fails on the second figure (percent > 100); the line is its start.
    assert (err.file, err.field) == ("statistics/bad.yaml", "figures.1")
    assert err.line is not None and err.line > second[0]
    assert "between 0 and 100" in err.message


def test_broken_field_line_points_at_the_value(tmp_path: Path) -> None:
    path = _write_stats(tmp_path, "bad.yaml", [make_figure()])
    text = path.read_text("utf-8").replace("unit: cases", "unit: euros")
    path.write_text(text, "utf-8")
    expected = 1 + text.splitlines().index("  unit: euros")
    with pytest.raises(KBError) as info:
        load_statistics(tmp_path / "statistics", tmp_path)
    assert (info.value.field, info.value.line) == ("figures.0.unit", expected)


def test_duplicate_id_across_files_is_refused(tmp_path: Path) -> None:
    _write_stats(tmp_path, "a.yaml", [make_figure()])
    _write_stats(tmp_path, "b.yaml", [make_figure()])
    with pytest.raises(KBError, match="also in statistics/a.yaml"):
        load_statistics(tmp_path / "statistics", tmp_path)


@pytest.mark.parametrize("model", [StatisticsFile, NationalFigure, FigureSource])
def test_every_field_is_documented(model: type) -> None:
    doc = DOC.read_text("utf-8")
    missing = [f for f in model.model_fields if f"`{f}`" not in doc]
    assert not missing, f"{model.__name__} fields missing from {DOC.name}: {missing}"


def test_every_metric_is_documented() -> None:
    doc = DOC.read_text("utf-8")
    assert [m for m in metrics() if f"`{m}`" not in doc] == []


def test_enum_labels_exist_in_both_languages() -> None:
    catalogs = {
        lang: yaml.safe_load((REPO / "locales" / lang / "kb.yaml").read_text("utf-8"))["kb"]
        for lang in ("ko", "en")
    }
    for lang, labels in catalogs.items():
        assert set(labels["unit"]) == set(UNITS), lang
        assert set(labels["breakdown_by"]) == set(BREAKDOWN_KEYS), lang
        assert set(labels["school_level"]) == set(SCHOOL_LEVELS), lang
    assert _keys(catalogs["ko"]) == _keys(catalogs["en"])


def _keys(tree: dict, prefix: str = "kb") -> set[str]:
    out: set[str] = set()
    for key, value in tree.items():
        path = f"{prefix}.{key}"
        out |= _keys(value, path) if isinstance(value, dict) else {path}
    return out


def test_module_does_not_import_streamlit() -> None:
    code = (
        "import sys, casebook.law.national as m; m.national_figures(); "
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=REPO
    )
    assert out.stdout.strip() == "False", out.stderr
