"""The directives API (``/api/tasks``): the same access helpers, filter, services and permission checks
as the pages. Every action answers with the task as it now stands, timeline included."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from vanphong.core.api import ERRORS
from vanphong.core.models import Organization
from vanphong.core.views.common import actor_of
from vanphong.directives import access, conf, policy
from vanphong.directives.filters import TaskFilter
from vanphong.directives.models import Plan, ProgressReport, Task
from vanphong.directives.services import extensions, progress, tasks
from vanphong.documents.access import access_assignment, documents_visible_to
from vanphong.documents.services.files import Upload
from vanphong.rules.task_status import classify

router = Router(tags=["directives"])
router.add_router("/statistics", "vanphong.directives.api_reports.router")  # task statistics (reports.py)
PAGE_SIZE = 50


class TaskOut(Schema):
    id: int
    title: str
    source_kind: str
    source_title: str
    source_document_id: int | None
    assigned_by: str | None
    assigning_body_id: int
    lead_unit_id: int
    lead_unit: str
    handler: str | None
    deadline: datetime.date | None
    original_deadline: datetime.date | None
    recurrence: str
    priority: str
    state: str
    status_class: str | None
    percent: int
    completed_on: datetime.date | None
    plan_id: int | None
    parent_id: int | None


class EventOut(Schema):
    kind: str
    at: datetime.datetime
    actor: str | None
    unit: str | None
    note: str


class TargetOut(Schema):
    id: int
    name: str
    unit_of_measure: str
    target_value: Decimal
    achieved_value: Decimal | None


class ExtensionOut(Schema):
    id: int
    old_deadline: datetime.date | None
    new_deadline: datetime.date
    reason: str
    state: str
    decided_by: str | None
    decided_at: datetime.datetime | None


class ReportOut(Schema):
    id: int
    unit: str
    author: str
    text: str
    percent: int
    created_at: datetime.datetime
    files: list[str]
    document_ids: list[int]


class TaskDetailOut(TaskOut):
    content: str
    coordinating_unit_ids: list[int]
    targets: list[TargetOut]
    extensions: list[ExtensionOut]
    reports: list[ReportOut]
    timeline: list[EventOut]


class PageOut(Schema):
    count: int
    results: list[TaskOut]


class ListParams(Schema):
    q: str = ""
    status: str = Field("", description="not_yet_due, due_soon, overdue, extended, completed_on_time, completed_late")
    state: str = ""
    unit: int | None = None
    leader: int | None = None
    source_kind: str = ""
    plan: int | None = None
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None
    page: int = 1


COMPUTED = ("assigned_by", "handler", "lead_unit", "status_class")


def _out(task: Task, today: datetime.date) -> dict[str, Any]:
    status = None
    if task.state != "cancelled":
        status = classify(
            task.deadline, task.completed_on, today, extended=task.is_extended, due_soon_days=conf.due_soon_days()
        ).value
    return {
        **{name: getattr(task, name) for name in TaskOut.model_fields if name not in COMPUTED},
        "assigned_by": task.assigned_by.full_name if task.assigned_by else None,
        "handler": task.handler.full_name if task.handler else None,
        "lead_unit": task.lead_unit.full_name,
        "status_class": status,
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    task = access.access_task(request.user, pk)
    return {
        **_out(task, timezone.localdate()),
        "content": task.content,
        "coordinating_unit_ids": [u.pk for u in task.coordinating_units.all()],
        "targets": list(task.targets.all()),
        "extensions": [
            {**{f: getattr(e, f) for f in ExtensionOut.model_fields if f != "decided_by"},
             "decided_by": e.decided_by.full_name if e.decided_by else None}
            for e in task.extensions.select_related("decided_by")
        ],
        "reports": [
            {"id": r.pk, "unit": r.unit.full_name, "author": r.author.full_name, "text": r.text, "percent": r.percent,
             "created_at": r.created_at, "files": [f.name for f in r.files.all()],
             "document_ids": [d.pk for d in r.documents.all()]}
            for r in access.reports_of(task)
        ],
        "timeline": [
            {"kind": e.kind, "at": e.at, "actor": e.actor.full_name if e.actor else None,
             "unit": e.unit.full_name if e.unit else None, "note": e.note}
            for e in task.events.select_related("actor", "unit")
        ],
    }  # fmt: skip


@router.get("", response={200: PageOut, **ERRORS})
def list_tasks(request: HttpRequest, params: Query[ListParams]) -> Any:
    """The tasks the caller may see, with the list page's filters."""
    raw = {k: ("" if v is None else v) for k, v in params.dict().items() if k != "page"}
    filters = TaskFilter(raw)
    if not filters.is_valid():
        raise ValidationError({name: list(messages) for name, messages in filters.errors.items()})
    queryset = filters.filter(access.task_list(request.user)).order_by("deadline", "id")
    start = (max(params.page, 1) - 1) * PAGE_SIZE
    today = timezone.localdate()
    return {"count": queryset.count(), "results": [_out(t, today) for t in queryset[start : start + PAGE_SIZE]]}


