"""Forms for the documents pages. The rules live in the services; forms collect input and show errors.

Dates are typed the way the office writes them (dd/mm/yyyy); the ISO form a date picker sends is
accepted too, so a browser's own picker still works.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from vanphong.core.forms import OrganizationChoiceField
from vanphong.core.models import Organization, Person
from vanphong.documents.models import DirectionTemplate, DocumentType, Register, Secrecy, Urgency
from vanphong.documents.services.files import Upload
from vanphong.documents.services.incoming import DirectionData, IncomingData

DAY_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
ACCEPTED_FILES = "application/pdf,.pdf,image/png,image/jpeg,image/tiff,.png,.jpg,.jpeg,.tif,.tiff"


def day_input(**attrs: Any) -> forms.DateInput:
    """A plain text box for a date typed as dd/mm/yyyy: faster from the keyboard than a picker."""
    return forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off", "size": 10, **attrs},
    )


def day_field(label: Any, **kwargs: Any) -> forms.DateField:
    kwargs.setdefault("required", False)
    return forms.DateField(label=label, input_formats=DAY_FORMATS, widget=day_input(), **kwargs)


def _narrow(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (a programming error, not input)
    field.queryset = queryset


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.organization})" if obj.organization_id else str(obj.full_name)


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        indent = "\u2003" * obj.depth
        return f"{indent}{obj.full_name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks what each really is (never the name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data]
        return [one(data, initial)] if data else []


# --- registration (văn bản đến) --------------------------------------------------------------------------


class IncomingForm(forms.Form):
    """What the văn thư types from the document in hand, in the order it is read off the page."""

    sender = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False, widget=forms.HiddenInput)
    sender_name = forms.CharField(
        label=_("Sender (tác giả)"),
        max_length=255,
        required=False,
        help_text=_("Type part of the name or the identifier code, then pick with ↓ and Enter."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "spellcheck": "false",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "sender-options",
                "hx-get": reverse_lazy("documents:sender_search"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#sender-options",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        ),
    )
    number_symbol = forms.CharField(
        label=_("Number and symbol (số, ký hiệu)"),
        max_length=60,
        required=False,
        help_text=_("As printed on the document, e.g. 12/QĐ-UBND or 57-NQ/TW."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    document_date = day_field(_("Document date"))
    document_type = forms.ModelChoiceField(label=_("Type"), queryset=DocumentType.objects.none(), required=False)
    abstract = forms.CharField(
        label=_("Abstract (trích yếu)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-enter-submits": "true"}),
        help_text=_("Enter saves; Shift+Enter starts a new line."),
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=120, required=False)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL)
    secrecy = forms.TypedChoiceField(label=_("Secrecy"), choices=Secrecy.choices, coerce=int, initial=Secrecy.NONE)
    pages = forms.IntegerField(label=_("Pages"), min_value=1, max_value=100_000, required=False)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=10_000, required=False)
    handling_deadline = day_field(_("Handling deadline"))
    # Named as the service names the field in its errors; Django keeps declared fields apart from the
    # form's ``files`` attribute (the uploads), so the two do not collide.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        required=False,
        help_text=_("The scan or the electronic copy: PDF or images, several at once."),
    )
    register_anyway = forms.BooleanField(label=_("Register anyway: it is not the same document"), required=False)

    def __init__(self, *args: Any, register: Register, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(self, "sender", Organization.objects.active())
        _narrow(self, "document_type", DocumentType.objects.filter(system=register.system))
        self.register = register

    def to_data(self, uploads: list[Upload]) -> IncomingData:
        data = self.cleaned_data
        return IncomingData(
            register=self.register,
            abstract=data.get("abstract") or "",
            sender=data.get("sender"),
            sender_name=data.get("sender_name") or "",
            number_symbol=data.get("number_symbol") or "",
            document_date=data.get("document_date"),
            document_type=data.get("document_type"),
            signer_name=data.get("signer_name") or "",
            urgency=data.get("urgency") or Urgency.NORMAL,
            secrecy=data.get("secrecy") or Secrecy.NONE,
            pages=data.get("pages"),
            copies=data.get("copies"),
            handling_deadline=data.get("handling_deadline"),
            files=uploads,
        )


# --- the steps of an incoming document ------------------------------------------------------------------


class PresentForm(forms.Form):
    leader = PersonChoiceField(label=_("Present to"), queryset=Person.objects.none())
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def __init__(self, *args: Any, leaders: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(self, "leader", leaders.select_related("organization").order_by("sort_key", "id"))


class DirectForm(forms.Form):
    """The leader's direction (ý kiến chỉ đạo): text, the units' parts and the deadline."""

    DEADLINE_UNITS = [("working", _("working days")), ("calendar", _("calendar days"))]

    template = forms.ModelChoiceField(
        label=_("Saved direction"), queryset=DirectionTemplate.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("Direction (ý kiến chỉ đạo)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = OrganizationChoiceField(
        label=_("Lead unit (chủ trì)"), queryset=Organization.objects.none(), required=False
    )
    coordinating_units = UnitsField(
        label=_("Coordinating units (phối hợp)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    info_units = UnitsField(
        label=_("For information (để biết)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    deadline = day_field(_("Deadline"))
    deadline_days = forms.IntegerField(
        label=_("or within"), min_value=1, max_value=365, required=False, help_text=_("A number of days from today.")
    )
    deadline_unit = forms.ChoiceField(label=_("counted in"), choices=DEADLINE_UNITS, initial="working", required=False)

    def __init__(
        self, *args: Any, units: QuerySet[Organization], templates: QuerySet[DirectionTemplate], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "coordinating_units", "info_units"):
            _narrow(self, name, units)
        _narrow(self, "template", templates)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("deadline") and data.get("deadline_days"):
            raise ValidationError(_("Give the deadline as a date or as a number of days, not both."))
        chosen: DirectionTemplate | None = data.get("template")
        if chosen is not None:
            # A saved direction fills what the leader left empty, as the quick-pick buttons do in the page.
            data["text"] = data.get("text") or chosen.text
            data["lead_unit"] = data.get("lead_unit") or chosen.lead_unit
            if not data.get("deadline") and not data.get("deadline_days"):
                data["deadline_days"] = chosen.deadline_days
        return data

    def to_data(self) -> DirectionData:
        data = self.cleaned_data
        return DirectionData(
            text=data.get("text") or "",
            lead_unit=data.get("lead_unit"),
            coordinating_units=list(data.get("coordinating_units") or []),
            info_units=list(data.get("info_units") or []),
            deadline=data.get("deadline"),
            deadline_days=data.get("deadline_days"),
            deadline_unit=data.get("deadline_unit") or "working",
        )


class ForwardForm(forms.Form):
    handler = PersonChoiceField(label=_("Pass to"), queryset=Person.objects.none())
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def __init__(self, *args: Any, specialists: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(self, "handler", specialists.select_related("organization").order_by("sort_key", "id"))


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Progress or opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestOpinionForm(forms.Form):
    unit = OrganizationChoiceField(label=_("Ask the unit"), queryset=Organization.objects.none())
    question = forms.CharField(label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(self, "unit", units)


class CompleteForm(forms.Form):
    result = forms.CharField(
        label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How the document was handled."),
    )  # fmt: skip
    reply = forms.IntegerField(
        label=_("Reply document"),
        min_value=1,
        required=False,
        help_text=_("Optional: the id of the outgoing document that answers it (shown on its page)."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
