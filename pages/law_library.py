"""Law library: browse provisions by law and article, see a version timeline, compare two
dates, ask what applied on a date, the conduct x time table, amendments and search.

Shareable links: ``?provision=<id>&date=YYYY-MM-DD`` opens the Browse tab on that view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

import ui
from casebook.i18n import label
from casebook.law import engine as law
from casebook.law.answers import LawQueryError
from casebook.vocab import CONDUCTS, VICTIMS
from ui.law_view import penalty_text, show_version, span_rows

DEFAULT_PROVISION = "sexual-crimes-act:14-2"
# Bounds of the date pickers (year, month, day); the Criminal Act dates from 1953.
MIN_YMD, MAX_YMD = (1953, 1, 1), (2100, 12, 31)


def _min_date() -> date:
    return date(*MIN_YMD)


def _max_date() -> date:
    return date(*MAX_YMD)


def _from_query() -> tuple[str, date]:
    """Provision and date from the address, ignoring values that do not fit."""
    pid = st.query_params.get("provision", DEFAULT_PROVISION)
    try:
        law.get_provision(pid)
    except LawQueryError:
        pid = DEFAULT_PROVISION
    try:
        on = date.fromisoformat(st.query_params.get("date", ""))
    except ValueError:
        on = date.today()
    return pid, min(max(on, _min_date()), _max_date())


def _provision_label(pid: str, lang: str) -> str:
    p = law.get_provision(pid)
    return f"{p.article} · {p.title.ko if lang == 'ko' else p.title.en}"


def _browse(pid: str, on: date) -> None:
    laws = law.laws()
    names = [x.law for x in laws]
    by_law = {x.law: [p.id for p in x.provisions] for x in laws}
    current = law.law_of(pid).law
    lang = ui.lang()
    chosen = st.selectbox(
        ui.t("law.law"),
        names,
        index=names.index(current),
        key="law_law",
        format_func=lambda n: next(
            (x.name_ko if lang == "ko" else x.name_en) for x in laws if x.law == n
        ),
    )
    options = by_law[chosen]
    pid = st.selectbox(
        ui.t("law.provision"),
        options,
        key="law_provision",
        index=options.index(pid) if pid in options else 0,
        format_func=lambda v: _provision_label(v, lang),
    )
    on = st.date_input(
        ui.t("law.date"), value=on, min_value=_min_date(), max_value=_max_date(), key="law_date"
    )
    st.query_params.update({"provision": pid, "date": on.isoformat()})
    st.caption(f"{ui.t('law.share_link')}: ?provision={pid}&date={on.isoformat()}")
    st.subheader(ui.t("law.version_on", date=on.isoformat()))
    version = law.version_on(pid, on)
    if version is None:
        st.info(ui.t("law.no_version"))
    else:
        show_version(version)
    names = law.body_names_on(on)
    if names:
        lang = ui.lang()
        listed = ", ".join(n.name_ko if lang == "ko" else n.name_en for n in names)
        st.caption(ui.t("law.bodies_on", date=on.isoformat(), names=listed))
    _history(pid)
    _compare(pid)


def _history(pid: str) -> None:
    st.subheader(ui.t("law.versions"))
    lang = ui.lang()
    rows = [
        {
            ui.t("law.version_id"): v.id,
            ui.t("law.in_force_from"): v.in_force_from,
            ui.t("law.in_force_to"): v.in_force_to or ui.t("law.open_ended"),
            ui.t("law.verified"): ui.t("law.verified" if v.verified else "law.unverified"),
            ui.t("law.changes"): getattr(v.changes, lang) if v.changes else "",
        }
        for v in law.get_provision(pid).versions
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _compare(pid: str) -> None:
    st.subheader(ui.t("law.compare"))
    versions = law.get_provision(pid).versions
    later = versions[-1].in_force_from
    earlier = versions[-2].in_force_from if len(versions) > 1 else later
    left, right = st.columns(2)
    d1 = left.date_input(
        ui.t("law.compare_from"),
        value=earlier,
        min_value=_min_date(),
        max_value=_max_date(),
        key="law_cmp_from",
    )
    d2 = right.date_input(
        ui.t("law.compare_to"),
        value=later,
        min_value=_min_date(),
        max_value=_max_date(),
        key="law_cmp_to",
    )
    diff = law.diff_versions(pid, d1, d2)
    marked = {c.paragraph for c in diff.changes if c.paragraph}
    for col, vid in ((left, diff.from_version), (right, diff.to_version)):
        with col:
            if vid is None:
                st.info(ui.t("law.no_version"))
            else:
                show_version(law.get_version(vid), marked)
    if not diff.changes:
        st.info(ui.t("law.no_differences"))
        return
    rows = [
        {
            ui.t("law.paragraph"): c.paragraph or "",
            ui.t("law.field"): ui.t(f"law.fields.{c.field}"),
            ui.t("law.old"): _cell(c.old),
            ui.t("law.new"): _cell(c.new),
        }
        for c in diff.changes
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ui.t("law.bool_yes") if value else ui.t("law.bool_no")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return " / ".join(map(str, value)) if isinstance(value, list) else str(value)


def _ask() -> None:
    lang = ui.lang()
    a, b, c = st.columns(3)
    conduct = a.selectbox(
        ui.t("law.conduct"),
        CONDUCTS,
        key="law_ask_conduct",
        format_func=lambda v: label("conduct", v, lang),
    )
    victim = b.selectbox(
        ui.t("law.victim"),
        VICTIMS,
        key="law_ask_victim",
        format_func=lambda v: label("victim", v, lang),
    )
    if st.toggle(ui.t("law.span_toggle"), key="law_ask_span"):
        _ask_span(conduct, victim)
        return
    on = c.date_input(
        ui.t("law.date"),
        value=date.today(),
        min_value=_min_date(),
        max_value=_max_date(),
        key="law_ask_date",
    )
    result = law.applicable_law(conduct, victim, on)
    if result.criminal:
        st.success(ui.t("law.criminal"))
    else:
        st.warning(ui.t("law.not_criminal"))
    rows = [
        {
            ui.t("law.law"): p.law if lang == "ko" else p.law_en,
            ui.t("law.provision"): p.article if lang == "ko" else p.article_en,
            ui.t("law.penalty"): penalty_text(
                p.prison_min_years, p.prison_max_years, p.life, p.fine_max_krw
            ),
            ui.t("law.requirements"): " / ".join(r[lang] for r in p.requirements),
            ui.t("law.version_id"): p.version_id,
            ui.t("law.verified"): ui.t("law.verified" if p.verified else "law.unverified"),
        }
        for p in result.provisions
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    if result.later_changes:
        st.subheader(ui.t("law.later_changes"))
        st.dataframe(
            [_later_row(ch, lang) for ch in result.later_changes], hide_index=True, width="stretch"
        )


def _ask_span(conduct: str, victim: str) -> None:
    """A span (possession from D1 to D2): which part was an offence and under which version."""
    left, right = st.columns(2)
    d1 = left.date_input(
        ui.t("law.span_from"),
        value=date(2024, 9, 1),
        min_value=_min_date(),
        max_value=_max_date(),
        key="law_span_from",
    )
    d2 = right.date_input(
        ui.t("law.span_to"),
        value=date(2024, 11, 30),
        min_value=_min_date(),
        max_value=_max_date(),
        key="law_span_to",
    )
    if d2 < d1:
        st.error(ui.t("law.span_bad"))
        return
    if conduct in law.CONTINUING_CONDUCTS:
        st.caption(ui.t("law.span_continuing"))
    st.dataframe(span_rows(conduct, victim, d1, d2, ui.lang()), hide_index=True, width="stretch")


def _later_row(ch: Any, lang: str) -> dict[str, Any]:
    pen = ch.new_penalty or {}
    after = penalty_text(
        pen.get("prison_min_years"),
        pen.get("prison_max_years"),
        bool(pen.get("life")),
        pen.get("fine_max_krw"),
    )
    return {
        ui.t("law.in_force_from"): ch.date,
        ui.t("law.version_id"): ch.version_id,
        ui.t("law.changes"): ch.what_ko if lang == "ko" else ch.what_en,
        ui.t("law.after"): after,
    }


def _timeline() -> None:
    lang = ui.lang()
    victim = st.radio(
        ui.t("law.victim"),
        VICTIMS,
        horizontal=True,
        key="law_tl_victim",
        format_func=lambda v: label("victim", v, lang),
    )
    table = law.conduct_timeline(victim)
    st.caption(ui.t("law.timeline_caption"))
    rows = []
    for conduct, cells in table.rows.items():
        row = {ui.t("law.conduct"): label("conduct", conduct, lang)}
        for cell in cells:
            row[cell.date.isoformat()] = _timeline_mark(cell)
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")


def _timeline_mark(cell: Any) -> str:
    """'—' not criminal; '✔ ≤7y' capped term; '✔ ≥3y' minimum term; '✔ life'."""
    if not cell.criminal:
        return "—"
    if cell.life:
        return "✔ " + ui.t("law.life")
    if cell.min_prison_years:
        return "✔ " + ui.t("law.years_from", years=f"{cell.min_prison_years:g}")
    return "✔ " + ui.t("law.years_up_to", years=f"{cell.max_prison_years or 0:g}")


def _amendments() -> None:
    lang = ui.lang()
    for a in law.amendments():
        last = a.history[-1]
        status = ui.t(f"law.status_values.{a.status}")
        flag = "" if a.verified else f" · {ui.t('law.unverified')}"
        with st.expander(f"{last.date} · {status} · {getattr(a.title, lang)}{flag}"):
            st.caption(f"{ui.t('law.proposer')}: {a.proposer} · {a.statute_no or a.bill_no or ''}")
            st.dataframe(
                [
                    {
                        ui.t("law.status"): ui.t(f"law.status_values.{e.status}"),
                        ui.t("law.last_date"): e.date,
                        ui.t("law.summary"): e.note or "",
                        ui.t("law.verified"): ui.t(
                            "law.verified" if e.verified else "law.unverified"
                        ),
                    }
                    for e in a.history
                ],
                hide_index=True,
                width="stretch",
            )
            for ch in a.changes:
                st.write(f"{_provision_label(ch.provision, lang)}: {getattr(ch.what, lang)}")
            if a.verification_note:
                st.caption(f"{ui.t('law.verification_note')}: {a.verification_note}")


def _search() -> None:
    lang = ui.lang()
    query = st.text_input(ui.t("law.search_query"), key="law_search")
    names = {"any": ui.t("law.search_any"), "ko": "한국어", "en": "English"}
    which = st.radio(
        ui.t("law.search_lang"),
        list(names),
        horizontal=True,
        key="law_search_lang",
        format_func=names.__getitem__,
    )
    if not query.strip():
        return
    hits = law.search_law(query, None if which == "any" else which)
    if not hits:
        st.info(ui.t("law.no_results"))
        return
    st.dataframe(
        [
            {
                ui.t("law.provision"): h.article if lang == "ko" else h.article_en,
                ui.t("law.summary"): h.title_ko if lang == "ko" else h.title_en,
                ui.t("law.version_id"): h.provision_id,
                "…": h.snippet,
                ui.t("law.score"): h.score,
            }
            for h in hits
        ],
        hide_index=True,
        width="stretch",
    )


def _foreign() -> None:
    lang = ui.lang()
    try:
        from casebook.law.foreign import foreign_for_conduct
    except ImportError:
        st.info(ui.t("law.foreign_not_loaded"))
        return
    conduct = st.selectbox(
        ui.t("law.conduct"),
        CONDUCTS,
        key="law_foreign_conduct",
        format_func=lambda v: label("conduct", v, lang),
    )
    rows = [
        {
            ui.t("law.jurisdiction"): f.jurisdiction_ko if lang == "ko" else f.jurisdiction_en,
            ui.t("law.instrument"): f.instrument,
            ui.t("law.section"): f.section,
            ui.t("law.status"): ui.t(f"kb.foreign_status.{f.status}"),
            ui.t("law.penalty_max_years"): f.penalty_max_years,
            ui.t("law.summary"): f.summary_ko if lang == "ko" else f.summary_en,
            ui.t("law.source"): getattr(f.source, "citation", ""),
            ui.t("law.verified"): ui.t(
                "law.verified" if getattr(f, "verified", False) else "law.unverified"
            ),
        }
        for f in foreign_for_conduct(conduct)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def render() -> None:
    st.title(ui.t("law.title"))
    st.caption(ui.t("law.intro"))
    checked = law.kb_checked_on()
    st.caption(ui.t("law.kb_checked", date=checked.isoformat()))
    if law.kb_is_stale(date.today(), checked):
        st.warning(ui.t("law.kb_stale", date=checked.isoformat(), days=law.STALE_AFTER_DAYS))
    pid, on = _from_query()
    names = ["browse", "ask", "timeline", "amendments", "search", "foreign"]
    tabs = st.tabs([ui.t(f"law.tab_{n}") for n in names])
    sections = [lambda: _browse(pid, on), _ask, _timeline, _amendments, _search, _foreign]
    for tab, section in zip(tabs, sections, strict=True):
        with tab:
            section()


if __name__ == "__main__":
    st.switch_page("app.py")
