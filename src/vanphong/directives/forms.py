"""Forms for the task pages. The rules live in the services; forms collect input and show errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vanphong.core.forms import OrganizationChoiceField
from vanphong.core.models import Organization, Person
from vanphong.directives.models import Priority, Recurrence, SourceKind, Target
from vanphong.documents.forms import MultipleFileField, day_field
from vanphong.documents.models import Assignment, Document
from vanphong.rules.workdays import DeadlineUnit

UNIT_CHOICES = [(DeadlineUnit.WORKING.value, _("working days")), (DeadlineUnit.CALENDAR.value, _("calendar days"))]


class AssignForm(forms.Form):
    """A new task: what, who leads and coordinates, by when, and where it comes from."""

    title = forms.CharField(label=_("Task"), max_length=500)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    assigning_body = OrganizationChoiceField(label=_("Assigned in the name of"), queryset=Organization.objects.none())
    lead_unit = OrganizationChoiceField(label=_("Lead unit (chủ trì)"), queryset=Organization.objects.none())
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Coordinating units (phối hợp)"), queryset=Organization.objects.none(), required=False
    )
    deadline = day_field(_("Deadline"))
    deadline_days = forms.IntegerField(label=_("or within (days)"), min_value=1, max_value=3650, required=False)
    deadline_unit = forms.ChoiceField(label=_("counted in"), choices=UNIT_CHOICES, initial=DeadlineUnit.WORKING)
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices, initial=SourceKind.OTHER)
    source_title = forms.CharField(label=_("Source as shown"), max_length=500, required=False)
    source_document = forms.ModelChoiceField(
        label=_("Source document"), queryset=Document.objects.none(), required=False, widget=forms.HiddenInput
    )
    source_assignment = forms.ModelChoiceField(
        label=_("Direction"), queryset=Assignment.objects.none(), required=False, widget=forms.HiddenInput
    )
    target_name = forms.CharField(label=_("Target (chỉ tiêu)"), max_length=300, required=False)
    target_value = forms.DecimalField(label=_("Target value"), required=False, min_value=0, max_digits=14)
    target_unit = forms.CharField(label=_("Unit of measure"), max_length=50, required=False)

    def __init__(
        self, *args: Any, bodies: QuerySet[Organization], documents: QuerySet[Document], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        units = Organization.objects.active()
        self.fields["assigning_body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["coordinating_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["source_document"].queryset = documents  # type: ignore[attr-defined]
        self.fields["source_assignment"].queryset = Assignment.objects.filter(  # type: ignore[attr-defined]
            document__in=documents.values("pk")
        )


class ReportForm(forms.Form):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    files = MultipleFileField(label=_("Evidence files"), required=False)  # type: ignore[assignment]
    documents = forms.ModelMultipleChoiceField(label=_("Documents"), queryset=Document.objects.none(), required=False)

    def __init__(self, *args: Any, documents: QuerySet[Document], targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents  # type: ignore[attr-defined]
        self.targets = targets
        for target in targets:
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=f"{target.name} ({target.unit_of_measure})" if target.unit_of_measure else target.name,
                required=False,
                min_value=0,
                max_digits=14,
            )

    def target_values(self) -> dict[int, Any]:
        return {
            t.pk: self.cleaned_data[f"target_{t.pk}"]
            for t in self.targets
            if self.cleaned_data.get(f"target_{t.pk}") is not None
        }


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What is still missing"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    new_deadline = day_field(_("New deadline"), required=True)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.RadioSelect
    )
    new_deadline = day_field(_("New deadline (if different)"))
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class BreakDownForm(forms.Form):
    title = forms.CharField(label=_("Part to do"), max_length=500)
    unit = OrganizationChoiceField(label=_("Lower unit"), queryset=Organization.objects.none(), required=False)
    handler = forms.ModelChoiceField(label=_("Specialist"), queryset=Person.objects.none(), required=False)
    deadline = day_field(_("Deadline"))

    def __init__(self, *args: Any, units: QuerySet[Organization], people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["handler"].queryset = people  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled"), widget=forms.Textarea(attrs={"rows": 2}))
