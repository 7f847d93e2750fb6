"""The documents pages: who may open what, the clerk's registration form, the steps of the incoming
flow as a person clicks them, downloads, the register list's cost, baskets and search.

Expected answers (STYLE.md, Tests): anonymous → the login page with ``next``; allowed → 200, or 302
after a successful POST; may see the document but not take the step → 403; may not see it → 404;
a method the view does not take → 405.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from vanphong.core.models import Account, AuditEntry
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    DirectionTemplate,
    Document,
    DocumentFile,
    DocumentType,
    EventKind,
    FileRole,
    Secrecy,
    Status,
    StoredFile,
)
from vanphong.documents.services import incoming, outgoing
from vanphong.documents.services.files import Upload
from vanphong.documents.tests.conftest import SAMPLE_PDF_LINES, Desk, register_sample, vietnamese_pdf
from vanphong.registry import registry

pytestmark = pytest.mark.django_db

LOGIN = -302  # a redirect to the login page that brings the person back
HTMX = {"HTTP_HX_REQUEST": "true"}
REGISTER_LIST_QUERIES = 16  # whatever the number of documents on the page (one is the unread-notices count)


@dataclass
class World:
    """The Party office's desk, with a document at each stage the pages act on."""

    desk: Desk
    fresh: Document  # registered with a PDF scan, waiting to be presented
    scan: DocumentFile  # the scan of ``fresh``
    handled: Document  # directed to Phòng Tổng hợp (chủ trì) and passed to its specialist
    lead: Assignment  # Phòng Tổng hợp's part in ``handled``

    def account(self, persona: str) -> Account | None:
        office = self.desk.office
        people = {
            "clerk": office.clerk,  # văn thư of the Party office
            "chief": office.chief,  # Chánh Văn phòng: leader, directs
            "deputy": office.deputy,  # Phó Chánh Văn phòng
            "head": self.desk.head,  # Trưởng phòng Tổng hợp: passes parts to specialists
            "handler": self.desk.handler,  # chuyên viên Phòng Tổng hợp, handles ``handled``
            "other_head": self.desk.other_head,  # head of another unit, no part in anything
            "uncleared": office.uncleared,  # works in Phòng Tổng hợp, no clearance, no role
            "specialist": office.specialist,  # another body altogether (Sở Nội vụ)
            "admin": office.root_admin,  # the installation administrator: no documents by that title
        }
        return people.get(persona)


def _build(desk: Desk) -> World:
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    fresh = incoming.register_incoming(
        clerk, register_sample(desk, files=[Upload("cv-1234-ubnd.pdf", vietnamese_pdf(*SAMPLE_PDF_LINES))])
    )
    handled = incoming.register_incoming(
        clerk,
        register_sample(
            desk,
            sender=desk.office.home_affairs,
            number_symbol="215/SNV-TCBC",
            abstract="V/v rà soát, sắp xếp tổ chức bộ máy các cơ quan tham mưu, giúp việc Tỉnh ủy",
        ),
    )
    incoming.present(clerk, handled, leader=desk.office.chief.person)  # type: ignore[arg-type]
    direction = incoming.DirectionData(
        text="Giao Phòng Tổng hợp chủ trì, tham mưu.", lead_unit=desk.unit, deadline_days=5
    )
    incoming.direct(chief, handled, direction)
    lead = handled.assignments.get(role=AssignmentRole.LEAD)
    incoming.forward(desk.actor(desk.head), lead, handler=desk.handler.person)  # type: ignore[arg-type]
    return World(desk, fresh, fresh.files.get(role=FileRole.SCAN), handled, lead)


@pytest.fixture
def world(desk: Desk) -> World:
    return _build(desk)


def english(client: Client) -> Client:
    """Pages speak the installation's language (Vietnamese); these assertions read English."""
    client.cookies["vanphong_language"] = "en"
    return client


def registration(desk: Desk, **overrides: Any) -> dict[str, Any]:
    """What the văn thư types from a letter of Sở Nội vụ."""
    form = {
        "sender": desk.office.home_affairs.pk,
        "sender_name": "Sở Nội vụ",
        "number_symbol": "318/SNV-CCVC",
        "document_date": "18/11/2026",
        "document_type": DocumentType.objects.filter(system=desk.incoming.system).values_list("pk", flat=True)[0],
        "abstract": "V/v cử cán bộ tham gia lớp bồi dưỡng kiến thức quản lý nhà nước năm 2026",
        "signer_name": "Trần Minh Đức",
        "urgency": "0",
        "secrecy": "0",
        "pages": "2",
        "copies": "1",
        "handling_deadline": "",
    }
    form.update(overrides)
    return form


