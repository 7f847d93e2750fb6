"""The outgoing pages and API (văn bản đi): the draft form, the circuit clicked through, signing, issue,
dispatch, recall and replacement, on both sides of the exchange.

Expected answers as in ``test_views``: anonymous → login with ``next``; allowed → 200, or 302 after a
successful POST; may see the document but not take the step → 403; may not see it → 404; 405 for a
method the view does not take.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from vanphong.core.models import Account, AuditEntry
from vanphong.documents.models import (
    ApprovalStep,
    Direction,
    Document,
    DocumentSystem,
    EventKind,
    ExchangeMessage,
    FileRole,
    Register,
    SigningCredential,
    Status,
    StepState,
    WithdrawnNumber,
)
from vanphong.documents.services import exchange, files, outgoing
from vanphong.documents.tests.conftest import Desk
from vanphong.documents.tests.test_api import bearer
from vanphong.documents.tests.test_outgoing import _draft, _load
from vanphong.documents.tests.test_views import LOGIN, Case, english, matrix_failures
from vanphong.lib import edxml, pki

pytestmark = pytest.mark.django_db

OUR_CODE = "000.00.02.H70"  # Văn phòng Tỉnh ủy Sơn Hà's identifier code for electronic exchange


@pytest.fixture(scope="module")
def ca() -> pki.CertificateAuthority:
    return pki.make_ca("Vanphong Test CA", organization="Tỉnh Sơn Hà (thử nghiệm)")


@pytest.fixture
def outbox(settings: Any, tmp_path: Path) -> Path:
    settings.EDXML_OUTBOX_DIR = tmp_path / "outbox"
    return Path(settings.EDXML_OUTBOX_DIR)


@pytest.fixture
def signing_desk(desk: Desk, ca: pki.CertificateAuthority, outbox: Path) -> Desk:
    """The desk with the chief's and the body's certificates loaded and the body's identifier code set."""
    body = desk.outgoing.organization
    type(body).objects.filter(pk=body.pk).update(identifier_code=OUR_CODE)
    body.refresh_from_db()
    _load(ca, desk, desk.office.chief)
    return desk


def _approved(desk: Desk) -> Document:
    document = _draft(desk)
    outgoing.submit(desk.actor(desk.handler), document, reviewer=None, office_checker=None)
    outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=document), approve=True)
    return document


def _dispatched(desk: Desk, capture: Any) -> Document:
    document = _approved(desk)
    outgoing.sign(desk.actor(desk.office.chief), document)
    outgoing.issue(desk.actor(desk.office.clerk), document)
    with capture(execute=True):
        exchange.dispatch(desk.actor(desk.office.clerk), document)
    document.refresh_from_db()
    return document


# --- the permission matrix ----------------------------------------------------------------------------------


@dataclass
class World:
    """A document at each outgoing stage the pages act on."""

    desk: Desk
    draft: Document  # drafted by the specialist of Phòng Tổng hợp
    review: Document  # waiting for the unit head's review
    step: ApprovalStep  # the head's pending step on ``review``
    approved: Document  # approved, waiting for the chief's signature
    signed: Document  # signed and numbered, waiting for the clerk
    issued: Document  # sealed and issued, not yet dispatched
    dispatched: Document  # sent as edXML to UBND tỉnh and Sở Nội vụ

    def account(self, persona: str) -> Account | None:
        office = self.desk.office
        return {
            "clerk": office.clerk,  # văn thư of the Party office: issues, dispatches, recalls
            "chief": office.chief,  # Chánh Văn phòng: the signer
            "head": self.desk.head,  # Trưởng phòng Tổng hợp: reviews
            "handler": self.desk.handler,  # chuyên viên Phòng Tổng hợp: drafts
            "specialist": office.specialist,  # another body (Sở Nội vụ)
            "admin": office.root_admin,  # the installation administrator: no documents, no drafting
        }.get(persona)


@pytest.fixture
def world(signing_desk: Desk, django_capture_on_commit_callbacks: Any) -> World:
    desk = signing_desk
    review = _draft(desk)
    outgoing.submit(desk.actor(desk.handler), review, reviewer=desk.head.person, office_checker=None)
    signed = _approved(desk)
    outgoing.sign(desk.actor(desk.office.chief), signed)
    issued = _approved(desk)
    outgoing.sign(desk.actor(desk.office.chief), issued)
    outgoing.issue(desk.actor(desk.office.clerk), issued)
    return World(
        desk,
        draft=_draft(desk),
        review=review,
        step=ApprovalStep.objects.get(document=review, state=StepState.PENDING),
        approved=_approved(desk),
        signed=signed,
        issued=issued,
        dispatched=_dispatched(desk, django_capture_on_commit_callbacks),
    )


