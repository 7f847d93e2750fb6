"""Forms for the meetings pages. The rules live in the services; forms collect input and show errors.

A meeting's time is typed as the office says it: a day (dd/mm/yyyy) and the hours it starts and ends.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.forms import OrganizationChoiceField
from vanphong.core.models import Organization, Person
from vanphong.documents.forms import ACCEPTED_FILES, day_field
from vanphong.documents.services.files import Upload
from vanphong.meetings.models import AgendaItem, Conclusion, MeetingKind, ParticipantRole, Response, Room
from vanphong.meetings.models.meetings import DeadlineUnit
from vanphong.meetings.services.conclusions import ConclusionData
from vanphong.meetings.services.meetings import MeetingData, ParticipantData
from vanphong.meetings.services.rooms import RoomData

TIME_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%H:%M:%S"]


def time_field(label: Any, **kwargs: Any) -> forms.TimeField:
    widget = forms.TimeInput(
        format="%H:%M", attrs={"placeholder": _("hh:mm"), "inputmode": "numeric", "autocomplete": "off", "size": 5}
    )
    return forms.TimeField(label=label, input_formats=TIME_FORMATS, widget=widget, **kwargs)


def narrow(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (a programming error, not input)
    field.queryset = queryset


def aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class PageForm(forms.Form):
    """A form on the meeting page, beside others: its ids carry its own prefix so none is repeated
    (the minutes' and the conclusion's text boxes would otherwise both be ``id_text``)."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        org = obj.organization
        return f"{obj.full_name} ({org.abbreviation})" if org is not None else obj.full_name


class MeetingForm(forms.Form):
    body = OrganizationChoiceField(label=_("Body"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    day = day_field(_("Day"), required=True)
    start = time_field(_("Starts at"))
    end = time_field(_("Ends at"))
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    place = forms.CharField(
        label=_("Place outside the rooms"), max_length=255, required=False, help_text=_("Only when no room is booked.")
    )
    presiding = PersonChoiceField(label=_("Presiding"), queryset=Person.objects.none(), required=False)
    secretary = PersonChoiceField(
        label=pgettext_lazy("meeting", "Secretary"), queryset=Person.objects.none(), required=False
    )
    preparing_unit = OrganizationChoiceField(
        label=_("Preparing unit"), queryset=Organization.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        bodies: QuerySet[Organization],
        rooms: QuerySet[Room],
        people: QuerySet[Person],
        units: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, "body", bodies)
        narrow(self, "room", rooms.filter(active=True))
        narrow(self, "presiding", people)
        narrow(self, "secretary", people)
        narrow(self, "preparing_unit", units)
        if bodies.count() == 1 and not self.is_bound:
            self.fields["body"].initial = bodies.first()

    def data_for_service(self) -> MeetingData:
        d = self.cleaned_data
        return MeetingData(
            body=d["body"],
            kind=d["kind"],
            title=d["title"],
            starts_at=aware(d["day"], d["start"]),
            ends_at=aware(d["day"], d["end"]),
            room=d.get("room"),
            place=d.get("place", ""),
            presiding=d.get("presiding"),
            preparing_unit=d.get("preparing_unit"),
            secretary=d.get("secretary"),
        )


class AgendaItemForm(PageForm):
    id_prefix = "agenda"

    title = forms.CharField(label=_("Agenda item"), max_length=500)
    presenter = forms.CharField(label=_("Presenter"), max_length=255, required=False)
    starts_at = time_field(_("Time"), required=False)


class ParticipantForm(PageForm):
    id_prefix = "participant"

    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    name = forms.CharField(label=_("Or a guest's name"), max_length=120, required=False)
    title = forms.CharField(label=_("Guest's title or position"), max_length=255, required=False)
    organization_name = forms.CharField(label=_("Guest's organisation"), max_length=255, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.MEMBER)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, "person", people)

    def data_for_service(self) -> ParticipantData:
        d = self.cleaned_data
        return ParticipantData(
            person=d.get("person"),
            name=d.get("name", ""),
            title=d.get("title", ""),
            organization_name=d.get("organization_name", ""),
            role=d["role"],
        )


class ConnectedPointForm(PageForm):
    id_prefix = "point"

    name = forms.CharField(label=_("Connected point"), max_length=255)
    organization = OrganizationChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=255, required=False)

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, "organization", units)


