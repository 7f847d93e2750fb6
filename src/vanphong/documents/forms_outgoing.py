"""Forms for the outgoing pages (văn bản đi): the draft, the circuit's decisions, signing, recall.

Forms collect input and show the services' errors; the rules (format, clearance, who may act) live
in ``services/outgoing.py`` and ``policy.py``, shared with the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vanphong.core.models import Organization, Person
from vanphong.documents.forms import MultipleFileField, MultipleFileInput, PersonChoiceField, UnitsField, _narrow
from vanphong.documents.models import Channel, Document, DocumentType, Register, Secrecy, SigningCredential, Urgency
from vanphong.documents.services.files import Upload
from vanphong.documents.services.outgoing import DraftData, RecipientData
from vanphong.lib import idcodes, vntext

DRAFT_FILES = "application/pdf,.pdf,.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AUTHORITIES = ["", "TM.", "KT.", "TL.", "TUQ.", "Q.", "T/M", "K/T", "T/L"]


class RegisterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.organization}"


class DraftForm(forms.Form):
    """A draft outgoing document: what it is, who signs it, where it goes, its files."""

    register = RegisterChoiceField(label=_("Outgoing register"), queryset=Register.objects.none())
    document_type = forms.ModelChoiceField(label=_("Type"), queryset=DocumentType.objects.none())
    abstract = forms.CharField(
        label=_("Abstract (trích yếu)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "autofocus": True})
    )
    content = forms.CharField(
        label=_("Content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The body of the document; or attach the draft as a DOCX or PDF file below."),
    )
    drafting_unit = forms.ModelChoiceField(label=_("Drafting unit"), queryset=Organization.objects.none())
    signer = PersonChoiceField(label=_("Signer"), queryset=Person.objects.none())
    signer_position = forms.CharField(label=_("Signer's position"), max_length=120)
    signer_authority = forms.ChoiceField(
        label=_("Signing authority"),
        required=False,
        choices=[(a, a or "—") for a in AUTHORITIES],
        help_text=_("TM. (on behalf of), KT. (for the head), TL., TUQ., Q.; Party: T/M, K/T, T/L."),
    )
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL)
    secrecy = forms.TypedChoiceField(label=_("Secrecy"), choices=Secrecy.choices, coerce=int, initial=Secrecy.NONE)
    internal_units = UnitsField(
        label=_("Internal recipients (units)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    external_codes = forms.CharField(
        label=_("Recipients by identifier code (edXML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("One identifier code (mã định danh) per line, e.g. 000.00.01.H70; sent electronically."),
    )
    paper_recipients = forms.CharField(
        label=_("Paper recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. Lưu: VT, PTH. Recorded as sent on paper."),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Draft files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": DRAFT_FILES}),
        help_text=_("DOCX or PDF; a file with the same name becomes its next version."),
    )

    def __init__(
        self,
        *args: Any,
        registers: QuerySet[Register],
        units: QuerySet[Organization],
        signers: QuerySet[Person],
        document: Document | None = None,
        **kwargs: Any,
    ) -> None:
        if document is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = initial_for(document)
        super().__init__(*args, **kwargs)
        _narrow(self, "register", registers)
        _narrow(self, "document_type", DocumentType.objects.filter(system__in=registers.values("system")))
        _narrow(self, "drafting_unit", units)
        _narrow(self, "internal_units", units)
        _narrow(self, "signer", signers.select_related("organization").order_by("sort_key", "id"))
        self.document = document
        if document is not None:
            # A draft stays in its register: the number series depends on it.
            del self.fields["register"]
        elif registers.count() == 1:
            self.fields["register"].initial = registers.first()

    def clean_external_codes(self) -> list[Organization]:
        found: list[Organization] = []
        unknown: list[str] = []
        for line in (self.cleaned_data.get("external_codes") or "").splitlines():
            code = line.strip().upper()
            if not code:
                continue
            known = len(code) <= idcodes.MAX_LENGTH
            organization = Organization.objects.filter(identifier_code=code).first() if known else None
            if organization is None:
                unknown.append(code)
            elif organization not in found:
                found.append(organization)
        if unknown:
            raise ValidationError(_("No body has these identifier codes: {codes}.").format(codes=", ".join(unknown)))
        return found

    def recipients(self) -> list[RecipientData]:
        data = self.cleaned_data
        chosen: list[RecipientData] = [
            RecipientData(name=unit.full_name, organization=unit, channel=Channel.INTERNAL)
            for unit in data.get("internal_units") or []
        ]
        chosen += [
            RecipientData(name=body.full_name, organization=body, identifier_code=body.identifier_code or "")
            for body in data.get("external_codes") or []
        ]
        chosen += [
            RecipientData(name=vntext.nfc(line).strip(), channel=Channel.PAPER)
            for line in (data.get("paper_recipients") or "").splitlines()
            if line.strip()
        ]
        return chosen

    def to_data(self, uploads: list[Upload]) -> DraftData:
        data = self.cleaned_data
        register = self.document.register if self.document is not None else data["register"]
        return DraftData(
            register=register,
            document_type=data["document_type"],
            abstract=data.get("abstract") or "",
            content=data.get("content") or "",
            signer=data["signer"],
            signer_position=data.get("signer_position") or "",
            drafting_unit=data["drafting_unit"],
            signer_authority=data.get("signer_authority") or "",
            urgency=data.get("urgency") or Urgency.NORMAL,
            secrecy=data.get("secrecy") or Secrecy.NONE,
            recipients=self.recipients(),
            files=uploads,
            reply_to=self.document.reply_to if self.document is not None else None,
        )


def initial_for(document: Document) -> dict[str, Any]:
    recipients = list(document.recipients.all())
    return {
        "document_type": document.document_type_id,
        "abstract": document.abstract,
        "content": document.content,
        "drafting_unit": document.drafting_unit_id,
        "signer": document.signer_id,
        "signer_position": document.signer_position,
        "signer_authority": document.signer_authority,
        "urgency": document.urgency,
        "secrecy": document.secrecy,
        "internal_units": [r.organization_id for r in recipients if r.channel == Channel.INTERNAL],
        "external_codes": "\n".join(r.identifier_code for r in recipients if r.channel == Channel.EDXML),
        "paper_recipients": "\n".join(r.name for r in recipients if r.channel == Channel.PAPER),
    }


class SubmitForm(forms.Form):
    """Who reviews before the signer: the drafting unit's head, then the office leader (either may be skipped)."""

    reviewer = PersonChoiceField(label=_("Review by (head of the drafting unit)"), queryset=Person.objects.none(),
                                 required=False)  # fmt: skip
    office_checker = PersonChoiceField(
        label=_("Check by (office leader)"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, reviewers: QuerySet[Person], checkers: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(self, "reviewer", reviewers.select_related("organization").order_by("sort_key", "id"))
        _narrow(self, "office_checker", checkers.select_related("organization").order_by("sort_key", "id"))


class DecideForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("send_back", _("Send back to the drafter"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect, initial="approve")
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when sending back: say what must change."),
    )


class CredentialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("{subject}, issued by {issuer}, valid until {day}")).format(
            subject=obj.subject, issuer=obj.issuer, day=obj.not_after.strftime("%d/%m/%Y")
        )


class SignForm(forms.Form):
    credential = CredentialChoiceField(
        label=_("Signing certificate"), queryset=SigningCredential.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, credentials: QuerySet[SigningCredential], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(self, "credential", credentials)


class ConfirmForm(forms.Form):
    """A step with nothing to type (issue, dispatch, replace): the button is the confirmation."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
