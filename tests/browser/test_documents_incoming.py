"""The incoming documents' journeys as people make them (issue 3, "Done means").

The văn thư registers a scanned letter from the keyboard and imports an edXML package; the Chánh Văn
phòng directs a document from the "to direct" basket; the lead unit's head passes it to a specialist,
who notes progress and completes it with a reply; search finds it typed without accents, and finds
nothing for someone who may not see it; the document page says whether each PDF's signature holds.

Each journey starts from data made by the services (what earlier journeys already cover), so each
one clicks only its own part. Expected words come from the catalogue in the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.utils import timezone, translation
from playwright.sync_api import FilePayload, Locator, Page, expect

from vanphong.core import workcalendar
from vanphong.documents.filters import SearchFilter
from vanphong.documents.forms import CompleteForm, DirectForm, ForwardForm, IncomingForm, PresentForm, ProgressForm
from vanphong.documents.models import AssignmentRole, DirectionTemplate, Document, DocumentType, Status
from vanphong.documents.services import incoming, outgoing
from vanphong.documents.services.files import Upload
from vanphong.documents.tests import conftest as documents_conftest
from vanphong.documents.tests.conftest import Desk, register_sample
from vanphong.documents.tests.test_import_page import package
from vanphong.documents.tests.test_signature_display import scanned_pdf, signed_pdf, tampered, trust
from vanphong.documents.views.incoming import PackageForm

from .conftest import Web, control, tr

desk = documents_conftest.desk  # the documents desk fixture: registers, a unit, its head and specialist
PDF = "application/pdf"
T = TypeVar("T")
SCAN_LINES = (
    "UBND TỈNH SƠN HÀ - SỞ NỘI VỤ",
    "Số: 318/SNV-CCVC",
    "V/v cử cán bộ tham gia lớp bồi dưỡng kiến thức quản lý nhà nước",
    "Kính gửi: Văn phòng Tỉnh ủy Sơn Hà",
)


def off_the_loop(make: Callable[[], T]) -> T:
    """Run ``make`` in another thread: signing a PDF calls asyncio.run, which refuses to start inside
    the event loop Playwright's sync API keeps running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(make).result()


def pdf_file(name: str, data: bytes) -> FilePayload:
    return {"name": name, "mimeType": PDF, "buffer": data}


