"""The audit log, as far as the person administers it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanphong.core import access, policy
from vanphong.core.views.common import paginate, query_without_page


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_audit(request.user):
        raise PermissionDenied
    entries = access.audit_entries_visible_to(request.user)
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    return render(
        request,
        "core/audit_list.html",
        {
            "page": paginate(request, entries.order_by("-seq")),
            "query": query_without_page(request),
            "action": action,
            "actor": actor,
        },
    )