@router.get("/baskets", response={200: dict[str, int], **ERRORS})
def basket_counts(request: HttpRequest) -> Any:
    return access.basket_counts(request.user)


@router.get("/{int:pk}", response={200: TaskDetailOut, **ERRORS})
def get_task(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


class TargetIn(Schema):
    name: str
    target_value: Decimal
    unit_of_measure: str = ""


class AssignIn(Schema):
    title: str
    content: str = ""
    lead_unit_id: int
    coordinating_unit_ids: list[int] = []
    assigning_body_id: int | None = None
    deadline: datetime.date | None = None
    deadline_days: int | None = None
    deadline_unit: str = "working"
    recurrence: str = ""
    priority: str = "normal"
    targets: list[TargetIn] = []
    source_kind: str = "other"
    source_document_id: int | None = None
    source_assignment_id: int | None = Field(None, description="a leader's direction on a document")
    source_ref: str = ""
    source_title: str = ""
    plan_id: int | None = None


def _org(pk: int | None) -> Organization | None:
    return get_object_or_404(Organization, pk=pk) if pk is not None else None


@router.post("", response={201: TaskDetailOut, **ERRORS})
def assign(request: HttpRequest, payload: AssignIn) -> Any:
    """Assign a task. With ``source_assignment_id`` it is made from the leader's direction on that
    document (the caller must see the document)."""
    lead = _org(payload.lead_unit_id)
    assert lead is not None  # noqa: S101 (get_object_or_404 never returns None)
    document = None
    if payload.source_document_id is not None:
        document = get_object_or_404(documents_visible_to(request.user), pk=payload.source_document_id)
    plan = None
    if payload.plan_id is not None:
        plan = get_object_or_404(access.plans_visible_to(request.user), pk=payload.plan_id)
    data = tasks.TaskData(
        title=payload.title,
        content=payload.content,
        lead_unit=lead,
        coordinating_units=list(Organization.objects.filter(pk__in=payload.coordinating_unit_ids)),
        deadline=payload.deadline,
        deadline_days=payload.deadline_days,
        deadline_unit=payload.deadline_unit,
        recurrence=payload.recurrence,
        priority=payload.priority,
        targets=[tasks.TargetData(t.name, t.target_value, t.unit_of_measure) for t in payload.targets],
        source_kind=payload.source_kind,
        source_document=document,
        source_ref=payload.source_ref,
        source_title=payload.source_title,
        plan=plan,
        assigning_body=_org(payload.assigning_body_id),
    )
    if payload.source_assignment_id is not None:
        direction = access_assignment(request.user, payload.source_assignment_id)
        task = tasks.task_from_direction(actor_of(request), direction, data)
    else:
        task = tasks.assign_task(actor_of(request), data)
    return Status(201, _detail(request, task.pk))


class ReportIn(Schema):
    text: str
    percent: int
    document_ids: list[int] = []
    target_values: dict[int, Decimal] = {}


@router.post("/{int:pk}/reports", response={201: TaskDetailOut, **ERRORS})
def report(request: HttpRequest, pk: int, payload: ReportIn) -> Any:
    """A progress report (the API links documents the caller can see; files go to .../reports/{id}/files)."""
    task = access.access_task(request.user, pk)
    if not policy.can_report(request.user, task):
        raise PermissionDenied
    documents = list(documents_visible_to(request.user).filter(pk__in=payload.document_ids))
    if len(documents) != len(set(payload.document_ids)):
        raise ValidationError({"document_ids": _("You can link only documents you can see.")})
    progress.report_progress(
        actor_of(request),
        task,
        progress.ReportData(
            text=payload.text, percent=payload.percent, documents=documents, target_values=payload.target_values
        ),
    )
    return Status(201, _detail(request, pk))


@router.post("/{int:pk}/reports/{int:report_id}/files", response={201: TaskDetailOut, **ERRORS})
def add_report_file(request: HttpRequest, pk: int, report_id: int, name: str) -> Any:
    """Add an evidence file to one's own progress report: the raw request body is the file, ``name`` its
    file name. Checked as on the page (type from the bytes, size limit), while the task is worked on."""
    task = access.access_task(request.user, pk)
    found = get_object_or_404(ProgressReport.objects.select_related("task"), pk=report_id, task=task)
    progress.add_report_file(actor_of(request), found, Upload(name, request.body))
    return Status(201, _detail(request, pk))


class NoteIn(Schema):
    note: str = ""


@router.post("/{int:pk}/propose", response={200: TaskDetailOut, **ERRORS})
def propose(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    task = access.access_task(request.user, pk)
    progress.propose_completion(actor_of(request), task, note=payload.note)
    return _detail(request, pk)


class DecisionIn(Schema):
    accept: bool
    comment: str = ""


@router.post("/{int:pk}/decide", response={200: TaskDetailOut, **ERRORS})
def decide(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    """The assigner accepts the proposed completion, or returns it with a comment."""
    task = access.access_task(request.user, pk)
    if payload.accept:
        progress.accept_completion(actor_of(request), task, note=payload.comment)
    else:
        progress.return_task(actor_of(request), task, comment=payload.comment)
    return _detail(request, pk)


class ExtensionIn(Schema):
    new_deadline: datetime.date
    reason: str


@router.post("/{int:pk}/extensions", response={201: TaskDetailOut, **ERRORS})
def request_extension(request: HttpRequest, pk: int, payload: ExtensionIn) -> Any:
    task = access.access_task(request.user, pk)
    extensions.request_extension(actor_of(request), task, new_deadline=payload.new_deadline, reason=payload.reason)
    return Status(201, _detail(request, pk))


class ExtensionDecisionIn(Schema):
    approve: bool
    comment: str = ""
    new_deadline: datetime.date | None = None


@router.post("/{int:pk}/extensions/decide", response={200: TaskDetailOut, **ERRORS})
def decide_extension(request: HttpRequest, pk: int, payload: ExtensionDecisionIn) -> Any:
    task = access.access_task(request.user, pk)
    pending = access.pending_extension(task)
    if pending is None:
        if not policy.can_decide(request.user, task):
            raise PermissionDenied
        raise ValidationError(_("No extension request is waiting."))
    pending.task = task
    extensions.decide_extension(
        actor_of(request), pending, approve=payload.approve, comment=payload.comment, new_deadline=payload.new_deadline
    )
    return _detail(request, pk)


@router.get("/plans/{int:pk}", response={200: dict[str, Any], **ERRORS})
def plan_matrix(request: HttpRequest, pk: int) -> Any:
    """The plan's matrix: each visible task of the plan with its unit, status class and progress."""
    plan: Plan = access.access_plan(request.user, pk)
    today = timezone.localdate()
    rows = access.task_list(request.user).filter(plan=plan, parent__isnull=True).order_by("lead_unit_id", "id")
    return {
        "plan": {"id": plan.pk, "title": plan.title, "assigning_body_id": plan.assigning_body_id},
        "tasks": [{**_out(t, today), "last_report_at": t.last_report_at} for t in rows],
    }
