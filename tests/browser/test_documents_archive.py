"""The archive file journey (issue 3, files): the specialist puts the document she handled into her open
file from the document page (the panel loads and posts through htmx), sees it at its place in the file,
and closes the file; the văn thư then records its hand-over to the agency archive."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.documents.models import FileState
from vanphong.documents.services import archive
from vanphong.documents.tests import conftest as documents_conftest
from vanphong.documents.tests.conftest import Desk
from vanphong.documents.tests.test_views import _build as build_documents
from vanphong.documents.views.archive import FileDocumentForm, HandOverForm

from .conftest import Web, control, tr

desk = documents_conftest.desk  # the documents desk fixture: registers, a unit, its head and specialist


@pytest.mark.browser
def test_specialist_files_a_document_closes_the_file_and_the_clerk_hands_it_over(web: Web, desk: Desk) -> None:
    docs = build_documents(desk)
    clerk, handler = desk.actor(desk.office.clerk), desk.actor(desk.handler)
    year = timezone.localdate().year
    file_list = archive.create_file_list(clerk, desk.office.party_office, year)
    data = archive.FileData(
        title="Hồ sơ rà soát, sắp xếp tổ chức bộ máy các cơ quan tham mưu, giúp việc Tỉnh ủy",
        unit=desk.unit, retention_years=None, handler=desk.handler.person,
    )  # fmt: skip
    archive_file = archive.add_file(clerk, file_list, data)
    archive.approve_file_list(desk.actor(desk.office.chief), file_list)
    archive.open_file(handler, archive_file)

    page = web.page
    web.sign_in("chuyenvienth")
    page.goto(f"/documents/{docs.handled.pk}/")
    panel = page.locator("#document-archive")
    expect(panel).to_be_visible()  # loaded into the page by htmx
    control(panel, FileDocumentForm, "archive_file").select_option(label=str(archive_file))
    control(panel, FileDocumentForm, "note").fill("Bản chính")
    panel.get_by_role("button", name=tr("Put in the file")).click()
    expect(page.locator("#in-files")).to_contain_text(archive_file.code)
    expect(page.locator('#timeline li[data-kind="filed"]')).to_be_visible()
    web.screenshot("archive-document-filed")

    page.locator("#in-files").get_by_role("link", name=archive_file.code).click()
    expect(page.locator('#items tr[data-ordinal="1"]')).to_contain_text(docs.handled.number_symbol)
    page.locator("#close-file").get_by_role("button").click()
    expect(page.locator("#file-state")).to_have_attribute("data-state", FileState.CLOSED)
    expect(page.locator("#doc-total")).to_have_text("1")
    web.screenshot("archive-file-closed")

    clerk_page = web.new_page()
    web.sign_in("vanthu", page=clerk_page)
    clerk_page.goto(f"/documents/archive/files/{archive_file.pk}/")
    form = clerk_page.locator("#hand-over")
    control(form, HandOverForm, "record").fill("05/BB-VPTU")
    form.get_by_role("button").click()
    expect(clerk_page.locator("#file-state")).to_have_attribute("data-state", FileState.HANDED_OVER)
    web.screenshot("archive-file-handed-over", clerk_page)
