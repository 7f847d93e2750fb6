"""PAdES signatures with the Decree 30/2020 Appendix I placements, and offline validation."""

from __future__ import annotations

import datetime as dt
import logging
from io import BytesIO

import pytest
from PIL import Image, ImageDraw
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from vanphong.lib import pdfsign, pki

VN = pdfsign.VIETNAM_TZ
SIGNER_BOX = (330.0, 170.0, 480.0, 240.0)  # between "CHỦ TỊCH" and the printed name
MARKER = b"SONHA-MARKER-0001"  # in the document information, inside every signed byte range


@pytest.fixture(scope="session")
def ca() -> pki.CertificateAuthority:
    # The office's trusted root (stands in for the Government CA).
    return pki.make_ca("Vanphong Demo Root CA")


@pytest.fixture(scope="session")
def other_ca() -> pki.CertificateAuthority:
    # A CA the office does not trust.
    return pki.make_ca("Unknown Commercial CA", organization="Công ty Chứng thực Lạ")


@pytest.fixture(scope="session")
def chairman(ca: pki.CertificateAuthority) -> pki.SigningIdentity:
    # The chairman of the provincial People's Committee, who signs the decision.
    return ca.issue_person("Trần Văn Bình", organization="Ủy ban nhân dân tỉnh Sơn Hà", locality="Sơn Hà")


@pytest.fixture(scope="session")
def committee(ca: pki.CertificateAuthority) -> pki.SigningIdentity:
    # The People's Committee itself: its signature replaces the red seal.
    return ca.issue_organization("Ủy ban nhân dân tỉnh Sơn Hà", locality="Sơn Hà")


def _png(image: Image.Image, **options: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    # A blue handwritten stroke on a transparent background.
    image = Image.new("RGBA", (400, 150), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 120), (120, 20), (200, 130), (390, 30)], fill=(20, 40, 200, 255), width=8)
    return _png(image, format="PNG")


