"""The task statistics page (thống kê nhiệm vụ) and its XLSX and PDF exports (``directives.reports``).

Any signed-in person may open them: the figures are counted over the tasks that person may see, so a
specialist sees the figures of their unit's tasks and a leader those of the body they lead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import path, re_path
from django.views.decorators.http import require_GET

from vanphong.core.models import OrgKind
from vanphong.core.views.common import template_for
from vanphong.directives import reports


def _filters(request: HttpRequest) -> reports.StatisticsFilter:
    # Always bound: every field is optional, and an empty query means "this year, by unit".
    return reports.StatisticsFilter(request.GET, account=request.user)


def printed_by(account: Any) -> tuple[str, str]:
    """(the person's name, the body they work for) for a printout's footer and heading."""
    person = getattr(account, "person", None)
    if person is None:
        return str(account), ""
    body = person.organization
    while body is not None and body.kind == OrgKind.INTERNAL_UNIT and body.parent_id is not None:
        body = body.parent
    return person.full_name, body.full_name if body is not None else ""


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    context: dict[str, Any] = {"filters": filters, "stats": None}
    if not filters.is_valid():
        full = "directives/reports/statistics.html"
        return render(request, template_for(request, full, "directives/reports/_statistics.html"), context, status=400)
    stats = reports.statistics(request.user, filters.query())
    context.update(
        stats=stats,
        classes=[(cls.value, reports.LABELS[cls]) for cls in reports.CLASSES],
        group_label=dict(reports.GROUPS)[stats.query.group],
        group_chart=reports.group_chart(stats).svg() if stats.rows else "",
        month_chart=reports.month_chart(stats).svg() if len(stats.months) > 1 else "",
        query=request.GET.urlencode(),
    )
    full = "directives/reports/statistics.html"
    return render(request, template_for(request, full, "directives/reports/_statistics.html"), context)


@login_required
@require_GET
def statistics_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The statistics as XLSX or PDF, with the same filters as the page."""
    filters = _filters(request)
    if not filters.is_valid():
        context = {"filters": filters, "stats": None}
        return render(request, "directives/reports/statistics.html", context, status=400)
    stats = reports.statistics(request.user, filters.query(), printed=True)
    name, body = printed_by(request.user)
    return reports.file_response(stats, file_format, printed_by=name, body=body)


# Included into directives/urls.py under "statistics/" (the names join the "directives" namespace).
urlpatterns = [
    path("", statistics_page, name="statistics"),
    re_path(r"^export\.(?P<file_format>xlsx|pdf)$", statistics_export, name="statistics_export"),
]
