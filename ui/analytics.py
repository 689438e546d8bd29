"""Dashboard helpers: the shared filter bar, cached loading keyed on the data version,
and a chart block with CSV and PNG downloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

import ui
from casebook.analytics.charts import figure_png, vocab_label
from casebook.analytics.dashboards import csv_bytes, data_version
from casebook.analytics.filters import UNKNOWN, AnalyticsFilter, make_filter
from casebook.config import get_settings
from casebook.errors import CasebookError
from casebook.vocab import INSTITUTION_KINDS, PLATFORMS, REGIONS, STATUSES

FILTER_CHOICES = {
    "region": ("region", REGIONS + (UNKNOWN,)),
    "kind": ("institution_kind", INSTITUTION_KINDS + (UNKNOWN,)),
    "platform": ("platform", PLATFORMS),
    "status": ("status", STATUSES),
}


class _Failed(Exception):
    """ui.run showed an error; raised so st.cache_data does not keep the failure."""


def filter_bar(prefix: str) -> AnalyticsFilter | None:
    """The shared filters (date range, region, kind, platform, status); None if invalid."""
    with st.expander(ui.t("analytics.filters"), expanded=False):
        c1, c2 = st.columns(2)
        date_from = c1.date_input(ui.t("fields.date_from"), value=None, key=f"{prefix}_from")
        date_to = c2.date_input(ui.t("fields.date_to"), value=None, key=f"{prefix}_to")
        values: dict[str, Any] = {"date_from": date_from, "date_to": date_to}
        cols = st.columns(len(FILTER_CHOICES))
        # bind the language now: format_func may run outside this script run
        lang, everything = ui.lang(), ui.t("analytics.all")
        for col, (name, (group, words)) in zip(cols, FILTER_CHOICES.items(), strict=True):
            values[name] = col.selectbox(
                ui.t(f"fields.{'kind' if name == 'kind' else name}"),
                (None, *words),
                format_func=lambda w, g=group: everything if w is None else vocab_label(g, w, lang),
                key=f"{prefix}_{name}",
            )
    try:
        return make_filter(**values)
    except CasebookError as exc:
        ui.show_error(exc)
        return None


def load(fn, filters: AnalyticsFilter, user, **extra: Any) -> Any:
    """``fn(filters=...)`` through a cache keyed on the filters and the data version.

    Every write to an incident-related table bumps the version (database triggers), so a
    new incident misses the cache and shows at once; the ttl bounds memory.
    """
    version = ui.run(data_version, actor=user)
    if version is ui.FAILED:
        return ui.FAILED
    try:
        return _cached(fn.__module__, fn.__name__, filters, version, tuple(extra.items()), user)
    except _Failed:
        return ui.FAILED


@st.cache_data(ttl=get_settings().dashboard_cache_seconds, show_spinner=False, max_entries=64)
def _cached(
    module: str, name: str, filters: AnalyticsFilter, version: str, extra: tuple, _user
) -> Any:
    import importlib

    fn = getattr(importlib.import_module(module), name)
    result = ui.run(fn, actor=_user, filters=filters, **dict(extra))
    if result is ui.FAILED:
        raise _Failed()
    return result


@st.cache_resource
def png_available() -> bool:
    return Path(get_settings().chromium_path).exists()


# A figure is built from (chart, language, series) alone, so one built for a rerun serves
# every later rerun and session showing the same figures: plotly's validation made
# building the dashboard's twelve figures most of a warm rerun (150 of 200 ms at 1M).
# The figures are only read afterwards (plotly_chart serialises them, PNG renders them).
@st.cache_resource(max_entries=256, ttl=get_settings().dashboard_cache_seconds, show_spinner=False)
def _figure(chart: str, lang: str, rows_key: str, _make: Callable, _rows: list[dict]) -> Any:
    return _make(_rows, lang)


def chart_block(
    name: str, make: Callable[[list[dict], str], Any], rows: list[dict], key: str
) -> None:
    """The chart ``make(rows, lang)`` (a casebook.analytics.charts function) with its data as CSV
    and, where a renderer exists, as PNG."""
    rows_key = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
    fig = _figure(f"{make.__module__}.{make.__qualname__}", ui.lang(), rows_key, make, rows)
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    c1, c2 = st.columns(2)
    c1.download_button(
        ui.t("analytics.download_csv"),
        csv_bytes(rows),
        f"{name}.csv",
        "text/csv",
        key=f"csv_{key}",
        on_click="ignore",
    )
    if png_available():
        c2.download_button(
            ui.t("analytics.download_png"),
            lambda: figure_png(fig) or b"",
            f"{name}.png",
            "image/png",
            key=f"png_{key}",
            on_click="ignore",
        )
    else:
        c2.caption(ui.t("analytics.png_unavailable"))