class RespondForm(PageForm):
    id_prefix = "respond"

    response = forms.ChoiceField(
        label=_("Answer"),
        choices=[(r.value, r.label) for r in (Response.ACCEPTED, Response.DECLINED, Response.DEPUTY)],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deputy_name = forms.CharField(label=_("Deputy sent"), max_length=120, required=False)


class CancelForm(PageForm):
    id_prefix = "cancel"

    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachDocumentForm(PageForm):
    id_prefix = "attach"

    document = forms.IntegerField(
        label=_("Document number in the registry"), min_value=1, help_text=_("The id shown in the document's address.")
    )
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args: Any, items: QuerySet[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, "agenda_item", items)


class MinutesForm(PageForm):
    id_prefix = "minutes"

    text = forms.CharField(label=_("Minutes (biên bản)"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(
        label=_("Minutes file"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES})
    )

    def upload(self) -> Upload | None:
        found = self.cleaned_data.get("file")
        return Upload(name=found.name, data=found.read()) if found else None


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.abbreviation})"


class ConclusionForm(PageForm):
    id_prefix = "conclusion"

    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_units = UnitsField(
        label=_("Lead units"),
        queryset=Organization.objects.none(),
        help_text=_("Each lead unit gets its own task."),
        widget=forms.CheckboxSelectMultiple,
    )
    coordinating_units = UnitsField(
        label=_("Coordinating units"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    deadline = day_field(_("Deadline"))
    deadline_days = forms.IntegerField(label=_("Or within (days)"), min_value=1, max_value=3650, required=False)
    deadline_unit = forms.ChoiceField(
        label=_("Days counted as"), choices=DeadlineUnit.choices, initial=DeadlineUnit.WORKING
    )

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, "lead_units", units)
        narrow(self, "coordinating_units", units)

    def data_for_service(self) -> ConclusionData:
        d = self.cleaned_data
        return ConclusionData(
            text=d["text"],
            lead_units=list(d["lead_units"]),
            coordinating_units=list(d.get("coordinating_units") or []),
            deadline=d.get("deadline"),
            deadline_days=d.get("deadline_days"),
            deadline_unit=d["deadline_unit"],
        )


class AssignTasksForm(PageForm):
    id_prefix = "tasks"

    conclusions = forms.ModelMultipleChoiceField(
        label=_("Conclusions"), queryset=Conclusion.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, conclusions: QuerySet[Conclusion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, "conclusions", conclusions)


class RoomForm(forms.Form):
    body = OrganizationChoiceField(label=_("Body"), queryset=Organization.objects.none())
    name = forms.CharField(label=pgettext_lazy("room", "Name"), max_length=120)
    building = forms.CharField(label=_("Building"), max_length=120, required=False)
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, initial=0)
    equipment = forms.CharField(label=_("Equipment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, bodies: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, "body", bodies)

    def data_for_service(self) -> RoomData:
        d = self.cleaned_data
        return RoomData(
            body=d["body"],
            name=d["name"],
            building=d.get("building", ""),
            floor=d.get("floor", ""),
            capacity=d.get("capacity") or 0,
            equipment=d.get("equipment", ""),
        )


class RoomEditForm(forms.Form):
    """A room's details and whether it is still in use (its body does not change)."""

    name = forms.CharField(label=pgettext_lazy("room", "Name"), max_length=120)
    building = forms.CharField(label=_("Building"), max_length=120, required=False)
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, initial=0)
    equipment = forms.CharField(label=_("Equipment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("A room no longer in use keeps its past bookings but cannot be booked again."),
    )

    def data_for_service(self, room: Room) -> RoomData:
        d = self.cleaned_data
        return RoomData(
            body=room.body,
            name=d["name"],
            building=d.get("building", ""),
            floor=d.get("floor", ""),
            capacity=d.get("capacity") or 0,
            equipment=d.get("equipment", ""),
            active=bool(d.get("active")),
        )


class BookingForm(forms.Form):
    day = day_field(_("Day"), required=True)
    start = time_field(_("From"))
    end = time_field(_("Until"))
    purpose = forms.CharField(label=_("Purpose"), max_length=255)

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        d = self.cleaned_data
        return aware(d["day"], d["start"]), aware(d["day"], d["end"])
