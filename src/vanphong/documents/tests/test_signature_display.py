"""The document page says, file by file, what the digital signatures on a received PDF are worth.

A PDF signed under a root the office trusts (``TRUSTED_ROOTS_DIR``) is "valid"; the same file with one
byte changed inside what was signed is "tampered"; one signed under a CA nobody loaded is "untrusted";
a scan carries no signature. The verdicts are cached by the file's hash, the roots and the day.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.cache import cache as django_cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

from vanphong.documents import signatures
from vanphong.documents.models import Document, StoredFile
from vanphong.documents.services import incoming
from vanphong.documents.services.files import Upload
from vanphong.documents.tests.conftest import FONT, SAMPLE_PDF_LINES, Desk, register_sample, vietnamese_pdf
from vanphong.lib import pdfsign, pdfstamp, pki

pytestmark = pytest.mark.django_db

MARKER = "SONHA-CV-1234-UBND-VX"  # in the document information, inside the signed byte range


# --- realistic files: a scan, and PDFs signed by the sender --------------------------------------------------


@cache
def trusted_ca() -> pki.CertificateAuthority:
    """Stands in for the Government CA (Ban Cơ yếu Chính phủ), whose root the office has loaded."""
    return pki.make_ca("CA chuyên dùng Chính phủ (thử nghiệm)", organization="Ban Cơ yếu Chính phủ")


@cache
def unknown_ca() -> pki.CertificateAuthority:
    return pki.make_ca("CA thương mại lạ (thử nghiệm)", organization="Công ty Chứng thực Lạ")


@cache
def committee(ca_name: str = "trusted") -> pki.SigningIdentity:
    """The People's Committee's own certificate, issued by the trusted or the unknown CA."""
    ca = trusted_ca() if ca_name == "trusted" else unknown_ca()
    return ca.issue_organization("Ủy ban nhân dân tỉnh Sơn Hà", locality="Sơn Hà")


def key_pem(identity: pki.SigningIdentity) -> bytes:
    return identity.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def cert_pem(certificate: object) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)  # type: ignore[attr-defined]


def trust(folder: Path) -> Path:
    """The office's trusted-roots folder holding the trusted CA's root."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ca-chinh-phu.pem").write_bytes(cert_pem(trusted_ca().certificate))
    return folder


def letter_pdf() -> bytes:
    """The People's Committee's letter as its system produces it, with a marker inside what is signed."""
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

    vietnamese_pdf()  # registers the Noto Serif font
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setSubject(MARKER)
    page.setFont("NotoSerif", 13)
    y = 780.0
    for line in SAMPLE_PDF_LINES:
        page.drawString(80, y, line)
        y -= 20
    page.drawString(360, 250, "TM. ỦY BAN NHÂN DÂN")
    page.drawString(380, 150, "Phạm Quốc Việt")
    page.showPage()
    page.save()
    return out.getvalue()


@cache
def signed_pdf(ca_name: str = "trusted") -> bytes:
    return pdfsign.sign_pdf(
        letter_pdf(),
        committee(ca_name),
        field_name="CoQuan",
        reason="Ký số của cơ quan",
        location="Sơn Hà",
        appearance=None,
        signing_time=dt.datetime(2026, 11, 20, 9, 30, tzinfo=pdfsign.VIETNAM_TZ),
    )


def tampered(pdf: bytes) -> bytes:
    """The same file with one byte flipped inside the signed range (in the subject, so it still opens)."""
    at = pdf.index(MARKER.encode())
    flipped = bytearray(pdf)
    flipped[at] ^= 0x01  # "S" becomes "R"
    return bytes(flipped)


def scanned_pdf(*lines: str) -> bytes:
    """An image-only PDF, as a scanner makes it: Vietnamese lines drawn into a 150 dpi page image."""
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)
    y = 160
    for line in lines:
        draw.text((140, y), line, fill=0, font=font)
        y += 50
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(150, 150))
    return pdfstamp.images_to_pdf([out.getvalue()])


# --- the page -----------------------------------------------------------------------------------------------


