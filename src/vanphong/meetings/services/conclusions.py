"""Conclusions (kết luận) of a meeting, and the one act that turns them into tasks.

``assign_tasks`` hands the selected conclusions to ``directives.services.assign_tasks``: one task per
lead unit of each conclusion, with the conclusion as its source (``meetings.conclusion:<pk>``), the
presiding person as the assigning leader, and the conclusion notice as the source document when it
exists. The directives service is all or nothing and idempotent per source and lead unit, so assigning
twice creates nothing more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Organization
from vanphong.lib import vntext
from vanphong.meetings import policy
from vanphong.meetings.models import Conclusion, Meeting
from vanphong.meetings.models.meetings import DeadlineUnit
from vanphong.meetings.services.common import account_of, local, require

if TYPE_CHECKING:
    from vanphong.directives.models import Task

TITLE_LENGTH = 200


@dataclass
class ConclusionData:
    text: str
    lead_units: list[Organization]
    coordinating_units: list[Organization] = field(default_factory=list)
    deadline: datetime.date | None = None
    deadline_days: int | None = None
    deadline_unit: str = DeadlineUnit.WORKING


def _clean(data: ConclusionData) -> None:
    data.text = vntext.nfc(data.text).strip()
    errors: dict[str, list[str]] = {}
    if not data.text:
        errors["text"] = [_("Write the conclusion.")]
    if not data.lead_units:
        errors["lead_units"] = [_("Choose at least one lead unit.")]
    overlap = {u.pk for u in data.lead_units} & {u.pk for u in data.coordinating_units}
    if overlap:
        errors["coordinating_units"] = [_("A unit cannot both lead and coordinate the same conclusion.")]
    if data.deadline is not None and data.deadline_days:
        errors["deadline"] = [_("Give a date or a number of days, not both.")]
    if data.deadline_unit not in DeadlineUnit.values:
        errors["deadline_unit"] = [_("Choose working or calendar days.")]
    if errors:
        raise ValidationError(errors)


def add_conclusion(actor: Actor, meeting: Meeting, data: ConclusionData) -> Conclusion:
    actor = require(policy.can_record(actor.account, meeting), actor)
    _clean(data)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = meeting.conclusions.aggregate(last=Max("order"))["last"] or 0
        conclusion = Conclusion.objects.create(
            meeting=meeting,
            order=last + 1,
            text=data.text,
            deadline=data.deadline,
            deadline_days=data.deadline_days or None,
            deadline_unit=data.deadline_unit,
            created_by=account_of(actor),
        )
        conclusion.lead_units.set(data.lead_units)
        conclusion.coordinating_units.set(data.coordinating_units)
        audit.record(
            actor,
            "meetings.conclusion.add",
            conclusion,
            after={
                "meeting": meeting.pk,
                "order": conclusion.order,
                "text": data.text,
                "lead_units": [u.pk for u in data.lead_units],
                "coordinating_units": [u.pk for u in data.coordinating_units],
                "deadline": data.deadline,
                "deadline_days": data.deadline_days,
            },
        )
    return conclusion


def remove_conclusion(actor: Actor, conclusion: Conclusion) -> None:
    actor = require(policy.can_record(actor.account, conclusion.meeting), actor)
    if conclusion.tasks_assigned_at is not None:
        raise ValidationError(_("Tasks were already assigned from this conclusion; it stays on record."))
    with transaction.atomic():
        audit.record(
            actor,
            "meetings.conclusion.remove",
            conclusion,
            before={"meeting": conclusion.meeting_id, "text": conclusion.text},
        )
        conclusion.delete()


def source_title(meeting: Meeting, conclusion: Conclusion) -> str:
    """ "Conclusion of <meeting> on 03/12/2026, item 2", in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Conclusion of {title} on {day}, item {order}").format(
            title=meeting.title, day=f"{local(meeting.starts_at):%d/%m/%Y}", order=conclusion.order
        )


def _title(text: str) -> str:
    first = text.split("\n", 1)[0].strip()
    return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"


def task_items(meeting: Meeting, conclusions: list[Conclusion]) -> list[Any]:
    """One ``TaskData`` per lead unit of each conclusion."""
    from vanphong.directives.services import TaskData

    items = []
    for conclusion in conclusions:
        coordinating = list(conclusion.coordinating_units.all())
        for unit in conclusion.lead_units.order_by("path"):
            items.append(
                TaskData(
                    title=_title(conclusion.text),
                    content=conclusion.text,
                    lead_unit=unit,
                    coordinating_units=coordinating,
                    deadline=conclusion.deadline,
                    deadline_days=conclusion.deadline_days,
                    deadline_unit=conclusion.deadline_unit,
                    source_kind="conclusion",
                    source_document=meeting.conclusion_notice,
                    source_ref=conclusion.source_ref,
                    source_title=source_title(meeting, conclusion),
                    assigning_body=meeting.body,
                )
            )
    return items


def assign_tasks(actor: Actor, meeting: Meeting, conclusions: list[Conclusion]) -> list[Task]:
    """Turn the selected conclusions into tasks in one act (all or nothing)."""
    actor = require(policy.can_assign_tasks(actor.account, meeting), actor)
    if not conclusions:
        raise ValidationError({"conclusions": [_("Choose the conclusions to turn into tasks.")]})
    if any(c.meeting_id != meeting.pk for c in conclusions):
        raise ValidationError({"conclusions": [_("Choose conclusions of this meeting only.")]})
    from vanphong.directives import services as directives

    conclusions = sorted(conclusions, key=lambda c: c.order)
    with transaction.atomic():
        tasks = directives.assign_tasks(actor, task_items(meeting, conclusions), assigned_by=meeting.presiding)
        Conclusion.objects.filter(pk__in=[c.pk for c in conclusions], tasks_assigned_at__isnull=True).update(
            tasks_assigned_at=timezone.now()
        )
        audit.record(
            actor,
            "meetings.conclusion.tasks",
            meeting,
            after={"conclusions": [c.pk for c in conclusions], "tasks": [t.pk for t in tasks]},
        )
    return list(tasks)


def tasks_of(conclusions: list[Conclusion]) -> dict[int, list[Any]]:
    """The tasks made from each conclusion, by conclusion pk (empty lists before directives exists)."""
    refs = {c.source_ref: c.pk for c in conclusions}
    found: dict[int, list[Any]] = {c.pk: [] for c in conclusions}
    if not refs:
        return found
    from vanphong.directives.models import Task

    for task in Task.objects.filter(source_ref__in=list(refs)).select_related("lead_unit").order_by("pk"):
        found[refs[task.source_ref]].append(task)
    return found
