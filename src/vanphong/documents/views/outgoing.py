"""The outgoing pages (văn bản đi): my drafts, the draft form, and the steps from the circuit to dispatch.

Draft → submit into the circuit (unit head → office leader → signer) → each approver approves or sends
it back with a comment → the signer signs with their certificate (the number is given then) → the văn
thư issues it with the body's seal and dispatches it (edXML to the outbox, paper recorded) → it may be
recalled, its number withdrawn, or a replacement drafted. Each step is a small POST form shown on the
document page (``outgoing_panel``) when ``policy`` allows it; the services check everything again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from vanphong.core.forms import apply_service_errors
from vanphong.core.models import Organization, Person, Role
from vanphong.core.policy import Decision
from vanphong.core.views.common import actor_of
from vanphong.documents import access, docx_layout, policy
from vanphong.documents.forms_outgoing import ConfirmForm, DecideForm, DraftForm, ReasonForm, SignForm, SubmitForm
from vanphong.documents.models import (
    ApprovalStep,
    Direction,
    Document,
    Register,
    SigningCredential,
    Status,
    StepState,
)
from vanphong.documents.services import exchange, outgoing
from vanphong.documents.services.files import Upload
from vanphong.documents.views.document import run_step

MY_DRAFTS_SHOWN = 100


@dataclass
class OutgoingAction:
    """One outgoing step offered on the document page (rendered by ``documents/_action.html``)."""

    key: str
    title: str
    url: str
    form: forms.Form
    submit: str
    danger: bool = False


# --- what may be chosen ---------------------------------------------------------------------------------


def _bodies_q(registers: QuerySet[Register], prefix: str) -> Q:
    query = Q(pk__in=[])
    for path in {r.organization.path for r in registers}:
        query |= Q(**{f"{prefix}path__startswith": path})
    return query


def draft_form(
    request: HttpRequest, document: Document | None = None, *, data: Any = None, files: Any = None
) -> DraftForm:
    registers = access.registers_for_drafting(request.user)
    if document is not None:
        registers = Register.objects.filter(pk=document.register_id).select_related("organization")
    units = Organization.objects.active().filter(_bodies_q(registers, "")).order_by("path")
    signers = Person.objects.filter(_bodies_q(registers, "organization__"), is_active=True)
    return DraftForm(data, files, registers=registers, units=units, signers=signers, document=document)


def heads_of(unit: Organization | None) -> QuerySet[Person]:
    """Who reviews for the drafting unit: heads of it or of a unit above it."""
    if unit is None:
        return Person.objects.none()
    return Person.objects.filter(
        role_grants__role=Role.HEAD,
        role_grants__revoked_at__isnull=True,
        role_grants__organization__path__in=policy.ancestor_paths(unit.path),
    ).distinct()


def submit_form(document: Document, data: Any = None) -> SubmitForm:
    checkers = policy.leaders_of(document.register)
    if document.signer_id is not None:
        checkers = checkers.exclude(pk=document.signer_id)
    return SubmitForm(data, reviewers=heads_of(document.drafting_unit), checkers=checkers, auto_id="id_submit_%s")


def sign_form(request: HttpRequest, data: Any = None) -> SignForm:
    person_id = policy.reach(request.user).person_id
    mine = (
        SigningCredential.objects.filter(person_id=person_id, is_active=True)
        if person_id is not None
        else SigningCredential.objects.none()
    )
    form = SignForm(data, credentials=mine, auto_id="id_sign_%s")
    if not form.fields["credential"].queryset.exists():  # type: ignore[attr-defined]
        form.fields["credential"].help_text = _(
            "You have no signing certificate loaded; an administrator loads it with "
            "“vanphong documents load-certificate”."
        )
    return form


def pending_step(request: HttpRequest, document: Document) -> ApprovalStep | None:
    person_id = policy.reach(request.user).person_id
    if person_id is None or document.status != Status.IN_REVIEW:
        return None
    return ApprovalStep.objects.filter(document=document, approver_id=person_id, state=StepState.PENDING).first()


def _url(name: str, pk: int) -> str:
    return reverse(f"documents:{name}", args=[pk])


def outgoing_actions(
    request: HttpRequest, document: Document, bound: dict[str, forms.Form] | None = None
) -> list[OutgoingAction]:
    """The outgoing steps ``request.user`` may take on ``document`` now, each with its (bound) form."""
    if document.direction != Direction.OUTGOING:
        return []
    bound = bound or {}
    user, status, pk = request.user, document.status, document.pk
    actions: list[OutgoingAction] = []

    def offer(key: str, title: str, name: str, form: forms.Form, submit: str, danger: bool = False) -> None:
        actions.append(OutgoingAction(key, title, _url(name, pk), bound.get(key) or form, submit, danger))

    if status == Status.DRAFT and policy.can_edit_draft(user, document):
        offer("submit", _("Submit for review"), "outgoing_submit", submit_form(document), _("Submit"))
    approval = pending_step(request, document)
    if approval is not None:
        actions.append(
            OutgoingAction(
                "decide",
                _("Your decision: {stage}").format(stage=approval.get_stage_display()),
                _url("outgoing_decide", approval.pk),
                bound.get("decide") or DecideForm(auto_id="id_decide_%s"),
                _("Record the decision"),
            )
        )
    is_signer = document.signer_id is not None and document.signer_id == policy.reach(user).person_id
    if status == Status.APPROVED and is_signer:
        offer("sign", _("Sign (the number is given now)"), "outgoing_sign", sign_form(request), _("Sign"))
    issuer = bool(policy.can_issue(user, document))
    if status == Status.SIGNED and issuer:
        offer("issue", _("Issue with the body's seal"), "outgoing_issue", ConfirmForm(), _("Issue"))
    if status == Status.ISSUED and issuer:
        offer("dispatch", _("Dispatch to the recipients"), "outgoing_dispatch", ConfirmForm(), _("Dispatch"))
    if status in outgoing.RECALLABLE and issuer:
        offer("recall", _("Recall (thu hồi)"), "outgoing_recall", ReasonForm(auto_id="id_recall_%s"), _("Recall"),
              danger=True)  # fmt: skip
    if status in (Status.SIGNED, Status.ISSUED, Status.DISPATCHED) and policy.can_withdraw_number(user, document):
        offer("withdraw", _("Withdraw the number"), "outgoing_withdraw", ReasonForm(auto_id="id_withdraw_%s"),
              _("Withdraw the number"), danger=True)  # fmt: skip
    replaced = Document.objects.filter(replaces=document).exclude(status=Status.RECALLED).exists()
    if status in outgoing.REPLACEABLE and not replaced and policy.can_draft(user, document.register):
        offer("replace", _("Draft a replacement (văn bản thay thế)"), "outgoing_replace", ConfirmForm(),
              _("Start the replacement"))  # fmt: skip
    return actions


# --- pages ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def drafts(request: HttpRequest) -> HttpResponse:
    """My drafts and outgoing documents, newest first, and what waits for my decision."""
    person_id = policy.reach(request.user).person_id
    mine = (
        access.documents_visible_to(request.user)
        .filter(direction=Direction.OUTGOING, drafter_id=person_id)
        .select_related("document_type", "register")
        .order_by("-updated_at", "-id")
        if person_id
        else Document.objects.none()
    )
    waiting = access.basket(request.user, "to_approve").select_related("document_type", "register").order_by("-id")
    context = {
        "mine": mine[:MY_DRAFTS_SHOWN],
        "waiting": waiting[:MY_DRAFTS_SHOWN],
        "waiting_count": waiting.count(),
        "to_issue_count": access.basket(request.user, "to_issue").count(),
        "may_draft": access.registers_for_drafting(request.user).exists(),
    }
    return render(request, "documents/outgoing/drafts.html", context)


def _uploads(request: HttpRequest) -> list[Upload]:
    return [Upload(f.name or "", f.read()) for f in request.FILES.getlist("files")]


@login_required
@require_http_methods(["GET", "POST"])
def draft_new(request: HttpRequest) -> HttpResponse:
    if not access.registers_for_drafting(request.user).exists():
        raise Http404
    posted = request.method == "POST"
    form = draft_form(request, data=request.POST if posted else None, files=request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            document = outgoing.create_draft(actor_of(request), form.to_data(_uploads(request)))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("documents:document", pk=document.pk)
    context = {"form": form, "document": None, "files_dropped": posted and bool(request.FILES)}
    return render(request, "documents/outgoing/draft_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk, actor=actor_of(request))
    if not policy.can_edit_draft(request.user, document):
        raise PermissionDenied
    if document.status != Status.DRAFT:
        messages.error(request, _("The draft is in the circuit; it can be changed once it is sent back."))
        return redirect("documents:document", pk=pk)
    posted = request.method == "POST"
    form = draft_form(request, document, data=request.POST if posted else None, files=request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            outgoing.update_draft(actor_of(request), document, form.to_data(_uploads(request)))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("A new version of the draft has been saved."))
            return redirect("documents:document", pk=pk)
    context = {"form": form, "document": document, "files_dropped": posted and bool(request.FILES)}
    return render(request, "documents/outgoing/draft_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def draft_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as Word (DOCX) in the official layout, for whoever may see it, until it is signed (then the
    signed PDF is the document)."""
    document = access.access_document(request.user, pk, actor=actor_of(request))
    if document.direction != Direction.OUTGOING or document.status not in docx_layout.DRAFT_STATUSES:
        raise Http404
    response = HttpResponse(docx_layout.render_docx(document), content_type=docx_layout.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = docx_layout.content_disposition(document)
    patch_cache_control(response, private=True, no_store=True)  # drafts may be secret; keep them out of caches
    return response


# --- the steps --------------------------------------------------------------------------------------------


def _require(decision: Decision | bool) -> None:
    if not decision:
        raise PermissionDenied


def _step(
    request: HttpRequest, document: Document, key: str, form: forms.Form, perform: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """The outgoing steps through the same runner as the incoming ones; the whole-page answer is the
    step's own page."""

    def find_action(fresh: Document) -> OutgoingAction | None:
        return next((a for a in outgoing_actions(request, fresh, {key: form}) if a.key == key), None)

    def page(fresh: Document, action: OutgoingAction | None) -> HttpResponse:
        context = {"document": fresh, "action": action, "form": form}
        return render(request, "documents/outgoing/step.html", context, status=400)

    return run_step(request, document, form, perform, find_action=find_action, page=page)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_edit_draft(request.user, document))
    form = submit_form(document, request.POST)

    def perform(data: dict[str, Any]) -> str:
        outgoing.submit(
            actor_of(request), document, reviewer=data.get("reviewer"), office_checker=data.get("office_checker")
        )
        return _("The draft has been submitted for review.")

    return _step(request, document, "submit", form, perform)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = access.access_step(request.user, pk)
    _require(policy.can_decide(request.user, approval) or approval.approver_id == policy.reach(request.user).person_id)
    document = access.access_document(request.user, approval.document_id)
    form = DecideForm(request.POST, auto_id="id_decide_%s")

    def perform(data: dict[str, Any]) -> str:
        approve = data["decision"] == "approve"
        outgoing.decide(actor_of(request), approval, approve=approve, comment=data.get("comment") or "")
        return _("Approved.") if approve else _("The draft has been sent back to the drafter.")

    return _step(request, document, "decide", form, perform)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(document.signer_id is not None and document.signer_id == policy.reach(request.user).person_id)
    form = sign_form(request, request.POST)

    def perform(data: dict[str, Any]) -> str:
        signed = outgoing.sign(actor_of(request), document, credential=data["credential"])
        return _("Signed as {number_symbol}.").format(number_symbol=signed.number_symbol)

    return _step(request, document, "sign", form, perform)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_issue(request.user, document))

    def perform(data: dict[str, Any]) -> str:
        outgoing.issue(actor_of(request), document)
        return _("The document has been issued.")

    return _step(request, document, "issue", ConfirmForm(request.POST), perform)


