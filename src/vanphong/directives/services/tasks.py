"""Assigning tasks: from a document, a meeting's conclusions, a leader's direction, a resolution plan;
breaking them down to specialists and lower units; cancelling; the next occurrence of a recurring task.

Deadlines given in days are counted by ``core.workcalendar.deadline`` (the same working-day rule as
documents) from the day of assignment, and the basis (amount and unit) is kept on the task.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core import audit, workcalendar
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person
from vanphong.directives import policy
from vanphong.directives.models import (
    OPEN_STATES,
    Plan,
    Priority,
    Recurrence,
    SourceKind,
    Target,
    Task,
    TaskEventKind,
    TaskState,
    TaskUnit,
)
from vanphong.directives.services.common import (
    TASK_FIELDS,
    accounts_of,
    change_state,
    heads_of,
    locked_task,
    person_of,
    require,
    require_person,
    step,
    task_url,
)
from vanphong.documents.models import Assignment, Document
from vanphong.lib import vntext
from vanphong.notices.services import notify
from vanphong.rules.workdays import DeadlineUnit, WorkdayError


@dataclass
class TargetData:
    """A target (chỉ tiêu): what to reach and in which unit of measure."""

    name: str
    target_value: Decimal | int | float
    unit_of_measure: str = ""


@dataclass
class TaskData:
    """What the assigner decides: content, units, deadline (a date or N days), recurrence, targets, source."""

    title: str
    content: str
    lead_unit: Organization
    coordinating_units: list[Organization] = field(default_factory=list)
    deadline: datetime.date | None = None
    deadline_days: int | None = None  # instead of deadline: N days from today
    deadline_unit: str = "working"  # "working" or "calendar" (rules.workdays.DeadlineUnit values)
    recurrence: str = ""  # "", "monthly", "quarterly"
    priority: str = "normal"
    targets: list[TargetData] = field(default_factory=list)
    source_kind: str = "other"
    source_document: Document | None = None
    source_assignment: Assignment | None = None
    source_ref: str = ""
    source_title: str = ""
    plan: Plan | None = None
    assigning_body: Organization | None = None  # default: the plan's, the document's register's, the assigner's


def _assigning_body(data: TaskData, assigner: Person | None) -> Organization | None:
    if data.assigning_body is not None:
        return data.assigning_body
    if data.plan is not None:
        return data.plan.assigning_body
    if data.source_document is not None and data.source_document.register_id is not None:
        return data.source_document.register.organization
    if assigner is not None:
        # The shallowest body the assigner leads; else where they work.
        grants = [h for h in policy._grants_of(assigner) if h.role in policy.LEADER_ROLES]
        if grants:
            shallowest = min(grants, key=lambda h: h.path.count("/"))
            return Organization.objects.get(pk=shallowest.organization_id)
        return assigner.organization
    return None


def _clean(data: TaskData, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    data.title = vntext.nfc(data.title).strip()
    data.content = vntext.nfc(data.content).strip()
    data.source_title = vntext.nfc(data.source_title).strip()
    if not data.title:
        errors.setdefault("title", []).append(_("Enter what is to be done."))
    if data.deadline is not None and data.deadline_days is not None:
        errors.setdefault("deadline", []).append(_("Give either a date or a number of days, not both."))
    if data.deadline is not None and data.deadline < today:
        errors.setdefault("deadline", []).append(_("The deadline is in the past."))
    if data.deadline_days is not None and data.deadline_days < 1:
        errors.setdefault("deadline_days", []).append(_("Give at least one day."))
    if data.deadline_unit not in {unit.value for unit in DeadlineUnit}:
        errors.setdefault("deadline_unit", []).append(_("Count the days as working days or calendar days."))
    if data.recurrence not in Recurrence.values:
        errors.setdefault("recurrence", []).append(_("Choose once, monthly or quarterly."))
    if data.recurrence and data.deadline is None and data.deadline_days is None:
        errors.setdefault("deadline", []).append(_("A recurring task needs the deadline of its first report."))
    if data.priority not in Priority.values:
        errors.setdefault("priority", []).append(_("Choose a priority."))
    if data.source_kind not in SourceKind.values:
        errors.setdefault("source_kind", []).append(_("Choose where the task comes from."))
    if data.lead_unit in data.coordinating_units:
        errors.setdefault("coordinating_units", []).append(_("The lead unit cannot also coordinate."))
    for target in data.targets:
        if not target.name.strip():
            errors.setdefault("targets", []).append(_("Name each target."))
        elif Decimal(str(target.target_value)) <= 0:
            errors.setdefault("targets", []).append(
                _("The target “{name}” needs a value above zero.").format(name=target.name)
            )
    return errors


def _deadline(data: TaskData, today: datetime.date) -> datetime.date | None:
    if data.deadline_days is None:
        return data.deadline
    try:
        return workcalendar.deadline(today, data.deadline_days, data.deadline_unit)
    except WorkdayError as error:
        raise ValidationError({"deadline_days": _("This deadline cannot be computed.")}) from error


ASSIGNED_SUBJECT = gettext_lazy("New task for {unit}: “{title}”")


def _create(actor: Actor, data: TaskData, assigner: Person | None, body: Organization, today: datetime.date) -> Task:
    """Create one task (inside the caller's transaction), or return the one already made from the same source."""
    if data.source_ref:
        existing = (
            Task.objects.filter(
                source_ref=data.source_ref, lead_unit=data.lead_unit, parent__isnull=True, series__isnull=True
            )
            .exclude(state=TaskState.CANCELLED)
            .first()
        )
        if existing is not None:
            return existing
    task = Task(
        title=data.title,
        content=data.content,
        source_kind=data.source_kind,
        source_document=data.source_document,
        source_assignment=data.source_assignment,
        source_ref=data.source_ref,
        source_title=data.source_title,
        assigned_by=assigner,
        assigning_body=body,
        lead_unit=data.lead_unit,
        deadline=_deadline(data, today),
        deadline_amount=data.deadline_days,
        deadline_unit=data.deadline_unit if data.deadline_days is not None else "",
        recurrence=data.recurrence,
        priority=data.priority,
        plan=data.plan,
    )
    try:
        with transaction.atomic():  # a savepoint: the same source assigned at the same moment elsewhere
            task.save()
    except IntegrityError:
        existing = Task.objects.filter(source_ref=data.source_ref, lead_unit=data.lead_unit).first()
        if existing is None or not data.source_ref:
            raise
        return existing
    TaskUnit.objects.bulk_create([TaskUnit(task=task, unit=unit) for unit in dict.fromkeys(data.coordinating_units)])
    Target.objects.bulk_create(
        [
            Target(
                task=task,
                name=vntext.nfc(t.name).strip(),
                unit_of_measure=t.unit_of_measure,
                target_value=Decimal(str(t.target_value)),
            )
            for t in data.targets
        ]
    )
    step(
        actor,
        task,
        TaskEventKind.ASSIGNED,
        unit=data.lead_unit,
        coordinating=[u.pk for u in data.coordinating_units],
        deadline=task.deadline.isoformat() if task.deadline else None,
    )
    audit.record(actor, "directives.task.assign", task, after=audit.snapshot(task, TASK_FIELDS))
    recipients = heads_of(data.lead_unit)
    for unit in data.coordinating_units:
        recipients += heads_of(unit)
    notify(
        recipients,
        kind="directives.assigned",
        subject=ASSIGNED_SUBJECT,
        params={"unit": data.lead_unit.full_name, "title": task.title},
        url=task_url(task),
        key=f"directives.assigned:{task.pk}",
    )
    return task


def _check_source(actor: Actor, data: TaskData) -> None:
    """A source document must be one the actor may see (a system actor is trusted)."""
    if actor.account is None:
        return
    from vanphong.documents.access import documents_visible_to

    document = data.source_document
    if data.source_assignment is not None:
        document = data.source_assignment.document
        data.source_document = document
    if document is not None and not documents_visible_to(actor.account).filter(pk=document.pk).exists():
        raise ValidationError({"source_document": _("You cannot see this document.")})


def assign_tasks(actor: Actor, items: list[TaskData], *, assigned_by: Person | None = None) -> list[Task]:
    """Assign several tasks at once (a meeting's conclusions, a plan): all or none.

    The same ``source_ref`` with the same lead unit gives back the task already assigned, so running
    the same conclusions twice makes no second task. A system actor (command line, jobs) is trusted;
    a person must be allowed to assign in the name of each task's assigning body (``policy.can_assign``).
    """
    today = timezone.localdate()
    assigner = assigned_by or person_of(actor)
    errors: dict[str, list[str]] = {}
    prepared: list[tuple[TaskData, Organization, Actor]] = []
    for data in items:
        problems = _clean(data, today)
        for name, messages in problems.items():
            errors.setdefault(name, []).extend(messages)
        body = _assigning_body(data, assigner)
        if body is None:
            errors.setdefault("assigning_body", []).append(_("Say in whose name the task is assigned."))
            continue
        acting = actor
        if actor.account is not None:
            acting = require(policy.can_assign(actor.account, body, assigner), actor)
        prepared.append((data, body, acting))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        tasks = []
        for data, body, acting in prepared:
            _check_source(acting, data)
            tasks.append(_create(acting, data, assigner, body, today))
    return tasks


def assign_task(actor: Actor, data: TaskData, *, assigned_by: Person | None = None) -> Task:
    """Assign one task (see ``assign_tasks``)."""
    return assign_tasks(actor, [data], assigned_by=assigned_by)[0]


def task_from_direction(actor: Actor, assignment: Assignment, data: TaskData) -> Task:
    """A task from a leader's direction on a document (the lead unit's part): source kind "direction"."""
    document = Document.objects.get(pk=assignment.document_id)  # fresh: who directed it, and when
    data.source_kind = SourceKind.DIRECTION
    data.source_assignment = assignment
    data.source_document = document
    data.source_ref = data.source_ref or f"documents.assignment:{assignment.pk}"
    if not data.source_title:
        data.source_title = document.number_symbol or document.abstract[:200]
    return assign_task(actor, data, assigned_by=document.directed_by or person_of(actor))


@dataclass
class PlanData:
    title: str
    assigning_body: Organization
    source_document: Document | None = None


def create_plan(actor: Actor, data: PlanData) -> Plan:
    """Start monitoring a resolution; its tasks are then assigned with ``plan=``."""
    actor = require(policy.can_assign(actor.account, data.assigning_body), actor)
    title = vntext.nfc(data.title).strip()
    if not title:
        raise ValidationError({"title": _("Enter the resolution's title.")})
    with transaction.atomic():
        plan = Plan.objects.create(
            title=title,
            assigning_body=data.assigning_body,
            source_document=data.source_document,
            created_by=person_of(actor),
        )
        audit.record(actor, "directives.plan.create", plan, after={"title": title, "body": data.assigning_body.pk})
    return plan


def break_down(
    actor: Actor,
    task: Task,
    *,
    title: str,
    content: str = "",
    unit: Organization | None = None,
    handler: Person | None = None,
    deadline: datetime.date | None = None,
) -> Task:
    """The lead unit's head passes part of the task to a lower unit or to a specialist, as a child task.

    With only a handler (a specialist of the lead unit) and no other unit, the child task stays in the
    lead unit. The child's deadline may not be later than the parent's.
    """
    actor = require(policy.can_break_down(actor.account, task), actor)
    head = require_person(actor)
    unit = unit or task.lead_unit
    errors: dict[str, list[str]] = {}
    if not unit.path.startswith(task.lead_unit.path):
        errors.setdefault("unit", []).append(_("Pass parts only to units under the lead unit."))
    if handler is not None and (handler.organization is None or not handler.organization.path.startswith(unit.path)):
        errors.setdefault("handler", []).append(_("The specialist must work in that unit."))
    if unit == task.lead_unit and handler is None:
        errors.setdefault("handler", []).append(_("Choose a specialist, or a lower unit."))
    limit = task.deadline
    if deadline is not None and limit is not None and deadline > limit:
        errors.setdefault("deadline", []).append(_("A part cannot be due after the task itself."))
    if not vntext.nfc(title).strip():
        errors.setdefault("title", []).append(_("Enter what is to be done."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        parent = locked_task(task, (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED))
        child = Task.objects.create(
            title=vntext.nfc(title).strip(),
            content=vntext.nfc(content).strip(),
            source_kind=parent.source_kind,
            source_document_id=parent.source_document_id,
            source_title=parent.source_title,
            assigned_by=head,
            assigning_body=parent.lead_unit,
            lead_unit=unit,
            parent=parent,
            handler=handler,
            deadline=deadline or limit,
            priority=parent.priority,
            plan_id=parent.plan_id,
        )
        if parent.state == TaskState.ASSIGNED:
            change_state(parent, (TaskState.ASSIGNED,), state=TaskState.IN_PROGRESS)
        step(
            actor, parent, TaskEventKind.BROKEN_DOWN, unit=unit, child=child.pk, handler=handler.pk if handler else None
        )
        step(actor, child, TaskEventKind.ASSIGNED, unit=unit)
        audit.record(actor, "directives.task.break_down", child, after=audit.snapshot(child, TASK_FIELDS))
        recipients = accounts_of([handler]) if handler is not None else heads_of(unit)
        notify(
            recipients,
            kind="directives.assigned",
            subject=ASSIGNED_SUBJECT,
            params={"unit": unit.full_name, "title": child.title},
            url=task_url(child),
            key=f"directives.assigned:{child.pk}",
        )
    return child


CANCELLED_SUBJECT = gettext_lazy("Task “{title}” was cancelled")


def cancel_task(actor: Actor, task: Task, *, reason: str) -> Task:
    """The assigner withdraws the task (and its open parts)."""
    actor = require(policy.can_decide(actor.account, task), actor)
    reason = vntext.nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the task is cancelled.")})
    with transaction.atomic():
        fresh = locked_task(task, OPEN_STATES)
        before = audit.snapshot(fresh, ("state",))
        change_state(fresh, OPEN_STATES, state=TaskState.CANCELLED)
        Task.objects.filter(parent=fresh, state__in=OPEN_STATES).update(state=TaskState.CANCELLED)
        step(actor, fresh, TaskEventKind.CANCELLED, note=reason)
        audit.record(
            actor, "directives.task.cancel", fresh, before=before, after={"state": fresh.state, "reason": reason}
        )
        notify(
            heads_of(fresh.lead_unit) + accounts_of([fresh.handler]),
            kind="directives.cancelled",
            subject=CANCELLED_SUBJECT,
            params={"title": fresh.title},
            url=task_url(fresh),
        )
    return fresh


# --- recurring tasks ----------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int, anchor_day: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def next_deadline(first: datetime.date, recurrence: str, number: int) -> datetime.date:
    """The deadline of occurrence ``number`` (0 is the first) of a task first due on ``first``.

    Monthly and quarterly reports fall on the same day of the month as the first one (the last day of
    a shorter month), moved to the next working day when that day is a day off.
    """
    months = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3}[Recurrence(recurrence)]
    day = _add_months(first, months * number, first.day)
    return workcalendar.calendar().next_working_day(day, include_today=True)


def create_next_occurrence(actor: Actor, task: Task) -> Task | None:
    """The next occurrence of a recurring task, if it does not exist yet (idempotent; inside a transaction).

    Called when an occurrence is completed and by the reminders job once an occurrence's deadline has
    passed, so each period has its own task with its own deadline and status.
    """
    if not task.recurrence or task.state == TaskState.CANCELLED:
        return None
    head = task.series or task
    if head.state == TaskState.CANCELLED or head.deadline is None:
        return None
    latest = Task.objects.filter(series=head).order_by("-deadline").first() or head
    if latest.pk != task.pk:
        return None
    number = 1 + Task.objects.filter(series=head).count()
    due = next_deadline(head.original_deadline or head.deadline, head.recurrence, number)
    if Task.objects.filter(series=head, deadline=due).exists():
        return None
    try:
        with transaction.atomic():
            occurrence = Task.objects.create(
                title=head.title,
                content=head.content,
                source_kind=head.source_kind,
                source_document_id=head.source_document_id,
                source_assignment_id=head.source_assignment_id,
                source_title=head.source_title,
                assigned_by_id=head.assigned_by_id,
                assigning_body_id=head.assigning_body_id,
                lead_unit_id=head.lead_unit_id,
                series=head,
                handler_id=task.handler_id,
                deadline=due,
                recurrence=head.recurrence,
                priority=head.priority,
                plan_id=head.plan_id,
            )
    except IntegrityError:
        return None
    TaskUnit.objects.bulk_create([TaskUnit(task=occurrence, unit_id=link.unit_id) for link in head.unit_links.all()])
    Target.objects.bulk_create(
        [
            Target(task=occurrence, name=t.name, unit_of_measure=t.unit_of_measure, target_value=t.target_value)
            for t in head.targets.all()
        ]
    )
    step(actor, occurrence, TaskEventKind.ASSIGNED, unit=occurrence.lead_unit, occurrence=number + 1)
    audit.record(actor, "directives.task.occurrence", occurrence, after=audit.snapshot(occurrence, TASK_FIELDS))
    notify(
        heads_of(occurrence.lead_unit),
        kind="directives.assigned",
        subject=ASSIGNED_SUBJECT,
        params={"unit": occurrence.lead_unit.full_name, "title": occurrence.title},
        url=task_url(occurrence),
        key=f"directives.assigned:{occurrence.pk}",
    )
    return occurrence


def is_leader_of(person: Person, body: Organization) -> bool:
    """Whether ``person`` holds a leader's or deputy's role over ``body`` (a choice for "assigned by")."""
    return any(h.role in policy.LEADER_ROLES and body.path.startswith(h.path) for h in policy._grants_of(person))


__all__ = [
    "ASSIGNED_SUBJECT",
    "PlanData",
    "TargetData",
    "TaskData",
    "assign_task",
    "assign_tasks",
    "break_down",
    "cancel_task",
    "create_next_occurrence",
    "create_plan",
    "is_leader_of",
    "next_deadline",
    "task_from_direction",
]
