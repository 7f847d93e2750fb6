"""Progress and completion: reports with evidence, the lead unit's proposal, the assigner's decision.

**The completion date is the day the lead unit proposed completion** (``proposed_on``), not the day
the assigner accepted it: the work was finished and handed in then, and the time the assigner takes to
look at it must not make the unit late. A returned proposal clears ``proposed_on``; the next one sets it
again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.services.actors import person_of
from vanphong.directives import policy
from vanphong.directives.models import (
    OPEN_STATES,
    ProgressReport,
    ReportFile,
    Target,
    TargetValue,
    Task,
    TaskEventKind,
    TaskState,
)
from vanphong.directives.services.common import (
    accounts_of,
    change_state,
    heads_of,
    locked_task,
    require,
    require_person,
    step,
    task_url,
)
from vanphong.directives.services.tasks import create_next_occurrence
from vanphong.documents import storage
from vanphong.documents.models import Document, StoredFile
from vanphong.documents.services.files import Upload, check_uploads
from vanphong.lib import vntext
from vanphong.notices.services import notify

WORKING_STATES = (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.RETURNED)


@dataclass
class ReportData:
    """A progress report: what was done, how far (0–100 %), evidence, and target values reached."""

    text: str
    percent: int
    files: list[Upload] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    target_values: dict[int, Decimal] = field(default_factory=dict)  # Target pk → value reached


def _clean_report(actor: Actor, task: Task, data: ReportData) -> dict[str, list[str]]:
    from vanphong.documents.access import documents_visible_to

    errors: dict[str, list[str]] = {}
    data.text = vntext.nfc(data.text).strip()
    if not data.text:
        errors.setdefault("text", []).append(_("Say what has been done."))
    if not 0 <= data.percent <= 100:
        errors.setdefault("percent", []).append(_("Progress is a percentage from 0 to 100."))
    ids = {d.pk for d in data.documents}
    if ids and documents_visible_to(actor.account).filter(pk__in=ids).count() != len(ids):
        errors.setdefault("documents", []).append(_("You can link only documents you can see."))
    targets = set(Target.objects.filter(task=task).values_list("pk", flat=True))
    for pk, value in data.target_values.items():
        if pk not in targets:
            errors.setdefault("target_values", []).append(_("That target is not one of this task's."))
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = Decimal(-1)
        if number < 0:
            errors.setdefault("target_values", []).append(_("Target values cannot be negative."))
    return errors


def _store(upload: Upload, media_type: str) -> StoredFile:
    blob = storage.store().put(upload.data, encrypt=False)
    stored, _created = StoredFile.objects.get_or_create(
        sha256=blob.sha256, defaults={"size": blob.size, "media_type": media_type, "encrypted": blob.encrypted}
    )
    return stored


def report_progress(actor: Actor, task: Task, data: ReportData) -> ProgressReport:
    """A unit reports progress. The lead unit's report sets the task's percentage; any report's target
    values become the targets' achieved values. Files are checked (type from the bytes, size) before
    anything is stored."""
    unit = policy.reporting_unit(actor.account, task)
    if unit is None:
        raise PermissionDenied
    author = require_person(actor)
    errors = _clean_report(actor, task, data)
    if errors:
        raise ValidationError(errors)
    checked = check_uploads(data.files, secrecy=0)
    with transaction.atomic():
        fresh = locked_task(task, WORKING_STATES)
        report = ProgressReport.objects.create(
            task=fresh, unit=unit, author=author, text=data.text, percent=data.percent
        )
        for upload, sniffed in checked:
            ReportFile.objects.create(report=report, stored=_store(upload, sniffed.media_type), name=upload.name)
        report.documents.set(data.documents)
        values = [
            TargetValue(report=report, target_id=pk, value=Decimal(str(v))) for pk, v in data.target_values.items()
        ]
        TargetValue.objects.bulk_create(values)
        for value in values:
            Target.objects.filter(pk=value.target_id).update(achieved_value=value.value)
        updates: dict[str, object] = {"last_report_at": timezone.now()}
        if unit.pk == fresh.lead_unit_id:
            updates["percent"] = data.percent
        if fresh.state == TaskState.ASSIGNED:
            updates["state"] = TaskState.IN_PROGRESS
        change_state(fresh, WORKING_STATES, **updates)
        step(actor, fresh, TaskEventKind.REPORTED, unit=unit, report=report.pk, percent=data.percent)
        audit.record(
            actor,
            "directives.task.report",
            report,
            after={"task": fresh.pk, "unit": unit.pk, "percent": data.percent, "files": len(checked)},
        )
        _roll_up(fresh)
    return report


def add_report_file(actor: Actor, report: ProgressReport, upload: Upload) -> ReportFile:
    """Add an evidence file to one's own progress report, checked and stored as ``report_progress``
    stores them (type from the bytes, size limit, content-addressed). Only the report's author, still
    reporting for the report's unit, while the task is being worked on (the window in which the report
    page takes files)."""
    task = report.task
    unit = policy.reporting_unit(actor.account, task)
    author = require_person(actor)
    if unit is None or unit.pk != report.unit_id or author.pk != report.author_id:
        raise PermissionDenied
    upload = Upload(vntext.nfc(upload.name).strip(), upload.data)
    if not upload.name or len(upload.name) > 255:
        raise ValidationError({"name": [_("Give the file a name of at most 255 characters.")]})
    checked = check_uploads([upload], secrecy=0)
    with transaction.atomic():
        locked_task(task, WORKING_STATES)
        added = ReportFile.objects.create(
            report=report, stored=_store(upload, checked[0][1].media_type), name=upload.name
        )
        audit.record(
            actor,
            "directives.report.file",
            report,
            after={"task": task.pk, "name": added.name, "sha256": added.stored.sha256, "size": added.stored.size},
        )
    return added


def _roll_up(task: Task) -> None:
    """A child task's progress shows on its parent as the last report time (the parent's percentage
    is the lead unit's own judgement and is not overwritten)."""
    if task.parent_id is None:
        return
    latest = Task.objects.filter(parent_id=task.parent_id).aggregate(at=Max("last_report_at"))["at"]
    Task.objects.filter(pk=task.parent_id, last_report_at__lt=latest).update(last_report_at=latest)
    Task.objects.filter(pk=task.parent_id, last_report_at__isnull=True).update(last_report_at=latest)


