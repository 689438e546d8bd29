"""The law catalogs: same keys in Korean and English, and every key the page uses exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import yaml

from casebook.law.schema import MATERIALS, Status

REPO = Path(__file__).resolve().parents[2]


def _keys(node: object, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_keys(v, f"{prefix}.{k}" if prefix else k) for k, v in node.items()))
    return {prefix}


def _catalog(lang: str) -> set[str]:
    return _keys(yaml.safe_load((REPO / "locales" / lang / "law.yaml").read_text("utf-8")))


def test_same_keys_in_both_languages():
    assert _catalog("ko") == _catalog("en")


def test_keys_used_by_the_page_exist():
    used = set()
    for path in (REPO / "pages" / "law_library.py", REPO / "ui" / "law_view.py"):
        used |= set(re.findall(r"""["'](law\.[a-z_]+)["']""", path.read_text("utf-8")))
    assert used and used <= _catalog("ko")


def test_status_and_material_labels():
    keys = _catalog("en")
    assert {f"law.status_values.{s}" for s in get_args(Status)} <= keys
    assert {f"law.material_values.{m}" for m in MATERIALS} <= keys


def test_every_diff_field_has_a_label():
    from datetime import date

    from casebook.law.engine import diff_versions

    diff = diff_versions("sexual-crimes-act:14-2", date(2019, 1, 1), date(2025, 1, 1))
    assert {f"law.fields.{c.field}" for c in diff.changes} <= _catalog("en")
