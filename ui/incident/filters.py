"""More list filters for the incidents page: institution, legal gap, provision, sort."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import ui
from casebook.i18n import label
from casebook.incidents.institutions import list_institutions
from casebook.incidents.queries import SORTS, IncidentFilter


def more_filters(base: IncidentFilter) -> tuple[IncidentFilter, str]:
    """Draw the extra filters under the basic ones; return the filter and the sort key."""
    lang = ui.lang()
    insts = ui.run(list_institutions, limit=1000)
    names = {} if insts is ui.FAILED else {i.id: i.name for i in insts}
    c1, c2, c3, c4 = st.columns(4)
    inst = c1.selectbox(
        ui.t("fields.institution_id"),
        [None, *names],
        key="flt_institution",
        format_func=lambda v: ui.t("common.all") if v is None else names[v],
    )
    gap = c2.selectbox(
        ui.t("fields.legal_gap"),
        ["", "yes", "no"],
        key="flt_gap",
        format_func=lambda v: ui.t("common.all") if not v else ui.t(f"common.{v}"),
    )
    provision = c3.text_input(
        ui.t("fields.provision_id"), key="flt_provision", placeholder="sexual-crimes-act:14-2"
    )
    sort = c4.selectbox(
        ui.t("fields.sort"),
        list(SORTS),
        key="flt_sort",
        format_func=lambda v: label("sort", v, lang),
    )
    provision = provision.strip()
    extra = {
        "institution_id": inst,
        "legal_gap": {"yes": True, "no": False}.get(gap),
        # "law:article@date" is one version; without "@" any version of the provision.
        "version_id": provision if "@" in provision else None,
        "provision_id": provision if provision and "@" not in provision else None,
    }
    return replace(base, **extra), sort
