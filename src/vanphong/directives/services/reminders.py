"""The reminders job (``directives.reminders``, hourly): before the deadline, on overdue, escalation.

* ``TASK_REMIND_DAYS`` working days before the deadline (default 3), the lead unit's heads and the
  handler are reminded once per deadline;
* the day after the deadline, they are told the task is overdue, once per deadline;
* ``TASK_ESCALATE_DAYS`` calendar days after the deadline (default 3), the assigner is told, once per
  deadline, and the timeline says so;
* a recurring task whose occurrence is due gets its next occurrence.

Every notice carries a key with the task and its deadline, so running the job again sends nothing new,
and an extended deadline is reminded afresh. E-mail batching is the notices module's digest.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from vanphong.core import workcalendar
from vanphong.core.audit import Actor
from vanphong.core.models import Account
from vanphong.directives import conf
from vanphong.directives.models import Task, TaskEvent, TaskEventKind, TaskState
from vanphong.directives.services.common import heads_of, task_url
from vanphong.directives.services.tasks import create_next_occurrence
from vanphong.notices.services import notify

DUE_SUBJECT = gettext_lazy("Task “{title}” is due on {date}")
OVERDUE_SUBJECT = gettext_lazy("Task “{title}” is overdue (deadline {date})")
ESCALATED_SUBJECT = gettext_lazy("Task “{title}” assigned to {unit} is {days} days overdue")

WORKING = (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED)
BATCH = 500


def _chunks(tasks: QuerySet[Task]) -> Iterator[list[Task]]:
    batch: list[Task] = []
    for task in tasks.select_related("lead_unit", "handler", "assigned_by").iterator(chunk_size=BATCH):
        batch.append(task)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _People:
    """Accounts looked up once per run (a province has hundreds of tasks per unit)."""

    def __init__(self) -> None:
        self.heads: dict[int, list[Account]] = {}
        self.accounts: dict[int, Account | None] = {}

    def of_unit(self, task: Task) -> list[Account]:
        if task.lead_unit_id not in self.heads:
            self.heads[task.lead_unit_id] = heads_of(task.lead_unit)
        return self.heads[task.lead_unit_id]

    def of_person(self, person_id: int | None) -> list[Account]:
        if person_id is None:
            return []
        if person_id not in self.accounts:
            self.accounts[person_id] = Account.objects.filter(person_id=person_id, is_active=True).first()
        found = self.accounts[person_id]
        return [found] if found is not None else []


def _next_occurrences(today: datetime.date) -> int:
    """Recurring series whose latest occurrence is due get the next ones, up to the one not yet due."""
    actor = Actor.system("task")
    heads = (
        Task.objects.filter(series__isnull=True)
        .exclude(recurrence="")
        .exclude(state=TaskState.CANCELLED)
        .annotate(latest=Coalesce(Max("occurrences__deadline"), F("deadline")))
        .filter(latest__lt=today)
        .order_by("pk")
    )
    created = 0
    for head in heads:
        latest: Task | None = Task.objects.filter(series=head).order_by("-deadline").first() or head
        while latest is not None and latest.deadline is not None and latest.deadline < today:
            with transaction.atomic():
                latest = create_next_occurrence(actor, latest)
            created += latest is not None
    return created


def run_reminders(now: datetime.datetime) -> str:
    """One round of reminders; returns a one-line summary."""
    today = timezone.localdate(now)
    remind_until = workcalendar.deadline(today, conf.remind_days(), "working")
    escalate_before = today - datetime.timedelta(days=conf.escalate_days())
    people = _People()
    counts = {"due": 0, "overdue": 0, "escalated": 0, "occurrences": 0}
    open_tasks = Task.objects.filter(state__in=WORKING, deadline__isnull=False).order_by("pk")
    for batch in _chunks(open_tasks.filter(deadline__gte=today, deadline__lte=remind_until)):
        with transaction.atomic():
            for task in batch:
                counts["due"] += notify(
                    people.of_unit(task) + people.of_person(task.handler_id),
                    kind="directives.due",
                    subject=DUE_SUBJECT,
                    params={"title": task.title, "date": task.deadline.strftime("%d/%m/%Y")},  # type: ignore[union-attr]
                    url=task_url(task),
                    key=f"directives.due:{task.pk}:{task.deadline}",
                )
    for batch in _chunks(open_tasks.filter(deadline__lt=today)):
        with transaction.atomic():
            for task in batch:
                deadline = task.deadline or today
                counts["overdue"] += notify(
                    people.of_unit(task) + people.of_person(task.handler_id),
                    kind="directives.overdue",
                    subject=OVERDUE_SUBJECT,
                    params={"title": task.title, "date": deadline.strftime("%d/%m/%Y")},
                    url=task_url(task),
                    key=f"directives.overdue:{task.pk}:{deadline}",
                )
                if deadline < escalate_before:
                    told = notify(
                        people.of_person(task.assigned_by_id),
                        kind="directives.escalated",
                        subject=ESCALATED_SUBJECT,
                        params={
                            "title": task.title,
                            "unit": task.lead_unit.full_name,
                            "days": (today - deadline).days,
                        },
                        url=task_url(task),
                        key=f"directives.escalated:{task.pk}:{deadline}",
                    )
                    if told:
                        counts["escalated"] += told
                        TaskEvent.objects.create(
                            task=task, kind=TaskEventKind.ESCALATED, data={"deadline": deadline.isoformat()}
                        )
    counts["occurrences"] = _next_occurrences(today)
    summary = "tasks: {due} due-soon reminders, {overdue} overdue notices, {escalated} escalations, {occurrences} new"
    return (summary + " occurrences").format(**counts)
