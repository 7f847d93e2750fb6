"""The documents desk of the test office: registers, a unit with its head and specialist, factories."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, OrgKind, Role
from vanphong.core.services import roles
from vanphong.documents.models import Direction, DocumentSystem, DocumentType, NumberingScheme, Register
from vanphong.documents.services import incoming
from vanphong.testing import SYSTEM, Office, make_account, make_org, make_person

FONT = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"


@dataclass
class Desk:
    """The Party office's registers and the people who work the flow."""

    office: Office
    incoming: Register  # sổ văn bản đến of Văn phòng Tỉnh ủy
    outgoing: Register  # sổ văn bản đi (Party, per type per term)
    state_outgoing: Register  # sổ văn bản đi of UBND tỉnh (State, yearly)
    state_secret: Register  # sổ văn bản mật đi of UBND tỉnh (separate series)
    unit: Organization  # Phòng Tổng hợp (internal unit of the Party office)
    other_unit: Organization  # Phòng Hành chính - Tổ chức
    head: Account  # Trưởng phòng Tổng hợp
    handler: Account  # chuyên viên Phòng Tổng hợp, cleared for Mật
    other_head: Account  # Trưởng phòng Hành chính - Tổ chức
    state_clerk: Account  # văn thư of UBND tỉnh

    def actor(self, account: Account) -> Actor:
        return Actor(account=account, source="web")

    def type(self, system: str, key: str) -> DocumentType:
        return DocumentType.objects.get(system=system, key=key)


@pytest.fixture
def desk(office: Office) -> Desk:
    unit = office.general_unit
    other = make_org("Phòng Hành chính - Tổ chức", "HCTC", kind=OrgKind.INTERNAL_UNIT, parent=office.party_office)
    head = make_account(make_person("Ngô Thị Mai", unit, clearance=1), "truongphong")
    handler = make_account(make_person("Đỗ Văn Hùng", unit, clearance=1), "chuyenvienth")
    other_head = make_account(make_person("Lý Văn Sơn", other), "truongphonghc")
    state_clerk = make_account(make_person("Mai Thị Thu", office.peoples_committee, clearance=1), "vanthuubnd")
    roles.grant_role(SYSTEM, head.person, unit, Role.HEAD)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, other_head.person, other, Role.HEAD)  # type: ignore[arg-type]
    roles.grant_role(SYSTEM, state_clerk.person, office.peoples_committee, Role.CLERK)  # type: ignore[arg-type]
    party_in = Register.objects.create(
        organization=office.party_office, direction=Direction.INCOMING, name="Sổ văn bản đến",
        system=DocumentSystem.PARTY, place="Sơn Hà",
    )  # fmt: skip
    party_out = Register.objects.create(
        organization=office.party_office, direction=Direction.OUTGOING, name="Sổ văn bản đi",
        system=DocumentSystem.PARTY, issuer_abbreviation="VPTU", numbering=NumberingScheme.TERM,
        term_started_on=datetime.date(2025, 10, 16), place="Sơn Hà",
    )  # fmt: skip
    state_out = Register.objects.create(
        organization=office.peoples_committee, direction=Direction.OUTGOING, name="Sổ văn bản đi",
        system=DocumentSystem.STATE, issuer_abbreviation="UBND", place="Sơn Hà",
    )  # fmt: skip
    state_secret = Register.objects.create(
        organization=office.peoples_committee, direction=Direction.OUTGOING, name="Sổ văn bản mật đi",
        system=DocumentSystem.STATE, issuer_abbreviation="UBND", secret=True, place="Sơn Hà",
    )  # fmt: skip
    return Desk(
        office, party_in, party_out, state_out, state_secret, unit, other, head, handler, other_head, state_clerk
    )


def vietnamese_pdf(*lines: str) -> bytes:
    """A one-page A4 PDF with real Vietnamese text (what a sender's scanner or system produces)."""
    if "NotoSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSerif", FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("NotoSerif", 13)
    y = 780.0
    for line in lines:
        page.drawString(80, y, line)
        y -= 20
    page.showPage()
    page.save()
    return out.getvalue()


SAMPLE_PDF_LINES = (
    "ỦY BAN NHÂN DÂN TỈNH SƠN HÀ",
    "Số: 1234/UBND-VX",
    "V/v triển khai Nghị quyết số 57-NQ/TW về khoa học, công nghệ",
    "Kính gửi: Văn phòng Tỉnh ủy Sơn Hà",
)


def register_sample(desk: Desk, **overrides: object) -> incoming.IncomingData:
    data = incoming.IncomingData(
        register=desk.incoming,
        sender=desk.office.peoples_committee,
        number_symbol="1234/UBND-VX",
        document_date=datetime.date(2026, 11, 20),
        abstract="V/v triển khai Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ",
        signer_name="Phạm Quốc Việt",
        pages=2,
        copies=1,
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data
