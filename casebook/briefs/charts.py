"""Charts for briefs, as (title, table data, PNG bytes or None) triples.

This is the one adapter between briefs and plotting. Images come from the renderer the
dashboards use (``casebook.charts.figure_png``, one Chromium per process); ``_figure``
still draws the brief's own simple plotly figures from (columns, rows). When PNG
rendering fails (no kaleido, no Chromium), the chart goes into the brief as a table.
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

log = logging.getLogger("casebook.briefs")
FONT = "Malgun Gothic, NanumGothic, Noto Sans CJK KR, sans-serif"


class Chart(NamedTuple):
    title: str
    columns: list[str]
    rows: list[list[Any]]
    png: bytes | None


def make_chart(
    title: str, columns: list[str], rows: list[list[Any]], *, kind: str = "bar", render: bool = True
) -> Chart:
    """A chart of ``rows`` (label, value[, value ...]); rendered to PNG when possible."""
    png = None
    if render and rows:
        try:
            png = figure_png(_figure(title, columns, rows, kind))
        except Exception:  # noqa: BLE001 (any renderer failure means "use the table")
            log.warning("chart rendering failed; the brief gets a table", exc_info=True)
    return Chart(title, columns, rows, png)


def _figure(title: str, columns: list[str], rows: list[list[Any]], kind: str):  # noqa: ANN202
    import plotly.graph_objects as go

    labels = [str(r[0]) for r in rows]
    fig = go.Figure()
    for i, name in enumerate(columns[1:], start=1):
        values = [r[i] for r in rows]
        trace = go.Scatter if kind == "line" else go.Bar
        extra = {"mode": "lines+markers"} if kind == "line" else {}
        fig.add_trace(trace(x=labels, y=values, name=name, **extra))
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        font={"family": FONT, "size": 12},
        template="plotly_white",
        margin={"l": 50, "r": 20, "t": 50, "b": 60},
        showlegend=len(columns) > 2,
        barmode="group",
    )
    return fig


def figure_png(fig, width: int = 900, height: int = 420) -> bytes | None:  # noqa: ANN001
    """PNG bytes of a plotly figure, through the renderer the dashboards use."""
    from casebook.charts import figure_png as render

    return render(fig, width, height)
