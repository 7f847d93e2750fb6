"""The outgoing flow: draft, circuit, sign (the number is given), seal, dispatch as edXML."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from vanphong.core.models import Account
from vanphong.documents.models import ApprovalStep, Document, ExchangeMessage, FileRole, Status, StepState
from vanphong.documents.services import credentials, exchange, files, outgoing
from vanphong.documents.tests.conftest import Desk
from vanphong.lib import edxml, pdfsign, pki
from vanphong.testing import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ca() -> pki.CertificateAuthority:
    return pki.make_ca("Vanphong Test CA", organization="Tỉnh Sơn Hà (thử nghiệm)")


def _png(colour: tuple[int, int, int, int]) -> bytes:
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    for x in range(20, 280):
        image.putpixel((x, 60 + (x % 20) - 10), colour)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def _load(ca: pki.CertificateAuthority, desk: Desk, signer: Account) -> None:
    person_id = ca.issue_person(signer.person.full_name, organization="Văn phòng Tỉnh ủy Sơn Hà")  # type: ignore[union-attr]
    credentials.add_credential(
        SYSTEM, pkcs12=pki.identity_to_pkcs12(person_id, b"mat-khau"), passphrase=b"mat-khau",
        person=signer.person, image_png=_png((20, 40, 200, 255)),
    )  # fmt: skip
    body = ca.issue_organization("Văn phòng Tỉnh ủy Sơn Hà")
    credentials.add_credential(
        SYSTEM, pkcs12=pki.identity_to_pkcs12(body, None), passphrase=None,
        organization=desk.outgoing.organization, image_png=_png((220, 20, 20, 255)),
    )  # fmt: skip


def _draft(desk: Desk, extra: tuple[outgoing.RecipientData, ...] = ()) -> Document:
    office = desk.office
    return outgoing.create_draft(
        desk.actor(desk.handler),
        outgoing.DraftData(
            register=desk.outgoing,
            document_type=desk.type("party", "cong_van"),
            abstract="Về việc báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW",
            content="Thực hiện chỉ đạo của Thường trực Tỉnh ủy, Văn phòng Tỉnh ủy đề nghị...\nTrân trọng.",
            signer=office.chief.person,  # type: ignore[arg-type]
            signer_position="Chánh Văn phòng",
            drafting_unit=desk.unit,
            signer_authority="",
            recipients=[
                outgoing.RecipientData(name="Ủy ban nhân dân tỉnh Sơn Hà", organization=office.peoples_committee),
                outgoing.RecipientData(name="Sở Nội vụ", organization=office.home_affairs),
                *extra,
            ],
        ),
    )


def test_the_draft_keeps_its_paragraphs_and_tidies_each_line(desk: Desk) -> None:
    document = _draft(desk)
    assert document.content.split("\n") == [
        "Thực hiện chỉ đạo của Thường trực Tỉnh ủy, Văn phòng Tỉnh ủy đề nghị...",
        "Trân trọng.",
    ]
    assert outgoing.paragraphs_of("\n  Kính gửi:  các Ban  \r\n\n\n\nNội dung.\n\n") == "Kính gửi: các Ban\n\nNội dung."


def test_a_draft_goes_round_the_circuit_and_back(desk: Desk) -> None:
    document = _draft(desk)
    outgoing.submit(desk.actor(desk.handler), document, reviewer=desk.head.person, office_checker=None)  # type: ignore[arg-type]
    first = ApprovalStep.objects.get(document=document, order=1)
    with pytest.raises(ValidationError):
        outgoing.decide(desk.actor(desk.head), first, approve=False, comment="")
    outgoing.decide(desk.actor(desk.head), first, approve=False, comment="Bổ sung số liệu quý III.")
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    outgoing.submit(desk.actor(desk.handler), document, reviewer=desk.head.person, office_checker=None)  # type: ignore[arg-type]
    steps = ApprovalStep.objects.filter(document=document, round=2).order_by("order")
    assert [s.state for s in steps] == [StepState.PENDING, StepState.WAITING]
    outgoing.decide(desk.actor(desk.head), steps[0], approve=True)
    outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=document, round=2, order=2),
                    approve=True)  # fmt: skip
    document.refresh_from_db()
    assert document.status == Status.APPROVED


@override_settings()
def test_sign_number_seal_and_dispatch(
    desk: Desk, ca: pki.CertificateAuthority, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from django.conf import settings

    settings.EDXML_OUTBOX_DIR = tmp_path
    type(desk.outgoing.organization).objects.filter(pk=desk.outgoing.organization_id).update(
        identifier_code="000.00.02.H70"
    )
    desk.outgoing.organization.refresh_from_db()
    _load(ca, desk, desk.office.chief)
    document = _draft(desk)
    outgoing.submit(desk.actor(desk.handler), document, reviewer=None, office_checker=None)
    outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=document), approve=True)
    outgoing.sign(desk.actor(desk.office.chief), document)
    document.refresh_from_db()
    assert document.status == Status.SIGNED
    assert document.number == 1 and document.number_symbol == "01-CV/VPTU"
    outgoing.issue(desk.actor(desk.office.clerk), document)
    signed = outgoing.signed_file(document)
    assert signed is not None
    pdf = files.read(signed.stored)
    reports = pdfsign.validate_pdf(pdf, trust_roots=credentials.trust_roots())
    assert [r.status for r in reports] == ["valid", "valid"]
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Số 01-CV/VPTU" in text
    assert "V/v Về việc báo cáo" in text  # a Party Công văn: the abstract under the number, no title
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01
    assert pdfsign.validate_pdf(bytes(tampered), trust_roots=credentials.trust_roots())[0].status != "valid"
    with django_capture_on_commit_callbacks(execute=True):
        sent = exchange.dispatch(desk.actor(desk.office.clerk), document)
    assert len(sent) == 2
    document.refresh_from_db()
    assert document.status == Status.DISPATCHED
    package = document.files.get(role=FileRole.PACKAGE)
    data = files.read(package.stored)
    parsed = edxml.parse_package(data)
    assert parsed.header.code_number == "01" and parsed.header.code_notation == "CV/VPTU"
    assert {o.organ_id for o in parsed.header.to} == {"000.00.00.H70", "000.00.01.H70"}
    assert ExchangeMessage.objects.filter(document=document, way="out").count() == 1
    assert list(tmp_path.glob("*.edxml"))


@override_settings()
def test_one_package_to_many_bodies_records_every_recipient_code(
    desk: Desk, ca: pki.CertificateAuthority, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """A circular goes to every department at once: the codes of all of them are kept (PostgreSQL
    refused them when they were squeezed into 35 characters)."""
    from django.conf import settings

    settings.EDXML_OUTBOX_DIR = tmp_path
    type(desk.outgoing.organization).objects.filter(pk=desk.outgoing.organization_id).update(
        identifier_code="000.00.02.H70"
    )
    _load(ca, desk, desk.office.chief)
    departments = ("Sở Tài chính", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Công Thương")
    extra = tuple(
        outgoing.RecipientData(name=name, identifier_code=f"000.00.{21 + n}.H70") for n, name in enumerate(departments)
    )
    document = _draft(desk, extra)
    outgoing.submit(desk.actor(desk.handler), document, reviewer=None, office_checker=None)
    outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=document), approve=True)
    outgoing.sign(desk.actor(desk.office.chief), document)
    outgoing.issue(desk.actor(desk.office.clerk), document)
    with django_capture_on_commit_callbacks(execute=True):
        sent = exchange.dispatch(desk.actor(desk.office.clerk), document)
    assert len(sent) == 7
    message = ExchangeMessage.objects.get(document=document, way="out")
    codes = {"000.00.00.H70", "000.00.01.H70", *(f"000.00.{21 + n}.H70" for n in range(5))}
    assert set(message.organ_id.split(",")) == codes
    parsed = edxml.parse_package(files.read(document.files.get(role=FileRole.PACKAGE).stored))
    assert {o.organ_id for o in parsed.header.to} == codes


def test_only_the_named_signer_signs(desk: Desk, ca: pki.CertificateAuthority) -> None:
    _load(ca, desk, desk.office.chief)
    document = _draft(desk)
    outgoing.submit(desk.actor(desk.handler), document, reviewer=None, office_checker=None)
    outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=document), approve=True)
    with pytest.raises(ValidationError):
        outgoing.sign(desk.actor(desk.office.deputy), document)
    document.refresh_from_db()
    assert document.number is None