def at(name: str, stage: str | None = None) -> Any:
    """The URL of ``documents:name`` for the document at ``stage`` (or the step, or no argument)."""

    def url(w: Any) -> str:
        if stage is None:
            return reverse(f"documents:{name}")
        target = w.step if stage == "step" else getattr(w, stage)
        return reverse(f"documents:{name}", args=[target.pk])

    return url


def rows(name: str, url: Any, expectations: dict[str, int], method: str = "GET", data: Any = None) -> list[Case]:
    return [Case(name, url, persona, method, status, data) for persona, status in expectations.items()]


def draft_form_data(w: Any, **overrides: Any) -> dict[str, Any]:
    desk = w.desk if hasattr(w, "desk") else w
    form = {
        "register": desk.outgoing.pk,
        "document_type": desk.type("party", "cong_van").pk,
        "abstract": "Về việc tổng kết công tác văn thư, lưu trữ năm 2026",
        "content": "Văn phòng Tỉnh ủy đề nghị các đơn vị báo cáo kết quả công tác văn thư, lưu trữ năm 2026.",
        "drafting_unit": desk.unit.pk,
        "signer": desk.office.chief.person_id,
        "signer_position": "Chánh Văn phòng",
        "signer_authority": "",
        "urgency": "0",
        "secrecy": "0",
        "internal_units": [desk.other_unit.pk],
        "external_codes": "000.00.01.H70\n000.00.00.H70",
        "paper_recipients": "Lưu: VT, PTH.",
    }
    form.update(overrides)
    return form


def credential(w: Any) -> dict[str, Any]:
    return {"credential": SigningCredential.objects.get(person=w.desk.office.chief.person, is_active=True).pk}


REVIEWER: Any = lambda w: {"reviewer": w.desk.head.person_id}  # noqa: E731
APPROVE: Any = lambda w: {"decision": "approve"}  # noqa: E731
SEND_BACK_SILENT: Any = lambda w: {"decision": "send_back", "comment": ""}  # noqa: E731
REASON: Any = lambda w: {"reason": "Sai sót về nội dung, thu hồi để ban hành văn bản thay thế."}  # noqa: E731

