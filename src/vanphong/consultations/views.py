"""The consultation pages: my list, the draft form, the consultation with my answer, the steps, the PDF.

Thin: access helper → form → service → template. A step's errors stay on its own form; with htmx
the answer form is swapped in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from vanphong.consultations import access, documents, policy, services
from vanphong.consultations.filters import ConsultationFilter
from vanphong.consultations.forms import AnswerForm, CloseForm, ConfirmForm, ConsultationForm
from vanphong.consultations.models import Consultation, State
from vanphong.core.forms import apply_service_errors
from vanphong.core.models import Person
from vanphong.core.views.common import actor_of
from vanphong.documents import access as document_access
from vanphong.documents.models import Secrecy
from vanphong.documents.services import files as file_services
from vanphong.documents.services.files import Upload
from vanphong.lib.filestore import FileError

SHOWN = 100


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Consultations I am asked to answer, and those I organise (or manage as the body's leader)."""
    filters = ConsultationFilter(request.GET or None)
    to_answer, organised = access.asked_of(request.user), access.organised_by(request.user)
    if filters.is_bound:
        to_answer, organised = filters.filter(to_answer), filters.filter(organised)
    mine = access.my_answers(request.user, to_answer)
    context = {
        "filters": filters,
        "to_answer": [(c, mine.get(c.pk)) for c in to_answer.order_by("-state", "deadline")[:SHOWN]],
        "organised": organised.order_by("-pk")[:SHOWN],
        "may_organise": bool(policy.bodies_for(request.user)),
    }
    return render(request, "consultations/list.html", context)


def _form(request: HttpRequest, consultation: Consultation | None = None, *, posted: bool = False) -> ConsultationForm:
    bodies = policy.bodies_for(request.user)
    people = Person.objects.filter(is_active=True, account__isnull=False).select_related("organization")
    return ConsultationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        bodies=bodies,
        people=people.order_by("sort_key"),
        documents=document_access.documents_visible_to(request.user),
        consultation=consultation,
    )


def _uploads(request: HttpRequest) -> list[Upload]:
    return [Upload(f.name or "", f.read()) for f in request.FILES.getlist("files")]


