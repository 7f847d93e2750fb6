"""Importing an edXML package from the registration page: a package received outside the hub.

A good package becomes an incoming document with its arrival number; the same package again is shown,
not registered twice; a malformed or altered package is refused with a clear message and nothing is
stored. The page has its own permission rows (``CASES``), run here with files attached.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from vanphong.core.models import AuditEntry
from vanphong.documents.models import Channel, Document, EventKind, FileRole, StoredFile
from vanphong.documents.tests.conftest import SAMPLE_PDF_LINES, Desk
from vanphong.documents.tests.test_signature_display import cert_pem, committee, key_pem, signed_pdf, trust
from vanphong.documents.tests.test_views import LOGIN, Case, World, _build, register, rows, u
from vanphong.lib import edxml

pytestmark = pytest.mark.django_db

SUBJECT = "V/v triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, công nghệ"


def package(*, code_number: str = "1234", signed: bool = True) -> bytes:
    """What Văn phòng UBND tỉnh Sơn Hà sends to Văn phòng Tỉnh ủy: header, the signed PDF, its signature."""
    today = timezone.localdate()
    header = edxml.MessageHeader(
        from_=edxml.Organ(
            organ_id="000.00.00.H70",
            organization_in_charge="Ủy ban nhân dân tỉnh Sơn Hà",
            organ_name="Ủy ban nhân dân tỉnh Sơn Hà",
            email="vanphong@sonha.gov.vn",
        ),
        to=(edxml.Organ(organ_id="000.00.00.T70", organ_name="Văn phòng Tỉnh ủy Sơn Hà"),),
        code_number=code_number,
        code_notation="UBND-VX",
        promulgation_place="Sơn Hà",
        promulgation_date=today - datetime.timedelta(days=1),
        type_name="Công văn",
        subject=SUBJECT,
        signer_competence="TM. ỦY BAN NHÂN DÂN",
        signer_position="Chủ tịch",
        signer_full_name="Phạm Quốc Việt",
        priority=0,
        promulgation_amount=1,
        page_amount=1,
    )
    built = edxml.build_package(
        edxml.Package(
            header=header,
            traces=(edxml.TraceHeader(organ_id="000.00.00.H70", timestamp=timezone.localtime()),),
            business=edxml.Business(doc_type=0, document_id=header.document_id, paper=0),
            attachments=(
                edxml.Attachment(
                    content_id="1", name=f"{code_number}-UBND-VX.pdf", content_type="application/pdf", data=signed_pdf()
                ),
            ),
        )
    )
    identity = committee()
    return edxml.sign_package(built, key_pem(identity), cert_pem(identity.certificate)) if signed else built


def altered(data: bytes) -> bytes:
    """The signed package with a word of its subject changed after signing."""
    return data.replace("đột phá".encode(), "đột xuất".encode(), 1)


def without_subject(data: bytes) -> bytes:
    """A package whose sender's software left out the subject (trích yếu)."""
    return re.sub(rb"<([\w:]*)Subject>.*?</\1Subject>", b"", data, count=1, flags=re.S)


