"""Forms of the weekly schedule: they collect input; the rules live in the models' ``clean`` and services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Organization, Person
from vanphong.documents.access import documents_visible_to
from vanphong.schedule.models import ScheduleEvent, WeekSchedule
from vanphong.schedule.services import EventData, WeekData

DOCUMENT_CHOICES = 100


def _people() -> QuerySet[Person]:
    return Person.objects.filter(is_active=True).order_by("sort_key", "pk")


def _organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(dissolved_on__isnull=True).order_by("path")


class WeekForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Whose schedule"),
        queryset=Organization.objects.none(),
        help_text=_("The body or leadership whose week this is, e.g. Thường trực Tỉnh ủy."),
    )
    office = forms.ModelChoiceField(label=_("Drafting office"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    week = forms.IntegerField(label=_("ISO week"), min_value=1, max_value=53)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)

    def __init__(self, *args: Any, offices: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _organizations()  # type: ignore[attr-defined]
        self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        if not self.is_bound:
            year, week, _day = (timezone.localdate() + datetime.timedelta(days=7)).isocalendar()
            self.initial.setdefault("year", year)
            self.initial.setdefault("week", week)
            if offices.count() == 1:
                self.initial.setdefault("office", offices.first())

    def to_data(self) -> WeekData:
        data = self.cleaned_data
        return WeekData(data["body"], data["office"], data["year"], data["week"], data.get("title") or "")


class EventForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=datetime.date.fromisoformat)
    start = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    presiding = forms.ModelMultipleChoiceField(
        label=_("Presiding (chủ trì)"), queryset=Person.objects.none(), required=False
    )
    attending = forms.ModelMultipleChoiceField(
        label=_("Attending (dự)"), queryset=Person.objects.none(), required=False
    )
    attending_units = forms.ModelMultipleChoiceField(
        label=_("Attending units"), queryset=Organization.objects.none(), required=False
    )
    preparing_unit = forms.ModelChoiceField(
        label=_("Preparing unit"), queryset=Organization.objects.none(), required=False
    )
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Organization.objects.none(), required=False)
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The latest documents you may see."),
    )
    private = forms.BooleanField(
        label=_("Private"),
        required=False,
        help_text=_("The public view shows only that the leader works at the office."),
    )

    def __init__(
        self, *args: Any, schedule: WeekSchedule, user: Any, event: ScheduleEvent | None = None, **kwargs: Any
    ) -> None:
        from vanphong.meetings.access import meetings_visible_to

        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "day": event.day.isoformat(),
                "start": event.start,
                "end": event.end,
                "content": event.content,
                "place": event.place,
                "presiding": list(event.presiding.all()),
                "attending": list(event.attending.all()),
                "attending_units": list(event.attending_units.all()),
                "preparing_unit": event.preparing_unit,
                "meeting": event.meeting,
                "documents": list(event.documents.all()),
                "private": event.private,
            }
        super().__init__(*args, **kwargs)
        self.event = event
        self.user = user
        self.fields["day"].choices = [  # type: ignore[attr-defined]
            (day.isoformat(), formats.date_format(day, "l d/m")) for day in schedule.days()
        ]
        for name in ("presiding", "attending"):
            self.fields[name].queryset = _people()  # type: ignore[attr-defined]
        for name in ("attending_units", "preparing_unit"):
            self.fields[name].queryset = _organizations()  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings_visible_to(user).order_by("-starts_at")  # type: ignore[attr-defined]
        # A register holds tens of thousands: offer the latest the person may see, and those already linked
        # (the API takes any visible document by id).
        visible = documents_visible_to(user)
        offered = list(visible.order_by("-pk").values_list("pk", flat=True)[:DOCUMENT_CHOICES])
        if event is not None:
            offered += list(event.documents.values_list("pk", flat=True))
        self.fields["documents"].queryset = visible.filter(pk__in=offered).order_by("-pk")  # type: ignore[attr-defined]

    def to_data(self) -> EventData:
        data = self.cleaned_data
        documents = list(data.get("documents") or [])
        if self.event is not None:  # documents linked by someone else that this editor may not see stay linked
            visible = documents_visible_to(self.user).values("pk")
            documents += list(self.event.documents.exclude(pk__in=visible))
        meeting = data.get("meeting")
        if meeting is None and self.event is not None and self.event.meeting_id is not None:
            from vanphong.meetings.access import meetings_visible_to

            if not meetings_visible_to(self.user).filter(pk=self.event.meeting_id).exists():
                meeting = self.event.meeting  # linked by someone who may see it: not this editor's to drop
        return EventData(
            day=data["day"],
            start=data["start"],
            end=data.get("end"),
            content=data["content"],
            place=data.get("place") or "",
            presiding=list(data.get("presiding") or []),
            attending=list(data.get("attending") or []),
            attending_units=list(data.get("attending_units") or []),
            preparing_unit=data.get("preparing_unit"),
            meeting=meeting,
            documents=documents,
            private=bool(data.get("private")),
        )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the schedule changes, for the revision's record."),
    )
