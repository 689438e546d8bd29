"""The one adapter between briefs and the dashboards' charts.

A brief draws no figure of its own: it calls a ``casebook.analytics.charts.figure_*`` function over
a series shaped exactly as the dashboard's (``casebook.analytics.dashboards.Dashboard``), renders it
with ``casebook.analytics.charts.figure_png`` (the dashboards' renderer, one Chromium per process),
and inserts the PNG. When PNG rendering is unavailable or fails, the same series goes
into the brief as a table, so the brief still builds and still carries the numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from casebook.analytics import charts as dashboard_charts
from casebook.briefs.model import Brief

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger("casebook.briefs")


class Column(NamedTuple):
    """One table column: the series key, its header, and the vocabulary of its values."""

    key: str
    header: str
    # a vocabulary group (values shown as casebook.analytics.charts.vocab_label shows them), "text"
    # for values shown as they are (years), or None for numbers
    group: str | None = None


class Pivot(NamedTuple):
    """A long series as a grid: a row per ``row`` value, a column per ``across`` value (in
    the order the figure stacks them), ``value`` in the cells. The stacked month chart is
    this grid; as a long table it would run to hundreds of rows."""

    row: Column
    across: Column
    value: str


class Chart(NamedTuple):
    title: str
    columns: list[str]
    rows: list[list[Any]]
    png: bytes | None
    figure: go.Figure  # the figure the dashboard draws for the same series


def make_chart(
    figure_fn: Callable[[list[dict], str], go.Figure],
    series: list[dict],
    lang: str,
    table: list[Column] | Pivot,
    *,
    render: bool = True,
) -> Chart:
    """The dashboard's figure for ``series``, as a PNG when possible, with its data table."""
    fig = figure_fn(series, lang)
    headers, rows = _table(series, table, lang)
    png = None
    if render and series:
        try:
            # Looked up on the module at call time: one renderer, and tests can replace it.
            png = dashboard_charts.figure_png(fig)
        except Exception:
            log.warning("chart rendering failed; the brief gets a table", exc_info=True)
    title = fig.layout.title.text or ""
    return Chart(title, headers, rows, png, fig)


def _table(series: list[dict], table: list[Column] | Pivot, lang: str) -> tuple[list, list]:
    if not isinstance(table, Pivot):
        rows = [[_cell(item.get(c.key), c.group, lang) for c in table] for item in series]
        return [c.header for c in table], rows
    row, across = table.row, table.across
    keys = list(dict.fromkeys(item[across.key] for item in series))
    grid: dict[object, dict[object, object]] = {}
    for item in series:
        grid.setdefault(item[row.key], {})[item[across.key]] = item[table.value]
    headers = [row.header] + [_cell(k, across.group, lang) for k in keys]
    rows = [
        [_cell(r, row.group, lang)] + [_num(grid[r].get(k, 0)) for k in keys] for r in sorted(grid)
    ]
    return headers, rows


def _cell(value: object, group: str | None, lang: str) -> object:
    if group == "text":
        return "—" if value is None else str(value)
    if group:
        return dashboard_charts.vocab_label(group, value, lang)
    return _num(value)


def _num(value: object) -> object:
    """Numbers as table text: 1202.0 -> "1,202", 12.5 -> "12.5"; no value -> "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def insert(brief: Brief, chart: Chart, empty: str) -> None:
    """The chart's image, or its data as a table, then its caption."""
    if chart.png:
        brief.picture(chart.png)
    else:
        blank = [[empty] + [""] * (len(chart.columns) - 1)]
        brief.table(chart.columns, chart.rows or blank)
    brief.caption(chart.title)