@pytest.fixture
def roots(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = trust(tmp_path / "trusted-roots")
    settings.TRUSTED_ROOTS_DIR = folder  # type: ignore[attr-defined]
    django_cache.clear()
    return folder


def received(desk: Desk, files: list[Upload]) -> Document:
    return incoming.register_incoming(desk.actor(desk.office.clerk), register_sample(desk, files=files))


def verdicts(client: Client, document: Document) -> dict[str, list[str]]:
    """File name → the data-signature values shown under it on the document page."""
    with translation.override("en"):
        response = client.get(reverse("documents:document", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    shown: dict[str, list[str]] = {}
    section = html[html.index('id="files-title"') : html.index('id="timeline-title"')]
    for item in section.split("<li><a href=")[1:]:
        name = item.split(">", 1)[1].split("</a>", 1)[0]
        shown[name] = [part.split('"', 1)[0] for part in item.split('data-signature="')[1:]]
    return shown


def received_files(shown: dict[str, list[str]]) -> dict[str, list[str]]:
    """Without the office's stamped copy, which carries no verdict (its stamp changed the sender's page)."""
    stamped = [name for name in shown if name.startswith("den-")]
    assert [shown[name] for name in stamped] == [[]] * len(stamped)
    return {name: found for name, found in shown.items() if name not in stamped}


def test_each_file_shows_what_its_signatures_are_worth(desk: Desk, client: Client, roots: Path) -> None:
    document = received(
        desk,
        [
            Upload("cv-1234-ky-so.pdf", signed_pdf()),
            Upload("cv-1234-sua.pdf", tampered(signed_pdf())),
            Upload("cv-1234-ca-la.pdf", signed_pdf("unknown")),
            Upload("cv-1234-ban-quet.pdf", scanned_pdf(*SAMPLE_PDF_LINES)),
        ],
    )
    client.force_login(desk.office.clerk)
    assert received_files(verdicts(client, document)) == {
        "cv-1234-ban-quet.pdf": ["none"],
        "cv-1234-ca-la.pdf": ["untrusted"],
        "cv-1234-ky-so.pdf": ["valid"],
        "cv-1234-sua.pdf": ["tampered"],
    }
    client.cookies["vanphong_language"] = "en"  # pages speak the installation's language otherwise
    html = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert "Signature valid" in html and "Changed after signing (tampered)" in html
    assert "Ủy ban nhân dân tỉnh Sơn Hà" in html  # who signed


def test_without_the_root_the_same_file_is_untrusted(desk: Desk, client: Client, roots: Path) -> None:
    document = received(desk, [Upload("cv-1234-ky-so.pdf", signed_pdf())])
    client.force_login(desk.office.clerk)
    assert received_files(verdicts(client, document)) == {"cv-1234-ky-so.pdf": ["valid"]}
    (roots / "ca-chinh-phu.pem").unlink()  # the administrator removes the root: the cached verdict goes too
    assert received_files(verdicts(client, document)) == {"cv-1234-ky-so.pdf": ["untrusted"]}


def test_a_second_view_reads_no_file(desk: Desk, client: Client, roots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = received(desk, [Upload("cv-1234-ky-so.pdf", signed_pdf())])
    client.force_login(desk.office.clerk)
    reads: list[str] = []
    original = signatures.file_services.read

    def counted(stored: StoredFile) -> bytes:
        reads.append(stored.sha256)
        return original(stored)

    monkeypatch.setattr(signatures.file_services, "read", counted)
    assert received_files(verdicts(client, document)) == {"cv-1234-ky-so.pdf": ["valid"]}
    assert received_files(verdicts(client, document)) == {"cv-1234-ky-so.pdf": ["valid"]}
    assert len(reads) == 1


def test_a_broken_pdf_says_it_cannot_be_checked(desk: Desk, roots: Path) -> None:
    # Sniffed as a PDF at upload (it starts as one), but cut off before its cross-reference table.
    [verdict] = signatures._check(signed_pdf()[:400], [trusted_ca().certificate])
    assert verdict.status == signatures.UNREADABLE
    with translation.override("en"):
        assert verdict.label == "The signatures cannot be checked"


def test_only_pdfs_are_checked(desk: Desk, roots: Path) -> None:
    assert signatures.for_files([]) == {}
    document = received(desk, [Upload("anh-chup.png", _png())])
    assert signatures.for_files(document.files.select_related("stored")) == {}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, format="PNG")
    return out.getvalue()
