"""Incoming documents (văn bản đến), Decree 30/2020 Art. 20–24.

Register (arrival number, the "ĐẾN" stamp on the stored copy) → present to a leader (the same or the
next working day; urgent ones at once) → the leader's direction: a lead unit (chủ trì), coordinating
units (phối hợp), units for information (để biết) and a deadline → the unit head passes it to a
specialist → progress notes and opinions → completed with its result (often a reply document) or
returned. Every step is a timeline entry and an audit entry in the same transaction.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core import audit, workcalendar
from vanphong.core.audit import Actor
from vanphong.core.models import Organization, Person
from vanphong.documents import policy, search
from vanphong.documents.models import (
    INCOMING_OPEN,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Channel,
    Direction,
    Document,
    DocumentType,
    EventKind,
    FileRole,
    Register,
    Secrecy,
    Status,
    Urgency,
)
from vanphong.documents.services import files as file_services
from vanphong.documents.services import status as exchange_status
from vanphong.documents.services.common import account_of, locked_document, person_of, require, step
from vanphong.documents.services.numbering import arrival_period, take_number
from vanphong.lib import pdfstamp, vntext
from vanphong.lib.filestore import FileError
from vanphong.rules import doc_numbers

DOCUMENT_FIELDS = (
    "register", "status", "document_type", "number_symbol", "document_date", "abstract", "signer_name",
    "urgency", "secrecy", "pages", "copies", "handling_deadline", "arrival_number", "arrived_at", "channel",
    "sender", "sender_name",
)  # fmt: skip


@dataclass
class IncomingData:
    """What the văn thư enters from the document in hand (or what an edXML package says)."""

    register: Register
    abstract: str
    sender: Organization | None = None
    sender_name: str = ""
    sender_code: str = ""
    number_symbol: str = ""
    document_date: datetime.date | None = None
    document_type: DocumentType | None = None
    signer_name: str = ""
    signer_position: str = ""
    urgency: int = Urgency.NORMAL
    secrecy: int = Secrecy.NONE
    pages: int | None = None
    copies: int | None = None
    handling_deadline: datetime.date | None = None
    arrived_at: datetime.datetime | None = None
    channel: str = Channel.PAPER
    edxml_document_id: str | None = None
    files: list[file_services.Upload] = field(default_factory=list)


def _clean(data: IncomingData, account: object) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    data.abstract = vntext.nfc(data.abstract).strip()
    data.sender_name = vntext.nfc(data.sender_name).strip()
    data.number_symbol = vntext.nfc(data.number_symbol).strip()
    if not data.abstract:
        errors.setdefault("abstract", []).append(_("Enter the abstract (trích yếu)."))
    if data.sender is None and not data.sender_name:
        errors.setdefault("sender_name", []).append(_("Enter the sender."))
    if data.sender is not None and not data.sender_name:
        data.sender_name = data.sender.full_name
    if data.number_symbol:
        # Other bodies' symbols do not always follow the rules; then keep what is printed on the document.
        with contextlib.suppress(doc_numbers.SymbolError):
            data.number_symbol = doc_numbers.parse_symbol(data.number_symbol).canonical
    arrived = data.arrived_at or timezone.now()
    if arrived > timezone.now() + datetime.timedelta(minutes=5):
        errors.setdefault("arrived_at", []).append(_("The arrival time is in the future."))
    if data.document_date is not None and data.document_date > timezone.localdate(arrived):
        errors.setdefault("document_date", []).append(_("The document is dated after it arrived."))
    if data.secrecy > Secrecy.NONE and policy.secret_mode() == "off":
        errors.setdefault("secrecy", []).append(_("This installation does not register secret documents."))
    elif not policy.may_hold_secrecy(account, data.secrecy):
        errors.setdefault("secrecy", []).append(_("Your clearance does not cover this secrecy level."))
    if data.handling_deadline is not None and data.handling_deadline < timezone.localdate(arrived):
        errors.setdefault("handling_deadline", []).append(_("The deadline is before the arrival date."))
    return errors


def find_duplicates(
    register: Register,
    *,
    sender: Organization | None,
    sender_name: str,
    number_symbol: str,
    document_date: datetime.date | None,
) -> QuerySet[Document]:
    """Documents already registered with the same sender, number and symbol, and date (Appendix VI)."""
    if not number_symbol:
        return Document.objects.none()
    key = doc_numbers.symbol_key(number_symbol)
    same_sender = Q(sender=sender) if sender is not None else Q(sender_name__iexact=vntext.nfc(sender_name).strip())
    return (
        Document.objects.filter(register=register, direction=Direction.INCOMING, symbol_key=key)
        .filter(same_sender)
        .filter(document_date=document_date)
        .order_by("-id")
    )


def register_incoming(actor: Actor, data: IncomingData) -> Document:
    """Register an incoming document: a new arrival number, the stored and stamped copy, the timeline."""
    actor = require(policy.can_register(actor.account, data.register), actor)
    errors = _clean(data, actor.account)
    if errors:
        raise ValidationError(errors)
    checked = file_services.check_uploads(data.files, secrecy=data.secrecy)
    arrived_at = data.arrived_at or timezone.now()
    with transaction.atomic():
        series, number = take_number(data.register, period=arrival_period(timezone.localdate(arrived_at)))
        document = Document.objects.create(
            direction=Direction.INCOMING,
            register=data.register,
            status=Status.REGISTERED,
            document_type=data.document_type,
            number_symbol=data.number_symbol,
            symbol_key=doc_numbers.symbol_key(data.number_symbol) if data.number_symbol else "",
            document_date=data.document_date,
            abstract=data.abstract,
            signer_name=data.signer_name,
            signer_position=data.signer_position,
            urgency=data.urgency,
            secrecy=data.secrecy,
            pages=data.pages,
            copies=data.copies,
            handling_deadline=data.handling_deadline,
            arrival_year=int(series.period),
            arrival_number=number,
            arrived_at=arrived_at,
            channel=data.channel,
            sender=data.sender,
            sender_name=data.sender_name,
            sender_code=data.sender_code or (data.sender.identifier_code if data.sender else "") or "",
            edxml_document_id=data.edxml_document_id,
            created_by=account_of(actor),
        )
        step(
            actor,
            document,
            EventKind.REGISTERED,
            arrival_number=number,
            channel=data.channel,
        )
        _store_files(actor, document, checked)
        audit.record(actor, "documents.incoming.register", document, after=audit.snapshot(document, DOCUMENT_FIELDS))
        search.index_document(document)
    return document


def _store_files(
    actor: Actor, document: Document, checked: list[tuple[file_services.Upload, file_services.sniff.Sniffed]]
) -> None:
    role = FileRole.ORIGINAL if document.channel == Channel.EDXML else FileRole.SCAN
    for upload, sniffed in checked:
        file_services.attach(actor, document, upload, sniffed, role=role)
    try:
        copy = file_services.scan_to_pdf(checked)
        if copy is None:
            return
        arrived = timezone.localtime(document.arrived_at)
        stamped = pdfstamp.stamp_arrival(
            copy,
            pdfstamp.ArrivalStamp(
                body_name=document.register.organization.full_name.upper(),
                arrival_number=document.arrival_number or 0,
                arrival_date=arrived.date(),
                arrival_time=arrived.time().replace(second=0, microsecond=0),
                forwarded_to=None,
                file_code=None,
            ),
        )
    except FileError as error:
        raise ValidationError({"files": file_services.storage.file_error_message(error.code, error.detail)}) from error
    name = f"den-{document.arrival_year}-{document.arrival_number:05d}.pdf"
    first = checked[0]
    file_services.attach(
        actor, document, file_services.Upload(name, stamped), first[1], role=FileRole.STAMPED, data=stamped
    )


def present(actor: Actor, document: Document, *, leader: Person, note: str = "") -> Document:
    """Present the document to a leader for direction (Decree 30 Art. 22)."""
    actor = require(policy.can_present(actor.account, document), actor)
    if not policy.leaders_of(document.register).filter(pk=leader.pk).exists():
        raise ValidationError(
            {"leader": _("{name} is not a leader of {body}.").format(name=leader, body=document.register.organization)}
        )
    with transaction.atomic():
        document = locked_document(document, (Status.REGISTERED, Status.PRESENTED))
        before = audit.snapshot(document, ("status", "presented_to"))
        document.status = Status.PRESENTED
        document.presented_to = leader
        document.presented_at = timezone.now()
        document.save(update_fields=["status", "presented_to", "presented_at", "updated_at"])
        step(actor, document, EventKind.PRESENTED, note=note, leader=leader.full_name)
        audit.record_changes(actor, "documents.incoming.present", document, before, ("status", "presented_to"))
    return document


@dataclass
class DirectionData:
    """The leader's direction: the text, the units and their parts, and the deadline."""

    text: str
    lead_unit: Organization | None
    coordinating_units: list[Organization] = field(default_factory=list)
    info_units: list[Organization] = field(default_factory=list)
    deadline: datetime.date | None = None
    deadline_days: int | None = None
    deadline_unit: str = "working"


