"""A brief as data: the blocks every renderer writes, and the builder that records them.

Builders (incident, advocacy, institution, compare) call ``Brief``'s methods; each call
records one frozen block. ``casebook.briefs.render`` then writes the finished
``Document`` as DOCX (``docx_kit``) or HWPX (``hwpx_kit``), so both files carry the same
text, tables and figures, and redaction decided while building applies to both.

Every string that reaches a block goes through ``clean`` first, so no input can break
either format's XML.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

# XML 1.0 forbids these; python-docx raises ValueError on them. Lone surrogates too.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
MAX_TEXT = 4000
TRUNCATED = {"ko": " …[이하 생략]", "en": " …[truncated]"}
EMPTY_CELL = "—"


def clean(value: object, max_length: int = MAX_TEXT, lang: str = "en") -> str:
    """Text safe for a document: NFC, no XML-illegal characters, capped with a marker."""
    if value is None:
        return ""
    text = _ILLEGAL.sub("", unicodedata.normalize("NFC", str(value)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > max_length:
        text = text[:max_length] + TRUNCATED.get(lang, TRUNCATED["en"])
    return text


@dataclass(frozen=True)
class Fonts:
    """The fonts the DOCX names (settings: brief_font_latin, brief_font_east_asian)."""

    latin: str = "Calibri"
    east_asian: str = "Malgun Gothic"


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    size: float | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs; ``style`` is None (body), Title, Subtitle or Caption."""

    runs: tuple[Run, ...]
    style: str | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Bullet:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Caption:
    text: str


@dataclass(frozen=True)
class Table:
    """A table in the one house style: a shaded bold header row, cells as text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None  # centimetres per column


@dataclass(frozen=True)
class Picture:
    png: bytes = field(repr=False)
    width_cm: float = 16.0


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Toc:
    """A table of contents over the headings; ``placeholder`` shows until it is filled."""

    title: str
    placeholder: str


Block = Paragraph | Heading | Bullet | Caption | Table | Picture | PageBreak | Toc


@dataclass(frozen=True)
class PageSetup:
    """What every page carries: header (organisation, marking), footer (generation
    time, page label before "page / pages"), orientation."""

    org_name: str
    marking: str
    generated: str
    page_label: str
    landscape: bool = False


@dataclass(frozen=True)
class Document:
    """A finished brief: its blocks in order, its page setup and its metadata."""

    lang: str
    fonts: Fonts
    page: PageSetup
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]
    title: str
    author: str
    when: datetime

    def headings(self, level: int | None = None) -> list[str]:
        return [
            b.text
            for b in self.blocks
            if isinstance(b, Heading) and (level is None or b.level == level)
        ]


class Notes:
    """Numbered source notes: the same source cited twice keeps its first number."""

    def __init__(self) -> None:
        self._items: list[str] = []

    def cite(self, text: str) -> int:
        text = clean(text, 600)
        if text not in self._items:
            self._items.append(text)
        return self._items.index(text) + 1

    @property
    def items(self) -> list[str]:
        return list(self._items)


@dataclass
class Brief:
    """A brief being built: its language, fonts, page setup, source notes and blocks."""

    lang: str
    fonts: Fonts
    page: PageSetup
    notes: Notes = field(default_factory=Notes)
    blocks: list[Block] = field(default_factory=list)

    def _run(self, text: object, **fmt: object) -> Run:
        return Run(clean(text, lang=self.lang), **fmt)  # type: ignore[arg-type]

    def _runs(self, text: object, bold: bool, italic: bool, note: int | None) -> tuple[Run, ...]:
        runs = []
        if text != "":
            runs.append(self._run(text, bold=bold, italic=italic))
        if note:
            runs.append(Run(f"[{note}]", superscript=True))
        return tuple(runs)

    # -- text --------------------------------------------------------------------
    def heading(self, text: str, level: int = 1) -> Heading:
        block = Heading(clean(text, lang=self.lang), level)
        self.blocks.append(block)
        return block

    def para(
        self,
        text: object = "",
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        note: int | None = None,
    ) -> Paragraph:
        block = Paragraph(self._runs(text, bold, italic, note), style)
        self.blocks.append(block)
        return block

    def bullet(self, text: object, note: int | None = None) -> Bullet:
        block = Bullet(self._runs(text, False, False, note))
        self.blocks.append(block)
        return block

    def cite(self, text: str) -> int:
        return self.notes.cite(text)

    def page_break(self) -> None:
        self.blocks.append(PageBreak())

    # -- tables and figures ------------------------------------------------------
    def table(
        self, headers: list[str], rows: list[list[object]], widths: list[float] | None = None
    ) -> Table:
        """A table; a missing or empty cell shows a dash, every cell is sanitised."""
        width = len(headers)

        def cell(value: object) -> str:
            return EMPTY_CELL if value is None or value == "" else clean(value, lang=self.lang)

        block = Table(
            headers=tuple(cell(h) for h in headers),
            # A short row leaves the last cells empty, as python-docx does.
            rows=tuple(
                tuple(cell(v) for v in row[:width]) + ("",) * (width - len(row[:width]))
                for row in rows
            ),
            widths=tuple(widths) if widths else None,
        )
        self.blocks.append(block)
        return block

    def caption(self, text: str) -> Caption:
        block = Caption(clean(text, lang=self.lang))
        self.blocks.append(block)
        return block

    def picture(self, png: bytes, width_cm: float = 16.0) -> None:
        self.blocks.append(Picture(png, width_cm))

    def toc(self, title: str, placeholder: str) -> None:
        self.blocks.append(Toc(clean(title, lang=self.lang), clean(placeholder, lang=self.lang)))

    def sources(self, title: str) -> None:
        """The numbered source notes, as the last section."""
        self.heading(title, 1)
        for n, text in enumerate(self.notes.items, start=1):
            self.para(f"[{n}] {text}")

    def document(self, *, title: str, author: str, when: datetime) -> Document:
        """The finished brief, frozen."""
        return Document(
            lang=self.lang,
            fonts=self.fonts,
            page=self.page,
            blocks=tuple(self.blocks),
            notes=tuple(self.notes.items),
            title=clean(title, 250),
            author=clean(author, 200),
            when=when,
        )


def new_brief(
    *,
    lang: str,
    org_name: str,
    marking: str,
    page_label: str,
    generated: str,
    fonts: Fonts | None = None,
    landscape: bool = False,
) -> Brief:
    """An empty brief with its page setup: A4, header (organisation, marking), footer
    (generation time, page numbers)."""
    page = PageSetup(
        org_name=clean(org_name, 200),
        marking=clean(marking, lang=lang),
        generated=clean(generated, lang=lang),
        page_label=clean(page_label, lang=lang),
        landscape=landscape,
    )
    return Brief(lang=lang, fonts=fonts or Fonts(), page=page)


def add_toc(brief: Brief, title: str, placeholder: str) -> None:
    """A table of contents over the headings (kept for the builders' one call site)."""
    brief.toc(title, placeholder)
