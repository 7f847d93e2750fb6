"""Outgoing documents (văn bản đi), Decree 30/2020 Art. 10–19 and 36-HD/VPTW for Party bodies.

Draft (content from the official template, versions of files) → the review circuit (the drafting
unit's head, the office leader who checks content and format, the signer), where any step may send
the draft back with comments → the signer signs: the System gives the number (Decree 30 Art. 15: for
electronic documents the number is assigned by the System), draws the document in the official layout
and applies the signer's digital signature → the văn thư applies the body's signature (the seal) →
dispatch to each recipient: internal bodies get it in their incoming register at once, others as an
edXML package in the outbox. A number is never reused: withdrawing one is recorded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person
from vanphong.documents import policy, rendering, search
from vanphong.documents.models import (
    ApprovalStep,
    Channel,
    Direction,
    Document,
    DocumentFile,
    DocumentSystem,
    DocumentType,
    EventKind,
    FileRole,
    Recipient,
    Register,
    Secrecy,
    SigningCredential,
    Stage,
    Status,
    StepState,
    Urgency,
    WithdrawnNumber,
)
from vanphong.documents.services import credentials
from vanphong.documents.services import files as file_services
from vanphong.documents.services.common import account_of, locked_document, person_of, require, step
from vanphong.documents.services.numbering import issue_series, take_number
from vanphong.lib import pdfsign, sniff, vntext
from vanphong.rules import doc_numbers

DRAFT_FIELDS = ("document_type", "abstract", "content", "signer", "signer_position", "signer_authority",
                "urgency", "secrecy", "drafting_unit")  # fmt: skip


@dataclass
class RecipientData:
    name: str
    organization: Organization | None = None
    identifier_code: str = ""
    channel: str = Channel.EDXML
    for_information: bool = False


@dataclass
class DraftData:
    register: Register
    document_type: DocumentType
    abstract: str
    content: str
    signer: Person
    signer_position: str
    drafting_unit: Organization
    signer_authority: str = ""
    urgency: int = Urgency.NORMAL
    secrecy: int = Secrecy.NONE
    recipients: list[RecipientData] = field(default_factory=list)
    files: list[file_services.Upload] = field(default_factory=list)
    reply_to: Document | None = None


def paragraphs_of(text: str) -> str:
    """The content with each line normalised (NFC, inner runs of spaces collapsed) and its paragraph
    breaks kept: runs of empty lines become one, the ends are trimmed."""
    kept: list[str] = []
    for line in (vntext.nfc(raw) for raw in text.splitlines()):
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def _clean(data: DraftData, account: object) -> None:
    errors: dict[str, list[str]] = {}
    data.abstract = vntext.nfc(data.abstract).strip()
    data.content = paragraphs_of(data.content)
    if not data.abstract:
        errors.setdefault("abstract", []).append(_("Enter the abstract (trích yếu)."))
    if data.document_type.system != data.register.system:
        errors.setdefault("document_type", []).append(_("This type belongs to the other system's registers."))
    if not policy.may_hold_secrecy(account, data.secrecy):
        errors.setdefault("secrecy", []).append(_("Your clearance does not cover this secrecy level."))
    if data.secrecy > Secrecy.NONE and data.register.system == DocumentSystem.STATE and not data.register.secret:
        errors.setdefault("register", []).append(
            _("State secret documents are numbered in a separate register (Decree 30 Art. 15); choose it.")
        )
    if data.signer.clearance < data.secrecy:
        errors.setdefault("signer", []).append(_("The signer's clearance does not cover this document."))
    if errors:
        raise ValidationError(errors)


def _save_recipients(document: Document, recipients: list[RecipientData]) -> None:
    document.recipients.all().delete()
    for order, r in enumerate(recipients):
        Recipient.objects.create(
            document=document,
            organization=r.organization,
            name=vntext.nfc(r.name).strip() or (r.organization.full_name if r.organization else ""),
            identifier_code=r.identifier_code or (r.organization.identifier_code if r.organization else "") or "",
            channel=r.channel,
            for_information=r.for_information,
            order=order,
        )


def create_draft(actor: Actor, data: DraftData) -> Document:
    actor = require(policy.can_draft(actor.account, data.register), actor)
    _clean(data, actor.account)
    checked = file_services.check_uploads(data.files, secrecy=data.secrecy)
    with transaction.atomic():
        document = Document.objects.create(
            direction=Direction.OUTGOING,
            register=data.register,
            status=Status.DRAFT,
            document_type=data.document_type,
            abstract=data.abstract,
            content=data.content,
            signer=data.signer,
            signer_name=data.signer.full_name,
            signer_position=data.signer_position,
            signer_authority=data.signer_authority,
            urgency=data.urgency,
            secrecy=data.secrecy,
            drafting_unit=data.drafting_unit,
            drafter=person_of(actor),
            reply_to=data.reply_to,
            place=data.register.place,
            created_by=account_of(actor),
        )
        _save_recipients(document, data.recipients)
        for upload, sniffed in checked:
            file_services.attach(actor, document, upload, sniffed, role=FileRole.DRAFT)
        step(actor, document, EventKind.DRAFTED)
        audit.record(actor, "documents.outgoing.draft", document, after=audit.snapshot(document, DRAFT_FIELDS))
        search.index_document(document)
    return document


def update_draft(actor: Actor, document: Document, data: DraftData) -> Document:
    """A new version of the draft; only while it is with the drafter (Art. 11: changes go back)."""
    actor = require(policy.can_edit_draft(actor.account, document), actor)
    _clean(data, actor.account)
    checked = file_services.check_uploads(data.files, secrecy=data.secrecy)
    with transaction.atomic():
        document = locked_document(document, (Status.DRAFT,))
        before = audit.snapshot(document, DRAFT_FIELDS)
        for name in ("document_type", "abstract", "content", "signer", "signer_position", "signer_authority",
                     "urgency", "secrecy", "drafting_unit"):  # fmt: skip
            setattr(document, name, getattr(data, name))
        document.signer_name = data.signer.full_name
        document.save()
        _save_recipients(document, data.recipients)
        for upload, sniffed in checked:
            file_services.attach(actor, document, upload, sniffed, role=FileRole.DRAFT)
        step(actor, document, EventKind.DRAFTED, version=True)
        audit.record_changes(actor, "documents.outgoing.update", document, before, DRAFT_FIELDS)
        search.index_document(document)
    return document


def submit(actor: Actor, document: Document, *, reviewer: Person | None, office_checker: Person | None) -> Document:
    """Send the draft round the circuit: [unit head] → [office leader] → signer, in that order."""
    actor = require(policy.can_edit_draft(actor.account, document), actor)
    problems = format_problems(document, before_signing=False)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        document = locked_document(document, (Status.DRAFT,))
        last = ApprovalStep.objects.filter(document=document).order_by("-round").first()
        round_ = (last.round + 1) if last else 1
        chain = [(Stage.REVIEW, reviewer), (Stage.OFFICE, office_checker), (Stage.SIGN, document.signer)]
        order = 0
        for stage, person in chain:
            if person is None:
                continue
            order += 1
            ApprovalStep.objects.create(
                document=document,
                round=round_,
                order=order,
                stage=stage,
                approver=person,
                state=StepState.PENDING if order == 1 else StepState.WAITING,
            )
        document.status = Status.IN_REVIEW
        document.save(update_fields=["status", "updated_at"])
        step(actor, document, EventKind.SUBMITTED, round=round_)
        audit.record(actor, "documents.outgoing.submit", document, after={"round": round_})
    return document


def decide(actor: Actor, approval: ApprovalStep, *, approve: bool, comment: str = "") -> ApprovalStep:
    """Approve the step (the next approver's turn), or send the draft back to the drafter with comments."""
    actor = require(policy.can_decide(actor.account, approval), actor)
    comment = vntext.nfc(comment).strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what must change.")})
    with transaction.atomic():
        document = locked_document(approval.document, (Status.IN_REVIEW,))
        changed = ApprovalStep.objects.filter(pk=approval.pk, state=StepState.PENDING).update(
            state=StepState.APPROVED if approve else StepState.SENT_BACK, comment=comment, decided_at=timezone.now()
        )
        if changed != 1:
            raise ValidationError(_("This step was already decided."))
        approval.refresh_from_db()
        if approve:
            following = (
                ApprovalStep.objects.filter(document=document, round=approval.round, order__gt=approval.order)
                .order_by("order")
                .first()
            )
            if following is None:
                document.status = Status.APPROVED
            else:
                following.state = StepState.PENDING
                following.save(update_fields=["state"])
            step(actor, document, EventKind.APPROVED, note=comment, stage=approval.stage)
        else:
            ApprovalStep.objects.filter(document=document, round=approval.round, state=StepState.WAITING).delete()
            document.status = Status.DRAFT
            step(actor, document, EventKind.SENT_BACK, note=comment, stage=approval.stage)
        document.save(update_fields=["status", "updated_at"])
        audit.record(
            actor,
            "documents.outgoing.approve" if approve else "documents.outgoing.send_back",
            approval,
            after={"stage": approval.stage, "comment": comment},
        )
    return approval


def format_problems(document: Document, *, before_signing: bool = True) -> dict[str, list[str]]:
    """What is missing or wrong in the format (thể thức), checked before the circuit and at signing."""
    problems: dict[str, list[str]] = {}
    register = document.register
    if document.document_type is None:
        problems.setdefault("document_type", []).append(_("Choose the document type."))
    if not document.abstract:
        problems.setdefault("abstract", []).append(_("The abstract (trích yếu) is missing."))
    if not document.content and not document.files.filter(role=FileRole.DRAFT).exists():
        problems.setdefault("content", []).append(_("The document has no content and no draft file."))
    if not document.signer_position:
        problems.setdefault("signer_position", []).append(_("The signer's position is missing."))
    if not document.recipients.exists():
        problems.setdefault("recipients", []).append(_("Add the recipients (Nơi nhận)."))
    if not register.issuer_abbreviation:
        problems.setdefault("register", []).append(_("The register has no issuer abbreviation for symbols."))
    if document.document_type is not None and register.issuer_abbreviation:
        spec = _type_spec(document.document_type)
        unit = _unit_in_symbol(document)
        for problem in doc_numbers.check_symbol_for_issue(
            doc_numbers.System(register.system), spec, register.issuer_abbreviation, unit
        ):
            problems.setdefault("document_type", []).append(problem.detail)
    if before_signing and register.place == "" and document.place == "":
        problems.setdefault("register", []).append(_("The register has no place of issue."))
    return problems


def _unit_in_symbol(document: Document) -> str | None:
    """Only a State Công văn names its drafting unit in the symbol: 12/UBND-VX (Decree 30 App. I)."""
    dtype = document.document_type
    if document.register.system != DocumentSystem.STATE or dtype is None or dtype.abbreviation:
        return None
    return document.drafting_unit.abbreviation if document.drafting_unit else None


def _type_spec(document_type: DocumentType) -> doc_numbers.DocumentTypeSpec:
    return doc_numbers.DocumentTypeSpec(
        key=document_type.key,
        name=document_type.name,
        abbreviation=document_type.abbreviation,
        system=doc_numbers.System(document_type.system),
        normative=document_type.normative,
        edxml_type=document_type.edxml_type,
        edxml_type_detail=document_type.edxml_type_detail,
        verified=document_type.verified,
    )


def sign(
    actor: Actor,
    document: Document,
    *,
    signed_at: datetime.datetime | None = None,
    credential: SigningCredential | None = None,
) -> Document:
    """The signer signs: the number is given, the document drawn and signed with the signer's certificate
    (``credential`` when the signer chose one: it must be the signer's own, active one).

    All in one transaction: if drawing or signing fails, the number goes back unused (no gap)."""
    account = actor.account
    if document.signer_id is None or document.signer_id != policy.reach(account).person_id:
        raise ValidationError(_("Only the signer named on the document signs it."))
    if credential is not None and (credential.person_id != document.signer_id or not credential.is_active):
        raise ValidationError({"credential": _("Choose one of your own active signing certificates.")})
    credential = credential or credentials.active_for(person=document.signer)
    if credential is None:
        raise ValidationError(_("The signer has no signing certificate loaded."))
    problems = format_problems(document)
    if problems:
        raise ValidationError(problems)
    moment = signed_at or timezone.now()
    with transaction.atomic():
        document = locked_document(document, (Status.APPROVED,))
        if document.document_type is None:  # checked by format_problems; narrows the type
            raise ValidationError(_("Choose the document type."))
        register = document.register
        issued_on = timezone.localdate(moment)
        period, type_key = issue_series(register, document.document_type, issued_on)
        series, number = take_number(register, period=period, type_key=type_key)
        document.series = series
        document.number = number
        document.number_symbol = doc_numbers.format_symbol(
            doc_numbers.System(register.system),
            number,
            document.document_type.abbreviation,
            register.issuer_abbreviation,
            year=issued_on.year if document.document_type.normative else None,
            drafting_unit=_unit_in_symbol(document),
        )
        document.symbol_key = doc_numbers.symbol_key(document.number_symbol)
        document.document_date = issued_on
        drawn = rendering.render_pdf(document, issued_on=issued_on)
        identity = credentials.identity_of(credential)
        image = credentials.image_of(credential)
        appearance = (
            pdfsign.signer_appearance(drawn.signature_box, image, page_index=drawn.signature_page)
            if image
            else pdfsign.SignatureAppearance(
                box=drawn.signature_box, page_index=drawn.signature_page, text_lines=(identity.subject_name,)
            )
        )
        signed = pdfsign.sign_pdf(
            drawn.pdf,
            identity,
            field_name="NguoiKy",
            reason=_("Signed by the competent person"),
            location=document.place or register.place,
            appearance=appearance,
            signing_time=timezone.localtime(moment),
        )
        document.status = Status.SIGNED
        document.save()
        name = f"{doc_numbers.symbol_key(document.number_symbol).replace('/', '_')}.pdf"
        file_services.attach(
            actor, document, file_services.Upload(name, signed), sniff.sniff(signed), role=FileRole.SIGNED
        )
        step(actor, document, EventKind.SIGNED, number_symbol=document.number_symbol)
        audit.record(actor, "documents.outgoing.sign", document, after={"number_symbol": document.number_symbol})
        search.index_document(document)
    return document


def signed_file(document: Document) -> DocumentFile | None:
    return document.files.filter(role=FileRole.SIGNED).select_related("stored").order_by("-version", "-id").first()


def issue(actor: Actor, document: Document) -> Document:
    """The văn thư applies the body's signature (the seal of an electronic document) and issues it."""
    actor = require(policy.can_issue(actor.account, document), actor)
    credential = credentials.active_for(organization=document.register.organization)
    if credential is None:
        raise ValidationError(_("The body has no signing certificate loaded."))
    with transaction.atomic():
        document = locked_document(document, (Status.SIGNED,))
        current = signed_file(document)
        if current is None:
            raise ValidationError(_("The signed file is missing."))
        pdf = file_services.read(current.stored)
        person_signature = pdfsign.validate_pdf(pdf, trust_roots=credentials.trust_roots())
        if not person_signature or person_signature[-1].status != "valid":
            raise ValidationError(_("The signer's signature does not validate; the document cannot be issued."))
        identity = credentials.identity_of(credential)
        seal = credentials.image_of(credential)
        drawn_box = _signature_box(pdf)
        appearance = (
            pdfsign.seal_appearance(drawn_box[1], seal, diameter_mm=36, page_index=drawn_box[0]) if seal else None
        )
        sealed = pdfsign.sign_pdf(
            pdf,
            identity,
            field_name="CoQuan",
            reason=_("Issued by the body"),
            location=document.place or document.register.place,
            appearance=appearance,
        )
        file_services.attach(
            actor,
            document,
            file_services.Upload(current.name, sealed),
            sniff.sniff(sealed),
            role=FileRole.SIGNED,
        )
        document.status = Status.ISSUED
        document.issued_at = timezone.now()
        document.save(update_fields=["status", "issued_at", "updated_at"])
        step(actor, document, EventKind.ISSUED, number_symbol=document.number_symbol)
        audit.record(actor, "documents.outgoing.issue", document, after={"number_symbol": document.number_symbol})
        mark_replaced(actor, document)
    return document


def _signature_box(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    """Where the signer's signature was drawn (the seal overlaps its left third)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/T") == "NguoiKy":
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                return index, (x1, y1, x2, y2)
    return len(reader.pages) - 1, (350.0, 100.0, 520.0, 170.0)


def withdraw_number(actor: Actor, document: Document, *, reason: str) -> WithdrawnNumber:
    """Take back an issued number (the document is recalled); recorded, never silently reused."""
    actor = require(policy.can_withdraw_number(actor.account, document), actor)
    reason = vntext.nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the number is withdrawn.")})
    with transaction.atomic():
        document = locked_document(document, (Status.SIGNED, Status.ISSUED, Status.DISPATCHED))
        if document.series is None or document.number is None:
            raise ValidationError(_("The document has no number."))
        withdrawn = WithdrawnNumber.objects.create(
            series=document.series,
            number=document.number,
            symbol=document.number_symbol,
            reason=reason,
            document=document,
            withdrawn_by=account_of(actor),
        )
        document.status = Status.RECALLED
        document.save(update_fields=["status", "updated_at"])
        step(actor, document, EventKind.NUMBER_WITHDRAWN, note=reason, number_symbol=document.number_symbol)
        audit.record(actor, "documents.outgoing.withdraw_number", withdrawn, after={"reason": reason})
    return withdrawn


# --- recall and replacement (thu hồi, thay thế) ---------------------------------------------------------

RECALLABLE = (Status.ISSUED, Status.DISPATCHED)
REPLACEABLE = (Status.ISSUED, Status.DISPATCHED, Status.RECALLED)


def recall(actor: Actor, document: Document, *, reason: str) -> Document:
    """Recall an issued document (Decree 30; QCVN 102 BussinessDocType 1).

    The outgoing copy is frozen (RECALLED: no step is offered on it any more, its files stay as
    evidence) and every electronic recipient it reached gets a signed recall package naming the
    document's DocumentId and the reason; their systems destroy their copy and answer 15 or 16.
    """
    from vanphong.documents.services import exchange

    actor = require(policy.can_issue(actor.account, document), actor)
    reason = vntext.nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is recalled.")})
    with transaction.atomic():
        document = locked_document(document, RECALLABLE)
        reached = list(document.recipients.filter(channel=Channel.EDXML, dispatched_at__isnull=False))
        if reached:
            exchange.send_business(actor, document, reached, doc_type=exchange.RECALL, reason=reason)
        document.status = Status.RECALLED
        document.save(update_fields=["status", "updated_at"])
        step(actor, document, EventKind.RECALLED, note=reason, recipients=[r.name for r in reached])
        audit.record(actor, "documents.outgoing.recall", document, after={"reason": reason, "recipients": len(reached)})
    return document


def replacement_data(old: Document) -> DraftData:
    """A replacement starts as a copy of what it replaces: same register, type, recipients, signer."""
    if old.document_type is None or old.signer is None or old.drafting_unit is None:
        raise ValidationError(_("Only a document drafted here can be replaced here."))
    return DraftData(
        register=old.register,
        document_type=old.document_type,
        abstract=old.abstract,
        content=old.content,
        signer=old.signer,
        signer_position=old.signer_position,
        drafting_unit=old.drafting_unit,
        signer_authority=old.signer_authority,
        urgency=old.urgency,
        secrecy=old.secrecy,
        recipients=[
            RecipientData(
                name=r.name,
                organization=r.organization,
                identifier_code=r.identifier_code,
                channel=r.channel,
                for_information=r.for_information,
            )
            for r in old.recipients.select_related("organization")
        ],
    )


def replace(actor: Actor, old: Document, data: DraftData | None = None) -> Document:
    """A new draft that replaces an issued document (a content error: Decree 30, a replacement of the
    same form). It goes round the circuit like any draft; when it is issued, ``old`` is marked replaced
    and its electronic recipients are told in the replacement's package (BussinessDocType 3)."""
    if old.direction != Direction.OUTGOING or old.status not in REPLACEABLE:
        raise ValidationError(_("Only an issued outgoing document can be replaced."))
    if Document.objects.filter(replaces=old).exclude(status=Status.RECALLED).exists():
        raise ValidationError(_("This document already has a replacement."))
    data = data or replacement_data(old)
    with transaction.atomic():
        document = create_draft(actor, data)
        document.replaces = old
        document.save(update_fields=["replaces", "updated_at"])
        audit.record(actor, "documents.outgoing.replace", document, after={"replaces": old.pk})
    return document


def mark_replaced(actor: Actor, document: Document) -> None:
    """When a replacement is issued, the document it replaces says so on its timeline (inside the transaction)."""
    old = document.replaces
    if old is None or old.events.filter(kind=EventKind.REPLACED, data__by=document.pk).exists():
        return
    step(actor, old, EventKind.REPLACED, by=document.pk, number_symbol=document.number_symbol)
    audit.record(actor, "documents.outgoing.replaced", old, after={"by": document.pk})
