"""Helpers the task services share: the acting person, timeline steps, locks, who to tell."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from vanphong.core.audit import Actor
from vanphong.core.models import Account, Organization, Person
from vanphong.core.services.actors import person_of, require  # noqa: F401  (the app's services import them from here)
from vanphong.directives import policy
from vanphong.directives.models import Task, TaskEvent, TaskEventKind

TASK_FIELDS = (
    "title", "source_kind", "source_document", "source_assignment", "source_ref", "assigned_by", "assigning_body",
    "lead_unit", "parent", "series", "handler", "deadline", "original_deadline", "deadline_amount", "deadline_unit",
    "recurrence", "priority", "state", "percent", "proposed_on", "completed_on", "plan",
)  # fmt: skip


def require_person(actor: Actor) -> Person:
    person = person_of(actor)
    if person is None:
        raise PermissionDenied
    return person


def step(
    actor: Actor,
    task: Task,
    kind: TaskEventKind,
    *,
    note: str = "",
    unit: Organization | None = None,
    **data: Any,
) -> TaskEvent:
    """Append a step to the task's timeline (inside the caller's transaction)."""
    return TaskEvent.objects.create(
        task=task,
        kind=kind,
        actor=person_of(actor),
        on_behalf_of=actor.on_behalf_of,
        unit=unit,
        note=note,
        data=data,
    )


def locked_task(task: Task, states: Sequence[str]) -> Task:
    """The task row, locked, and still in one of ``states`` (else someone acted on it first)."""
    fresh = (
        Task.objects.select_for_update(of=("self",))
        .select_related("lead_unit", "assigning_body", "assigned_by")
        .get(pk=task.pk)
    )
    if fresh.state not in states:
        raise ValidationError(
            _("The task is now “{state}”; someone acted on it first. Reload the page.").format(
                state=fresh.get_state_display()
            )
        )
    return fresh


def change_state(task: Task, old: Sequence[str], **values: Any) -> None:
    """The conditional update behind every state change: exactly one row, still in ``old``."""
    changed = Task.objects.filter(pk=task.pk, state__in=old).update(**values)
    if changed != 1:
        raise ValidationError(_("Someone acted on this task first. Reload the page."))
    for name, value in values.items():
        setattr(task, name, value)


def heads_of(unit: Organization) -> list[Account]:
    """The accounts that answer for ``unit``: its heads, leaders and deputies (roles on the unit itself)."""
    return list(
        Account.objects.filter(
            is_active=True,
            person__role_grants__organization=unit,
            person__role_grants__role__in=policy.HEAD_ROLES,
            person__role_grants__revoked_at__isnull=True,
        ).distinct()
    )


def accounts_of(people: Iterable[Person | None]) -> list[Account]:
    ids = {p.pk for p in people if p is not None}
    return list(Account.objects.filter(person_id__in=ids, is_active=True)) if ids else []


def task_url(task: Task) -> str:
    return reverse("directives:task", args=[task.pk])
