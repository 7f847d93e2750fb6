"""Accounts: who can sign in, lockout, passwords. Administrators only (and one's own account)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import access, policy
from vanphong.core.filters import search_words
from vanphong.core.forms import AccountCreateForm, PasswordForm, apply_service_errors
from vanphong.core.services import accounts as account_services
from vanphong.core.views.common import actor_of, paginate, query_without_page


@login_required
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    if not policy.is_administrator(request.user):
        raise PermissionDenied
    queryset = access.accounts_visible_to(request.user).select_related("person", "person__organization")
    text = request.GET.get("q", "").strip()
    if text:
        queryset = queryset.filter(username__icontains=text) | search_words(queryset, text, "person__search_text")
    if request.GET.get("locked") == "1":
        queryset = queryset.filter(locked_until__gt=timezone.now())
    return render(
        request,
        "core/account_list.html",
        {
            "page": paginate(request, queryset.order_by("username")),
            "query": query_without_page(request),
            "q": text,
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk, write=True)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = account_services.create_account(
                actor_of(request),
                person,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The account {username} has been created.").format(username=account.username))
            return redirect("core:account_detail", pk=account.pk)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("Create an account for {name}").format(name=person.full_name),
            "back_url": reverse("core:person_detail", args=[person.pk]),
        },
    )


@login_required
@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.access_account(request.user, pk)
    can_manage = policy.can_manage_account(request.user, account)
    history = access.object_history(request.user, account) if can_manage else None
    return render(
        request,
        "core/account_detail.html",
        {
            "account": account,
            "can_manage": can_manage,
            "password_form": PasswordForm(),
            "page": paginate(request, history) if history is not None else None,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def account_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Unlock, disable, enable, or set a new password."""
    account = access.access_account(request.user, pk, write=True)
    action = request.POST.get("action")
    actor = actor_of(request)
    try:
        if action == "unlock":
            account_services.unlock(actor, account)
            messages.success(request, _("The account has been unlocked."))
        elif action in ("disable", "enable"):
            if account.pk == request.user.pk:
                messages.error(request, _("You cannot disable your own account."))
            else:
                account_services.set_active(actor, account, action == "enable")
                messages.success(request, _("The account has been updated."))
        elif action == "password":
            form = PasswordForm(request.POST)
            if form.is_valid():
                account_services.set_password(actor, account, form.cleaned_data["password"])
                messages.success(request, _("The new password has been set."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("core:account_detail", pk=account.pk)
