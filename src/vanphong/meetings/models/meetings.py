"""Meetings and conferences: the agenda, who takes part and answers, documents, minutes, conclusions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization, Person


class MeetingKind(models.TextChoices):
    COMMITTEE_CONFERENCE = "committee_conference", _("Committee conference (hội nghị Ban Chấp hành)")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee meeting (họp Ban Thường vụ)")
    WORKING_SESSION = "working_session", _("Working session with a unit (làm việc với đơn vị)")
    ONLINE_CONFERENCE = "online_conference", _("Online conference with connected points (hội nghị trực tuyến)")
    OTHER = "other", pgettext_lazy("meeting kind", "Other")


class MeetingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("meeting", "Draft")
    CONVENED = "convened", _("Convened")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


class Meeting(models.Model):
    """A meeting or conference of a body. The room comes through an active ``RoomBooking`` of it;
    ``place`` holds a place outside the body's rooms."""

    body = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body"))
    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place outside the rooms"), max_length=255, blank=True)
    presiding = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("presiding")
    )
    preparing_unit = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("preparing unit"),
    )
    secretary = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("meeting", "secretary"),
    )
    state = models.CharField(_("state"), max_length=12, choices=MeetingState.choices, default=MeetingState.DRAFT)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    invitation = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invitation (giấy mời)"),
    )
    conclusion_notice = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("conclusion notice (thông báo kết luận)"),
    )
    minutes_text = models.TextField(_("minutes (biên bản)"), blank=True)
    minutes_file = models.ForeignKey(
        "documents.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_file_name = models.CharField(_("minutes file"), max_length=255, blank=True)
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["body", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def active_booking(self) -> object:
        for booking in self.bookings.all():
            if booking.cancelled_at is None:
                return booking
        return None


class ConnectedPoint(models.Model):
    """A connected point (điểm cầu) of an online conference."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="connected_points")
    name = models.CharField(_("point name"), max_length=255)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    place = models.CharField(_("place"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("connected point")
        verbose_name_plural = _("connected points")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """One item of the agenda (chương trình): in order, with who presents it and when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=500)
    presenter = models.CharField(_("presenter"), max_length=255, blank=True)
    starts_at = models.TimeField(_("time"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class ParticipantRole(models.TextChoices):
    PRESIDING = "presiding", _("Presiding")
    MEMBER = "member", _("Member")
    INVITED = "invited", _("Invited")
    SECRETARY = "secretary", pgettext_lazy("meeting", "Secretary")
    CONNECTED_POINT = "connected_point", _("Connected point")


class Response(models.TextChoices):
    PENDING = "pending", _("Awaiting answer")
    ACCEPTED = "accepted", _("Will attend")
    DECLINED = "declined", _("Declined")
    DEPUTY = "deputy", _("Sends a deputy")


class Participant(models.Model):
    """A person who takes part (a member with an account) or an invited guest (name, title, organisation)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_parts", verbose_name=_("person")
    )
    name = models.CharField(pgettext_lazy("person", "full name"), max_length=120, blank=True)
    title = models.CharField(_("title or position"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    organization_name = models.CharField(_("organisation"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices, default=ParticipantRole.MEMBER)
    response = models.CharField(_("answer"), max_length=10, choices=Response.choices, default=Response.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    deputy_name = models.CharField(_("deputy sent"), max_length=120, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "id"]
        indexes = [models.Index(fields=["person", "response"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="participant_once"
            ),
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(name=""), name="participant_named"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id is not None and self.person is not None:
            return self.person.full_name
        return self.name

    @property
    def organisation_label(self) -> str:
        if self.organization_id is not None and self.organization is not None:
            return str(self.organization)
        return self.organization_name


class MeetingDocument(models.Model):
    """A document of the registry attached to the meeting, optionally to one agenda item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="meeting_uses")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "agenda_item__order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "document"], name="meeting_document_once")]

    def __str__(self) -> str:
        return str(self.document)


class DeadlineUnit(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


class Conclusion(models.Model):
    """One conclusion (kết luận) of the meeting; each lead unit becomes one task when assigned."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("conclusion"))
    lead_units = models.ManyToManyField(
        Organization, related_name="+", verbose_name=_("lead units"), help_text=_("Each lead unit gets its own task.")
    )
    coordinating_units = models.ManyToManyField(
        Organization, related_name="+", blank=True, verbose_name=_("coordinating units")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("deadline in days"), null=True, blank=True)
    deadline_unit = models.CharField(
        _("days counted as"), max_length=8, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING
    )
    tasks_assigned_at = models.DateTimeField(_("tasks assigned at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"

    @property
    def source_ref(self) -> str:
        return f"meetings.conclusion:{self.pk}"
