"""Forms for the counting room. The rules live in the services; forms collect input and show errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vanphong.core.forms import OrganizationChoiceField
from vanphong.core.models import Organization, Person
from vanphong.elections.models import (
    EXCLUSIONS_BY_KIND,
    MAX_STATIONS,
    MIN_STATIONS,
    CommitteeRole,
    CongressKind,
    ElectionKind,
    Exclusion,
)

STATION_CHOICES = [(n, str(n)) for n in range(MIN_STATIONS, MAX_STATIONS + 1)]


class CongressForm(forms.Form):
    organization = OrganizationChoiceField(label=_("Body"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("Name of the congress"), max_length=255)
    term = forms.CharField(label=_("Term"), max_length=40, help_text=_("For example 2025–2030."))
    kind = forms.ChoiceField(label=_("Kind"), choices=CongressKind.choices)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (a programming error, not input)
        field.queryset = organizations


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organization})" if obj.organization_id else obj.full_name


class CommitteeMemberForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"), queryset=Person.objects.filter(is_active=True).select_related("organization")
    )
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices)
    station = forms.TypedChoiceField(
        label=_("Station"),
        choices=[("", "—")] + [(n, str(n)) for n in range(1, MAX_STATIONS + 1)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for a station operator: the station they enter ballots on."),
    )


class NamesForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one per line"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Full names; a unit may follow a semicolon, e.g. “Nguyễn Văn An; Chi bộ 1”."),
    )


class ExclusionForm(forms.Form):
    exclusion = forms.ChoiceField(label=_("Excluded from the base"), required=False)
    exclusion_reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = EXCLUSIONS_BY_KIND[kind]
        field = self.fields["exclusion"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (a programming error, not input)
        field.choices = [("", _("Not excluded"))] + [(c, label) for c, label in Exclusion.choices if c in allowed]


class ElectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Election"), choices=ElectionKind.choices)
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=500,
        help_text=_("For delegates to the higher congress: the official delegates allocated."),
    )
    alternate_seats = forms.IntegerField(
        label=_("Alternate seats"),
        min_value=0,
        max_value=500,
        required=False,
        help_text=_("Delegates to the higher congress only: alternates, elected after the officials."),
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=100)


class OpenRoundForm(forms.Form):
    station_count = forms.TypedChoiceField(
        label=_("Entry stations"), choices=STATION_CHOICES, coerce=int, initial=MIN_STATIONS
    )


class EntryForm(forms.Form):
    typed = forms.CharField(
        label=_("Ballot"),
        max_length=400,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "inputmode": "text", "spellcheck": "false"}
        ),
    )


class ResolveForm(forms.Form):
    ballot = forms.CharField(
        label=_("The ballot as on the paper"),
        max_length=400,
        help_text=_("Typed with the same keys as at the stations."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("Reason for the ruling"), max_length=255)


class ConfirmForm(forms.Form):
    ballots_issued = forms.IntegerField(label=_("Ballots issued"), min_value=0, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=255)


class NextRoundForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision of the congress"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the congress decided, e.g. to vote again among the tied candidates."),
    )
    station_count = forms.TypedChoiceField(
        label=_("Entry stations"), choices=STATION_CHOICES, coerce=int, initial=MIN_STATIONS
    )
    new_names = forms.CharField(
        label=_("Names added by the congress"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only if the congress decided to add names to the list, one per line."),
    )

    def __init__(self, *args: Any, allow_new_names: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_new_names:
            del self.fields["new_names"]