def documents_menu(web: Web, page: Page) -> None:
    page.get_by_role("navigation", name=tr("Main menu")).get_by_role("link", name=tr("Documents"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Documents waiting for me"))


def settled(page: Page) -> None:
    """Wait for the page's load event: its deferred script (the keyboard and quick-pick conveniences)
    runs before the person uses them, and no request of it is cut off by the next navigation."""
    page.wait_for_load_state("load")


def step(page: Page, title: str) -> Locator:
    """Open the step ``title`` (a <details> on the document page) and return it."""
    settled(page)
    details = page.locator("details.doc-step").filter(has=page.locator("summary", has_text=title))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def status_of(page: Page) -> Locator:
    return page.locator("#document-status")


def person_label(account: Any) -> str:
    person = account.person
    return f"{person.full_name} ({person.organization})" if person.organization_id else person.full_name


@pytest.fixture
def trusted_roots(settings: Any, tmp_path: Path) -> Path:
    """The office's trusted roots hold the test Government CA; the live server reads the same settings."""
    settings.TRUSTED_ROOTS_DIR = trust(tmp_path / "trusted-roots")
    return settings.TRUSTED_ROOTS_DIR


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Text recognition of a scan is queued, as in production, instead of run inside the request (the
    test settings run tasks at once); ``documents/tests`` cover the recognition itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def registered(desk: Desk, **overrides: Any) -> Document:
    return incoming.register_incoming(desk.actor(desk.office.clerk), register_sample(desk, **overrides))


def presented(desk: Desk, **overrides: Any) -> Document:
    document = registered(desk, **overrides)
    incoming.present(desk.actor(desk.office.clerk), document, leader=desk.office.chief.person)  # type: ignore[arg-type]
    return document


# --- a. the văn thư registers a scanned letter ---------------------------------------------------------------


@pytest.mark.browser
def test_clerk_registers_a_scanned_letter_and_presents_it(web: Web, desk: Desk, queued_tasks: None) -> None:
    page = web.page
    web.sign_in("vanthu")
    documents_menu(web, page)
    page.get_by_role("link", name=tr("Register in “%(name)s”") % {"name": desk.incoming.name}).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Register an incoming document"))

    # The sender from the autocomplete: typed without accents, picked with ↓ and Enter.
    settled(page)
    sender = control(page, IncomingForm, "sender_name")
    expect(sender).to_be_focused()
    sender.press_sequentially("so noi")
    option = page.get_by_role("option", name=re.compile("^Sở Nội vụ"))
    expect(option).to_be_visible()
    sender.press("ArrowDown")
    sender.press("Enter")
    expect(sender).to_have_value("Sở Nội vụ")
    expect(page.locator('input[name="sender"]')).to_have_value(str(desk.office.home_affairs.pk))

    control(page, IncomingForm, "number_symbol").fill("318/SNV-CCVC")
    control(page, IncomingForm, "document_date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    cong_van = DocumentType.objects.get(system=desk.incoming.system, key="cong_van")
    control(page, IncomingForm, "document_type").select_option(label=cong_van.name)
    control(page, IncomingForm, "signer_name").fill("Trần Minh Đức")
    control(page, IncomingForm, "pages").fill("1")
    control(page, IncomingForm, "files").set_input_files(pdf_file("cv-318-snv.pdf", scanned_pdf(*SCAN_LINES)))
    abstract = control(page, IncomingForm, "abstract")
    abstract.fill("V/v cử cán bộ tham gia lớp bồi dưỡng kiến thức quản lý nhà nước năm 2026")
    abstract.press("Enter")  # Enter saves from any field

    saved = page.locator("#registered")
    expect(saved).to_be_visible()
    document = Document.objects.get(number_symbol="318/SNV-CCVC")
    expect(saved.locator("strong")).to_have_text(str(document.arrival_number))
    assert document.sender == desk.office.home_affairs and document.files.filter(name="cv-318-snv.pdf").exists()
    expect(control(page, IncomingForm, "sender_name")).to_be_focused()  # ready for the next letter
    expect(control(page, IncomingForm, "sender_name")).to_have_value("")

    # To the document, and presented to the Chánh Văn phòng.
    settled(page)
    saved.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr("Incoming document no. %(number)s/%(year)s")
        % {"number": document.arrival_number, "year": document.arrival_year}
    )
    expect(page.get_by_role("link", name="cv-318-snv.pdf")).to_be_visible()
    # A scan carries no digital signature, and the page says so.
    scan = page.locator(".doc-files > li").filter(has=page.get_by_role("link", name="cv-318-snv.pdf"))
    expect(scan.locator("[data-signature]")).to_have_attribute("data-signature", "none")
    present = step(page, tr("Present to a leader (trình)"))
    control(present, PresentForm, "leader").select_option(label=person_label(desk.office.chief))
    with translation.override("vi"):  # "Present" alone is also the attendance column ("Có mặt")
        submit = translation.pgettext("submit: present a document to a leader", "Present")
    present.get_by_role("button", name=submit, exact=True).click()
    expect(status_of(page)).to_have_attribute("data-status", Status.PRESENTED)
    expect(page.get_by_role("status")).to_contain_text(desk.office.chief.person.full_name)  # type: ignore[union-attr]
    expect(page.locator("#timeline > li[data-kind=presented]")).to_have_count(1)
    settled(page)


# --- b. the văn thư imports an edXML package ----------------------------------------------------------------


@pytest.mark.browser
def test_clerk_imports_an_edxml_package(web: Web, desk: Desk, trusted_roots: Path) -> None:
    page = web.page
    web.sign_in("vanthu")
    documents_menu(web, page)
    page.get_by_role("link", name=tr("Register in “%(name)s”") % {"name": desk.incoming.name}).click()
    import_form = page.locator("form").filter(has=page.get_by_role("button", name=tr("Import the package")))
    settled(page)

    # A broken package first: a clear message, nothing stored.
    control(import_form, PackageForm, "package").set_input_files(
        {"name": "goi-tin-hong.edxml", "mimeType": "application/xml", "buffer": b"<edXML><broken>"}
    )
    import_form.get_by_role("button", name=tr("Import the package")).click()
    expect(page.locator(".doc-import .field--error")).to_contain_text(
        tr("The file is not an XML package ({detail}).").split("(")[0].strip()
    )
    assert not Document.objects.exists()

    import_form = page.locator("form").filter(has=page.get_by_role("button", name=tr("Import the package")))
    settled(page)
    control(import_form, PackageForm, "package").set_input_files(
        {"name": "1234-UBND-VX.edxml", "mimeType": "application/xml", "buffer": off_the_loop(package)}
    )
    import_form.get_by_role("button", name=tr("Import the package")).click()
    expect(page.locator("#document-status")).to_be_visible()  # on the new document's page
    document = Document.objects.get()
    expect(page.get_by_role("status")).to_contain_text(
        tr("The package has been registered as arrival number {number}/{year}.").format(
            number=document.arrival_number, year=document.arrival_year
        )
    )
    expect(page.locator("#timeline > li[data-kind=received]")).to_have_count(1)
    # The PDF inside, signed by the People's Committee under the trusted root.
    signed = page.locator(".doc-files > li").filter(has=page.get_by_role("link", name="1234-UBND-VX.pdf"))
    expect(signed.locator("[data-signature]")).to_have_attribute("data-signature", "valid")
    expect(signed).to_contain_text("Ủy ban nhân dân tỉnh Sơn Hà")
    settled(page)


# --- c. the Chánh Văn phòng directs -------------------------------------------------------------------------


@pytest.mark.browser
def test_leader_directs_from_the_basket_with_a_saved_direction(web: Web, desk: Desk) -> None:
    document = presented(desk)
    DirectionTemplate.objects.create(
        person=desk.office.chief.person,  # type: ignore[misc]
        title="Giao Phòng Tổng hợp",
        text="Giao Phòng Tổng hợp chủ trì, tham mưu văn bản trả lời.",
        lead_unit=desk.unit,
        deadline_days=5,
    )
    page = web.page
    web.sign_in("chanhvp")
    documents_menu(web, page)
    basket = page.locator("section#to_direct")
    expect(basket.locator("[data-count]")).to_have_text("1")
    basket.locator(".panel__footer").get_by_role("link").click()  # the whole basket
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("To direct (cho ý kiến chỉ đạo)"))
    page.get_by_role("row").filter(has_text="1234/UBND-VX").get_by_role("link").click()

    direct = step(page, tr("Direct (chỉ đạo)"))
    page.get_by_role("group", name=tr("Saved directions")).get_by_role("button", name="Giao Phòng Tổng hợp").click()
    expect(control(direct, DirectForm, "text")).to_have_value("Giao Phòng Tổng hợp chủ trì, tham mưu văn bản trả lời.")
    expect(control(direct, DirectForm, "lead_unit")).to_have_value(str(desk.unit.pk))
    expect(control(direct, DirectForm, "deadline_days")).to_have_value("5")
    coordinating = control(direct, DirectForm, "coordinating_units")
    coordinating.select_option(value=[str(desk.other_unit.pk)])
    control(direct, DirectForm, "deadline_unit").select_option(value="working")
    direct.get_by_role("button", name=tr("Save the direction"), exact=True).click()

    expect(status_of(page)).to_have_attribute("data-status", Status.IN_PROGRESS)
    due = workcalendar.deadline(timezone.localdate(), 5, "working")
    assert due > timezone.localdate()
    facts = page.locator("dl.kv")
    expect(facts.locator("div").filter(has_text=tr("Handling deadline"))).to_contain_text(due.strftime("%d/%m/%Y"))
    lead_row = page.locator("tr").filter(has_text="Phòng Tổng hợp").filter(has_text=due.strftime("%d/%m/%Y"))
    expect(lead_row).to_have_count(1)
    expect(page.locator("tr").filter(has_text=desk.other_unit.full_name)).to_have_count(1)
    directed = page.locator("#timeline > li[data-kind=directed]")
    expect(directed).to_contain_text(due.strftime("%d/%m/%Y"))
    settled(page)
    document.refresh_from_db()
    assert document.handling_deadline == due


# --- d. the lead unit: its head passes it on, its specialist completes it with a reply ------------------------


@pytest.mark.browser
def test_lead_unit_passes_it_on_and_the_specialist_completes_it_with_a_reply(web: Web, desk: Desk) -> None:
    document = presented(desk)
    chief = desk.actor(desk.office.chief)
    incoming.direct(
        chief,
        document,
        incoming.DirectionData(text="Phòng Tổng hợp tham mưu trả lời.", lead_unit=desk.unit, deadline_days=5),
    )
    part = document.assignments.get(role=AssignmentRole.LEAD)
    # The reply the specialist drafts (the outgoing pages have their own journeys); made before any
    # browser runs, so that this thread never writes while the live server does (SQLite locks tables).
    reply = outgoing.create_draft(
        desk.actor(desk.handler),
        outgoing.DraftData(
            register=desk.outgoing,
            document_type=desk.type("party", "cong_van"),
            abstract="V/v báo cáo kết quả triển khai Nghị quyết số 57-NQ/TW",
            content="Văn phòng Tỉnh ủy báo cáo kết quả triển khai như sau...",
            signer=desk.office.chief.person,  # type: ignore[arg-type]
            signer_position="Chánh Văn phòng",
            drafting_unit=desk.unit,
            reply_to=document,
        ),
    )

    head = web.page
    web.sign_in("truongphong", page=head)
    documents_menu(web, head)
    head.locator("section#to_assign").get_by_role("link").filter(has_text="Nghị quyết số 57").click()
    forward = step(head, tr("Pass to a specialist"))
    control(forward, ForwardForm, "handler").select_option(label=person_label(desk.handler))
    forward.get_by_role("button", name=tr("Pass on"), exact=True).click()
    expect(head.locator(f"#part-{part.pk}")).to_contain_text(desk.handler.person.full_name)  # type: ignore[union-attr]
    settled(head)

    # The specialist, in her own browser: a progress note, then the reply she drafted, then done.
    page = web.new_page()
    web.sign_in("chuyenvienth", page=page)
    documents_menu(web, page)
    page.locator("section#to_handle").get_by_role("link").filter(has_text="Nghị quyết số 57").click()
    note = step(page, tr("Progress note"))
    control(note, ProgressForm, "note").fill("Đã dự thảo công văn báo cáo, trình lãnh đạo phòng cho ý kiến.")
    note.get_by_role("button", name=tr("Add the note"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(tr("The note has been added."))
    expect(page.locator("#timeline")).to_contain_text("Đã dự thảo công văn báo cáo")

    complete = step(page, tr("Complete"))
    control(complete, CompleteForm, "result").fill("Đã trả lời bằng công văn của Văn phòng Tỉnh ủy.")
    control(complete, CompleteForm, "reply").fill(str(reply.pk))
    complete.get_by_role("button", name=tr("Mark as completed"), exact=True).click()

    expect(status_of(page)).to_have_attribute("data-status", Status.COMPLETED)
    completed = page.locator("#timeline > li[data-kind=completed]")
    expect(completed.get_by_role("link", name=tr("The reply"))).to_have_attribute("href", f"/documents/{reply.pk}/")
    settled(page)
    document.refresh_from_db()
    assert document.status == Status.COMPLETED and document.result.startswith("Đã trả lời")


# --- e. search without accents ---------------------------------------------------------------------------------


def search_for(page: Page, words: str) -> Locator:
    box = control(page, SearchFilter, "q")
    box.fill(words)
    box.press("Enter")
    # The results swapped in are this query's once the address carries it (htmx pushes it after the swap).
    query = r"(\+|%20)".join(re.escape(word) for word in words.split())
    expect(page).to_have_url(re.compile(rf"[?&]q={query}(&|$)"))
    total = page.locator("#search-total")
    expect(total).to_be_visible()
    return total


@pytest.mark.browser
def test_search_finds_it_without_accents_and_not_for_someone_who_may_not_see_it(web: Web, desk: Desk) -> None:
    document = registered(
        desk,
        sender=None,
        sender_name="Đảng ủy các cơ quan Đảng tỉnh",
        number_symbol="45-CV/ĐU",
        abstract="V/v triển khai học tập, quán triệt Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVI",
    )
    page = web.page
    web.sign_in("vanthu")
    documents_menu(web, page)
    page.get_by_role("navigation", name=tr("Documents")).get_by_role("link", name=tr("Search"), exact=True).click()
    for words in ("nghi quyet", "dang uy"):
        total = search_for(page, words)
        expect(total).to_have_attribute("data-total", "1")
        hit = page.locator(".doc-hit")
        expect(hit).to_have_count(1)
        expect(hit.get_by_role("link")).to_have_attribute("href", f"/documents/{document.pk}/")

    # Sở Nội vụ's specialist may not see the Party office's document: nothing, and the count says so.
    other = web.new_page()
    web.sign_in("chuyenvien", page=other)
    documents_menu(web, other)
    other.get_by_role("navigation", name=tr("Documents")).get_by_role("link", name=tr("Search"), exact=True).click()
    total = search_for(other, "nghi quyet")
    expect(total).to_have_attribute("data-total", "0")
    with translation.override("vi"):
        none_found = translation.ngettext("%(counter)s document found", "%(counter)s documents found", 0)
    expect(total).to_contain_text(none_found % {"counter": 0})
    expect(other.locator(".doc-hit")).to_have_count(0)


# --- f. the signatures on received PDFs -------------------------------------------------------------------------


@pytest.mark.browser
def test_document_page_says_which_signatures_hold(web: Web, desk: Desk, trusted_roots: Path) -> None:
    trusted, unknown = off_the_loop(signed_pdf), off_the_loop(lambda: signed_pdf("unknown"))
    document = registered(
        desk,
        files=[
            Upload("cv-1234-ky-so.pdf", trusted),
            Upload("cv-1234-ban-sua.pdf", tampered(trusted)),
            Upload("cv-1234-ca-la.pdf", unknown),
        ],
    )
    page = web.page
    web.sign_in("vanthu")
    documents_menu(web, page)
    page.locator("section#to_present").get_by_role("link").filter(has_text="Nghị quyết số 57").click()
    expect(page).to_have_url(re.compile(rf"/documents/{document.pk}/$"))
    expected = {
        "cv-1234-ky-so.pdf": ("valid", "Signature valid"),
        "cv-1234-ban-sua.pdf": ("tampered", "Changed after signing (tampered)"),
        "cv-1234-ca-la.pdf": ("untrusted", "Signer's certificate not trusted (untrusted)"),
    }
    for name, (status, label) in expected.items():
        item = page.locator(".doc-files > li").filter(has=page.get_by_role("link", name=name, exact=True))
        verdict = item.locator("[data-signature]")
        expect(verdict).to_have_attribute("data-signature", status)
        expect(verdict.locator(".badge")).to_have_text(tr(label))
        expect(item).to_contain_text("Ủy ban nhân dân tỉnh Sơn Hà")  # who signed, whatever the verdict
