"""Text for full-text search: PDF text layers, DOCX, text and edXML, and Vietnamese OCR of scans."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytesseract
import pytest
from docx import Document
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from vanphong.lib import textextract
from vanphong.lib.filestore import FileError
from vanphong.lib.pdfstamp import find_stamp_font, images_to_pdf
from vanphong.lib.textextract import DOCX, PDF, extract_text, ocr_image, ocr_pdf, page_count

DECISION_PAGE_1 = [
    "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ",
    "Số: 12/QĐ-UBND",
    "QUYẾT ĐỊNH",
    "Về việc thành lập Tổ công tác chuyển đổi số",
]
DECISION_PAGE_2 = ["Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "Nơi nhận: Văn phòng Tỉnh ủy; Lưu: VT."]
SCAN_LINES = [
    "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ",
    "Số: 12/QĐ-UBND",
    "Quyết định về việc khen thưởng",
    "Đảng ủy các cơ quan tỉnh",
]


@pytest.fixture(scope="module")
def font_path() -> Path:
    return find_stamp_font()[0]


@pytest.fixture(scope="module")
def decision_pdf(font_path: Path) -> bytes:
    pdfmetrics.registerFont(TTFont("TestNotoSerif", str(font_path)))
    out = io.BytesIO()
    canvas = Canvas(out)
    for lines in (DECISION_PAGE_1, DECISION_PAGE_2):
        y = 780.0
        for line in lines:
            canvas.setFont("TestNotoSerif", 13)
            canvas.drawString(72, y, line)
            y -= 24
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def scan_png(font_path: Path, lines: list[str], *, dpi: int = 200) -> bytes:
    """A half-page "scan" of Vietnamese text at 40 px (about 14 pt at 200 dpi)."""
    font = ImageFont.truetype(str(font_path), 40)
    page = Image.new("RGB", (1654, 120 + 90 * len(lines)), (250, 250, 246))
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((100, 60 + index * 90), line, font=font, fill=(25, 25, 90))
    out = io.BytesIO()
    page.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


# -- PDF -----------------------------------------------------------------------------------------------


def test_pdf_text_layer_is_exact_page_by_page(decision_pdf: bytes) -> None:
    extracted = extract_text(decision_pdf, PDF)
    assert extracted.pages == 2
    assert not extracted.needs_ocr
    page_1, page_2 = extracted.text.split("\f")
    assert page_1.splitlines() == DECISION_PAGE_1
    assert page_2.splitlines() == DECISION_PAGE_2


def test_pdf_text_is_nfc_even_when_drawn_decomposed(font_path: Path) -> None:
    pdfmetrics.registerFont(TTFont("TestNotoSerif", str(font_path)))
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont("TestNotoSerif", 13)
    canvas.drawString(72, 780, unicodedata.normalize("NFD", "Quyết định"))
    canvas.showPage()
    canvas.save()
    text = extract_text(out.getvalue(), PDF).text
    assert "Quyết định" in text
    assert unicodedata.is_normalized("NFC", text)


def test_scanned_pdf_needs_ocr(font_path: Path) -> None:
    extracted = extract_text(images_to_pdf([scan_png(font_path, SCAN_LINES[:2])]), PDF)
    assert (extracted.text, extracted.pages, extracted.needs_ocr) == ("", 1, True)


def test_pdf_cap(decision_pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textextract, "MAX_TEXT_BYTES", 60)
    extracted = extract_text(decision_pdf, PDF)
    assert extracted.truncated
    assert len(extracted.text.encode()) <= 60
    assert extracted.text.startswith("ỦY BAN NHÂN DÂN")


def test_page_count_and_broken_pdfs(decision_pdf: bytes) -> None:
    assert page_count(decision_pdf) == 2
    with pytest.raises(FileError) as caught:
        page_count(decision_pdf[:400])
    assert caught.value.code == "bad_pdf"
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(decision_pdf)))
    writer.encrypt(user_password="mật", owner_password="chủ", algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(FileError) as caught:
        extract_text(locked.getvalue(), PDF)
    assert caught.value.code == "encrypted_pdf"


# -- DOCX, text, XML -----------------------------------------------------------------------------------


def test_docx_paragraphs_tables_headers_and_footers() -> None:
    document = Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "VĂN PHÒNG TỈNH ỦY SƠN HÀ"
    section.footer.paragraphs[0].text = "Địa chỉ: số 1 đường Trần Hưng Đạo"
    document.add_paragraph("Kính gửi: Ban Thường vụ Tỉnh ủy")
    document.add_paragraph("   ")  # blank paragraphs are not indexed
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(
        [("STT", "Đơn vị", "Số văn bản"), ("1", "Ban Tổ chức", "57-NQ/TW"), ("2", "Ban Tuyên giáo", "12/QĐ-UBND")]
    ):
        for column, value in enumerate(cells):
            table.cell(row, column).text = value
    merged = table.cell(0, 1).merge(table.cell(0, 2))
    merged.text = "Đơn vị và văn bản"
    document.add_paragraph("Nơi nhận: Như trên; Lưu: VT.")
    out = io.BytesIO()
    document.save(out)

    extracted = extract_text(out.getvalue(), DOCX)
    assert extracted.text.splitlines() == [
        "Kính gửi: Ban Thường vụ Tỉnh ủy",
        "STT\tĐơn vị và văn bản",  # the merged cell once, not twice
        "1\tBan Tổ chức\t57-NQ/TW",
        "2\tBan Tuyên giáo\t12/QĐ-UBND",
        "Nơi nhận: Như trên; Lưu: VT.",
        "VĂN PHÒNG TỈNH ỦY SƠN HÀ",
        "Địa chỉ: số 1 đường Trần Hưng Đạo",
    ]
    assert (extracted.pages, extracted.needs_ocr) == (None, False)


def test_broken_docx_is_bad_document() -> None:
    with pytest.raises(FileError) as caught:
        extract_text(b"PK\x03\x04 not really", DOCX)
    assert caught.value.code == "bad_document"


def test_plain_text_utf8_with_bom() -> None:
    data = "\ufeffThông báo kết luận của Thường trực Tỉnh ủy".encode()
    assert extract_text(data, "text/plain").text == "Thông báo kết luận của Thường trực Tỉnh ủy"


def test_edxml_text_without_tags_or_attachments() -> None:
    attachment = "\n".join(["JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl"] * 8)
    packet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
        "<edXML:Code><edXML:CodeNumber>7816</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation>"
        "</edXML:Code>\n<edXML:Subject>Về việc sơ kết &amp; đánh giá chuyển đổi số</edXML:Subject>\n"
        f"<Attachment><ContentTransferEncoded>base64</ContentTransferEncoded>\n{attachment}\n</Attachment>"
        "</edXML:edXML>"
    ).encode()
    text = extract_text(packet, "application/xml").text
    assert "Về việc sơ kết & đánh giá chuyển đổi số" in text
    assert "7816" in text and "VPCP-TTĐT" in text
    assert "<" not in text and "edXML:" not in text
    assert "JVBERi0x" not in text


def test_text_cap_is_two_megabytes_of_utf8() -> None:
    data = ("Nghị quyết số 57-NQ/TW. " * 120_000).encode()
    extracted = extract_text(data, "text/plain")
    assert extracted.truncated
    assert len(extracted.text.encode()) <= textextract.MAX_TEXT_BYTES
    assert len(extracted.text.encode()) > textextract.MAX_TEXT_BYTES - 8


def test_images_need_ocr_and_other_types_are_unsupported(font_path: Path) -> None:
    extracted = extract_text(scan_png(font_path, SCAN_LINES[:1]), "image/png")
    assert (extracted.text, extracted.pages, extracted.needs_ocr) == ("", 1, True)
    with pytest.raises(FileError) as caught:
        extract_text(b"PK\x03\x04", "application/vnd.oasis.opendocument.text")
    assert caught.value.code == "unsupported_type"


# -- OCR -----------------------------------------------------------------------------------------------


def test_ocr_pdf_recovers_vietnamese_with_diacritics(font_path: Path) -> None:
    scanned = images_to_pdf([scan_png(font_path, SCAN_LINES)])
    text = ocr_pdf(scanned)
    for phrase in ("ỦY BAN NHÂN DÂN TỈNH SƠN HÀ", "12/QĐ-UBND", "Quyết định", "khen thưởng", "Đảng ủy"):
        assert phrase in text
    assert unicodedata.is_normalized("NFC", text)
    assert "\u00d0" not in text


def test_ocr_image_of_a_jpeg_photo(font_path: Path) -> None:
    with Image.open(io.BytesIO(scan_png(font_path, SCAN_LINES[2:]))) as page:
        out = io.BytesIO()
        page.save(out, "JPEG", quality=85, dpi=(200, 200))
    text = ocr_image(out.getvalue())
    assert "Quyết định về việc khen thưởng" in text
    assert "Đảng ủy" in text


def test_ocr_maps_eth_to_d_with_stroke(monkeypatch: pytest.MonkeyPatch, font_path: Path) -> None:
    # Tesseract sometimes answers with the Icelandic eth; search would then never find "Đảng".
    monkeypatch.setattr(pytesseract, "image_to_string", lambda *args, **kwargs: "\u00d0ảng ủy ban cán sự \u00f0ảng\n")
    assert ocr_image(scan_png(font_path, ["x"])) == "Đảng ủy ban cán sự đảng"


def test_ocr_without_tesseract_is_an_error_not_empty_text(monkeypatch: pytest.MonkeyPatch, font_path: Path) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(FileError) as caught:
        ocr_image(scan_png(font_path, ["Đảng"]))
    assert caught.value.code == "ocr_unavailable"


def test_ocr_without_pdftoppm_is_an_error(monkeypatch: pytest.MonkeyPatch, decision_pdf: bytes) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(FileError) as caught:
        ocr_pdf(decision_pdf)
    assert caught.value.code == "ocr_unavailable"


def test_ocr_without_vietnamese_data_is_unavailable(font_path: Path) -> None:
    with pytest.raises(FileError) as caught:
        ocr_image(scan_png(font_path, ["Đảng"]), lang="vie+zzz")
    assert caught.value.code == "ocr_unavailable"
    assert "tesseract-ocr-zzz" in caught.value.detail


@pytest.mark.parametrize("lang", ["eng", "vie; rm -rf /", ""])
def test_ocr_refuses_english_alone_and_odd_language_lists(lang: str) -> None:
    with pytest.raises(ValueError):
        ocr_image(b"", lang=lang)


def test_ocr_image_refuses_non_images() -> None:
    with pytest.raises(FileError) as caught:
        ocr_image(b"%PDF-1.4 not an image")
    assert caught.value.code == "bad_image"