CASES: list[Case] = [
    *rows("outgoing", at("outgoing"), {"anonymous": LOGIN, "handler": 200, "head": 200, "specialist": 200}),
    *rows("outgoing", at("outgoing"), {"handler": 405}, method="POST"),
    *rows("outgoing_new", at("outgoing_new"), {"anonymous": LOGIN, "handler": 200, "clerk": 200, "admin": 404}),
    *rows("outgoing_new", at("outgoing_new"), {"handler": 302, "admin": 404}, method="POST", data=draft_form_data),
    *rows("outgoing_new", at("outgoing_new"), {"handler": 400}, method="POST"),  # nothing typed
    *rows("outgoing_new", at("outgoing_new"), {"handler": 405}, method="PUT"),
    *rows("outgoing_edit", at("outgoing_edit", "draft"),
          {"anonymous": LOGIN, "handler": 200, "chief": 403, "head": 404, "specialist": 404}),
    *rows("outgoing_edit", at("outgoing_edit", "review"), {"handler": 302}),  # in the circuit: back to the page
    *rows("outgoing_edit", at("outgoing_edit", "draft"), {"handler": 302, "chief": 403}, method="POST",
          data=draft_form_data),
    *rows("outgoing_edit", at("outgoing_edit", "draft"), {"handler": 405}, method="PUT"),
    *rows("outgoing_docx", at("outgoing_docx", "draft"),
          {"anonymous": LOGIN, "handler": 200, "chief": 200, "head": 404, "specialist": 404}),
    *rows("outgoing_docx", at("outgoing_docx", "review"), {"head": 200, "handler": 200}),
    *rows("outgoing_docx", at("outgoing_docx", "approved"), {"chief": 200}),
    *rows("outgoing_docx", at("outgoing_docx", "signed"), {"clerk": 404, "chief": 404}),  # the signed PDF is it now
    *rows("outgoing_docx", at("outgoing_docx", "draft"), {"handler": 405}, method="POST"),
    *rows("outgoing_submit", at("outgoing_submit", "draft"),
          {"anonymous": LOGIN, "handler": 302, "chief": 403, "specialist": 404}, method="POST", data=REVIEWER),
    *rows("outgoing_submit", at("outgoing_submit", "review"), {"handler": 400}, method="POST"),  # already in it
    *rows("outgoing_submit", at("outgoing_submit", "draft"), {"handler": 405}),
    *rows("outgoing_decide", at("outgoing_decide", "step"),
          {"anonymous": LOGIN, "head": 302, "handler": 403, "specialist": 404}, method="POST", data=APPROVE),
    *rows("outgoing_decide", at("outgoing_decide", "step"), {"head": 400}, method="POST", data=SEND_BACK_SILENT),
    *rows("outgoing_decide", at("outgoing_decide", "step"), {"head": 405}),
    *rows("outgoing_sign", at("outgoing_sign", "approved"),
          {"anonymous": LOGIN, "chief": 302, "clerk": 403, "specialist": 404}, method="POST", data=credential),
    *rows("outgoing_sign", at("outgoing_sign", "approved"), {"chief": 400}, method="POST"),  # no certificate chosen
    *rows("outgoing_sign", at("outgoing_sign", "approved"), {"chief": 405}),
    *rows("outgoing_issue", at("outgoing_issue", "signed"),
          {"anonymous": LOGIN, "clerk": 302, "chief": 403, "specialist": 404}, method="POST"),
    *rows("outgoing_issue", at("outgoing_issue", "approved"), {"clerk": 400}, method="POST"),  # not signed yet
    *rows("outgoing_issue", at("outgoing_issue", "signed"), {"clerk": 405}),
    *rows("outgoing_dispatch", at("outgoing_dispatch", "issued"),
          {"anonymous": LOGIN, "clerk": 302, "chief": 403, "specialist": 404}, method="POST"),
    *rows("outgoing_dispatch", at("outgoing_dispatch", "issued"), {"clerk": 405}),
    *rows("outgoing_recall", at("outgoing_recall", "dispatched"),
          {"anonymous": LOGIN, "clerk": 302, "chief": 403, "specialist": 404}, method="POST", data=REASON),
    *rows("outgoing_recall", at("outgoing_recall", "dispatched"), {"clerk": 400}, method="POST"),  # no reason
    *rows("outgoing_recall", at("outgoing_recall", "dispatched"), {"clerk": 405}),
    *rows("outgoing_withdraw", at("outgoing_withdraw", "signed"),
          {"anonymous": LOGIN, "clerk": 302, "chief": 403, "specialist": 404}, method="POST", data=REASON),
    *rows("outgoing_withdraw", at("outgoing_withdraw", "signed"), {"clerk": 405}),
    *rows("outgoing_replace", at("outgoing_replace", "dispatched"),
          {"anonymous": LOGIN, "handler": 302, "clerk": 302, "specialist": 404}, method="POST"),
    *rows("outgoing_replace", at("outgoing_replace", "draft"), {"handler": 400}, method="POST"),  # not issued
    *rows("outgoing_replace", at("outgoing_replace", "dispatched"), {"handler": 405}),
]  # fmt: skip


def test_permission_matrix(world: World, client: Client) -> None:
    """The rows above, each in a savepoint rolled back (``test_views.matrix_failures``)."""
    assert matrix_failures(CASES, world, client) == []


# --- the API ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRow:
    method: str
    route: str  # as in the OpenAPI schema
    persona: str
    expected: int
    stage: str = "draft"
    body: Any = None


def api_draft(w: World) -> dict[str, Any]:
    desk = w.desk
    return {
        "register_id": desk.outgoing.pk, "document_type_id": desk.type("party", "cong_van").pk,
        "abstract": "Về việc chuẩn bị hội nghị sơ kết 6 tháng", "content": "Đề nghị các đơn vị chuẩn bị báo cáo.",
        "signer_id": desk.office.chief.person_id, "signer_position": "Chánh Văn phòng",
        "drafting_unit_id": desk.unit.pk,
        "recipients": [{"organization_id": desk.office.home_affairs.pk, "identifier_code": "000.00.01.H70"}],
    }  # fmt: skip


