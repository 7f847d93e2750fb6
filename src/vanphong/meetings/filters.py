"""One filter class per list, used by the page (GET form) and by the API (query parameters) alike."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.filters import ListFilter
from vanphong.documents.forms import day_field
from vanphong.meetings.models import Meeting, MeetingKind, MeetingState, Room

WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past")), ("all", _("All"))]


class MeetingFilter(ListFilter):
    """Upcoming or past meetings, by kind, state, room and period."""

    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *MeetingKind.choices], required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any state")), *MeetingState.choices], required=False)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    date_from = day_field(_("From"))
    date_to = day_field(_("Until"))

    def __init__(self, *args: Any, rooms: QuerySet[Room] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["room"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (a programming error, not input)
        field.queryset = rooms if rooms is not None else Room.objects.all()

    def period(self) -> str:
        value = self.cleaned_data.get("when") if hasattr(self, "cleaned_data") else None
        return str(value or "upcoming")

    def filter(self, queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
        data = self.cleaned_data
        now = timezone.now()
        when = data.get("when") or "upcoming"
        if when == "upcoming":
            queryset = queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")
        elif when == "past":
            queryset = queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        else:
            queryset = queryset.order_by("-starts_at", "-pk")
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("room"):
            queryset = queryset.filter(bookings__room=data["room"], bookings__cancelled_at__isnull=True)
        if data.get("date_from"):
            start = timezone.make_aware(datetime.datetime.combine(data["date_from"], datetime.time.min))
            queryset = queryset.filter(ends_at__gte=start)
        if data.get("date_to"):
            end = timezone.make_aware(datetime.datetime.combine(data["date_to"], datetime.time.max))
            queryset = queryset.filter(starts_at__lte=end)
        return queryset
