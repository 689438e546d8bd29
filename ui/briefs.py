"""Briefs page helpers: the parameter form per kind, the result with downloads, records."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

import ui
from casebook.access.permissions import can
from casebook.briefs import generate_briefs, outline, regenerate
from casebook.briefs.common import KINDS, PERMISSION
from casebook.briefs.pdf import libreoffice, to_pdf
from casebook.briefs.records import (
    BRIEF_AUDIENCES,
    GeneratedBrief,
    list_records,
    record_format,
)
from casebook.errors import CasebookError
from casebook.i18n import label
from casebook.incidents.store import can_reveal
from casebook.law.engine import laws
from casebook.vocab import INSTITUTION_KINDS, PLATFORMS, REGIONS


def allowed_kinds(user) -> list[str]:
    return [k for k in KINDS if can(user, PERMISSION[k])]


def _query_int(name: str) -> int:
    try:
        return max(1, int(st.query_params.get(name, 1)))
    except ValueError:
        return 1


def _provisions() -> list[tuple[str, str]]:
    lang = ui.lang()
    return [
        (
            p.id,
            f"{law.short_ko if lang == 'ko' else law.short_en} "
            f"{p.article if lang == 'ko' else p.article_en} — "
            f"{p.title.ko if lang == 'ko' else p.title.en}",
        )
        for law in laws()
        for p in law.provisions
    ]


def _pick(name: str, group: str, values: tuple[str, ...], col) -> str | None:
    options = [""] + list(values)
    picked = col.selectbox(
        ui.t(f"briefs.ui.{name}"),
        options,
        key=f"brief_{name}",
        format_func=lambda v: ui.t("briefs.ui.any") if v == "" else label(group, v, ui.lang()),
    )
    return picked or None


def params_form(user, kind: str) -> dict[str, Any]:
    """The widgets for ``kind``; query params ?id=N preselect the incident or institution."""
    if kind in ("incident", "institution"):
        number = st.number_input(
            ui.t(f"briefs.ui.{kind}_id"),
            min_value=1,
            step=1,
            value=_query_int("id"),
            key=f"brief_{kind}_id",
        )
        params: dict[str, Any] = {"id": int(number)}
        if kind == "incident" and can_reveal(user):
            params["reveal_victim"] = st.checkbox(
                ui.t("briefs.ui.reveal"), key=ui.user_key("brief_reveal")
            )
        if kind == "incident":  # casebook refuses an audience the victim did not agree to
            params["audience"] = st.selectbox(
                ui.t("fields.audience"),
                BRIEF_AUDIENCES,
                key="brief_audience",
                format_func=lambda a: ui.t(f"consent.scope_{a}"),
            )
        return params
    if kind == "compare":
        options = _provisions()
        wanted = st.query_params.get("provision")
        ids = [pid for pid, _ in options]
        index = ids.index(wanted) if wanted in ids else 0
        names = dict(options)
        pid = st.selectbox(
            ui.t("briefs.ui.provision"),
            ids,
            index=index,
            key="brief_provision",
            format_func=lambda v: names[v],
        )
        return {"provision": pid}
    c1, c2 = st.columns(2)
    start = c1.date_input(ui.t("briefs.ui.date_from"), value=date(2024, 1, 1), key="brief_from")
    end = c2.date_input(ui.t("briefs.ui.date_to"), value=None, key="brief_to")
    c3, c4, c5 = st.columns(3)
    return {
        "date_from": start,
        "date_to": end,
        "region": _pick("region", "region", REGIONS, c3),
        "kind": _pick("inst_kind", "institution_kind", INSTITUTION_KINDS, c4),
        "platform": _pick("platform", "platform", PLATFORMS, c5),
    }


def show_outline(kind: str, lang: str) -> None:
    st.subheader(ui.t("briefs.ui.outline"))
    st.text("\n".join(f"{n}. {line}" for n, line in enumerate(outline(kind, lang), start=1)))


def _file(made: GeneratedBrief) -> dict[str, Any]:
    return {
        "format": made.format,
        "filename": made.filename,
        "content": made.content,
        "mime": made.media_type,
        "sha": made.record.sha256,
    }


def generate(user, kind: str, lang: str, params: dict, want_pdf: bool) -> None:
    """The brief built once and written as Word and as Hangul: both downloads."""
    made = ui.run(generate_briefs, actor=user, kind=kind, lang=lang, params=params)
    if made is ui.FAILED:
        return
    result = {"files": [_file(one) for one in made], "pdf": None, "matches": None}
    if want_pdf:
        docx = next(one for one in made if one.format == "docx")
        try:
            result["pdf"] = to_pdf(docx.content)
        except CasebookError as exc:
            ui.show_error(exc)
    st.session_state[ui.user_key("brief_result")] = result


def show_result() -> None:
    result = st.session_state.get(ui.user_key("brief_result"))
    if not result:
        return
    for file in result["files"]:
        st.success(ui.t("briefs.ui.made", name=file["filename"], sha=file["sha"][:16]))
    if result["matches"] is not None:
        st.caption(ui.t("briefs.ui.same" if result["matches"] else "briefs.ui.differs"))
    columns = st.columns(len(result["files"]) + bool(result["pdf"]))
    for col, file in zip(columns, result["files"], strict=False):
        # The DOCX button keeps the key it always had (links and tests find it by key).
        suffix = "" if file["format"] == "docx" else f"_{file['format']}"
        col.download_button(
            ui.t(f"briefs.ui.download{suffix}"),
            data=file["content"],
            file_name=file["filename"],
            mime=file["mime"],
            key=f"brief_download{suffix}",
        )
    if result["pdf"]:
        docx = next(f for f in result["files"] if f["format"] == "docx")
        columns[-1].download_button(
            ui.t("briefs.ui.download_pdf"),
            data=result["pdf"],
            file_name=docx["filename"].removesuffix(".docx") + ".pdf",
            mime="application/pdf",
            key="brief_download_pdf",
        )


def records_section(user) -> None:
    st.subheader(ui.t("briefs.ui.records"))
    records = ui.run(list_records, actor=user, limit=20)
    if records is ui.FAILED:
        return
    if not records:
        st.caption(ui.t("briefs.ui.no_records"))
        return
    st.dataframe(
        [
            {
                "#": r.id,
                ui.t("briefs.ui.kind"): ui.t(f"briefs.ui.kinds.{r.kind}"),
                ui.t("briefs.ui.lang"): r.lang,
                ui.t("briefs.ui.format"): record_format(r).upper(),
                "SHA-256": r.sha256[:16],
                ui.t("briefs.generated_label"): r.params.get("generated_at", ""),
            }
            for r in records
        ],
        hide_index=True,
        width="stretch",
    )
    c1, c2 = st.columns([1, 2])
    c1.number_input(
        ui.t("briefs.ui.record_id"),
        min_value=1,
        step=1,
        value=records[0].id,
        key=ui.user_key("brief_record"),
    )
    # A callback runs before the page is drawn again, so the result shows in this run.
    c2.button(
        ui.t("briefs.ui.regenerate"), key="brief_regenerate", on_click=_regenerate, args=(user,)
    )


def _regenerate(user) -> None:
    made = ui.run(
        regenerate, actor=user, record_id=int(st.session_state[ui.user_key("brief_record")])
    )
    if made is not ui.FAILED:
        st.session_state[ui.user_key("brief_result")] = {
            "files": [_file(made)],
            "pdf": None,
            "matches": made.matches_record,
        }


def pdf_available() -> bool:
    return libreoffice() is not None
