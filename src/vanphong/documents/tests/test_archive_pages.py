"""The archive pages: who may open and change what (the permission matrix for every archive URL), the
list, filing from the document page, closing and handing over through the pages, the XLSX item list, the
home-page reminder, and no secret document shown through a file page, a count or an export."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]

from vanphong.core.models import Account
from vanphong.documents.models import ArchiveFile, FileItem, FileList, FileState, Secrecy
from vanphong.documents.services import archive, incoming
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.documents.tests.test_views import LOGIN, Case, english, matrix_failures, rows, u
from vanphong.documents.tests.test_views import World as DocWorld
from vanphong.documents.tests.test_views import _build as build_documents
from vanphong.registry import registry

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@dataclass
class Shelf:
    """The Party office's approved list for this year and a draft for the next, with a file at each stage."""

    docs: DocWorld  # the documents world: ``handled`` is Phòng Tổng hợp's, passed to its specialist
    file_list: FileList  # approved
    draft: FileList  # next year's, copied, not approved
    open_file: ArchiveFile  # open, holds ``handled`` as no. 1
    spare: ArchiveFile  # open and empty: where ``handled`` can still go
    planned: ArchiveFile  # in the list, not opened
    closed: ArchiveFile  # closed, kept permanently: to hand over
    building: ArchiveFile  # a capital construction file (hồ sơ xây dựng cơ bản), open and empty
    item: FileItem  # ``handled`` in ``open_file``
    closed_item: FileItem  # ``handled`` in ``closed``

    @property
    def desk(self) -> Desk:
        return self.docs.desk

    def account(self, persona: str) -> Account | None:
        return self.docs.account(persona)


def _build(desk: Desk) -> Shelf:
    docs = build_documents(desk)
    clerk, chief, handler = desk.actor(desk.office.clerk), desk.actor(desk.office.chief), desk.actor(desk.handler)
    file_list = archive.create_file_list(clerk, desk.office.party_office, YEAR)

    def add(title: str, retention: int | None, *, capital_construction: bool = False) -> ArchiveFile:
        data = archive.FileData(
            title=title,
            unit=desk.unit,
            retention_years=retention,
            handler=desk.handler.person,
            capital_construction=capital_construction,
        )
        return archive.add_file(clerk, file_list, data)

    open_file = add("Hồ sơ rà soát, sắp xếp tổ chức bộ máy các cơ quan tham mưu, giúp việc Tỉnh ủy", 20)
    spare = add("Báo cáo tháng, quý của các sở, ngành gửi Tỉnh ủy", 10)
    planned = add("Hồ sơ hội nghị tổng kết công tác văn phòng cấp ủy", 10)
    closed = add("Hồ sơ Đại hội đại biểu Đảng bộ tỉnh lần thứ XVI", None)
    building = add("Hồ sơ công trình cải tạo, sửa chữa trụ sở Tỉnh ủy", None, capital_construction=True)
    archive.approve_file_list(chief, file_list)
    for f in (open_file, spare, closed, building):
        archive.open_file(handler, f)
    item = archive.add_document(handler, open_file, docs.handled)
    closed_item = archive.add_document(handler, closed, docs.handled)
    closed = archive.close_file(handler, closed)
    draft = archive.create_file_list(clerk, desk.office.party_office, YEAR + 1)
    building.refresh_from_db()
    return Shelf(docs, file_list, draft, open_file, spare, planned, closed, building, item, closed_item)


@pytest.fixture
def shelf(desk: Desk) -> Shelf:
    return _build(desk)


ShelfData = Callable[[Any], dict[str, Any]]  # rows() built for test_views' world take the shelf here


def pk_of(name: str) -> Any:
    return lambda s: getattr(s, name).pk


def handled_pk(shelf: Any) -> int:
    return int(shelf.docs.handled.pk)


