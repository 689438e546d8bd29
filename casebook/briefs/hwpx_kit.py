"""The HWPX renderer: a brief's blocks (casebook.briefs.model) written with python-hwpx.

HWPX (KS X 6101, Hancom's default format) is what Korean ministries, the National
Assembly, courts and schools work in. python-hwpx builds the package from its own
skeleton: headings are outline paragraphs (개요 1–3, which Hancom numbers 1. / 가. / 1)
as the public-sector form does), tables, pictures (BinData), header and footer with the
page number, a native table of contents, and its validator checks the package.

Fonts: body text is set in 함초롬바탕 and headings, tables, captions, header and footer in
맑은 고딕 (declared with 함초롬돋움 as its substitute); docs/briefs.md says what a reader
without them shows.

Determinism: python-hwpx numbers paragraphs and objects with ``uuid4``. A brief must come
out byte-identical from the same data (regeneration checks the SHA-256), so while one is
written the library's ids come from a counter, through the seam it offers for that
(``hwpx.oxml._document_impl.uuid4``); a lock keeps two briefs from sharing the counter.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count

from hwpx import HwpxDocument
from hwpx.oxml import HwpxOxmlParagraph, _document_impl
from hwpx.tools import toc_author
from hwpx.tools.package_validator import validate_package

from casebook.briefs import model

BODY_FONT = "함초롬바탕"
GOTHIC_FONT = "맑은 고딕"
GOTHIC_SUBSTITUTE = "함초롬돋움"
HEADER_FILL = "#D9E2F3"
HEADING_COLOR = "#1F3864"
HEADING_SIZES = {1: 15, 2: 12.5, 3: 11}
BODY_SIZE = 10.5
CELL_SIZE = 9
PAGE_MM = (210.0, 297.0)
SIDE_MARGIN_MM = 22.0
HWPUNIT_PER_MM = 7200 / 25.4
# Ids well above those in python-hwpx's skeleton, so that a counted id never repeats one.
_FIRST_ID = 0x10000000
_LOCK = threading.Lock()


class HwpxInvalid(RuntimeError):
    """python-hwpx's validator refused a package this module wrote (a bug here)."""


@contextmanager
def _counted_ids() -> Iterator[None]:
    counter = count(_FIRST_ID)

    def next_id() -> uuid.UUID:
        return uuid.UUID(int=next(counter))

    # The library names uuid4 in these modules without exporting it; swap it by name.
    saved = (getattr(_document_impl, "uuid4"), getattr(toc_author, "uuid4"))  # noqa: B009
    with _LOCK:
        setattr(_document_impl, "uuid4", next_id)  # noqa: B010
        setattr(toc_author, "uuid4", next_id)  # noqa: B010
        try:
            yield
        finally:
            setattr(_document_impl, "uuid4", saved[0])  # noqa: B010
            setattr(toc_author, "uuid4", saved[1])  # noqa: B010


