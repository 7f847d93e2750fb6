"""Electronic exchange by edXML (QCVN 102:2016/BTTTT, amendment 1:2022).

Receiving: ``import_package`` checks a package (safe parsing, the signature when present), registers
it as an incoming document once (the package's DocumentId is the key: the same package twice registers
once) and answers the sender with status 01 (arrived) and 03 (registered). As the document moves on,
``status_changed`` sends 04 (assigned), 05 (being handled), 06 (finished) or 02 (refused).

Statuses back: the bodies we sent a document to answer with status packages. ``import_package`` (the
door of the CLI, the API and the import page) hands them to ``receive_status``, which finds our
outgoing document by the DocumentId the status answers and the recipient by the status's From, keeps
the package's fingerprint (ExchangeMessage, way in) and moves ``Recipient.last_status`` forward only.

Sending: ``dispatch`` builds one package for the electronic recipients with the signed PDF, signs it
with the body's certificate, and writes it to the outbox directory, from where the connector to the
hub (trục liên thông) takes it; paper recipients are recorded as dispatched.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import PurePosixPath as Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core import audit
from vanphong.core.audit import Actor
from vanphong.core.models import Organization
from vanphong.documents import policy, storage
from vanphong.documents.models import (
    Channel,
    Direction,
    Document,
    DocumentType,
    EventKind,
    ExchangeMessage,
    FileRole,
    Recipient,
    Register,
    Status,
)
from vanphong.documents.services import credentials, incoming
from vanphong.documents.services import files as file_services
from vanphong.documents.services.common import locked_document, require, step
from vanphong.documents.services.status import (
    ARRIVED,
    REGISTERED,
    _queue,
    moves_forward,
    our_organ_id,
    status_changed,
)
from vanphong.lib import edxml, sniff
from vanphong.lib.edxml import EdxmlError
from vanphong.lib.edxml.model import parse_date

EDXML_MESSAGES = {
    "too_large": gettext_lazy("The package is too large."),
    "not_xml": gettext_lazy("The file is not an XML package ({detail})."),
    "forbidden_dtd": gettext_lazy("The package declares a DTD or entities, which could be an attack; it was refused."),
    "wrong_namespace": gettext_lazy("The file is not an edXML package of QCVN 102:2016 ({detail})."),
    "wrong_kind": gettext_lazy("This is a status message, not a document package."),
    "missing_element": gettext_lazy("The package lacks a required element: {detail}."),
    "too_long": gettext_lazy("A field of the package is longer than QCVN 102 allows: {detail}."),
    "bad_date": gettext_lazy("The package has an invalid date: {detail}."),
    "bad_value": gettext_lazy("The package has an invalid value: {detail}."),
    "bad_attachment": gettext_lazy("An attachment of the package cannot be decoded: {detail}."),
    "missing_attachment": gettext_lazy("The manifest and the attachments do not match: {detail}."),
    "duplicate_recipient": gettext_lazy("The package names the same recipient twice: {detail}."),
    "bad_organ_id": gettext_lazy("The package has an invalid identifier code: {detail}."),
    "checksum_mismatch": gettext_lazy("The package was altered after it was signed; it was refused."),
    "bad_signature": gettext_lazy("The package's signature is malformed: {detail}."),
    "already_signed": gettext_lazy("The package is already signed."),
    "bad_key": gettext_lazy("The signing key cannot be used: {detail}."),
}


def edxml_message(error: EdxmlError) -> str:
    message = EDXML_MESSAGES.get(error.code)
    return str(message).format(detail=error.detail) if message is not None else error.detail


def _symbol(code_number: str, code_notation: str) -> str:
    """Party symbols are "57-NQ/TW" (the notation holds a slash), State ones "12/QĐ-UBND"."""
    if not code_number:
        return code_notation
    return f"{code_number}-{code_notation}" if "/" in code_notation else f"{code_number}/{code_notation}"


MAX_MEMBERS = 50


def _unpacked(name: str, data: bytes) -> list[file_services.Upload]:
    """The hub's SDK zips attached files; take the documents out (bounded, names sanitised), else keep as is."""
    if not data.startswith(b"PK\x03\x04"):
        return [file_services.Upload(name, data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile:
        return [file_services.Upload(name, data)]
    names = {m.filename.lower() for m in members}
    if "[content_types].xml" in names or "mimetype" in names:  # an Office/ODF document, not a wrapper
        return [file_services.Upload(name, data)]
    total = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or total > storage.store().max_bytes:
        raise ValidationError({"package": _("An attached archive is too large or holds too many files.")})
    return [
        file_services.Upload(Path(m.filename).name or name, archive.read(m)) for m in members if Path(m.filename).name
    ]


def _type_for(register: Register, header: edxml.MessageHeader) -> DocumentType | None:
    types = DocumentType.objects.filter(system=register.system)
    if header.document_type and header.type_detail:
        found = types.filter(edxml_type=header.document_type, edxml_type_detail=header.type_detail).first()
        if found is not None:
            return found
    if header.type_name:
        return types.filter(name__iexact=header.type_name.strip()).first()
    return None


def import_package(actor: Actor, register: Register, data: bytes) -> tuple[Document, bool]:
    """Register a received package as an incoming document; (document, False) if it was already here.

    A recall package (BussinessDocType 1) registers nothing: it recalls the document it names
    (``receive_recall``). A replacement (3) registers the new document and marks the one it replaces.
    A status package answers one of our outgoing documents (``receive_status``): that document comes
    back, with False when the status was already recorded."""
    require(policy.can_register(actor.account, register), actor)
    try:
        if edxml.sniff_kind(data) == "status":
            return receive_status(actor, register, data)
        package = edxml.parse_package(data)
        check = edxml.verify_package(data, trusted_certs_pem=_trusted_pem()) if package.signed else None
    except EdxmlError as error:
        raise ValidationError({"package": edxml_message(error)}) from error
    header = package.header
    document_id = header.document_id or edxml.document_id(
        header.from_.organ_id, header.promulgation_date, header.code_number, header.code_notation
    )
    if package.business is not None and package.business.doc_type == RECALL:
        return receive_recall(actor, register, package, data, document_id), False
    existing = Document.objects.filter(register=register, edxml_document_id=document_id).first()
    if existing is not None:
        return existing, False
    sender = Organization.objects.filter(identifier_code=header.from_.organ_id).first()
    arrived = incoming.IncomingData(
        register=register,
        abstract=header.subject,
        sender=sender,
        sender_name=header.from_.organ_name or (sender.full_name if sender else header.from_.organ_id),
        sender_code=header.from_.organ_id,
        number_symbol=_symbol(header.code_number, header.code_notation),
        document_date=header.promulgation_date,
        document_type=_type_for(register, header),
        signer_name=header.signer_full_name,
        signer_position=header.signer_position,
        urgency=min(max(header.priority, 0), 4),
        pages=header.page_amount,
        copies=header.promulgation_amount,
        handling_deadline=header.due_date if header.due_date and header.due_date >= timezone.localdate() else None,
        channel=Channel.EDXML,
        edxml_document_id=document_id,
        files=[upload for a in package.attachments for upload in _unpacked(a.name, a.data)],
    )
    try:
        with transaction.atomic():
            document = incoming.register_incoming(actor, arrived)
            name = f"{document.arrival_year}-{document.arrival_number:05d}.edxml"
            file_services.attach(
                actor, document, file_services.Upload(name, data), sniff.sniff(data), role=FileRole.PACKAGE
            )
            _queue(document, way=ExchangeMessage.Way.IN, data=data, name=name, organ_id=header.from_.organ_id)
            if check is not None:
                step(actor, document, EventKind.RECEIVED, signature=check.status, signer=check.signer_subject or "")
            status_changed(document, ARRIVED)
            status_changed(document, REGISTERED)
            if package.business is not None and package.business.doc_type == REPLACE:
                _replaced_on_arrival(actor, register, document, package.business)
    except IntegrityError:
        # The same package registered by another clerk at the same moment: keep theirs.
        return Document.objects.get(register=register, edxml_document_id=document_id), False
    return document, True


RECALL, REPLACE = 1, 3  # QCVN 102 BussinessDocType: 0 new, 1 recall, 2 update, 3 replace
RECALL_ACCEPTED = "15"


def receive_recall(actor: Actor, register: Register, package: edxml.Package, data: bytes, document_id: str) -> Document:
    """The sender recalls a document it sent: the incoming copy (found by its DocumentId) is marked
    RECALLED, its files are withheld from its readers (``policy.can_open_files``), the sender is told 15.

    The files are withheld rather than erased: a stored blob may be shared with other documents, and the
    audit trail must still be able to show what arrived."""
    business = package.business
    assert business is not None  # noqa: S101 (the caller checked the doc type)
    named = business.document_id or document_id
    with transaction.atomic():
        found = Document.objects.filter(register=register, edxml_document_id=named).first()
        if found is None:
            message = _("The recalled document ({id}) is not in this register.").format(id=named)
            raise ValidationError({"package": message})
        if found.status == Status.RECALLED:
            return found
        document = locked_document(found, [s for s in Status.values if s != Status.RECALLED])
        name = f"recall-{document.pk}-{timezone.now():%Y%m%d%H%M%S}.edxml"
        upload = file_services.Upload(name, data)
        file_services.attach(actor, document, upload, sniff.sniff(data), role=FileRole.PACKAGE)
        _queue(document, way=ExchangeMessage.Way.IN, data=data, name=name, organ_id=package.header.from_.organ_id)
        document.status = Status.RECALLED
        document.save(update_fields=["status", "updated_at"])
        step(actor, document, EventKind.RECALL_RECEIVED, note=business.reason, sender=package.header.from_.organ_id)
        status_changed(document, RECALL_ACCEPTED, description=business.reason)
        audit.record(actor, "documents.incoming.recall_received", document, after={"reason": business.reason})
    return document


def _answered_document(register: Register, answered: edxml.ResponseFor) -> Document | None:
    """Our outgoing document (of the register's body) whose DocumentId the status answers."""
    wanted = answered.document_id
    parts = wanted.split(",", 2)
    if len(parts) != 3:
        return None
    try:
        day = parse_date(parts[1], "ResponseFor/DocumentId")
    except EdxmlError:
        return None
    candidates = Document.objects.filter(
        direction=Direction.OUTGOING, register__organization=register.organization, document_date=day
    ).select_related("register__organization")
    return next((d for d in candidates if d.number_symbol and outgoing_document_id(d) == wanted), None)


def receive_status(actor: Actor, register: Register, data: bytes) -> tuple[Document, bool]:
    """Record a status a recipient sent back about one of our outgoing documents; (document, created).

    The package is checked as a document package is (a tampered one is refused, the signer's trust is
    recorded). A status about a document we did not send, or from a body that was not sent it, is
    refused and nothing is kept. The same status from the same body twice (the same package again, or
    a resent one) is recorded once; a status older than the recipient's last one (``moves_forward``)
    is recorded but does not replace it. The arrival time is the ExchangeMessage's."""
    require(policy.can_register(actor.account, register), actor)
    try:
        status = edxml.parse_status(data)
        check = edxml.verify_package(data, trusted_certs_pem=_trusted_pem()) if status.signed else None
    except EdxmlError as error:
        raise ValidationError({"package": edxml_message(error)}) from error
    answered = status.response_for
    document = _answered_document(register, answered)
    if document is None:
        message = _("The status answers a document this body did not send ({id}); it was refused.")
        raise ValidationError({"package": message.format(id=answered.document_id or answered.code)})
    organ_id, code = status.from_.organ_id, status.status_code
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        recipient = (
            Recipient.objects.select_for_update()
            .filter(document=document, channel=Channel.EDXML, identifier_code=organ_id, dispatched_at__isnull=False)
            .first()
        )
        if recipient is None:
            message = _("{body} was not sent document {symbol}; its status was refused.")
            raise ValidationError({"package": message.format(body=organ_id, symbol=document.number_symbol)})
        received = ExchangeMessage.objects.filter(document=document, way=ExchangeMessage.Way.IN)
        if received.filter(sha256=digest).exists() or received.filter(organ_id=organ_id, status_code=code).exists():
            return document, False
        name = f"status-{code}-{organ_id}-{document.pk}-{timezone.now():%Y%m%d%H%M%S%f}.edxml"
        _queue(document, way=ExchangeMessage.Way.IN, data=data, name=name, organ_id=organ_id, code=code)
        before = recipient.last_status
        if moves_forward(before, code):
            recipient.last_status = code
            recipient.save(update_fields=["last_status"])
        audit.record(
            actor,
            "documents.outgoing.status_received",
            document,
            before={"recipient": recipient.name, "last_status": before},
            after={
                "recipient": recipient.name,
                "organ_id": organ_id,
                "status": code,
                "last_status": recipient.last_status,
                "sent_at": status.timestamp.isoformat(),
                "description": status.description,
                "sha256": digest,
                "signature": check.status if check is not None else "unsigned",
                "signer": (check.signer_subject or "") if check is not None else "",
            },
        )
    return document, True


def _replaced_on_arrival(actor: Actor, register: Register, document: Document, business: edxml.Business) -> None:
    """The new document replaces one we hold: link them and mark the old one replaced."""
    for replacement in business.replacements:
        old = Document.objects.filter(register=register, edxml_document_id=replacement.document_id).first()
        if old is None or old.pk == document.pk:
            continue
        document.replaces = old
        document.save(update_fields=["replaces", "updated_at"])
        step(actor, old, EventKind.REPLACED, by=document.pk, number_symbol=document.number_symbol)
        audit.record(actor, "documents.incoming.replaced", old, after={"by": document.pk})


def outgoing_document_id(document: Document) -> str:
    """The DocumentId (QCVN 102 1.14) our package of ``document`` carries: sender code, date, number."""
    register = document.register
    number, _sep, notation = document.number_symbol.partition("/" if register.system == "state" else "-")
    return edxml.document_id(our_organ_id(register), document.document_date or timezone.localdate(), number, notation)


def send_business(actor: Actor, document: Document, recipients: list[Recipient], *, doc_type: int, reason: str) -> None:
    """A signed package about an already sent document (recall) to ``recipients``, through the outbox."""
    credential = credentials.active_for(organization=document.register.organization)
    if credential is None:
        raise ValidationError(_("The body has no signing certificate loaded."))
    business = edxml.Business(doc_type=doc_type, document_id=outgoing_document_id(document), reason=reason)
    data = _package_for(document, recipients, credential, business=business, with_file=False)
    name = f"{document.register.organization_id}-{document.pk}-{timezone.now():%Y%m%d%H%M%S}-{doc_type}.edxml"
    file_services.attach(actor, document, file_services.Upload(name, data), sniff.sniff(data), role=FileRole.PACKAGE)
    _queue(document, way=ExchangeMessage.Way.OUT, data=data, name=name,
           organ_id=",".join(r.identifier_code for r in recipients))  # fmt: skip


def _trusted_pem() -> list[bytes]:
    from cryptography.hazmat.primitives.serialization import Encoding

    return [cert.public_bytes(Encoding.PEM) for cert in credentials.trust_roots()]


def dispatch(actor: Actor, document: Document) -> list[Recipient]:
    """Send the issued document: one signed edXML package to the electronic recipients, paper recorded."""
    actor = require(policy.can_issue(actor.account, document), actor)
    credential = credentials.active_for(organization=document.register.organization)
    if credential is None:
        raise ValidationError(_("The body has no signing certificate loaded."))
    with transaction.atomic():
        document = locked_document(document, (Status.ISSUED,))
        recipients = list(document.recipients.filter(dispatched_at__isnull=True))
        electronic = [r for r in recipients if r.channel == Channel.EDXML]
        if electronic and not our_organ_id(document.register):
            raise ValidationError(
                _(
                    "{body} has no identifier code (mã định danh) for electronic exchange; an administrator sets it."
                ).format(body=document.register.organization)
            )
        missing = [r.name for r in electronic if not r.identifier_code]
        if missing:
            raise ValidationError(
                _("These recipients have no identifier code for electronic exchange: {names}.").format(
                    names=", ".join(missing)
                )
            )
        now = timezone.now()
        if electronic:
            data = _package_for(document, electronic, credential)
            name = f"{document.register.organization_id}-{document.pk}-{now:%Y%m%d%H%M%S}.edxml"
            file_services.attach(
                actor, document, file_services.Upload(name, data), sniff.sniff(data), role=FileRole.PACKAGE
            )
            _queue(
                document,
                way=ExchangeMessage.Way.OUT,
                data=data,
                name=name,
                organ_id=",".join(r.identifier_code for r in electronic),
            )
        Recipient.objects.filter(pk__in=[r.pk for r in recipients]).update(dispatched_at=now)
        document.status = Status.DISPATCHED
        document.save(update_fields=["status", "updated_at"])
        step(actor, document, EventKind.DISPATCHED, recipients=[r.name for r in recipients])
        audit.record(actor, "documents.outgoing.dispatch", document, after={"recipients": [r.name for r in recipients]})
    return recipients


def _replacement_business(document: Document) -> edxml.Business:
    """A new document (0), or a replacement (3) naming the DocumentId it replaces and who had it."""
    old = document.replaces
    if old is None or not old.number_symbol:
        return edxml.Business(doc_type=0)
    had = tuple(
        old.recipients.filter(channel=Channel.EDXML, dispatched_at__isnull=False).values_list(
            "identifier_code", flat=True
        )
    )
    replaced = edxml.Replacement(document_id=outgoing_document_id(old), organ_ids=had)
    return edxml.Business(doc_type=REPLACE, replacements=(replaced,))


def _package_for(
    document: Document,
    recipients: list[Recipient],
    credential: object,
    *,
    business: edxml.Business | None = None,
    with_file: bool = True,
) -> bytes:
    from vanphong.documents.services.outgoing import signed_file

    register = document.register
    current = signed_file(document)
    if current is None:
        raise ValidationError(_("The signed file is missing."))
    pdf = file_services.read(current.stored) if with_file else b""
    number, _sep, notation = document.number_symbol.partition("/" if register.system == "state" else "-")
    dtype = document.document_type
    header = edxml.MessageHeader(
        from_=edxml.Organ(organ_id=our_organ_id(register), organ_name=register.organization.full_name),
        to=tuple(edxml.Organ(organ_id=r.identifier_code, organ_name=r.name) for r in recipients),
        code_number=number,
        code_notation=notation,
        promulgation_place=document.place or register.place,
        promulgation_date=document.document_date or timezone.localdate(),
        document_type=dtype.edxml_type if dtype else None,
        type_detail=dtype.edxml_type_detail if dtype else None,
        type_name=dtype.name if dtype else "",
        subject=document.abstract[:500],
        signer_competence=document.signer_authority,
        signer_position=document.signer_position,
        signer_full_name=document.signer_name,
        to_places=tuple(r.name for r in document.recipients.all()),
        priority=document.urgency,
        page_amount=document.pages,
    )
    package = edxml.Package(
        header=header,
        traces=(edxml.TraceHeader(organ_id=our_organ_id(register), timestamp=timezone.localtime()),),
        business=business or _replacement_business(document),
        attachments=(
            (edxml.Attachment(content_id="1", name=current.name, content_type="application/pdf", data=pdf),)
            if with_file
            else ()
        ),
    )
    built = edxml.build_package(package)
    identity = credentials.identity_of(credential)  # type: ignore[arg-type]
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    key_pem = identity.private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    cert_pem = identity.certificate.public_bytes(Encoding.PEM)
    return edxml.sign_package(built, key_pem, cert_pem)


__all__ = ["dispatch", "edxml_message", "import_package", "receive_status", "status_changed"]