NEW_LIST: ShelfData = lambda s: {"organization": s.desk.office.party_office.pk, "year": str(YEAR - 1)}  # noqa: E731
NEW_FILE: ShelfData = lambda s: {  # noqa: E731
    "title": "Hồ sơ tiếp nhận, xử lý đơn thư gửi Thường trực Tỉnh ủy", "unit": s.desk.unit.pk,
    "handler": s.desk.handler.person_id, "retention_years": "10", "rights": "restricted",
}  # fmt: skip
HAND_OVER: ShelfData = lambda s: {"on": timezone.localdate().strftime("%d/%m/%Y"), "record": "05/BB-VPTU"}  # noqa: E731
PUT_SPARE: ShelfData = lambda s: {"archive_file": s.spare.pk, "note": "Bản chính"}  # noqa: E731
PUT_AGAIN: ShelfData = lambda s: {"archive_file": s.open_file.pk}  # noqa: E731
REOPEN: ShelfData = lambda s: {"reason": "Bổ sung biên bản kiểm phiếu bầu cử còn thiếu"}  # noqa: E731
SETTLED: ShelfData = lambda s: {  # noqa: E731
    "settled_on": (timezone.localdate() - datetime.timedelta(days=12)).strftime("%d/%m/%Y")
}
HOLD: ShelfData = lambda s: {  # noqa: E731  (half a year past the day it is due)
    "until": (s.closed.handover_due + datetime.timedelta(days=180)).strftime("%d/%m/%Y"),
    "reason": "Phòng Tổng hợp còn khai thác để xây dựng báo cáo tổng kết nhiệm kỳ",
}
HOLD_TOO_LONG: ShelfData = lambda s: {  # noqa: E731  (more than two years past it)
    "until": (s.closed.handover_due + datetime.timedelta(days=2 * 366 + 1)).strftime("%d/%m/%Y"),
    "reason": "Phòng Tổng hợp còn khai thác",
}

