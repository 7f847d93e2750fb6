"""The draft as Word (DOCX) in the official layout: Party (36-HD/VPTW) and State (Decree 30) drafts opened
with python-docx, and the download on the document page."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vanphong.core.models import Account, OrgKind
from vanphong.documents import docx_layout, rendering
from vanphong.documents.models import Document
from vanphong.documents.services import outgoing
from vanphong.documents.tests.conftest import Desk
from vanphong.documents.tests.test_outgoing import _draft
from vanphong.testing import make_org, make_person

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _cell_lines(cell: docx.table._Cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def _state_decision(desk: Desk) -> Document:
    """A Quyết định of UBND tỉnh Sơn Hà drafted by its văn thư, signed TM. by the chairman."""
    office = desk.office
    chairman = make_person("Lê Văn Thắng", office.peoples_committee)
    return outgoing.create_draft(
        desk.actor(desk.state_clerk),
        outgoing.DraftData(
            register=desk.state_outgoing,
            document_type=desk.type("state", "quyet_dinh"),
            abstract="Về việc ban hành Quy chế công tác văn thư, lưu trữ của Ủy ban nhân dân tỉnh",
            content=(
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư, lưu trữ.\n\n"
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."
            ),
            signer=chairman,
            signer_position="Chủ tịch",
            drafting_unit=office.peoples_committee,
            signer_authority="TM.",
            recipients=[
                outgoing.RecipientData(name="Sở Nội vụ", organization=office.home_affairs),
                outgoing.RecipientData(name="Văn phòng Tỉnh ủy", organization=office.party_office),
            ],
        ),
    )


def test_a_party_letter_has_the_party_heading_the_number_blank_and_the_subject_under_it(desk: Desk) -> None:
    document = _draft(desk)  # a Công văn of Văn phòng Tỉnh ủy, signed by the Chánh Văn phòng
    document.content = "Thực hiện chỉ đạo của Thường trực Tỉnh ủy, Văn phòng Tỉnh ủy đề nghị...\n\nTrân trọng."
    word = _open(docx_layout.render_docx(document))
    header, footer = word.tables
    left, right = header.rows[0].cells
    assert _cell_lines(left) == [
        "TỈNH ỦY SƠN HÀ",
        "VĂN PHÒNG TỈNH ỦY",
        "*",
        "Số …-CV/VPTU",
        "V/v Về việc báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW",
    ]
    assert _cell_lines(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", f"Sơn Hà, ngày … tháng … năm {YEAR}"]
    assert right.paragraphs[0].runs[0].underline and right.paragraphs[0].runs[0].bold
    assert right.paragraphs[1].runs[0].italic
    body = [p.text for p in word.paragraphs if p.text]
    assert body == ["Thực hiện chỉ đạo của Thường trực Tỉnh ủy, Văn phòng Tỉnh ủy đề nghị...", "Trân trọng."]
    assert "CÔNG VĂN" not in body  # a letter has no type name line
    recipients, signer = footer.rows[0].cells
    assert _cell_lines(recipients) == [
        "Nơi nhận:",
        "- Ủy ban nhân dân tỉnh Sơn Hà;",
        "- Sở Nội vụ;",
        "- Lưu: VT.",
    ]
    assert [line for line in _cell_lines(signer) if line] == ["CHÁNH VĂN PHÒNG", "Trần Văn Bình"]


def test_a_state_decision_has_the_national_motto_type_name_abstract_and_authority(desk: Desk) -> None:
    document = _state_decision(desk)
    document.content = (  # paragraphs as stored on the document (the draft service currently joins lines)
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư, lưu trữ.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."
    )
    word = _open(docx_layout.render_docx(document))
    header, footer = word.tables
    left, right = header.rows[0].cells
    assert _cell_lines(left) == ["ỦY BAN NHÂN DÂN TỈNH SƠN HÀ", "Số: …/QĐ-UBND"]
    assert left.paragraphs[0].runs[0].bold
    assert _cell_lines(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Sơn Hà, ngày … tháng … năm {YEAR}",
    ]
    assert right.paragraphs[1].runs[0].underline
    body = [p for p in word.paragraphs if p.text]
    assert [p.text for p in body] == [
        "QUYẾT ĐỊNH",
        "Về việc ban hành Quy chế công tác văn thư, lưu trữ của Ủy ban nhân dân tỉnh",
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư, lưu trữ.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    ]
    assert body[0].runs[0].bold and body[1].runs[0].bold
    assert body[2].paragraph_format.first_line_indent is not None
    recipients, signer = footer.rows[0].cells
    assert _cell_lines(recipients) == ["Nơi nhận:", "- Sở Nội vụ;", "- Văn phòng Tỉnh ủy;", "- Lưu: VT."]
    assert [line for line in _cell_lines(signer) if line] == [
        "TM. ỦY BAN NHÂN DÂN TỈNH SƠN HÀ",
        "CHỦ TỊCH",
        "Lê Văn Thắng",
    ]


def test_a_state_letter_names_the_drafting_unit_and_a_normative_document_the_year(desk: Desk) -> None:
    document = _state_decision(desk)
    document.document_type = desk.type("state", "cong_van")
    document.drafting_unit = make_org(
        "Phòng Văn xã", "VX", kind=OrgKind.INTERNAL_UNIT, parent=desk.office.peoples_committee
    )
    assert docx_layout.number_line(document) == "Số: …/UBND-VX"
    assert rendering.is_letter(document)
    document.document_type = desk.type("state", "nghi_quyet")
    document.document_type.normative = True
    assert docx_layout.number_line(document) == f"Số: …/{YEAR}/NQ-UBND"


def test_a_numbered_document_prints_its_number_and_date(desk: Desk) -> None:
    document = _draft(desk)
    document.number_symbol, document.document_date = "05-CV/VPTU", datetime.date(2026, 1, 5)
    assert docx_layout.number_line(document) == "Số 05-CV/VPTU"
    assert docx_layout.date_line(document) == "Sơn Hà, ngày 05 tháng 01 năm 2026"


def test_the_page_is_a4_with_decree_30_margins_in_times_new_roman(desk: Desk) -> None:
    word = _open(docx_layout.render_docx(_draft(desk)))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # type: ignore[union-attr]
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25  # type: ignore[union-attr]
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20  # type: ignore[union-attr]
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14


def _login(client: Client, account: Account) -> Client:
    client.force_login(account)
    return client


def test_the_download_is_a_docx_with_a_vietnamese_file_name(desk: Desk, client: Client) -> None:
    document = _draft(desk)
    response = _login(client, desk.handler).get(reverse("documents:outgoing_docx", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == docx_layout.DOCX_CONTENT_TYPE
    name = "Dự thảo - Về việc báo cáo kết quả thực hiện Nghị quyết số 57-NQ TW.docx"  # "/" is not allowed in names
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"du-thao-{document.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    assert "no-store" in response["Cache-Control"]
    word = _open(response.content)
    assert word.tables[0].rows[0].cells[0].paragraphs[3].text == "Số …-CV/VPTU"


def test_the_document_page_offers_the_download_until_signing(desk: Desk, client: Client) -> None:
    document = _draft(desk)
    page = _login(client, desk.handler).get(reverse("documents:document", args=[document.pk]))
    assert reverse("documents:outgoing_docx", args=[document.pk]).encode() in page.content
    Document.objects.filter(pk=document.pk).update(status="signed", number_symbol="05-CV/VPTU")
    page = client.get(reverse("documents:document", args=[document.pk]))
    assert b'id="download-docx"' not in page.content
    assert client.get(reverse("documents:outgoing_docx", args=[document.pk])).status_code == 404


def test_a_draft_is_marked_du_thao_top_right_and_the_mark_goes_at_signing(desk: Desk) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = _draft(desk)
    word = _open(docx_layout.render_docx(document))
    header = word.sections[0].header
    assert not header.is_linked_to_previous  # the first section has a header of its own
    mark = header.paragraphs[0]
    assert mark.text == "DỰ THẢO" and mark.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert all(run.bold for run in mark.runs)
    borders = mark._p.pPr.find(qn("w:pBdr"))
    assert borders is not None and {child.tag.split("}")[1] for child in borders} == {"top", "left", "bottom", "right"}
    assert "DỰ THẢO" not in [p.text for p in word.paragraphs]  # the header, not the body: the layout stays
    for status in ("in_review", "approved"):
        document.status = status
        assert docx_layout.layout_of(document).draft_mark == "DỰ THẢO"
    document.status, document.number_symbol = "signed", "05-CV/VPTU"
    assert docx_layout.layout_of(document).draft_mark == ""
    signed = _open(docx_layout.render_docx(document))
    assert "DỰ THẢO" not in [p.text for p in signed.sections[0].header.paragraphs]
