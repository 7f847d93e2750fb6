"""Read edXML packets (QCVN 102:2016/BTTTT) safely and check them against the rules of section 1b.

Parsing is hostile-input first (``model.load_root``): size limit, no DTD of any kind, no entities, no
network, no XInclude. Then the shape: required elements (named in the error), dates, numbers, the
manifest against the attachments, and when the packet is signed, that the content still matches the
signature (``checksum_mismatch``). Finally the same rules as the builder (``model.validate_package``).

Dates are read as ``yyyy/MM/dd`` (VPCP SDK), ``dd/MM/yyyy`` (BKAV validator) or ``yyyy-MM-dd`` (ISO),
because hubs differ. Element order is not checked: the SDK and other implementations order
``Bussiness`` and ``TraceHeader`` differently.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Literal

from vanphong.lib.edxml.errors import EdxmlError
from vanphong.lib.edxml.model import (
    BUSINESS_DOC_TYPES,
    DEFAULT_MAX_BYTES,
    EDXML_NS,
    PRIORITIES,
    STATUS_CODES,
    Attachment,
    Business,
    MessageHeader,
    Organ,
    Package,
    ReceiverChange,
    Replacement,
    ResponseFor,
    StaffInfo,
    StatusPackage,
    TraceHeader,
    document_id,
    load_root,
    parse_date,
    parse_timestamp,
    safe_attachment_name,
    validate_package,
    validate_status,
)
from vanphong.lib.edxml.sign import check_integrity, verify_root

PacketKind = Literal["document", "status"]
_STATUS_NAMES = ("Status", "MessageStatus")  # which one the QCVN uses is unconfirmed; read both


def _tag(name: str) -> str:
    return f"{{{EDXML_NS}}}{name}"


def _child(parent: Any, name: str) -> Any:
    return parent.find(_tag(name))


def _require(parent: Any, name: str, path: str) -> Any:
    element = _child(parent, name)
    if element is None:
        raise EdxmlError("missing_element", f"{path} is required.")
    return element


def _text(element: Any, path: str) -> str:
    # A text field holding elements is a smuggling attempt (XInclude, foreign markup): refuse it.
    if len(element):
        raise EdxmlError("bad_value", f"{path} must contain text only, not elements.")
    return str(element.text or "").strip()


def _optional_text(parent: Any, name: str, path: str) -> str:
    element = _child(parent, name)
    return "" if element is None else _text(element, path)


def _required_text(parent: Any, name: str, path: str) -> str:
    value = _text(_require(parent, name, path), path)
    if not value:
        raise EdxmlError("missing_element", f"{path} is required and must not be empty.")
    return value


def _optional_int(parent: Any, name: str, path: str) -> int | None:
    value = _optional_text(parent, name, path)
    if not value:
        return None
    if not re.fullmatch(r"[+-]?\d{1,9}", value):
        raise EdxmlError("bad_value", f"{path} must be a whole number, not {value[:20]!r}.")
    return int(value)


def _optional_date(parent: Any, name: str, path: str) -> date | None:
    value = _optional_text(parent, name, path)
    return parse_date(value, path) if value else None


def _organ(element: Any, path: str) -> Organ:
    return Organ(
        organ_id=_required_text(element, "OrganId", f"{path}/OrganId"),
        organization_in_charge=_optional_text(element, "OrganizationInCharge", f"{path}/OrganizationInCharge"),
        organ_name=_optional_text(element, "OrganName", f"{path}/OrganName"),
        organ_add=_optional_text(element, "OrganAdd", f"{path}/OrganAdd"),
        email=_optional_text(element, "Email", f"{path}/Email"),
        telephone=_optional_text(element, "Telephone", f"{path}/Telephone"),
        fax=_optional_text(element, "Fax", f"{path}/Fax"),
        website=_optional_text(element, "Website", f"{path}/Website"),
    )


def _response_for(element: Any, path: str) -> ResponseFor:
    return ResponseFor(
        organ_id=_required_text(element, "OrganId", f"{path}/OrganId"),
        code=_optional_text(element, "Code", f"{path}/Code"),
        promulgation_date=_optional_date(element, "PromulgationDate", f"{path}/PromulgationDate"),
        document_id=_optional_text(element, "DocumentId", f"{path}/DocumentId"),
    )


def _staff(parent: Any, path: str) -> StaffInfo | None:
    element = _child(parent, "StaffInfo")
    if element is None:
        return None
    return StaffInfo(
        department=_optional_text(element, "Department", f"{path}/StaffInfo/Department"),
        staff=_optional_text(element, "Staff", f"{path}/StaffInfo/Staff"),
        mobile=_optional_text(element, "Mobile", f"{path}/StaffInfo/Mobile"),
        email=_optional_text(element, "Email", f"{path}/StaffInfo/Email"),
    )


def _texts(parent: Any, list_name: str, item_name: str) -> tuple[str, ...]:
    container = _child(parent, list_name)
    if container is None:
        return ()
    path = f"{list_name}/{item_name}"
    return tuple(value for value in (_text(item, path) for item in container.iterfind(_tag(item_name))) if value)


def _direction(other: Any) -> bool:
    value = _optional_text(other, "Direction", "OtherInfo/Direction").lower()
    if value in {"", "false", "0"}:
        return False
    if value in {"true", "1"}:
        return True
    raise EdxmlError("bad_value", f"OtherInfo/Direction must be true or false, not {value[:20]!r}.")


def _message_header(element: Any) -> MessageHeader:
    from_ = _organ(_require(element, "From", "From"), "From")
    to = tuple(_organ(item, "To") for item in element.iterfind(_tag("To")))
    if not to:
        raise EdxmlError("missing_element", "To is required: a packet needs at least one recipient.")
    code = _require(element, "Code", "Code")
    promulgation = _require(element, "PromulgationInfo", "PromulgationInfo")
    promulgation_date = parse_date(
        _required_text(promulgation, "PromulgationDate", "PromulgationInfo/PromulgationDate"),
        "PromulgationInfo/PromulgationDate",
    )
    doc_type = _child(element, "DocumentType")
    signer = _child(element, "SignerInfo")
    other = _child(element, "OtherInfo")
    priority = 0
    if other is not None:
        priority_value = _optional_int(other, "Priority", "OtherInfo/Priority")
        priority = 0 if priority_value is None else priority_value
    if priority not in PRIORITIES:
        raise EdxmlError("bad_value", f"OtherInfo/Priority is {priority}; it must be 0, 1, 2, 3 or 4.")
    response_for = _child(element, "ResponseFor")
    return MessageHeader(
        from_=from_,
        to=to,
        code_number=_required_text(code, "CodeNumber", "Code/CodeNumber"),
        code_notation=_required_text(code, "CodeNotation", "Code/CodeNotation"),
        promulgation_place=_optional_text(promulgation, "Place", "PromulgationInfo/Place"),
        promulgation_date=promulgation_date,
        document_type=None if doc_type is None else _optional_int(doc_type, "Type", "DocumentType/Type"),
        type_detail=None if doc_type is None else _optional_int(doc_type, "TypeDetail", "DocumentType/TypeDetail"),
        type_name="" if doc_type is None else _optional_text(doc_type, "TypeName", "DocumentType/TypeName"),
        subject=_required_text(element, "Subject", "Subject"),
        content=_optional_text(element, "Content", "Content"),
        signer_competence="" if signer is None else _optional_text(signer, "Competence", "SignerInfo/Competence"),
        signer_position="" if signer is None else _optional_text(signer, "Position", "SignerInfo/Position"),
        signer_full_name="" if signer is None else _optional_text(signer, "FullName", "SignerInfo/FullName"),
        due_date=_optional_date(element, "DueDate", "DueDate"),
        to_places=_texts(element, "ToPlaces", "Place"),
        priority=priority,
        sphere_of_promulgation=""
        if other is None
        else _optional_text(other, "SphereOfPromulgation", "OtherInfo/SphereOfPromulgation"),
        typer_notation="" if other is None else _optional_text(other, "TyperNotation", "OtherInfo/TyperNotation"),
        promulgation_amount=None
        if other is None
        else _optional_int(other, "PromulgationAmount", "OtherInfo/PromulgationAmount"),
        page_amount=None if other is None else _optional_int(other, "PageAmount", "OtherInfo/PageAmount"),
        appendixes=() if other is None else _texts(other, "Appendixes", "Appendix"),
        direction=False if other is None else _direction(other),
        steering_type=_optional_int(element, "SteeringType", "SteeringType"),
        # Some implementations allow several ResponseFor; the model keeps the first.
        response_for=None if response_for is None else _response_for(response_for, "ResponseFor"),
        document_id=_optional_text(element, "DocumentId", "DocumentId"),
    )


def _business(element: Any) -> Business:
    path = "Bussiness"
    changes: list[ReceiverChange] = []
    receivers_path = f"{{{EDXML_NS}}}BussinessDocumentInfo/{{{EDXML_NS}}}ReceiverList/{{{EDXML_NS}}}Receiver"
    for receiver in element.iterfind(receivers_path):
        kind = _optional_text(receiver, "ReceiverType", "Receiver/ReceiverType")
        if kind not in {"0", "1"}:
            raise EdxmlError("bad_value", f"Receiver/ReceiverType must be 0 or 1, not {kind[:10]!r}.")
        organ_id = _required_text(receiver, "OrganId", "Receiver/OrganId")
        changes.append(ReceiverChange(organ_id=organ_id, added=kind == "1"))
    replacements: list[Replacement] = []
    for item in element.iterfind(f"{{{EDXML_NS}}}ReplacementInfoList/{{{EDXML_NS}}}ReplacementInfo"):
        organs = _child(item, "OrganIdList")
        organ_ids = (
            () if organs is None else tuple(_text(o, "OrganIdList/OrganId") for o in organs.iterfind(_tag("OrganId")))
        )
        replacements.append(
            Replacement(
                document_id=_required_text(item, "DocumentId", "ReplacementInfo/DocumentId"), organ_ids=organ_ids
            )
        )
    doc_type = _optional_int(element, "BussinessDocType", f"{path}/BussinessDocType")
    if doc_type is not None and doc_type not in BUSINESS_DOC_TYPES:
        raise EdxmlError("bad_value", f"{path}/BussinessDocType is {doc_type}; it must be 0, 1, 2 or 3.")
    paper = _optional_int(element, "Paper", f"{path}/Paper")
    return Business(
        doc_type=doc_type or 0,
        reason=_optional_text(element, "BussinessDocReason", f"{path}/BussinessDocReason"),
        document_id=_optional_text(element, "DocumentId", f"{path}/DocumentId"),
        paper=paper or 0,
        staff=_staff(element, path),
        receiver_changes=tuple(changes),
        replacements=tuple(replacements),
    )


def _traces(header: Any) -> tuple[tuple[TraceHeader, ...], Business | None]:
    trace_list = _child(header, "TraceHeaderList")
    if trace_list is None:
        return (), None
    traces = tuple(
        TraceHeader(
            organ_id=_optional_text(item, "OrganId", "TraceHeader/OrganId"),
            timestamp=parse_timestamp(
                _required_text(item, "Timestamp", "TraceHeader/Timestamp"), "TraceHeader/Timestamp"
            ),
        )
        for item in trace_list.iterfind(_tag("TraceHeader"))
    )
    business = _child(trace_list, "Bussiness")
    return traces, None if business is None else _business(business)


def _content_id(text: str) -> str:
    value = text.strip().strip("<>")
    return value[4:] if value.lower().startswith("cid:") else value


def _decode_base64(element: Any, content_id: str) -> bytes:
    raw = "".join(_text(element, "Attachment/ContentTransferEncoded").split())
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise EdxmlError("bad_attachment", f"The content of attachment {content_id} is not valid base64.") from None


def _attachments(root: Any, envelope: Any) -> tuple[Attachment, ...]:
    manifest: dict[str, tuple[str, str, str]] = {}
    for reference in envelope.iterfind(f"{{{EDXML_NS}}}edXMLBody/{{{EDXML_NS}}}edXMLManifest/{{{EDXML_NS}}}Reference"):
        content_id = _content_id(_required_text(reference, "ContentId", "edXMLManifest/Reference/ContentId"))
        if content_id in manifest:
            raise EdxmlError("bad_attachment", f"The manifest lists ContentId {content_id} twice.")
        manifest[content_id] = (
            _optional_text(reference, "AttachmentName", "Reference/AttachmentName"),
            _optional_text(reference, "Description", "Reference/Description"),
            _optional_text(reference, "ContentType", "Reference/ContentType"),
        )
    attachments: list[Attachment] = []
    for index, item in enumerate(root.iterfind(f"{{{EDXML_NS}}}AttachmentEncoded/{{{EDXML_NS}}}Attachment"), 1):
        content_id = _content_id(_required_text(item, "ContentId", "Attachment/ContentId"))
        if content_id not in manifest:
            raise EdxmlError("missing_attachment", f"Attachment {content_id} is not listed in the manifest.")
        listed_name, listed_description, listed_type = manifest[content_id]
        encoded = _child(item, "ContentTransferEncoded")
        if encoded is None:
            raise EdxmlError("missing_element", f"Attachment/ContentTransferEncoded is required ({content_id}).")
        name = _optional_text(item, "AttachmentName", "Attachment/AttachmentName") or listed_name
        attachments.append(
            Attachment(
                content_id=content_id,
                name=safe_attachment_name(name, f"attachment-{index}"),
                description=_optional_text(item, "Description", "Attachment/Description") or listed_description,
                content_type=_optional_text(item, "ContentType", "Attachment/ContentType")
                or listed_type
                or "application/octet-stream",
                data=_decode_base64(encoded, content_id),
            )
        )
    present = {attachment.content_id for attachment in attachments}
    if len(present) != len(attachments):
        raise EdxmlError("bad_attachment", "Two attachments share one ContentId.")
    missing = [content_id for content_id in manifest if content_id not in present]
    if missing:
        raise EdxmlError("missing_attachment", f"The manifest lists {missing[0]} but no attachment carries it.")
    return tuple(attachments)


def _parts(root: Any) -> tuple[Any, Any]:
    envelope = _require(root, "edXMLEnvelope", "edXMLEnvelope")
    return envelope, _require(envelope, "edXMLHeader", "edXMLEnvelope/edXMLHeader")


def _kind(header: Any) -> PacketKind:
    if _child(header, "MessageHeader") is not None:
        return "document"
    if any(_child(header, name) is not None for name in _STATUS_NAMES):
        return "status"
    raise EdxmlError("missing_element", "edXMLHeader needs a MessageHeader (document) or a Status (status packet).")


def _check_signature(root: Any) -> bool:
    integrity = check_integrity(root)
    if not integrity.present:
        return False
    if integrity.intact:
        return True
    if integrity.broken or integrity.refused:
        raise EdxmlError("bad_signature", integrity.detail)
    raise EdxmlError("checksum_mismatch", integrity.detail)


def sniff_kind(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> PacketKind:
    """Say whether safe-to-read bytes are a document packet or a status packet, without parsing it all."""
    _envelope, header = _parts(load_root(data, max_bytes=max_bytes))
    return _kind(header)


def _read_package(root: Any, *, check_signature: bool) -> Package:
    envelope, header = _parts(root)
    if _kind(header) != "document":
        raise EdxmlError("wrong_kind", "This is a status packet; read it with parse_status.")
    signed = _check_signature(root) if check_signature else False
    message_header = _message_header(_child(header, "MessageHeader"))
    traces, business = _traces(header)
    package = Package(
        header=message_header,
        traces=traces,
        business=business,
        attachments=_attachments(root, envelope),
        signed=signed,
    )
    validate_package(package)
    if not message_header.document_id:
        derived = document_id(
            message_header.from_.organ_id,
            message_header.promulgation_date,
            message_header.code_number,
            message_header.code_notation,
        )
        package = replace(package, header=replace(message_header, document_id=derived))
    return package


def parse_package(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Package:
    """Read a document packet safely and check it against QCVN 102 section 1b.

    Raises EdxmlError with one of ``ERROR_CODES``. A signed packet whose content no longer matches its
    signature raises ``checksum_mismatch``; whether the signer is trusted is verify_package's question.
    A missing DocumentId is derived with the 1.14 rule.
    """
    return _read_package(load_root(data, max_bytes=max_bytes), check_signature=True)


def _read_status(root: Any, *, check_signature: bool) -> StatusPackage:
    _envelope, header = _parts(root)
    if _kind(header) != "status":
        raise EdxmlError("wrong_kind", "This is a document packet; read it with parse_package.")
    signed = _check_signature(root) if check_signature else False
    element = next(_child(header, name) for name in _STATUS_NAMES if _child(header, name) is not None)
    code = _required_text(element, "StatusCode", "Status/StatusCode")
    if code.isdigit() and len(code) == 1:
        code = "0" + code  # some hubs write the code as a number
    status = StatusPackage(
        response_for=_response_for(_require(element, "ResponseFor", "Status/ResponseFor"), "Status/ResponseFor"),
        from_=_organ(_require(element, "From", "Status/From"), "Status/From"),
        status_code=code,
        description=_optional_text(element, "Description", "Status/Description"),
        timestamp=parse_timestamp(_required_text(element, "Timestamp", "Status/Timestamp"), "Status/Timestamp"),
        staff=_staff(element, "Status"),
        signed=signed,
    )
    validate_status(status)
    return status


def parse_status(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> StatusPackage:
    """Read a status packet (01 arrived ... 16 recall refused) safely; same checks as parse_package."""
    return _read_status(load_root(data, max_bytes=max_bytes), check_signature=True)


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _organ_summary(organ: Organ) -> dict[str, str]:
    return {"id": organ.organ_id, "name": organ.organ_name or organ.organization_in_charge}


def inspect(
    data: bytes, *, trusted_certs_pem: list[bytes] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """The JSON-ready summary that ``vanphong edxml inspect FILE`` prints.

    A tampered packet is still summarised (its signature status says "tampered") so that an operator
    can see what arrived; every other rule violation raises EdxmlError as parse_package does.
    """
    root = load_root(data, max_bytes=max_bytes)
    _envelope, header = _parts(root)
    check = verify_root(root, trusted_certs_pem=trusted_certs_pem)
    signature = {
        "status": check.status,
        "intact": check.intact,
        "signer": check.signer_subject,
        "algorithm": check.signature_algorithm,
        "detail": check.detail,
    }
    if _kind(header) == "status":
        status = _read_status(root, check_signature=False)
        return {
            "kind": "status",
            "status_code": status.status_code,
            "status_meaning": STATUS_CODES.get(status.status_code, "unknown"),
            "response_for": {
                "organ_id": status.response_for.organ_id,
                "code": status.response_for.code,
                "promulgation_date": _iso(status.response_for.promulgation_date),
                "document_id": status.response_for.document_id,
            },
            "from": _organ_summary(status.from_),
            "timestamp": _iso(status.timestamp),
            "description": status.description,
            "signature": signature,
        }
    package = _read_package(root, check_signature=False)
    message = package.header
    return {
        "kind": "document",
        "from": _organ_summary(message.from_),
        "to": [_organ_summary(organ) for organ in message.to],
        "code_number": message.code_number,
        "code_notation": message.code_notation,
        "promulgation_place": message.promulgation_place,
        "promulgation_date": _iso(message.promulgation_date),
        "document_type": {"type": message.document_type, "detail": message.type_detail, "name": message.type_name},
        "subject": message.subject,
        "signer": {
            "competence": message.signer_competence,
            "position": message.signer_position,
            "full_name": message.signer_full_name,
        },
        "priority": message.priority,
        "due_date": _iso(message.due_date),
        "document_id": message.document_id,
        "business_doc_type": None if package.business is None else package.business.doc_type,
        "attachments": [
            {"name": attachment.name, "content_type": attachment.content_type, "size": attachment.size}
            for attachment in package.attachments
        ],
        "signature": signature,
    }
