"""The document page: what it is, its files, the units' parts, the full timeline, and the steps the
person may take next (Decree 30 Art. 20–24), each a small POST form that comes back here.

Every step is offered only when ``documents.policy`` allows it and the document is at that stage; the
service checks both again, so a stale page gets a clear message instead of a second act.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from vanphong.core.forms import apply_service_errors
from vanphong.core.policy import Decision
from vanphong.core.views.common import actor_of
from vanphong.documents import access, policy, signatures
from vanphong.documents.forms import (
    CompleteForm,
    DirectForm,
    ForwardForm,
    PresentForm,
    ProgressForm,
    RequestOpinionForm,
    ReturnForm,
)
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    DirectionTemplate,
    Document,
    FlowEvent,
    Secrecy,
    Status,
)
from vanphong.documents.services import files as file_services
from vanphong.documents.services import incoming
from vanphong.documents.views import deadline_marks
from vanphong.lib.filestore import FileError
from vanphong.registry import registry

OPEN_PARTS = (AssignmentState.OPEN, AssignmentState.HANDLING)
ROLE_ORDER = {str(AssignmentRole.LEAD): 0, str(AssignmentRole.COORDINATE): 1, str(AssignmentRole.INFORM): 2}
INLINE_TYPES = ("application/pdf",)  # shown in the browser; everything else is downloaded


@dataclass
class Action:
    """One step offered on the page: its form, where it posts, what its button says."""

    key: str
    title: str
    url: str
    form: forms.Form
    submit: str
    danger: bool = False


@dataclass
class Part:
    assignment: Assignment
    actions: list[Action] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    event: FlowEvent
    deadline: datetime.date | None


# --- what may be chosen in the forms --------------------------------------------------------------------


def direction_templates(request: HttpRequest) -> Any:
    person_id = getattr(request.user, "person_id", None)
    if person_id is None:
        return DirectionTemplate.objects.none()
    return DirectionTemplate.objects.filter(person_id=person_id).select_related("lead_unit")


def _ids(name: str, owner: int | None = None) -> str:
    """Field ids unique on the page (several forms share field names such as "note")."""
    return f"id_{name}{owner or ''}_%s"


def present_form(document: Document, data: Any = None) -> PresentForm:
    return PresentForm(data, leaders=policy.leaders_of(document.register), auto_id=_ids("present"))


def direct_form(request: HttpRequest, document: Document, data: Any = None) -> DirectForm:
    initial = {"deadline": document.handling_deadline, "text": document.direction_text}
    return DirectForm(
        data,
        units=access.units_for_direction(document),
        templates=direction_templates(request),
        initial=initial,
        auto_id=_ids("direct"),
    )


def forward_form(part: Assignment, data: Any = None) -> ForwardForm:
    return ForwardForm(data, specialists=policy.specialists_of(part.unit), auto_id=_ids("forward", part.pk))


def opinion_form(document: Document, part: Assignment, data: Any = None) -> RequestOpinionForm:
    units = access.units_for_direction(document).exclude(pk=part.unit_id)
    return RequestOpinionForm(data, units=units, auto_id=_ids("opinion", part.pk))


# --- the page ---------------------------------------------------------------------------------------------


def _url(name: str, pk: int) -> str:
    return reverse(f"documents:{name}", args=[pk])


def _document_actions(request: HttpRequest, document: Document, bound: dict[str, forms.Form]) -> list[Action]:
    user = request.user
    status = document.status
    actions: list[Action] = []
    at_desk = status in (Status.REGISTERED, Status.PRESENTED)
    if at_desk and policy.can_present(user, document):
        actions.append(
            Action(
                "present",
                _("Present to a leader (trình)"),
                _url("present", document.pk),
                bound.get("present") or present_form(document),
                pgettext("submit: present a document to a leader", "Present"),
            )
        )
    if (at_desk or status == Status.IN_PROGRESS) and policy.can_direct(user, document):
        actions.append(
            Action(
                "direct",
                _("Change the direction") if status == Status.IN_PROGRESS else _("Direct (chỉ đạo)"),
                _url("direct", document.pk),
                bound.get("direct") or direct_form(request, document),
                _("Save the direction"),
            )
        )
    if status == Status.IN_PROGRESS and policy.can_complete(user, document):
        actions.append(
            Action(
                "complete",
                _("Complete"),
                _url("complete", document.pk),
                bound.get("complete") or CompleteForm(auto_id=_ids("complete")),
                _("Mark as completed"),
            )
        )
    if at_desk and policy.can_present(user, document):
        actions.append(
            Action(
                "return",
                _("Return to the sender"),
                _url("return", document.pk),
                bound.get("return") or ReturnForm(auto_id=_ids("return")),
                _("Return"),
                danger=True,
            )
        )
    return actions


def _part_actions(
    request: HttpRequest, document: Document, part: Assignment, bound: dict[str, forms.Form]
) -> list[Action]:
    if document.status != Status.IN_PROGRESS or part.state not in OPEN_PARTS:
        return []
    user = request.user
    actions: list[Action] = []
    if policy.can_head(user, part):
        key = f"forward-{part.pk}"
        title = _("Pass to another specialist") if part.handler_id else _("Pass to a specialist")
        form = bound.get(key) or forward_form(part)
        actions.append(Action(key, title, _url("forward", part.pk), form, _("Pass on")))
    if policy.can_handle(user, part):
        key = f"progress-{part.pk}"
        if part.role == AssignmentRole.COORDINATE:
            title, submit = _("Give the unit's opinion"), _("Send the opinion")
        else:
            title, submit = _("Progress note"), _("Add the note")
        form = bound.get(key) or ProgressForm(auto_id=_ids("progress", part.pk))
        actions.append(Action(key, title, _url("progress", part.pk), form, submit))
        if part.role == AssignmentRole.LEAD:
            key = f"opinion-{part.pk}"
            form = bound.get(key) or opinion_form(document, part)
            url = _url("request_opinion", part.pk)
            actions.append(Action(key, _("Ask another unit's opinion"), url, form, _("Ask")))
    return actions


def _parts(request: HttpRequest, document: Document, bound: dict[str, forms.Form]) -> list[Part]:
    assignments = (
        document.assignments.exclude(state=AssignmentState.CANCELLED).select_related("unit", "handler").order_by("id")
    )
    ordered = sorted(assignments, key=lambda a: (ROLE_ORDER.get(a.role, 9), a.pk))
    return [Part(a, _part_actions(request, document, a, bound)) for a in ordered]


def _timeline(document: Document) -> list[Step]:
    events = document.events.select_related("actor", "on_behalf_of", "unit").order_by("at", "id")
    steps = []
    for event in events:
        raw = event.data.get("deadline") if isinstance(event.data, dict) else None
        steps.append(Step(event, datetime.date.fromisoformat(raw) if isinstance(raw, str) else None))
    return steps


def _page(
    request: HttpRequest, document: Document, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    actions = _document_actions(request, document, bound)
    parts = _parts(request, document, bound)
    offered = {a.key for a in actions} | {a.key for p in parts for a in p.actions}
    # A step refused because the document moved on meanwhile has no form left to show its errors on.
    refused = [
        str(e) for key, form in bound.items() if key not in offered for errors in form.errors.values() for e in errors
    ]
    marks = deadline_marks()
    is_open = document.status in marks["open_statuses"]
    deadline = document.handling_deadline
    files = list(document.files.select_related("stored").order_by("role", "name", "-version"))
    # What the signatures on a received PDF say (valid, tampered, untrusted, invalid); None: not a PDF.
    checks = signatures.for_files(files) if document.is_incoming else {}
    for file in files:
        setattr(file, "signature_checks", checks.get(file.pk))  # noqa: B010
    context = {
        "document": document,
        "files": files,
        "parts": parts,
        "actions": actions,
        "timeline": _timeline(document),
        "is_overdue": is_open and deadline is not None and deadline < marks["today"],
        "is_due_soon": is_open and deadline is not None and marks["today"] <= deadline <= marks["due_soon"],
        "replies": access.documents_visible_to(request.user).filter(reply_to=document),
        "templates": list(direction_templates(request)) if any(a.key == "direct" for a in actions) else [],
        "refused": refused,
        "document_sections": registry.ordered_document_sections(),  # other apps' sections (tasks, ...)
        **marks,
    }
    return render(request, "documents/document.html", context, status=status)


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk, actor=actor_of(request))
    return _page(request, document)


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """The file's bytes, typed as sniffed when stored; only PDFs open in the browser."""
    found = access.access_file(request.user, pk, file_pk, actor=actor_of(request))
    try:
        data = file_services.read(found.stored)
    except FileError as error:
        messages.error(request, file_services.storage.file_error_message(error.code, error.detail))
        return redirect("documents:document", pk=pk)
    media_type = found.stored.media_type or "application/octet-stream"
    response = HttpResponse(data, content_type=media_type)
    disposition = content_disposition_header(media_type not in INLINE_TYPES, found.name)
    response["Content-Disposition"] = disposition or "attachment"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if found.document.secrecy > Secrecy.NONE else "private"
    return response


