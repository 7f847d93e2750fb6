"""The organisation tree: browse, search, see history, create, edit and restructure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vanphong.core import access, policy
from vanphong.core.filters import OrganizationFilter
from vanphong.core.forms import OrganizationForm, RestructureForm, apply_service_errors
from vanphong.core.models import Organization, PositionHolding, Restructuring
from vanphong.core.services import organizations as org_services
from vanphong.core.views.common import actor_of, paginate, query_without_page, template_for


@login_required
@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    filters = OrganizationFilter(request.GET or None)
    queryset: QuerySet[Organization] = access.organizations_visible_to(request.user).select_related("parent")
    if filters.is_bound and filters.is_valid():
        queryset = filters.filter(queryset)
    elif not filters.is_bound:
        queryset = queryset.filter(dissolved_on__isnull=True)
    else:
        queryset = queryset.none()
    as_of = filters.cleaned_data.get("as_of") if filters.is_bound and filters.is_valid() else None
    page = paginate(request, queryset.order_by("path"), per_page=100)
    if as_of is not None:
        # Names, codes and kinds as they were on that day.
        records = {r.organization_id: r for r in access.tree_as_of(as_of)}
        for org in page:
            org.as_of_record = records.get(org.pk)
    context = {
        "filters": filters,
        "page": page,
        "as_of": as_of,
        "query": query_without_page(request),
        "can_create": policy.is_administrator(request.user),
    }
    return render(
        request, template_for(request, "core/organization_list.html", "core/_organization_rows.html"), context
    )


@login_required
@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.access_organization(request.user, pk)
    children = (
        Organization.objects.filter(parent=org)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("dissolved_on", "sort_order", "full_name")
    )
    holdings = (
        PositionHolding.objects.filter(organization=org, ended_on__isnull=True)
        .select_related("person", "position")
        .order_by("position__rank", "person__sort_key")
    )
    restructurings = (
        Restructuring.objects.filter(Q(predecessors=org) | Q(successors=org))
        .distinct()
        .prefetch_related("predecessors", "successors")
    )
    ancestors = Organization.objects.filter(pk__in=org.ancestor_ids()[:-1]).order_by("depth")
    can_edit = bool(policy.can_administer(request.user, org))
    context = {
        "org": org,
        "ancestors": ancestors,
        "children": children,
        "holdings": holdings,
        "records": org.records.select_related("parent").order_by("-valid_from"),
        "restructurings": restructurings,
        "can_edit": can_edit and org.is_active,
        "can_view_history": can_edit,
        "can_manage_staff": bool(policy.can_manage_staff(request.user, org)) and org.is_active,
    }
    return render(request, "core/organization_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    if not policy.is_administrator(request.user):
        raise PermissionDenied
    parents = access.organizations_administered_by(request.user).active().order_by("path")
    initial = {}
    if request.GET.get("parent"):
        initial["parent"] = parents.filter(pk=request.GET["parent"]).first()
    form = OrganizationForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        if not policy.can_place_under(request.user, data.parent):
            form.add_error("parent", _("Choose the organisation it belongs to."))
        else:
            try:
                org = org_services.create_organization(
                    actor_of(request), data, established_on=form.cleaned_data["effective_on"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("{name} has been added.").format(name=org.full_name))
                return redirect("core:organization_detail", pk=org.pk)
    return render(request, "core/organization_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.access_organization(request.user, pk, write=True)
    parents = access.organizations_administered_by(request.user).active().exclude(path__startswith=org.path)
    if org.parent_id and not parents.filter(pk=org.parent_id).exists():
        parents = parents | Organization.objects.filter(pk=org.parent_id)
    initial = {
        "full_name": org.full_name,
        "short_name": org.short_name,
        "abbreviation": org.abbreviation,
        "kind": org.kind,
        "level": org.level,
        "parent": org.parent,
        "identifier_code": org.identifier_code or "",
        "sort_order": org.sort_order,
        "effective_on": timezone.localdate(),
    }
    form = OrganizationForm(request.POST or None, parents=parents.order_by("path"), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        moved = (data.parent.pk if data.parent else None) != org.parent_id
        try:
            if moved and not policy.can_place_under(request.user, data.parent):
                raise ValidationError({"parent": _("Choose the organisation it belongs to.")})
            org_services.update_organization(
                actor_of(request), org, data, effective_on=form.cleaned_data["effective_on"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The changes to {name} have been saved.").format(name=org.full_name))
            return redirect("core:organization_detail", pk=org.pk)
    return render(request, "core/organization_form.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def organization_restructure(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.access_organization(request.user, pk, write=True)
    if not org.is_active:
        raise PermissionDenied
    candidates = access.organizations_administered_by(request.user).active().exclude(pk=org.pk).order_by("path")
    form = RestructureForm(
        request.POST or None,
        candidates=candidates,
        initial={"full_name": org.full_name, "short_name": org.short_name, "abbreviation": org.abbreviation},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = actor_of(request)
        try:
            if data["kind"] == "rename":
                org_services.rename_organization(
                    actor,
                    org,
                    full_name=data["full_name"],
                    short_name=data.get("short_name") or "",
                    abbreviation=data["abbreviation"],
                    effective_on=data["effective_on"],
                    decision=data.get("decision") or "",
                    note=data.get("note") or "",
                )
                target = org
            elif data["kind"] == "merge":
                org_services.merge_organizations(
                    actor,
                    [org, *data["others"]],
                    into=org,
                    effective_on=data["effective_on"],
                    decision=data.get("decision") or "",
                    note=data.get("note") or "",
                )
                target = org
            else:
                successor = data.get("successor")
                org_services.dissolve_organization(
                    actor,
                    org,
                    successor=successor,
                    effective_on=data["effective_on"],
                    decision=data.get("decision") or "",
                    note=data.get("note") or "",
                )
                target = successor or org
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The restructuring has been recorded."))
            return redirect("core:organization_detail", pk=target.pk)
    return render(request, "core/organization_restructure.html", {"form": form, "org": org})


@login_required
@require_GET
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.access_organization(request.user, pk)
    entries = access.object_history(request.user, org)
    return render(
        request,
        "core/object_history.html",
        {"object": org, "page": paginate(request, entries), "back_url": org_detail_url(org)},
    )


def org_detail_url(org: Organization) -> str:
    from django.urls import reverse

    return reverse("core:organization_detail", args=[org.pk])