@login_required
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    if not policy.bodies_for(request.user):
        raise Http404
    posted = request.method == "POST"
    form = _form(request, posted=posted)
    if posted and form.is_valid():
        try:
            consultation = services.create(
                actor_of(request), form.to_data(_uploads(request)), members=form.cleaned_data["members"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The consultation has been saved as a draft; open it to send it."))
            return redirect("consultations:detail", pk=consultation.pk)
    status = 400 if form.errors else 200
    return render(request, "consultations/form.html", {"form": form, "consultation": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access.access_consultation(request.user, pk, manage=True)
    if consultation.state != State.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("consultations:detail", pk=pk)
    posted = request.method == "POST"
    form = _form(request, consultation, posted=posted)
    if posted and form.is_valid():
        try:
            data = form.to_data(_uploads(request), body=consultation.body)
            services.update(actor_of(request), consultation, data, members=form.cleaned_data["members"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("consultations:detail", pk=pk)
    context = {"form": form, "consultation": consultation}
    return render(request, "consultations/form.html", context, status=400 if form.errors else 200)


def _context(request: HttpRequest, consultation: Consultation, **forms_: forms.Form) -> dict[str, Any]:
    manages = bool(policy.can_manage(request.user, consultation))
    member = access.my_membership(request.user, consultation)
    may_answer = member is not None and consultation.state == State.OPEN and not services.deadline_passed(consultation)
    answer_form = forms_.get("answer") or AnswerForm(
        initial={"answer": member.answer, "comment": member.comment} if member else None
    )
    return {
        "consultation": consultation,
        "manages": manages,
        "member": member,
        "may_answer": may_answer,
        "answer_form": answer_form,
        "close_form": forms_.get("close") or CloseForm(),
        "members": consultation.members.select_related("person__organization") if manages else None,
        "outcome": services.counted(consultation) if manages or consultation.state == State.CLOSED else None,
        "documents": access.documents_for_page(request.user, consultation, actor=actor_of(request)),
        "files": consultation.files.select_related("stored"),
        "errors": forms_.get("errors"),
    }


@login_required
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access.access_consultation(request.user, pk)
    return render(request, "consultations/detail.html", _context(request, consultation))


def _step(
    request: HttpRequest,
    consultation: Consultation,
    key: str,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Validate, call the service, come back to the consultation; errors stay on the step's form."""
    if form.is_valid():
        try:
            done = perform(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            url = consultation_url(consultation)
            return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)
    fresh = access.access_consultation(request.user, consultation.pk)
    context = _context(request, fresh, **{key: form, "errors": form})
    if _is_htmx(request) and key == "answer":
        # 200: htmx swaps only successful answers; the form with its errors replaces itself in place.
        return render(request, "consultations/_answer.html", context)
    return render(request, "consultations/detail.html", context, status=400)


def consultation_url(consultation: Consultation) -> str:
    from django.urls import reverse

    return reverse("consultations:detail", args=[consultation.pk])


@login_required
@require_POST
def consultation_open(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access.access_consultation(request.user, pk, manage=True)

    def perform(data: dict[str, Any]) -> str:
        services.open_consultation(actor_of(request), consultation)
        return _("The consultation has been sent to the members.")

    return _step(request, consultation, "open", ConfirmForm(request.POST), perform)


@login_required
@require_POST
def consultation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access.access_consultation(request.user, pk)
    if access.my_membership(request.user, consultation) is None:
        raise PermissionDenied

    def perform(data: dict[str, Any]) -> str:
        services.answer(actor_of(request), consultation, choice=data["answer"], comment=data.get("comment") or "")
        return _("Your answer has been recorded; you may change it until the deadline.")

    return _step(request, consultation, "answer", AnswerForm(request.POST), perform)


@login_required
@require_POST
def consultation_remind(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access.access_consultation(request.user, pk, manage=True)

    def perform(data: dict[str, Any]) -> str:
        sent = services.remind(actor_of(request), consultation)
        return _("{count} members reminded.").format(count=sent)

    return _step(request, consultation, "remind", ConfirmForm(request.POST), perform)


@login_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = access.access_consultation(request.user, pk, manage=True)

    def perform(data: dict[str, Any]) -> str:
        closed = services.close(actor_of(request), consultation, conclusion=data.get("conclusion") or "")
        return _("Closed: passed.") if closed.passed else _("Closed: not passed.")

    return _step(request, consultation, "close", CloseForm(request.POST), perform)


@login_required
@require_GET
def consultation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The summary sheet (Phiếu tổng hợp ý kiến) of a closed consultation, for those who manage it."""
    consultation = access.access_consultation(request.user, pk, manage=True)
    if consultation.state != State.CLOSED:
        raise Http404
    response = HttpResponse(documents.summary_pdf(consultation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-tong-hop-y-kien-{consultation.pk}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def _file_response(request: HttpRequest, pk: int, stored: Any, name: str, *, secret: bool) -> HttpResponse:
    try:
        data = file_services.read(stored)
    except FileError as error:
        messages.error(request, file_services.storage.file_error_message(error.code, error.detail))
        return redirect("consultations:detail", pk=pk)
    from django.utils.http import content_disposition_header

    media_type = stored.media_type or "application/octet-stream"
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(media_type != "application/pdf", name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if secret else "private"
    return response


@login_required
@require_GET
def consultation_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    found = access.access_file(request.user, pk, file_pk)
    return _file_response(request, pk, found.stored, found.name, secret=False)


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, document_pk: int, file_pk: int) -> HttpResponse:
    """A file of a registry document sent with the question, read through the consultation."""
    found = access.access_document_file(request.user, pk, document_pk, file_pk, actor=actor_of(request))
    return _file_response(request, pk, found.stored, found.name, secret=found.document.secrecy > Secrecy.NONE)
