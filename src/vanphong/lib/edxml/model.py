"""Values of an edXML packet (QCVN 102:2016/BTTTT, amendment 1:2022) and the rules every packet obeys.

The same rules run when we build a packet and when we parse one (``validate_package`` and
``validate_status``), so a packet we send is one we would accept, and the errors carry the same codes.
Field lengths are those of the VPCP SDK sample and the BKAV validator (documents.md section 1b); the
QCVN text itself was not checked for them.

This module also holds the fixed parts of the wire format (namespaces, date formats, the safe XML
loader) because the builder, the parser and the signer all need them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from vanphong.lib import idcodes
from vanphong.lib.edxml.errors import EdxmlError

EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
EDXML_PREFIX = "edXML"

# Hubs write naive local times; Vietnam has one time zone and no daylight saving.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

PRIORITIES: dict[int, str] = {
    0: "normal (thường)",
    1: "urgent (khẩn)",
    2: "very urgent (thượng khẩn)",
    3: "immediate (hỏa tốc)",
    4: "immediate, timed (hỏa tốc hẹn giờ)",
}

BUSINESS_DOC_TYPES: dict[int, str] = {0: "new", 1: "recall", 2: "update", 3: "replace"}

# Codes seen in three independent implementations; 07-12 and 14 exist in the range but their meaning
# was not found, so they are accepted and described as unknown.
STATUS_CODES: dict[str, str] = {
    "01": "arrived (đã đến)",
    "02": "rejected (từ chối tiếp nhận)",
    "03": "accepted, registered (đã tiếp nhận, vào sổ)",
    "04": "assigned by the leader (đã phân công)",
    "05": "being processed (đang xử lý)",
    "06": "finished (hoàn thành)",
    "13": "recall requested (yêu cầu thu hồi)",
    "15": "recall or update accepted (đồng ý thu hồi/cập nhật)",
    "16": "recall or update refused (từ chối thu hồi/cập nhật)",
}
_STATUS_CODE = re.compile(r"^(0[1-9]|1[0-6])$")

# Maximum lengths in characters, keyed by the element name the error names.
ORGAN_LIMITS: dict[str, tuple[str, int]] = {
    "organization_in_charge": ("OrganizationInCharge", 200),
    "organ_name": ("OrganName", 200),
    "organ_add": ("OrganAdd", 250),
    "email": ("Email", 100),
    "telephone": ("Telephone", 20),
    "fax": ("Fax", 20),
}
HEADER_LIMITS: dict[str, tuple[str, int]] = {
    "code_number": ("CodeNumber", 11),
    "code_notation": ("CodeNotation", 30),
    "promulgation_place": ("PromulgationInfo/Place", 50),
    "type_name": ("TypeName", 100),
    "subject": ("Subject", 500),
    "content": ("Content", 500),
    "signer_competence": ("SignerInfo/Competence", 100),
    "signer_position": ("SignerInfo/Position", 100),
    "signer_full_name": ("SignerInfo/FullName", 50),
    "sphere_of_promulgation": ("SphereOfPromulgation", 100),
    "typer_notation": ("TyperNotation", 10),
}
TO_PLACE_LIMIT = 150
APPENDIX_LIMIT = 250
ATTACHMENT_NAME_LIMIT = 200  # BKAV validator


@dataclass(frozen=True, kw_only=True)
class Organ:
    """A body in From or To (1.1, 1.2): its identifier code and contact details."""

    organ_id: str
    organization_in_charge: str = ""
    organ_name: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True, kw_only=True)
class ResponseFor:
    """The document a reply or a status answers (1.12): sender, "number/notation", date, DocumentId."""

    organ_id: str
    code: str = ""
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass(frozen=True, kw_only=True)
class MessageHeader:
    """MessageHeader 1.1-1.14: who sends to whom, the number and symbol, type, subject, signer, marks."""

    from_: Organ
    to: tuple[Organ, ...]
    code_number: str
    code_notation: str
    promulgation_place: str = ""
    promulgation_date: date
    document_type: int | None = None
    type_detail: int | None = None
    type_name: str = ""
    subject: str
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_full_name: str = ""
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    priority: int = 0
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: tuple[str, ...] = ()
    direction: bool = False  # OtherInfo/Direction of the VPCP SDK; its meaning is not documented
    steering_type: int | None = None  # 1 not a directive, 2 directive, 3 report on a directive [I]
    response_for: ResponseFor | None = None
    document_id: str = ""  # empty: the builder derives it with document_id()


@dataclass(frozen=True, kw_only=True)
class TraceHeader:
    """One hop of the packet: the body that handled it and when (an aware datetime)."""

    organ_id: str
    timestamp: datetime


@dataclass(frozen=True, kw_only=True)
class StaffInfo:
    """The clerk responsible for a business action or a status (StaffInfo)."""

    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True, kw_only=True)
class ReceiverChange:
    """For an update (doc type 2): a recipient added (ReceiverType 1) or removed (0)."""

    organ_id: str
    added: bool


@dataclass(frozen=True, kw_only=True)
class Replacement:
    """For a replacement (doc type 3): the replaced DocumentId and the bodies that had received it."""

    document_id: str
    organ_ids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Business:
    """The ``Bussiness`` block (spelled so on the wire): new, recall, update or replace a document."""

    doc_type: int = 0
    reason: str = ""
    document_id: str = ""
    paper: int = 0  # 0 = no paper copy follows
    staff: StaffInfo | None = None
    receiver_changes: tuple[ReceiverChange, ...] = ()
    replacements: tuple[Replacement, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """One attached file. ``content_id`` is the bare id; the wire form is ``cid:`` followed by it."""

    content_id: str
    name: str
    description: str = ""
    content_type: str = "application/octet-stream"
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        """Size of the decoded file in bytes."""
        return len(self.data)


@dataclass(frozen=True, kw_only=True)
class Package:
    """A document packet: header, trace, business block and attachments; ``signed`` is set by parsing."""

    header: MessageHeader
    traces: tuple[TraceHeader, ...] = ()
    business: Business | None = None
    attachments: tuple[Attachment, ...] = ()
    signed: bool = False


@dataclass(frozen=True, kw_only=True)
class StatusPackage:
    """A status packet answering a document: status code 01-16, who answers, when and why."""

    response_for: ResponseFor
    from_: Organ
    status_code: str
    description: str = ""
    timestamp: datetime
    staff: StaffInfo | None = None
    signed: bool = False


SignatureStatus = Literal["valid", "tampered", "untrusted", "unsigned"]


@dataclass(frozen=True, kw_only=True)
class SignatureCheck:
    """Outcome of verify_package.

    ``intact`` says whether the content still matches the signature, whatever the trust in the signer;
    ``status`` combines both: valid = intact and issued by (or equal to) a trusted certificate.
    """

    status: SignatureStatus
    intact: bool = False
    signer_subject: str | None = None
    signer_fingerprint: str | None = None  # SHA-256 of the signer certificate, hex
    signature_algorithm: str | None = None
    detail: str = ""


def document_id(organ_id: str, promulgation_date: date, code_number: str, code_notation: str) -> str:
    """DocumentId per QCVN 102 1.14: ``{sender OrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}``.

    Example: ``000.00.00.G22,2015/09/30,7816/VPCP-TTĐT``.
    """
    check_organ_id(organ_id, "From/OrganId")
    return f"{organ_id},{format_date(promulgation_date)},{code_number}/{code_notation}"


# --- dates on the wire -------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d")
_TIMESTAMP_FORMATS = ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def format_date(value: date) -> str:
    """The VPCP SDK date format, ``yyyy/MM/dd``."""
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def format_timestamp(value: datetime) -> str:
    """The VPCP SDK timestamp format, ``yyyy/MM/dd HH:mm:ss``, in Vietnam time."""
    if value.tzinfo is None:
        raise EdxmlError("bad_date", "Timestamps must be timezone-aware datetimes.")
    local = value.astimezone(VIETNAM_TIME)
    return f"{format_date(local.date())} {local:%H:%M:%S}"


def parse_date(text: str, element: str) -> date:
    """Read a date written ``yyyy/MM/dd`` (VPCP SDK), ``dd/MM/yyyy`` (BKAV) or ``yyyy-MM-dd`` (ISO).

    Hubs differ, so all three are accepted; the shapes cannot be confused because the year has four digits.
    """
    value = text.strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007  # a calendar date, no time zone
        except ValueError:
            continue
    raise EdxmlError("bad_date", f"{element} is not a date in yyyy/MM/dd, dd/MM/yyyy or yyyy-MM-dd: {value[:40]!r}")


def parse_timestamp(text: str, element: str) -> datetime:
    """Read a timestamp in the same three shapes plus ``HH:mm:ss``; naive times are Vietnam time.

    A bare date is accepted as midnight, and ISO times with an offset keep their offset.
    """
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None:
        for pattern in _TIMESTAMP_FORMATS:
            try:
                parsed = datetime.strptime(value, pattern)  # noqa: DTZ007  # zone added below
                break
            except ValueError:
                continue
    if parsed is None:
        day = parse_date(value, element)
        parsed = datetime(day.year, day.month, day.day)  # noqa: DTZ001  # zone added below
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=VIETNAM_TIME)


# --- safe loading ------------------------------------------------------------------------------------


def _safe_parser() -> Any:
    # A fresh parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DTD_ERROR = re.compile(r"entit|PEReference|DOCTYPE|DTD", re.IGNORECASE)


def load_root(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Parse untrusted bytes into an lxml root element, refusing anything that could hurt us.

    Order: size limit before parsing (``too_large``), binary and non-UTF-8 input (``not_xml``), any DTD,
    checked both on the raw prolog and on the parsed document (``forbidden_dtd``), then well-formedness.
    Entities are never resolved, nothing is fetched, comments are dropped (processing instructions stay,
    because canonicalisation signs them) and XInclude is never run. libxml2's default limits stay on (no
    huge_tree), which caps one text node, so one attachment, at 10,000,000 base64 characters (7.5 MB of
    file); a bigger attachment raises ``too_large``.
    """
    if not isinstance(data, bytes | bytearray):
        raise EdxmlError("not_xml", "The packet must be given as bytes.")
    if len(data) > max_bytes:
        raise EdxmlError("too_large", f"The packet has {len(data)} bytes; the limit is {max_bytes}.")
    head = bytes(data[:4])
    if not data.strip():
        raise EdxmlError("not_xml", "The packet is empty.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise EdxmlError("not_xml", "edXML packets must be UTF-8; this looks like UTF-16 or UTF-32.")
    if head.startswith(b"\x1f\x8b"):
        raise EdxmlError("not_xml", "The packet is gzip-compressed, not XML.")
    doctype = _DOCTYPE.search(data)
    root_start = _ROOT_START.search(data)
    if doctype is not None and (root_start is None or doctype.start() < root_start.start()):
        raise EdxmlError("forbidden_dtd", "The packet declares a DOCTYPE or entities; DTDs are refused.")
    try:
        root = etree.fromstring(bytes(data), parser=_safe_parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if _DTD_ERROR.search(message):
            # libxml2 stopped on a DTD construct (entity amplification, parameter entities, ...).
            raise EdxmlError("forbidden_dtd", "The packet declares or uses entities; DTDs are refused.") from None
        if "huge" in message.lower():
            raise EdxmlError(
                "too_large", "One text node (an attachment) exceeds the 10,000,000-character parser limit."
            ) from None
        # libxml2's message may quote the input; keep only its first line and never the file content.
        raise EdxmlError("not_xml", f"The packet is not well-formed XML ({message.splitlines()[0][:120]}).") from None
    except ValueError as exc:
        raise EdxmlError("not_xml", f"The packet cannot be read as XML ({str(exc)[:120]}).") from None
    if root is None:
        raise EdxmlError("not_xml", "The packet has no root element.")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url or docinfo.public_id:
        raise EdxmlError("forbidden_dtd", "The packet declares a DOCTYPE; DTDs are refused.")
    for _ in root.iter(etree.Entity):
        raise EdxmlError("forbidden_dtd", "The packet uses entity references; they are refused.")
    if root.tag != f"{{{EDXML_NS}}}edXML":
        qname = etree.QName(root)
        found = qname.namespace or "no namespace"
        raise EdxmlError(
            "wrong_namespace",
            f"The root is {qname.localname!r} in {found}; expected 'edXML' in {EDXML_NS} (QCVN 102:2016).",
        )
    return root


# --- rules shared by the builder and the parser ------------------------------------------------------

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_text(value: str, element: str, limit: int | None = None) -> None:
    """A text field must be XML-safe and at most ``limit`` characters."""
    if _XML_ILLEGAL.search(value):
        raise EdxmlError("bad_value", f"{element} contains control characters that XML cannot carry.")
    if limit is not None and len(value) > limit:
        raise EdxmlError("too_long", f"{element} has {len(value)} characters; at most {limit}.")


def check_organ_id(organ_id: str, element: str) -> None:
    """Identifier codes per amendment 1:2022: 1-35 characters of 0-9, A-Z and dots (vanphong.lib.idcodes)."""
    if not organ_id:
        raise EdxmlError("missing_element", f"{element} is required.")
    try:
        idcodes.validate(organ_id)
    except idcodes.IdentifierCodeError as exc:
        raise EdxmlError("bad_organ_id", f"{element} {organ_id[:40]!r}: {exc}") from None


def _check_organ(organ: Organ, element: str) -> None:
    check_organ_id(organ.organ_id, f"{element}/OrganId")
    for attribute, (name, limit) in ORGAN_LIMITS.items():
        check_text(getattr(organ, attribute), f"{element}/{name}", limit)
    check_text(organ.website, f"{element}/Website")


def _check_count(value: int | None, element: str, allowed: Iterable[int] | None = None) -> None:
    if value is None:
        return
    if value < 0 or (allowed is not None and value not in allowed):
        raise EdxmlError("bad_value", f"{element} has the value {value}, which is not allowed.")


def _check_response_for(response_for: ResponseFor, element: str) -> None:
    check_organ_id(response_for.organ_id, f"{element}/OrganId")
    check_text(response_for.code, f"{element}/Code")
    check_text(response_for.document_id, f"{element}/DocumentId")


def _check_staff(staff: StaffInfo | None, element: str) -> None:
    if staff is None:
        return
    for name in ("department", "staff", "mobile", "email"):
        check_text(getattr(staff, name), f"{element}/StaffInfo/{name.capitalize()}")


def validate_header(header: MessageHeader) -> None:
    """MessageHeader rules: required fields, lengths, identifier codes, unique recipients, priority 0-4."""
    _check_organ(header.from_, "From")
    if not header.to:
        raise EdxmlError("missing_element", "To is required: a packet needs at least one recipient.")
    seen: set[str] = set()
    for organ in header.to:
        _check_organ(organ, "To")
        if organ.organ_id in seen:
            raise EdxmlError("duplicate_recipient", f"To/OrganId {organ.organ_id} appears more than once.")
        seen.add(organ.organ_id)
    for attribute, (name, limit) in HEADER_LIMITS.items():
        check_text(getattr(header, attribute), name, limit)
    for attribute, name in (("code_number", "Code/CodeNumber"), ("code_notation", "Code/CodeNotation")):
        if not getattr(header, attribute).strip():
            raise EdxmlError("missing_element", f"{name} is required.")
    if not header.subject.strip():
        raise EdxmlError("missing_element", "Subject is required.")
    for place in header.to_places:
        check_text(place, "ToPlaces/Place", TO_PLACE_LIMIT)
    for appendix in header.appendixes:
        check_text(appendix, "Appendixes/Appendix", APPENDIX_LIMIT)
    if header.priority not in PRIORITIES:
        raise EdxmlError("bad_value", f"Priority is {header.priority}; it must be 0, 1, 2, 3 or 4.")
    _check_count(header.document_type, "DocumentType/Type")
    _check_count(header.type_detail, "DocumentType/TypeDetail")
    _check_count(header.promulgation_amount, "PromulgationAmount")
    _check_count(header.page_amount, "PageAmount")
    _check_count(header.steering_type, "SteeringType")
    check_text(header.document_id, "DocumentId")
    if header.response_for is not None:
        _check_response_for(header.response_for, "ResponseFor")


def safe_attachment_name(name: str, fallback: str) -> str:
    """A file name that is safe to store and show: no directories, no control or bidi characters.

    Path components are joined with ``_`` after dropping ``.``/``..``, leading dots and trailing dots or
    spaces are removed, Vietnamese letters are kept (NFC), and the result is cut to 200 characters
    keeping the extension. An empty result becomes ``fallback``.
    """
    text = unicodedata.normalize("NFC", name)
    # Cc: control characters; Cf: format characters such as U+202E, which can disguise "exe.pdf".
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    parts = [part.strip() for part in re.split(r"[/\\]", text)]
    text = "_".join(part for part in parts if part not in {"", ".", ".."})
    text = text.lstrip(". ").rstrip(". ")
    if len(text) > ATTACHMENT_NAME_LIMIT:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[: ATTACHMENT_NAME_LIMIT - len(extension) - 1] + "." + extension
        else:
            text = text[:ATTACHMENT_NAME_LIMIT]
    return text or fallback


_CONTENT_ID = re.compile(r"^[^\s<>\"]{1,200}$")


def validate_attachments(attachments: tuple[Attachment, ...]) -> None:
    """Attachment rules: a usable, unique ContentId, a safe name, XML-safe text."""
    seen: set[str] = set()
    for attachment in attachments:
        if not _CONTENT_ID.match(attachment.content_id):
            raise EdxmlError("bad_attachment", f"ContentId {attachment.content_id[:60]!r} is not usable.")
        if attachment.content_id in seen:
            raise EdxmlError("bad_attachment", f"ContentId {attachment.content_id} is used twice.")
        seen.add(attachment.content_id)
        check_text(attachment.name, "AttachmentName", ATTACHMENT_NAME_LIMIT)
        check_text(attachment.description, "Attachment/Description")
        check_text(attachment.content_type, "Attachment/ContentType", 255)


def validate_business(business: Business) -> None:
    """Bussiness rules: doc type 0-3, paper flag not negative, identifier codes of changed recipients."""
    _check_count(business.doc_type, "Bussiness/BussinessDocType", BUSINESS_DOC_TYPES)
    _check_count(business.paper, "Bussiness/Paper")
    check_text(business.reason, "Bussiness/BussinessDocReason")
    check_text(business.document_id, "Bussiness/DocumentId")
    _check_staff(business.staff, "Bussiness")
    for change in business.receiver_changes:
        check_organ_id(change.organ_id, "Bussiness/ReceiverList/Receiver/OrganId")
    for replacement in business.replacements:
        check_text(replacement.document_id, "ReplacementInfo/DocumentId")
        for organ_id in replacement.organ_ids:
            check_organ_id(organ_id, "ReplacementInfo/OrganIdList/OrganId")


def validate_package(package: Package) -> None:
    """Every rule of a document packet, as applied both by build_package and parse_package."""
    validate_header(package.header)
    for trace in package.traces:
        # Hop records are written by hubs, which put "null" or nothing there; they address nobody.
        check_text(trace.organ_id, "TraceHeader/OrganId", idcodes.MAX_LENGTH)
        if trace.timestamp.tzinfo is None:
            raise EdxmlError("bad_date", "TraceHeader/Timestamp must be timezone-aware.")
    if package.business is not None:
        validate_business(package.business)
    validate_attachments(package.attachments)


def validate_status(status: StatusPackage) -> None:
    """Every rule of a status packet: a known code 01-16, who answers, the document answered."""
    if not _STATUS_CODE.match(status.status_code):
        raise EdxmlError("bad_value", f"StatusCode {status.status_code[:10]!r} is not a two-digit code 01-16.")
    _check_response_for(status.response_for, "ResponseFor")
    _check_organ(status.from_, "From")
    check_text(status.description, "Description")
    if status.timestamp.tzinfo is None:
        raise EdxmlError("bad_date", "Status Timestamp must be timezone-aware.")
    _check_staff(status.staff, "Status")
