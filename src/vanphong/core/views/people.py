"""Persons: the directory, records, positions held and roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import access, policy
from vanphong.core.filters import PersonFilter
from vanphong.core.forms import EndPositionForm, PersonForm, PositionForm, RoleGrantForm, apply_service_errors
from vanphong.core.models import Organization
from vanphong.core.services import people as people_services
from vanphong.core.services import roles as role_services
from vanphong.core.views.common import actor_of, paginate, query_without_page, template_for


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    filters = PersonFilter(request.GET or None, can_filter_clearance=policy.is_administrator(request.user))
    queryset = access.persons_visible_to(request.user).select_related("organization")
    if filters.is_bound:
        queryset = filters.filter(queryset) if filters.is_valid() else queryset.none()
    else:
        queryset = queryset.filter(is_active=True)
    org_id = filters.cleaned_data.get("organization") if filters.is_bound and filters.is_valid() else None
    context = {
        "filters": filters,
        "page": paginate(request, queryset.order_by("sort_key", "id")),
        "query": query_without_page(request),
        "organization": Organization.objects.filter(pk=org_id).first() if org_id else None,
        "can_create": policy.is_administrator(request.user),
    }
    return render(request, template_for(request, "core/person_list.html", "core/_person_rows.html"), context)


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk)
    can_manage = bool(policy.can_manage_person(request.user, person))
    holdings = person.holdings.select_related("organization", "position").order_by("ended_on", "-started_on")
    grants = (
        access.role_grants_visible_to(request.user).filter(person=person).order_by("revoked_at", "organization__path")
    )
    account = getattr(person, "account", None)
    context = {
        "person": person,
        "holdings": holdings,
        "grants": grants,
        "account": account if account and policy.can_view_account(request.user, account) else None,
        "can_manage": can_manage,
        "show_confidential": access.read_confidential_person_fields(request.user, person, actor_of(request)),
        "can_manage_staff_ids": {
            h.organization_id
            for h in holdings
            if h.ended_on is None and policy.can_manage_staff(request.user, h.organization)
        },
        "can_assign": Organization.objects.active().filter(policy.staff_managed_q(request.user)).exists(),
    }
    return render(request, "core/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    if not policy.is_administrator(request.user):
        raise PermissionDenied
    organizations = access.organizations_administered_by(request.user).active().order_by("path")
    initial = {}
    if request.GET.get("organization"):
        initial["organization"] = organizations.filter(pk=request.GET["organization"]).first()
    form = PersonForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        if not policy.can_assign_to(request.user, data.organization):
            form.add_error("organization", _("Choose the organisation the person works in."))
        else:
            try:
                person = people_services.create_person(actor_of(request), data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("{name} has been added.").format(name=person.full_name))
                return redirect("core:person_detail", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk, write=True)
    organizations = access.organizations_administered_by(request.user).active().order_by("path")
    initial = {
        "full_name": person.full_name,
        "family_name": person.family_name,
        "middle_name": person.middle_name,
        "given_name": person.given_name,
        "gender": person.gender,
        "date_of_birth": person.date_of_birth,
        "email": person.email,
        "phone": person.phone,
        "organization": person.organization,
        "clearance": person.clearance,
    }
    form = PersonForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        try:
            if data.organization != person.organization and not policy.can_assign_to(request.user, data.organization):
                raise ValidationError({"organization": _("Choose the organisation the person works in.")})
            people_services.update_person(actor_of(request), person, data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The changes to {name} have been saved.").format(name=person.full_name))
            return redirect("core:person_detail", pk=person.pk)
    return render(request, "core/person_form.html", {"form": form, "person": person})


@login_required
@require_GET
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk)
    entries = access.object_history(request.user, person)
    back = reverse("core:person_detail", args=[person.pk])
    return render(
        request,
        "core/object_history.html",
        {"object": person, "page": paginate(request, entries), "back_url": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a position held; administrators, and leaders or heads for their own organisation."""
    person = access.access_person(request.user, pk)
    organizations = Organization.objects.active().filter(policy.staff_managed_q(request.user))
    if not organizations.exists():
        raise PermissionDenied
    form = PositionForm(
        request.POST or None,
        organizations=organizations.order_by("path"),
        initial={"organization": person.organization},
    )
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organization"]
        decision = policy.can_manage_staff(request.user, org)
        if not decision:
            raise PermissionDenied
        try:
            people_services.assign_position(
                actor_of(request).acting_for(decision.on_behalf_of),
                person,
                org,
                form.cleaned_data["position"],
                started_on=form.cleaned_data["started_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The position has been recorded."))
            return redirect("core:person_detail", pk=person.pk)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("Record a position held by {name}").format(name=person.full_name),
            "back_url": reverse("core:person_detail", args=[person.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    holding, decision = access.access_position_holding(request.user, pk)
    form = EndPositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.end_position(
                actor_of(request).acting_for(decision.on_behalf_of),
                holding,
                ended_on=form.cleaned_data["ended_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The position has been closed."))
            return redirect("core:person_detail", pk=holding.person_id)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("End: {holding}").format(holding=holding),
            "back_url": reverse("core:person_detail", args=[holding.person_id]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.access_person(request.user, pk, write=True)
    organizations = access.organizations_administered_by(request.user).active().order_by("path")
    form = RoleGrantForm(
        request.POST or None, organizations=organizations, initial={"organization": person.organization}
    )
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["organization"]
        if not policy.can_administer(request.user, org):
            raise PermissionDenied
        try:
            role_services.grant_role(actor_of(request), person, org, form.cleaned_data["role"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("core:person_detail", pk=person.pk)
    return render(
        request,
        "core/simple_form.html",
        {
            "form": form,
            "title": _("Grant a role to {name}").format(name=person.full_name),
            "back_url": reverse("core:person_detail", args=[person.pk]),
        },
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = access.access_role_grant(request.user, pk, write=True)
    try:
        role_services.revoke_role(actor_of(request), grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role has been revoked."))
    return redirect("core:person_detail", pk=grant.person_id)
