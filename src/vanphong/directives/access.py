"""Reads with permission: every page, endpoint, job and report fetches tasks through here.

``access_task`` returns the task or raises Http404 when the person may not see it. Lists narrow with
``tasks_visible_to``; status classes are filtered in the database with ``status_class_q`` (the same
reading as ``rules.task_status.classify``), so counts never classify rows one by one in Python.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vanphong.core import policy as core_policy
from vanphong.directives import conf, policy
from vanphong.directives.models import (
    OPEN_STATES,
    ExtensionState,
    Plan,
    ProgressReport,
    Task,
    TaskExtension,
    TaskState,
)
from vanphong.rules.task_status import StatusClass, due_soon_until


def status_class_q(cls: StatusClass | str, today: datetime.date, *, due_soon_days: int | None = None) -> Q:
    """Tasks in status class ``cls`` on ``today``: the database twin of ``rules.task_status.classify``.

    Cancelled tasks are in no class. ``completed_on`` is set exactly when the task is completed.
    """
    cls = StatusClass(cls)
    soon = due_soon_days if due_soon_days is not None else conf.due_soon_days()
    live = Q(completed_on__isnull=True) & ~Q(state=TaskState.CANCELLED)
    extended = Q(original_deadline__isnull=False)
    if cls is StatusClass.COMPLETED_ON_TIME:
        return Q(completed_on__isnull=False) & (Q(deadline__isnull=True) | Q(completed_on__lte=F("deadline")))
    if cls is StatusClass.COMPLETED_LATE:
        return Q(completed_on__isnull=False, deadline__isnull=False, completed_on__gt=F("deadline"))
    if cls is StatusClass.OVERDUE:
        return live & Q(deadline__lt=today)
    if cls is StatusClass.EXTENDED:
        return live & extended & Q(deadline__gte=today)
    if cls is StatusClass.DUE_SOON:
        return live & ~extended & Q(deadline__gte=today, deadline__lte=due_soon_until(today, soon))
    return live & (Q(deadline__isnull=True) | (~extended & Q(deadline__gt=due_soon_until(today, soon))))


def class_counts(tasks: QuerySet[Task], today: datetime.date | None = None) -> dict[str, int]:
    """How many of ``tasks`` are in each status class: one query."""
    day = today or timezone.localdate()
    aggregates = {cls.value: Count("pk", filter=status_class_q(cls, day)) for cls in StatusClass}
    return dict(tasks.order_by().aggregate(**aggregates))


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    return Task.objects.filter(policy.visible_q(user))


LIST_RELATED = ("lead_unit", "assigning_body", "assigned_by", "handler")


def task_list(user: Any) -> QuerySet[Task]:
    """The visible tasks with what a list row shows, in one query."""
    return tasks_visible_to(user).select_related(*LIST_RELATED)


def access_task(user: Any, pk: int) -> Task:
    """The task, if ``user`` may see it, with what its page shows."""
    task = (
        Task.objects.select_related(*LIST_RELATED, "source_document", "source_assignment", "plan", "parent", "series")
        .prefetch_related("coordinating_units")
        .filter(pk=pk)
        .first()
    )
    if task is None or not policy.can_see(user, task):
        raise Http404
    return task


def access_plan(user: Any, pk: int) -> Plan:
    """A plan is visible to whoever sees its assigning body's tasks as a leader, or sees one of its tasks."""
    plan = Plan.objects.select_related("assigning_body", "source_document").filter(pk=pk).first()
    if plan is None:
        raise Http404
    r = policy.reach(user)
    if any(plan.assigning_body.path.startswith(p) for p in r.led_paths):
        return plan
    if not tasks_visible_to(user).filter(plan=plan).exists():
        raise Http404
    return plan


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    r = policy.reach(user)
    if r.person_id is None:
        return Plan.objects.none()
    led = core_policy.paths_q(list(r.led_paths), "assigning_body__") if r.led_paths else Q(pk__in=[])
    mine = tasks_visible_to(user).filter(plan__isnull=False).order_by().values("plan_id")
    return Plan.objects.filter(led | Q(pk__in=mine)).select_related("assigning_body")


def reports_of(task: Task) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(task=task)
        .select_related("unit", "author")
        .prefetch_related("files", "documents", "target_values__target")
    )


def pending_extension(task: Task) -> TaskExtension | None:
    return task.extensions.filter(state=ExtensionState.PENDING).select_related("requested_by").first()


def _basket_filters(user: Any, day: datetime.date) -> dict[str, Q]:
    """What puts a visible task in each of the person's baskets (no join: counts need no DISTINCT)."""
    r = policy.reach(user)
    is_open = Q(state__in=OPEN_STATES)
    # "To do": open tasks of units the person heads or works in, or handed to them.
    todo = Q(handler_id=r.person_id)
    if r.org_id is not None:
        todo |= Q(lead_unit_id=r.org_id)
    if r.headed_paths:
        todo |= core_policy.paths_q(list(r.headed_paths), "lead_unit__")
    decide = Q(assigned_by_id=r.person_id)
    if r.led_paths:
        decide |= core_policy.paths_q(list(r.led_paths), "assigning_body__")
    mine = is_open & todo & ~Q(state=TaskState.PROPOSED)
    pending = Q(pk__in=TaskExtension.objects.filter(state=ExtensionState.PENDING).values("task_id"))
    return {
        "todo": mine,
        "due_soon": mine & status_class_q(StatusClass.DUE_SOON, day),
        "overdue": mine & status_class_q(StatusClass.OVERDUE, day),
        "proposals": is_open & decide & Q(state=TaskState.PROPOSED),
        "extensions": is_open & decide & pending,
    }


def baskets(user: Any, today: datetime.date | None = None) -> dict[str, QuerySet[Task]]:
    """The person's baskets on the tasks home page."""
    visible = task_list(user)
    return {name: visible.filter(q) for name, q in _basket_filters(user, today or timezone.localdate()).items()}


def basket_counts(user: Any, today: datetime.date | None = None) -> dict[str, int]:
    """How many tasks are in each basket: one query."""
    counts, _classes = home_counts(user, today, classes=False)
    return counts


def home_counts(
    user: Any, today: datetime.date | None = None, *, classes: bool = True
) -> tuple[dict[str, int], dict[str, int]]:
    """The basket counts and (unless ``classes=False``) the status-class counts of the visible tasks, in
    one pass over them: the tasks home and the home-page panel read both."""
    day = today or timezone.localdate()
    aggregates = {f"b_{name}": Count("pk", filter=q) for name, q in _basket_filters(user, day).items()}
    if classes:
        aggregates |= {f"c_{cls.value}": Count("pk", filter=status_class_q(cls, day)) for cls in StatusClass}
    row = tasks_visible_to(user).order_by().aggregate(**aggregates)
    baskets = {key[2:]: value for key, value in row.items() if key.startswith("b_")}
    return baskets, {key[2:]: value for key, value in row.items() if key.startswith("c_")}


def prefetch_for_matrix() -> Prefetch[Any]:
    return Prefetch("tasks", queryset=Task.objects.select_related("lead_unit"))