# --- the permission matrix ----------------------------------------------------------------------------------

UrlFor = Callable[[World], str]
DataFor = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    name: str
    url: UrlFor
    persona: str
    method: str
    expected: int
    data: DataFor | None = None

    def label(self) -> str:
        return f"{self.name}-{self.persona}-{self.method}-{self.expected}"


def u(name: str, *args: Callable[[World], Any] | str) -> UrlFor:
    return lambda w: reverse(f"documents:{name}", args=[a(w) if callable(a) else a for a in args])


def rows(
    name: str, url: UrlFor, expectations: dict[str, int], method: str = "GET", data: DataFor | None = None
) -> list[Case]:
    return [Case(name, url, persona, method, status, data) for persona, status in expectations.items()]


def fresh(w: World) -> int:
    return w.fresh.pk


def handled(w: World) -> int:
    return w.handled.pk


def register(w: World) -> int:
    return w.desk.incoming.pk


def outgoing_register(w: World) -> int:
    return w.desk.outgoing.pk


def lead(w: World) -> int:
    return w.lead.pk


def scan(w: World) -> int:
    return w.scan.pk


PRESENT: DataFor = lambda w: {"leader": w.desk.office.chief.person_id}  # noqa: E731
DIRECT: DataFor = lambda w: {"text": "Phòng Tổng hợp nghiên cứu, tham mưu.", "lead_unit": w.desk.unit.pk,  # noqa: E731
                             "deadline_days": "5", "deadline_unit": "working"}  # fmt: skip
FORWARD: DataFor = lambda w: {"handler": w.desk.handler.person_id}  # noqa: E731
NOTE: DataFor = lambda w: {"note": "Đã dự thảo báo cáo, trình lãnh đạo phòng."}  # noqa: E731
OPINION: DataFor = lambda w: {"unit": w.desk.other_unit.pk, "question": "Đề nghị cho ý kiến về nhân sự."}  # noqa: E731
RESULT: DataFor = lambda w: {"result": "Đã báo cáo bằng Báo cáo số 12-BC/VPTU."}  # noqa: E731
REASON: DataFor = lambda w: {"reason": "Gửi nhầm cơ quan, không thuộc thẩm quyền."}  # noqa: E731
REGISTRATION: DataFor = lambda w: registration(w.desk)  # noqa: E731

