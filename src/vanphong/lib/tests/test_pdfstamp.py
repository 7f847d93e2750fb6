"""The "ĐẾN" arrival stamp (Decree 30, Appendix IV) and scans to PDF (Decree 30 digitisation)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from vanphong.lib import pdfstamp
from vanphong.lib.filestore import FileError
from vanphong.lib.pdfstamp import ArrivalStamp, find_stamp_font, images_to_pdf, stamp_arrival

A4 = (595.28, 841.89)
STAMP = ArrivalStamp(
    body_name="Văn phòng Tỉnh ủy Sơn Hà",
    arrival_number=1234,
    arrival_date=date(2026, 11, 23),
    arrival_time=time(8, 15),
)


@pytest.fixture(scope="module")
def incoming_pdf() -> bytes:
    """A two-page official letter from the provincial People's Committee, as received."""
    regular = find_stamp_font()[0]
    pdfmetrics.registerFont(TTFont("TestStampBody", str(regular)))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for lines in (
        ["ỦY BAN NHÂN DÂN TỈNH SƠN HÀ", "Số: 12/QĐ-UBND", "QUYẾT ĐỊNH", "Về việc thành lập Ban Chỉ đạo"],
        ["Điều 3. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này.", "Nơi nhận: Như Điều 3; Lưu: VT."],
    ):
        canvas.setFont("TestStampBody", 13)
        for index, line in enumerate(lines):
            canvas.drawString(85, 560 - index * 22, line)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def page_text(pdf: bytes, index: int = 0) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[index].extract_text()