@login_required
@require_POST
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_issue(request.user, document))

    def perform(data: dict[str, Any]) -> str:
        sent = exchange.dispatch(actor_of(request), document)
        return _("Dispatched to {count} recipients.").format(count=len(sent))

    return _step(request, document, "dispatch", ConfirmForm(request.POST), perform)


@login_required
@require_POST
def recall(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_issue(request.user, document))
    form = ReasonForm(request.POST, auto_id="id_recall_%s")

    def perform(data: dict[str, Any]) -> str:
        outgoing.recall(actor_of(request), document, reason=data.get("reason") or "")
        return _("The document has been recalled; its recipients have been told.")

    return _step(request, document, "recall", form, perform)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_withdraw_number(request.user, document))
    form = ReasonForm(request.POST, auto_id="id_withdraw_%s")

    def perform(data: dict[str, Any]) -> str:
        withdrawn = outgoing.withdraw_number(actor_of(request), document, reason=data.get("reason") or "")
        return _("Number {symbol} has been withdrawn.").format(symbol=withdrawn.symbol)

    return _step(request, document, "withdraw", form, perform)


@login_required
@require_POST
def replace(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.access_document(request.user, pk)
    _require(policy.can_draft(request.user, document.register))
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            draft = outgoing.replace(actor_of(request), document)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The replacement draft has been started; change what was wrong."))
            url = _url("outgoing_edit", draft.pk)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)  # type: ignore[attr-defined]
    return _step(request, document, "replace", form, lambda data: "")
