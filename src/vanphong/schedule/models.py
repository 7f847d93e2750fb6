"""The leaders' weekly work schedule (lịch công tác tuần): a week, its events, its published revisions.

The office drafts the week (events with time, place, who presides, who attends, preparing unit); a
leader approves and publishes it as revision 1. Every later change is published as a new numbered
revision ("điều chỉnh lần N") that keeps a snapshot of the events and what changed against the
previous one, so the published view, the PDF and the calendar feeds always read a revision, never the
events being edited.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Organization, Person


class ScheduleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    PUBLISHED = "published", _("Published")


class WeekSchedule(models.Model):
    """One body's schedule for one ISO week, drafted by ``office`` (e.g. Văn phòng Tỉnh ủy)."""

    body = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="week_schedules", verbose_name=_("whose schedule")
    )
    office = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="drafted_week_schedules",
        verbose_name=_("drafting office"),
        help_text=_("Its clerks and specialists draft the schedule; its leaders approve and publish it."),
    )
    year = models.PositiveSmallIntegerField(_("year (ISO)"))
    week = models.PositiveSmallIntegerField(_("week (ISO)"))
    title = models.CharField(_("title"), max_length=255)
    state = models.CharField(_("state"), max_length=16, choices=ScheduleState.choices, default=ScheduleState.DRAFT)
    revision = models.PositiveIntegerField(_("latest published revision"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weekly schedule")
        verbose_name_plural = _("weekly schedules")
        ordering = ["-year", "-week", "body__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "week"], name="schedule_one_week_per_body"),
            models.CheckConstraint(condition=models.Q(week__gte=1, week__lte=53), name="schedule_iso_week"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.week:02d}/{self.year})"

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 7)

    def days(self) -> list[datetime.date]:
        return [self.monday + datetime.timedelta(days=n) for n in range(7)]

    @property
    def is_published(self) -> bool:
        return self.revision > 0

    def clean(self) -> None:
        try:
            datetime.date.fromisocalendar(self.year, self.week, 1)
        except (ValueError, TypeError):
            raise ValidationError({"week": _("This year has no such ISO week.")}) from None


class ScheduleEvent(models.Model):
    """One entry of the week as it is being drafted or amended; published copies live in revisions."""

    schedule = models.ForeignKey(WeekSchedule, on_delete=models.CASCADE, related_name="events")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    day = models.DateField(_("day"))
    start = models.TimeField(_("start time"))
    end = models.TimeField(_("end time"), null=True, blank=True)
    content = models.TextField(_("content"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    presiding = models.ManyToManyField(
        Person, related_name="schedule_events_presided", blank=True, verbose_name=_("presiding (chủ trì)")
    )
    attending = models.ManyToManyField(
        Person, related_name="schedule_events_attended", blank=True, verbose_name=_("attending (dự)")
    )
    attending_units = models.ManyToManyField(
        Organization, related_name="schedule_events_attended", blank=True, verbose_name=_("attending units")
    )
    preparing_unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schedule_events_prepared",
        verbose_name=_("preparing unit"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedule_events",
        verbose_name=_("meeting"),
    )
    documents = models.ManyToManyField(
        "documents.Document", related_name="schedule_events", blank=True, verbose_name=_("documents")
    )
    private = models.BooleanField(
        _("private"), default=False, help_text=_("The public view shows only that the leader works at the office.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("schedule event")
        verbose_name_plural = _("schedule events")
        ordering = ["day", "start", "pk"]
        indexes = [models.Index(fields=["schedule", "day", "start"])]

    def __str__(self) -> str:
        return f"{self.day:%d/%m} {self.start:%H:%M} {self.content[:60]}"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        schedule = self.schedule if self.schedule_id else None
        if schedule is not None and self.day and not schedule.monday <= self.day <= schedule.sunday:
            errors["day"] = _("The day must fall within the week of the schedule.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end time must come after the start time.")
        if errors:
            raise ValidationError(errors)


class ScheduleRevision(models.Model):
    """A published issue of the week: revision 1 is the first publication, N+1 the N-th amendment."""

    schedule = models.ForeignKey(WeekSchedule, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("published by")
    )
    note = models.TextField(_("note"), blank=True)
    snapshot = models.JSONField(_("events"), default=list)
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("schedule revision")
        verbose_name_plural = _("schedule revisions")
        ordering = ["schedule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "number"], name="schedule_revision_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} #{self.number}"


class FeedToken(models.Model):
    """The secret in a person's calendar feed address; only its SHA-256 is kept."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_feed")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"feed of {self.account_id}"
