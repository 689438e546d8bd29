"""The document toolkit every brief uses: fonts, styles, tables, header/footer, fields,
numbered source notes and sanitising of user text.

Korean needs the East Asian font named on styles and runs (``w:eastAsia`` on
``w:rFonts``), with the theme font attributes removed, or Word and LibreOffice fall back
to a Latin font (docs/shared NOTES.md). Every string that reaches the document goes
through ``clean`` first, so no input can break the XML.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
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
from docx.text.paragraph import Paragraph

# XML 1.0 forbids these; python-docx raises ValueError on them. Lone surrogates too.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
MAX_TEXT = 4000
TRUNCATED = {"ko": " …[이하 생략]", "en": " …[truncated]"}
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
    latin: str = "Calibri"
    east_asian: str = "Malgun Gothic"


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
    """A document being built, with its language, fonts and source notes."""

    doc: DocumentType
    lang: str
    fonts: Fonts
    notes: Notes = field(default_factory=Notes)
    _style_ids: dict[str, str] = field(default_factory=dict)
    toc_run: object = None  # the TOC field's result run, filled in when the brief is done

    def style_id(self, name: str) -> str:
        """The id of a style by name, looked up once (python-docx looks it up per call)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def add_paragraph(self, style: str | None = None) -> Paragraph:
        par = self.doc.add_paragraph()
        if style:
            par._p.style = self.style_id(style)
        return par

    # -- text --------------------------------------------------------------------
    def run(
        self,
        par: Paragraph,
        text: object,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        superscript: bool = False,
    ):
        r = par.add_run(clean(text, lang=self.lang))
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

    def heading(self, text: str, level: int = 1) -> Paragraph:
        par = self.add_paragraph(f"Heading {level}")
        self.run(par, text)
        return par

    def para(
        self,
        text: object = "",
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        note: int | None = None,
    ) -> Paragraph:
        par = self.add_paragraph(style)
        if text != "":
            self.run(par, text, bold=bold, italic=italic)
        if note:
            self.run(par, f"[{note}]", superscript=True)
        return par

    def bullet(self, text: object, note: int | None = None) -> Paragraph:
        return self.para(text, style="List Bullet", note=note)

    def cite(self, text: str) -> int:
        return self.notes.cite(text)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- tables ------------------------------------------------------------------
    def table(
        self, headers: list[str], rows: list[list[object]], widths: list[float] | None = None
    ) -> Table:
        """A table in the one house style: Table Grid, shaded bold header row repeated
        on every page, every cell sanitised."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, text, bold=True)
            _shade(cell, HEADER_FILL)
        _repeat_header(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                self._cell(cell, value)
        if widths:
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=False):
                    cell.width = Cm(width)
        self.doc.add_paragraph()
        return table

    def _cell(self, cell, value: object, bold: bool = False) -> None:
        par = cell.paragraphs[0]
        self.run(par, "—" if value is None or value == "" else value, bold=bold, size=9)

    def caption(self, text: str) -> Paragraph:
        return self.para(text, style="Caption")

    def picture(self, png: bytes, width_cm: float = 16.0) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def sources(self, title: str) -> None:
        """The numbered source notes, as the last section."""
        self.heading(title, 1)
        for n, text in enumerate(self.notes.items, start=1):
            self.para(f"[{n}] {text}")


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


def add_field(brief: Brief, par: Paragraph, instruction: str, placeholder: str = ""):
    """A Word field (PAGE, NUMPAGES, TOC ...) as begin/instr/separate/result/end runs."""

    def char(kind: str) -> None:
        r = brief.run(par, "")
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    brief.run(par, "")._r.append(instr)
    char("separate")
    result = brief.run(par, placeholder)
    char("end")
    return result


def add_toc(brief: Brief, title: str, placeholder: str) -> None:
    """A table of contents field over Heading 1-3; Word and LibreOffice fill it in."""
    brief.para(title, bold=True)
    brief.toc_run = add_field(
        brief, brief.doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', placeholder
    )
    settings = brief.doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


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
    """An empty A4 document with styles, fonts, header (organisation, marking) and a
    footer with the generation date and page numbers."""
    doc = Document()
    fonts = fonts or Fonts()
    _style_fonts(doc, fonts)
    brief = Brief(doc=doc, lang=lang, fonts=fonts)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    head = section.header.paragraphs[0]
    brief.run(head, clean(org_name, 200), bold=True, size=9)
    brief.run(head, f"  |  {marking}", size=9)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    brief.run(foot, f"{generated}  |  {page_label} ", size=8)
    add_field(brief, foot, "PAGE", "1")
    brief.run(foot, " / ", size=8)
    add_field(brief, foot, "NUMPAGES", "1")
    return brief


def to_bytes(brief: Brief, *, title: str, author: str, when: datetime) -> bytes:
    """Serialise with fixed metadata and fixed zip timestamps, so that the same data
    and the same ``when`` give byte-identical files (regeneration checks the hash)."""
    _fill_toc(brief)
    props = brief.doc.core_properties
    props.title = clean(title, 250)
    props.author = clean(author, 200)
    props.last_modified_by = clean(author, 200)
    props.created = props.modified = when.replace(tzinfo=None, microsecond=0)
    props.revision = 1
    raw = io.BytesIO()
    brief.doc.save(raw)
    return _normalise_zip(raw.getvalue(), when)


def _fill_toc(brief: Brief) -> None:
    """Put the headings into the TOC field's result, so that a reader that does not update
    fields (LibreOffice's PDF export) still shows the contents; Word recomputes it with
    page numbers when it updates fields on opening."""
    if brief.toc_run is None:
        return
    levels = {brief.style_id("Heading 1"): "", brief.style_id("Heading 2"): "    "}
    lines = [levels[p._p.style] + p.text for p in brief.doc.paragraphs if p._p.style in levels]
    if lines:
        brief.toc_run.text = "\n".join(lines)


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