API_ROWS = [
    ApiRow("POST", "/api/documents/outgoing", "handler", 201, body=api_draft),
    ApiRow("POST", "/api/documents/outgoing", "admin", 404, body=api_draft),
    ApiRow("POST", "/api/documents/{pk}/draft", "handler", 200, body=api_draft),
    ApiRow("POST", "/api/documents/{pk}/draft", "chief", 403, body=api_draft),
    ApiRow("POST", "/api/documents/{pk}/submit", "handler", 200, body=lambda w: {"reviewer_id": w.desk.head.person_id}),
    ApiRow("POST", "/api/documents/{pk}/submit", "chief", 403, body={}),
    ApiRow("POST", "/api/documents/steps/{pk}/decide", "head", 200, "step", {"approve": True}),
    ApiRow("POST", "/api/documents/steps/{pk}/decide", "head", 400, "step", {"approve": False, "comment": ""}),
    ApiRow("POST", "/api/documents/steps/{pk}/decide", "handler", 403, "step", {"approve": True}),
    ApiRow("POST", "/api/documents/{pk}/sign", "chief", 200, "approved"),
    ApiRow("POST", "/api/documents/{pk}/sign", "clerk", 403, "approved"),
    ApiRow("POST", "/api/documents/{pk}/issue", "clerk", 200, "signed"),
    ApiRow("POST", "/api/documents/{pk}/issue", "chief", 403, "signed"),
    ApiRow("POST", "/api/documents/{pk}/dispatch", "clerk", 200, "issued"),
    ApiRow("POST", "/api/documents/{pk}/dispatch", "chief", 403, "issued"),
    ApiRow("POST", "/api/documents/{pk}/dispatch", "specialist", 404, "issued"),
    ApiRow("POST", "/api/documents/{pk}/recall", "clerk", 200, "dispatched", {"reason": "Sai sót về thể thức."}),
    ApiRow("POST", "/api/documents/{pk}/recall", "clerk", 400, "dispatched", {"reason": " "}),
    ApiRow("POST", "/api/documents/{pk}/recall", "chief", 403, "dispatched", {"reason": "x"}),
    ApiRow("POST", "/api/documents/{pk}/withdraw-number", "clerk", 200, "signed", {"reason": "Cấp nhầm số."}),
    ApiRow("POST", "/api/documents/{pk}/withdraw-number", "clerk", 400, "signed", {"reason": " "}),
    ApiRow("POST", "/api/documents/{pk}/withdraw-number", "clerk", 400, "draft", {"reason": "Cấp nhầm số."}),
    ApiRow("POST", "/api/documents/{pk}/withdraw-number", "chief", 403, "signed", {"reason": "x"}),
    ApiRow("POST", "/api/documents/{pk}/withdraw-number", "specialist", 404, "signed", {"reason": "x"}),
    ApiRow("POST", "/api/documents/{pk}/replace", "handler", 201, "dispatched"),
    ApiRow("POST", "/api/documents/{pk}/replace", "clerk", 201, "issued"),
    ApiRow("POST", "/api/documents/{pk}/replace", "handler", 400, "draft"),  # not issued
    ApiRow("POST", "/api/documents/{pk}/replace", "specialist", 404, "dispatched"),
]  # fmt: skip


def test_api_matrix(world: World, client: Client) -> None:
    failures = []
    for row in API_ROWS:
        with transaction.atomic():
            account = world.account(row.persona)
            assert account is not None
            target = world.step if row.stage == "step" else getattr(world, row.stage)
            url = row.route.replace("{pk}", str(target.pk))
            body = row.body(world) if callable(row.body) else (row.body or {})
            response = client.post(url, data=json.dumps(body), content_type="application/json",
                                   headers=bearer(account))  # fmt: skip
            if response.status_code != row.expected:
                failures.append(f"{row.method} {row.route} {row.persona}: {response.status_code}")
            transaction.set_rollback(True)
    assert failures == []


def test_the_api_answers_with_the_circuit_and_recipients(world: World, client: Client) -> None:
    response = client.post(f"/api/documents/steps/{world.step.pk}/decide", data=json.dumps({"approve": True}),
                           content_type="application/json", headers=bearer(world.desk.head))  # fmt: skip
    data = response.json()
    assert data["status"] == "in_review"  # the signer's step comes next
    assert [(s["stage"], s["state"]) for s in data["steps"]] == [("review", "approved"), ("sign", "pending")]
    assert {r["identifier_code"] for r in data["recipients"]} == {"000.00.00.H70", "000.00.01.H70"}


