"""The outgoing journey as people make it: a specialist drafts, the unit head sends it back once, the head
and the office deputy approve, the chief approves and signs, the văn thư issues it with the seal and
dispatches it as edXML. What leaves through the outbox is then checked the way a receiver would."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from vanphong.documents.forms_outgoing import DecideForm, DraftForm, SubmitForm
from vanphong.documents.models import Document, FileRole, Status
from vanphong.documents.services import credentials, files
from vanphong.documents.tests.conftest import Desk, desk  # noqa: F401 (the fixture)
from vanphong.documents.tests.test_outgoing import _load
from vanphong.lib import edxml, pdfsign, pki

from .conftest import Web, control, tr

OUR_CODE = "000.00.02.H70"


def status_of(page: Page, status: str) -> None:
    expect(page.locator("#document-status")).to_have_attribute("data-status", status)


def act(page: Page, key: str, button: str) -> None:
    """Open the step ``key`` on the document page and press its button."""
    form = page.locator(f"#action-{key}")
    details = page.locator("details.doc-step", has=form)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form.get_by_role("button", name=tr(button), exact=True).click()


def decide(web: Web, username: str, url: str, *, send_back: str = "") -> None:
    page = web.new_page()
    web.sign_in(username, page=page)
    page.goto(url)
    form = page.locator("#action-decide")
    if send_back:
        form.get_by_label(tr("Send back to the drafter")).check()
        control(form, DecideForm, "comment").fill(send_back)
    act(page, "decide", "Record the decision")
    expect(page.locator(".message--success")).to_be_visible()
    page.context.close()


@pytest.mark.browser
def test_draft_review_sign_issue_dispatch(web: Web, desk: Desk, settings: Any, tmp_path: Path) -> None:  # noqa: F811
    settings.EDXML_OUTBOX_DIR = tmp_path
    body = desk.outgoing.organization
    type(body).objects.filter(pk=body.pk).update(identifier_code=OUR_CODE)
    _load(pki.make_ca("Vanphong Test CA", organization="Tỉnh Sơn Hà (thử nghiệm)"), desk, desk.office.chief)
    office = desk.office

    # The specialist drafts from the outgoing page, keyboard and labelled fields.
    page = web.page
    web.sign_in("chuyenvienth")
    page.goto("/documents/outgoing/")
    page.get_by_role("link", name=tr("New draft")).click()
    expect(control(page, DraftForm, "abstract")).to_be_focused()
    page.keyboard.type("Về việc tổng kết công tác văn thư, lưu trữ năm 2026")
    control(page, DraftForm, "document_type").select_option(str(desk.type("party", "cong_van").pk))
    control(page, DraftForm, "content").fill("Văn phòng Tỉnh ủy đề nghị các đơn vị báo cáo kết quả năm 2026.")
    control(page, DraftForm, "drafting_unit").select_option(str(desk.unit.pk))
    control(page, DraftForm, "signer").select_option(str(office.chief.person_id))
    control(page, DraftForm, "signer_position").fill("Chánh Văn phòng")
    control(page, DraftForm, "external_codes").fill("000.00.01.H70\n000.00.00.H70")
    control(page, DraftForm, "paper_recipients").fill("Lưu: VT, PTH.")
    page.get_by_role("button", name=tr("Save the draft")).click()
    status_of(page, "draft")
    document_url = page.url
    document = Document.objects.get()

    def submit() -> None:
        form = page.locator("#action-submit")
        control(form, SubmitForm, "reviewer").select_option(str(desk.head.person_id))
        control(form, SubmitForm, "office_checker").select_option(str(office.deputy.person_id))
        act(page, "submit", "Submit")
        status_of(page, "in_review")

    submit()
    # The head sends it back once, with a comment the drafter then reads on the page.
    decide(web, "truongphong", document_url, send_back="Bổ sung số liệu hồ sơ điện tử.")
    page.goto(document_url)
    status_of(page, "draft")
    expect(page.locator("#approval-steps")).to_contain_text("Bổ sung số liệu hồ sơ điện tử.")
    submit()
    decide(web, "truongphong", document_url)
    decide(web, "phochanhvp", document_url)

    # The chief approves the text, sees the format check pass and signs with his certificate.
    chief = web.new_page()
    web.sign_in("chanhvp", page=chief)
    chief.goto(document_url)
    act(chief, "decide", "Record the decision")
    status_of(chief, "approved")
    expect(chief.locator("#format-ok")).to_be_visible()
    act(chief, "sign", "Sign")
    status_of(chief, "signed")
    expect(chief.get_by_role("heading", level=1)).to_have_text("01-CV/VPTU")

    # The văn thư issues it with the body's seal and dispatches it.
    clerk = web.new_page()
    web.sign_in("vanthu", page=clerk)
    clerk.goto(document_url)
    act(clerk, "issue", "Issue")
    status_of(clerk, "issued")
    act(clerk, "dispatch", "Dispatch")
    status_of(clerk, "dispatched")
    expect(clerk.locator("#recipients")).not_to_contain_text(re.compile(r"—\s*—"))

    # What left through the outbox parses, and the PDF inside carries two valid signatures.
    document.refresh_from_db()
    assert document.status == Status.DISPATCHED
    [written] = list(tmp_path.glob("*.edxml"))
    package = edxml.parse_package(written.read_bytes())
    assert package.header.code_number == "01" and package.header.code_notation == "CV/VPTU"
    assert {o.organ_id for o in package.header.to} == {"000.00.00.H70", "000.00.01.H70"}
    [attached] = package.attachments
    signed = document.files.filter(role=FileRole.SIGNED).order_by("-id").first()
    assert signed is not None and attached.data == files.read(signed.stored)
    roots = credentials.trust_roots()
    flipped = bytearray(attached.data)
    flipped[len(flipped) // 3] ^= 0x01
    # Validation runs its own event loop; Playwright's already runs in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        good = pool.submit(pdfsign.validate_pdf, attached.data, trust_roots=roots).result()
        bad = pool.submit(pdfsign.validate_pdf, bytes(flipped), trust_roots=roots).result()
    assert [r.status for r in good] == ["valid", "valid"]
    assert bad[0].status != "valid"