@pytest.fixture(scope="session")
def seal_png() -> bytes:
    # A red round seal, 420 px at 300 dpi = 35.56 mm across.
    image = Image.new("RGBA", (420, 420), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([5, 5, 415, 415], outline=(220, 0, 0, 255), width=14)
    draw.ellipse([90, 90, 330, 330], outline=(220, 0, 0, 255), width=6)
    return _png(image, format="PNG", dpi=(300, 300))


@pytest.fixture(scope="session")
def decision_pdf() -> bytes:
    """An A4 "QUYẾT ĐỊNH" of the provincial People's Committee, typeset with reportlab."""
    pdfmetrics.registerFont(TTFont("TestNotoSerif", "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"))
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setSubject(MARKER.decode())
    page.setFont("TestNotoSerif", 13)
    page.drawString(85, 790, "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ")
    page.drawString(85, 770, "Số: 12/QĐ-UBND")
    page.drawCentredString(340, 700, "QUYẾT ĐỊNH")
    page.drawCentredString(340, 680, "Về việc phê duyệt kế hoạch cải cách hành chính năm 2025")
    page.drawString(360, 250, "CHỦ TỊCH")
    page.drawString(350, 150, "Trần Văn Bình")
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture(scope="session")
def signed_by_chairman(decision_pdf: bytes, chairman: pki.SigningIdentity, signature_png: bytes) -> bytes:
    return pdfsign.sign_pdf(
        decision_pdf,
        chairman,
        field_name="ChuTich",
        reason="Ký ban hành Quyết định 12/QĐ-UBND",
        location="Sơn Hà",
        appearance=pdfsign.signer_appearance(SIGNER_BOX, signature_png),
        signing_time=dt.datetime(2025, 3, 14, 9, 30, 5, tzinfo=VN),
    )


@pytest.fixture(scope="session")
def signed_and_sealed(signed_by_chairman: bytes, committee: pki.SigningIdentity, seal_png: bytes) -> bytes:
    return pdfsign.sign_pdf(
        signed_by_chairman,
        committee,
        field_name="CoQuan",
        reason="Ký số của cơ quan",
        location="Sơn Hà",
        appearance=pdfsign.seal_appearance(SIGNER_BOX, seal_png),
        signing_time=dt.datetime(2025, 3, 14, 9, 45, 0, tzinfo=VN),
    )


def _append_update(pdf: bytes, *, change_content: bool) -> bytes:
    """An unsigned incremental update: new document information, or extra text drawn on the page."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    if change_content:
        stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 100 Td (Da sua) Tj ET")
        writer.add_stream_to_page(0, writer.add_object(stream))
    else:
        info = generic.DictionaryObject({generic.pdf_name("/Title"): generic.TextStringObject("Bản đã sửa")})
        writer.set_info(info)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def test_person_then_organisation_signatures_are_both_valid(
    signed_and_sealed: bytes, ca: pki.CertificateAuthority
) -> None:
    chairman_report, committee_report = pdfsign.validate_pdf(signed_and_sealed, trust_roots=[ca.certificate])
    assert (chairman_report.field_name, chairman_report.signer_cn) == ("ChuTich", "Trần Văn Bình")
    assert (committee_report.field_name, committee_report.signer_cn) == ("CoQuan", "Ủy ban nhân dân tỉnh Sơn Hà")
    assert chairman_report.status == committee_report.status == "valid"
    # The chairman's signature is followed by the body's, which covers the whole file.
    assert (chairman_report.covers_whole_file, chairman_report.later_changes) == (False, "signatures")
    assert (committee_report.covers_whole_file, committee_report.later_changes) == (True, "none")
    assert chairman_report.signing_time == dt.datetime(2025, 3, 14, 9, 30, 5, tzinfo=VN)
    assert committee_report.signing_time == dt.datetime(2025, 3, 14, 2, 45, 0, tzinfo=dt.UTC)
    assert chairman_report.signer_organization == "Ủy ban nhân dân tỉnh Sơn Hà"


def test_signing_is_incremental_and_keeps_the_text(decision_pdf: bytes, signed_and_sealed: bytes) -> None:
    assert signed_and_sealed.startswith(decision_pdf)
    text = PdfReader(BytesIO(signed_and_sealed)).pages[0].extract_text()
    for phrase in ("QUYẾT ĐỊNH", "Số: 12/QĐ-UBND", "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ", "Trần Văn Bình"):
        assert phrase in text


def test_images_keep_their_transparency(decision_pdf: bytes, signed_and_sealed: bytes) -> None:
    assert b"/SMask" not in decision_pdf
    # One soft mask for the signature image, one for the seal.
    assert signed_and_sealed.count(b"/SMask") >= 2


def test_flipped_bytes_are_tampering(signed_and_sealed: bytes, ca: pki.CertificateAuthority) -> None:
    assert signed_and_sealed.count(MARKER) == 1
    tampered = signed_and_sealed.replace(MARKER, b"SONHA-MARKER-0002")
    reports = pdfsign.validate_pdf(tampered, trust_roots=[ca.certificate])
    assert [report.status for report in reports] == ["tampered", "tampered"]


def test_unknown_ca_is_untrusted_without_tracebacks(
    signed_and_sealed: bytes, other_ca: pki.CertificateAuthority, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reports = pdfsign.validate_pdf(signed_and_sealed, trust_roots=[other_ca.certificate])
    assert [report.status for report in reports] == ["untrusted", "untrusted"]
    assert not [record for record in caplog.records if record.exc_info or record.name.startswith("pyhanko")]
    # The filter is scoped to the call: pyHanko's loggers are left as they were.
    assert logging.getLogger("pyhanko.sign.validation.generic_cms").filters == []


def test_no_trust_roots_at_all_is_untrusted(signed_by_chairman: bytes) -> None:
    assert [report.status for report in pdfsign.validate_pdf(signed_by_chairman, trust_roots=[])] == ["untrusted"]


def test_unsigned_update_after_signing_is_visible(signed_by_chairman: bytes, ca: pki.CertificateAuthority) -> None:
    (before,) = pdfsign.validate_pdf(signed_by_chairman, trust_roots=[ca.certificate])
    assert before.covers_whole_file
    updated = _append_update(signed_by_chairman, change_content=False)
    (after,) = pdfsign.validate_pdf(updated, trust_roots=[ca.certificate])
    assert (after.covers_whole_file, after.later_changes, after.status) == (False, "unsigned", "valid")


def test_content_drawn_after_signing_invalidates(
    signed_by_chairman: bytes, ca: pki.CertificateAuthority, committee: pki.SigningIdentity
) -> None:
    modified = _append_update(signed_by_chairman, change_content=True)
    (report,) = pdfsign.validate_pdf(modified, trust_roots=[ca.certificate])
    assert (report.covers_whole_file, report.later_changes, report.status) == (False, "suspicious", "invalid")
    # A later signature over the altered page does not launder the change for the earlier signer.
    resigned = pdfsign.sign_pdf(
        modified, committee, field_name="CoQuan", reason="Ký số", location="Sơn Hà", appearance=None
    )
    first, second = pdfsign.validate_pdf(resigned, trust_roots=[ca.certificate])
    assert (first.status, first.later_changes) == ("invalid", "suspicious")
    assert (second.status, second.covers_whole_file) == ("valid", True)


def test_unsigned_pdf_has_no_reports(decision_pdf: bytes, ca: pki.CertificateAuthority) -> None:
    assert pdfsign.validate_pdf(decision_pdf, trust_roots=[ca.certificate]) == []


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF"])
def test_corrupt_pdf_is_bad_pdf(data: bytes, ca: pki.CertificateAuthority, chairman: pki.SigningIdentity) -> None:
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.validate_pdf(data, trust_roots=[ca.certificate])
    assert caught.value.code == "bad_pdf"
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.sign_pdf(data, chairman, field_name="ChuTich", reason="Ký", location="Sơn Hà", appearance=None)
    assert caught.value.code == "bad_pdf"


def test_same_field_cannot_be_signed_twice(signed_by_chairman: bytes, chairman: pki.SigningIdentity) -> None:
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.sign_pdf(signed_by_chairman, chairman, field_name="ChuTich", reason="Ký", location="", appearance=None)
    assert caught.value.code == "field_exists"


def test_empty_field_from_the_template_is_filled(
    decision_pdf: bytes, chairman: pki.SigningIdentity, signature_png: bytes, ca: pki.CertificateAuthority
) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(decision_pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec("ChuTich", on_page=0, box=(330, 170, 480, 240)))
    template = BytesIO()
    writer.write(template)
    signed = pdfsign.sign_pdf(
        template.getvalue(),
        chairman,
        field_name="ChuTich",
        reason="Ký ban hành",
        location="Sơn Hà",
        appearance=pdfsign.signer_appearance(SIGNER_BOX, signature_png),
    )
    (report,) = pdfsign.validate_pdf(signed, trust_roots=[ca.certificate])
    assert (report.field_name, report.status, report.covers_whole_file) == ("ChuTich", "valid", True)


@pytest.mark.parametrize(
    ("symbol", "signed_at", "expected_time"),
    [
        ("12/QĐ-UBND", dt.datetime(2025, 3, 14, 2, 30, 5, tzinfo=dt.UTC), "2025-03-14T09:30:05+07:00"),
        ("57-NQ/TW", dt.datetime(2024, 12, 22, 23, 59, 59, tzinfo=VN), "2024-12-22T23:59:59+07:00"),
        ("05-CT/TU", dt.datetime(2025, 1, 1, 18, 0, 0, tzinfo=dt.UTC), "2025-01-02T01:00:00+07:00"),
    ],
)
def test_organisation_copy_appearance(symbol: str, signed_at: dt.datetime, expected_time: str) -> None:
    a4 = (0.0, 0.0, 595.28, 841.89)
    appearance = pdfsign.organization_copy_appearance(a4, symbol=symbol, signed_at=signed_at)
    assert appearance.text_lines == (symbol, expected_time)
    assert appearance.image_png is None and appearance.page_index == 0 and appearance.font_size == 10
    x1, y1, x2, y2 = appearance.box
    # Top right: inside the top margin, ending at the right margin.
    assert x1 > a4[2] / 2 and y1 > a4[3] - 25 * pdfsign.MM
    assert x2 == pytest.approx(a4[2] - 20 * pdfsign.MM) and y2 < a4[3]
    rendered = pdfsign._render_appearance(appearance, x2 - x1, y2 - y1)
    text = PdfReader(BytesIO(rendered)).pages[0].extract_text()
    assert symbol in text and "+07:00" in text


def test_electronic_copy_lists_copy_type_and_copying_body() -> None:
    appearance = pdfsign.organization_copy_appearance(
        (0.0, 0.0, 595.28, 841.89),
        symbol="12/QĐ-UBND",
        extra_lines=("SAO Y", "Văn phòng UBND tỉnh Sơn Hà"),
        signed_at=dt.datetime(2025, 3, 15, 8, 0, 0, tzinfo=VN),
    )
    assert appearance.text_lines == ("12/QĐ-UBND", "SAO Y", "Văn phòng UBND tỉnh Sơn Hà", "2025-03-15T08:00:00+07:00")
    x1, _, x2, _ = appearance.box
    assert x2 - x1 > pdfsign._text_width("Văn phòng UBND tỉnh Sơn Hà", 10)


def test_organisation_copy_signature_on_a_separate_file(
    decision_pdf: bytes, committee: pki.SigningIdentity, ca: pki.CertificateAuthority
) -> None:
    moment = dt.datetime(2025, 3, 14, 10, 0, 0, tzinfo=VN)
    appearance = pdfsign.organization_copy_appearance(
        pdfsign.page_box(decision_pdf), symbol="12/QĐ-UBND", signed_at=moment
    )
    signed = pdfsign.sign_pdf(
        decision_pdf,
        committee,
        field_name="BanSao",
        reason="Sao y bản chính",
        location="Sơn Hà",
        appearance=appearance,
        signing_time=moment,
    )
    (report,) = pdfsign.validate_pdf(signed, trust_roots=[ca.certificate])
    assert (report.status, report.signing_time) == ("valid", moment)
    widget = PdfReader(BytesIO(signed)).pages[0]["/Annots"][0].get_object()
    assert [float(v) for v in widget["/Rect"]] == pytest.approx(appearance.box, abs=0.01)


def test_naive_times_are_refused(decision_pdf: bytes, committee: pki.SigningIdentity) -> None:
    naive = dt.datetime(2025, 3, 14, 9, 30)  # noqa: DTZ001 - the point of the test
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.organization_copy_appearance((0, 0, 595, 842), symbol="12/QĐ-UBND", signed_at=naive)
    assert caught.value.code == "naive_time"
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.sign_pdf(
            decision_pdf, committee, field_name="X", reason="", location="", appearance=None, signing_time=naive
        )
    assert caught.value.code == "naive_time"


@pytest.mark.parametrize(
    ("diameter_mm", "expected_width_mm"),
    [(None, 420 / 300 * 25.4), (40.0, 40.0), (32.0, 32.0)],
)
def test_seal_is_real_size_over_the_left_third(
    seal_png: bytes, diameter_mm: float | None, expected_width_mm: float
) -> None:
    appearance = pdfsign.seal_appearance(SIGNER_BOX, seal_png, diameter_mm=diameter_mm)
    x1, y1, x2, y2 = appearance.box
    # PNG stores pixels per metre as an integer, so 300 dpi comes back as 299.9994.
    assert (x2 - x1) / pdfsign.MM == pytest.approx(expected_width_mm, abs=0.01)
    assert (y2 - y1) == pytest.approx(x2 - x1)  # a round seal stays round
    assert x2 == pytest.approx(SIGNER_BOX[0] + (SIGNER_BOX[2] - SIGNER_BOX[0]) / 3)
    assert (y1 + y2) / 2 == pytest.approx((SIGNER_BOX[1] + SIGNER_BOX[3]) / 2)
    assert appearance.image_png == seal_png


def test_seal_without_resolution_needs_a_size() -> None:
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.seal_appearance(SIGNER_BOX, _png(image, format="PNG"))
    assert caught.value.code == "seal_size_unknown"


@pytest.mark.parametrize(
    ("kind", "code"),
    [("opaque_png", "image_not_transparent"), ("jpeg", "bad_image"), ("garbage", "bad_image")],
)
def test_signature_image_must_be_a_transparent_png(kind: str, code: str) -> None:
    opaque = Image.new("RGB", (200, 80), (255, 255, 255))
    data = {
        "opaque_png": _png(opaque, format="PNG"),
        "jpeg": _png(opaque, format="JPEG"),
        "garbage": b"\x89PNG not really",
    }[kind]
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.signer_appearance(SIGNER_BOX, data)
    assert caught.value.code == code


def test_palette_png_with_transparency_is_accepted(decision_pdf: bytes, chairman: pki.SigningIdentity) -> None:
    image = Image.new("RGBA", (200, 80), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(5, 70), (195, 10)], fill=(0, 0, 255, 255), width=5)
    palette_png = _png(image.convert("P"), format="PNG", transparency=0)
    appearance = pdfsign.signer_appearance(SIGNER_BOX, palette_png)
    signed = pdfsign.sign_pdf(
        decision_pdf, chairman, field_name="ChuTich", reason="Ký", location="Sơn Hà", appearance=appearance
    )
    assert b"/SMask" in signed[len(decision_pdf) :]


def test_bad_boxes_and_pages(decision_pdf: bytes, chairman: pki.SigningIdentity, signature_png: bytes) -> None:
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.SignatureAppearance(box=(400, 200, 300, 250))
    assert caught.value.code == "bad_box"
    far_page = pdfsign.signer_appearance(SIGNER_BOX, signature_png, page_index=3)
    with pytest.raises(pdfsign.SignError) as caught:
        pdfsign.sign_pdf(decision_pdf, chairman, field_name="ChuTich", reason="", location="", appearance=far_page)
    assert caught.value.code == "bad_page"


def test_page_box_of_a4(decision_pdf: bytes) -> None:
    assert pdfsign.page_box(decision_pdf) == pytest.approx((0, 0, 595.2756, 841.8898), abs=0.01)
    assert pdfsign.page_box(decision_pdf, -1) == pdfsign.page_box(decision_pdf, 0)


def test_every_error_code_is_described() -> None:
    assert all(code.islower() and text.endswith(".") for code, text in pdfsign.ERROR_CODES.items())
    with pytest.raises(pdfsign.SignError) as caught:
        raise pdfsign.SignError("bad_pdf")
    assert caught.value.detail == pdfsign.ERROR_CODES["bad_pdf"]
