"""A draft outgoing document as Word (DOCX) in the official layout, for specialists who draft in Word.

The same elements, in the same places, as the signed PDF ``rendering.render_pdf`` draws (Decree 30/2020
Appendix I for State documents, 36-HD/VPTW for Party ones): the issuing body top left (under its parent
body; a Party body followed by "*"), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" or
"ĐẢNG CỘNG SẢN VIỆT NAM" top right with the place and date in italics below, the number line, the type
in capitals and the trích yếu (or "V/v ..." under the number for a Công văn), the content, "Nơi nhận"
bottom left and the signer's block bottom right.

The page header carries "DỰ THẢO" at the top right, bold in a thin box, as offices mark a draft in
circulation; it is there only while the document is a draft (draft, in review, approved: before signing),
and the DOCX is refused once it is signed anyway.

A draft has no number or date yet: they are given at signing, so the number line keeps a blank where the
number goes ("Số: …/QĐ-UBND", "Số …-CV/VPTU") and the date line blanks for the day and month. A4, margins
20/20/30/15 mm (Decree 30: top and bottom 20–25, left 30–35, right 15–20), Times New Roman 13 pt (the
font TCVN 6909 documents name; Word substitutes a metric-compatible one where it is missing).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from vanphong.documents import rendering
from vanphong.documents.models import Document, DocumentSystem, Recipient, Status
from vanphong.documents.services.outgoing import _unit_in_symbol
from vanphong.rules import doc_numbers

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)  # before signing: no number yet
FONT = "Times New Roman"
BLANK = "…"  # where the number, the day and the month are written at signing
DRAFT_MARK = "DỰ THẢO"

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_SUBTITLE = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Layout:
    """What goes on the page, already written as it is printed."""

    party: bool
    parent_name: str
    body_name: str
    number_line: str
    date_line: str
    type_name: str
    abstract: str
    is_letter: bool  # a Công văn: "V/v <trích yếu>" under the number, no type name
    paragraphs: list[str]
    authority_line: str  # "TM. ỦY BAN NHÂN DÂN TỈNH SƠN HÀ", empty when the head signs in their own name
    position: str
    signer_name: str
    recipients: list[str]  # the "Nơi nhận" lines, "Lưu: VT." last
    draft_mark: str = ""  # "DỰ THẢO" at the top right until the document is signed


def number_line(document: Document) -> str:
    """The "Số" line: the given number once signed, else a blank where it goes with the symbol around it."""
    register = document.register
    dtype = document.document_type
    if document.number_symbol or dtype is None or not register.issuer_abbreviation:
        return rendering._number_line(document)
    system = doc_numbers.System(register.system)
    year = (document.document_date or timezone.localdate()).year
    try:
        placeholder = doc_numbers.format_symbol(
            system,
            1,
            dtype.abbreviation,
            register.issuer_abbreviation,
            year=year if dtype.normative else None,
            drafting_unit=_unit_in_symbol(document),
        )
    except doc_numbers.SymbolError:  # the format check on the page says what is missing
        return rendering._number_line(document)
    return doc_numbers.number_line(system, BLANK + placeholder[len("01") :])


def date_line(document: Document) -> str:
    place = document.place or document.register.place or ""
    if document.document_date is not None:
        return rendering.date_line(place, document.document_date)
    year = timezone.localdate().year
    return f"{place}, ngày {BLANK} tháng {BLANK} năm {year}"


def layout_of(document: Document) -> Layout:
    register = document.register
    body = register.organization
    parent = body.parent
    body_name = body.full_name.upper()
    recipients = [
        f"- {r.name}{' (để biết)' if r.for_information else ''};"
        for r in Recipient.objects.filter(document=document).order_by("order", "id")
    ]
    signer = document.signer
    return Layout(
        party=register.system == DocumentSystem.PARTY,
        parent_name=parent.full_name.upper() if parent is not None else "",
        body_name=body_name,
        number_line=number_line(document),
        date_line=date_line(document),
        type_name=(document.document_type.name if document.document_type else "").upper(),
        abstract=document.abstract,
        is_letter=rendering.is_letter(document),
        paragraphs=[p.strip() for p in document.content.split("\n") if p.strip()],
        authority_line=f"{document.signer_authority} {body_name}".upper() if document.signer_authority else "",
        position=document.signer_position.upper(),
        signer_name=signer.full_name if signer is not None else document.signer_name,
        recipients=[*recipients, "- Lưu: VT."],
        draft_mark=DRAFT_MARK if document.status in DRAFT_STATUSES else "",
    )


def render_docx(document: Document) -> bytes:
    """The document as a DOCX in the official layout (python-docx imported here: few requests need it)."""
    from docx import Document as WordDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    page = layout_of(document)
    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)

    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    if page.draft_mark:
        _mark_draft(section, page.draft_mark, bold_size=Pt(13))

    def line(
        container: object,
        text: str,
        *,
        size: float | None = None,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
        before: float = 0,
    ) -> None:
        paragraph = container.add_paragraph()  # type: ignore[attr-defined]
        paragraph.alignment = align
        if before:
            paragraph.paragraph_format.space_before = Pt(before)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size is not None:
            run.font.size = Pt(size)

    def two_columns(left_mm: float) -> tuple[object, object]:
        table = word.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (Mm(left_mm), Mm(TEXT_WIDTH_MM - left_mm))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        cells = table.rows[0].cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)  # no empty first line
        return cells[0], cells[1]

    # the header: issuing body and number left, national motto or Party heading and date right
    left, right = two_columns(TEXT_WIDTH_MM * (0.45 if page.party else 0.40))
    if page.parent_name:
        line(left, page.parent_name, size=12 if page.party else 13)
    line(left, page.body_name, size=13, bold=True)
    if page.party:
        line(left, "*", size=13)
    line(left, page.number_line, size=13, before=0 if page.party else 6)
    if page.is_letter:
        line(left, f"V/v {page.abstract}", size=12, italic=page.party)
    if page.party:
        line(right, PARTY_HEADING, size=15, bold=True, underline=True)
    else:
        line(right, STATE_MOTTO, size=12, bold=True)
        line(right, STATE_SUBTITLE, size=13, bold=True, underline=True)
    line(right, page.date_line, size=13, italic=True, before=6)

    # the type and trích yếu, then the content
    if page.is_letter:
        line(word, "")
    else:
        line(word, page.type_name, size=14, bold=True, before=14)
        line(word, page.abstract, size=14, bold=True)
        line(word, "")
    for text in page.paragraphs:
        paragraph = word.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_after = Pt(6)
    line(word, "")

    # "Nơi nhận" left, the signer's block right
    recipients, signer = two_columns(TEXT_WIDTH_MM * 0.5)
    line(recipients, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for text in page.recipients:
        line(recipients, text, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    if page.authority_line:
        line(signer, page.authority_line, size=13, bold=True)
    line(signer, page.position, size=13, bold=True)
    for _blank in range(4):  # the space for the signature (and the seal)
        line(signer, "")
    line(signer, page.signer_name, size=13, bold=True)

    word.core_properties.title = page.abstract[:255]
    word.core_properties.language = "vi-VN"
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _mark_draft(section: Any, mark: str, *, bold_size: Any) -> None:
    """The draft mark in the page header, right-aligned, bold, boxed by a thin single border."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(mark)
    run.bold = True
    run.font.size = bold_size
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "6")  # eighths of a point: a 0.75 pt line
        edge.set(qn("w:space"), "2")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    paragraph._p.get_or_add_pPr().append(borders)
    # The box hugs the word rather than the text width: indent the paragraph from the left.
    paragraph.paragraph_format.left_indent = (
        section.page_width - section.left_margin - section.right_margin - bold_size * 7
    )


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def filename(document: Document) -> str:
    """ "Dự thảo - Về việc ....docx": what the draft is, in Vietnamese, safe on Windows and macOS."""
    about = _UNSAFE.sub(" ", unicodedata.normalize("NFC", document.abstract)).strip(" .")
    about = re.sub(r"\s+", " ", about)[:80].rstrip(" .")
    return f"Dự thảo - {about}.docx" if about else f"Dự thảo {document.pk}.docx"


def content_disposition(document: Document) -> str:
    """An ASCII fallback name and the Vietnamese one as ``filename*=UTF-8''`` (RFC 6266 / 5987)."""
    return f"attachment; filename=\"du-thao-{document.pk}.docx\"; filename*=UTF-8''{quote(filename(document))}"