CASES: list[Case] = [
    *rows("archive", u("archive"), {"anonymous": LOGIN, "clerk": 200, "handler": 200, "specialist": 200}),
    *rows("archive", u("archive"), {"clerk": 405}, method="POST"),
    *rows(
        "file_list_new",
        u("file_list_new"),
        {"anonymous": LOGIN, "clerk": 302, "chief": 302, "handler": 403, "specialist": 403},
        method="POST",
        data=NEW_LIST,
    ),
    *rows("file_list_new", u("file_list_new"), {"clerk": 400}, method="POST"),  # nothing chosen
    *rows("file_list_new", u("file_list_new"), {"clerk": 405}),
    *rows(
        "file_list",
        u("file_list", pk_of("file_list")),
        {"anonymous": LOGIN, "clerk": 200, "chief": 200, "deputy": 200, "handler": 404, "specialist": 404},
    ),
    *rows("file_list", u("file_list", pk_of("file_list")), {"clerk": 405}, method="POST"),
    *rows(
        "file_list_approve",
        u("file_list_approve", pk_of("draft")),
        {"anonymous": LOGIN, "chief": 302, "deputy": 302, "clerk": 403, "handler": 404, "specialist": 404},
        method="POST",
    ),
    *rows("file_list_approve", u("file_list_approve", pk_of("file_list")), {"chief": 400}, method="POST"),
    *rows("file_list_approve", u("file_list_approve", pk_of("draft")), {"chief": 405}),
    *rows(
        "archive_file_new",
        u("archive_file_new", pk_of("file_list")),
        {"anonymous": LOGIN, "clerk": 302, "chief": 302, "handler": 404, "specialist": 404},
        method="POST",
        data=NEW_FILE,
    ),
    *rows("archive_file_new", u("archive_file_new", pk_of("file_list")), {"clerk": 400}, method="POST"),
    *rows("archive_file_new", u("archive_file_new", pk_of("file_list")), {"clerk": 405}),
    *rows(
        "archive_file",
        u("archive_file", pk_of("open_file")),
        {
            "anonymous": LOGIN,
            "clerk": 200,
            "handler": 200,
            "head": 200,
            "uncleared": 200,
            "other_head": 404,
            "specialist": 404,
            "admin": 404,
        },
    ),
    *rows("archive_file", u("archive_file", pk_of("open_file")), {"handler": 405}, method="POST"),
    *rows(
        "archive_file_open",
        u("archive_file_open", pk_of("planned")),
        {"anonymous": LOGIN, "handler": 302, "head": 302, "clerk": 403, "uncleared": 403, "specialist": 404},
        method="POST",
    ),
    *rows("archive_file_open", u("archive_file_open", pk_of("open_file")), {"handler": 400}, method="POST"),
    *rows("archive_file_open", u("archive_file_open", pk_of("planned")), {"handler": 405}),
    *rows(
        "archive_file_close",
        u("archive_file_close", pk_of("open_file")),
        {"anonymous": LOGIN, "handler": 302, "head": 302, "clerk": 403, "uncleared": 403, "specialist": 404},
        method="POST",
    ),
    *rows("archive_file_close", u("archive_file_close", pk_of("spare")), {"handler": 400}, method="POST"),  # empty
    *rows("archive_file_close", u("archive_file_close", pk_of("open_file")), {"handler": 405}),
    *rows(
        "archive_file_hand_over",
        u("archive_file_hand_over", pk_of("closed")),
        {"anonymous": LOGIN, "clerk": 302, "handler": 403, "chief": 403, "specialist": 404},
        method="POST",
        data=HAND_OVER,
    ),
    *rows("archive_file_hand_over", u("archive_file_hand_over", pk_of("closed")), {"clerk": 400}, method="POST"),
    *rows(
        "archive_file_hand_over",
        u("archive_file_hand_over", pk_of("open_file")),
        {"clerk": 400},
        method="POST",
        data=HAND_OVER,
    ),
    *rows("archive_file_hand_over", u("archive_file_hand_over", pk_of("closed")), {"clerk": 405}),
    *rows(
        "archive_file_reopen",
        u("archive_file_reopen", pk_of("closed")),
        {
            "anonymous": LOGIN,
            "handler": 302,
            "head": 302,
            "chief": 302,
            "clerk": 403,
            "uncleared": 403,
            "other_head": 404,
            "specialist": 404,
        },
        method="POST",
        data=REOPEN,
    ),
    *rows(
        "archive_file_reopen", u("archive_file_reopen", pk_of("closed")), {"handler": 400}, method="POST"
    ),  # no reason
    *rows(
        "archive_file_reopen",
        u("archive_file_reopen", pk_of("open_file")),
        {"handler": 400},
        method="POST",
        data=REOPEN,
    ),
    *rows("archive_file_reopen", u("archive_file_reopen", pk_of("closed")), {"handler": 405}),
    *rows(
        "archive_file_settlement",
        u("archive_file_settlement", pk_of("building")),
        {"anonymous": LOGIN, "handler": 302, "head": 302, "clerk": 403, "uncleared": 403, "specialist": 404},
        method="POST",
        data=SETTLED,
    ),
    *rows(
        "archive_file_settlement",
        u("archive_file_settlement", pk_of("open_file")),  # not a capital construction file
        {"handler": 400},
        method="POST",
        data=SETTLED,
    ),
    *rows("archive_file_settlement", u("archive_file_settlement", pk_of("building")), {"handler": 405}),
    *rows(
        "archive_file_hold_back",
        u("archive_file_hold_back", pk_of("closed")),
        {"anonymous": LOGIN, "chief": 302, "deputy": 302, "clerk": 403, "handler": 403, "head": 403, "specialist": 404},
        method="POST",
        data=HOLD,
    ),
    *rows(
        "archive_file_hold_back",
        u("archive_file_hold_back", pk_of("closed")),
        {"chief": 400},
        method="POST",
        data=HOLD_TOO_LONG,
    ),
    *rows(
        "archive_file_hold_back",
        u("archive_file_hold_back", pk_of("open_file")),
        {"chief": 400},
        method="POST",
        data=HOLD,
    ),
    *rows("archive_file_hold_back", u("archive_file_hold_back", pk_of("closed")), {"chief": 405}),
    *rows(
        "archive_file_export",
        u("archive_file_export", pk_of("open_file")),
        {"anonymous": LOGIN, "clerk": 200, "uncleared": 200, "other_head": 404, "specialist": 404},
    ),
    *rows("archive_file_export", u("archive_file_export", pk_of("open_file")), {"clerk": 405}, method="POST"),
    *rows(
        "archive_item_remove",
        u("archive_item_remove", pk_of("item")),
        {"anonymous": LOGIN, "handler": 302, "head": 302, "clerk": 403, "uncleared": 403, "specialist": 404},
        method="POST",
    ),
    *rows("archive_item_remove", u("archive_item_remove", pk_of("closed_item")), {"handler": 400}, method="POST"),
    *rows("archive_item_remove", u("archive_item_remove", pk_of("item")), {"handler": 405}),
    *rows(
        "document_archive",
        u("document_archive", handled_pk),
        {"anonymous": LOGIN, "handler": 200, "clerk": 200, "uncleared": 200, "specialist": 404},
    ),
    *rows(
        "document_archive",
        u("document_archive", handled_pk),
        {"anonymous": LOGIN, "handler": 302, "head": 302, "clerk": 403, "uncleared": 403, "specialist": 404},
        method="POST",
        data=PUT_SPARE,
    ),
    *rows(
        "document_archive",
        u("document_archive", handled_pk),
        {"handler": 400},
        method="POST",
        data=PUT_AGAIN,
    ),
    *rows("document_archive", u("document_archive", handled_pk), {"handler": 405}, method="PUT"),
]


def test_archive_permission_matrix(shelf: Shelf, client: Client) -> None:
    """The rows above, against the shelf (``test_views.matrix_failures``)."""
    assert matrix_failures(CASES, shelf, client) == []


# --- journeys ---------------------------------------------------------------------------------------------------