class _Writer:
    """Writes a brief's blocks into a python-hwpx document."""

    def __init__(self, doc: HwpxDocument) -> None:
        self.doc = doc
        self._chars: dict[tuple, str] = {}
        self._styles: dict[str, tuple[str, str | None, str | None]] = {}
        self.pending_break = False
        self.bullets: list[int] = []
        self.toc: model.Toc | None = None
        self.toc_at = 0
        self.headings = 0
        # The skeleton's one paragraph holds the section setup; the first line goes there.
        self.first = doc.paragraphs[0]
        doc.styles.ensure_font(BODY_FONT)
        doc.styles.ensure_font(GOTHIC_FONT, subst_face=GOTHIC_SUBSTITUTE, subst_type="TTF")

    def char(
        self,
        *,
        bold: bool = False,
        italic: bool = False,
        superscript: bool = False,
        size: float | None = BODY_SIZE,
        font: str = BODY_FONT,
        color: str | None = None,
        base: str | None = None,
    ) -> str:
        """A character shape's id (python-hwpx reuses an equal one), looked up once."""
        key = (bold, italic, superscript, size, font, color, base)
        if key not in self._chars:
            self._chars[key] = self.doc.styles.ensure_run(
                bold=bold,
                italic=italic,
                script="sup" if superscript else None,
                size=size,
                font=font,
                color=color,
                base_char_pr_id=base,
            )
        return self._chars[key]

    def style(self, name: str) -> tuple[str, str | None, str | None]:
        """A paragraph style's id and its paragraph and character shapes, by name, looked
        up once (python-hwpx resolves a name against every style on each call)."""
        if name not in self._styles:
            found = self.doc.styles.resolve(name)
            self._styles[name] = (found.id, found.para_pr_id_ref, found.char_pr_id_ref)
        return self._styles[name]

    def add_paragraph(self, style: str) -> HwpxOxmlParagraph:
        style_id, para_pr, _char_pr = self.style(style)
        return self.doc.add_paragraph(
            "",
            style_id_ref=style_id,
            para_pr_id_ref=para_pr,
            include_run=False,
            inherit_style=False,
        )

    def _placed(self, paragraph: HwpxOxmlParagraph) -> HwpxOxmlParagraph:
        if self.pending_break:
            self.doc.styles.apply_paragraph_format(paragraphs=[paragraph], page_break_before=True)
            self.pending_break = False
        return paragraph

    def paragraph(
        self, runs: tuple[model.Run, ...], style: str, size: float, font: str
    ) -> HwpxOxmlParagraph:
        if self.first is not None:
            par, self.first = self.first, None
            par.style_id_ref, par.para_pr_id_ref, _char = self.style(style)
        else:
            par = self._placed(self.add_paragraph(style))
        for r in runs or (model.Run(""),):
            shape = self.char(
                bold=r.bold,
                italic=r.italic,
                superscript=r.superscript,
                size=r.size or size,
                font=font,
            )
            par.add_run(r.text, char_pr_id_ref=shape)
        return par

    def block(self, block: model.Block) -> None:
        writers: dict[type, Callable[..., None]] = {
            model.Heading: self.heading,
            model.Paragraph: self.text,
            model.Bullet: self.bullet,
            model.Caption: self.caption,
            model.Table: self.table,
            model.Picture: self.picture,
            model.PageBreak: self.page_break,
            model.Toc: self.mark_toc,
        }
        writers[type(block)](block)

    def heading(self, block: model.Heading) -> None:
        shape = self.char(
            bold=True,
            size=HEADING_SIZES.get(block.level, BODY_SIZE),
            font=GOTHIC_FONT,
            color=HEADING_COLOR,
            base=self.style(f"개요 {block.level}")[2],
        )
        self._placed(self.doc.add_heading(block.text, block.level, char_pr_id_ref=shape))
        self.headings += 1

    def text(self, block: model.Paragraph) -> None:
        if block.style == "Title":
            self.paragraph(block.runs, "본문", 20, GOTHIC_FONT)
        elif block.style == "Subtitle":
            self.paragraph(block.runs, "본문", 13, GOTHIC_FONT)
        else:
            self.paragraph(block.runs, "본문", BODY_SIZE, BODY_FONT)

    def bullet(self, block: model.Bullet) -> None:
        self.paragraph(block.runs, "본문", BODY_SIZE, BODY_FONT)
        self.bullets.append(len(self.doc.paragraphs) - 1)

    def caption(self, block: model.Caption) -> None:
        self.paragraph((model.Run(block.text),), "캡션", CELL_SIZE, GOTHIC_FONT)

    def table(self, block: model.Table) -> None:
        """The house style: a shaded bold header row repeated on every page."""
        text_mm = PAGE_MM[0] - 2 * SIDE_MARGIN_MM
        width_mm = min(sum(block.widths) * 10, text_mm) if block.widths else text_mm
        table = self.doc.add_table(
            1 + len(block.rows), len(block.headers), width=round(width_mm * HWPUNIT_PER_MM)
        )
        self._placed(table.paragraph)
        if block.widths:
            table.set_column_widths(list(block.widths))
        head = self.char(bold=True, size=CELL_SIZE, font=GOTHIC_FONT)
        body = self.char(size=CELL_SIZE, font=GOTHIC_FONT)
        # The rows' cells, read once: table.cell(r, c) maps the whole grid on every call.
        for r, (row, values) in enumerate(
            zip(table.rows, (block.headers, *block.rows), strict=True)
        ):
            for cell, value in zip(row.cells, values, strict=True):
                cell.paragraphs[0].runs[0].char_pr_id_ref = head if r == 0 else body
                cell.set_text(value)
                if r == 0:
                    # python-hwpx has no call for "repeat the header row"; these are the
                    # two attributes OWPML defines for it (hp:tc/@header, hp:tbl/@repeatHeader).
                    cell.element.set("header", "1")
        for c in range(len(block.headers)):
            table.set_cell_shading(0, c, HEADER_FILL)
        table.element.set("repeatHeader", "1")

    def picture(self, block: model.Picture) -> None:
        style_id, para_pr, _char = self.style("본문")
        pic = self.doc.add_picture(
            block.png,
            "png",
            width_mm=block.width_cm * 10,
            align="CENTER",
            style_id_ref=style_id,
            para_pr_id_ref=para_pr,
        )
        self._placed(pic.paragraph)

    def page_break(self, _block: model.PageBreak) -> None:
        self.pending_break = True

    def mark_toc(self, block: model.Toc) -> None:
        self.paragraph((model.Run(block.title, bold=True),), "본문", BODY_SIZE, BODY_FONT)
        self.toc, self.toc_at = block, len(self.doc.sections[0].paragraphs)

    def finish(self) -> None:
        if self.bullets:
            self.doc.styles.apply_list_format(
                paragraph_indexes=self.bullets, kind="bullet", bullet_char="•"
            )
        if self.toc is not None and self.headings:
            toc_author.ensure_body_styles_not_collected(self.doc)
            toc_author.add_native_toc(self.doc, at_index=self.toc_at, title="", level=3)


