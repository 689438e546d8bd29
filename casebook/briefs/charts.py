"""Charts for briefs, as (title, table data, PNG bytes or None) triples.

This is the one adapter between briefs and plotting. Until the analytics branch's
``casebook.charts`` (``figure_<name>(data, lang)``, ``figure_png``) lands, ``_figure``
draws a plain plotly chart here; switching means editing ``_figure`` alone. When PNG
rendering fails (no kaleido, no Chromium), the chart goes into the brief as a table.
"""

from __future__ import annotations

import logging
import threading
import warnings
from typing import Any, NamedTuple

log = logging.getLogger("casebook.briefs")
_lock = threading.Lock()
_server_started = False
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
    """PNG bytes of a plotly figure via kaleido; one Chromium kept for the process."""
    global _server_started
    import kaleido

    with _lock:
        if not _server_started:
            kaleido.start_sync_server(silence_warnings=True)
            _server_started = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fig.to_image(format="png", width=width, height=height, scale=1)
