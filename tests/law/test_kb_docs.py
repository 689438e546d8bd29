"""docs/kb.md documents every schema field and lists every unverified version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

import casebook.law.schema as schema
from casebook.law.load import load_kb

DOC = (Path(__file__).resolve().parents[2] / "docs" / "kb.md").read_text(encoding="utf-8")
MODELS = [
    m
    for m in vars(schema).values()
    if isinstance(m, type)
    and issubclass(m, BaseModel)
    and m.__module__ == schema.__name__
    and m is not schema.Frozen
]


def _section(name: str) -> str:
    match = re.search(rf"^### {name}\n(.*?)(?=^### |^## |\Z)", DOC, re.S | re.M)
    assert match, f"docs/kb.md has no section '### {name}'"
    return match.group(1)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_documented(model: type[BaseModel]):
    section = _section(model.__name__)
    missing = [f for f in model.model_fields if f"`{f}`" not in section]
    assert not missing, f"{model.__name__} fields missing from docs/kb.md: {missing}"


def test_every_unverified_version_is_listed():
    unverified = [v.id for v in load_kb().version_by_id.values() if not v.verified]
    assert [v for v in unverified if f"`{v}`" not in DOC] == []