# --- the steps --------------------------------------------------------------------------------------------


def _require(decision: Decision | bool) -> None:
    if not decision:
        raise PermissionDenied


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def run_step(
    request: HttpRequest,
    document: Document,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
    *,
    find_action: Callable[[Document], Any],
    page: Callable[[Document, Any], HttpResponse],
) -> HttpResponse:
    """Validate, call the service (``perform`` says what was done), come back to the document; errors
    stay on the step's own form. ``find_action`` finds that form again on the fresh document (htmx
    answers with it alone); ``page`` draws the whole page when the request is not htmx. The incoming
    steps here and the outgoing ones (``views/outgoing.py``) share it."""
    if form.is_valid():
        try:
            done = perform(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            url = _url("document", document.pk)
            return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)
    document = access.access_document(request.user, document.pk)
    action = find_action(document)
    if _is_htmx(request):
        if action is not None:
            return render(request, "documents/_action.html", {"action": action})
        # The step is no longer offered (the document moved on): reload the page with the reason.
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return HttpResponseClientRedirect(_url("document", document.pk))
    return page(document, action)


def _act(
    request: HttpRequest,
    document: Document,
    key: str,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    def find_action(fresh: Document) -> Any:
        actions = _document_actions(request, fresh, {key: form})
        actions += [a for p in _parts(request, fresh, {key: form}) for a in p.actions]
        return next((a for a in actions if a.key == key), None)

    def page(fresh: Document, _action: Any) -> HttpResponse:
        return _page(request, fresh, {key: form}, status=400)

    return run_step(request, document, form, perform, find_action=find_action, page=page)


@login_required
@require_POST
def present(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_present(request.user, document))
    form = present_form(document, request.POST)

    def perform(data: dict[str, Any]) -> str:
        incoming.present(actor_of(request), document, leader=data["leader"], note=data.get("note") or "")
        return _("The document has been presented to {name}.").format(name=data["leader"])

    return _act(request, document, "present", form, perform)


@login_required
@require_POST
def direct(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_direct(request.user, document))
    form = direct_form(request, document, request.POST)

    def perform(data: dict[str, Any]) -> str:
        incoming.direct(actor_of(request), document, form.to_data())
        return _("The direction has been recorded.")

    return _act(request, document, "direct", form, perform)


@login_required
@require_POST
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    part = access.access_assignment(request.user, pk)
    _require(policy.can_head(request.user, part))
    document = access.access_document(request.user, part.document_id)
    form = forward_form(part, request.POST)

    def perform(data: dict[str, Any]) -> str:
        incoming.forward(actor_of(request), part, handler=data["handler"], note=data.get("note") or "")
        return _("The document has been passed to {name}.").format(name=data["handler"])

    return _act(request, document, f"forward-{part.pk}", form, perform)


@login_required
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    part = access.access_assignment(request.user, pk)
    _require(policy.can_handle(request.user, part))
    document = access.access_document(request.user, part.document_id)
    form = ProgressForm(request.POST, auto_id=_ids("progress", part.pk))

    def perform(data: dict[str, Any]) -> str:
        incoming.add_progress(actor_of(request), part, note=data.get("note") or "")
        return _("The note has been added.")

    return _act(request, document, f"progress-{part.pk}", form, perform)


@login_required
@require_POST
def request_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    part = access.access_assignment(request.user, pk)
    _require(policy.can_handle(request.user, part))
    document = access.access_document(request.user, part.document_id)
    form = opinion_form(document, part, request.POST)

    def perform(data: dict[str, Any]) -> str:
        incoming.request_opinion(actor_of(request), part, unit=data["unit"], question=data.get("question") or "")
        return _("{unit} has been asked for its opinion.").format(unit=data["unit"])

    return _act(request, document, f"opinion-{part.pk}", form, perform)


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_complete(request.user, document))
    form = CompleteForm(request.POST, auto_id=_ids("complete"))

    def perform(data: dict[str, Any]) -> str:
        reply = access.reply_for(request.user, document, data.get("reply"))
        incoming.complete(actor_of(request), document, result=data.get("result") or "", reply=reply)
        return _("The document is completed.")

    return _act(request, document, "complete", form, perform)


@login_required
@require_POST
def return_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_present(request.user, document))
    form = ReturnForm(request.POST, auto_id=_ids("return"))

    def perform(data: dict[str, Any]) -> str:
        incoming.return_document(actor_of(request), document, reason=data.get("reason") or "")
        return _("The document has been returned to its sender.")

    return _act(request, document, "return", form, perform)
