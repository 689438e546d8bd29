"""Message catalogs (locales/<lang>/*.yaml) and Korean-first formatting."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

import yaml

from casebook.config import ROOT

LANGS = ("ko", "en")
DEFAULT_LANG = "ko"
LOCALES = ROOT / "locales"
# libyaml's parser when PyYAML was built with it: the same result (checked on every
# catalog and KB file), eight times faster; a CLI command pays the load on every run.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _flatten(prefix: str, node: object, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = str(node)


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of ``lang``, flattened to dotted keys."""
    out: dict[str, str] = {}
    for path in sorted(Path(LOCALES / lang).glob("*.yaml")):
        _flatten("", yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}, out)
    return out


def translate(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The message for ``key``; falls back to Korean, then to the key itself."""
    text = catalog(lang if lang in LANGS else DEFAULT_LANG).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    return text.format(**params) if params else text


def label(group: str, value: str | None, lang: str) -> str:
    """Label of a vocabulary word, e.g. label("status", "arrested", "en")."""
    if value is None or value == "":
        return "—"
    return translate(f"vocab.{group}.{value}", lang)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()


def fmt_number(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