def red_area(pdf: bytes) -> tuple[tuple[int, int], tuple[int, int, int, int]]:
    """Render page 1 at 20 dpi; return the image size and the bounding box of the stamp's red ink."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "in.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "20", "-png", "-singlefile", "-f", "1", "-l", "1", f"{tmp}/in.pdf", f"{tmp}/page"],
            check=True,
            capture_output=True,
        )
        with Image.open(f"{tmp}/page.png") as rendered:
            page = rendered.convert("RGB")
    red = [
        (x, y)
        for x in range(page.width)
        for y in range(page.height)
        if (pixel := page.getpixel((x, y))) and isinstance(pixel, tuple) and pixel[0] > 150 and pixel[1] < 110
    ]
    assert red, "no stamp ink on page 1"
    xs, ys = [x for x, _ in red], [y for _, y in red]
    return page.size, (min(xs), min(ys), max(xs), max(ys))


# -- the stamp -----------------------------------------------------------------------------------------


def test_stamp_text_is_extractable_with_exact_labels(incoming_pdf: bytes) -> None:
    stamped = stamp_arrival(incoming_pdf, STAMP)
    text = page_text(stamped)
    for line in (
        "VĂN PHÒNG TỈNH ỦY SƠN HÀ",
        "ĐẾN",
        "Số: 1234",
        "Ngày: 23/11/2026",
        "Giờ: 08:15",
        "Chuyển: ……",
        "Số và ký hiệu HS: ……",
    ):
        assert line in text.splitlines()
    assert "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ" in text  # the letter itself is still there
    assert "ĐẾN" not in page_text(stamped, 1)


def test_stamp_with_forwarding_and_file_code_and_no_time(incoming_pdf: bytes) -> None:
    stamp = ArrivalStamp(
        body_name="Ủy ban nhân dân tỉnh Sơn Hà",
        arrival_number="87/Đ",
        arrival_date=date(2026, 1, 5),
        forwarded_to="Phòng Tổng hợp",
        file_code="03.HS-VP",
    )
    lines = page_text(stamp_arrival(incoming_pdf, stamp)).splitlines()
    assert {"ỦY BAN NHÂN DÂN TỈNH SƠN HÀ", "Số: 87/Đ", "Ngày: 05/01/2026"} <= set(lines)
    assert {"Chuyển: Phòng Tổng hợp", "Số và ký hiệu HS: 03.HS-VP"} <= set(lines)
    assert not any(line.startswith("Giờ:") for line in lines)


def test_long_body_name_wraps_and_long_values_stay_in_the_box(incoming_pdf: bytes) -> None:
    stamp = ArrivalStamp(
        body_name="Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh Sơn Hà",
        arrival_number=9,
        arrival_date=date(2026, 3, 2),
        forwarded_to="Đồng chí Phó Chánh Văn phòng phụ trách công tác tổng hợp và văn thư lưu trữ",
    )
    stamped = stamp_arrival(incoming_pdf, stamp)
    text = page_text(stamped)
    assert "BAN CHỈ ĐẠO PHÒNG, CHỐNG" in text and "SƠN HÀ" in text
    assert "Chuyển: Đồng chí" in text and "…" in text
    _, (left, top, right, bottom) = red_area(stamped)
    # 50 x 35 mm at 20 dpi is about 39 x 28 px: nothing may spill beyond the box.
    assert right - left <= 41 and bottom - top <= 30


def test_stamp_is_an_incremental_update(incoming_pdf: bytes) -> None:
    stamped = stamp_arrival(incoming_pdf, STAMP)
    assert stamped.startswith(incoming_pdf)  # every original byte kept, the stamp appended
    original, after = PdfReader(io.BytesIO(incoming_pdf)), PdfReader(io.BytesIO(stamped))
    assert after.pages[1].get_contents().get_data() == original.pages[1].get_contents().get_data()  # type: ignore[union-attr]
    assert page_text(stamped, 1) == page_text(incoming_pdf, 1)


def self_signed_signer(tmp_path: Path) -> tuple[signers.SimpleSigner, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UBND tinh Son Ha")])
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = tmp_path / "signer.key", tmp_path / "signer.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(key_file), str(cert_file))
    assert signer is not None
    return signer, cert_file


def test_stamping_a_signed_pdf_keeps_the_signature_intact(tmp_path: Path, incoming_pdf: bytes) -> None:
    # Letters from the exchange hub arrive signed; the stamp must not make the signature unverifiable.
    signer, cert_file = self_signed_signer(tmp_path)
    signed = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(incoming_pdf)),
        signers.PdfSignatureMetadata(field_name="ChuKyUBND", md_algorithm="sha256"),
        signer=signer,
    ).getvalue()
    stamped = stamp_arrival(signed, STAMP)
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(cert_file))], allow_fetching=False)
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(stamped)).embedded_signatures[0], context)
    assert status.intact and status.valid
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION  # the stamp is a later revision
    assert "Số: 1234" in page_text(stamped)


@pytest.mark.parametrize(
    ("rotation", "mediabox"),
    [
        (0, None),
        (90, None),
        (180, None),
        (270, None),
        (0, (100, 200, 100 + A4[0], 200 + A4[1])),
        (90, (-300, -420, -300 + A4[0], -420 + A4[1])),
    ],
    ids=["upright", "rotate-90", "rotate-180", "rotate-270", "offset-mediabox", "rotate-90-negative-origin"],
)
def test_stamp_lands_at_visual_top_left(
    incoming_pdf: bytes, rotation: int, mediabox: tuple[float, float, float, float] | None
) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(incoming_pdf)))
    page = writer.pages[0]
    if mediabox is not None:
        # Move the content with the box, as a cropped scan from some scanner drivers would.
        page.add_transformation((1, 0, 0, 1, mediabox[0], mediabox[1]))
        page.mediabox = RectangleObject(mediabox)
    page.rotation = rotation
    source = io.BytesIO()
    writer.write(source)

    stamped = stamp_arrival(source.getvalue(), STAMP)
    (width, height), (left, top, right, bottom) = red_area(stamped)
    assert (width > height) == (rotation in (90, 270))
    # 10 mm from the visual top-left corner is about 8 px at 20 dpi; the box is wider than tall.
    assert 5 <= left <= 11 and 5 <= top <= 11
    assert 36 <= right - left <= 41 and 25 <= bottom - top <= 30
    assert "Số: 1234" in page_text(stamped)


def test_stamp_position_can_be_moved(incoming_pdf: bytes) -> None:
    _, (left, top, _, _) = red_area(stamp_arrival(incoming_pdf, STAMP, left_mm=30, top_mm=60))
    assert 22 <= left <= 26 and 45 <= top <= 49


def test_owner_password_pdf_is_rewritten_open_and_stamped(incoming_pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(incoming_pdf)))
    writer.encrypt(user_password="", owner_password="chủ", algorithm="AES-256")
    restricted = io.BytesIO()
    writer.write(restricted)
    stamped = stamp_arrival(restricted.getvalue(), STAMP)
    assert not PdfReader(io.BytesIO(stamped)).is_encrypted
    assert "ĐẾN" in page_text(stamped)


def test_password_protected_and_broken_pdfs(incoming_pdf: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(incoming_pdf)))
    writer.encrypt(user_password="mật", owner_password="chủ", algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    for damaged, code in ((locked.getvalue(), "encrypted_pdf"), (b"%PDF-1.7\n%garbage", "bad_pdf")):
        with pytest.raises(FileError) as caught:
            stamp_arrival(damaged, STAMP)
        assert caught.value.code == code


def test_missing_fonts_are_reported(monkeypatch: pytest.MonkeyPatch, incoming_pdf: bytes) -> None:
    monkeypatch.setattr(pdfstamp, "FONT_CANDIDATES", ((Path("/nonexistent/a.ttf"), Path("/nonexistent/b.ttf")),))
    with pytest.raises(FileError) as caught:
        stamp_arrival(incoming_pdf, STAMP)
    assert caught.value.code == "font_missing"
    assert "fonts-noto-core" in caught.value.detail


def test_fonts_fall_back_to_dejavu(monkeypatch: pytest.MonkeyPatch, incoming_pdf: bytes) -> None:
    dejavu = pdfstamp.FONT_CANDIDATES[-1]
    monkeypatch.setattr(pdfstamp, "FONT_CANDIDATES", ((Path("/nonexistent/a.ttf"), Path("/nonexistent/b.ttf")), dejavu))
    assert "Số: 1234" in page_text(stamp_arrival(incoming_pdf, STAMP))


# -- scans to PDF --------------------------------------------------------------------------------------


def encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def test_images_to_pdf_page_sizes_follow_dpi_and_keep_colour() -> None:
    colour_scan = Image.new("RGB", (1654, 2339), (240, 235, 220))  # A4 at 200 dpi
    photo = Image.new("RGB", (1240, 1754), (200, 30, 30))  # A5 at 300 dpi
    no_dpi = Image.new("L", (400, 200), 128)
    jpeg = encoded(photo, "JPEG", quality=80, dpi=(300, 300))
    pdf = images_to_pdf([encoded(colour_scan, "PNG", dpi=(200, 200)), jpeg, encoded(no_dpi, "PNG")])

    assert pdf.startswith(b"%PDF-1.4")
    reader = PdfReader(io.BytesIO(pdf))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes == [(595, 842), (298, 421), (144, 72)]  # A4, A5, and 200 dpi assumed
    images = [next(iter(p["/Resources"]["/XObject"].values())).get_object() for p in reader.pages]
    assert [i["/ColorSpace"] for i in images] == ["/DeviceRGB", "/DeviceRGB", "/DeviceGray"]
    assert images[1]["/Filter"] == ["/DCTDecode"]
    assert images[1].get_data() == jpeg  # the JPEG is embedded as scanned, not re-compressed
    assert images[0]["/Filter"] == ["/FlateDecode"]  # lossless for PNG scans, no ASCII85 bloat


def test_multi_page_tiff_and_transparent_png() -> None:
    frames = [Image.new("RGB", (850, 1100), colour) for colour in ((255, 255, 255), (230, 230, 255), (255, 240, 200))]
    tiff = io.BytesIO()
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:], dpi=(100, 100), compression="tiff_lzw")
    transparent = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    pdf = images_to_pdf([tiff.getvalue(), encoded(transparent, "PNG", dpi=(200, 200))])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 4
    assert round(float(reader.pages[0].mediabox.width)) == 612  # 8.5 in at 100 dpi
    flattened = next(iter(reader.pages[3]["/Resources"]["/XObject"].values())).get_object()
    assert flattened["/ColorSpace"] == "/DeviceRGB" and "/SMask" not in flattened
    assert set(flattened.get_data()) == {255}  # transparency became white paper


@pytest.mark.parametrize(
    "images",
    [[], [b"not an image"], [encoded(Image.new("RGB", (10, 10)), "GIF")], [b"\x89PNG\r\n\x1a\n" + b"\x00" * 40]],
    ids=["none", "garbage", "gif", "truncated-png"],
)
def test_images_to_pdf_refuses_what_is_not_a_scan(images: list[bytes]) -> None:
    with pytest.raises(FileError) as caught:
        images_to_pdf(images)
    assert caught.value.code == "bad_image"