def upload(data: bytes, name: str = "1234-UBND-VX.edxml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


# --- the permission rows ------------------------------------------------------------------------------------

PACKAGE: Any = lambda w: {"package": upload(package())}  # noqa: E731
MALFORMED: Any = lambda w: {"package": upload(b"<edXML><broken>")}  # noqa: E731

CASES: list[Case] = [
    *rows(
        "import_package",
        u("import_package", register),
        {"anonymous": LOGIN, "clerk": 302, "chief": 403, "handler": 404, "specialist": 404},
        method="POST",
        data=PACKAGE,
    ),
    *rows("import_package", u("import_package", register), {"clerk": 400}, method="POST", data=MALFORMED),
    *rows("import_package", u("import_package", register), {"clerk": 400}, method="POST"),  # no file chosen
    *rows("import_package", u("import_package", lambda w: w.desk.outgoing.pk), {"clerk": 404}, method="POST"),
    *rows("import_package", u("import_package", register), {"clerk": 405}, method="GET"),
]


@pytest.fixture
def world(desk: Desk, settings: Any, tmp_path: Any) -> World:
    settings.TRUSTED_ROOTS_DIR = trust(tmp_path / "trusted-roots")
    return _build(desk)


def test_permission_matrix(world: World, client: Client) -> None:
    """As ``test_views.test_permission_matrix``, but posting multipart (the package is a file)."""
    failures = []
    for case in CASES:
        with transaction.atomic():
            client.logout()
            account = world.account(case.persona)
            if account is not None:
                client.force_login(account)
            url = case.url(world)
            data = case.data(world) if case.data else {}
            response = client.post(url, data) if case.method == "POST" else client.generic(case.method, url)
            if case.expected == LOGIN:
                location = urlsplit(response.get("Location", ""))
                ok = response.status_code == 302 and location.path == reverse("core:login")
                ok = ok and parse_qs(location.query).get("next") == [url]
            else:
                ok = response.status_code == case.expected
            if not ok:
                failures.append(f"{case.label()}: got {response.status_code}")
            transaction.set_rollback(True)
    assert failures == []


# --- what the clerk sees --------------------------------------------------------------------------------------


def import_url(desk: Desk) -> str:
    return reverse("documents:import_package", args=[desk.incoming.pk])


def test_a_signed_package_is_registered_once(world: World, client: Client) -> None:
    desk = world.desk
    client.force_login(desk.office.clerk)
    client.cookies["vanphong_language"] = "en"
    before = Document.objects.count()
    response = client.post(import_url(desk), {"package": upload(package())}, follow=True)
    assert response.status_code == 200
    document = Document.objects.get(channel=Channel.EDXML)
    assert Document.objects.count() == before + 1
    assert response.redirect_chain[-1][0] == reverse("documents:document", args=[document.pk])
    html = response.content.decode()
    number = f"{document.arrival_number}/{document.arrival_year}"
    assert f"The package has been registered as arrival number {number}." in html
    assert document.sender == desk.office.peoples_committee and document.number_symbol == "1234/UBND-VX"
    assert document.abstract == SUBJECT
    assert set(document.files.values_list("role", flat=True)) >= {FileRole.ORIGINAL, FileRole.PACKAGE}
    received = document.events.get(kind=EventKind.RECEIVED)
    assert received.data["signature"] == "valid" and "Ủy ban nhân dân tỉnh Sơn Hà" in received.data["signer"]
    # The PDF inside carries the sender's signature, shown on the page.
    assert 'data-signature="valid"' in html

    again = client.post(import_url(desk), {"package": upload(package())}, follow=True)
    assert Document.objects.count() == before + 1
    assert f"This package was already registered as arrival number {number}." in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: b"<edXML><broken>", "The file is not an XML package"),
        (lambda: b"%PDF-1.7 not a package", "The file is not an XML package"),
        (lambda: altered(package()), "The package was altered after it was signed; it was refused."),
        (lambda: without_subject(package(signed=False)), "The package lacks a required element"),
    ],
    ids=["malformed", "not-xml", "altered", "incomplete"],
)
def test_a_bad_package_is_refused_and_nothing_is_stored(
    world: World, client: Client, data: Callable[[], bytes], message: str
) -> None:
    desk = world.desk
    client.force_login(desk.office.clerk)
    counts = (Document.objects.count(), StoredFile.objects.count(), AuditEntry.objects.count())
    with translation.override("en"):
        client.cookies["vanphong_language"] = "en"
        response = client.post(import_url(desk), {"package": upload(data())})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'name="sender_name"' in html  # the registration form is still there to type a paper letter
    assert (Document.objects.count(), StoredFile.objects.count(), AuditEntry.objects.count()) == counts


def test_an_unsigned_package_is_registered_without_a_signature_verdict(world: World, client: Client) -> None:
    client.force_login(world.desk.office.clerk)
    response = client.post(import_url(world.desk), {"package": upload(package(signed=False))})
    assert response.status_code == 302
    document = Document.objects.get(channel=Channel.EDXML)
    assert not document.events.filter(kind=EventKind.RECEIVED).exists()
    assert SAMPLE_PDF_LINES[1].split()[-1] in document.number_symbol  # "1234/UBND-VX"


def test_the_form_is_on_the_registration_page(world: World, client: Client) -> None:
    client.force_login(world.desk.office.clerk)
    client.cookies["vanphong_language"] = "en"
    html = client.get(reverse("documents:register_new", args=[world.desk.incoming.pk])).content.decode()
    assert f'action="{import_url(world.desk)}"' in html and 'name="package"' in html
    assert "Import the package" in html
