"""Helpers shared by the brief builders: messages, redaction, penalties, law look-ups."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from casebook.briefs.model import Brief, Fonts, add_toc, new_brief
from casebook.config import get_settings
from casebook.i18n import label, translate
from casebook.law.answers import Applicability
from casebook.law.engine import applicable_law, kb_checked_on
from casebook.law.penalty import penalty_words
from casebook.vocab import CONDUCTS

if TYPE_CHECKING:
    from casebook.briefs.docx_kit import Brief

KINDS = ("incident", "advocacy", "institution", "compare")
PERMISSION = {kind: f"brief.{kind}" for kind in KINDS}
_SPLIT = re.compile(r"[\s,;/|:()\[\]<>\"']+")


def tr(lang: str):
    """A translator bound to ``lang`` for keys under ``briefs.``."""
    return lambda key, **kw: translate(f"briefs.{key}", lang, **kw)


def lab(group: str, value: str | None, lang: str) -> str:
    """A vocabulary label; the raw word when no catalog has one (e.g. new event kinds)."""
    text = label(group, value, lang)
    if text == f"vocab.{group}.{value}":
        own = translate(f"briefs.vocab.{group}.{value}", lang)
        return value or "" if own.startswith("briefs.vocab.") else own
    return text


class Redactor:
    """Replaces every piece of the victim's stored details found in other text.

    Free text (a summary, an event note) may repeat a name that the victim-contact field
    holds; redaction by default means none of it reaches a brief.
    """

    def __init__(self, secret: str | None, lang: str, withhold_all: bool = False) -> None:
        self.marker = "[비공개]" if lang == "ko" else "[redacted]"
        # Details exist but cannot be read (key lost or rotated): nothing tells us what
        # to look for, so every piece of free text is withheld.
        self.withhold_all = withhold_all
        parts = {secret.strip()} if secret and secret.strip() else set()
        # Pieces of two or more characters; a short run of digits ("010", "1234") alone
        # identifies nobody and would blank out unrelated numbers.
        parts |= {
            p
            for p in _SPLIT.split(secret or "")
            if len(p) >= 2 and not (p.isdigit() and len(p) < 7)
        }
        ordered = sorted(parts, key=lambda p: (-len(p), p))
        self._pattern = (
            re.compile("|".join(re.escape(p) for p in ordered), re.IGNORECASE) if ordered else None
        )

    def __call__(self, text: object) -> str:
        value = "" if text is None else str(text)
        if self.withhold_all and value:
            return self.marker
        return self._pattern.sub(self.marker, value) if self._pattern else value


def penalty_text(
    prison_min: float | None, prison_max: float | None, life: bool, fine_max: int | None, lang: str
) -> str:
    """The penalty as a lawyer writes it (casebook.law.penalty, shared with CLI and page)."""
    return penalty_words(prison_min, prison_max, life, fine_max, lang)


def kb_checked_note(brief: Brief, t: Callable[..., str]) -> None:
    """The date the legal knowledge base was last checked, above the list of sources."""
    brief.para(t("kb_checked", date=kb_checked_on().isoformat()), italic=True)


def period(start: date | None, end: date | None, lang: str) -> str:
    left = start.isoformat() if start else "…"
    right = end.isoformat() if end else tr(lang)("now")
    return f"{left} ~ {right}"


@lru_cache(maxsize=4096)
def law_on(conduct: str, victim: str, on: date) -> Applicability:
    """applicable_law, cached: advocacy briefs ask the same question for many incidents."""
    return applicable_law(conduct, victim, on)


def victims_of(victims_count: int | None, victims_minor: int) -> list[str]:
    """Victim groups the law distinguishes, as far as the counts tell."""
    out = []
    if victims_count is None or victims_count > victims_minor:
        out.append("adult")
    if victims_minor:
        out.append("minor")
    return out


def ordered_conducts(conducts: list[str]) -> list[str]:
    return [c for c in CONDUCTS if c in conducts]


@dataclass(frozen=True)
class Meta:
    """What every brief prints in its header and title block."""

    org_name: str
    generated_at: datetime

    @property
    def generated(self) -> str:
        return self.generated_at.strftime("%Y-%m-%d %H:%M UTC")


def meta(generated_at: datetime) -> Meta:
    return Meta(get_settings().org_name, generated_at)


def source_text(source: dict, lang: str) -> str:
    """A KB source as one note: citation, address, when it was checked."""
    checked = source.get("checked") or source.get("checked_on") or ""
    return tr(lang)(
        "source_note",
        citation=source.get("citation", ""),
        url=source.get("url", ""),
        checked=checked,
    )


def begin(
    lang: str, m: Meta, title: str, subtitle: str, lines: list[tuple[str, str]], marking: str
) -> Brief:
    """A new document with its title block (title, subtitle, key facts) and a TOC."""
    t = tr(lang)
    settings = get_settings()
    fonts = Fonts(latin=settings.brief_font_latin, east_asian=settings.brief_font_east_asian)
    brief = new_brief(
        fonts=fonts,
        lang=lang,
        org_name=m.org_name,
        marking=marking,
        page_label=t("page"),
        generated=t("generated", at=m.generated),
    )
    brief.para(title, style="Title")
    brief.para(subtitle, style="Subtitle")
    rows = [[k, v] for k, v in lines] + [
        [t("generated_label"), m.generated],
        [t("org_label"), m.org_name],
    ]
    brief.table([t("field"), t("value")], rows, widths=[4.5, 12])
    add_toc(brief, t("toc"), t("toc_placeholder"))
    brief.page_break()
    return brief
