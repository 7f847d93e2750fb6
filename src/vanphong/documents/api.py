"""The documents API: the same access helpers, services and permission checks as the pages.

Incoming documents are registered as JSON; their files follow as raw bodies (one file per request,
the name in the query), and edXML packages are posted raw. Every action answers with the document as
it now stands, timeline included.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from vanphong.core.api import ERRORS
from vanphong.core.models import Organization, Person
from vanphong.core.views.common import actor_of
from vanphong.documents import access, policy
from vanphong.documents.api_archive import router as archive_router
from vanphong.documents.api_exports import router as exports_router
from vanphong.documents.models import Document, DocumentType
from vanphong.documents.services import exchange, incoming, outgoing
from vanphong.documents.services import files as file_services

router = Router(tags=["documents"])
router.add_router("/archive", archive_router)  # archive files (hồ sơ): documents/api_archive.py
router.add_router("/exports", exports_router)  # register exports prepared in the background: api_exports.py
PAGE_SIZE = 50


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    actor: str | None
    on_behalf_of: str | None
    unit: str | None
    note: str
    data: dict[str, Any]


class AssignmentOut(Schema):
    id: int
    unit_id: int
    unit: str
    role: str
    handler: str | None
    deadline: datetime.date | None
    state: str


class FileOut(Schema):
    id: int
    name: str
    role: str
    version: int
    media_type: str
    size: int
    sha256: str


class DocumentOut(Schema):
    id: int
    direction: str
    register_id: int
    status: str
    number_symbol: str
    document_date: datetime.date | None
    document_type: str | None
    abstract: str
    sender_name: str
    signer_name: str
    urgency: int
    secrecy: int
    arrival_year: int | None
    arrival_number: int | None
    arrived_at: datetime.datetime | None
    channel: str
    handling_deadline: datetime.date | None
    direction_text: str
    result: str


class DocumentDetailOut(DocumentOut):
    assignments: list[AssignmentOut]
    files: list[FileOut]
    timeline: list[EventOut]


class PageOut(Schema):
    count: int
    results: list[DocumentOut]


class RegisterOut(Schema):
    id: int
    organization_id: int
    direction: str
    name: str
    system: str


class IncomingIn(Schema):
    register_id: int
    abstract: str
    sender_id: int | None = None
    sender_name: str = ""
    number_symbol: str = ""
    document_date: datetime.date | None = None
    document_type_id: int | None = None
    signer_name: str = ""
    urgency: int = 0
    secrecy: int = 0
    pages: int | None = None
    copies: int | None = None
    handling_deadline: datetime.date | None = None


class PresentIn(Schema):
    leader_id: int
    note: str = ""


class DirectIn(Schema):
    text: str
    lead_unit_id: int
    coordinating_unit_ids: list[int] = []
    info_unit_ids: list[int] = []
    deadline: datetime.date | None = None
    deadline_days: int | None = None
    deadline_unit: str = "working"


class ForwardIn(Schema):
    handler_id: int
    note: str = ""


class NoteIn(Schema):
    note: str


class CompleteIn(Schema):
    result: str = ""
    reply_id: int | None = None


class ReasonIn(Schema):
    reason: str


class ImportOut(Schema):
    created: bool
    document: DocumentOut


def _out(document: Document) -> dict[str, Any]:
    return {
        **{f: getattr(document, f) for f in DocumentOut.model_fields if hasattr(document, f)},
        "document_type": document.document_type.name if document.document_type_id else None,  # type: ignore[union-attr]
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    document = access.access_document(request.user, pk, actor=actor_of(request))
    events = document.events.select_related("actor", "on_behalf_of", "unit")
    return {
        **_out(document),
        "assignments": [
            {"id": a.pk, "unit_id": a.unit_id, "unit": a.unit.full_name, "role": a.role,
             "handler": a.handler.full_name if a.handler else None, "deadline": a.deadline, "state": a.state}
            for a in document.assignments.select_related("unit", "handler")
        ],
        "files": [
            {"id": f.pk, "name": f.name, "role": f.role, "version": f.version, "media_type": f.stored.media_type,
             "size": f.stored.size, "sha256": f.stored.sha256}
            for f in document.files.select_related("stored")
        ],
        "timeline": [
            {"kind": e.kind, "at": e.at, "actor": e.actor.full_name if e.actor else None,
             "on_behalf_of": e.on_behalf_of.full_name if e.on_behalf_of else None,
             "unit": e.unit.full_name if e.unit else None, "note": e.note, "data": e.data}
            for e in events
        ],
    }  # fmt: skip


@router.get("/registers", response={200: list[RegisterOut], **ERRORS})
def list_registers(request: HttpRequest) -> Any:
    return list(access.registers_visible_to(request.user))


class RegisterExportParams(Schema):
    format: str = Field("xlsx", description="xlsx or pdf")
    from_: datetime.date | None = Field(None, alias="from", description="first day (inclusive)")
    to: datetime.date | None = Field(None, description="last day (inclusive); default: the year of the other")


@router.get("/registers/{int:register_id}/export", response={200: None, **ERRORS})
def export_register(request: HttpRequest, register_id: int, params: Query[RegisterExportParams]) -> Any:
    """The register for a period in its Decree 30 form (Appendix IV), as XLSX or PDF; only what the
    caller may see. Incoming registers run by arrival date, outgoing ones by the date of issue. A period
    of more than ``VANPHONG_EXPORT_INLINE_ROWS`` documents is refused (400 ``too_many_rows``): ask for
    it with ``POST /api/documents/exports`` and download it when it is ready."""
    from vanphong.documents import exports
    from vanphong.documents.api_exports import checked_period

    register = access.access_register(request.user, register_id)
    start, end = checked_period(params.format, params.from_, params.to)
    count = exports.too_long_to_wait(request.user, register, start, end)
    if count is not None:
        message = _(
            "This period holds {count} documents, more than are exported while you wait ({limit}); ask for it "
            "with POST /api/documents/exports and download it when it is ready."
        )
        raise ValidationError(message.format(count=count, limit=exports.inline_limit()), code="too_many_rows")
    sheet = exports.sheet_for(register, start, end, request.user)
    rows = exports.register_rows(request.user, register, start, end)
    return exports.file_response(
        sheet, rows, params.format, actor=actor_of(request), register=register, start=start, end=end
    )


@router.get("/baskets", response={200: dict[str, int], **ERRORS})
def basket_counts(request: HttpRequest) -> Any:
    return access.basket_counts(request.user)


@router.get("/baskets/{name}", response={200: PageOut, **ERRORS})
def basket(request: HttpRequest, name: str, page: int = 1) -> Any:
    if name not in access.BASKETS:
        raise ValidationError({"name": _("No such basket.")})
    queryset = access.basket(request.user, name).select_related("document_type").order_by("-id")
    start = (max(page, 1) - 1) * PAGE_SIZE
    return {"count": queryset.count(), "results": [_out(d) for d in queryset[start : start + PAGE_SIZE]]}


class SearchParams(Schema):
    q: str = ""
    direction: str | None = None
    status: str | None = None
    limit: int = 20
    offset: int = 0
    facets: bool = Field(
        False, description="Also count the matches by document type, status and year (costs a pass over them all)."
    )


def _facet_counts(counts: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [{"value": facet.value, "label": facet.label, "count": facet.count} for facet in counts]


@router.get("/search", response={200: dict[str, Any], **ERRORS})
def search_documents(request: HttpRequest, params: Query[SearchParams]) -> Any:
    from vanphong.documents import search

    filters = {k: v for k, v in (("direction", params.direction), ("status", params.status)) if v}
    found = search.search(
        request.user,
        params.q,
        filters=filters,
        limit=min(max(params.limit, 1), 100),
        offset=max(params.offset, 0),
        facets=params.facets,
    )
    answer: dict[str, Any] = {
        "total": found.total,
        "results": [{"document": _out(h.document), "snippet": h.snippet, "rank": h.rank} for h in found.hits],
    }
    if params.facets:
        answer["facets"] = {
            "types": _facet_counts(found.facets.types),
            "statuses": _facet_counts(found.facets.statuses),
            "years": _facet_counts(found.facets.years),
        }
    return answer


@router.get("/{int:pk}", response={200: DocumentDetailOut, **ERRORS})
def get_document(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post("/incoming", response={201: DocumentDetailOut, **ERRORS})
def register_incoming(request: HttpRequest, payload: IncomingIn) -> Any:
    register = get_object_or_404(access.registers_for_registration(request.user), pk=payload.register_id)
    data = incoming.IncomingData(
        register=register,
        abstract=payload.abstract,
        sender=Organization.objects.filter(pk=payload.sender_id).first() if payload.sender_id else None,
        sender_name=payload.sender_name,
        number_symbol=payload.number_symbol,
        document_date=payload.document_date,
        document_type=DocumentType.objects.filter(pk=payload.document_type_id).first()
        if payload.document_type_id
        else None,
        signer_name=payload.signer_name,
        urgency=payload.urgency,
        secrecy=payload.secrecy,
        pages=payload.pages,
        copies=payload.copies,
        handling_deadline=payload.handling_deadline,
    )
    document = incoming.register_incoming(actor_of(request), data)
    return Status(201, _detail(request, document.pk))


@router.post("/{int:pk}/files", response={201: DocumentDetailOut, **ERRORS})
def add_file(request: HttpRequest, pk: int, name: str) -> Any:
    """The raw request body is the file; ``name`` is its file name."""
    document = access.access_document(request.user, pk)
    actor = actor_of(request)
    if not policy.can_add_files(request.user, document):
        raise PermissionDenied
    upload = file_services.Upload(name, request.body)
    checked = file_services.check_uploads([upload], secrecy=document.secrecy)
    with transaction.atomic():
        file_services.attach(actor, document, upload, checked[0][1], role=file_services.FileRole.ATTACHMENT)
    return Status(201, _detail(request, pk))


@router.post("/registers/{int:register_id}/edxml", response={200: ImportOut, 201: ImportOut, **ERRORS})
def import_edxml(request: HttpRequest, register_id: int) -> Any:
    """The raw request body is an edXML package; the same package twice registers once (200 the second time)."""
    register = get_object_or_404(access.registers_for_registration(request.user), pk=register_id)
    document, created = exchange.import_package(actor_of(request), register, request.body)
    return Status(201 if created else 200, {"created": created, "document": _out(document)})


@router.post("/{int:pk}/present", response={200: DocumentDetailOut, **ERRORS})
def present(request: HttpRequest, pk: int, payload: PresentIn) -> Any:
    document = access.access_document(request.user, pk)
    leader = get_object_or_404(Person, pk=payload.leader_id)
    incoming.present(actor_of(request), document, leader=leader, note=payload.note)
    return _detail(request, pk)


@router.post("/{int:pk}/direct", response={200: DocumentDetailOut, **ERRORS})
def direct(request: HttpRequest, pk: int, payload: DirectIn) -> Any:
    document = access.access_document(request.user, pk)
    units = access.units_for_direction(document).in_bulk(
        [payload.lead_unit_id, *payload.coordinating_unit_ids, *payload.info_unit_ids]
    )
    asked = {
        "lead_unit_id": [payload.lead_unit_id],
        "coordinating_unit_ids": payload.coordinating_unit_ids,
        "info_unit_ids": payload.info_unit_ids,
    }
    unknown = {field: [i for i in ids if i not in units] for field, ids in asked.items()}
    if any(unknown.values()):
        message = _("No active unit of {body} has the id {id}.")
        body = document.register.organization
        raise ValidationError({f: message.format(body=body, id=ids[0]) for f, ids in unknown.items() if ids})
    incoming.direct(
        actor_of(request),
        document,
        incoming.DirectionData(
            text=payload.text,
            lead_unit=units.get(payload.lead_unit_id),
            coordinating_units=[units[i] for i in payload.coordinating_unit_ids if i in units],
            info_units=[units[i] for i in payload.info_unit_ids if i in units],
            deadline=payload.deadline,
            deadline_days=payload.deadline_days,
            deadline_unit=payload.deadline_unit,
        ),
    )
    return _detail(request, pk)


@router.post("/assignments/{int:pk}/forward", response={200: DocumentDetailOut, **ERRORS})
def forward(request: HttpRequest, pk: int, payload: ForwardIn) -> Any:
    assignment = access.access_assignment(request.user, pk)
    handler = get_object_or_404(Person, pk=payload.handler_id)
    incoming.forward(actor_of(request), assignment, handler=handler, note=payload.note)
    return _detail(request, assignment.document_id)


@router.post("/assignments/{int:pk}/progress", response={200: DocumentDetailOut, **ERRORS})
def progress(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    assignment = access.access_assignment(request.user, pk)
    incoming.add_progress(actor_of(request), assignment, note=payload.note)
    return _detail(request, assignment.document_id)


@router.post("/{int:pk}/complete", response={200: DocumentDetailOut, **ERRORS})
def complete(request: HttpRequest, pk: int, payload: CompleteIn) -> Any:
    document = access.access_document(request.user, pk)
    reply = access.reply_for(request.user, document, payload.reply_id)
    incoming.complete(actor_of(request), document, result=payload.result, reply=reply)
    return _detail(request, pk)


@router.post("/{int:pk}/return", response={200: DocumentDetailOut, **ERRORS})
def return_document(request: HttpRequest, pk: int, payload: ReasonIn) -> Any:
    document = access.access_document(request.user, pk)
    incoming.return_document(actor_of(request), document, reason=payload.reason)
    return _detail(request, pk)


# --- outgoing (văn bản đi) ------------------------------------------------------------------------------


class RecipientIn(Schema):
    name: str = ""
    organization_id: int | None = None
    identifier_code: str = ""
    channel: str = "edxml"
    for_information: bool = False


class DraftIn(Schema):
    register_id: int
    document_type_id: int
    abstract: str
    content: str = ""
    signer_id: int
    signer_position: str
    drafting_unit_id: int
    signer_authority: str = ""
    urgency: int = 0
    secrecy: int = 0
    recipients: list[RecipientIn] = []


class SubmitIn(Schema):
    reviewer_id: int | None = None
    office_checker_id: int | None = None


class DecideIn(Schema):
    approve: bool
    comment: str = ""


class StepOut(Schema):
    id: int
    round: int
    order: int
    stage: str
    approver: str
    state: str
    comment: str
    decided_at: datetime.datetime | None


class RecipientOut(Schema):
    name: str
    identifier_code: str
    channel: str
    dispatched_at: datetime.datetime | None
    last_status: str


class OutgoingDetailOut(DocumentDetailOut):
    steps: list[StepOut]
    recipients: list[RecipientOut]
    replaces_id: int | None


def _outgoing_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    detail = _detail(request, pk)
    document = access.documents_visible_to(request.user).get(pk=pk)
    steps = document.approval_steps.select_related("approver").order_by("round", "order")
    return {
        **detail,
        "steps": [
            {"id": s.pk, "round": s.round, "order": s.order, "stage": s.stage, "approver": s.approver.full_name,
             "state": s.state, "comment": s.comment, "decided_at": s.decided_at}
            for s in steps
        ],
        "recipients": [
            {"name": r.name, "identifier_code": r.identifier_code, "channel": r.channel,
             "dispatched_at": r.dispatched_at, "last_status": r.last_status}
            for r in document.recipients.all()
        ],
        "replaces_id": document.replaces_id,
    }  # fmt: skip


def _draft_data(payload: DraftIn, register: Any) -> outgoing.DraftData:
    from vanphong.documents.models import Channel

    errors: dict[str, list[str]] = {}
    document_type = DocumentType.objects.filter(pk=payload.document_type_id).first()
    signer = Person.objects.filter(pk=payload.signer_id, is_active=True).first()
    unit = Organization.objects.filter(pk=payload.drafting_unit_id, path__startswith=register.organization.path).first()
    if document_type is None:
        errors["document_type_id"] = [_("No such document type.")]
    if signer is None:
        errors["signer_id"] = [_("No such person.")]
    if unit is None:
        errors["drafting_unit_id"] = [_("Choose a unit of the register's body.")]
    recipients = []
    for item in payload.recipients:
        organization = Organization.objects.filter(pk=item.organization_id).first() if item.organization_id else None
        if item.channel not in Channel.values or (organization is None and not item.name.strip()):
            errors.setdefault("recipients", []).append(_("Each recipient needs a name or a body, and a channel."))
            continue
        recipients.append(
            outgoing.RecipientData(
                name=item.name,
                organization=organization,
                identifier_code=item.identifier_code,
                channel=item.channel,
                for_information=item.for_information,
            )
        )
    if errors:
        raise ValidationError(errors)
    assert document_type is not None and signer is not None and unit is not None  # noqa: S101 (checked above)
    return outgoing.DraftData(
        register=register, document_type=document_type, abstract=payload.abstract, content=payload.content,
        signer=signer, signer_position=payload.signer_position, drafting_unit=unit,
        signer_authority=payload.signer_authority, urgency=payload.urgency, secrecy=payload.secrecy,
        recipients=recipients,
    )  # fmt: skip


@router.post("/outgoing", response={201: OutgoingDetailOut, **ERRORS})
def create_draft(request: HttpRequest, payload: DraftIn) -> Any:
    register = get_object_or_404(access.registers_for_drafting(request.user), pk=payload.register_id)
    document = outgoing.create_draft(actor_of(request), _draft_data(payload, register))
    return Status(201, _outgoing_detail(request, document.pk))


@router.post("/{int:pk}/draft", response={200: OutgoingDetailOut, **ERRORS})
def update_draft(request: HttpRequest, pk: int, payload: DraftIn) -> Any:
    """A new version of the draft (the register stays the draft's own)."""
    document = access.access_document(request.user, pk)
    if not policy.can_edit_draft(request.user, document):
        raise PermissionDenied
    outgoing.update_draft(actor_of(request), document, _draft_data(payload, document.register))
    return _outgoing_detail(request, pk)


@router.post("/{int:pk}/submit", response={200: OutgoingDetailOut, **ERRORS})
def submit_draft(request: HttpRequest, pk: int, payload: SubmitIn) -> Any:
    document = access.access_document(request.user, pk)
    people = Person.objects.in_bulk([i for i in (payload.reviewer_id, payload.office_checker_id) if i])
    outgoing.submit(
        actor_of(request),
        document,
        reviewer=people.get(payload.reviewer_id) if payload.reviewer_id else None,
        office_checker=people.get(payload.office_checker_id) if payload.office_checker_id else None,
    )
    return _outgoing_detail(request, pk)


@router.post("/steps/{int:pk}/decide", response={200: OutgoingDetailOut, **ERRORS})
def decide_step(request: HttpRequest, pk: int, payload: DecideIn) -> Any:
    approval = access.access_step(request.user, pk)
    outgoing.decide(actor_of(request), approval, approve=payload.approve, comment=payload.comment)
    return _outgoing_detail(request, approval.document_id)


@router.post("/{int:pk}/sign", response={200: OutgoingDetailOut, **ERRORS})
def sign_document(request: HttpRequest, pk: int) -> Any:
    """The signer signs with their active certificate; the number is given now."""
    document = access.access_document(request.user, pk)
    if document.signer_id is None or document.signer_id != policy.reach(request.user).person_id:
        raise PermissionDenied
    outgoing.sign(actor_of(request), document)
    return _outgoing_detail(request, pk)


@router.post("/{int:pk}/issue", response={200: OutgoingDetailOut, **ERRORS})
def issue_document(request: HttpRequest, pk: int) -> Any:
    document = access.access_document(request.user, pk)
    outgoing.issue(actor_of(request), document)
    return _outgoing_detail(request, pk)


@router.post("/{int:pk}/dispatch", response={200: OutgoingDetailOut, **ERRORS})
def dispatch_document(request: HttpRequest, pk: int) -> Any:
    document = access.access_document(request.user, pk)
    exchange.dispatch(actor_of(request), document)
    return _outgoing_detail(request, pk)


@router.post("/{int:pk}/recall", response={200: OutgoingDetailOut, **ERRORS})
def recall_document(request: HttpRequest, pk: int, payload: ReasonIn) -> Any:
    document = access.access_document(request.user, pk)
    outgoing.recall(actor_of(request), document, reason=payload.reason)
    return _outgoing_detail(request, pk)


class WithdrawnOut(Schema):
    series_id: int
    number: int
    symbol: str
    reason: str
    document: OutgoingDetailOut


@router.post("/{int:pk}/withdraw-number", response={200: WithdrawnOut, **ERRORS})
def withdraw_number(request: HttpRequest, pk: int, payload: ReasonIn) -> Any:
    """Take back the number of a signed or issued document (it is recalled); the number is recorded as
    withdrawn and never silently given again. The same check as the page: the register's văn thư."""
    document = access.access_document(request.user, pk)
    if not policy.can_withdraw_number(request.user, document):
        raise PermissionDenied
    withdrawn = outgoing.withdraw_number(actor_of(request), document, reason=payload.reason)
    return {
        "series_id": withdrawn.series_id, "number": withdrawn.number, "symbol": withdrawn.symbol,
        "reason": withdrawn.reason, "document": _outgoing_detail(request, pk),
    }  # fmt: skip


@router.post("/{int:pk}/replace", response={201: OutgoingDetailOut, **ERRORS})
def replace_document(request: HttpRequest, pk: int) -> Any:
    """Start a replacement (văn bản thay thế) of an issued document: a new draft copied from it, which goes
    round the circuit like any draft. Whoever may draft in the document's register may start it."""
    document = access.access_document(request.user, pk)
    if not policy.can_draft(request.user, document.register):
        raise PermissionDenied
    draft = outgoing.replace(actor_of(request), document)
    return Status(201, _outgoing_detail(request, draft.pk))
