"""edXML packets of QCVN 102:2016/BTTTT (amendment 1:2022): build, parse, sign, verify, inspect.

The format between a document-management system and the national exchange hub (trục liên thông):
MessageHeader, TraceHeaderList with the ``Bussiness`` block, a ``cid:`` manifest with base64
attachments, an enveloped XML-DSig signature, and status packets 01-16. See
/work/shared/reference/documents.md section 1 for the sources.
"""

from vanphong.lib.edxml.build import build_package, build_status
from vanphong.lib.edxml.errors import ERROR_CODES, EdxmlError
from vanphong.lib.edxml.model import (
    BUSINESS_DOC_TYPES,
    DEFAULT_MAX_BYTES,
    DSIG_NS,
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
    SignatureCheck,
    StaffInfo,
    StatusPackage,
    TraceHeader,
    document_id,
)
from vanphong.lib.edxml.parse import inspect, parse_package, parse_status, sniff_kind
from vanphong.lib.edxml.sign import SIGNATURE_ALGORITHMS, sign_package, verify_package

__all__ = [
    "BUSINESS_DOC_TYPES",
    "DEFAULT_MAX_BYTES",
    "DSIG_NS",
    "EDXML_NS",
    "ERROR_CODES",
    "PRIORITIES",
    "SIGNATURE_ALGORITHMS",
    "STATUS_CODES",
    "Attachment",
    "Business",
    "EdxmlError",
    "MessageHeader",
    "Organ",
    "Package",
    "ReceiverChange",
    "Replacement",
    "ResponseFor",
    "SignatureCheck",
    "StaffInfo",
    "StatusPackage",
    "TraceHeader",
    "build_package",
    "build_status",
    "document_id",
    "inspect",
    "parse_package",
    "parse_status",
    "sign_package",
    "sniff_kind",
    "verify_package",
]
