"""Registers (sổ văn bản đến): the ones a person keeps or leads, and each one's list in the Decree 30
incoming-register columns (Appendix IV), newest arrival first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanphong.core.views.common import paginate, query_without_page, template_for
from vanphong.documents import access, policy
from vanphong.documents.filters import RegisterFilter
from vanphong.documents.models import INCOMING_OPEN, Direction
from vanphong.documents.views import deadline_marks, listing


@login_required
@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    registers = list(access.registers_visible_to(request.user).filter(direction=Direction.INCOMING))
    # Counted over what the person may see, so that secret documents do not show through the figures.
    counts = {
        row["register_id"]: row
        for row in access.documents_visible_to(request.user)
        .filter(register__in=registers)
        .values("register_id")
        .annotate(total=Count("id"), open=Count("id", filter=Q(status__in=INCOMING_OPEN)))
    }
    kept = set(policy.registers_kept_by(request.user))
    rows = [
        (r, counts.get(r.pk, {}).get("total", 0), counts.get(r.pk, {}).get("open", 0), r.pk in kept) for r in registers
    ]
    return render(request, "documents/register_list.html", {"rows": rows})


@login_required
@require_GET
def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    register = access.access_register(request.user, pk)
    if register.direction != Direction.INCOMING:
        raise Http404  # outgoing registers have their own page
    documents = access.documents_visible_to(request.user).filter(register=register, direction=Direction.INCOMING)
    years = (
        documents.exclude(arrival_year__isnull=True)
        .order_by("-arrival_year")
        .values_list("arrival_year", flat=True)
        .distinct()
    )
    filters = RegisterFilter(request.GET or None, years=[y for y in years if y is not None])
    if filters.is_bound:
        documents = filters.filter(documents) if filters.is_valid() else documents.none()
    rows = listing(documents).order_by("-arrival_year", "-arrival_number", "-id")
    context = {
        "register": register,
        "filters": filters,
        "page": paginate(request, rows),
        "query": query_without_page(request),
        "can_register": bool(policy.can_register(request.user, register)),
        **deadline_marks(),
    }
    return render(request, template_for(request, "documents/register.html", "documents/_register_rows.html"), context)
