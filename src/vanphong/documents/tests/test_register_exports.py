"""Registers printed in the Decree 30 forms and exported as XLSX and PDF: the real figures in the files.

The workbook is opened with openpyxl and the PDF read back with pypdf: the rows are the documents of
the period (the first and last minute in, the minute before and after out), in arrival-number order,
in the Appendix IV columns, Vietnamese intact, and a document the reader may not see is not there.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from vanphong.core.models import Account, AuditEntry, Role
from vanphong.core.services import roles
from vanphong.documents import exports
from vanphong.documents.models import Document, Secrecy, Urgency
from vanphong.documents.services import incoming
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.documents.tests.test_api import bearer
from vanphong.documents.tests.test_views import (
    LOGIN,
    Case,
    World,
    _build,
    matrix_failures,
    outgoing_register,
    register,
    rows,
    u,
)
from vanphong.rules import registers as layout
from vanphong.testing import SYSTEM, make_account, make_person

pytestmark = pytest.mark.django_db

MARCH = {"from": "01/03/2025", "to": "31/03/2025"}


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


@dataclass
class March:
    """A month of the Party office's incoming register, with documents on both sides of each boundary."""

    desk: Desk
    before: Document  # 28/02/2025 23:59: just outside
    first: Document  # 01/03/2025 00:00: the first minute inside
    secret: Document  # 10/03/2025, Mật: the clerk sees it, an uncleared deputy does not
    directed: Document  # 15/03/2025, Khẩn, directed to Phòng Tổng hợp and passed to its specialist
    last: Document  # 31/03/2025 23:59: the last minute inside
    after: Document  # 01/04/2025 00:00: just outside
    new_deputy: Account  # Phó Chánh Văn phòng appointed this month, no clearance yet


def _registered(desk: Desk, when: datetime.datetime, symbol: str, abstract: str, **extra: Any) -> Document:
    data = register_sample(desk, number_symbol=symbol, abstract=abstract, arrived_at=when,
                           document_date=when.date() - datetime.timedelta(days=2), **extra)  # fmt: skip
    return incoming.register_incoming(desk.actor(desk.office.clerk), data)


@pytest.fixture
def march(desk: Desk) -> March:
    office = desk.office
    before = _registered(desk, at(2025, 2, 28, 23, 59), "88/UBND-KT", "V/v quyết toán ngân sách năm 2024")
    first = _registered(
        desk, at(2025, 3, 1, 0, 0), "12/2025/NQ-HĐND", "Nghị quyết về chính sách hỗ trợ đồng bào dân tộc thiểu số",
        sender=office.home_affairs, sender_name="Hội đồng nhân dân tỉnh Sơn Hà",
    )  # fmt: skip
    secret = _registered(
        desk, at(2025, 3, 10), "05/CAT-PV01", "Về việc bảo vệ bí mật nhà nước trong tình hình mới",
        secrecy=Secrecy.MAT,
    )  # fmt: skip
    directed = _registered(
        desk, at(2025, 3, 15, 10, 30), "215/SNV-TCBC",
        "V/v rà soát, sắp xếp tổ chức bộ máy các cơ quan tham mưu, giúp việc Tỉnh ủy",
        sender=office.home_affairs, sender_name="Sở Nội vụ", urgency=Urgency.URGENT,
    )  # fmt: skip
    incoming.present(desk.actor(office.clerk), directed, leader=office.chief.person)  # type: ignore[arg-type]
    incoming.direct(
        desk.actor(office.chief),
        directed,
        incoming.DirectionData(text="Giao Phòng Tổng hợp chủ trì, tham mưu.", lead_unit=desk.unit, deadline_days=5),
    )
    lead = directed.assignments.get(role="lead")
    incoming.forward(desk.actor(desk.head), lead, handler=desk.handler.person)  # type: ignore[arg-type]
    last = _registered(desk, at(2025, 3, 31, 23, 59), "318/STC-NS", "V/v bổ sung dự toán chi thường xuyên quý II")
    after = _registered(desk, at(2025, 4, 1, 0, 0), "41/SYT-KHTC", "V/v phòng, chống dịch sốt xuất huyết")
    new_deputy = make_account(make_person("Vũ Thị Thanh", office.party_office, clearance=0), "phochanhvp2")
    roles.grant_role(SYSTEM, new_deputy.person, office.party_office, Role.DEPUTY)  # type: ignore[arg-type]
    return March(desk, before, first, secret, directed, last, after, new_deputy)


