"""One pure function per dashboard chart, shared by the pages and the Word briefs.

``figure_<name>(data, lang)`` takes a series exactly as casebook.analytics.dashboards returns it
(a list of flat dicts) and returns a plotly Figure with labels in ``lang``.
``figure_png(fig, width, height)`` renders it with kaleido driving Debian's Chromium and
returns None, never raising, where that is not possible (no browser, a timeout).
"""

from __future__ import annotations

import html
import logging
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go

from casebook.config import get_settings
from casebook.i18n import label, translate

log = logging.getLogger("casebook.analytics.charts")
FONT_FAMILY = "NanumGothic, Noto Sans KR, sans-serif"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_render_lock = threading.Lock()  # one Chromium at a time on a small server
# kaleido's sync server waits without a limit for its browser thread; if that thread dies
# (Chromium crashed while starting, say) every later render would wait forever.
RENDER_TIMEOUT_S = 90.0
_renderer_wedged: list[bool] = []  # set once a render timed out: tables from then on


def _t(key: str, lang: str) -> str:
    return translate(f"analytics.{key}", lang)


def vocab_label(group: str, value: str | None, lang: str) -> str:
    """A vocabulary word's label; the dashboard's "unknown" buckets get one too."""
    if group == "room":
        return _t(f"room.{value}", lang)
    if group == "reason":
        return _t(f"reason.{value}", lang)
    if group == "gap":
        return _t(f"gap.{value}", lang)
    if value in (None, "", "unknown") and group != "age_band":
        return _t("unknown", lang)
    return label(group, value, lang)


def plain(text: object) -> str:
    """A category label or hover text from user data, shown as typed: plotly renders
    <a>, <b>, <span style> and <br> in text, and decodes the entities this leaves."""
    return html.escape(str(text), quote=False)


def _layout(fig: go.Figure, title: str, **extra: object) -> go.Figure:
    fig.update_layout(
        title={"text": title},
        font={"family": FONT_FAMILY, "size": 13},
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        template="plotly_white",
        # Legend at the bottom of the image, not of the plot: rotated month labels and the
        # x-axis title then push the plot up instead of running into the legend.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
        **extra,
    )
    return fig


def _bar(
    rows: list[dict],
    key: str,
    group: str,
    title: str,
    lang: str,
    horizontal: bool = False,
    value: str = "count",
) -> go.Figure:
    names = [plain(vocab_label(group, r[key], lang) if group else r[key]) for r in rows]
    values = [r[value] for r in rows]
    bar = (
        go.Bar(y=names[::-1], x=values[::-1], orientation="h")
        if horizontal
        else go.Bar(x=names, y=values)
    )
    return _layout(go.Figure(bar), title)


def figure_by_month(data: list[dict], lang: str) -> go.Figure:
    """Incidents per reported month, stacked by institution kind."""
    months = sorted({r["month"] for r in data})
    kinds = list(dict.fromkeys(r["kind"] for r in data))
    fig = go.Figure()
    for kind in kinds:
        counts = {r["month"]: r["count"] for r in data if r["kind"] == kind}
        fig.add_bar(
            x=months,
            y=[counts.get(m, 0) for m in months],
            name=vocab_label("institution_kind", kind, lang),
        )
    return _layout(
        fig,
        _t("charts.by_month", lang),
        barmode="stack",
        xaxis={"title": _t("month", lang), "type": "category"},
        yaxis={"title": _t("count", lang)},
    )


def figure_by_region(data: list[dict], lang: str) -> go.Figure:
    return _bar(data, "region", "region", _t("charts.by_region", lang), lang)


def figure_top_institutions(data: list[dict], lang: str) -> go.Figure:
    return _bar(data, "name", "", _t("charts.top_institutions", lang), lang, horizontal=True)


def figure_by_platform(data: list[dict], lang: str) -> go.Figure:
    return _bar(data, "platform", "platform", _t("charts.by_platform", lang), lang)


def figure_room_sizes(data: list[dict], lang: str) -> go.Figure:
    order = ["lt100", "100to999", "1000to9999", "10000plus", "unknown"]
    rows = sorted(data, key=lambda r: order.index(r["bucket"]) if r["bucket"] in order else 99)
    return _bar(rows, "bucket", "room", _t("charts.room_sizes", lang), lang)


def figure_by_conduct(data: list[dict], lang: str) -> go.Figure:
    return _bar(data, "conduct", "conduct", _t("charts.by_conduct", lang), lang, horizontal=True)


def figure_age_bands(data: list[dict], lang: str) -> go.Figure:
    """Suspects' age bands among tracked incidents beside the national police shares."""
    names = [vocab_label("age_band", r["band"], lang) for r in data]
    fig = go.Figure()
    fig.add_bar(x=names, y=[r["tracked_pct"] for r in data], name=_t("series.tracked", lang))
    fig.add_bar(x=names, y=[r["national_pct"] for r in data], name=_t("series.national", lang))
    return _layout(
        fig, _t("charts.age_bands", lang), barmode="group", yaxis={"title": _t("share_pct", lang)}
    )


def figure_funnel(data: list[dict], lang: str) -> go.Figure:
    fig = go.Figure(
        go.Funnel(
            y=[vocab_label("status", r["stage"], lang) for r in data],
            x=[r["count"] for r in data],
            textinfo="value+percent initial",
        )
    )
    return _layout(fig, _t("charts.funnel", lang))


def figure_releases(data: list[dict], lang: str) -> go.Figure:
    return _bar(data, "reason", "reason", _t("charts.releases", lang), lang, horizontal=True)