PROPOSED_SUBJECT = gettext_lazy("{unit} proposes that “{title}” is completed")


def propose_completion(actor: Actor, task: Task, *, note: str = "", today: datetime.date | None = None) -> Task:
    """The lead unit reports the task done and asks the assigner to accept it."""
    actor = require(policy.answers_for(actor.account, task), actor)
    day = today or timezone.localdate()
    with transaction.atomic():
        fresh = locked_task(task, WORKING_STATES)
        before = audit.snapshot(fresh, ("state", "proposed_on"))
        change_state(fresh, WORKING_STATES, state=TaskState.PROPOSED, proposed_on=day, percent=100)
        step(actor, fresh, TaskEventKind.PROPOSED, note=vntext.nfc(note).strip(), unit=fresh.lead_unit)
        audit.record(
            actor, "directives.task.propose", fresh, before=before, after={"state": fresh.state, "proposed_on": day}
        )
        deciders = accounts_of([fresh.assigned_by])
        notify(
            deciders,
            kind="directives.proposed",
            subject=PROPOSED_SUBJECT,
            params={"unit": fresh.lead_unit.full_name, "title": fresh.title},
            url=task_url(fresh),
        )
    return fresh


def _four_eyes(actor: Actor, task: Task) -> None:
    """The person who proposed the completion (or for whom it was proposed) may not settle it."""
    deciders = {p.pk for p in (person_of(actor), actor.on_behalf_of) if p is not None}
    if deciders & policy.proposed_by(task):
        raise ValidationError(
            _("You proposed this completion yourself; another person who may decide must accept or return it."),
            code="own_proposal",
        )


ACCEPTED_SUBJECT = gettext_lazy("Task “{title}” is accepted as completed")
RETURNED_SUBJECT = gettext_lazy("Task “{title}” was returned: {comment}")


def accept_completion(actor: Actor, task: Task, *, note: str = "") -> Task:
    """The assigner accepts: the task is completed on the day it was proposed (module docstring). Not the
    person who proposed it (four eyes, ``_four_eyes``)."""
    actor = require(policy.can_decide(actor.account, task), actor)
    with transaction.atomic():
        fresh = locked_task(task, (TaskState.PROPOSED,))
        _four_eyes(actor, fresh)
        completed_on = fresh.proposed_on or timezone.localdate()
        change_state(fresh, (TaskState.PROPOSED,), state=TaskState.COMPLETED, completed_on=completed_on)
        step(actor, fresh, TaskEventKind.ACCEPTED, note=vntext.nfc(note).strip())
        audit.record(
            actor,
            "directives.task.accept",
            fresh,
            before={"state": TaskState.PROPOSED},
            after={"state": fresh.state, "completed_on": completed_on},
        )
        notify(
            heads_of(fresh.lead_unit) + accounts_of([fresh.handler]),
            kind="directives.accepted",
            subject=ACCEPTED_SUBJECT,
            params={"title": fresh.title},
            url=task_url(fresh),
        )
        create_next_occurrence(actor, fresh)
    return fresh


def return_task(actor: Actor, task: Task, *, comment: str) -> Task:
    """The assigner sends the proposal back with what is still missing."""
    actor = require(policy.can_decide(actor.account, task), actor)
    comment = vntext.nfc(comment).strip()
    if not comment:
        raise ValidationError({"comment": _("Say what is still missing.")})
    with transaction.atomic():
        fresh = locked_task(task, (TaskState.PROPOSED,))
        _four_eyes(actor, fresh)
        change_state(fresh, (TaskState.PROPOSED,), state=TaskState.RETURNED, proposed_on=None)
        step(actor, fresh, TaskEventKind.RETURNED, note=comment)
        audit.record(
            actor, "directives.task.return", fresh, before={"state": TaskState.PROPOSED}, after={"state": fresh.state}
        )
        notify(
            heads_of(fresh.lead_unit) + accounts_of([fresh.handler]),
            kind="directives.returned",
            subject=RETURNED_SUBJECT,
            params={"title": fresh.title, "comment": comment},
            url=task_url(fresh),
        )
    return fresh


__all__ = [
    "OPEN_STATES",
    "ReportData",
    "accept_completion",
    "propose_completion",
    "report_progress",
    "return_task",
]