def export_url(register_pk: int, **params: str) -> str:
    return reverse("documents:register_export", args=[register_pk]) + "?" + urlencode(params)


def xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def pdf_text(content: bytes) -> tuple[int, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), [page.extract_text() for page in reader.pages]


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# --- the workbook --------------------------------------------------------------------------------------


def test_the_xlsx_holds_the_period_in_register_order_with_the_decree_columns(march: March, client: Client) -> None:
    client.force_login(march.desk.office.clerk)
    response = client.get(export_url(march.desk.incoming.pk, format="xlsx", **MARCH))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.MEDIA_TYPES["xlsx"]
    assert 'filename="so-den-' in response["Content-Disposition"]
    rows = xlsx_rows(body_of(response))
    assert rows[0][0] == "TỈNH ỦY SƠN HÀ" and rows[1][0] == "VĂN PHÒNG TỈNH ỦY"
    assert rows[2][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert rows[3][0] == "Sổ văn bản đến · Từ ngày 01/03/2025 đến ngày 31/03/2025"
    assert rows[5] == tuple(c.title for c in layout.INCOMING_COLUMNS)
    assert rows[6] == tuple(f"({n})" for n in range(1, 11))
    body = rows[7:]
    symbols = [row[3] for row in body]
    assert symbols == ["12/2025/NQ-HĐND", "05/CAT-PV01", "215/SNV-TCBC", "318/STC-NS"]  # boundaries in, order kept
    numbers = [row[1] for row in body]
    expected = [march.first, march.secret, march.directed, march.last]
    assert numbers == sorted(numbers) and numbers == [d.arrival_number for d in expected]
    first, _, directed, last = body
    assert first[0].date() == datetime.date(2025, 3, 1) and last[0].date() == datetime.date(2025, 3, 31)
    assert first[2] == "Hội đồng nhân dân tỉnh Sơn Hà"
    assert first[4].date() == datetime.date(2025, 2, 27)
    assert directed[5] == "V/v rà soát, sắp xếp tổ chức bộ máy các cơ quan tham mưu, giúp việc Tỉnh ủy"
    assert directed[6] == "Phòng Tổng hợp (Đỗ Văn Hùng)"
    assert directed[7].date() == timezone.localdate()  # presented today
    assert directed[8] is None and directed[9] == "Khẩn"
    assert body[1][9] == "Mật"


def test_an_uncleared_leader_and_secret_documents_switched_off_leave_the_secret_row_out(
    march: March, client: Client
) -> None:
    client.force_login(march.new_deputy)
    response = client.get(export_url(march.desk.incoming.pk, format="xlsx", **MARCH))
    symbols = [row[3] for row in xlsx_rows(body_of(response))[7:]]
    assert symbols == ["12/2025/NQ-HĐND", "215/SNV-TCBC", "318/STC-NS"]
    client.force_login(march.desk.office.clerk)
    with override_settings(SECRET_DOCUMENTS="off"):
        response = client.get(export_url(march.desk.incoming.pk, format="pdf", **MARCH))
    _, pages = pdf_text(body_of(response))
    assert "05/CAT-PV01" not in "".join(pages) and "215/SNV-TCBC" in "".join(pages)


# --- the PDF -------------------------------------------------------------------------------------------


def test_the_pdf_repeats_the_column_titles_on_every_page_and_numbers_the_pages(desk: Desk, client: Client) -> None:
    clerk = desk.actor(desk.office.clerk)
    for n in range(1, 61):
        incoming.register_incoming(clerk, register_sample(
            desk, number_symbol=f"{n:02d}/UBND-VX", arrived_at=at(2025, 5, 1 + n % 28, 8, n % 60),
            document_date=datetime.date(2025, 4, 28),
            abstract=f"V/v triển khai Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ (đợt {n})",
        ))  # fmt: skip
    client.force_login(desk.office.chief)
    response = client.get(export_url(desk.incoming.pk, format="pdf", **{"from": "01/05/2025", "to": "31/05/2025"}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    count, pages = pdf_text(body_of(response))
    assert count >= 3
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in pages[0] and "Từ ngày 01/05/2025 đến ngày 31/05/2025" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "Ngày đến" in text and "Tên loại và trích yếu" in text and "(10)" in text
        assert f"Trang {number}" in text
    everything = "".join(pages)
    assert all(f"{n:02d}/UBND-VX" in everything for n in range(1, 61))
    assert "Nghị quyết số 57-NQ/TW" in everything and "Ủy ban nhân dân tỉnh Sơn Hà" in everything.replace("\n", " ")
    # register order: arrival numbers 1..60 as registered, not the order of arrival dates
    positions = [everything.index(f"{n:02d}/UBND-VX") for n in range(1, 61)]
    assert positions == sorted(positions)


def test_an_outgoing_register_prints_its_own_columns(desk: Desk, client: Client) -> None:
    from vanphong.documents.models import ApprovalStep
    from vanphong.documents.services import outgoing
    from vanphong.documents.tests.test_outgoing import _draft, _load
    from vanphong.lib import pki

    _load(pki.make_ca("Vanphong Test CA", organization="Tỉnh Sơn Hà (thử nghiệm)"), desk, desk.office.chief)
    document = _draft(desk)
    outgoing.submit(desk.actor(desk.handler), document, reviewer=None, office_checker=None)
    outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=document), approve=True)
    outgoing.sign(desk.actor(desk.office.chief), document)
    outgoing.issue(desk.actor(desk.office.clerk), document)
    _draft(desk)  # a draft has no number yet: not in the register
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.force_login(desk.office.clerk)
    rows = xlsx_rows(body_of(client.get(export_url(desk.outgoing.pk, format="xlsx", **{"from": today, "to": today}))))
    assert rows[2][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert rows[5] == tuple(c.title for c in layout.OUTGOING_COLUMNS)
    (row,) = rows[7:]
    assert row[0] == "01-CV/VPTU" and row[3] == "Trần Văn Bình"
    assert row[2].endswith("Về việc báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW")
    assert row[4] == "Ủy ban nhân dân tỉnh Sơn Hà; Sở Nội vụ"
    assert row[5] == "Phòng Tổng hợp, Đỗ Văn Hùng"
    page = client.get(export_url(desk.outgoing.pk, format="print", **{"from": today, "to": today})).content.decode()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in page and "01-CV/VPTU" in page and "Nơi nhận văn bản" in page


# --- the print page, bad input, the API ------------------------------------------------------------------


def test_the_print_page_shows_the_form_rows_and_refuses_a_reversed_period(march: March, client: Client) -> None:
    client.force_login(march.desk.office.clerk)
    page = client.get(export_url(march.desk.incoming.pk, **MARCH)).content.decode()
    assert "@page { size: A4 landscape" in page and "Sổ văn bản đến · Từ ngày 01/03/2025 đến ngày 31/03/2025" in page
    assert page.index("12/2025/NQ-HĐND") < page.index("215/SNV-TCBC") < page.index("318/STC-NS")
    assert "88/UBND-KT" not in page and "41/SYT-KHTC" not in page
    client.cookies["vanphong_language"] = "en"
    bad = client.get(export_url(march.desk.incoming.pk, format="pdf", **{"from": "31/03/2025", "to": "01/03/2025"}))
    assert bad.status_code == 400 and "The start of the period comes after its end." in bad.content.decode()
    register_page = client.get(reverse("documents:register", args=[march.desk.incoming.pk])).content.decode()
    assert reverse("documents:register_export", args=[march.desk.incoming.pk]) in register_page
    assert 'name="format"' in register_page and 'id="export_from"' in register_page


def test_the_api_exports_the_same_rows(march: March, client: Client) -> None:
    url = f"/api/documents/registers/{march.desk.incoming.pk}/export"
    response = client.get(url, {"format": "xlsx", "from": "2025-03-01", "to": "2025-03-31"},
                          headers=bearer(march.new_deputy))  # fmt: skip
    assert response.status_code == 200
    symbols = [row[3] for row in xlsx_rows(body_of(response))[7:]]
    assert symbols == ["12/2025/NQ-HĐND", "215/SNV-TCBC", "318/STC-NS"]
    wrong = client.get(url, {"format": "docx"}, headers=bearer(march.desk.office.clerk))
    assert wrong.status_code == 400 and "format" in json.loads(wrong.content)["fields"]
    reversed_period = client.get(url, {"from": "2025-03-31", "to": "2025-03-01"},
                                 headers=bearer(march.desk.office.clerk))  # fmt: skip
    assert reversed_period.status_code == 400


def test_every_export_is_in_the_audit_log_with_who_which_register_period_and_format(
    march: March, client: Client
) -> None:
    register = march.desk.incoming
    client.force_login(march.desk.office.clerk)
    body_of(client.get(export_url(register.pk, format="xlsx", **MARCH)))
    client.get(export_url(register.pk, **MARCH))  # the print page
    api = client.get(f"/api/documents/registers/{register.pk}/export", {"format": "pdf", "from": "2025-03-01",
                     "to": "2025-03-31"}, headers=bearer(march.new_deputy))  # fmt: skip
    body_of(api)
    entries = AuditEntry.objects.filter(action=exports.EXPORT_ACTION).order_by("seq")
    assert [(e.actor, e.source, e.object_id, e.after["format"], e.after["from"], e.after["to"]) for e in entries] == [
        (march.desk.office.clerk, "web", str(register.pk), "xlsx", "2025-03-01", "2025-03-31"),
        (march.desk.office.clerk, "web", str(register.pk), "print", "2025-03-01", "2025-03-31"),
        (march.new_deputy, "api", str(register.pk), "pdf", "2025-03-01", "2025-03-31"),
    ]
    assert [e.after["documents"] for e in entries] == [4, None, 3]  # the uncleared deputy's lacks the secret one
    with translation.override("en"):
        assert entries[0].action_label == "Register exported (printed, XLSX or PDF)"
    refused = client.get(export_url(register.pk, format="pdf", **{"from": "31/03/2025", "to": "01/03/2025"}))
    assert refused.status_code == 400 and entries.count() == 3  # nothing exported, nothing recorded


# --- the register's words filter, through the full-text index ---------------------------------------------


def test_the_register_filter_matches_words_as_typed_through_the_index(march: March, client: Client) -> None:
    url = reverse("documents:register", args=[march.desk.incoming.pk])
    client.force_login(march.desk.office.clerk)

    def found(q: str) -> list[str]:
        page = client.get(url, {"q": q}).content.decode()
        return [s for s in ("88/UBND-KT", "12/2025/NQ-HĐND", "05/CAT-PV01", "215/SNV-TCBC", "318/STC-NS") if s in page]

    assert found("nghi quy") == ["12/2025/NQ-HĐND"]  # folded, the last word still being typed
    assert found("Nghị quyết") == ["12/2025/NQ-HĐND"]
    assert found("12/2025/nq") == ["12/2025/NQ-HĐND"]  # a symbol typed in part
    assert found('"to chuc bo may"') == ["215/SNV-TCBC"]
    assert found('"bo may to chuc"') == []  # a phrase keeps its order
    assert found("bi mat nha nuoc") == ["05/CAT-PV01"]
    assert found("///") == []
    client.force_login(march.new_deputy)
    assert found("bi mat nha nuoc") == []  # the index never widens what a person may see


# --- the permission matrix of the pages added here ---------------------------------------------------------

XLSX = {"format": "xlsx", "from": "01/01/2025", "to": "31/12/2026"}


def exported(fmt: str, **extra: str) -> Any:
    return lambda w: export_url(w.desk.incoming.pk, **{**XLSX, "format": fmt, **extra})


CASES: list[Case] = [
    *rows(
        "register_export",
        u("register_export", register),
        {
            "anonymous": LOGIN,
            "clerk": 200,
            "chief": 200,
            "deputy": 200,
            "head": 404,
            "handler": 404,
            "specialist": 404,
            "admin": 404,
        },
    ),
    *rows("register_export", exported("xlsx"), {"clerk": 200, "uncleared": 404}),
    *rows("register_export", exported("pdf"), {"chief": 200}),
    *rows("register_export", exported("pdf", to="01/01/2024"), {"clerk": 400}),  # the period runs backwards
    *rows("register_export", exported("docx"), {"clerk": 400}),
    *rows("register_export", u("register_export", outgoing_register), {"clerk": 200, "specialist": 404}),
    *rows("register_export", u("register_export", register), {"clerk": 405}, method="PUT"),
    *rows(
        "register_export",
        u("register_export", register),
        {"clerk": 200, "specialist": 404},
        method="POST",
        data=lambda w: XLSX,
    ),  # the register page's form; over the threshold: test_register_export_queue
]


@pytest.fixture
def world(desk: Desk) -> World:
    return _build(desk)


def test_permission_matrix(world: World, client: Client) -> None:
    """The rows above, each in a savepoint rolled back (``test_views.matrix_failures``)."""
    assert matrix_failures(CASES, world, client) == []
