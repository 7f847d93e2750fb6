"""Forms for the consultation pages: they collect input and show the services' errors (no rules here)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vanphong.consultations.models import Answer, Base, Consultation
from vanphong.consultations.services import ConsultationData
from vanphong.core.models import Organization, Person
from vanphong.documents.forms import MultipleFileField, PersonChoiceField
from vanphong.documents.models import Document
from vanphong.documents.services.files import Upload

DOCUMENTS_OFFERED = 200  # the most recent documents offered in the list (any visible one is accepted)


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return PersonChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class DocumentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number_symbol or '—'} · {obj.abstract[:120]}"


class ConsultationForm(forms.Form):
    """The question, the body, the deadline, the members, the documents and files sent with it."""

    body = forms.ModelChoiceField(label=_("Body"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=255, widget=forms.TextInput(attrs={"autofocus": True}))
    question = forms.CharField(
        label=_("Matter submitted for opinion"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the members are asked to agree or disagree with, as the office's note (tờ trình) puts it."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline for answers"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    members = PeopleField(
        label=_("Members consulted"),
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    documents = DocumentsField(
        label=_("Documents from the registry"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    files = MultipleFileField(label=_("Other files"), required=False)  # type: ignore[assignment]
    base = forms.ChoiceField(label=_("Counted against"), choices=Base.choices, initial=Base.MEMBERS)
    threshold_percent = forms.IntegerField(
        label=_("Passes with more than (%)"), min_value=0, max_value=99, initial=50,
        help_text=_("The Party's working rules: more than half (50) of all members consulted."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        bodies: list[Organization],
        people: QuerySet[Person],
        documents: QuerySet[Document],
        consultation: Consultation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Organization.objects.filter(pk__in=[b.pk for b in bodies])  # type: ignore[attr-defined]
        self.fields["members"].queryset = people  # type: ignore[attr-defined]
        self.fields["documents"].queryset = documents  # type: ignore[attr-defined]
        attached = list(consultation.documents.values_list("pk", flat=True)) if consultation else []
        offered = documents.filter(pk__in=attached) | documents.filter(
            pk__in=list(documents.order_by("-pk").values_list("pk", flat=True)[:DOCUMENTS_OFFERED])
        )
        field = self.fields["documents"]
        field.widget.choices = [(d.pk, field.label_from_instance(d)) for d in offered.order_by("-pk")]  # type: ignore[attr-defined]
        if consultation is not None:
            del self.fields["body"]  # the body stays the consultation's own
            self.initial.update(
                title=consultation.title, question=consultation.question, deadline=consultation.deadline,
                members=list(consultation.members.values_list("person_id", flat=True)), documents=attached,
                base=consultation.base, threshold_percent=consultation.threshold_percent,
            )  # fmt: skip
        elif len(bodies) == 1:
            self.initial["body"] = bodies[0].pk

    def to_data(self, uploads: list[Upload], body: Organization | None = None) -> ConsultationData:
        data = self.cleaned_data
        return ConsultationData(
            body=body or data["body"],
            title=data["title"],
            question=data["question"],
            deadline=data["deadline"],
            documents=list(data.get("documents") or []),
            base=data["base"],
            threshold_percent=data["threshold_percent"],
            uploads=uploads,
        )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=Answer.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the body concludes from the answers; printed on the summary sheet."),
    )


class ConfirmForm(forms.Form):
    """A step with nothing to fill in (open, remind): the CSRF token is the whole form."""