def test_the_api_withdraws_a_number_and_starts_a_replacement_as_the_pages_do(world: World, client: Client) -> None:
    clerk = bearer(world.desk.office.clerk)
    world.signed.refresh_from_db()
    response = client.post(f"/api/documents/{world.signed.pk}/withdraw-number", content_type="application/json",
                           data=json.dumps({"reason": "Cấp nhầm số."}), headers=clerk)  # fmt: skip
    data = response.json()
    assert response.status_code == 200 and data["symbol"] == world.signed.number_symbol
    assert data["document"]["status"] == Status.RECALLED
    assert data["document"]["timeline"][-1]["kind"] == EventKind.NUMBER_WITHDRAWN
    assert WithdrawnNumber.objects.get(document=world.signed).reason == "Cấp nhầm số."
    again = client.post(f"/api/documents/{world.signed.pk}/withdraw-number", content_type="application/json",
                        data=json.dumps({"reason": "Cấp nhầm số."}), headers=clerk)  # fmt: skip
    assert again.status_code == 400  # recalled now: nothing to withdraw twice
    replaced = client.post(f"/api/documents/{world.dispatched.pk}/replace", headers=bearer(world.desk.handler))
    draft = replaced.json()
    assert replaced.status_code == 201 and draft["replaces_id"] == world.dispatched.pk
    assert draft["status"] == Status.DRAFT and draft["abstract"] == world.dispatched.abstract
    second = client.post(f"/api/documents/{world.dispatched.pk}/replace", headers=bearer(world.desk.handler))
    assert second.status_code == 400  # one live replacement at a time, as on the page


# --- the flow, clicked through -------------------------------------------------------------------------------


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _post(client: Client, name: str, pk: int, data: dict[str, Any] | None = None) -> Any:
    return client.post(reverse(f"documents:{name}", args=[pk]), data or {})


def test_draft_circuit_sign_issue_dispatch_through_the_pages(
    signing_desk: Desk, client: Client, outbox: Path, django_capture_on_commit_callbacks: Any
) -> None:
    desk = signing_desk
    office = desk.office
    english(client).force_login(desk.handler)
    blank = client.get(reverse("documents:outgoing_new"))
    assert blank.status_code == 200 and 'name="external_codes"' in blank.content.decode()
    # An unknown identifier code is refused with a clear message, and nothing is stored.
    refused = client.post(reverse("documents:outgoing_new"), draft_form_data(desk, external_codes="000.00.99.H70"))
    assert refused.status_code == 400 and "000.00.99.H70" in refused.content.decode()
    assert not Document.objects.exists()
    form = draft_form_data(desk)
    form["files"] = SimpleUploadedFile("du-thao.docx", _docx("Dự thảo công văn", "Kính gửi: Sở Nội vụ"))
    saved = client.post(reverse("documents:outgoing_new"), form)
    assert saved.status_code == 302
    document = Document.objects.get()
    assert document.direction == Direction.OUTGOING and document.drafter == desk.handler.person
    assert sorted(document.recipients.values_list("channel", flat=True)) == ["edxml", "edxml", "internal", "paper"]
    assert document.files.get(role=FileRole.DRAFT).name == "du-thao.docx"
    assert client.get(reverse("documents:outgoing")).content.decode().count(f'href="/documents/{document.pk}/"') == 1
    # Round 1: the head and the office deputy review before the chief signs; the head sends it back.
    circuit = {"reviewer": desk.head.person_id, "office_checker": office.deputy.person_id}
    assert _post(client, "outgoing_submit", document.pk, circuit).status_code == 302
    english(client).force_login(desk.head)
    assert reverse("documents:outgoing_decide", args=[ApprovalStep.objects.get(document=document, order=1).pk]) in (
        client.get(reverse("documents:document", args=[document.pk])).content.decode()
    )
    first = ApprovalStep.objects.get(document=document, round=1, order=1)
    silent = _post(client, "outgoing_decide", first.pk, {"decision": "send_back", "comment": ""})
    assert silent.status_code == 400 and "Say what must change." in silent.content.decode()
    comment = "Bổ sung số liệu lưu trữ điện tử."
    assert _post(client, "outgoing_decide", first.pk, {"decision": "send_back", "comment": comment}).status_code == 302
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    # The drafter sees the comment, edits (a new version of the file) and submits again.
    english(client).force_login(desk.handler)
    assert comment in client.get(reverse("documents:document", args=[document.pk])).content.decode()
    form = draft_form_data(desk, content=document.content + "\nTrong đó có 1.250 hồ sơ điện tử.")
    form.pop("register")
    form["files"] = SimpleUploadedFile("du-thao.docx", _docx("Dự thảo công văn (lần 2)"))
    assert client.post(reverse("documents:outgoing_edit", args=[document.pk]), form).status_code == 302
    versions = document.files.filter(role=FileRole.DRAFT).order_by("version").values_list("version", flat=True)
    assert list(versions) == [1, 2]
    assert _post(client, "outgoing_submit", document.pk, circuit).status_code == 302
    for account, order in ((desk.head, 1), (office.deputy, 2), (office.chief, 3)):
        client.force_login(account)
        approval = ApprovalStep.objects.get(document=document, round=2, order=order)
        assert _post(client, "outgoing_decide", approval.pk, {"decision": "approve"}).status_code == 302
    # Having approved the text, the chief sees the format check and signs: the number is given now.
    english(client).force_login(office.chief)
    page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert 'id="format-ok"' in page and reverse("documents:outgoing_sign", args=[document.pk]) in page
    chosen = SigningCredential.objects.get(person=office.chief.person, is_active=True)
    assert _post(client, "outgoing_sign", document.pk, {"credential": chosen.pk}).status_code == 302
    document.refresh_from_db()
    assert document.status == Status.SIGNED and document.number_symbol == "01-CV/VPTU"
    # The clerk issues it with the seal and dispatches it.
    english(client).force_login(office.clerk)
    assert _post(client, "outgoing_issue", document.pk).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, "outgoing_dispatch", document.pk).status_code == 302
    document.refresh_from_db()
    assert document.status == Status.DISPATCHED
    assert not document.recipients.filter(dispatched_at__isnull=True).exists()
    page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert 'id="recipients"' in page and "000.00.01.H70" in page
    assert reverse("documents:outgoing_recall", args=[document.pk]) in page
    [written] = list(outbox.glob("*.edxml"))
    parsed = edxml.parse_package(written.read_bytes())
    assert parsed.header.code_number == "01" and parsed.business is not None and parsed.business.doc_type == 0
    kinds = list(document.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.SENT_BACK) == 1 and kinds.count(EventKind.APPROVED) == 3
    assert kinds[-1] == EventKind.DISPATCHED


