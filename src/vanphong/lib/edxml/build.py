"""Write edXML packets (QCVN 102:2016/BTTTT) in the shape of the VPCP SDK sample ``edoc_new.edxml``.

The layout, element order and prefixes copy that sample, because some hub clients look elements up by
their prefixed names (``edXML:StatusCode``) rather than by namespace:

    <edXML xmlns="...QCVN_102_2016">                      root in the default namespace
      <edXML:edXMLEnvelope xmlns:edXML="...">             everything inside uses the edXML: prefix
        <edXML:edXMLHeader> MessageHeader, TraceHeaderList (Bussiness), [Signature] </edXML:edXMLHeader>
        <edXML:edXMLBody><edXML:edXMLManifest version="1.0"> Reference* </edXML:edXMLManifest></edXML:edXMLBody>
      </edXML:edXMLEnvelope>
      <AttachmentEncoded><Attachment> ... <edXML:ContentTransferEncoded xmlns:edXML="...">base64
    </edXML>

Dates are written ``yyyy/MM/dd`` and timestamps ``yyyy/MM/dd HH:mm:ss`` in Vietnam time. The packet is
unsigned; ``sign_package`` adds the signature. Every rule of ``model.validate_package`` runs first, so
the builder raises the same errors as the parser.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from vanphong.lib.edxml.errors import EdxmlError
from vanphong.lib.edxml.model import (
    EDXML_NS,
    EDXML_PREFIX,
    Attachment,
    Business,
    MessageHeader,
    Organ,
    Package,
    ResponseFor,
    StaffInfo,
    StatusPackage,
    TraceHeader,
    document_id,
    format_date,
    format_timestamp,
    safe_attachment_name,
    validate_package,
    validate_status,
)


def _tag(name: str) -> str:
    return f"{{{EDXML_NS}}}{name}"


def _add(parent: Any, name: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, _tag(name))
    if text is not None:
        element.text = text
    return element


def _add_optional(parent: Any, name: str, text: str) -> None:
    if text:
        _add(parent, name, text)


def _envelope() -> tuple[Any, Any, Any]:
    root = etree.Element(_tag("edXML"), nsmap={None: EDXML_NS})
    envelope = etree.SubElement(root, _tag("edXMLEnvelope"), nsmap={EDXML_PREFIX: EDXML_NS})
    header = _add(envelope, "edXMLHeader")
    return root, envelope, header


def _organ(parent: Any, name: str, organ: Organ) -> None:
    element = _add(parent, name)
    _add(element, "OrganId", organ.organ_id)
    _add_optional(element, "OrganizationInCharge", organ.organization_in_charge)
    _add_optional(element, "OrganName", organ.organ_name)
    _add_optional(element, "OrganAdd", organ.organ_add)
    _add_optional(element, "Email", organ.email)
    _add_optional(element, "Telephone", organ.telephone)
    _add_optional(element, "Fax", organ.fax)
    _add_optional(element, "Website", organ.website)


def _response_for(parent: Any, response_for: ResponseFor) -> None:
    element = _add(parent, "ResponseFor")
    _add(element, "OrganId", response_for.organ_id)
    _add(element, "Code", response_for.code)
    if response_for.promulgation_date is not None:
        _add(element, "PromulgationDate", format_date(response_for.promulgation_date))
    _add(element, "DocumentId", response_for.document_id)


def _staff(parent: Any, staff: StaffInfo) -> None:
    element = _add(parent, "StaffInfo")
    _add(element, "Department", staff.department)
    _add(element, "Staff", staff.staff)
    _add(element, "Email", staff.email)
    _add(element, "Mobile", staff.mobile)


def _number(value: int | None) -> str | None:
    return None if value is None else str(value)


def _message_header(parent: Any, header: MessageHeader) -> None:
    element = _add(parent, "MessageHeader")
    _organ(element, "From", header.from_)
    for organ in header.to:
        _organ(element, "To", organ)
    doc_id = header.document_id or document_id(
        header.from_.organ_id, header.promulgation_date, header.code_number, header.code_notation
    )
    _add(element, "DocumentId", doc_id)
    code = _add(element, "Code")
    _add(code, "CodeNumber", header.code_number)
    _add(code, "CodeNotation", header.code_notation)
    promulgation = _add(element, "PromulgationInfo")
    _add(promulgation, "Place", header.promulgation_place)
    _add(promulgation, "PromulgationDate", format_date(header.promulgation_date))
    if header.document_type is not None or header.type_detail is not None or header.type_name:
        doc_type = _add(element, "DocumentType")
        if header.document_type is not None:
            _add(doc_type, "Type", str(header.document_type))
        if header.type_detail is not None:
            _add(doc_type, "TypeDetail", str(header.type_detail))
        _add_optional(doc_type, "TypeName", header.type_name)
    _add(element, "Subject", header.subject)
    _add_optional(element, "Content", header.content)
    if header.signer_competence or header.signer_position or header.signer_full_name:
        signer = _add(element, "SignerInfo")
        _add_optional(signer, "Competence", header.signer_competence)
        _add_optional(signer, "Position", header.signer_position)
        _add_optional(signer, "FullName", header.signer_full_name)
    if header.due_date is not None:
        _add(element, "DueDate", format_date(header.due_date))
    other = _add(element, "OtherInfo")
    _add(other, "Priority", str(header.priority))
    _add_optional(other, "SphereOfPromulgation", header.sphere_of_promulgation)
    _add_optional(other, "TyperNotation", header.typer_notation)
    if header.promulgation_amount is not None:
        _add(other, "PromulgationAmount", str(header.promulgation_amount))
    if header.page_amount is not None:
        _add(other, "PageAmount", str(header.page_amount))
    _add(other, "Direction", "true" if header.direction else "false")
    if header.appendixes:
        appendixes = _add(other, "Appendixes")
        for appendix in header.appendixes:
            _add(appendixes, "Appendix", appendix)
    if header.response_for is not None:
        _response_for(element, header.response_for)
    if header.steering_type is not None:
        _add(element, "SteeringType", str(header.steering_type))
    if header.to_places:
        places = _add(element, "ToPlaces")
        for place in header.to_places:
            _add(places, "Place", place)


def _trace_list(parent: Any, traces: tuple[TraceHeader, ...], business: Business | None) -> None:
    element = _add(parent, "TraceHeaderList")
    for trace in traces:
        hop = _add(element, "TraceHeader")
        _add(hop, "OrganId", trace.organ_id)
        _add(hop, "Timestamp", format_timestamp(trace.timestamp))
    if business is None:
        return
    block = _add(element, "Bussiness")  # sic: the standard spells it with a double s
    _add_optional(block, "DocumentId", business.document_id)
    _add(block, "BussinessDocType", str(business.doc_type))
    _add(block, "BussinessDocReason", business.reason)
    if business.receiver_changes:
        info = _add(block, "BussinessDocumentInfo")
        receivers = _add(info, "ReceiverList")
        for change in business.receiver_changes:
            receiver = _add(receivers, "Receiver")
            _add(receiver, "ReceiverType", "1" if change.added else "0")
            _add(receiver, "OrganId", change.organ_id)
    _add(block, "Paper", str(business.paper))
    if business.staff is not None:
        _staff(block, business.staff)
    if business.replacements:
        replacements = _add(block, "ReplacementInfoList")
        for replacement in business.replacements:
            item = _add(replacements, "ReplacementInfo")
            _add(item, "DocumentId", replacement.document_id)
            organs = _add(item, "OrganIdList")
            for organ_id in replacement.organ_ids:
                _add(organs, "OrganId", organ_id)


def _clean_attachments(attachments: tuple[Attachment, ...]) -> tuple[Attachment, ...]:
    cleaned = []
    for index, attachment in enumerate(attachments, start=1):
        name = safe_attachment_name(attachment.name, f"attachment-{index}")
        cleaned.append(replace(attachment, name=name))
    return tuple(cleaned)


def _serialise(root: Any) -> bytes:
    try:
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    except ValueError as exc:  # lxml refuses text XML cannot carry; validation should have caught it
        raise EdxmlError("bad_value", f"A field cannot be written as XML ({exc}).") from None


def build_package(package: Package) -> bytes:
    """Write a document packet (QCVN 102 section 1b) as UTF-8 XML bytes, unsigned.

    Attachment names are made safe (no directories or control characters) before writing; the
    attachments are base64 in ``AttachmentEncoded`` and listed in the manifest as ``cid:`` references.
    ``package.signed`` is ignored: call ``sign_package`` on the result.
    """
    package = replace(package, attachments=_clean_attachments(package.attachments))
    validate_package(package)
    attachments = package.attachments

    root, envelope, header = _envelope()
    _message_header(header, package.header)
    _trace_list(header, package.traces, package.business)
    body = _add(envelope, "edXMLBody")
    manifest = _add(body, "edXMLManifest")
    manifest.set("version", "1.0")
    for attachment in attachments:
        reference = _add(manifest, "Reference")
        _add(reference, "ContentId", f"cid:{attachment.content_id}")
        _add(reference, "ContentType", attachment.content_type)
        _add(reference, "Description", attachment.description)
        _add(reference, "AttachmentName", attachment.name)
    encoded = _add(root, "AttachmentEncoded")
    for attachment in attachments:
        item = _add(encoded, "Attachment")
        _add(item, "ContentId", f"cid:{attachment.content_id}")
        _add(item, "AttachmentName", attachment.name)
        _add(item, "Description", attachment.description)
        _add(item, "ContentType", attachment.content_type)
        content = etree.SubElement(item, _tag("ContentTransferEncoded"), nsmap={EDXML_PREFIX: EDXML_NS})
        content.text = base64.b64encode(attachment.data).decode("ascii")
    return _serialise(root)


def build_status(status: StatusPackage) -> bytes:
    """Write a status packet (01 arrived ... 16 recall refused) as UTF-8 XML bytes, unsigned.

    Same wrapper as a document packet, with ``edXML:Status`` in the header and an empty body. The
    element name ``Status`` follows the only hub code seen writing it; ``MessageStatus`` is read too.
    """
    validate_status(status)
    root, envelope, header = _envelope()
    element = _add(header, "Status")
    _response_for(element, status.response_for)
    _organ(element, "From", status.from_)
    _add(element, "StatusCode", status.status_code)
    _add(element, "Description", status.description)
    _add(element, "Timestamp", format_timestamp(status.timestamp))
    if status.staff is not None:
        _staff(element, status.staff)
    _add(envelope, "edXMLBody")
    return _serialise(root)
