"""Registering incoming documents (vào sổ văn bản đến): the clerk's keyboard-first form.

Clerks register many documents in a row: after each one the page says the arrival number it got and
offers an empty form again. A document that looks already registered (same sender, number and symbol,
date: Decree 30 Appendix VI) is shown with its twins and stored only once the clerk confirms.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.filters import search_words
from vanphong.core.forms import apply_service_errors
from vanphong.core.models import Organization
from vanphong.core.views.common import actor_of
from vanphong.documents import access, policy
from vanphong.documents.forms import IncomingForm
from vanphong.documents.models import Direction, Document, Register
from vanphong.documents.services import exchange, incoming
from vanphong.documents.services.files import Upload
from vanphong.lib.vntext import fold

SENDER_MATCHES = 10
DUPLICATES_SHOWN = 10


class PackageForm(forms.Form):
    """An edXML package received outside the hub's connector (on a USB stick, by e-mail)."""

    package = forms.FileField(
        label=gettext_lazy("edXML package (gói tin)"),
        help_text=gettext_lazy("A .edxml file; it is checked, signature included, before anything is stored."),
        widget=forms.ClearableFileInput(attrs={"accept": ".edxml,.xml,application/xml,text/xml"}),
    )


def _incoming_register(request: HttpRequest, pk: int) -> Register:
    register = access.access_register(request.user, pk)
    if register.direction != Direction.INCOMING:
        raise Http404
    if not policy.can_register(request.user, register):
        raise PermissionDenied
    return register


@login_required
@require_http_methods(["GET", "POST"])
def register_new(request: HttpRequest, pk: int) -> HttpResponse:
    register = _incoming_register(request, pk)
    posted = request.method == "POST"
    form = IncomingForm(request.POST if posted else None, request.FILES if posted else None, register=register)
    duplicates: list[Document] = []
    hidden_duplicates = 0
    status = 200
    if posted:
        if form.is_valid():
            uploads = [Upload(f.name or "", f.read()) for f in request.FILES.getlist("files")]
            data = form.to_data(uploads)
            if not form.cleaned_data.get("register_anyway"):
                found = incoming.find_duplicates(
                    register,
                    sender=data.sender,
                    sender_name=data.sender_name or (data.sender.full_name if data.sender else ""),
                    number_symbol=data.number_symbol,
                    document_date=data.document_date,
                )
                total = found.count()
                duplicates = list(found.filter(policy.visible_q(request.user))[:DUPLICATES_SHOWN])
                hidden_duplicates = max(0, total - found.filter(policy.visible_q(request.user)).count())
            if not duplicates and not hidden_duplicates:
                try:
                    document = incoming.register_incoming(actor_of(request), data)
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    url = reverse("documents:register_new", args=[register.pk])
                    return redirect(f"{url}?saved={document.pk}")
        if form.errors:
            status = 400
    saved = None
    if request.method == "GET" and request.GET.get("saved", "").isdigit():
        saved = (
            access.documents_visible_to(request.user)
            .filter(pk=int(request.GET["saved"]), register=register)
            .select_related("document_type")
            .first()
        )
    context = {
        "register": register,
        "form": form,
        "duplicates": duplicates,
        "hidden_duplicates": hidden_duplicates,
        "files_dropped": bool(request.FILES) and (duplicates or hidden_duplicates or form.errors),
        "saved": saved,
        "package_form": PackageForm(auto_id="id_import_%s"),
    }
    return render(request, "documents/register_new.html", context, status=status)


@login_required
@require_POST
def import_package(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a received edXML package (``exchange.import_package``); a package already here is shown."""
    register = _incoming_register(request, pk)
    form = PackageForm(request.POST, request.FILES, auto_id="id_import_%s")
    if form.is_valid():
        try:
            data = form.cleaned_data["package"].read()
            document, created = exchange.import_package(actor_of(request), register, data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if document.direction == Direction.OUTGOING:  # a recipient's status about one of ours
                symbol = {"symbol": document.number_symbol}
                if created:
                    recorded = _("The recipient's status for {symbol} has been recorded.")
                    messages.success(request, recorded.format(**symbol))
                else:
                    messages.warning(request, _("This status for {symbol} was already recorded.").format(**symbol))
                return redirect("documents:document", pk=document.pk)
            number = {"number": document.arrival_number, "year": document.arrival_year}
            if created:
                done = _("The package has been registered as arrival number {number}/{year}.")
                messages.success(request, done.format(**number))
            else:
                again = _("This package was already registered as arrival number {number}/{year}.")
                messages.warning(request, again.format(**number))
            return redirect("documents:document", pk=document.pk)
    context = {
        "register": register,
        "form": IncomingForm(register=register),
        "duplicates": [],
        "hidden_duplicates": 0,
        "files_dropped": False,
        "saved": None,
        "package_form": form,
    }
    return render(request, "documents/register_new.html", context, status=400)


@login_required
@require_GET
def sender_search(request: HttpRequest) -> HttpResponse:
    """Senders for the registration form: bodies whose folded name or identifier code matches."""
    text = request.GET.get("q") or request.GET.get("sender_name") or ""
    matches: list[Organization] = []
    if fold(text).strip():
        matches = list(
            search_words(Organization.objects.active(), text).order_by("depth", "sort_order", "full_name")[
                :SENDER_MATCHES
            ]
        )
    return render(request, "documents/_sender_options.html", {"matches": matches, "text": text})
