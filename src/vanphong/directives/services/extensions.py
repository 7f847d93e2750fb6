"""Deadline extensions (gia hạn): the lead unit asks, the assigner approves or refuses.

An approved extension moves ``Task.deadline`` to the new date and keeps the first deadline in
``original_deadline`` (set once, by the first approval), so the status class reads "extended" until the
new deadline passes (``rules.task_status``). The extension row keeps who approved it and when.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.directives import policy
from vanphong.directives.models import OPEN_STATES, ExtensionState, Task, TaskEventKind, TaskExtension
from vanphong.directives.services.common import (
    accounts_of,
    heads_of,
    locked_task,
    require,
    require_person,
    step,
    task_url,
)
from vanphong.lib import vntext
from vanphong.notices.services import notify

REQUESTED_SUBJECT = gettext_lazy("{unit} asks to extend “{title}” to {date}")
APPROVED_SUBJECT = gettext_lazy("More time for “{title}” approved: new deadline {date}")
REFUSED_SUBJECT = gettext_lazy("More time for “{title}” refused: {comment}")


def request_extension(actor: Actor, task: Task, *, new_deadline: datetime.date, reason: str) -> TaskExtension:
    """Ask the assigner for a later deadline, with the reason. One request waits at a time."""
    actor = require(policy.can_request_extension(actor.account, task), actor)
    person = require_person(actor)
    reason = vntext.nfc(reason).strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors.setdefault("reason", []).append(_("Say why more time is needed."))
    if task.deadline is not None and new_deadline <= task.deadline:
        errors.setdefault("new_deadline", []).append(_("The new deadline must be after the current one."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = locked_task(task, OPEN_STATES)
        try:
            with transaction.atomic():
                extension = TaskExtension.objects.create(
                    task=fresh,
                    old_deadline=fresh.deadline,
                    new_deadline=new_deadline,
                    reason=reason,
                    requested_by=person,
                )
        except IntegrityError:
            raise ValidationError(_("An extension request is already waiting for a decision.")) from None
        step(actor, fresh, TaskEventKind.EXTENSION_REQUESTED, note=reason, new_deadline=new_deadline.isoformat())
        audit.record(
            actor,
            "directives.extension.request",
            extension,
            after={"task": fresh.pk, "old": fresh.deadline, "new": new_deadline},
        )
        notify(
            accounts_of([fresh.assigned_by]),
            kind="directives.extension",
            subject=REQUESTED_SUBJECT,
            params={"unit": fresh.lead_unit.full_name, "title": fresh.title, "date": new_deadline.strftime("%d/%m/%Y")},
            url=task_url(fresh),
        )
    return extension


def decide_extension(
    actor: Actor,
    extension: TaskExtension,
    *,
    approve: bool,
    comment: str = "",
    new_deadline: datetime.date | None = None,
) -> TaskExtension:
    """Approve (possibly with a different date) or refuse a waiting request."""
    task = extension.task
    actor = require(policy.can_decide(actor.account, task), actor)
    person = require_person(actor)
    comment = vntext.nfc(comment).strip()
    granted = new_deadline or extension.new_deadline
    if approve and task.deadline is not None and granted <= task.deadline:
        raise ValidationError({"new_deadline": _("The new deadline must be after the current one.")})
    if not approve and not comment:
        raise ValidationError({"comment": _("Say why the request is refused.")})
    state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    with transaction.atomic():
        fresh_task = locked_task(task, OPEN_STATES)
        changed = TaskExtension.objects.filter(pk=extension.pk, state=ExtensionState.PENDING).update(
            state=state, decided_by=person, decided_at=timezone.now(), comment=comment, new_deadline=granted
        )
        if changed != 1:
            raise ValidationError(_("This request has already been decided."))
        extension.refresh_from_db()
        if approve:
            before = audit.snapshot(fresh_task, ("deadline", "original_deadline"))
            Task.objects.filter(pk=fresh_task.pk).update(
                deadline=granted, original_deadline=fresh_task.original_deadline or fresh_task.deadline
            )
            fresh_task.refresh_from_db(fields=["deadline", "original_deadline"])
        else:
            before = {}
        kind = TaskEventKind.EXTENSION_APPROVED if approve else TaskEventKind.EXTENSION_REFUSED
        step(actor, fresh_task, kind, note=comment, new_deadline=granted.isoformat())
        audit.record(
            actor,
            "directives.extension.decide",
            extension,
            before=before,
            after={"task": fresh_task.pk, "state": state, "deadline": fresh_task.deadline},
        )
        notify(
            heads_of(fresh_task.lead_unit) + accounts_of([extension.requested_by, fresh_task.handler]),
            kind="directives.extension",
            subject=APPROVED_SUBJECT if approve else REFUSED_SUBJECT,
            params={"title": fresh_task.title, "date": granted.strftime("%d/%m/%Y"), "comment": comment},
            url=task_url(fresh_task),
        )
    return extension