def resolve_deadline(start: datetime.date, data: DirectionData) -> datetime.date | None:
    if data.deadline is not None:
        return data.deadline
    if data.deadline_days is not None:
        return workcalendar.deadline(start, data.deadline_days, data.deadline_unit)
    return None


def direct(actor: Actor, document: Document, data: DirectionData) -> Document:
    """Record the leader's direction and give the units their parts (Art. 22 §2)."""
    actor = require(policy.can_direct(actor.account, document), actor)
    errors: dict[str, list[str]] = {}
    data.text = vntext.nfc(data.text).strip()
    if not data.text:
        errors.setdefault("text", []).append(_("Write the direction."))
    if data.lead_unit is None:
        errors.setdefault("lead_unit", []).append(_("Choose the lead unit (chủ trì)."))
    units = [u for u in [data.lead_unit, *data.coordinating_units, *data.info_units] if u is not None]
    if len({u.pk for u in units}) != len(units):
        errors.setdefault("coordinating_units", []).append(_("A unit can have only one part in the same document."))
    today = timezone.localdate()
    deadline = resolve_deadline(today, data)
    if deadline is not None and deadline < today:
        errors.setdefault("deadline", []).append(_("The deadline is in the past."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        document = locked_document(document, (Status.REGISTERED, Status.PRESENTED, Status.IN_PROGRESS))
        before = audit.snapshot(document, ("status", "direction_text", "handling_deadline"))
        document.assignments.exclude(state=AssignmentState.CANCELLED).update(state=AssignmentState.CANCELLED)
        lead_unit = data.lead_unit
        if lead_unit is None:  # checked above; narrows the type
            raise ValidationError({"lead_unit": _("Choose the lead unit (chủ trì).")})
        parts = [(lead_unit, AssignmentRole.LEAD)]
        parts += [(u, AssignmentRole.COORDINATE) for u in data.coordinating_units]
        parts += [(u, AssignmentRole.INFORM) for u in data.info_units]
        for unit, role in parts:
            Assignment.objects.create(
                document=document,
                unit=unit,
                role=role,
                deadline=deadline if role != AssignmentRole.INFORM else None,
                state=AssignmentState.OPEN if role != AssignmentRole.INFORM else AssignmentState.DONE,
            )
        document.status = Status.IN_PROGRESS
        document.direction_text = data.text
        document.directed_by = person_of(actor)
        document.directed_at = timezone.now()
        document.handling_deadline = deadline
        document.save(
            update_fields=["status", "direction_text", "directed_by", "directed_at", "handling_deadline", "updated_at"]
        )
        step(
            actor,
            document,
            EventKind.DIRECTED,
            note=data.text,
            lead=data.lead_unit.full_name if data.lead_unit else "",
            coordinating=[u.full_name for u in data.coordinating_units],
            inform=[u.full_name for u in data.info_units],
            deadline=deadline.isoformat() if deadline else None,
        )
        audit.record_changes(
            actor, "documents.incoming.direct", document, before, ("status", "direction_text", "handling_deadline")
        )
        exchange_status.status_changed(document, exchange_status.ASSIGNED)
        search.index_document(document)
    return document


def _fresh(assignment: Assignment) -> Assignment:
    """The assignment as stored now (the caller's copy may predate a step by someone else)."""
    return Assignment.objects.select_related("document__register__organization", "unit", "handler").get(
        pk=assignment.pk
    )


def _locked_assignment(assignment: Assignment, states: Sequence[str]) -> Assignment:
    fresh = Assignment.objects.select_for_update().select_related("document", "unit").get(pk=assignment.pk)
    if fresh.state not in states:
        raise ValidationError(
            _("This part of the document is already “{state}”.").format(state=fresh.get_state_display())
        )
    return fresh


def forward(actor: Actor, assignment: Assignment, *, handler: Person, note: str = "") -> Assignment:
    """The unit head passes the unit's part to a specialist of the unit."""
    assignment = _fresh(assignment)
    actor = require(policy.can_head(actor.account, assignment), actor)
    if handler.organization is None or not handler.organization.path.startswith(assignment.unit.path):
        raise ValidationError(
            {"handler": _("{name} does not work in {unit}.").format(name=handler, unit=assignment.unit)}
        )
    if assignment.document.secrecy > handler.clearance:
        raise ValidationError({"handler": _("{name}'s clearance does not cover this document.").format(name=handler)})
    with transaction.atomic():
        assignment = _locked_assignment(assignment, (AssignmentState.OPEN, AssignmentState.HANDLING))
        assignment.handler = handler
        assignment.state = AssignmentState.HANDLING
        assignment.save(update_fields=["handler", "state"])
        step(
            actor, assignment.document, EventKind.FORWARDED, note=note, unit=assignment.unit, handler=handler.full_name
        )
        audit.record(actor, "documents.incoming.forward", assignment, after={"handler": handler.pk, "note": note})
        if assignment.role == AssignmentRole.LEAD:
            exchange_status.status_changed(assignment.document, exchange_status.PROCESSING)
    return assignment


def add_progress(actor: Actor, assignment: Assignment, *, note: str) -> Assignment:
    """A progress note on the unit's part; coordinating units give their opinion the same way."""
    assignment = _fresh(assignment)
    actor = require(policy.can_handle(actor.account, assignment), actor)
    note = vntext.nfc(note).strip()
    if not note:
        raise ValidationError({"note": _("Write the note.")})
    with transaction.atomic():
        assignment = _locked_assignment(assignment, (AssignmentState.OPEN, AssignmentState.HANDLING))
        kind = EventKind.OPINION_GIVEN if assignment.role == AssignmentRole.COORDINATE else EventKind.PROGRESS
        if assignment.role == AssignmentRole.COORDINATE:
            assignment.state = AssignmentState.DONE
            assignment.done_at = timezone.now()
        elif assignment.state == AssignmentState.OPEN:
            assignment.state = AssignmentState.HANDLING
        assignment.save(update_fields=["state", "done_at"])
        step(actor, assignment.document, kind, note=note, unit=assignment.unit)
        audit.record(actor, f"documents.incoming.{kind}", assignment, after={"note": note})
    return assignment


def request_opinion(actor: Actor, assignment: Assignment, *, unit: Organization, question: str) -> Assignment:
    """The lead unit asks another unit's opinion: that unit gets a coordinating part."""
    assignment = _fresh(assignment)
    actor = require(policy.can_handle(actor.account, assignment), actor)
    question = vntext.nfc(question).strip()
    if assignment.role != AssignmentRole.LEAD:
        raise ValidationError(_("Only the lead unit asks other units for opinions."))
    if not question:
        raise ValidationError({"question": _("Write what you ask.")})
    with transaction.atomic():
        document = locked_document(assignment.document, (Status.IN_PROGRESS,))
        if document.assignments.filter(unit=unit).exclude(state=AssignmentState.CANCELLED).exists():
            raise ValidationError({"unit": _("{unit} already has a part in this document.").format(unit=unit)})
        asked = Assignment.objects.create(
            document=document, unit=unit, role=AssignmentRole.COORDINATE, deadline=assignment.deadline
        )
        step(actor, document, EventKind.OPINION_REQUESTED, note=question, unit=unit)
        audit.record(actor, "documents.incoming.request_opinion", asked, after={"question": question})
    return asked


def complete(actor: Actor, document: Document, *, result: str, reply: Document | None = None) -> Document:
    """Complete the document with its result (often a reply document, linked)."""
    actor = require(policy.can_complete(actor.account, document), actor)
    result = vntext.nfc(result).strip()
    if not result and reply is None:
        raise ValidationError({"result": _("Say how the document was handled, or link the reply.")})
    if reply is not None and reply.direction != Direction.OUTGOING:
        raise ValidationError({"reply": _("The reply must be an outgoing document.")})
    with transaction.atomic():
        document = locked_document(document, (Status.IN_PROGRESS,))
        before = audit.snapshot(document, ("status", "result"))
        now = timezone.now()
        document.status = Status.COMPLETED
        document.result = result
        document.completed_at = now
        document.save(update_fields=["status", "result", "completed_at", "updated_at"])
        document.assignments.filter(state__in=(AssignmentState.OPEN, AssignmentState.HANDLING)).update(
            state=AssignmentState.DONE, done_at=now
        )
        if reply is not None:
            type(reply).objects.filter(pk=reply.pk).update(reply_to=document)
        step(actor, document, EventKind.COMPLETED, note=result, reply=reply.pk if reply else None)
        audit.record_changes(actor, "documents.incoming.complete", document, before, ("status", "result"))
        exchange_status.status_changed(document, exchange_status.FINISHED)
        search.index_document(document)
    return document


def return_document(actor: Actor, document: Document, *, reason: str) -> Document:
    """Return a document that is not for this office, or not valid, to its sender (Art. 20)."""
    actor = require(policy.can_present(actor.account, document), actor)
    reason = vntext.nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is returned.")})
    with transaction.atomic():
        document = locked_document(document, (Status.REGISTERED, Status.PRESENTED))
        before = audit.snapshot(document, ("status",))
        document.status = Status.RETURNED
        document.result = reason
        document.save(update_fields=["status", "result", "updated_at"])
        step(actor, document, EventKind.RETURNED, note=reason)
        audit.record_changes(actor, "documents.incoming.return", document, before, ("status",))
        exchange_status.status_changed(document, exchange_status.REFUSED, description=reason)
    return document


def is_overdue(document: Document, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        document.status in INCOMING_OPEN
        and document.handling_deadline is not None
        and document.handling_deadline < today
    )
