"""Task pages: home (my baskets), the list with filters, the task page with the steps the person may take,
and the assign form (also from a document: ``?document=<pk>``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_service_errors
from vanphong.core.models import Organization, Person
from vanphong.core.views.common import actor_of, paginate, query_without_page, template_for
from vanphong.directives import access, conf, policy
from vanphong.directives.filters import TaskFilter
from vanphong.directives.forms import (
    AssignForm,
    BreakDownForm,
    CancelForm,
    ExtensionDecisionForm,
    ExtensionForm,
    NoteForm,
    ReportForm,
    ReturnForm,
)
from vanphong.directives.models import Task, TaskState
from vanphong.directives.panels import CLASS_TITLES
from vanphong.directives.services import extensions, progress, tasks
from vanphong.documents.access import access_assignment, documents_visible_to
from vanphong.documents.services.files import Upload
from vanphong.rules.task_status import StatusClass, classify

LIST_ORDER = (F("deadline").asc(nulls_last=True), "-id")


def status_of(task: Task, today: Any) -> StatusClass | None:
    if task.state == TaskState.CANCELLED:
        return None
    return classify(
        task.deadline, task.completed_on, today, extended=task.is_extended, due_soon_days=conf.due_soon_days()
    )


BADGES = {
    StatusClass.OVERDUE: "badge--danger",
    StatusClass.COMPLETED_LATE: "badge--danger",
    StatusClass.DUE_SOON: "badge--warn",
    StatusClass.EXTENDED: "badge--warn",
    StatusClass.COMPLETED_ON_TIME: "badge--ok",
}


def mark(rows: list[Task]) -> list[Task]:
    """Put the status class, its title and its badge on each row (already loaded: no query)."""
    today = timezone.localdate()
    soon = conf.due_soon_days()
    titles = {cls: str(title) for cls, title in CLASS_TITLES.items()}
    for row in rows:
        cls = None
        if row.state != TaskState.CANCELLED:
            cls = classify(row.deadline, row.completed_on, today, extended=row.is_extended, due_soon_days=soon)
        row.status_class = cls.value if cls else ""  # type: ignore[attr-defined]
        row.status_title = titles[cls] if cls else row.get_state_display()  # type: ignore[attr-defined]
        row.badge = BADGES.get(cls, "badge--muted") if cls else "badge--muted"  # type: ignore[attr-defined]
    return rows


BASKET_TITLES = {
    "todo": _("To do"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "proposals": _("Completion proposals to decide"),
    "extensions": _("Extension requests to decide"),
}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    basket_counts, counts = access.home_counts(request.user, today)
    baskets = []
    for name, queryset in access.baskets(request.user, today).items():
        rows = mark(list(queryset.order_by(*LIST_ORDER)[:10])) if basket_counts[name] else []
        baskets.append((name, BASKET_TITLES[name], basket_counts[name], rows))
    context = {
        "baskets": baskets,
        "classes": [(cls.value, CLASS_TITLES[cls], counts[cls.value]) for cls in StatusClass],
        "plans": access.plans_visible_to(request.user)[:20],
        "may_assign": Organization.objects.filter(policy.assigning_bodies_q(request.user)).exists(),
    }
    return render(request, "directives/home.html", context)


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    filters = TaskFilter(request.GET)
    queryset = access.task_list(request.user)
    queryset = filters.filter(queryset) if filters.is_valid() else queryset.none()
    page = paginate(request, queryset.order_by(*LIST_ORDER))
    page.object_list = mark(list(page.object_list))
    context = {"filters": filters, "page": page, "query": query_without_page(request)}
    return render(request, template_for(request, "directives/list.html", "directives/_rows.html"), context)


# --- the task page ---------------------------------------------------------------------------------------


@dataclass
class Action:
    key: str
    title: str
    form: forms.Form
    submit: str
    danger: bool = False
    multipart: bool = False

    @property
    def url(self) -> str:
        return self._url

    def at(self, url: str) -> Action:
        self._url = url
        return self


def _ids(name: str) -> str:
    return f"id_{name}_%s"


def report_form(request: HttpRequest, task: Task, data: Any = None, files: Any = None) -> ReportForm:
    return ReportForm(
        data,
        files,
        documents=documents_visible_to(request.user).order_by("-id"),
        targets=list(task.targets.all()),
        auto_id=_ids("report"),
    )


def break_down_form(task: Task, data: Any = None) -> BreakDownForm:
    units = Organization.objects.filter(path__startswith=task.lead_unit.path).exclude(pk=task.lead_unit_id)
    people = Person.objects.filter(organization__path__startswith=task.lead_unit.path, is_active=True)
    return BreakDownForm(data, units=units, people=people, auto_id=_ids("part"))


def _actions(request: HttpRequest, task: Task, bound: dict[str, forms.Form]) -> list[Action]:
    user = request.user
    pending = access.pending_extension(task)
    offered: list[Action] = []

    def offer(key: str, title: str, make: Callable[[], forms.Form], submit: str, **extra: Any) -> None:
        form = bound.get(key) or make()
        offered.append(Action(key, title, form, submit, **extra).at(reverse(f"directives:{key}", args=[task.pk])))

    if policy.can_report(user, task):
        offer("report", _("Report progress"), lambda: report_form(request, task), _("Send the report"), multipart=True)
    if policy.can_break_down(user, task):
        offer("break_down", _("Pass a part on"), lambda: break_down_form(task), _("Pass on"))
    if policy.can_propose(user, task):
        offer("propose", _("Propose completion"), lambda: NoteForm(auto_id=_ids("propose")), _("Propose"))
    if pending is None and policy.can_request_extension(user, task):
        offer("extend", _("Ask for more time"), lambda: ExtensionForm(auto_id=_ids("extend")), _("Ask"))
    # Four eyes: the proposer is not offered the decision (a refused attempt still shows its message).
    settles = not policy.own_proposal(user, task) or "accept" in bound or "return" in bound
    if task.state == TaskState.PROPOSED and policy.can_decide(user, task) and settles:
        offer("accept", _("Accept the completion"), lambda: NoteForm(auto_id=_ids("accept")), _("Accept"))
        offer("return", _("Return for more work"), lambda: ReturnForm(auto_id=_ids("return")), _("Return"), danger=True)
    if pending is not None and task.is_open and policy.can_decide(user, task):
        offer(
            "decide_extension",
            _("Decide on the extension request"),
            lambda: ExtensionDecisionForm(auto_id=_ids("decide")),
            _("Record the decision"),
        )
    if task.is_open and policy.can_decide(user, task):
        offer("cancel", _("Cancel the task"), lambda: CancelForm(auto_id=_ids("cancel")), _("Cancel"), danger=True)
    return offered


def _page(
    request: HttpRequest, task: Task, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    mark([task])
    context = {
        "task": task,
        "actions": _actions(request, task, bound or {}),
        "targets": list(task.targets.all()),
        "reports": list(access.reports_of(task)),
        "timeline": list(task.events.select_related("actor", "on_behalf_of", "unit")),
        "extensions": list(task.extensions.select_related("requested_by", "decided_by")),
        "children": mark(list(access.task_list(request.user).filter(parent=task).order_by(*LIST_ORDER))),
        "occurrences": mark(
            list(access.task_list(request.user).filter(series=task.series or task).order_by("deadline"))
        ),
        "today": today,
        "own_proposal": policy.own_proposal(request.user, task) and bool(policy.can_decide(request.user, task)),
    }
    return render(request, "directives/task.html", context, status=status)


@login_required
@require_GET
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, access.access_task(request.user, pk))


def _step(
    request: HttpRequest,
    pk: int,
    key: str,
    allowed: Callable[[Any, Task], Any],
    make: Callable[[Task], forms.Form],
    perform: Callable[[Task, dict[str, Any], forms.Form], str],
) -> HttpResponse:
    task = access.access_task(request.user, pk)
    if not allowed(request.user, task):
        raise PermissionDenied
    form = make(task)
    if form.is_valid():
        try:
            done = perform(task, form.cleaned_data, form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("directives:task", pk=task.pk)
    return _page(request, access.access_task(request.user, pk), {key: form}, status=400)


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        targets = form.target_values() if isinstance(form, ReportForm) else {}
        uploads = [Upload(f.name, f.read()) for f in data.get("files") or []]
        progress.report_progress(
            actor_of(request),
            task,
            progress.ReportData(
                text=data["text"],
                percent=data["percent"],
                files=uploads,
                documents=list(data.get("documents") or []),
                target_values=targets,
            ),
        )
        return _("Progress reported.")

    return _step(
        request,
        pk,
        "report",
        policy.can_report,
        lambda t: report_form(request, t, request.POST, request.FILES),
        perform,
    )


@login_required
@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        progress.propose_completion(actor_of(request), task, note=data.get("note") or "")
        return _("Completion proposed to the assigner.")

    return _step(request, pk, "propose", policy.can_propose, lambda t: NoteForm(request.POST), perform)


def _decides_proposal(user: Any, task: Task) -> Any:
    return task.state == TaskState.PROPOSED and policy.can_decide(user, task)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        progress.accept_completion(actor_of(request), task, note=data.get("note") or "")
        return _("The task is completed.")

    return _step(request, pk, "accept", _decides_proposal, lambda t: NoteForm(request.POST), perform)


@login_required
@require_POST
def return_task(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        progress.return_task(actor_of(request), task, comment=data["comment"])
        return _("The task was returned to the lead unit.")

    return _step(request, pk, "return", _decides_proposal, lambda t: ReturnForm(request.POST), perform)


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        extensions.request_extension(actor_of(request), task, new_deadline=data["new_deadline"], reason=data["reason"])
        return _("The extension request was sent to the assigner.")

    return _step(request, pk, "extend", policy.can_request_extension, lambda t: ExtensionForm(request.POST), perform)


@login_required
@require_POST
def decide_extension(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        pending = access.pending_extension(task)
        if pending is None:
            raise ValidationError(_("No extension request is waiting."))
        pending.task = task
        extensions.decide_extension(
            actor_of(request),
            pending,
            approve=data["decision"] == "approve",
            comment=data.get("comment") or "",
            new_deadline=data.get("new_deadline"),
        )
        return _("The decision on the extension was recorded.")

    return _step(
        request, pk, "decide_extension", policy.can_decide, lambda t: ExtensionDecisionForm(request.POST), perform
    )


@login_required
@require_POST
def break_down(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        child = tasks.break_down(
            actor_of(request),
            task,
            title=data["title"],
            unit=data.get("unit"),
            handler=data.get("handler"),
            deadline=data.get("deadline"),
        )
        return _("Part passed on: {title}").format(title=child.title)

    return _step(request, pk, "break_down", policy.can_break_down, lambda t: break_down_form(t, request.POST), perform)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(task: Task, data: dict[str, Any], form: forms.Form) -> str:
        tasks.cancel_task(actor_of(request), task, reason=data["reason"])
        return _("The task was cancelled.")

    return _step(request, pk, "cancel", policy.can_decide, lambda t: CancelForm(request.POST), perform)


# --- assigning ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest) -> HttpResponse:
    """The assign form; ``?document=<pk>`` starts it from a document the person can see, and
    ``?direction=<assignment pk>`` from a leader's direction on one (the lead unit's part)."""
    bodies = Organization.objects.filter(policy.assigning_bodies_q(request.user))
    if not bodies.exists():
        raise PermissionDenied
    documents = documents_visible_to(request.user)
    initial: dict[str, Any] = {}
    document = None
    if request.GET.get("direction"):
        # From a leader's direction on a document: the lead unit's part (documents.Assignment).
        try:
            direction = access_assignment(request.user, int(request.GET["direction"]))
        except ValueError:
            raise Http404 from None
        document = direction.document
        initial = {
            "source_assignment": direction.pk,
            "source_kind": "direction",
            "lead_unit": direction.unit_id,
            "deadline": direction.deadline,
        }
    elif request.GET.get("document"):
        try:
            document = documents.get(pk=int(request.GET["document"]))
        except (ValueError, documents.model.DoesNotExist):
            raise Http404 from None
        initial = {"source_kind": "document"}
    if document is not None:
        initial.update(
            source_document=document.pk,
            source_title=document.number_symbol or document.abstract[:200],
            title=document.abstract[:500],
        )
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        bodies=bodies,
        documents=documents,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        targets = []
        if data.get("target_name") and data.get("target_value"):
            targets = [tasks.TargetData(data["target_name"], data["target_value"], data.get("target_unit") or "")]
        try:
            data_in = tasks.TaskData(
                title=data["title"],
                content=data.get("content") or "",
                lead_unit=data["lead_unit"],
                coordinating_units=list(data.get("coordinating_units") or []),
                deadline=data.get("deadline"),
                deadline_days=data.get("deadline_days"),
                deadline_unit=data["deadline_unit"],
                recurrence=data.get("recurrence") or "",
                priority=data["priority"],
                targets=targets,
                source_kind=data["source_kind"],
                source_document=data.get("source_document"),
                source_title=data.get("source_title") or "",
                assigning_body=data["assigning_body"],
            )
            if data.get("source_assignment") is not None:
                task = tasks.task_from_direction(actor_of(request), data["source_assignment"], data_in)
            else:
                task = tasks.assign_task(actor_of(request), data_in)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Task assigned."))
            return redirect("directives:task", pk=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "directives/assign.html", {"form": form, "document": document}, status=status)