def test_sending_back_needs_a_comment_over_htmx_too(world: World, client: Client) -> None:
    client.force_login(world.desk.head)
    response = client.post(reverse("documents:outgoing_decide", args=[world.step.pk]),
                           {"decision": "send_back", "comment": ""}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200 and 'class="field__error"' in response.content.decode()
    world.step.refresh_from_db()
    assert world.step.state == StepState.PENDING


# --- recall and replacement, on both sides ------------------------------------------------------------------


def _receiving_register(desk: Desk) -> Register:
    """UBND tỉnh's incoming register, kept by its văn thư (the receiving side of the exchange)."""
    return Register.objects.create(
        organization=desk.office.peoples_committee, direction=Direction.INCOMING, name="Sổ văn bản đến",
        system=DocumentSystem.STATE, place="Sơn Hà",
    )  # fmt: skip


def _packages(document: Document) -> list[bytes]:
    return [files.read(f.stored) for f in document.files.filter(role=FileRole.PACKAGE).order_by("id")]


def test_recall_freezes_the_outgoing_copy_and_the_receiver_withholds_its_copy(
    signing_desk: Desk, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    desk = signing_desk
    document = _dispatched(desk, django_capture_on_commit_callbacks)
    receiving = _receiving_register(desk)
    receiver = desk.actor(desk.state_clerk)
    [original] = _packages(document)
    arrived, created = exchange.import_package(receiver, receiving, original)
    assert created and arrived.status == Status.REGISTERED
    with pytest.raises(PermissionDenied):  # only the clerk of the register recalls
        outgoing.recall(desk.actor(desk.office.chief), document, reason="Sai sót.")
    with django_capture_on_commit_callbacks(execute=True):
        outgoing.recall(desk.actor(desk.office.clerk), document, reason="Sai sót về số liệu tại mục 2.")
    document.refresh_from_db()
    assert document.status == Status.RECALLED
    assert document.events.filter(kind=EventKind.RECALLED, note="Sai sót về số liệu tại mục 2.").exists()
    recall_package = _packages(document)[-1]
    parsed = edxml.parse_package(recall_package)
    assert parsed.business is not None and parsed.business.doc_type == 1
    assert parsed.business.document_id == arrived.edxml_document_id
    assert (
        parsed.attachments == ()
        and edxml.verify_package(recall_package, trusted_certs_pem=exchange._trusted_pem()).status == "valid"
    )
    assert AuditEntry.objects.filter(action="documents.outgoing.recall").count() == 1
    # Frozen: no step is offered any more except a replacement.
    english(client).force_login(desk.office.clerk)
    page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert reverse("documents:outgoing_dispatch", args=[document.pk]) not in page
    assert reverse("documents:outgoing_recall", args=[document.pk]) not in page
    # The receiving side: the recall package marks the copy recalled and answers 15 to the sender.
    scan = arrived.files.exclude(role=FileRole.PACKAGE).first()
    assert scan is not None
    client.force_login(desk.state_clerk)
    file_url = reverse("documents:file", args=[arrived.pk, scan.pk])
    assert client.get(file_url).status_code == 200
    again, created = exchange.import_package(receiver, receiving, recall_package)
    assert not created and again.pk == arrived.pk
    arrived.refresh_from_db()
    assert arrived.status == Status.RECALLED
    assert arrived.events.filter(kind=EventKind.RECALL_RECEIVED, note="Sai sót về số liệu tại mục 2.").exists()
    assert ExchangeMessage.objects.filter(document=arrived, way="out", status_code="15").exists()
    assert client.get(file_url).status_code == 403
    page = english(client).get(reverse("documents:document", args=[arrived.pk])).content.decode()
    assert 'id="recalled-notice"' in page and file_url not in page
    # The same recall twice changes nothing.
    exchange.import_package(receiver, receiving, recall_package)
    assert arrived.events.filter(kind=EventKind.RECALL_RECEIVED).count() == 1


def test_a_replacement_marks_the_old_document_on_both_sides(
    signing_desk: Desk, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    desk = signing_desk
    old = _dispatched(desk, django_capture_on_commit_callbacks)
    receiving = _receiving_register(desk)
    receiver = desk.actor(desk.state_clerk)
    arrived_old, _created = exchange.import_package(receiver, receiving, _packages(old)[0])
    english(client).force_login(desk.handler)
    response = client.post(reverse("documents:outgoing_replace", args=[old.pk]))
    new = Document.objects.get(replaces=old)
    assert response.status_code == 302 and response["Location"] == reverse("documents:outgoing_edit", args=[new.pk])
    assert new.status == Status.DRAFT and new.abstract == old.abstract and new.recipients.count() == 2
    assert client.post(reverse("documents:outgoing_replace", args=[old.pk])).status_code == 400  # only one
    outgoing.submit(desk.actor(desk.handler), new, reviewer=None, office_checker=None)
    outgoing.decide(desk.actor(desk.office.chief), ApprovalStep.objects.get(document=new), approve=True)
    outgoing.sign(desk.actor(desk.office.chief), new)
    assert not old.events.filter(kind=EventKind.REPLACED).exists()  # only once it is issued
    outgoing.issue(desk.actor(desk.office.clerk), new)
    assert old.events.get(kind=EventKind.REPLACED).data["by"] == new.pk
    page = client.get(reverse("documents:document", args=[old.pk])).content.decode()
    assert "Replaced by" in page and reverse("documents:document", args=[new.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        exchange.dispatch(desk.actor(desk.office.clerk), new)
    package = _packages(new)[-1]
    parsed = edxml.parse_package(package)
    assert parsed.business is not None and parsed.business.doc_type == 3
    assert [r.document_id for r in parsed.business.replacements] == [arrived_old.edxml_document_id]
    arrived_new, created = exchange.import_package(receiver, receiving, package)
    assert created and arrived_new.replaces_id == arrived_old.pk
    assert arrived_old.events.filter(kind=EventKind.REPLACED).exists()


def test_the_word_download_is_offered_before_signing_only(world: World, client: Client) -> None:
    client.force_login(world.desk.office.chief)
    approved = client.get(reverse("documents:document", args=[world.approved.pk]))
    assert reverse("documents:outgoing_docx", args=[world.approved.pk]).encode() in approved.content
    dispatched = client.get(reverse("documents:document", args=[world.dispatched.pk]))
    assert b'id="download-docx"' not in dispatched.content
    word = docx.Document(io.BytesIO(client.get(reverse("documents:outgoing_docx", args=[world.approved.pk])).content))
    assert word.tables[0].rows[0].cells[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
