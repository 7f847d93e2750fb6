"""Registers (sổ văn bản đến): the ones a person keeps or leads, and each one's list in the Decree 30
incoming-register columns (Appendix IV), newest arrival first; and any register printed or exported
(XLSX, PDF) in its Appendix IV form for a period (``documents.exports``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vanphong.core.views.common import actor_of, paginate, query_without_page, template_for
from vanphong.documents import access, exports, policy
from vanphong.documents.filters import RegisterFilter, RegisterPeriodFilter
from vanphong.documents.models import INCOMING_OPEN, Direction, Register
from vanphong.documents.services import exports as export_services
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
        "export_limit": intcomma(exports.inline_limit()),
        "page": paginate(request, rows),
        "query": query_without_page(request),
        "can_register": bool(policy.can_register(request.user, register)),
        **deadline_marks(),
    }
    return render(request, template_for(request, "documents/register.html", "documents/_register_rows.html"), context)


@login_required
@require_http_methods(["GET", "POST"])
def register_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The register for a period in its Decree 30 form: a print page, an XLSX workbook or a PDF.

    Incoming and outgoing registers alike; the rows are what the person may see (``exports``). A file
    of more than ``exports.inline_limit()`` documents is not written in the request: the register
    page's form (POST) queues it for the background worker and leads to "My exports"; a plain GET
    (a bookmark, the print page's form) asks first, since a GET changes nothing.
    """
    register = access.access_register(request.user, pk)
    period = RegisterPeriodFilter(request.POST if request.method == "POST" else request.GET)
    if not period.is_valid():
        context = {"register": register, "period": period, "sheet": None, "rows": []}
        return render(request, "documents/print/register.html", context, status=400)
    start, end = period.period()
    file_format = period.chosen_format()
    actor = actor_of(request)
    if file_format in exports.MEDIA_TYPES:
        count = exports.too_long_to_wait(request.user, register, start, end)
        if count is not None:
            return _queue(request, register, period, count)
        sheet = exports.sheet_for(register, start, end, request.user)
        rows = exports.register_rows(request.user, register, start, end)
        response: HttpResponse = exports.file_response(
            sheet, rows, file_format, actor=actor, register=register, start=start, end=end
        )
        return response
    if request.method == "POST":  # the print page lives at its own address, so that it can be reloaded
        query = urlencode({"from": f"{start:%d/%m/%Y}", "to": f"{end:%d/%m/%Y}", "format": file_format})
        return redirect(f"{reverse('documents:register_export', args=[register.pk])}?{query}")
    sheet = exports.sheet_for(register, start, end, request.user)
    rows = exports.register_rows(request.user, register, start, end)
    exports.record_export(actor, register, start, end, "print", None)  # the print page: printed by the browser
    context = {"register": register, "period": period, "sheet": sheet, "rows": (exports.cells(row) for row in rows)}
    return render(request, "documents/print/register.html", context)


def _queue(request: HttpRequest, register: Register, period: RegisterPeriodFilter, count: int) -> HttpResponse:
    start, end = period.period()
    if request.method != "POST":
        context = {"register": register, "period": period, "count": count, "limit": exports.inline_limit(),
                   "start": start, "end": end}  # fmt: skip
        return render(request, "documents/export_queue.html", context)
    export, _new = export_services.queue(actor_of(request), register, start, end, period.chosen_format(), rows=count)
    message = _(
        "The register holds {count} documents in this period, too many to prepare while you wait. The export "
        "was queued: it will be in “My exports”, and you will get a notice when it is ready."
    )
    messages.success(request, message.format(count=intcomma(count)))
    return redirect(reverse("documents:export_list") + f"#export-{export.pk}")