def _page(doc: HwpxDocument, page: model.PageSetup) -> None:
    width, height = PAGE_MM
    doc.page.setup(
        width_mm=height if page.landscape else width,
        height_mm=width if page.landscape else height,
        orientation="LANDSCAPE" if page.landscape else "PORTRAIT",
        margin_left_mm=SIDE_MARGIN_MM,
        margin_right_mm=SIDE_MARGIN_MM,
    )
    doc.page.set_header(
        content=[
            {
                "children": [
                    {"text": page.org_name, "bold": True, "size": 9, "font": GOTHIC_FONT},
                    {"text": f"  |  {page.marking}", "size": 9, "font": GOTHIC_FONT},
                ]
            }
        ]
    )
    doc.page.set_footer(
        content=[
            {
                "align": "CENTER",
                "children": [
                    {
                        "text": f"{page.generated}  |  {page.page_label} ",
                        "size": 8,
                        "font": GOTHIC_FONT,
                    },
                    {"page_number": "page/total"},
                ],
            }
        ]
    )


def render_hwpx(document: model.Document) -> bytes:
    """The brief as .hwpx bytes, checked by python-hwpx's package validator."""
    with _counted_ids():
        doc = HwpxDocument.new()
        _page(doc, document.page)
        writer = _Writer(doc)
        for block in document.blocks:
            writer.block(block)
        writer.finish()
        doc.parts.set_document_metadata(
            title=document.title,
            creator=document.author,
            created_date=document.when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            modified_date=document.when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        content = doc.to_bytes()
    report = validate_package(content)
    if not report.ok:  # pragma: no cover - a bug in this module
        raise HwpxInvalid("; ".join(str(issue) for issue in report.errors))
    return content
