"""Directions and tasks (theo dõi nhiệm vụ): what a leader or a body assigns, to which units, by when,
with which targets (chỉ tiêu), and the progress reports, completion and extensions that follow.

A task keeps its source (a document, a meeting's conclusion, a leader's direction on a document, a
resolution). The lead unit (chủ trì) answers for it; coordinating units (phối hợp) help. Units break it
down into child tasks for their specialists or lower units. A resolution followed across many units is a
``Plan``: its tasks and their targets make the monitoring matrix.

``deadline`` is always the deadline in force: an approved extension moves it and keeps the first one in
``original_deadline``, so the status class (``rules.task_status``) is read from the row alone.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization, Person
from vanphong.documents.models import Assignment, Document, StoredFile


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    CONCLUSION = "conclusion", _("Meeting conclusion")
    DIRECTION = "direction", _("Leader's direction on a document")
    RESOLUTION = "resolution", _("Resolution")
    OTHER = "other", pgettext_lazy("source", "Other")


class Recurrence(models.TextChoices):
    NONE = "", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Priority(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("priority", "Normal")
    HIGH = "high", pgettext_lazy("priority", "High")
    URGENT = "urgent", pgettext_lazy("priority", "Urgent")


class TaskState(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    PROPOSED = "proposed", _("Completion proposed")
    RETURNED = "returned", _("Returned for more work")
    COMPLETED = "completed", pgettext_lazy("task", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("task", "Cancelled")


OPEN_STATES = (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.PROPOSED, TaskState.RETURNED)


class Plan(models.Model):
    """Monitoring a resolution (or a programme): its tasks and targets across many units."""

    title = models.CharField(_("title"), max_length=500)
    source_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("resolution")
    )
    assigning_body = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigning body")
    )
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resolution plan")
        verbose_name_plural = _("resolution plans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A task (nhiệm vụ): content, source, assigner, lead and coordinating units, deadline, state."""

    title = models.CharField(_("title"), max_length=500)
    content = models.TextField(_("content"), blank=True)
    source_kind = models.CharField(_("source"), max_length=12, choices=SourceKind.choices, default=SourceKind.OTHER)
    source_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source document")
    )
    source_assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("direction")
    )
    # Where the task came from in another module ("meetings.conclusion:42"); with the lead unit it makes
    # creating the same task twice return the first one.
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    source_title = models.CharField(_("source"), max_length=500, blank=True)
    assigned_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigning_body = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigning body")
    )
    lead_unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit (chủ trì)")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("part of")
    )
    # Occurrences of a recurring task point at the first one.
    series = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="occurrences")
    handler = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("handler")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    original_deadline = models.DateField(_("deadline before extension"), null=True, blank=True)
    deadline_amount = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    deadline_unit = models.CharField(_("counted in"), max_length=8, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices, blank=True, default="")
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(_("state"), max_length=12, choices=TaskState.choices, default=TaskState.ASSIGNED)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_report_at = models.DateTimeField(_("last report"), null=True, blank=True)
    proposed_on = models.DateField(_("completion proposed on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("plan")
    )
    coordinating_units: models.ManyToManyField[Organization, TaskUnit] = models.ManyToManyField(
        Organization, through="TaskUnit", related_name="+", verbose_name=_("coordinating units (phối hợp)")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref", "lead_unit"],
                condition=~Q(source_ref="") & Q(parent__isnull=True) & Q(series__isnull=True) & ~Q(state="cancelled"),
                name="task_one_per_source_and_unit",
            ),
            models.UniqueConstraint(
                fields=["series", "deadline"], condition=Q(series__isnull=False), name="task_occurrence_once"
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_max_100"),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "state"], name="task_lead_state"),
            models.Index(fields=["assigning_body", "state"], name="task_body_state"),
            models.Index(fields=["assigned_by", "state"], name="task_assigner_state"),
            models.Index(fields=["handler", "state"], name="task_handler_state"),
            models.Index(fields=["state", "deadline"], name="task_state_deadline"),
            models.Index(fields=["plan", "lead_unit"], name="task_plan_unit"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_extended(self) -> bool:
        return self.original_deadline is not None


class TaskUnit(models.Model):
    """A coordinating unit (phối hợp) of a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))

    class Meta:
        verbose_name = _("coordinating unit")
        verbose_name_plural = _("coordinating units")
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_unit_once")]
        indexes = [models.Index(fields=["unit", "task"], name="task_unit_unit")]

    def __str__(self) -> str:
        return f"{self.task_id} ↔ {self.unit_id}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", pgettext_lazy("extension", "Approved")
    REFUSED = "refused", pgettext_lazy("extension", "Refused")


class TaskExtension(models.Model):
    """A request to move a task's deadline, and the assigner's decision on it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    old_deadline = models.DateField(_("deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["task", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(state="pending"), name="task_extension_one_pending")
        ]
        indexes = [models.Index(fields=["state", "task"], name="task_extension_state")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.old_deadline} → {self.new_deadline}"


class Target(models.Model):
    """A target (chỉ tiêu) of a task: a number to reach, and the number reached so far."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("target"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    achieved_value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self) -> int | None:
        if self.achieved_value is None or not self.target_value:
            return None
        share: Decimal = self.achieved_value / self.target_value * 100
        return int(min(share, Decimal(999)))


class ProgressReport(models.Model):
    """A progress report of a unit on a task, with its evidence (files, documents) and target values."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    text = models.TextField(_("report"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("documents"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max_100")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.percent}%"


class ReportFile(models.Model):
    """An evidence file of a progress report, stored by content in the documents' file store."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="files")
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class TargetValue(models.Model):
    """The value of a target a report gave."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="target_values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["report", "target"]

    def __str__(self) -> str:
        return f"{self.target_id}={self.value}"


class TaskEventKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    BROKEN_DOWN = "broken_down", _("Part passed on")
    HANDLER_SET = "handler_set", _("Passed to a specialist")
    REPORTED = "reported", _("Progress reported")
    PROPOSED = "proposed", _("Completion proposed")
    ACCEPTED = "accepted", _("Completion accepted")
    RETURNED = "returned", _("Returned with comments")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    CANCELLED = "cancelled", pgettext_lazy("task", "Cancelled")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Reported overdue to the assigner")


class TaskEvent(models.Model):
    """One step on a task's timeline: who did what, when, on whose behalf, with what note."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=TaskEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("task step")
        verbose_name_plural = _("task steps")
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"