CASES: list[Case] = [
    *rows("overview", u("overview"), {"anonymous": LOGIN, "clerk": 200, "handler": 200, "specialist": 200}),
    *rows("overview", u("overview"), {"clerk": 405}, method="POST"),
    *rows("basket", u("basket", "to_present"), {"anonymous": LOGIN, "clerk": 200, "specialist": 200}),
    *rows("basket", u("basket", "to_handle"), {"handler": 200}),
    *rows("basket", u("basket", "anything"), {"clerk": 404}),
    *rows("basket", u("basket", "to_present"), {"clerk": 405}, method="POST"),
    *rows("register_list", u("register_list"), {"anonymous": LOGIN, "clerk": 200, "chief": 200, "specialist": 200}),
    *rows("register_list", u("register_list"), {"clerk": 405}, method="POST"),
    *rows(
        "register",
        u("register", register),
        {"anonymous": LOGIN, "clerk": 200, "chief": 200, "deputy": 200, "head": 404, "specialist": 404, "admin": 404},
    ),
    *rows("register", u("register", outgoing_register), {"clerk": 404}),
    *rows("register", u("register", register), {"clerk": 405}, method="POST"),
    *rows(
        "register_new",
        u("register_new", register),
        {"anonymous": LOGIN, "clerk": 200, "chief": 403, "handler": 404, "specialist": 404},
    ),
    *rows(
        "register_new",
        u("register_new", register),
        {"clerk": 302, "chief": 403, "specialist": 404},
        method="POST",
        data=REGISTRATION,
    ),
    *rows("register_new", u("register_new", register), {"clerk": 400}, method="POST"),  # nothing typed
    *rows("register_new", u("register_new", register), {"clerk": 405}, method="PUT"),
    *rows("sender_search", u("sender_search"), {"anonymous": LOGIN, "clerk": 200, "specialist": 200}),
    *rows("sender_search", u("sender_search"), {"clerk": 405}, method="POST"),
    *rows(
        "document",
        u("document", fresh),
        {
            "anonymous": LOGIN,
            "clerk": 200,
            "chief": 200,
            "deputy": 200,
            "head": 404,
            "uncleared": 404,
            "specialist": 404,
            "admin": 404,
        },
    ),
    *rows(
        "document",
        u("document", handled),
        {"head": 200, "handler": 200, "uncleared": 200, "other_head": 404, "specialist": 404},
    ),
    *rows("document", u("document", fresh), {"clerk": 405}, method="POST"),
    *rows(
        "file",
        u("file", fresh, scan),
        {"anonymous": LOGIN, "clerk": 200, "chief": 200, "uncleared": 404, "specialist": 404},
    ),
    *rows("file", lambda w: reverse("documents:file", args=[w.handled.pk, w.scan.pk]), {"handler": 404}),
    *rows("file", u("file", fresh, scan), {"clerk": 405}, method="POST"),
    *rows(
        "present",
        u("present", fresh),
        {"anonymous": LOGIN, "clerk": 302, "chief": 403, "specialist": 404, "admin": 404},
        method="POST",
        data=PRESENT,
    ),
    *rows("present", u("present", fresh), {"clerk": 400}, method="POST"),  # no leader chosen
    *rows("present", u("present", fresh), {"clerk": 405}),
    *rows(
        "direct",
        u("direct", fresh),
        {"anonymous": LOGIN, "chief": 302, "deputy": 302, "clerk": 403, "specialist": 404},
        method="POST",
        data=DIRECT,
    ),
    *rows("direct", u("direct", fresh), {"chief": 400}, method="POST"),  # no text, no lead unit
    *rows("direct", u("direct", fresh), {"chief": 405}),
    *rows(
        "forward",
        u("forward", lead),
        {"anonymous": LOGIN, "head": 302, "chief": 302, "handler": 403, "clerk": 403, "specialist": 404},
        method="POST",
        data=FORWARD,
    ),
    *rows("forward", u("forward", lead), {"head": 405}),
    *rows(
        "progress",
        u("progress", lead),
        {"anonymous": LOGIN, "handler": 302, "head": 302, "clerk": 403, "uncleared": 403, "specialist": 404},
        method="POST",
        data=NOTE,
    ),
    *rows("progress", u("progress", lead), {"handler": 400}, method="POST"),  # an empty note
    *rows("progress", u("progress", lead), {"handler": 405}),
    *rows(
        "request_opinion",
        u("request_opinion", lead),
        {"anonymous": LOGIN, "handler": 302, "clerk": 403, "specialist": 404},
        method="POST",
        data=OPINION,
    ),
    *rows("request_opinion", u("request_opinion", lead), {"handler": 405}),
    *rows(
        "complete",
        u("complete", handled),
        {"anonymous": LOGIN, "handler": 302, "chief": 302, "clerk": 403, "uncleared": 403, "specialist": 404},
        method="POST",
        data=RESULT,
    ),
    *rows("complete", u("complete", fresh), {"chief": 400}, method="POST", data=RESULT),  # not directed yet
    *rows("complete", u("complete", handled), {"handler": 405}),
    *rows(
        "return",
        u("return", fresh),
        {"anonymous": LOGIN, "clerk": 302, "chief": 403, "specialist": 404},
        method="POST",
        data=REASON,
    ),
    *rows("return", u("return", handled), {"clerk": 400}, method="POST", data=REASON),  # already being handled
    *rows("return", u("return", fresh), {"clerk": 405}),
    *rows("search", u("search"), {"anonymous": LOGIN, "clerk": 200, "specialist": 200}),
    *rows("search", u("search"), {"clerk": 405}, method="POST"),
]


