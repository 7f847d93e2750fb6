"""Meeting rooms and their bookings. A room is never booked twice for overlapping times: the
booking service locks the room row before it looks for overlaps (see services/rooms.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Organization


class Room(models.Model):
    """A meeting room of a body (hội trường, phòng họp)."""

    body = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("body"))
    name = models.CharField(pgettext_lazy("room", "name"), max_length=120)
    building = models.CharField(_("building"), max_length=120, blank=True)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=0, help_text=_("Seats."))
    equipment = models.TextField(_("equipment"), blank=True, help_text=_("Screens, sound, video conferencing…"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")
        ordering = ["body__path", "name"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class RoomBookingQuerySet(models.QuerySet["RoomBooking"]):
    def active(self) -> RoomBookingQuerySet:
        return self.filter(cancelled_at__isnull=True)

    def overlapping(self, starts_at: object, ends_at: object) -> RoomBookingQuerySet:
        """Bookings that share time with [starts_at, ends_at); back-to-back ones do not."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class RoomBooking(models.Model):
    """A room held for a period, for a meeting or another purpose."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("meeting"),
    )
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = RoomBookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"]), models.Index(fields=["meeting"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def title(self) -> str:
        return self.meeting.title if self.meeting_id and self.meeting else self.purpose
