"""The DOCX renderer: a brief's blocks (casebook.briefs.model) written with python-docx.

Korean needs the East Asian font named on styles and runs (``w:eastAsia`` on
``w:rFonts``), with the theme font attributes removed, or Word and LibreOffice fall back
to a Latin font (docs/shared NOTES.md). The text arrives cleaned (``model.clean``).

The builder names (``Brief``, ``new_brief``, ``add_toc``, ``clean``, ``Fonts``) are
re-exported here so that callers of the old toolkit keep working.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from casebook.briefs import model
from casebook.briefs.model import Brief, Fonts, add_toc, clean, new_brief

__all__ = ["Brief", "Fonts", "add_toc", "clean", "new_brief", "render_docx", "to_bytes"]

STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Caption",
    "Header",
    "Footer",
    "Table Grid",
    "List Number",
    "List Bullet",
)
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
HEADER_FILL = "D9E2F3"


def _set_rfonts(rpr, fonts: Fonts) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), fonts.latin)
    rfonts.set(qn("w:hAnsi"), fonts.latin)
    rfonts.set(qn("w:cs"), fonts.latin)
    rfonts.set(qn("w:eastAsia"), fonts.east_asian)


def _style_fonts(doc: DocumentType, fonts: Fonts) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_rfonts(rpr, fonts)
    for name in STYLES:
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        _set_rfonts(style.element.get_or_add_rPr(), fonts)
    doc.styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        doc.styles[name].font.size = Pt(size)
        doc.styles[name].font.color.rgb = RGBColor(0x1F, 0x38, 0x64)


class _Writer:
    """Writes a brief's blocks into a python-docx document."""

    def __init__(self, doc: DocumentType, fonts: Fonts) -> None:
        self.doc = doc
        self.fonts = fonts
        self._style_ids: dict[str, str] = {}
        self.toc_run: DocxRun | None = None  # the TOC field's result, filled in at the end

    def style_id(self, name: str) -> str:
        """The id of a style by name, looked up once (python-docx looks it up per call)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def add_paragraph(self, style: str | None = None) -> DocxParagraph:
        par = self.doc.add_paragraph()
        if style:
            par._p.style = self.style_id(style)
        return par

    def run(
        self,
        par: DocxParagraph,
        text: str,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        superscript: bool = False,
    ) -> DocxRun:
        r = par.add_run(text)
        _set_rfonts(r._r.get_or_add_rPr(), self.fonts)
        if bold:
            r.bold = True
        if italic:
            r.italic = True
        if superscript:
            r.font.superscript = True
        if size:
            r.font.size = Pt(size)
        return r

    def runs(self, par: DocxParagraph, runs: tuple[model.Run, ...]) -> DocxParagraph:
        for r in runs:
            self.run(par, r.text, r.bold, r.italic, r.size, r.superscript)
        return par

    def block(self, block: model.Block) -> None:
        if isinstance(block, model.Heading):
            self.run(self.add_paragraph(f"Heading {block.level}"), block.text)
        elif isinstance(block, model.Paragraph):
            self.runs(self.add_paragraph(block.style), block.runs)
        elif isinstance(block, model.Bullet):
            self.runs(self.add_paragraph("List Bullet"), block.runs)
        elif isinstance(block, model.Caption):
            self.run(self.add_paragraph("Caption"), block.text)
        elif isinstance(block, model.Table):
            self.table(block)
        elif isinstance(block, model.Picture):
            self.doc.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, model.PageBreak):
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, model.Toc):
            self.toc(block)

    def table(self, block: model.Table) -> Table:
        """Table Grid, shaded bold header row repeated on every page."""
        table = self.doc.add_table(rows=1, cols=len(block.headers))
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
            self.run(cell.paragraphs[0], text, bold=True, size=9)
            _shade(cell, HEADER_FILL)
        _repeat_header(table.rows[0])
        for row in block.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                self.run(cell.paragraphs[0], value, size=9)
        if block.widths:
            for row in table.rows:
                for cell, width in zip(row.cells, block.widths, strict=False):
                    cell.width = Cm(width)
        self.doc.add_paragraph()
        return table

    def toc(self, block: model.Toc) -> None:
        """A TOC field over Heading 1-3; Word and LibreOffice fill it in."""
        self.run(self.add_paragraph(), block.title, bold=True)
        self.toc_run = add_field(
            self, self.doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', block.placeholder
        )
        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            update = OxmlElement("w:updateFields")
            update.set(qn("w:val"), "true")
            settings.append(update)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def add_field(
    writer: _Writer, par: DocxParagraph, instruction: str, placeholder: str = ""
) -> DocxRun:
    """A Word field (PAGE, NUMPAGES, TOC ...) as begin/instr/separate/result/end runs."""

    def char(kind: str) -> None:
        r = writer.run(par, "")
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    writer.run(par, "")._r.append(instr)
    char("separate")
    result = writer.run(par, placeholder)
    char("end")
    return result


def _page(writer: _Writer, page: model.PageSetup) -> None:
    """A4, margins, the header (organisation, marking) and the footer (generation date,
    PAGE / NUMPAGES fields)."""
    section = writer.doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if page.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    head = section.header.paragraphs[0]
    writer.run(head, page.org_name, bold=True, size=9)
    writer.run(head, f"  |  {page.marking}", size=9)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    writer.run(foot, f"{page.generated}  |  {page.page_label} ", size=8)
    add_field(writer, foot, "PAGE", "1")
    writer.run(foot, " / ", size=8)
    add_field(writer, foot, "NUMPAGES", "1")


def render_docx(document: model.Document) -> bytes:
    """The brief as .docx bytes, with fixed metadata and fixed zip timestamps, so that the
    same document gives byte-identical files (regeneration checks the hash)."""
    doc = Document()
    _style_fonts(doc, document.fonts)
    writer = _Writer(doc, document.fonts)
    _page(writer, document.page)
    for block in document.blocks:
        writer.block(block)
    _fill_toc(writer)
    props = doc.core_properties
    props.title = document.title
    props.author = document.author
    props.last_modified_by = document.author
    props.created = props.modified = document.when.replace(tzinfo=None, microsecond=0)
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise_zip(raw.getvalue(), document.when)


def to_bytes(brief: Brief, *, title: str, author: str, when: datetime) -> bytes:
    """A brief being built, finished and written as .docx."""
    return render_docx(brief.document(title=title, author=author, when=when))


def _fill_toc(writer: _Writer) -> None:
    """Put the headings into the TOC field's result, so that a reader that does not update
    fields (LibreOffice's PDF export) still shows the contents; Word recomputes it with
    page numbers when it updates fields on opening."""
    if writer.toc_run is None:
        return
    levels = {writer.style_id("Heading 1"): "", writer.style_id("Heading 2"): "    "}
    lines = [levels[p._p.style] + p.text for p in writer.doc.paragraphs if p._p.style in levels]
    if lines:
        writer.toc_run.text = "\n".join(lines)


def _normalise_zip(data: bytes, when: datetime) -> bytes:
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