def matrix_failures(cases: list[Case], world: Any, client: Client) -> list[str]:
    """Run rows against one world, each in a savepoint rolled back, so no act leaks into the next.
    ``world`` is anything with ``account(persona)`` that the rows' ``url``/``data`` functions read;
    the other documents page matrices (outgoing, archive files, exports) run theirs through it."""
    failures = []
    for case in cases:
        with transaction.atomic():
            client.logout()
            account = world.account(case.persona)
            if account is not None:
                client.force_login(account)
            url = case.url(world)
            body = urlencode(case.data(world) if case.data else {}, doseq=True)
            response = client.generic(case.method, url, data=body, content_type="application/x-www-form-urlencoded")
            if case.expected == LOGIN:
                location = urlsplit(response.get("Location", ""))
                ok = response.status_code == 302 and location.path == reverse("core:login")
                ok = ok and parse_qs(location.query).get("next") == [url]
            else:
                ok = response.status_code == case.expected
            if not ok:
                failures.append(f"{case.label()}: got {response.status_code}")
            transaction.set_rollback(True)
    return failures


def test_permission_matrix(world: World, client: Client) -> None:
    assert matrix_failures(CASES, world, client) == []


def all_matrix_cases() -> list[Any]:
    """The rows of every documents test module that keeps a matrix (a module-level ``CASES``).

    Pages that need their own world (drafts, archive files, register exports) keep their rows beside
    their tests, built with ``rows``/``u`` from here; the coverage check below reads them all.
    """
    import importlib
    import pkgutil

    import vanphong.documents.tests as package

    every: list[Any] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("test_"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            every.extend(getattr(module, "CASES", []))
    return every


def test_every_page_has_rows_for_anonymous_allowed_and_wrong_method() -> None:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "documents":
            names = {p.name for p in pattern.url_patterns if getattr(p, "name", None)}
    assert len(names) >= 16, "the documents URLs are not included"
    every = all_matrix_cases()
    covered = {case.name for case in every}
    assert names - covered == set(), "pages without a row in the permission matrix"
    assert covered - names == set(), "rows for pages that no longer exist"
    for name in names:
        cases = [case for case in every if case.name == name]
        assert any(c.persona == "anonymous" for c in cases), f"{name}: no row for an anonymous visitor"
        assert any(c.expected in (200, 302) and c.persona != "anonymous" for c in cases), f"{name}: no allowed row"
        assert any(c.expected == 405 for c in cases), f"{name}: no wrong-method row"


# --- the incoming flow, clicked through -------------------------------------------------------------------


def kinds_on_the_page(response: Any) -> list[str]:
    html = response.content.decode()
    timeline = html[html.index('id="timeline"') :]
    return [part.split('"', 1)[0] for part in timeline.split('data-kind="')[1:]]


def test_register_present_direct_forward_progress_complete(desk: Desk, client: Client) -> None:
    office = desk.office
    english(client).force_login(office.clerk)
    new_url = reverse("documents:register_new", args=[desk.incoming.pk])
    page = client.get(new_url)
    assert 'name="sender_name"' in page.content.decode() and "autofocus" in page.content.decode()
    saved = client.post(new_url, registration(desk))
    assert saved.status_code == 302
    document = Document.objects.get()
    assert document.arrival_number == 1 and document.sender == office.home_affairs
    assert document.document_date == datetime.date(2026, 11, 18)
    again = client.get(saved["Location"])  # the form again, saying which number the last one got
    text = again.content.decode()
    assert 'id="registered"' in text and "<strong>1</strong>" in text and "arrival number" in text
    doc_url = reverse("documents:document", args=[document.pk])

    assert (
        client.post(reverse("documents:present", args=[document.pk]), {"leader": office.chief.person_id}).status_code
        == 302
    )
    assert kinds_on_the_page(client.get(doc_url)) == [EventKind.REGISTERED, EventKind.PRESENTED]

    client.force_login(office.chief)
    page = client.get(doc_url).content.decode()
    assert 'id="action-direct"' in page and 'id="action-present"' not in page
    direction = {
        "text": "Giao Phòng Tổng hợp chủ trì, tham mưu trả lời.",
        "lead_unit": desk.unit.pk,
        "coordinating_units": [desk.other_unit.pk],
        "deadline_days": "5",
        "deadline_unit": "working",
    }
    assert client.post(reverse("documents:direct", args=[document.pk]), direction).status_code == 302
    lead = Assignment.objects.get(document=document, role=AssignmentRole.LEAD)

    client.force_login(desk.head)
    page = client.get(doc_url).content.decode()
    assert f'id="action-forward-{lead.pk}"' in page
    assert (
        client.post(reverse("documents:forward", args=[lead.pk]), {"handler": desk.handler.person_id}).status_code
        == 302
    )

    client.force_login(desk.handler)
    note = "Đã dự thảo công văn trả lời, trình lãnh đạo phòng."
    assert client.post(reverse("documents:progress", args=[lead.pk]), {"note": note}).status_code == 302
    result = "Đã trả lời bằng Công văn số 45-CV/VPTU."
    assert client.post(reverse("documents:complete", args=[document.pk]), {"result": result}).status_code == 302

    page = client.get(doc_url)
    assert kinds_on_the_page(page) == [
        EventKind.REGISTERED, EventKind.PRESENTED, EventKind.DIRECTED, EventKind.FORWARDED, EventKind.PROGRESS,
        EventKind.COMPLETED,
    ]  # fmt: skip
    text = page.content.decode()
    for words in ("Passed to a specialist", "Đỗ Văn Hùng", note, result, "Phòng Hành chính - Tổ chức", "Trần Văn Bình"):
        assert words in text
    assert 'data-status="completed"' in text and "What you can do" not in text  # nothing left to do


def test_a_step_refused_by_the_service_is_shown_on_its_form(world: World, client: Client) -> None:
    english(client).force_login(world.desk.office.clerk)
    incoming.return_document(world.desk.actor(world.desk.office.clerk), world.fresh, reason="Gửi nhầm")
    late = client.post(
        reverse("documents:present", args=[world.fresh.pk]), {"leader": world.desk.office.chief.person_id}
    )
    assert late.status_code == 400 and "someone acted on it first" in late.content.decode()
    empty = client.post(reverse("documents:progress", args=[world.lead.pk]), {"note": " "}, **HTMX)
    assert empty.status_code == 403  # the clerk keeps the register but has no part to handle
    client.force_login(world.desk.handler)
    empty = client.post(reverse("documents:progress", args=[world.lead.pk]), {"note": " "}, **HTMX)
    text = empty.content.decode()
    assert empty.status_code == 200 and text.lstrip().startswith(
        f'<form class="form doc-action" id="action-progress-{world.lead.pk}"'
    )
    assert "Write the note." in text and "<html" not in text
    done = client.post(reverse("documents:progress", args=[world.lead.pk]), {"note": "Đang tổng hợp."}, **HTMX)
    assert done.status_code == 200 and done["HX-Redirect"] == reverse("documents:document", args=[world.handled.pk])


def test_a_saved_direction_fills_what_the_leader_left_empty(world: World, client: Client) -> None:
    chief = world.desk.office.chief
    template = DirectionTemplate.objects.create(
        person=chief.person, title="Giao Tổng hợp", text="Giao Phòng Tổng hợp nghiên cứu, tham mưu.",
        lead_unit=world.desk.unit, deadline_days=3,
    )  # fmt: skip
    client.force_login(chief)
    page = client.get(reverse("documents:document", args=[world.fresh.pk])).content.decode()
    assert f'data-template="{template.pk}"' in page
    assert client.post(reverse("documents:direct", args=[world.fresh.pk]), {"template": template.pk}).status_code == 302
    world.fresh.refresh_from_db()
    assert world.fresh.direction_text == template.text and world.fresh.status == Status.IN_PROGRESS
    assert world.fresh.assignments.get(role=AssignmentRole.LEAD).unit == world.desk.unit
    assert world.fresh.handling_deadline is not None and world.fresh.handling_deadline > timezone.localdate()


# --- registration: duplicates and refused files -----------------------------------------------------------


def test_a_duplicate_is_shown_and_stored_only_when_confirmed(world: World, client: Client) -> None:
    desk = world.desk
    english(client).force_login(desk.office.clerk)
    url = reverse("documents:register_new", args=[desk.incoming.pk])
    twin = registration(desk, sender=desk.office.peoples_committee.pk, sender_name="", number_symbol="1234/UBND-VX",
                        document_date="20/11/2026")  # fmt: skip
    before = Document.objects.count()
    warned = client.post(url, twin)
    text = warned.content.decode()
    assert warned.status_code == 200 and 'id="duplicates"' in text
    assert f'href="{reverse("documents:document", args=[world.fresh.pk])}"' in text
    assert 'name="register_anyway"' in text and Document.objects.count() == before
    confirmed = client.post(url, {**twin, "register_anyway": "on"})
    assert confirmed.status_code == 302 and Document.objects.count() == before + 1


def test_a_program_named_pdf_is_refused_and_nothing_is_stored(desk: Desk, client: Client) -> None:
    english(client).force_login(desk.office.clerk)
    url = reverse("documents:register_new", args=[desk.incoming.pk])
    program = SimpleUploadedFile("cong-van-318.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 64, content_type="application/pdf")
    refused = client.post(url, {**registration(desk), "files": [program]})
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "cong-van-318.pdf" in text and "This kind of file is not accepted" in text
    assert "Choose the files again" in text
    assert Document.objects.count() == 0 and StoredFile.objects.count() == 0


def test_scans_and_images_are_stored_and_downloaded_safely(desk: Desk, client: Client) -> None:
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, format="PNG")
    client.force_login(desk.office.clerk)
    url = reverse("documents:register_new", args=[desk.incoming.pk])
    pdf = SimpleUploadedFile("Công văn 318.pdf", vietnamese_pdf(*SAMPLE_PDF_LINES), content_type="application/pdf")
    image = SimpleUploadedFile("phu-luc.png", png.getvalue(), content_type="image/png")
    assert client.post(url, {**registration(desk), "files": [pdf, image]}).status_code == 302
    document = Document.objects.get()
    files = {f.name: f for f in document.files.select_related("stored")}
    assert set(files) == {"Công văn 318.pdf", "phu-luc.png", "den-2026-00001.pdf"}
    shown = client.get(reverse("documents:file", args=[document.pk, files["Công văn 318.pdf"].pk]))
    assert shown["Content-Type"] == "application/pdf" and shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Disposition"].startswith("inline;") and "C%C3%B4ng" in shown["Content-Disposition"]
    assert shown.content.startswith(b"%PDF")
    saved = client.get(reverse("documents:file", args=[document.pk, files["phu-luc.png"].pk]))
    assert saved["Content-Type"] == "image/png" and saved["Content-Disposition"] == 'attachment; filename="phu-luc.png"'
    assert saved.content == png.getvalue()


def test_the_sender_box_finds_bodies_by_folded_name_or_code(desk: Desk, client: Client) -> None:
    client.force_login(desk.office.clerk)
    url = reverse("documents:sender_search")
    by_name = client.get(url, {"sender_name": "uy ban nhan dan son ha"}, **HTMX).content.decode()
    assert f'data-id="{desk.office.peoples_committee.pk}"' in by_name and "Ủy ban nhân dân tỉnh Sơn Hà" in by_name
    by_code = client.get(url, {"q": "000.00.01.H70"}, **HTMX).content.decode()
    assert by_code.count('role="option"') == 1 and f'data-id="{desk.office.home_affairs.pk}"' in by_code
    assert 'role="option"' not in client.get(url, {"q": "không có cơ quan này"}).content.decode()


# --- secrets ----------------------------------------------------------------------------------------------


def test_a_secret_document_is_hidden_from_the_uncleared_and_its_views_are_audited(desk: Desk, client: Client) -> None:
    office = desk.office
    clerk = desk.actor(office.clerk)
    secret = incoming.register_incoming(clerk, register_sample(desk, secrecy=Secrecy.MAT, number_symbol="12-CV/BNCTU"))
    incoming.direct(desk.actor(office.chief), secret, incoming.DirectionData(text="Phòng Tổng hợp nghiên cứu.",
                                                                            lead_unit=desk.unit))  # fmt: skip
    url = reverse("documents:document", args=[secret.pk])
    client.force_login(office.uncleared)  # works in the lead unit, no clearance
    assert client.get(url).status_code == 404
    assert client.get(reverse("documents:register", args=[desk.incoming.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="documents.secret.view").count() == 0
    client.force_login(office.clerk)
    assert client.get(url).status_code == 200
    viewed = AuditEntry.objects.filter(action="documents.secret.view", object_id=str(secret.pk))
    assert list(viewed.values_list("actor_id", flat=True)) == [office.clerk.pk]
    listed = client.get(reverse("documents:register", args=[desk.incoming.pk])).content.decode()
    assert "12-CV/BNCTU" in listed
    assert AuditEntry.objects.filter(action="documents.secret.view").count() == 1  # a list is not a view


# --- lists: the register, baskets, the home panel, search -----------------------------------------------------


def _register_many(desk: Desk, count: int, start: int) -> None:
    clerk, chief = desk.actor(desk.office.clerk), desk.actor(desk.office.chief)
    for n in range(start, start + count):
        document = incoming.register_incoming(
            clerk, register_sample(desk, number_symbol=f"{n}/UBND-VX", abstract=f"V/v báo cáo tình hình số {n}")
        )
        if n % 2:
            incoming.direct(chief, document, incoming.DirectionData(text="Nghiên cứu.", lead_unit=desk.unit))


def test_the_register_list_costs_the_same_queries_for_two_or_twenty_documents(
    desk: Desk, client: Client, django_assert_num_queries: Any
) -> None:
    client.force_login(desk.office.clerk)
    url = reverse("documents:register", args=[desk.incoming.pk])
    _register_many(desk, 2, 1)
    with django_assert_num_queries(REGISTER_LIST_QUERIES):
        small = client.get(url)
    _register_many(desk, 18, 3)
    with django_assert_num_queries(REGISTER_LIST_QUERIES):
        large = client.get(url)
    assert small.content.decode().count('<td class="num"><a') == 2
    text = large.content.decode()
    assert text.count('<td class="num"><a') == 20
    newest_first = [text.index(f'mono">{n:02d}/UBND-VX<') for n in (20, 19, 10, 2, 1)]
    assert newest_first == sorted(newest_first)
    assert "Phòng Tổng hợp" in text  # the lead unit, fetched with the page


def test_the_register_filters_fold_accents_and_answer_htmx_with_rows(world: World, client: Client) -> None:
    client.force_login(world.desk.office.clerk)
    url = reverse("documents:register", args=[world.desk.incoming.pk])
    found = client.get(url, {"q": "sap xep to chuc"}, **HTMX).content.decode()
    assert "215/SNV-TCBC" in found and "1234/UBND-VX" not in found and "<html" not in found
    by_symbol = client.get(url, {"q": "1234/ubnd-vx"}).content.decode()
    assert "1234/UBND-VX" in by_symbol and "215/SNV-TCBC" not in by_symbol
    in_progress = client.get(url, {"status": Status.IN_PROGRESS, "sender": "noi vu"}).content.decode()
    assert "215/SNV-TCBC" in in_progress and "1234/UBND-VX" not in in_progress
    this_year = timezone.localdate().year
    assert "215/SNV-TCBC" in client.get(url, {"year": this_year}).content.decode()
    assert "215/SNV-TCBC" not in client.get(url, {"year": this_year - 1}).content.decode()
    bad = client.get(url, {"arrived_from": "31/02/2026"})
    assert bad.status_code == 200 and "215/SNV-TCBC" not in bad.content.decode()


def test_baskets_and_the_home_panel_count_what_waits(world: World, client: Client) -> None:
    panel = registry.panels["documents_waiting"]
    client.force_login(world.desk.office.clerk)
    request = client.get(reverse("core:home")).wsgi_request
    assert panel.render(request) == {"baskets": [("to_present", panel_title("to_present"), 1)]}
    overview = client.get(reverse("documents:overview")).content.decode()
    assert 'id="to_present"' in overview and 'data-count="1"' in overview and "1234/UBND-VX" in overview
    basket = client.get(reverse("documents:basket", args=["to_present"])).content.decode()
    assert reverse("documents:document", args=[world.fresh.pk]) in basket
    assert reverse("documents:document", args=[world.handled.pk]) not in basket
    client.force_login(world.desk.handler)
    handling = client.get(reverse("documents:basket", args=["to_handle"])).content.decode()
    assert reverse("documents:document", args=[world.handled.pk]) in handling
    client.force_login(world.desk.office.specialist)
    assert panel.render(client.get(reverse("core:home")).wsgi_request) is None


def panel_title(name: str) -> Any:
    from vanphong.documents.panels import BASKET_TITLES

    return BASKET_TITLES[name]


def test_search_finds_folded_words_marks_them_and_counts_only_what_is_visible(world: World, client: Client) -> None:
    url = reverse("documents:search")
    client.force_login(world.desk.office.clerk)
    found = client.get(url, {"q": "to chuc bo may"}, **HTMX).content.decode()
    assert 'data-total="1"' in found and "<mark>" in found and "215/SNV-TCBC" in found
    narrowed = client.get(url, {"q": "nghi quyet", "status": Status.REGISTERED}).content.decode()
    assert 'data-total="1"' in narrowed and "1234/UBND-VX" in narrowed
    client.force_login(world.desk.office.specialist)
    assert 'data-total="0"' in client.get(url, {"q": "to chuc bo may"}).content.decode()


def test_deadlines_are_marked_overdue_or_due_soon(desk: Desk, client: Client) -> None:
    clerk = desk.actor(desk.office.clerk)
    today = timezone.localdate()
    arrived = timezone.now() - datetime.timedelta(days=10)

    def registered(symbol: str, deadline: datetime.date) -> Document:
        data = register_sample(desk, number_symbol=symbol, handling_deadline=deadline, arrived_at=arrived,
                               document_date=today - datetime.timedelta(days=12))  # fmt: skip
        return incoming.register_incoming(clerk, data)

    late = registered("11/UBND-VX", today - datetime.timedelta(days=2))
    soon = registered("12/UBND-VX", today + datetime.timedelta(days=2))
    later = registered("13/UBND-VX", today + datetime.timedelta(days=20))
    client.force_login(desk.office.clerk)
    marks = {}
    for document in (late, soon, later):
        page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
        marks[document.number_symbol] = ('id="overdue"' in page, 'id="due-soon"' in page)
    assert marks == {"11/UBND-VX": (True, False), "12/UBND-VX": (False, True), "13/UBND-VX": (False, False)}
    listed = client.get(reverse("documents:register", args=[desk.incoming.pk])).content.decode()
    assert listed.count('class="is-attention"') == 1
    incoming.return_document(clerk, late, reason="Không thuộc thẩm quyền")  # closed: no longer overdue
    page = client.get(reverse("documents:document", args=[late.pk])).content.decode()
    assert 'id="overdue"' not in page


def test_completing_links_the_reply_drafted_in_the_same_body(world: World, client: Client) -> None:
    desk = world.desk
    reply = outgoing.create_draft(
        desk.actor(desk.handler),
        outgoing.DraftData(
            register=desk.outgoing,
            document_type=desk.type("party", "cong_van"),
            abstract="Về việc báo cáo rà soát, sắp xếp tổ chức bộ máy",
            content="Văn phòng Tỉnh ủy báo cáo như sau...",
            signer=desk.office.chief.person,  # type: ignore[arg-type]
            signer_position="Chánh Văn phòng",
            drafting_unit=desk.unit,
        ),
    )
    english(client).force_login(desk.handler)
    url = reverse("documents:complete", args=[world.handled.pk])
    unknown = client.post(url, {"result": "Đã trả lời.", "reply": 999_999})
    assert unknown.status_code == 400 and "has the id 999999" in unknown.content.decode()
    assert client.post(url, {"result": "Đã trả lời bằng công văn.", "reply": reply.pk}).status_code == 302
    reply.refresh_from_db()
    assert reply.reply_to_id == world.handled.pk
    page = client.get(reverse("documents:document", args=[world.handled.pk])).content.decode()
    assert "Replied by" in page and reverse("documents:document", args=[reply.pk]) in page


def test_a_step_no_longer_offered_reloads_the_page_with_the_reason(world: World, client: Client) -> None:
    english(client).force_login(world.desk.office.clerk)
    incoming.return_document(world.desk.actor(world.desk.office.clerk), world.fresh, reason="Gửi nhầm")
    late = client.post(reverse("documents:return", args=[world.fresh.pk]), {"reason": "Trả lại lần hai"}, **HTMX)
    assert late.status_code == 200 and late["HX-Redirect"] == reverse("documents:document", args=[world.fresh.pk])
    page = client.get(late["HX-Redirect"]).content.decode()
    assert "someone acted on it first" in page and "Trả lại lần hai" not in page
