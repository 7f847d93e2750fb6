"""Outgoing documents drawn in the official layouts, as PDF (WeasyPrint).

State documents (Decree 30/2020 Appendix I): the issuing body top left, the national motto top right,
"Số: 12/QĐ-UBND", place and date in italics, the type in capitals, the trích yếu, the content, the
signer's block bottom right and "Nơi nhận" bottom left. Party documents (36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT
NAM" underlined top right, the body under its parent body top left with "*", "Số 57-NQ/TW". A4,
margins 20/15/20/30 mm, Times-like serif (Noto Serif; Times New Roman is not free to install).

``render_pdf`` also says where the signer's signature goes (the empty space between the position line
and the name), so the digital signature is drawn exactly there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from vanphong.documents.models import Document, DocumentSystem, Recipient

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96/in); PDF points are 72/in
_MONTHS_NEED_ZERO = {1, 2}  # Decree 30: "ngày 05 tháng 01 năm 2026": days and months 1–2 get a leading zero


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    signature_page: int
    signature_box: tuple[float, float, float, float]  # PDF points, origin bottom-left


def date_line(place: str, day: datetime.date) -> str:
    """ "Sơn Hà, ngày 05 tháng 01 năm 2026" (days below 10 and months 1–2 with a leading zero)."""
    month = f"{day.month:02d}" if day.month in _MONTHS_NEED_ZERO else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def is_letter(document: Document) -> bool:
    """A Công văn, with "V/v <trích yếu>" under the number and no type name: State ones have no type
    abbreviation (12/UBND-VX), Party ones are "CV" (64-CV/TW). The PDF and the DOCX layouts share it."""
    dtype = document.document_type
    return dtype is not None and (not dtype.abbreviation or dtype.key == "cong_van")


def render_pdf(document: Document, *, issued_on: datetime.date | None = None) -> Rendered:
    import weasyprint  # type: ignore[import-untyped]  # no stubs; imported here: loading Pango costs ~0.3 s and most processes never draw a PDF

    register = document.register
    body = register.organization
    parent = body.parent
    issued_on = issued_on or timezone.localdate()
    recipients = list(Recipient.objects.filter(document=document).order_by("order", "id"))
    context = {
        "document": document,
        "party": register.system == DocumentSystem.PARTY,
        "body_name": body.full_name.upper(),
        "parent_name": parent.full_name.upper() if parent is not None else "",
        "number_line": _number_line(document),
        "date_line": date_line(document.place or register.place or "", issued_on),
        "type_name": (document.document_type.name if document.document_type else "").upper(),
        "is_letter": is_letter(document),
        "paragraphs": [p.strip() for p in document.content.split("\n") if p.strip()],
        "recipients": recipients,
    }
    html = render_to_string("documents/print/official.html", context)
    layout = weasyprint.HTML(string=html).render()
    page_index, box = 0, (0.0, 0.0, 0.0, 0.0)
    for index, page in enumerate(layout.pages):
        for laid in page._page_box.descendants():
            element = getattr(laid, "element", None)
            if element is not None and element.get("id") == "signature-space":
                height_pt = page.height * PX_TO_PT
                x1 = laid.position_x * PX_TO_PT
                y_top = laid.position_y * PX_TO_PT
                x2 = x1 + laid.width * PX_TO_PT
                y2 = height_pt - y_top
                box = (x1, y2 - laid.height * PX_TO_PT, x2, y2)
                page_index = index
    return Rendered(layout.write_pdf(), page_index, box)


def _number_line(document: Document) -> str:
    if not document.number_symbol:
        return "Số: /" if document.register.system == DocumentSystem.STATE else "Số -"
    if document.register.system == DocumentSystem.PARTY:
        return f"Số {document.number_symbol}"
    return f"Số: {document.number_symbol}"
