"""The plan (resolution) page: its tasks across units as a live matrix, and evidence file downloads.

The matrix is two queries whatever the number of units (448 districts and departments report on one
resolution in one province): the plan, and its visible tasks with their lead units. Columns are the
plan's tasks by title (the same task given to many units), rows the units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from vanphong.core.models import Organization
from vanphong.directives import access
from vanphong.directives.models import ReportFile, Task
from vanphong.directives.panels import CLASS_TITLES
from vanphong.directives.views.tasks import mark
from vanphong.documents.services.files import read

# What a cell shows: a thousand and more rows load only these columns.
MATRIX_FIELDS = (
    "title", "state", "deadline", "original_deadline", "completed_on", "percent", "last_report_at",
    "lead_unit__full_name", "lead_unit__sort_order",
)  # fmt: skip


@dataclass
class Row:
    unit: Organization
    cells: list[str] = field(default_factory=list)


EMPTY = mark_safe('<span class="muted">—</span>')


def cell(task: Task, base: str) -> str:
    """One cell, built here rather than by the template: a plan has thousands (448 units × its tasks)."""
    reported = ""
    if task.last_report_at is not None:
        day = timezone.localtime(task.last_report_at).strftime("%d/%m/%Y")
        reported = format_html('<br><span class="muted">{}</span>', day)
    return format_html(
        '<a href="{}{}/"><span class="badge {}" data-status="{}">{}</span></a> {}%{}',
        base, task.pk, task.badge, task.status_class, task.status_title, task.percent, reported,  # type: ignore[attr-defined]
    )  # fmt: skip


def matrix(tasks: list[Task], base: str) -> tuple[list[str], list[Row]]:
    titles = list(dict.fromkeys(t.title for t in tasks))
    column = {title: i for i, title in enumerate(titles)}
    rows: dict[int, Row] = {}
    for task in tasks:
        row = rows.setdefault(task.lead_unit_id, Row(task.lead_unit, [EMPTY] * len(titles)))
        row.cells[column[task.title]] = cell(task, base)
    ordered = sorted(rows.values(), key=lambda r: (r.unit.sort_order, r.unit.full_name))
    return titles, ordered


@login_required
@require_GET
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.access_plan(request.user, pk)
    tasks = mark(
        list(
            access.tasks_visible_to(request.user)
            .filter(plan=plan, parent__isnull=True)
            .select_related("lead_unit")
            .only(*MATRIX_FIELDS)
            .order_by("id")
        )
    )
    base = reverse("directives:home")  # each cell links to base + pk: one reverse, not one per cell
    titles, rows = matrix(tasks, base)
    counted: dict[str, int] = {}
    for task in tasks:
        counted[task.status_class] = counted.get(task.status_class, 0) + 1  # type: ignore[attr-defined]
    totals = [(str(cls), title, counted[str(cls)]) for cls, title in CLASS_TITLES.items() if counted.get(str(cls))]
    context = {"plan": plan, "titles": titles, "rows": rows, "totals": totals, "count": len(tasks), "base": base}
    return render(request, "directives/plan.html", context)


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """An evidence file, to whoever sees the task; always downloaded, never rendered inline."""
    task = access.access_task(request.user, pk)
    found = ReportFile.objects.select_related("stored").filter(report__task=task, pk=file_pk).first()
    if found is None:
        raise Http404
    data = read(found.stored)
    response = HttpResponse(data, content_type=found.stored.media_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, found.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