def figure_legal_gaps(data: list[dict], lang: str) -> go.Figure:
    """Incidents with a gap-flagged legal link, by month, stacked by conduct and gap."""
    months = sorted({r["month"] for r in data})
    fig = go.Figure()
    for conduct, gap in dict.fromkeys((r["conduct"], r["gap"]) for r in data):
        counts = {
            r["month"]: r["count"] for r in data if r["conduct"] == conduct and r["gap"] == gap
        }
        name = f"{vocab_label('conduct', conduct, lang)} · {vocab_label('gap', gap, lang)}"
        fig.add_bar(x=months, y=[counts.get(m, 0) for m in months], name=name)
    return _layout(
        fig,
        _t("charts.legal_gaps", lang),
        barmode="stack",
        xaxis={"title": _t("month", lang), "type": "category"},
    )


def figure_police_days(data: list[dict], lang: str) -> go.Figure:
    return _bar(
        data, "platform", "platform", _t("charts.police_days", lang), lang, value="avg_days"
    )


def figure_takedown_days(data: list[dict], lang: str) -> go.Figure:
    return _bar(
        data, "platform", "platform", _t("charts.takedown_days", lang), lang, value="avg_days"
    )


def figure_national_cases(data: list[dict], lang: str) -> go.Figure:
    """Tracked incidents per year beside police figures (one bar per source)."""
    years = sorted({str(r["year"]) for r in data})
    fig = go.Figure()
    for series in dict.fromkeys(r["series"] for r in data):
        values = {str(r["year"]): r["value"] for r in data if r["series"] == series}
        fig.add_bar(x=years, y=[values.get(y) for y in years], name=plain(series))
    return _layout(
        fig, _t("charts.national_cases", lang), barmode="group", xaxis={"type": "category"}
    )


FIGURES = {
    "by_month": figure_by_month,
    "by_region": figure_by_region,
    "top_institutions": figure_top_institutions,
    "by_platform": figure_by_platform,
    "room_sizes": figure_room_sizes,
    "by_conduct": figure_by_conduct,
    "age_bands": figure_age_bands,
    "funnel": figure_funnel,
    "releases": figure_releases,
    "legal_links": figure_legal_gaps,
    "police_days": figure_police_days,
    "takedown_days": figure_takedown_days,
}


def figure_png(fig: go.Figure, width: int = 900, height: int = 500) -> bytes | None:
    """The figure as PNG bytes, or None when no renderer is available here.

    Dashboards and Word briefs both render through here. One Chromium is kept for the
    process (starting it costs seconds, five charts in a brief would pay it five times) and
    restarted only when the configured browser path changes.
    """
    path = str(get_settings().chromium_path)
    if _renderer_wedged:
        return None
    try:
        import kaleido

        with _render_lock:
            _ensure_renderer(kaleido, path)
            png = _within(
                RENDER_TIMEOUT_S,
                lambda: kaleido.calc_fig_sync(
                    fig, opts={"format": "png", "width": width, "height": height}
                ),
            )
    except TimeoutError:
        log.error("PNG rendering stopped answering; charts go in as tables until restart")
        _renderer_wedged.append(True)
        return None
    except Exception:
        log.warning("PNG rendering unavailable", exc_info=True)
        return None
    return png if isinstance(png, bytes) and png.startswith(PNG_SIGNATURE) else None


_renderer_path: list[str] = []  # the browser path the running renderer was started with
_warming: list[threading.Thread] = []


def warm_renderer() -> threading.Thread | None:
    """Start Chromium in the background so that the first chart a user asks for does not
    wait for it (starting it takes seconds, more than a whole brief on a busy server).

    Returns at once; the thread renders one small chart, which also loads plotly.js into
    the browser page. Does nothing where no browser is configured, once a render has timed
    out, or when the renderer is already up or warming. Never raises.
    """
    if _warming and _warming[0].is_alive():
        return _warming[0]
    path = str(get_settings().chromium_path)
    if _renderer_wedged or _renderer_path == [path] or not Path(path).exists():
        return None
    probe = go.Figure(go.Bar(x=["가"], y=[1]))
    thread = threading.Thread(target=figure_png, args=(probe, 50, 50), name="png-warm", daemon=True)
    _warming[:] = [thread]
    thread.start()
    return thread


def _within(seconds: float, render: Callable[[], object]) -> object:
    """``render()`` on a daemon thread; TimeoutError if it has not finished in ``seconds``
    (the thread is left behind: it cannot be interrupted, and a daemon does not block exit)."""
    box: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                box["value"] = render()
        except BaseException as exc:
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="png-render", daemon=True).start()
    if not done.wait(seconds):
        raise TimeoutError(f"no PNG after {seconds} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def _ensure_renderer(kaleido, path: str) -> None:
    if _renderer_path == [path]:
        return
    if _renderer_path:
        kaleido.stop_sync_server(silence_warnings=True)
        _renderer_path.clear()
    if not Path(path).exists():
        raise FileNotFoundError(path)
    kaleido.start_sync_server(path=path, timeout=60, silence_warnings=True)
    _renderer_path.append(path)


def figure_teen_share(data: list[dict], lang: str) -> go.Figure:
    """Teenagers' share of suspects: tracked incidents beside each published figure."""
    names = [plain(f"{r['series']} {r['period']}".strip()) for r in data]
    colors = [
        "#1f77b4" if r["source"] == "Casebook" else ("#7f7f7f" if r["verified"] else "#c7c7c7")
        for r in data
    ]
    fig = go.Figure(
        go.Bar(
            y=names[::-1],
            x=[r["teen_pct"] for r in data][::-1],
            orientation="h",
            marker_color=colors[::-1],
        )
    )
    return _layout(fig, _t("charts.teen_share", lang), xaxis={"title": _t("share_pct", lang)})
