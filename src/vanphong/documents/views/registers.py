"""Registers (sổ văn bản đến): the ones a person keeps or leads, and each one's list in the Decree 30
incoming-register columns (Appendix IV), newest arrival first; and any register printed or exported
(XLSX, PDF) in its Appendix IV form for a period (``documents.exports``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanphong.core.views.common import actor_of, paginate, query_without_page, template_for
from vanphong.documents import access, exports, policy
from vanphong.documents.filters import RegisterFilter, RegisterPeriodFilter
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
        "period": RegisterPeriodFilter(auto_id="export_%s"),
        "page": paginate(request, rows),
        "query": query_without_page(request),
        "can_register": bool(policy.can_register(request.user, register)),
        **deadline_marks(),
    }
    return render(request, template_for(request, "documents/register.html", "documents/_register_rows.html"), context)


@login_required
@require_GET
def register_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The register for a period in its Decree 30 form: a print page, an XLSX workbook or a PDF.

    Incoming and outgoing registers alike; the rows are what the person may see (``exports``).
    """
    register = access.access_register(request.user, pk)
    period = RegisterPeriodFilter(request.GET)
    if not period.is_valid():
        context = {"register": register, "period": period, "sheet": None, "rows": []}
        return render(request, "documents/print/register.html", context, status=400)
    start, end = period.period()
    sheet = exports.sheet_for(register, start, end, request.user)
    rows = exports.register_rows(request.user, register, start, end)
    file_format = period.chosen_format()
    actor = actor_of(request)
    if file_format in exports.MEDIA_TYPES:
        response: HttpResponse = exports.file_response(
            sheet, rows, file_format, actor=actor, register=register, start=start, end=end
        )
        return response
    exports.record_export(actor, register, start, end, "print", None)  # the print page: printed by the browser
    context = {"register": register, "period": period, "sheet": sheet, "rows": (exports.cells(row) for row in rows)}
    return render(request, "documents/print/register.html", context)
