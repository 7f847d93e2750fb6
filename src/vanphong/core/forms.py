"""Forms for the core pages. Invariants live in the services; forms only collect and show errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.models import Clearance, Organization, OrgKind, OrgLevel, Person, Position, Role, RoleGrant
from vanphong.core.models.people import Gender
from vanphong.core.services.organizations import OrganizationData, validate_identifier_code
from vanphong.core.services.people import PersonData


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    """Narrow a choice field to what the acting person may choose."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (a programming error, not input)
    field.queryset = queryset


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        indent = "\u2003" * obj.depth
        return f"{indent}{obj.full_name} ({obj.abbreviation})"


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationForm(forms.Form):
    full_name = forms.CharField(label=pgettext_lazy("organisation", "Full name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    abbreviation = forms.CharField(
        label=_("Abbreviation"),
        max_length=30,
        help_text=_("Used in document symbols, e.g. TU, VPTU, UBND, BTCTU, VX."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=OrgLevel.choices, initial=OrgLevel.PROVINCE)
    parent = OrganizationChoiceField(label=_("Parent"), queryset=Organization.objects.none(), required=False)
    identifier_code = forms.CharField(
        label=_("Identifier code"),
        max_length=60,
        required=False,
        help_text=_(
            "Electronic identifier code (mã định danh): up to 35 characters of 0-9, A-Z and dots, e.g. 000.00.00.H49."
        ),
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=100)
    effective_on = forms.DateField(
        label=_("Effective from"),
        widget=date_input(),
        required=False,
        help_text=_(
            "For a new organisation: the day it was established. For a change: the day the change takes effect."
        ),
    )

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "parent", parents if parents is not None else Organization.objects.none())
        if not self.is_bound and "effective_on" not in self.initial:
            self.initial["effective_on"] = timezone.localdate()

    def clean_identifier_code(self) -> str | None:
        """The service's own check, so that a bad code is reported together with the other fields."""
        try:
            return validate_identifier_code(self.cleaned_data.get("identifier_code"))
        except ValidationError as error:
            raise error.error_dict["identifier_code"][0] from None

    def to_data(self) -> OrganizationData:
        data = self.cleaned_data
        return OrganizationData(
            kind=data["kind"],
            level=data["level"],
            full_name=data["full_name"],
            short_name=data.get("short_name") or "",
            abbreviation=data["abbreviation"],
            parent=data.get("parent"),
            identifier_code=data.get("identifier_code") or None,
            sort_order=data.get("sort_order") or 0,
        )


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class RestructureForm(forms.Form):
    KIND_CHOICES = [
        ("rename", _("Rename")),
        ("merge", _("Merge other organisations into this one")),
        ("dissolve", _("Dissolve")),
    ]
    kind = forms.ChoiceField(label=_("Change"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    effective_on = forms.DateField(label=_("Effective on"), widget=date_input())
    decision = forms.CharField(
        label=_("Decision"),
        max_length=255,
        required=False,
        help_text=_("The decision that ordered it, e.g. Nghị quyết số 1656/NQ-UBTVQH15."),
    )
    full_name = forms.CharField(label=_("New full name"), max_length=255, required=False)
    short_name = forms.CharField(label=_("New short name"), max_length=120, required=False)
    abbreviation = forms.CharField(label=_("New abbreviation"), max_length=30, required=False)
    others = forms.ModelMultipleChoiceField(
        label=_("Organisations merged into this one"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    successor = OrganizationChoiceField(
        label=_("Successor"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Where its people and remaining work go."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = candidates if candidates is not None else Organization.objects.none()
        _set_queryset(self, "others", queryset)
        _set_queryset(self, "successor", queryset)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "rename" and not (data.get("full_name") and data.get("abbreviation")):
            raise ValidationError(_("Enter the new full name and abbreviation."))
        if kind == "merge" and not data.get("others"):
            raise ValidationError(_("Choose the organisations to merge into this one."))
        return data


class PersonForm(forms.Form):
    full_name = forms.CharField(label=pgettext_lazy("person", "Full name"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=60, required=False)
    middle_name = forms.CharField(label=_("Middle name"), max_length=60, required=False)
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=60,
        required=False,
        help_text=_("Leave the three name parts empty to split the full name the usual way."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=date_input())
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    organization = OrganizationChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )
    clearance = forms.TypedChoiceField(label=_("Security clearance"), choices=Clearance.choices, coerce=int, initial=0)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organization", organizations if organizations is not None else Organization.objects.none())

    def to_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            full_name=data["full_name"],
            family_name=data.get("family_name") or None,
            middle_name=data.get("middle_name") or None,
            given_name=data.get("given_name") or None,
            gender=data.get("gender") or "",
            date_of_birth=data.get("date_of_birth"),
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            organization=data.get("organization"),
            clearance=data.get("clearance") or 0,
        )


class PositionForm(forms.Form):
    organization = OrganizationChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.all())
    started_on = forms.DateField(label=_("From"), widget=date_input())

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organization", organizations if organizations is not None else Organization.objects.none())
        if not self.is_bound:
            self.initial.setdefault("started_on", timezone.localdate())


class EndPositionForm(forms.Form):
    ended_on = forms.DateField(label=_("Until"), widget=date_input())


class RoleGrantForm(forms.Form):
    organization = OrganizationChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organization", organizations if organizations is not None else Organization.objects.none())


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=64)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput(render_value=False))


class DelegationForm(forms.Form):
    grant = forms.ModelChoiceField(label=_("Role to hand over"), queryset=RoleGrant.objects.none())
    delegate = forms.ModelChoiceField(label=_("Delegate"), queryset=Person.objects.none())
    starts_at = forms.DateTimeField(label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(
        label=_("Reason"), max_length=255, help_text=_("For example: a business trip, leave, training.")
    )

    def __init__(self, *args: Any, grants: Any = None, delegates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "grant", grants if grants is not None else RoleGrant.objects.none())
        _set_queryset(self, "delegate", delegates if delegates is not None else Person.objects.none())