def test_a_list_is_drawn_up_filled_approved_and_a_document_filed_from_its_page(desk: Desk, client: Client) -> None:
    docs = build_documents(desk)
    office = desk.office
    english(client).force_login(office.clerk)
    home = client.get(reverse("documents:archive")).content.decode()
    assert 'id="file-list-new"' in home and "Archive files" in home
    made = client.post(reverse("documents:file_list_new"), {"organization": office.party_office.pk, "year": YEAR})
    file_list = FileList.objects.get(organization=office.party_office, year=YEAR)
    assert made.status_code == 302 and made["Location"] == reverse("documents:file_list", args=[file_list.pk])
    added = client.post(
        reverse("documents:archive_file_new", args=[file_list.pk]),
        {"title": "Hồ sơ rà soát tổ chức bộ máy", "unit": desk.unit.pk, "handler": desk.handler.person_id,
         "retention_years": "", "rights": "open"},
    )  # fmt: skip
    assert added.status_code == 302
    archive_file = ArchiveFile.objects.get(file_list=file_list)
    assert archive_file.code == f"01.PTH.{YEAR}" and archive_file.permanent
    page = client.get(reverse("documents:file_list", args=[file_list.pk])).content.decode()
    assert f"01.PTH.{YEAR}" in page and "Permanent" in page and 'id="approve"' not in page  # the clerk drafts only

    client.force_login(office.chief)
    assert client.post(reverse("documents:file_list_approve", args=[file_list.pk])).status_code == 302

    client.force_login(desk.handler)
    assert client.post(reverse("documents:archive_file_open", args=[archive_file.pk])).status_code == 302
    doc_page = client.get(reverse("documents:document", args=[docs.handled.pk])).content.decode()
    assert reverse("documents:document_archive", args=[docs.handled.pk]) in doc_page
    fragment = client.get(reverse("documents:document_archive", args=[docs.handled.pk]), HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text and 'id="put-in-file"' in text and f"01.PTH.{YEAR}" in text
    put = client.post(
        reverse("documents:document_archive", args=[docs.handled.pk]),
        {"archive_file": archive_file.pk},
        HTTP_HX_REQUEST="true",
    )
    assert put.status_code == 200 and put["HX-Redirect"] == reverse("documents:document", args=[docs.handled.pk])
    doc_page = client.get(reverse("documents:document", args=[docs.handled.pk])).content.decode()
    assert 'data-kind="filed"' in doc_page and f"File 01.PTH.{YEAR}, no. 1" in doc_page

    file_page = client.get(reverse("documents:archive_file", args=[archive_file.pk])).content.decode()
    assert 'data-ordinal="1"' in file_page and docs.handled.abstract[:40] in file_page
    assert reverse("documents:file_list", args=[file_list.pk]) not in file_page  # the list is the văn thư's
    assert client.post(reverse("documents:archive_file_close", args=[archive_file.pk])).status_code == 302
    archive_file.refresh_from_db()
    assert archive_file.state == FileState.CLOSED and archive_file.doc_total == 1
    assert archive_file.page_total == docs.handled.pages

    client.force_login(office.clerk)
    bad = client.post(reverse("documents:archive_file_hand_over", args=[archive_file.pk]), {"on": "", "record": ""})
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    today = timezone.localdate()
    done = client.post(
        reverse("documents:archive_file_hand_over", args=[archive_file.pk]),
        {"on": today.strftime("%d/%m/%Y"), "record": "05/BB-VPTU"},
    )
    assert done.status_code == 302
    archive_file.refresh_from_db()
    assert archive_file.state == FileState.HANDED_OVER and archive_file.handed_over_on == today


def test_the_home_page_reminds_of_files_to_hand_over(shelf: Shelf, client: Client) -> None:
    panel = registry.panels["documents_archive_due"]
    request = type("Request", (), {"user": shelf.desk.office.clerk})()
    assert panel.render(request) is None  # due in a year: not yet
    # The file was closed a year ago less a fortnight (moved back in time, as the days would have passed).
    closed_on = timezone.localdate() - datetime.timedelta(days=351)
    ArchiveFile.objects.filter(pk=shelf.closed.pk).update(
        closed_on=closed_on, handover_due=closed_on.replace(year=closed_on.year + 1)
    )
    assert panel.render(request) == {"overdue": 0, "due_soon": 1}
    english(client).force_login(shelf.desk.office.clerk)
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-archive="due_soon"' in home and "To hand over within 30 days" in home
    page = client.get(reverse("documents:archive")).content.decode()
    assert 'id="due-files"' in page and shelf.closed.code in page
    other = type("Request", (), {"user": shelf.desk.other_head})()
    assert panel.render(other) is None


def test_a_secret_document_in_a_file_shows_nowhere_to_those_who_may_not_see_it(shelf: Shelf, client: Client) -> None:
    desk = shelf.desk
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    abstract = "Báo cáo tình hình an ninh chính trị nội bộ quý III"
    secret = incoming.register_incoming(
        clerk, register_sample(desk, number_symbol="77/BC-CAT", abstract=abstract, secrecy=Secrecy.MAT, pages=9)
    )
    incoming.present(clerk, secret, leader=desk.office.chief.person)  # type: ignore[arg-type]
    incoming.direct(chief, secret, incoming.DirectionData(text="Phòng Tổng hợp nắm tình hình.", lead_unit=desk.unit))
    archive.add_document(desk.actor(desk.head), shelf.open_file, secret)

    file_url = reverse("documents:archive_file", args=[shelf.open_file.pk])
    export_url = reverse("documents:archive_file_export", args=[shelf.open_file.pk])
    list_url = reverse("documents:file_list", args=[shelf.file_list.pk])
    client.force_login(desk.head)  # heads the lead unit, cleared for Mật: sees it
    assert abstract in client.get(file_url).content.decode()
    for account in (desk.handler, desk.office.uncleared):  # the file's handler, a member of the unit
        client.force_login(account)
        page = client.get(file_url).content.decode()
        assert abstract not in page and "77/BC-CAT" not in page
        assert reverse("documents:document", args=[secret.pk]) not in page
        assert 'data-ordinal="2"' not in page and 'data-ordinal="1"' in page
        sheet = load_workbook(io.BytesIO(client.get(export_url).content)).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert abstract not in cells and "77/BC-CAT" not in cells and shelf.docs.handled.abstract in cells
        assert client.get(reverse("documents:document_archive", args=[secret.pk])).status_code == 404
        assert (
            client.post(reverse("documents:archive_item_remove", args=[secret.file_items.get().pk])).status_code == 404
        )
    # Counts beside a file are of what the person may see: the handler's own files show one document.
    client.force_login(desk.handler)
    page = client.get(reverse("documents:archive")).content.decode()
    row = page[page.index(reverse("documents:archive_file", args=[shelf.open_file.pk])) :]
    assert '<td class="num">1</td>' in row[: row.index("</tr>")]
    client.force_login(desk.office.clerk)  # keeps the register, cleared for Mật: counts both
    page = client.get(list_url).content.decode()
    row = page[page.index(f'data-file="{shelf.open_file.pk}"') :]
    assert '<td class="num">2</td>' in row[: row.index("</tr>")]


def test_the_item_list_exports_in_order_and_keeps_formulas_as_text(shelf: Shelf, client: Client) -> None:
    desk = shelf.desk
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    tricky = incoming.register_incoming(
        clerk,
        register_sample(
            desk, number_symbol="08/TB-SNV", abstract='=HYPERLINK("http://example.invalid","Thông báo kết luận")'
        ),
    )
    incoming.present(clerk, tricky, leader=desk.office.chief.person)  # type: ignore[arg-type]
    incoming.direct(chief, tricky, incoming.DirectionData(text="Phòng Tổng hợp lưu hồ sơ.", lead_unit=desk.unit))
    archive.add_document(desk.actor(desk.head), shelf.open_file, tricky, note="Bản sao")
    client.force_login(desk.head)
    response = client.get(reverse("documents:archive_file_export", args=[shelf.open_file.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"muc-luc-{shelf.open_file.code}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    body = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [(row[0], row[1]) for row in body] == [(1, shelf.docs.handled.number_symbol), (2, "08/TB-SNV")]
    assert sheet.cell(row=6, column=5).data_type == "s" and str(sheet.cell(row=6, column=5).value).startswith("=")
    assert body[1][6] == "Bản sao" and sheet["A2"].value == shelf.open_file.title


def test_the_file_page_costs_the_same_with_two_or_twelve_documents(shelf: Shelf, client: Client) -> None:
    desk = shelf.desk
    clerk = desk.actor(desk.office.clerk)
    client.force_login(desk.office.clerk)
    url = reverse("documents:archive_file", args=[shelf.spare.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def file_some(count: int) -> None:
        for n in range(count):
            document = incoming.register_incoming(
                clerk, register_sample(desk, number_symbol=f"{n + 1}/BC-SNV{count}", abstract=f"Báo cáo tháng {n + 1}")
            )
            archive.add_document(desk.actor(desk.office.chief), shelf.spare, document)

    file_some(2)
    few = queries()
    file_some(10)
    assert queries() == few
