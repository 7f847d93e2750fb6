"""Delegations (ủy quyền): a leader or head hands their role to someone while absent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import access, policy
from vanphong.core.forms import DelegationForm, apply_service_errors
from vanphong.core.models import Person, RoleGrant
from vanphong.core.models.roles import DELEGABLE_ROLES
from vanphong.core.services import roles as role_services
from vanphong.core.views.common import actor_of, paginate, query_without_page


def _grants_user_may_delegate(request: HttpRequest) -> list[int]:
    grants = RoleGrant.objects.filter(role__in=DELEGABLE_ROLES, revoked_at__isnull=True).select_related(
        "organization", "person"
    )
    user = request.user
    mine = grants.filter(person_id=user.person_id) if user.person_id else grants.none()  # type: ignore[union-attr]
    administered = grants.filter(policy.administered_q(user, "organization__"))
    return [g.pk for g in (mine | administered) if policy.can_delegate(user, g.role, g.organization)]


@login_required
@require_GET
def delegation_list(request: HttpRequest) -> HttpResponse:
    queryset = access.delegations_visible_to(request.user)
    show = request.GET.get("show", "current")
    if show == "current":
        queryset = queryset.filter(revoked_at__isnull=True, ends_at__gt=timezone.now())
    return render(
        request,
        "core/delegation_list.html",
        {
            "page": paginate(request, queryset.order_by("-starts_at")),
            "query": query_without_page(request),
            "show": show,
            "now": timezone.now(),
            "can_create": bool(_grants_user_may_delegate(request)),
            "person_id": request.user.person_id,  # type: ignore[union-attr]
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest) -> HttpResponse:
    grant_ids = _grants_user_may_delegate(request)
    if not grant_ids:
        raise PermissionDenied
    grants = RoleGrant.objects.filter(pk__in=grant_ids).select_related("person", "organization")
    delegates = (
        Person.objects.filter(is_active=True)
        .filter(Q(organization__isnull=False))
        .select_related("organization")
        .order_by("sort_key")
    )
    form = DelegationForm(request.POST or None, grants=grants, delegates=delegates)
    if request.method == "POST" and form.is_valid():
        grant = form.cleaned_data["grant"]
        try:
            role_services.create_delegation(
                actor_of(request),
                delegator=grant.person,
                delegate=form.cleaned_data["delegate"],
                organization=grant.organization,
                role=grant.role,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The delegation has been recorded."))
            return redirect("core:delegation_list")
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("Delegate a role"),
            "back_url": reverse("core:delegation_list"),
        },
    )


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = access.access_delegation(request.user, pk, write=True)
    try:
        role_services.revoke_delegation(actor_of(request), delegation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delegation has been revoked."))
    return redirect("core:delegation_list")
